"""The time grid and the injected current shared by every model.

The simulators integrate on a uniform grid and hold the current constant over each
grid interval. :func:`time_grid` makes the grid; :func:`current_table` turns the
user's current (a number, a 1-D batch of amplitudes, or a callable I(t)) into the
per-interval table and :func:`expand_currents` back into one value per sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import validation as check

#: What the simulators accept as an injected current.
Current = Union[float, ArrayLike, Callable[[Any], Any]]

#: Longest grid accepted (samples): beyond this a call would exhaust memory.
MAX_SAMPLES = 50_000_000


@dataclass(frozen=True)
class Trace:
    """Base of the simulation results of every model driven by an injected current."""

    #: Sample times (ms), an ``(n_time,)`` array.
    t: NDArray[np.float64]
    #: Injected current at each sample, held until the next one; shaped like the state arrays of the
    #: result: ``(n_time,)`` for one current, ``(n_amplitudes, n_time)`` for a batch.
    I_ext: NDArray[np.float64]


def time_grid(duration: float, dt: float, *, unit: str = "ms") -> NDArray[np.float64]:
    """The sample times 0, dt, 2·dt, ... up to ``duration`` inclusive when it is a multiple of dt (ms)."""
    duration = check.positive_scalar("duration", duration, unit=unit)
    dt = check.positive_scalar("dt", dt, unit=unit)
    if dt >= duration:
        raise ValueError(f"dt must be smaller than duration, got dt={dt:g} >= duration={duration:g} ({unit})")
    n_steps = int(np.floor(duration / dt + 1e-9))
    if n_steps > MAX_SAMPLES:
        raise ValueError(
            f"duration/dt = {duration / dt:.3g} samples is too many; use a larger dt ({unit}) or a shorter duration"
        )
    return dt * np.arange(n_steps + 1)


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
