"""Reducing the Hodgkin-Huxley model to two dimensions (Rinzel 1985).

Two observations about the full model's four variables (V, m, h, n) lead to a
two-variable model in (V, n):

1. **m is fast.** Its time constant tau_m (0.1-0.5 ms) is about ten times
   shorter than tau_h and tau_n (1-8.5 ms), so m follows its steady state
   almost at once: m ≈ m_inf(V). Replacing m by m_inf(V) gives a 3-D model
   in (V, h, n).
2. **h and n move together.** Along a spike train h + n stays roughly
   constant; more precisely h lies close to a straight line in n,
   ``h ≈ 0.89 - 1.1 n`` (Rinzel 1985; see also Izhikevich 2007, §5.2).
   Replacing h by that line leaves (V, n).

The reduced equations (units as in the rest of hh_lib: mV, ms, µA/cm²):

    C_m dV/dt = I - g_Na m_inf(V)³ h(n) (V - E_Na) - g_K n⁴ (V - E_K) - g_L (V - E_L)
        dn/dt = phi (alpha_n(V) (1 - n) - beta_n(V) n)
         h(n) = clip(intercept + slope · n, 0, 1)

:func:`simulate_reduced_hh` integrates either the 2-D model (default, with
:data:`RINZEL_H_N`, or a relation fitted by :func:`fit_h_n_relation`) or, with
``h_relation=None``, the intermediate 3-D model in which only m is replaced.

What the reduction costs (measured at 6.3 °C, I = 10 µA/cm², see the tests):
the firing period is 11.8 ms with m = m_inf (3-D) and 11.4 ms in 2-D, against
14.6 ms in the full model. Almost all of the 20 % difference comes from step 1:
m lags m_inf(V) by up to 0.44 during the spike (tau_m ≈ 0.5 ms near -40 mV is not
negligible against the 1-ms spike), although it tracks it to within 0.02 between
spikes (:func:`m_inf_error`). Step 2 changes the period by only a few per cent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kernels._numba import njit
from .._kernels.physics import INLINE, check_physics, source_version
from .._kernels.rk4 import rk4_step
from ..core import validation as check
from ..core.grid import Current, Trace, current_table, expand_currents, time_grid
from ..core.spikes import spike_times
from ..hh.equations import hh_rhs
from ..hh.parameters import HHParameters
from ..hh.rates import alpha_m, beta_m, steady_state
from ..hh.simulation import HHResult, simulate

__all__ = [
    "HNRelation",
    "MInfError",
    "RINZEL_H_N",
    "ReducedHHResult",
    "fit_h_n_relation",
    "m_inf_error",
    "reduced_hh_rhs",
    "simulate_reduced_hh",
    "steady_period",
]

#: Longest internal RK4 step (ms). The stiffest moment of the reduced models is the spike
#: peak, where g_Na·m_inf³·h ≈ 70 mS/cm² gives C_m/g ≈ 0.014 ms; 0.01 ms keeps the RK4
#: spike times within 1e-3 ms of a DOP853 reference (tests/numerics/test_reduction.py).
MAX_STEP = 0.01


@dataclass(frozen=True)
class HNRelation:
    """A straight line h = intercept + slope · n between the Na⁺ inactivation and K⁺ activation gates.

    Attributes
    ----------
    intercept, slope : float
        Dimensionless (h and n are fractions of open gates).
    rms, max_error : float or None
        Root-mean-square and largest deviation |h - line| of the trace it was fitted
        to (dimensionless); None for a relation taken from the literature.
    """

    intercept: float
    slope: float
    rms: float | None = None
    max_error: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "intercept", check.finite_scalar("intercept", self.intercept))
        object.__setattr__(self, "slope", check.finite_scalar("slope", self.slope))

    def h(self, n: ArrayLike) -> float | NDArray[np.float64]:
        """h(n) on the line, clipped to [0, 1] (a float for a scalar n)."""
        arr = check.real_array("n", n)
        out = np.clip(self.intercept + self.slope * arr, 0.0, 1.0)
        return float(out) if out.ndim == 0 else out


#: Rinzel's (1985) relation h ≈ 0.89 - 1.1 n for the squid axon at 6.3 °C.
RINZEL_H_N = HNRelation(intercept=0.89, slope=-1.1)


def _relation(h_relation: HNRelation | None, *, allow_none: bool) -> HNRelation | None:
    if h_relation is None and allow_none:
        return None
    if isinstance(h_relation, HNRelation):
        return h_relation
    what = "an HNRelation or None" if allow_none else "an HNRelation"
    raise TypeError(f"h_relation must be {what}, got {type(h_relation).__name__}")


# --- Fitting the h-n line from the full model ------------------------------------------------


def fit_h_n_relation(
    result: HHResult | None = None,
    *,
    I: float = 10.0,
    duration: float = 200.0,
    transient: float = 50.0,
    params: HHParameters | None = None,
) -> HNRelation:
    """Least-squares line h = intercept + slope · n through a full HH trace.

    Parameters
    ----------
    result : HHResult, optional
        A single-trace simulation of the full model. When omitted, the model is
        simulated from rest with the constant current ``I`` for ``duration`` ms.
    I : float
        Constant current (µA/cm²) of that simulation; it should fire repetitively
        (above about 6.3 µA/cm² at 6.3 °C), otherwise h and n barely move.
    duration : float
        Length of that simulation (ms).
    transient : float
        Initial time (ms) left out of the fit (the first spike starts from rest).
    params : HHParameters, optional
        Parameters of that simulation.

    Returns
    -------
    HNRelation
        With the fit's rms and largest residual. At 6.3 °C and I = 10 µA/cm² the fit
        gives h ≈ 0.871 - 1.075 n (rms 0.012), close to Rinzel's 0.89 - 1.1 n.
    """
    transient = check.nonnegative_scalar("transient", transient, unit="ms")
    if result is None:
        I = check.finite_scalar("I", I, unit="µA/cm²")
        duration = check.positive_scalar("duration", duration, unit="ms")
        if transient >= duration:
            raise ValueError(f"transient must be shorter than duration, got {transient:g} ms >= {duration:g} ms")
        result = simulate(I, duration=duration, params=params)
    elif not isinstance(result, HHResult):
        raise TypeError(f"result must be an HHResult from hh_lib.simulate, got {type(result).__name__}")
    if result.V.ndim != 1:
        raise ValueError(f"result must hold a single trace; index a batch first (V has shape {result.V.shape})")
    keep = result.t >= transient
    n, h = result.n[keep], result.h[keep]
    if n.size < 3 or np.ptp(n) < 1e-3:
        raise ValueError(
            "n hardly varies after the transient, so no line can be fitted; "
            "use a current that fires repetitively (e.g. I = 10 µA/cm²) or a shorter transient"
        )
    slope, intercept = np.polyfit(n, h, 1)
    resid = h - (intercept + slope * n)
    return HNRelation(
        intercept=float(intercept),
        slope=float(slope),
        rms=float(np.sqrt(np.mean(resid**2))),
        max_error=float(np.abs(resid).max()),
    )


# --- How well does m follow m_inf(V)? ----------------------------------------------------------


@dataclass(frozen=True)
class MInfError:
    """Deviation |m - m_inf(V)| of the full model along a trace (dimensionless).

    Attributes
    ----------
    rms, max : float
        Over the whole analysed trace.
    max_between_spikes : float
        Largest deviation outside the spike windows (from ``before`` ms before to
        ``after`` ms after each upward 0-mV crossing); NaN if nothing is left.
    fraction_between : float
        Fraction of the analysed time that lies outside the spike windows.
    before, after : float
        The spike window (ms).
    """

    rms: float
    max: float
    max_between_spikes: float
    fraction_between: float
    before: float
    after: float


def m_inf_error(result: HHResult, *, transient: float = 0.0, before: float = 1.5, after: float = 3.0) -> MInfError:
    """How far m(t) is from m_inf(V(t)) in a full HH simulation, overall and between spikes.

    During a spike V changes by ~100 mV within ~1 ms, comparable to tau_m, so m lags
    m_inf(V) by up to ~0.4; between spikes V moves slowly and m tracks m_inf(V) closely.

    Parameters
    ----------
    result : HHResult
        A single-trace simulation of the full model.
    transient : float
        Initial time (ms) to leave out.
    before, after : float
        The spike window (ms) around each upward 0-mV crossing that
        ``max_between_spikes`` leaves out.
    """
    if not isinstance(result, HHResult):
        raise TypeError(f"result must be an HHResult from hh_lib.simulate, got {type(result).__name__}")
    if result.V.ndim != 1:
        raise ValueError(f"result must hold a single trace; index a batch first (V has shape {result.V.shape})")
    transient = check.nonnegative_scalar("transient", transient, unit="ms")
    before = check.nonnegative_scalar("before", before, unit="ms")
    after = check.nonnegative_scalar("after", after, unit="ms")
    keep = result.t >= transient
    if not keep.any():
        raise ValueError(f"transient={transient:g} ms leaves no samples (the trace ends at {result.t[-1]:g} ms)")
    t, V, m = result.t[keep], result.V[keep], result.m[keep]
    err = np.abs(m - np.asarray(steady_state(V)[0]))
    between = np.ones(t.size, dtype=bool)
    for s in spike_times(result.t, result.V, threshold=0.0):
        between &= ~((t >= s - before) & (t <= s + after))
    return MInfError(
        rms=float(np.sqrt(np.mean(err**2))),
        max=float(err.max()),
        max_between_spikes=float(err[between].max()) if between.any() else float("nan"),
        fraction_between=float(between.mean()),
        before=before,
        after=after,
    )


# --- The reduced models ------------------------------------------------------------------------


def reduced_rhs(V, h, n, I, p, two_d, c0, c1):
    """(dV/dt, dh/dt, dn/dt) of the 3-D model (m = m_inf(V)), or of the 2-D one (h = c0 + c1·n
    clipped to [0, 1], dh/dt = 0): the full model's :func:`hh_lib.hh.equations.hh_rhs` with m and h
    replaced. Numbers or arrays; the kernel below runs this same function compiled."""
    if two_d:
        h = np.minimum(np.maximum(c0 + c1 * n, 0.0), 1.0)
    a_m = alpha_m(V)
    dV, _, dh, dn = hh_rhs(V, a_m / (a_m + beta_m(V)), h, n, I, p)
    return dV, 0.0 * dh if two_d else dh, dn


_reduced_rhs_k = njit(**INLINE)(source_version(reduced_rhs))


@njit(inline="always")
def _state_rhs(y, args):
    I, P, two_d, c0, c1 = args
    return _reduced_rhs_k(y[0], y[1], y[2], I, P, two_d, c0, c1)


@njit(cache=True)
def _reduced_kernel(y0, table, dt, n_steps, substeps, p, two_d, c0, c1):
    """Fixed-step RK4 (``substeps`` steps per grid interval) for a batch; returns (3, B, n_steps + 1)."""
    B = table.shape[0]
    constant = table.shape[1] == 1
    out = np.full((3, B, n_steps + 1), np.nan)
    hs = dt / substeps
    P = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
    for b in range(B):
        y = (y0[0], y0[1], y0[2])
        for i in range(3):
            out[i, b, 0] = y0[i]
        for k in range(n_steps):
            I = table[b, 0] if constant else table[b, k]
            for _ in range(substeps):
                y = rk4_step(_state_rhs, y, hs, (I, P, two_d, c0, c1))
            if two_d:
                y = (y[0], min(max(c0 + c1 * y[2], 0.0), 1.0), y[2])
            if not (math.isfinite(y[0]) and math.isfinite(y[2])):
                break
            for i in range(3):
                out[i, b, k + 1] = y[i]
    return out


@dataclass(frozen=True)
class ReducedHHResult(Trace):
    """A simulated reduced HH model (``t``, ``I_ext`` and the shapes: :class:`hh_lib.core.grid.Trace`).

    Attributes
    ----------
    V, n : arrays
        Membrane potential (mV) and K⁺ activation (dimensionless).
    h : array
        Na⁺ inactivation (dimensionless): a state variable of the 3-D model, or
        h_relation.h(n) in the 2-D model.
    I_ext : array
        Injected current (µA/cm²), same shape as V.
    params : HHParameters
    h_relation : HNRelation or None
        The h-n line of the 2-D model; None for the 3-D model.
    """

    V: NDArray[np.float64]
    n: NDArray[np.float64]
    h: NDArray[np.float64]
    params: HHParameters
    h_relation: HNRelation | None

    @property
    def m(self) -> NDArray[np.float64]:
        """Na⁺ activation, m = m_inf(V) (dimensionless)."""
        return np.asarray(steady_state(self.V)[0])

    @property
    def dimension(self) -> int:
        """Number of state variables: 2 (V, n) or 3 (V, h, n)."""
        return 3 if self.h_relation is None else 2


def simulate_reduced_hh(
    I_ext: Current, duration: float = 50.0, dt: float = 0.01, params: HHParameters | None = None, V0: float = -65.0,
    *, h_relation: HNRelation | None = RINZEL_H_N,
) -> ReducedHHResult:
    """Simulate the reduced HH model with m = m_inf(V) from rest.

    Parameters
    ----------
    I_ext : float, 1-D array or callable
        Injected current density (µA/cm²): a constant, a batch of constant
        amplitudes, or ``I(t)`` (t in ms) sampled at each grid time and held over
        that interval.
    duration : float
        Simulated time (ms), > 0.
    dt : float
        Sample spacing (ms). Internally RK4 takes steps of at most MAX_STEP = 0.01 ms.
    params : HHParameters, optional
        Conductances, reversal potentials and temperature (φ scales the h and n rates).
    V0 : float
        Initial potential (mV); n (and h in 3-D) start at their steady state at V0.
    h_relation : HNRelation or None
        The line h(n) of the 2-D model (default :data:`RINZEL_H_N`); ``None`` keeps
        h as a state variable (the 3-D model in which only m is replaced).

    Returns
    -------
    ReducedHHResult
    """
    t = time_grid(duration, dt)
    p = HHParameters.resolve(params)
    V0 = check.scalar_in_range("V0", V0, -200.0, 200.0, unit="mV")
    rel = _relation(h_relation, allow_none=True)
    table, batch = current_table(I_ext, t)
    step = float(t[1] - t[0])
    substeps = max(1, int(math.ceil(step / MAX_STEP - 1e-9)))
    _, h0, n0 = steady_state(V0)
    two_d = rel is not None
    c0, c1 = (rel.intercept, rel.slope) if two_d else (0.0, 0.0)
    if two_d:
        h0 = min(max(c0 + c1 * n0, 0.0), 1.0)
    y0 = np.array([V0, h0, n0], dtype=np.float64)
    check_physics()
    states = _reduced_kernel(y0, table, step, t.size - 1, substeps, p.as_array(), two_d, c0, c1)
    if not np.all(np.isfinite(states)):
        raise RuntimeError("the reduced HH integration diverged (non-finite state); check the parameters")
    currents = expand_currents(table, t.size)
    V, h, n = states
    if not batch:
        V, h, n, currents = V[0], h[0], n[0], currents[0]
    return ReducedHHResult(t=t, V=V, n=n, h=h, I_ext=currents, params=p, h_relation=rel)


def reduced_hh_rhs(
    V: ArrayLike,
    n: ArrayLike,
    I: float = 0.0,
    params: HHParameters | None = None,
    h_relation: HNRelation = RINZEL_H_N,
) -> tuple[float | NDArray[np.float64], float | NDArray[np.float64]]:
    """The vector field (dV/dt in mV/ms, dn/dt in 1/ms) of the 2-D model, element-wise.

    For phase planes: the V-nullcline is where dV/dt = 0, the n-nullcline is n = n_inf(V).
    V (mV) and n (dimensionless) broadcast against each other; I in µA/cm².
    """
    V = check.real_array("V", V, unit="mV")
    n = check.real_array("n", n)
    I = check.finite_scalar("I", I, unit="µA/cm²")
    p = HHParameters.resolve(params)
    rel = _relation(h_relation, allow_none=False)
    V, n = np.broadcast_arrays(V, n)
    dV, _, dn = reduced_rhs(V, 0.0, n, I, p.as_tuple(), True, rel.intercept, rel.slope)
    dV, dn = np.asarray(dV), np.asarray(dn)
    if dV.ndim == 0:
        return float(dV), float(dn)
    return dV, dn


def steady_period(t: ArrayLike, V: ArrayLike, *, threshold: float = 0.0, last: int = 3) -> float:
    """Mean of the last ``last`` inter-spike intervals (ms) of a single trace; NaN with fewer spikes.

    Spikes are upward crossings of ``threshold`` (mV), as in :func:`hh_lib.core.spikes.spike_times`.
    """
    last = int(check.scalar_in_range("last", last, 1, 10_000))
    V = check.real_array("V", V, unit="mV", ndim=1)
    s = spike_times(t, V, threshold)
    if s.size < last + 1:
        return float("nan")
    return float(np.mean(np.diff(s)[-last:]))
