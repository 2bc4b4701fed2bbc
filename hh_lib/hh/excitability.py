"""Excitability of the HH membrane: stability of rest, the Hopf point, refractoriness, hysteresis.

* :func:`resting_state`, :func:`jacobian`, :func:`equilibrium_eigenvalues` and :func:`hopf_current`:
  linear stability of the equilibrium under a constant current. The Jacobian of
  :func:`hh_lib.hh.equations.hh_rhs` is taken by complex-step differentiation (exact to rounding, no
  step-size trade-off), so the equations are not written a second time.
* :func:`two_pulse_run`, :func:`second_spike`, :func:`refractory_curve`, :func:`pulse_threshold`:
  the two-pulse protocol.
* :func:`slow_passage_current`: where a slow ramp leaves rest without noise (way-in/way-out).
* :func:`current_ramp`: an up-and-down current ramp (hysteresis of type II excitability).

Spikes: ``threshold=None`` (default) counts action potentials by the course's definition, with the
model's state (``HHResult.spike_times``, :mod:`hh_lib.core.state_rule`); a number counts upward crossings
of that level (mV) with :func:`hh_lib.spike_times`.
Units: mV, ms, µA/cm², mS/cm², 1/ms for eigenvalues.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..core import validation as check
from ..core.spikes import spike_times
from .equations import equilibrium_potential, hh_rhs
from .parameters import HHParameters
from .rates import steady_state
from .simulation import HHResult, simulate

__all__ = [
    "RampResponse",
    "RefractoryCurve",
    "current_ramp",
    "equilibrium_eigenvalues",
    "half_amplitude_width",
    "hopf_current",
    "jacobian",
    "pulse_threshold",
    "refractory_curve",
    "resting_state",
    "second_spike",
    "slow_passage_current",
    "two_pulse_run",
]

_COMPLEX_STEP = 1e-30


# --- Stability of the equilibrium ------------------------------------------------------------


def resting_state(I_ext: float = 0.0, params: HHParameters | None = None) -> NDArray[np.float64]:
    """The equilibrium ``(V, m, h, n)`` under a constant current I_ext (µA/cm²): V in mV, gates at x∞(V)."""
    V = equilibrium_potential(I_ext, params, low=-100.0, high=50.0)
    return np.array([V, *steady_state(V)], dtype=float)


def jacobian(state: ArrayLike, I_ext: float = 0.0, params: HHParameters | None = None) -> NDArray[np.float64]:
    """The 4×4 Jacobian ∂(dV/dt, dm/dt, dh/dt, dn/dt)/∂(V, m, h, n) of the HH equations at ``state``.

    Row 0 is in (mV/ms) per unit of each variable, rows 1–3 in (1/ms) per unit; computed by
    complex-step differentiation of :func:`hh_lib.hh.equations.hh_rhs`.
    """
    y = check.real_array("state", state, ndim=1)
    if y.size != 4:
        raise ValueError(f"state must hold (V, m, h, n), got {y.size} values")
    I_ext = check.finite_scalar("I_ext", I_ext, unit="µA/cm²")
    p = tuple(HHParameters.resolve(params).as_array())
    J = np.empty((4, 4))
    for j in range(4):
        z = y.astype(complex)
        z[j] += 1j * _COMPLEX_STEP
        J[:, j] = np.imag(np.array(hh_rhs(*z, I_ext, p), dtype=complex)) / _COMPLEX_STEP
    return J


def equilibrium_eigenvalues(I_ext: float = 0.0, params: HHParameters | None = None) -> NDArray[np.complex128]:
    """Eigenvalues (1/ms) of the Jacobian at the equilibrium for current I_ext, largest real part first."""
    lam = np.linalg.eigvals(jacobian(resting_state(I_ext, params), I_ext, params))
    return lam[np.argsort(-lam.real, kind="stable")]


def hopf_current(params: HHParameters | None = None, low: float = 2.0, high: float = 30.0) -> float:
    """Current (µA/cm²) at which the equilibrium changes stability (a complex pair crosses Re λ = 0).

    Searches [low, high] µA/cm², which must bracket one change of sign of max Re λ. At 6.3 °C
    the rest state loses stability near 9.8 µA/cm² (the default bracket) and regains it near
    154 µA/cm² (e.g. ``low=100, high=200``).
    """
    from scipy.optimize import brentq  # imported here: scipy.optimize slows `import hh_lib`

    low = check.finite_scalar("low", low, unit="µA/cm²")
    high = check.finite_scalar("high", high, unit="µA/cm²")
    if not low < high:
        raise ValueError(f"low must be < high, got low={low:g}, high={high:g} µA/cm²")

    def growth(I: float) -> float:
        return float(equilibrium_eigenvalues(I, params)[0].real)

    g_low, g_high = growth(low), growth(high)
    if not g_low * g_high < 0.0:
        raise ValueError(
            f"[low, high] = [{low:g}, {high:g}] µA/cm² does not bracket a change of stability "
            f"(max Re λ = {g_low:.3g} and {g_high:.3g} 1/ms)"
        )
    return float(brentq(growth, low, high, xtol=1e-10))


def half_amplitude_width(t: ArrayLike, V: ArrayLike, threshold: float | None = None) -> tuple[float, float]:
    """(width in ms, peak in mV) of the first spike, the width taken at half its amplitude.

    The amplitude runs from the lowest V before the peak (since the start of the trace) to the
    peak; the width is the time between the up- and down-crossings of the half level
    (linearly interpolated). ``(nan, nan)`` if there is no spike or it does not come back down.
    """
    t = check.real_array("t", t, unit="ms", ndim=1)
    V = check.real_array("V", V, unit="mV", ndim=1)
    spikes = spike_times(t, V, threshold)
    if spikes.size == 0:
        return float("nan"), float("nan")
    i0 = max(int(np.searchsorted(t, spikes[0])) - 1, 0)  # the spike time is its (interpolated) peak
    end = int(np.searchsorted(t, spikes[1])) if spikes.size > 1 else t.size
    ipk = i0 + int(np.argmax(V[i0:end]))
    half = 0.5 * (V[ipk] + V[: ipk + 1].min())
    below_before = np.flatnonzero(V[:ipk] < half)
    below_after = np.flatnonzero(V[ipk:] < half)
    if below_before.size == 0 or below_after.size == 0:
        return float("nan"), float(V[ipk])
    a, b = below_before[-1], ipk + below_after[0]
    t_up = t[a] + (half - V[a]) / (V[a + 1] - V[a]) * (t[a + 1] - t[a])
    t_dn = t[b - 1] + (half - V[b - 1]) / (V[b] - V[b - 1]) * (t[b] - t[b - 1])
    return float(t_dn - t_up), float(V[ipk])


def _spikes(res: HHResult, threshold: float | None) -> NDArray[np.float64]:
    """Spike times (ms) of a simulation: its action potentials, or the crossings of ``threshold`` mV."""
    return res.spike_times if threshold is None else spike_times(res.t, res.V, threshold)


# --- Two-pulse protocol ------------------------------------------------------------------------


def second_spike(
    interval: float,
    amplitude: float,
    *,
    conditioning: float = 40.0,
    width: float = 0.5,
    params: HHParameters | None = None,
    threshold: float | None = None,
    onset: float = 5.0,
    after: float = 30.0,
    dt: float = 0.01,
) -> bool:
    """Whether a test pulse ``interval`` ms after a conditioning pulse evokes a second spike.

    Both pulses are square, ``width`` ms long; the conditioning pulse (µA/cm²) starts at ``onset``
    ms and must evoke a spike (else ``ValueError``); the test pulse has ``amplitude`` µA/cm² and
    starts ``interval`` ms (onset to onset) later. True when two action potentials peak from
    the conditioning onset to ``after`` ms past the test pulse (a test pulse that only charges
    the membrane is a passive response, not a spike: see :mod:`hh_lib.core.state_rule`).
    """
    interval = check.positive_scalar("interval", interval, unit="ms")
    conditioning = check.finite_scalar("conditioning", conditioning, unit="µA/cm²")
    res = two_pulse_run(interval, amplitude, conditioning=conditioning, width=width, onset=onset, after=after,
                        dt=dt, params=params)
    n_spikes = int(np.sum(_spikes(res, threshold) >= onset))
    if n_spikes == 0:
        raise ValueError(f"the conditioning pulse ({conditioning:g} µA/cm², {width:g} ms) evokes no spike; raise it")
    return n_spikes >= 2


@dataclass(frozen=True)
class RefractoryCurve:
    """Result of :func:`refractory_curve`.

    Attributes
    ----------
    amplitudes : (k,) array
        Test-pulse amplitudes (µA/cm²).
    min_interval : (k,) array
        Smallest pulse interval (ms, onset to onset) that gives a second spike; NaN if none up to
        ``max_interval``.
    resolution : float
        The intervals are exact to this many ms.
    """

    amplitudes: NDArray[np.float64]
    min_interval: NDArray[np.float64]
    resolution: float


def refractory_curve(
    amplitudes: ArrayLike,
    *,
    max_interval: float = 30.0,
    step: float = 0.5,
    tol: float = 0.02,
    **protocol,
) -> RefractoryCurve:
    """Smallest interval giving a second spike, for each test-pulse amplitude (two-pulse protocol).

    Intervals are scanned from ``step`` to ``max_interval`` ms in steps of ``step``; the first
    success is refined by bisection to ``tol`` ms. ``protocol`` goes to :func:`second_spike`
    (``conditioning``, ``width``, ``params``, ``threshold``, ...).
    """
    A = check.real_array("amplitudes", amplitudes, unit="µA/cm²", ndim=1)
    max_interval = check.positive_scalar("max_interval", max_interval, unit="ms")
    step = check.positive_scalar("step", step, unit="ms")
    tol = check.positive_scalar("tol", tol, unit="ms")
    second_spike(max_interval, 0.0, **protocol)  # raises if the conditioning pulse alone does not fire
    out = np.full(A.shape, np.nan)
    grid = np.arange(step, max_interval + 1e-9, step)
    for k, a in enumerate(A):
        hit = next((i for i, d in enumerate(grid) if second_spike(d, a, **protocol)), None)
        if hit is None:
            continue
        lo, hi = (grid[hit - 1] if hit > 0 else 0.0), grid[hit]
        while hi - lo > tol:
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if second_spike(mid, a, **protocol) else (mid, hi)
        out[k] = hi
    return RefractoryCurve(amplitudes=A, min_interval=out, resolution=tol)


# --- Up-and-down current ramp ------------------------------------------------------------------


@dataclass(frozen=True)
class RampResponse:
    """Result of :func:`current_ramp`.

    Attributes
    ----------
    result : HHResult
        The simulation (``result.I_ext`` is the ramp, µA/cm²).
    spikes : array
        Spike times (ms).
    I_on : float
        Current (µA/cm²) at the first spike on the way up (NaN if none).
    I_off : float
        Current (µA/cm²) at the last spike on the way down (NaN if none).
    """

    result: HHResult
    spikes: NDArray[np.float64]
    I_on: float
    I_off: float


def current_ramp(
    I_max: float = 14.0,
    ramp_time: float = 2000.0,
    *,
    params: HHParameters | None = None,
    threshold: float | None = None,
    dt: float = 0.02,
) -> RampResponse:
    """A triangular current ramp 0 → I_max → 0 (µA/cm²), ``ramp_time`` ms each way, from rest.

    A membrane with type II excitability starts firing on the way up at a larger current than
    the one at which it stops on the way down (hysteresis: rest and repetitive firing coexist).
    """
    I_max = check.positive_scalar("I_max", I_max, unit="µA/cm²")
    ramp_time = check.positive_scalar("ramp_time", ramp_time, unit="ms")

    def ramp(t):
        return I_max * (1.0 - np.abs(np.asarray(t) - ramp_time) / ramp_time)

    res = simulate(ramp, 2.0 * ramp_time, dt, params)
    spikes = _spikes(res, threshold)
    up, down = spikes[spikes < ramp_time], spikes[spikes >= ramp_time]
    I_on = float(ramp(up[0])) if up.size else float("nan")
    I_off = float(ramp(down[-1])) if down.size else float("nan")
    return RampResponse(result=res, spikes=spikes, I_on=I_on, I_off=I_off)


# --- Slow passage through the Hopf point ----------------------------------------------------


def slow_passage_current(I_start: float = 0.0, params: HHParameters | None = None, I_max: float = 60.0) -> float:
    """Noise-free estimate (µA/cm²) of where a slow linear ramp from ``I_start`` leaves rest.

    While the current rises slowly the state follows the equilibrium, and a small deviation
    decays at the rate max Re λ(I) (1/ms) below the Hopf point and grows above it. Without noise
    and rounding, the deviation is back to its starting size, and firing begins, where the total
    growth vanishes (the way-in/way-out integral):

        ∫_{I_start}^{I_exit} max Re λ(I) dI = 0   (for a constant ramp rate).

    In a real computation rounding errors (or noise) re-seed the deviation, so the observed onset
    lies between :func:`hopf_current` and this estimate and depends on the arithmetic.
    Searches (Hopf point, ``I_max``]; ``ValueError`` if the integral does not return to 0 there.
    """
    from scipy.integrate import quad  # imported here, as in hopf_current
    from scipy.optimize import brentq

    I_start = check.finite_scalar("I_start", I_start, unit="µA/cm²")
    I_max = check.finite_scalar("I_max", I_max, unit="µA/cm²")
    I_h = hopf_current(params)
    if not I_start < I_h < I_max:
        raise ValueError(f"need I_start < Hopf point ({I_h:.2f}) < I_max, got I_start={I_start:g}, I_max={I_max:g} µA/cm²")

    def growth(I: float) -> float:
        return float(equilibrium_eigenvalues(I, params)[0].real)

    way_in = quad(growth, I_start, I_h, limit=200)[0]   # below the Hopf point: the decay, once

    def total(I: float) -> float:
        return way_in + quad(growth, I_h, I, limit=200)[0]

    if total(I_max) < 0.0:
        raise ValueError(f"the growth integral stays negative up to I_max = {I_max:g} µA/cm²; raise I_max")
    return float(brentq(total, I_h, I_max, xtol=1e-6))


def two_pulse_run(interval: float | None, amplitude: float, *, conditioning: float = 40.0, width: float = 0.5,
                  onset: float = 5.0, after: float = 30.0, dt: float = 0.01,
                  params: HHParameters | None = None) -> HHResult:
    """The simulation behind :func:`second_spike`: a conditioning pulse at ``onset`` ms, then a test
    pulse of ``amplitude`` µA/cm² ``interval`` ms later (both ``width`` ms), run to ``after`` ms past
    the test pulse. ``interval=None`` gives the test pulse alone at ``onset`` (from rest)."""
    amplitude = check.finite_scalar("amplitude", amplitude, unit="µA/cm²")
    width = check.positive_scalar("width", width, unit="ms")
    if interval is None:
        t2, conditioning = onset, 0.0
    else:
        t2 = onset + check.positive_scalar("interval", interval, unit="ms")

    def current(t):
        t = np.asarray(t)
        return conditioning * ((t >= onset) & (t < onset + width)) + amplitude * ((t >= t2) & (t < t2 + width))

    return simulate(current, t2 + after, dt, params)


def pulse_threshold(
    interval: float | None = None,
    *,
    low: float = 0.0,
    high: float = 100.0,
    tol: float = 0.01,
    **protocol,
) -> float:
    """Smallest test-pulse amplitude (µA/cm², to ``tol``) that evokes an action potential.

    ``interval=None``: one pulse from rest. Otherwise the pulse comes ``interval`` ms after a
    conditioning pulse (the two-pulse protocol of :func:`two_pulse_run`, whose options
    ``protocol`` takes) and must evoke a second action potential. Action potentials are those of
    ``HHResult.spike_times`` (the course's definition). NaN if even ``high`` does not fire.
    """
    low = check.finite_scalar("low", low, unit="µA/cm²")
    high = check.finite_scalar("high", high, unit="µA/cm²")
    tol = check.positive_scalar("tol", tol, unit="µA/cm²")
    need = 1 if interval is None else 2

    def fires(a: float) -> bool:
        return len(two_pulse_run(interval, a, **protocol).spike_times) >= need

    if not fires(high):
        return float("nan")
    while high - low > tol:
        mid = 0.5 * (low + high)
        low, high = (low, mid) if fires(mid) else (mid, high)
    return float(high)
