"""Argument checks shared by every public function.

Each helper raises a ``TypeError`` (wrong kind of value) or ``ValueError``
(right kind, wrong value) whose message names the argument and the allowed
range, so that a student sees what to fix instead of a silent NaN.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray


def real_scalar(name: str, value: Any, *, unit: str = "") -> float:
    """Return ``value`` as a float, or raise ``TypeError`` if it is not a real number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise TypeError(
                f"{name} must be a real number{_in(unit)}, got {type(value).__name__} {value!r}"
            )
    return float(value)


def finite_scalar(name: str, value: Any, *, unit: str = "") -> float:
    """A real, finite number."""
    x = real_scalar(name, value, unit=unit)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be a finite number{_in(unit)}, got {x}")
    return x


def positive_scalar(name: str, value: Any, *, unit: str = "") -> float:
    """A real, finite number > 0."""
    x = finite_scalar(name, value, unit=unit)
    if x <= 0.0:
        raise ValueError(f"{name} must be > 0{_in(unit)}, got {x}")
    return x


def nonnegative_scalar(name: str, value: Any, *, unit: str = "") -> float:
    """A real, finite number >= 0."""
    x = finite_scalar(name, value, unit=unit)
    if x < 0.0:
        raise ValueError(f"{name} must be >= 0{_in(unit)}, got {x}")
    return x


def scalar_in_range(name: str, value: Any, lo: float, hi: float, *, unit: str = "") -> float:
    """A real, finite number in the closed interval [lo, hi]."""
    x = finite_scalar(name, value, unit=unit)
    if not lo <= x <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}]{_in(unit)}, got {x:g}")
    return x


def real_array(name: str, value: Any, *, unit: str = "", ndim: int | None = None) -> NDArray[np.float64]:
    """Convert to a float64 array; reject non-numeric input, NaN/inf and the wrong rank."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric{_in(unit)}, got {type(value).__name__} {value!r}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, exotic objects
        raise TypeError(f"{name} must be a number or an array of numbers{_in(unit)}: {exc}") from None
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be numeric{_in(unit)}, got an array of dtype {arr.dtype} "
            f"from {type(value).__name__}"
        )
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got an array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf){_in(unit)}")
    return arr


def choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """One of a fixed set of strings."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def _in(unit: str) -> str:
    return f" (in {unit})" if unit else ""
