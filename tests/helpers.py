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


# --- Figure text: one language (Korean) per figure ---------------------------------------------

#: ASCII words of 3+ letters allowed in figure text: units, abbreviations the pages explain,
#: proper names (models, people, drugs) and the solver settings of scipy.
FIGURE_ASCII_ALLOWED = frozenset(
    """mV ms Hz RHS HH LIF FHN TTX TEA RMS LTS Hopf Hodgkin Huxley FitzHugh Nagumo Izhikevich
    Rinzel Morris Lecar scipy rtol atol""".split()
)


def english_words(text: str) -> list[str]:
    """ASCII words of 3+ letters in ``text`` that are not allowed symbols/units/names.

    A word glued to a subscript or digit (V_rest, g_Na, RK45, Q10) counts as a symbol."""
    import re

    words = re.findall(r"(?<![\w])[A-Za-z]{3,}(?![\w])", text)
    return [w for w in words if w not in FIGURE_ASCII_ALLOWED]


def figure_texts(fig) -> list[str]:
    """Every piece of text a figure shows: titles, axis labels, legend entries, annotations."""
    texts = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) is not None else []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.get_title(), ax.get_title("left"), ax.get_title("right"), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if t]


def assert_korean_figure(fig) -> None:
    """Fail on any English word (see :func:`english_words`) in the figure's text."""
    bad = {t: english_words(t) for t in figure_texts(fig) if english_words(t)}
    assert not bad, f"English words in figure text: {bad}"
