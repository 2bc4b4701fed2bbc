"""Helpers shared by the tests, importable from any test folder as ``helpers`` (a second
conftest.py, tests/tooling/conftest.py, makes ``from conftest import ...`` ambiguous)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)


class Hang(AssertionError):
    """A call did not return or raise within its deadline."""


@contextlib.contextmanager
def deadline(seconds: float, what: str = "call"):
    """Fail (raise Hang) if the body runs longer than ``seconds``.

    Uses SIGALRM where possible (interrupts Python-level loops); in any case the
    elapsed time is checked afterwards, so a slow-but-finishing call also fails.
    """
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    start = time.monotonic()
    if use_alarm:

        def _on_alarm(signum, frame):
            raise Hang(f"{what} did not finish within {seconds} s (hang)")

        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - start
    if elapsed > seconds:
        raise Hang(f"{what} took {elapsed:.1f} s, more than its {seconds} s deadline")


def run_isolated(code: str, timeout: float) -> subprocess.CompletedProcess | None:
    """Run ``code`` in a fresh interpreter (repo root on the path); None if it timed out.

    For calls that may hang inside compiled code (SIGALRM cannot interrupt them)
    or that may leave the compiled kernels in a bad state.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, TESTS, os.environ.get("PYTHONPATH", "")]))
    try:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return None
