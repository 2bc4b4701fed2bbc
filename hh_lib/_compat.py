"""The compiled-kernel dependency (numba), imported in one place with a clear error."""

from __future__ import annotations

try:
    from numba import njit, prange, vectorize
except ImportError as exc:  # pragma: no cover - exercised only where numba is missing
    raise ImportError(
        "hh_lib needs numba (compiled integrators) and could not import it: "
        f"{exc}.\nInstall it with `pip install numba` (wheels exist for Linux, macOS, "
        "Windows and Google Colab); if pip cannot find a wheel for your Python, use "
        "Python 3.10-3.13 or `conda install numba`."
    ) from exc

__all__ = ["njit", "prange", "vectorize"]
