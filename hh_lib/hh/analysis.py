"""Firing of the HH membrane: the F-I curve, the rheobase and the shape of a spike."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..core import validation as check
from ..core.membrane import FI_ATOL, FI_MAX_STEP, FI_RTOL, firing_rates
from ..core.spikes import spike_times
from .equations import KERNEL
from .excitability import half_amplitude_width
from .parameters import HHParameters
from .rates import steady_state

__all__ = ["FI_ATOL", "FI_MAX_STEP", "FI_RTOL", "SpikeShape", "fi_curve", "rheobase", "spike_shape"]


def fi_curve(currents: ArrayLike, duration: float = 1000.0, transient: float = 200.0,
             params: HHParameters | None = None, *, threshold: float | None = None, V0: float = -65.0,
             rtol: float = FI_RTOL, atol: float = FI_ATOL) -> NDArray[np.float64]:
    """Sustained firing rate (Hz) for each constant current, all simulated as one batch.

    Each membrane starts at rest (V0, gates at steady state) and receives a constant
    current from t = 0; spikes are counted in ``[transient, duration)`` ms and divided by
    that window's length. By default a spike is an action potential by the course's definition
    (the state rule of :mod:`hh_lib.core.state_rule`: an event of 20 mV in which g_Na/(g_K+g_L)
    rises by 0.5 from the trough, with or without overshoot; small oscillations are not counted), dated at its
    peak; an event that peaks in the window and falls after it is still counted. With ``threshold`` (mV) the upward crossings of that level are counted
    instead: ``threshold=0.0`` is NEURON's convention, which misses spikes that peak below
    0 mV (e.g. at 6.3 °C above about 60 µA/cm², or with TTX) and reads them as silence.

    Parameters
    ----------
    currents : float or 1-D array
        Injected current densities (µA/cm²).
    duration : float
        Simulated time per current (ms), > transient.
    transient : float
        Initial period excluded from the count (ms), >= 0.
    params : HHParameters, optional
        Model parameters; defaults to the squid axon at 6.3 °C.
    threshold : float, optional
        Detection level (mV) for plain upward crossings; None (default): action potentials.
    V0 : float
        Initial membrane potential (mV); the gates start at their steady state at V0.
    rtol, atol : float
        Tolerances of the adaptive Dormand-Prince integrator (see :data:`FI_RTOL`).

    Returns
    -------
    ndarray, or a float for a scalar current
        Firing rate (Hz) for each current.
    """
    V0 = check.scalar_in_range("V0", V0, -200.0, 200.0, unit="mV")
    p = HHParameters.resolve(params)
    return firing_rates(KERNEL, p.as_array(), [V0, *steady_state(V0)], currents, duration, transient, threshold,
                        rtol, atol)


def rheobase(params: HHParameters | None = None, *, low: float = 0.0, high: float = 50.0, tol: float = 0.01,
             duration: float = 1000.0, transient: float = 200.0, threshold: float | None = None) -> float:
    """Smallest constant current (µA/cm²) giving sustained firing, by bisection on the F-I curve.

    Firing is counted as in :func:`fi_curve` (action potentials by default, upward crossings
    of ``threshold`` mV if given). Returns the upper end of the final bracket (within ``tol``
    µA/cm² of the onset). Raises ``ValueError`` if ``high`` does not produce sustained firing or
    ``low`` does.
    """
    low = check.finite_scalar("low", low, unit="µA/cm²")
    high = check.finite_scalar("high", high, unit="µA/cm²")
    tol = check.scalar_in_range("tol", tol, 1e-9, 10.0, unit="µA/cm²")
    if not low < high:
        raise ValueError(f"low must be < high, got low={low:g}, high={high:g} µA/cm²")
    f_low, f_high = fi_curve([low, high], duration, transient, params, threshold=threshold)
    if f_low > 0:
        raise ValueError(f"the membrane already fires at low={low:g} µA/cm²; lower it")
    if f_high == 0:
        raise ValueError(f"no sustained firing at high={high:g} µA/cm²; raise it")
    while high - low > tol:
        # Probe 8 currents per round: one batch uses both cores and shrinks the bracket 9x.
        probes = np.linspace(low, high, 10)[1:-1]
        rates = fi_curve(probes, duration, transient, params, threshold=threshold)
        firing = np.flatnonzero(rates > 0)
        i = firing[0] if firing.size else probes.size
        low = probes[i - 1] if i > 0 else low
        high = probes[i] if i < probes.size else high
    return float(high)


@dataclass(frozen=True)
class SpikeShape:
    """Shape of the first action potential in a trace.

    Attributes
    ----------
    latency : float
        Time of the spike (ms): its peak (voltage rule of :func:`hh_lib.spike_times`); with a
        threshold, its first upward crossing.
    peak : float
        Maximum V of that spike (mV).
    width : float
        Duration (ms) of the spike: by default the half-amplitude width (time
        above the level halfway between the lowest V before the peak and the peak); with a
        threshold, the time spent above it.
    trough : float
        Minimum V after the spike, the afterhyperpolarisation (mV), up to the next spike.
    """

    latency: float
    peak: float
    width: float
    trough: float


def spike_shape(t: ArrayLike, V: ArrayLike, threshold: float | None = None) -> SpikeShape | None:
    """Latency, peak, width and trough (mV, ms) of the first spike, or ``None`` without one.

    By default the first action potential by the voltage rule (see :func:`hh_lib.spike_times`) and its
    half-amplitude width and peak (:func:`hh_lib.half_amplitude_width`; ``None`` if V does not
    come back below the half-amplitude level within the trace, e.g. a spike that ends on a plateau); with ``threshold`` (mV) the first upward
    crossing of that level and the time spent above it (``None`` if V does not come back below
    it within the trace).
    """
    t = check.real_array("t", t, unit="ms", ndim=1)
    V = check.real_array("V", V, unit="mV", ndim=1)
    up = spike_times(t, V, threshold)
    if len(up) == 0:
        return None
    nxt = up[1] if len(up) > 1 else t[-1]
    if threshold is None:
        width, peak = half_amplitude_width(t, V)
        if not np.isfinite(width):
            return None  # V does not come back below the half-amplitude level within the trace
        return SpikeShape(latency=float(up[0]), peak=peak, width=width,
                          trough=float(V[(t >= up[0]) & (t <= nxt)].min()))
    down = spike_times(t, -V, -threshold)
    down = down[down > up[0]]
    if down.size == 0:
        return None  # the spike does not come back down within the trace
    latency, fall = float(up[0]), float(down[0])
    after = (t >= latency) & (t <= fall)
    return SpikeShape(
        latency=latency,
        peak=float(V[after].max()) if after.any() else float(threshold),
        width=fall - latency,
        trough=float(V[(t >= fall) & (t <= nxt)].min()),
    )
