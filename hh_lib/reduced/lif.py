"""The leaky integrate-and-fire (LIF) neuron, integrated exactly.

Unit system (per cm² of membrane, the same as the Hodgkin-Huxley part of hh_lib)
---------------------------------------------------------------------------------
* time in ms, potentials in mV, injected current density ``I`` in µA/cm²;
* membrane time constant ``tau_m = C_m / g_L`` in ms;
* specific membrane resistance ``R_m = 1 / g_L`` in kΩ·cm², so that
  ``R_m · I`` is in mV (kΩ·cm² × µA/cm² = mV).

The defaults, ``tau_m = 10 ms`` and ``R_m = 10 kΩ·cm²``, correspond to
``C_m = 1 µF/cm²`` and ``g_L = 0.1 mS/cm²``. The membrane equation is

    tau_m dV/dt = -(V - V_rest) + R_m I(t).

When V reaches ``V_th`` a spike is emitted, V is set to ``V_reset`` and held
there for the absolute refractory period ``t_ref``.

Integration
-----------
Between grid points the injected current is constant (a number, or a callable
sampled at each grid time and held until the next one), so the linear ODE has
the exact solution

    V(t0 + s) = V_inf + (V(t0) - V_inf) · exp(-s / tau_m),   V_inf = V_rest + R_m I.

:func:`simulate_lif` uses it for every step, solves it for the exact threshold
crossing time inside a step, and ends the refractory period inside a step when
it falls there. Spike times are therefore exact (to rounding) whatever ``dt``
is, and the simulated firing rate equals the closed form of :func:`lif_rate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kernels._numba import njit
from ..core import validation as check
from ..core.grid import Current, Trace, current_table, expand_currents, time_grid
from ..core.params import FrozenParameters
from ..core.spikes import SpikeTrains

__all__ = ["LIFParameters", "LIFResult", "lif_fi_curve", "lif_rate", "simulate_lif"]

#: Potentials (mV) accepted for V_rest, V_th, V_reset and V0.
V_RANGE = (-200.0, 200.0)


class LIFParameters(FrozenParameters):
    """Parameters of the leaky integrate-and-fire neuron (per cm² of membrane).

    Attributes
    ----------
    tau_m : float
        Membrane time constant C_m/g_L (ms), > 0. Default 10 ms.
    R_m : float
        Specific membrane resistance 1/g_L (kΩ·cm²), > 0. Default 10 kΩ·cm²
        (g_L = 0.1 mS/cm²); R_m·I is in mV for I in µA/cm².
    V_rest : float
        Resting (leak reversal) potential (mV), < V_th. Default -65 mV.
    V_th : float
        Spike threshold (mV). Default -50 mV.
    V_reset : float
        Potential after a spike (mV), < V_th. Default -65 mV.
    t_ref : float
        Absolute refractory period (ms), >= 0. Default 2 ms.
    """

    tau_m: float = 10.0
    R_m: float = 10.0
    V_rest: float = -65.0
    V_th: float = -50.0
    V_reset: float = -65.0
    t_ref: float = 2.0

    _RULES = {
        "tau_m": ("positive", "ms"),
        "R_m": ("positive", "kΩ·cm²"),
        "V_rest": (V_RANGE, "mV"),
        "V_th": (V_RANGE, "mV"),
        "V_reset": (V_RANGE, "mV"),
        "t_ref": ("nonnegative", "ms"),
    }
    #: Packed for the compiled kernel: tau_m, R_m, V_rest, V_th, V_reset, t_ref.
    _PACKED = ("tau_m", "R_m", "V_rest", "V_th", "V_reset", "t_ref")

    def _check(self) -> None:
        if not self.V_reset < self.V_th:
            raise ValueError(f"V_reset must be < V_th, got V_reset={self.V_reset:g} mV >= V_th={self.V_th:g} mV")
        if not self.V_rest < self.V_th:
            raise ValueError(
                f"V_rest must be < V_th (a resting membrane does not fire), "
                f"got V_rest={self.V_rest:g} mV >= V_th={self.V_th:g} mV"
            )

    @property
    def C_m(self) -> float:
        """Specific membrane capacitance tau_m/R_m (µF/cm²)."""
        return self.tau_m / self.R_m

    @property
    def g_L(self) -> float:
        """Leak conductance 1/R_m (mS/cm²)."""
        return 1.0 / self.R_m

    @property
    def rheobase(self) -> float:
        """Smallest constant current that eventually fires, (V_th - V_rest)/R_m (µA/cm²).

        At exactly this current V approaches V_th only asymptotically, so the
        neuron fires for any I strictly above it and never at or below it.
        """
        return (self.V_th - self.V_rest) / self.R_m


@dataclass(frozen=True)
class LIFResult(Trace, SpikeTrains):
    """A simulated LIF neuron (``t``, ``I_ext`` and the shapes: :class:`hh_lib.core.grid.Trace`).

    Attributes
    ----------
    V : array
        Membrane potential (mV) at the times t. The trace never reaches V_th:
        a crossing inside a step resets V at once, so spikes are listed in
        ``spike_times`` instead of being drawn in V.
    spike_times : array, or list of arrays for a batch
        Exact threshold-crossing times (ms).
    I_ext : array
        Injected current (µA/cm²), same shape as V (see :class:`hh_lib.core.grid.Trace`).
    params : LIFParameters
        The parameters used.
    """

    V: NDArray[np.float64]
    spike_times: NDArray[np.float64] | list[NDArray[np.float64]]
    params: LIFParameters


# --- Exact integration -------------------------------------------------------------------------


@njit(cache=True)
def _lif_kernel(V0, table, dt, n_steps, p, cap):
    """Exact LIF integration of a batch on the grid t = k·dt.

    Returns V (B, n_steps + 1), spike times (B, cap) and spike counts (B,);
    a count above ``cap`` means the buffer overflowed (the caller retries).
    """
    tau, R, V_rest, V_th, V_reset, t_ref = p[0], p[1], p[2], p[3], p[4], p[5]
    B = table.shape[0]
    constant = table.shape[1] == 1
    out = np.empty((B, n_steps + 1))
    spikes = np.empty((B, cap))
    counts = np.zeros(B, dtype=np.int64)
    for b in range(B):
        V = V0
        t_free = -1.0  # end of the current refractory period (ms)
        out[b, 0] = V
        n = 0
        for k in range(n_steps):
            I = table[b, 0] if constant else table[b, k]
            V_inf = V_rest + R * I
            t_end = (k + 1) * dt
            tc = k * dt  # time reached inside this step
            while True:
                if t_free >= t_end:  # refractory for the whole remainder of the step
                    V = V_reset
                    break
                if t_free > tc:  # refractory period ends inside the step
                    tc = t_free
                    V = V_reset
                r = t_end - tc
                V_end = V_inf + (V - V_inf) * math.exp(-r / tau)
                if V_end >= V_th and V_inf > V_th:
                    # Exact crossing: V_inf + (V - V_inf) e^{-s/tau} = V_th.
                    s = tau * math.log((V - V_inf) / (V_th - V_inf))
                    if s < 1e-12:  # rounding when V_reset is within ~1e-12 mV of V_th; keep time moving
                        s = 1e-12
                    if s > r:
                        s = r
                    t_spike = tc + s
                    if n < cap:
                        spikes[b, n] = t_spike
                    n += 1
                    V = V_reset
                    t_free = t_spike + t_ref
                    tc = t_spike
                    if t_ref == 0.0 and tc >= t_end:
                        break
                else:
                    V = V_end
                    break
            out[b, k + 1] = V
        counts[b] = n
    return out, spikes, counts


def simulate_lif(
    I_ext: Current, duration: float = 100.0, dt: float = 0.1, params: LIFParameters | None = None, V0: float | None = None
) -> LIFResult:
    """Simulate the leaky integrate-and-fire neuron under an injected current.

    The integration is exact for the piecewise-constant current (see the module
    docstring): ``dt`` only sets where V is sampled and how finely a callable
    current is resolved; spike times are exact threshold crossings, not grid points.

    Parameters
    ----------
    I_ext : float, 1-D array or callable
        Injected current density (µA/cm²). A number is applied from t = 0; a
        callable ``I(t)`` (t in ms) is sampled at each grid time and held over that
        interval; a 1-D array of amplitudes simulates that many neurons as one batch.
    duration : float
        Simulated time (ms), > 0.
    dt : float
        Grid spacing (ms), 0 < dt < duration.
    params : LIFParameters, optional
        Model parameters; the defaults (tau_m = 10 ms, R_m = 10 kΩ·cm²) when omitted.
    V0 : float, optional
        Initial potential (mV), < V_th; defaults to V_rest.

    Returns
    -------
    LIFResult
        ``t`` (ms), ``V`` (mV), ``spike_times`` (ms), ``I_ext`` (µA/cm²).
    """
    t = time_grid(duration, dt)
    p = LIFParameters.resolve(params)
    V0 = p.V_rest if V0 is None else check.scalar_in_range("V0", V0, *V_RANGE, unit="mV")
    if V0 >= p.V_th:
        raise ValueError(f"V0 must be below V_th={p.V_th:g} mV, got {V0:g} mV")
    table, batch = current_table(I_ext, t)
    n_steps = t.size - 1
    step = t[1] - t[0]
    cap = 64 + n_steps // 8
    while True:
        V, spikes, counts = _lif_kernel(V0, table, step, n_steps, p.as_array(), cap)
        if counts.max(initial=0) <= cap:
            break
        cap = int(counts.max())
    trains = [spikes[b, : counts[b]].copy() for b in range(counts.size)]
    currents = expand_currents(table, t.size)
    if not batch:
        return LIFResult(t=t, V=V[0], spike_times=trains[0], I_ext=currents[0], params=p)
    return LIFResult(t=t, V=V, spike_times=trains, I_ext=currents, params=p)


def lif_rate(I: ArrayLike, params: LIFParameters | None = None) -> float | NDArray[np.float64]:
    """Closed-form steady firing rate (Hz) of the LIF neuron under a constant current.

    With V_inf = V_rest + R_m·I, the time from V_reset to V_th is
    ``tau_m · ln((V_inf - V_reset) / (V_inf - V_th))``, so

        rate = 1000 / (t_ref + tau_m · ln((V_inf - V_reset) / (V_inf - V_th)))   (Hz, times in ms)

    for I above the rheobase (V_th - V_rest)/R_m and 0 at or below it. With
    V_reset = V_rest this is the textbook 1/(t_ref + tau ln(RI / (RI - (V_th - V_rest)))).

    Parameters
    ----------
    I : float or array
        Constant injected current density (µA/cm²), any shape.
    params : LIFParameters, optional

    Returns
    -------
    float for a scalar I, otherwise an array of rates (Hz) shaped like I.
    """
    arr = check.real_array("I", I, unit="µA/cm²")
    p = LIFParameters.resolve(params)
    V_inf = p.V_rest + p.R_m * arr
    above = V_inf > p.V_th
    with np.errstate(divide="ignore", invalid="ignore"):
        T = p.t_ref + p.tau_m * np.log((V_inf - p.V_reset) / (V_inf - p.V_th))
        rate = np.where(above, 1000.0 / T, 0.0)
    return float(rate) if rate.ndim == 0 else rate


def lif_fi_curve(
    currents: ArrayLike,
    duration: float = 1000.0,
    params: LIFParameters | None = None,
    *,
    dt: float = 0.1,
) -> NDArray[np.float64]:
    """Firing rate (Hz) for each constant current, measured by simulation (one batch).

    Each neuron starts at V_rest. The rate is ``(n - 1) / (t_n - t_1)`` from the
    first to the last of its n spikes in ``[0, duration]`` (the inverse mean
    inter-spike interval), which for a constant current is the steady rate with
    no counting-window error; fewer than 2 spikes give 0 Hz. Because
    :func:`simulate_lif` locates crossings exactly, the result equals
    :func:`lif_rate` to rounding as long as at least two spikes fit in ``duration``.

    Parameters
    ----------
    currents : float or 1-D array
        Injected current densities (µA/cm²).
    duration : float
        Simulated time per current (ms), > 0.
    params : LIFParameters, optional
    dt : float
        Sampling step (ms); does not affect the spike times.

    Returns
    -------
    float for a scalar current, otherwise a 1-D array of rates (Hz).
    """
    I = check.real_array("currents", currents, unit="µA/cm²")
    if I.ndim > 1:
        raise ValueError(f"currents must be a number or a 1-D array (µA/cm²); got shape {I.shape}")
    if I.ndim == 1 and I.size == 0:
        raise ValueError("currents must contain at least one current (µA/cm²)")
    res = simulate_lif(np.atleast_1d(I), duration=duration, dt=dt, params=params)
    rates = np.zeros(len(res.spike_times))
    for i, s in enumerate(res.spike_times):
        if s.size >= 2:
            rates[i] = 1000.0 * (s.size - 1) / (s[-1] - s[0])
    return rates if I.ndim == 1 else float(rates[0])
