"""Injected currents for every model: a number, a 1-D batch of amplitudes, or a callable I(t).

The simulators integrate on a uniform grid and hold the current constant over each
grid interval; these helpers turn the user's input into that per-interval table.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray

from . import _validation as check

def current_table(
    I_ext: Any, t: NDArray[np.float64], *, name: str = "I_ext", unit: str = "µA/cm²"
) -> tuple[NDArray[np.float64], bool]:
    """Currents per grid interval: a (B, 1) or (1, n_steps) table, and whether I_ext was a batch.

    ``I_ext`` is a number (constant), a 1-D array of amplitudes (a batch of constant
    currents) or a callable ``I(t)`` sampled at the left end of every interval.
    """
    if callable(I_ext):
        return sample_callable(I_ext, t[:-1], name=name, unit=unit)[np.newaxis, :], False
    arr = check.real_array(name, I_ext, unit=unit)
    if arr.ndim == 0:
        return arr.reshape(1, 1), False
    if arr.ndim == 1:
        if arr.size == 0:
            raise ValueError(f"{name} must contain at least one current amplitude (in {unit})")
        return arr.reshape(-1, 1), True
    raise ValueError(
        f"{name} must be a number, a 1-D array of amplitudes or a callable I(t); got an array of shape {arr.shape}"
    )


def sample_callable(func: Callable[[Any], Any], t: NDArray[np.float64], *, name: str, unit: str) -> NDArray[np.float64]:
    """Evaluate I(t) at the grid times, vectorised when the callable allows it."""
    label = f"{name}(t)"
    try:
        with np.errstate(all="ignore"):
            raw = func(t)
    except (TypeError, ValueError):  # written for scalars only, e.g. `10 if t > 5 else 0`
        raw = None
    if raw is not None:
        values = check.real_array(label, raw, unit=unit)
        if values.ndim == 0:
            return np.full(t.shape, float(values))
        if values.shape == t.shape:
            return values
        raise ValueError(
            f"{label} must return a number, or an array shaped like t {t.shape} when t is an array; "
            f"got shape {values.shape}"
        )
    values = np.empty(t.shape)
    for i, ti in enumerate(t):
        v = check.real_array(label, func(float(ti)), unit=unit)
        if v.ndim != 0:
            raise ValueError(f"{label} must return a single number for a scalar t; got shape {v.shape} at t={ti:g}")
        values[i] = v
    return values


def expand_currents(table: NDArray[np.float64], n_time: int) -> NDArray[np.float64]:
    """The (B, n_time) current at every grid time (the last interval's value repeated at the end)."""
    if table.shape[1] == 1:
        return np.repeat(table, n_time, axis=1)
    return np.concatenate([table, table[:, -1:]], axis=1)
