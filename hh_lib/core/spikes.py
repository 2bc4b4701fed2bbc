"""Spike detection on sampled traces, shared by every model.

Two criteria:

* **Regenerative events** (the default of :func:`spike_times`, and of ``fi_curve``, ``rheobase``
  and ``spike_shape``): every action potential, with or without overshoot, and nothing else.
  A state machine walks along the trace, starting ARMED with the trough at the first value.
  ARMED: a new minimum becomes the trough (and the slope history restarts); otherwise the smallest
  slope dV/dt since the trough is tracked, and the upstroke counts as *accelerating* once the
  slope has risen by :data:`SPIKE_ACCEL` (1 mV/ms) above that minimum. When V reaches
  trough + :data:`SPIKE_RISE` (20 mV) a candidate spike is noted at that crossing (linearly
  interpolated) and the machine goes RISING, tracking the peak (and the slopes while V rises).
  When V has fallen by SPIKE_RISE below the peak, the candidate is a spike if its upstroke
  accelerated; the machine is ARMED again with the trough at that value. A candidate whose fall
  has not come by the end of the trace is a plateau, not a spike.
  The hysteresis of 20 mV ignores subthreshold ripples and damped oscillations; the acceleration
  test rejects a passive charging curve, which only decelerates (100 % TTX never "spikes");
  action potentials that peak below 0 mV (6.3 °C at 80 µA/cm², 30 % TTX) are counted. The
  criterion was checked over 0-40 °C, -20 to 250 µA/cm² and 0-100 % TTX/TEA.
  Slopes are those of the interval ending at each sample; the compiled F-I kernel runs the same
  machine on the exact dV/dt of its accepted steps.
* **Threshold crossings** (``threshold=<mV>``): every upward crossing of a fixed level, linearly
  interpolated, as NEURON's ``NetCon`` counts spikes. With 0 mV this misses spikes that do not
  overshoot and counts nothing else; the benchmarks use it to compare with NEURON.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kernels.spikes import regenerative_times
from . import validation as check

#: Hysteresis of the regenerative-event criterion (mV): rise above the trough that makes a
#: candidate spike, and fall below the peak that confirms it.
SPIKE_RISE = 20.0

#: Acceleration of the upstroke that makes a candidate regenerative (mV/ms): the slope must
#: rise by this much above its smallest value since the trough.
SPIKE_ACCEL = 1.0


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
    """Spike times (ms) in a sampled trace.

    By default the times of the regenerative events (see the module docstring): the moment each
    action potential's upstroke reaches 20 mV above the preceding trough, whatever its peak.
    With ``threshold`` (mV), the upward crossings of that fixed level instead (NEURON's
    convention with 0 mV; spikes that peak below it are then missed).

    Parameters
    ----------
    t : (n_time,) array
        Strictly increasing sample times (ms).
    V : (n_time,) or (n_traces, n_time) array
        Membrane potential (mV).
    threshold : float, optional
        Detection level (mV) for plain upward crossings; None (default) for regenerative events.

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
        out = [regenerative_times(t, np.ascontiguousarray(row), SPIKE_RISE, SPIKE_ACCEL) for row in rows]
    else:
        out = [upward_crossings(t, row, threshold) for row in rows]
    return out[0] if V.ndim == 1 else out


def upward_crossings(t: NDArray[np.float64], V: NDArray[np.float64], level: float) -> NDArray[np.float64]:
    """Times at which V (checked 1-D array) crosses ``level`` upwards, linearly interpolated."""
    i = np.flatnonzero((V[:-1] < level) & (V[1:] >= level))
    frac = (level - V[i]) / (V[i + 1] - V[i])
    return t[i] + frac * (t[i + 1] - t[i])
