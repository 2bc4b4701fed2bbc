"""Spike detection on sampled traces, shared by every model."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import validation as check


class SpikeTrains:
    """Mixin of the results that carry exact spike times, ``spike_times`` (an array, or a list
    of arrays for a batch): the LIF and Izhikevich neurons."""

    spike_times: NDArray[np.float64] | list[NDArray[np.float64]]

    @property
    def spike_count(self) -> int | NDArray[np.int64]:
        """Number of spikes (an int, or one per trace for a batch)."""
        if isinstance(self.spike_times, list):
            return np.array([s.size for s in self.spike_times], dtype=np.int64)
        return int(self.spike_times.size)


def spike_times(t: ArrayLike, V: ArrayLike, threshold: float = 0.0) -> NDArray[np.float64] | list[NDArray[np.float64]]:
    """Times (ms) at which V crosses ``threshold`` (mV) upwards, linearly interpolated.

    Parameters
    ----------
    t : (n_time,) array
        Strictly increasing sample times (ms).
    V : (n_time,) or (n_traces, n_time) array
        Membrane potential (mV).
    threshold : float
        Detection level (mV).

    Returns
    -------
    ndarray, or a list of ndarrays (one per trace) for 2-D V.
    """
    t = check.real_array("t", t, unit="ms", ndim=1)
    V = check.real_array("V", V, unit="mV")
    threshold = check.finite_scalar("threshold", threshold, unit="mV")
    if V.ndim not in (1, 2) or V.shape[-1] != t.size:
        raise ValueError(f"V must have shape ({t.size},) or (n_traces, {t.size}) to match t; got {V.shape}")
    if t.size > 1 and np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing (ms)")
    if V.ndim == 2:
        return [upward_crossings(t, row, threshold) for row in V]
    return upward_crossings(t, V, threshold)


def upward_crossings(t: NDArray[np.float64], V: NDArray[np.float64], level: float) -> NDArray[np.float64]:
    """Times at which V (checked 1-D array) crosses ``level`` upwards, linearly interpolated."""
    i = np.flatnonzero((V[:-1] < level) & (V[1:] >= level))
    frac = (level - V[i]) / (V[i + 1] - V[i])
    return t[i] + frac * (t[i + 1] - t[i])
