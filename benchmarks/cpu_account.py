"""CPU seconds of a command's whole process tree, by kind of process and by the test that caused them.

``resource.getrusage(RUSAGE_CHILDREN)`` counts only the descendants that were waited for: most of
headless Chromium (started by Playwright's driver and never reaped by our process) escapes it. Here a
thread reads ``/proc/<pid>/stat`` of every process every ``interval`` seconds and adds up the CPU time
(user + system) that each process of the tree used since the last reading. A process belongs to the
tree when its parent does; the benchmark makes itself the subreaper of its descendants (Linux
``PR_SET_CHILD_SUBREAPER``), so a process whose parent exits stays in the tree, and the zombies of such
orphans (their final CPU time still readable) are collected once read. A process that starts and ends
between two readings under a parent that reaps it at once is missed: at the default 0.25 s that is a
few seconds in a run of thousands.

A pytest run with ``-p cpu_account`` (this module on ``PYTHONPATH``, ``CPU_ACCOUNT_DIR`` set) also tells
which test each worker is running, and every process below a worker is charged to that test (the
kernels of a notebook test, the Chromium of a browser test).

Linux only (``/proc``).
"""
from __future__ import annotations

import collections
import ctypes
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")
PR_SET_CHILD_SUBREAPER = 36

#: Kinds of process, by the name the kernel knows them by (``comm``) and, for Python, the command line.
KINDS = (("chromium", ("chrom",)), ("playwright driver (node)", ("node",)),
         ("jupyter-book (Sphinx)", ("jupyter-book", "sphinx")), ("pagefind", ("pagefind",)))


def kind_of(comm: str, cmdline: str) -> str:
    for kind, needles in KINDS:
        if any(comm.startswith(n) for n in needles):
            return kind
    if "ipykernel" in cmdline:
        return "notebook kernels (ipykernel)"
    if "python" in comm or comm.startswith("pytest"):
        return "python (pytest workers, builds' helpers)"
    return "other"


def _stat(pid: int):
    """(parent pid, CPU ticks, start time, comm, zombie) of ``pid``, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            text = fh.read()
    except OSError:
        return None
    right = text.rfind(")")
    fields = text[right + 2:].split()
    return (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19]), text[text.find("(") + 1:right],
            fields[0] == "Z")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass
class Account:
    wall: float = 0.0
    by_kind: collections.Counter = field(default_factory=collections.Counter)
    by_test: collections.Counter = field(default_factory=collections.Counter)

    @property
    def cpu(self) -> float:
        return sum(self.by_kind.values())

    def by_module(self) -> collections.Counter:
        out = collections.Counter()
        for test, seconds in self.by_test.items():
            out[test.split("::")[0]] += seconds
        return out


def run(cmd: list[str], *, cwd: Path, env: dict, log: Path, interval: float = 0.25,
        tests_dir: Path | None = None) -> tuple[int, Account]:
    """Run ``cmd`` (its output into ``log``) and account for the CPU time of its process tree.
    ``tests_dir``: where the pytest plugin below writes each worker's current test."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    account, seen, done = Account(), {}, threading.Event()   # seen: (pid, start) -> ticks read so far
    kinds: dict[tuple[tuple[int, int], str], str] = {}

    def current_tests() -> dict[int, str]:
        out = {}
        if tests_dir is not None and tests_dir.is_dir():
            for f in tests_dir.iterdir():
                try:
                    out[int(f.name)] = f.read_text()
                except (OSError, ValueError):
                    pass
        return out

    def sample(root: int | None, charge: bool = True) -> None:
        procs = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                st = _stat(int(name))
                if st is not None:
                    procs[int(name)] = st
        tests = current_tests()
        me = os.getpid()
        for pid, (ppid, ticks, start, comm, zombie) in procs.items():
            if pid == me:
                continue                                    # this benchmark (and this sampler) itself
            p, test = pid, None
            for _ in range(64):                             # up the ancestors to the root, or out of the tree
                if p not in procs or p in (root, me):
                    break
                if test is None and p in tests:
                    test = tests[p]
                p = procs[p][0]
            if p not in (root, me) and pid != root:
                continue                                    # not ours
            key = (pid, start)
            if (key, comm) not in kinds:                    # by name: a fork that then runs another program
                kinds[key, comm] = kind_of(comm, _cmdline(pid))   # is named by what it runs now
            delta = ticks - seen.get(key, 0)
            seen[key] = ticks
            if delta > 0 and charge:
                account.by_kind[kinds[key, comm]] += delta / HZ
                account.by_test[test or "(outside any test: start, collection, the controller)"] += delta / HZ
            if zombie and ppid == me and pid != root:
                try:
                    os.waitpid(pid, os.WNOHANG)             # an orphan we adopted: read, now collect it
                except ChildProcessError:
                    pass

    sample(None, charge=False)   # what an earlier run left behind (adopted orphans) is not this run's
    start = time.monotonic()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT)

        def loop():
            while not done.is_set():
                sample(proc.pid)
                done.wait(interval)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        rc = proc.wait()
        account.wall = time.monotonic() - start
        done.set()
        thread.join()
    sample(None)   # the last interval, and the orphans left when the command ended
    return rc, account


# --- the pytest plugin (``-p cpu_account``) ---------------------------------------------------

def _note(text: str) -> None:
    folder = os.environ.get("CPU_ACCOUNT_DIR")
    if folder:
        Path(folder, str(os.getpid())).write_text(text)


def pytest_runtest_logstart(nodeid, location):
    _note(nodeid.split("@")[0])


def pytest_runtest_logfinish(nodeid, location):
    _note("(between tests)")
