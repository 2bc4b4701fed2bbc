"""Spike detection on sampled traces, shared by every model.

The course's definition of an action potential is physiological: an event whose upstroke is carried
by the membrane's own Na⁺ current (positive feedback), not by injected current alone. Where the
model's state is known, :mod:`hh_lib.core.state_rule` applies it directly (the **state rule**: the largest
g_Na/(g_K + g_L) in the event reaches ``SPIKE_NA_RATIO`` = 0.5). Here, on a bare voltage trace:

* **Events.** A state machine walks along the trace, ARMED with the trough at the first value. A new
  minimum moves the trough. V reaching trough + :data:`SPIKE_RISE` (20 mV) opens an event; the peak
  is tracked until V has fallen :data:`SPIKE_RISE` below it, which closes the event. An event still
  open at the end of the trace (a plateau) is not counted. The 20-mV hysteresis ignores ripples.
* **Voltage rule** (the default of :func:`spike_times`): a closed event is an action potential when
  its upstroke *accelerated* (dV/dt rose by :data:`SPIKE_ACCEL` = 1 mV/ms above its smallest value
  since the trough, while V rose: a passive charging curve only decelerates) and its amplitude,
  peak - trough, is at least :data:`SPIKE_AMPLITUDE` (35 mV: along the limit cycle that shrinks
  at large constant currents, where g_Na/(g_K+g_L) reaches 0.5). It agrees with the state rule for
  constant currents (but within about 1 µA/cm² of where that cycle crosses the two lines), pulses up
  to 40 µA/cm², clear passive responses and anode break; it cannot tell a strong brief pulse
  (hundreds of µA/cm² in the refractory period) that only charges the membrane from a spike:
  use ``HHResult.spike_times`` there.
* **The time of a spike is its peak**: the vertex of the parabola through the highest sample and its
  two neighbours (on a trace with the model's state: the cubic Hermite interpolant with the exact
  dV/dt, :mod:`hh_lib.core.state_rule`).
* **Threshold crossings** (``threshold=<mV>``): every upward crossing of a fixed level, linearly
  interpolated, as NEURON's ``NetCon`` counts spikes; the time is the crossing. With 0 mV this
  misses spikes that do not overshoot; the benchmarks use it to compare with NEURON.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kernels.spikes import trace_events
from . import validation as check

#: Hysteresis of an event (mV): the rise above the trough that opens it and the fall below the
#: peak that closes it.
SPIKE_RISE = 20.0

#: Voltage rule: acceleration of the upstroke (mV/ms) — the slope must rise by this much above
#: its smallest value since the trough.
SPIKE_ACCEL = 1.0

#: Voltage rule: smallest amplitude (peak - trough, mV) of an action potential.
SPIKE_AMPLITUDE = 35.0

_NONE = np.empty(0)


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


def spike_times(
    t: ArrayLike, V: ArrayLike, threshold: float | None = None
) -> NDArray[np.float64] | list[NDArray[np.float64]]:
    """Spike times (ms) in a sampled voltage trace.

    By default the peaks of the action potentials by the voltage rule (see the module docstring):
    events of 20 mV whose upstroke accelerated and whose amplitude is at least 35 mV, whatever
    their peak; each dated at its peak (the parabola through the highest sample and its
    neighbours). For a simulated HH membrane prefer ``res.spike_times``, which classifies by the
    Na⁺ conductance. With ``threshold`` (mV), the upward crossings of that fixed level instead
    (NEURON's convention with 0 mV; spikes that peak below it are then missed).

    Parameters
    ----------
    t : (n_time,) array
        Strictly increasing sample times (ms).
    V : (n_time,) or (n_traces, n_time) array
        Membrane potential (mV).
    threshold : float, optional
        Detection level (mV) for plain upward crossings; None (default) for the voltage rule.

    Returns
    -------
    ndarray, or a list of ndarrays (one per trace) for 2-D V.
    """
    t = check.real_array("t", t, unit="ms", ndim=1)
    V = check.real_array("V", V, unit="mV")
    if threshold is not None:
        threshold = check.finite_scalar("threshold", threshold, unit="mV")
    if V.ndim not in (1, 2) or V.shape[-1] != t.size:
        raise ValueError(f"V must have shape ({t.size},) or (n_traces, {t.size}) to match t; got {V.shape}")
    if t.size > 1 and np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing (ms)")
    rows = [V] if V.ndim == 1 else list(V)
    if threshold is None:
        out = [_voltage_rule(t, np.ascontiguousarray(row)) for row in rows]
    else:
        out = [upward_crossings(t, row, threshold) for row in rows]
    return out[0] if V.ndim == 1 else out


def _voltage_rule(t: NDArray[np.float64], V: NDArray[np.float64]) -> NDArray[np.float64]:
    events = trace_events(t, V, _NONE, _NONE, _NONE, SPIKE_RISE, SPIKE_ACCEL, SPIKE_AMPLITUDE, np.nan)
    return events[events[:, 4] > 0.0, 0].copy()


def voltage_swing(t: ArrayLike, V: ArrayLike, t_from: float = 0.0) -> float:
    """Peak-to-peak amplitude (mV) of V over ``t >= t_from`` (ms): the size of an oscillation, to
    show beside a spike count (a small oscillation is not an action potential)."""
    t = check.real_array("t", t, unit="ms", ndim=1)
    V = check.real_array("V", V, unit="mV", ndim=1)
    t_from = check.finite_scalar("t_from", t_from, unit="ms")
    if V.size != t.size:
        raise ValueError(f"V must have shape ({t.size},) to match t; got {V.shape}")
    tail = V[t >= t_from]
    if tail.size == 0:
        raise ValueError(f"t_from = {t_from:g} ms is after the end of the trace ({t[-1]:g} ms)")
    return float(tail.max() - tail.min())


def upward_crossings(t: NDArray[np.float64], V: NDArray[np.float64], level: float) -> NDArray[np.float64]:
    """Times at which V (checked 1-D array) crosses ``level`` upwards, linearly interpolated."""
    i = np.flatnonzero((V[:-1] < level) & (V[1:] >= level))
    frac = (level - V[i]) / (V[i + 1] - V[i])
    return t[i] + frac * (t[i + 1] - t[i])
