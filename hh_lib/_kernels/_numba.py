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

__all__ = ["intrinsic", "ir", "njit", "overload", "types"]
