"""The compiled-kernel dependency (numba), imported in one place with a clear error.

numba (and llvmlite, which it brings) install from wheels on Linux, macOS, Windows
and Google Colab. hh_lib._kernels.intrinsics writes a few
small functions directly as LLVM instructions (numba intrinsics), so that the hot
loops vectorise.
"""

from __future__ import annotations

try:
    from llvmlite import ir
    from numba import njit, types
    from numba.extending import intrinsic, overload
except ImportError as exc:  # pragma: no cover - exercised only where numba is missing
    raise ImportError(
        "hh_lib needs numba (compiled integrators) and could not import it: "
        f"{exc}.\nInstall it with `pip install numba` (wheels exist for Linux, macOS, "
        "Windows and Google Colab); if pip cannot find a wheel for your Python, use "
        "Python 3.10-3.13 or `conda install numba`."
    ) from exc

from . import cache  # noqa: E402,F401  numba's cache keyed on the sources: before any kernel is decorated

#: Options of a function called only from compiled code: numba then builds neither the wrapper that
#: Python calls it through nor the C-callable one (about 0.05 s of the first compilation each).
CALLED_ONLY = dict(no_cpython_wrapper=True, no_cfunc_wrapper=True)


def jit_once(signature, **options):
    """``njit`` for a helper compiled for exactly one signature, when a kernel first needs it
    (:func:`prepare`, called by the kernel's entry point before the kernel compiles), not at import.
    Left to itself, numba would compile a helper again for every call site that passes a constant
    (0, 1, True)."""

    def decorate(func):
        dispatcher = njit(**CALLED_ONLY, **options)(func)
        dispatcher.one_signature = signature
        return dispatcher

    return decorate


def prepare(*helpers) -> None:
    """Compile (or load from the cache) these :func:`jit_once` helpers, once, for their one signature."""
    for helper in helpers:
        if helper._can_compile:
            helper.compile(helper.one_signature)
            helper.disable_compile()


__all__ = ["CALLED_ONLY", "intrinsic", "ir", "jit_once", "njit", "overload", "prepare", "types"]
