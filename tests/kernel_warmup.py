"""Compile hh_lib's numba kernels into numba's disk cache once, before the test workers need them.

On a fresh checkout nothing is cached (hh_lib/_kernels/cache.py keys the cache on a digest of
hh_lib's sources), and every process that simulates would compile the same kernels: each pytest-xdist
worker, the kernels of the book build and of the notebook tests. ``start()`` (called by the controller
of the run, tests/conftest.py) compiles them instead in ``PARTS`` background processes, each a share
of the kernels, holding a shared file lock; ``wait()`` (each worker, before its first test and before
the session's book build starts) blocks until they are done, and everyone else loads the kernels from
disk. Only speed depends on this: a kernel it missed is compiled where it is first used, as before,
and a failure here only shows as a warning (the tests then report the real error)."""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "_build" / ".kernel-warmup.lock"
PARTS = 2
_started: list[subprocess.Popen] = []


def _part(k: int) -> None:
    """The calls of share ``k``: each compiles the kernels (and argument types) the tests use most."""
    import numpy as np

    import hh_lib as H

    if k == 0:
        H.simulate(10.0, duration=5.0)
        H.simulate(np.array([5.0, 10.0]), duration=5.0)
        H.simulate(10.0, duration=2.0, method="rk4")
        H.simulate(10.0, duration=2.0, method="exponential_euler")
        H.simulate(lambda t: 10.0 * (t > 1.0), duration=3.0)
        H.fi_curve(np.array([5.0, 10.0]), duration=30.0, transient=5.0)
        H.fi_curve(np.array([5.0, 10.0]), duration=30.0, transient=5.0, threshold=0.0)
        H.spike_times(np.linspace(0.0, 1.0, 11), np.zeros(11))
    else:
        H.simulate_cs(10.0, duration=5.0)
        H.cs_fi_curve(np.array([5.0, 10.0]), duration=30.0, transient=5.0)
        H.simulate_lif(10.0, duration=5.0)
        H.simulate_fhn(0.5, duration=5.0)
        H.simulate_izhikevich(10.0, duration=5.0)
        from hh_lib.reduced.reduction import simulate_reduced_hh

        simulate_reduced_hh(10.0, duration=5.0)


def start() -> None:
    """Start the warm-up processes; they hold the lock (an inherited descriptor) until they end."""
    if os.environ.get("HH_KERNEL_WARMUP", "").lower() in {"off", "0", "no"}:
        return
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        for k in range(PARTS):
            _started.append(subprocess.Popen([sys.executable, __file__, str(k)], cwd=ROOT, env=env,
                                             pass_fds=(lock.fileno(),), stdout=subprocess.DEVNULL,
                                             start_new_session=True))
    # our descriptor is closed here; the children's copies keep the shared lock until they exit


def reap() -> None:
    """Collect the warm-up processes this process started (at the end of the session)."""
    while _started:
        _started.pop().wait()


def wait() -> None:
    """Block until no warm-up process holds the lock (returns at once when none was started)."""
    if not LOCK.exists():
        return
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fcntl.flock(lock, fcntl.LOCK_UN)


if __name__ == "__main__":
    try:
        _part(int(sys.argv[1]))
    except Exception as exc:  # noqa: BLE001 - the tests report real errors; this only saves time
        print(f"kernel warm-up {sys.argv[1]}: {type(exc).__name__}: {exc}", file=sys.stderr)
