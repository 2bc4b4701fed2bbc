"""Shared test helpers: import paths, a deadline guard against hanging calls, and the layer
markers. Tests live in one folder per layer and get its marker automatically:

tests/unit      fast unit tests of hh_lib                  -m unit
tests/numerics  hh_lib against independent references     -m numerics
tests/site      the built book: HTML, browser, links       -m site
tests/tooling   notebook generator, workflows              -m tooling

``pytest -m "unit or numerics"`` runs the library's own tests alone."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
for _p in (ROOT, TESTS):
    if _p not in sys.path:
        sys.path.insert(0, _p)


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


LAYERS = ("unit", "numerics", "site", "tooling")


def pytest_collection_modifyitems(config, items):
    """Mark each test with the layer of the folder it lives in (tests/<layer>/...)."""
    for item in items:
        parts = os.path.relpath(str(item.path), TESTS).split(os.sep)
        layer = parts[0] if len(parts) > 1 and parts[0] in LAYERS else "tooling"
        item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture
def no_hang():
    """``with no_hang(5): ...`` fails the test if the body runs longer than 5 s."""
    return deadline


# One strict build of the book per test session, shared by every module that needs the site.
from book_build import built_book  # noqa: E402,F401
