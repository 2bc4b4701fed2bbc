"""Independent reference implementation of the Connor-Stevens model for the tests and the memo.

Written from Dayan & Abbott (2001), *Theoretical Neuroscience*, section 6.2 (the membrane current
and the maximal conductances and reversal potentials, given there per mm²) and the appendix of
chapter 6 (the gating functions), and deliberately **not** importing ``hh_lib``: the rates, the
right-hand side, the resting potential, the integrator (scipy's ``solve_ivp`` DOP853 at
rtol = atol = 1e-10, dense output, run step for step in compiled code by the sibling module
``dop853`` with the right-hand side ``_rhs_compiled``, written once), the spike peaks and the course's state rule (through the
sibling module ``spike_reference``, itself independent of hh_lib) are all re-derived here.

Units: mV, ms, µA/cm², mS/cm², µF/cm². D&A's per-mm² values times 100 give per cm²
(1 mS/mm² = 100 mS/cm², 10 nF/mm² = 1 µF/cm²). The model has no temperature factor.

Conventions
-----------
* A constant current ``I`` (µA/cm²) is switched on at t = 0 with the membrane at rest (the
  equilibrium of the model without current, every gate at its steady state there).
* ``ga_scale`` multiplies g_A (0 = the A-current fully blocked, 0.5 = half blocked).
* Nothing is cached on disk; runs are memoised in memory only (functools.lru_cache).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.optimize import brentq, minimize_scalar

from dop853 import integrate  # sibling test module: scipy's DOP853, compiled

# --- D&A section 6.2, converted from per mm² to per cm² (x 100) -------------------------------
C_M = 1.0  # µF/cm²   (10 nF/mm²)
G_NA = 120.0  # mS/cm²   (1.2 mS/mm²)
G_K = 20.0  # mS/cm²   (0.2 mS/mm²)
G_A = 47.7  # mS/cm²   (0.477 mS/mm²)
G_L = 0.3  # mS/cm²   (0.003 mS/mm²)
E_NA = 55.0  # mV
E_K = -72.0  # mV
E_A = -75.0  # mV
E_L = -17.0  # mV

RTOL = ATOL = 1e-10
SAMPLE_DT = 0.005  # ms, the grid on which the dense output is read for the event rule


# --- Gating functions (D&A, appendix of chapter 6), numpy, literal forms ----------------------


def _lin_over_expm1(scale: float, u, k: float):
    """scale * u / (1 - exp(-k u)) with its limit scale / k at u = 0 (expm1: no cancellation)."""
    u = np.asarray(u, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(u == 0.0, scale / k, scale * u / -np.expm1(-k * u))


def alpha_m(V):
    return _lin_over_expm1(0.38, np.asarray(V, dtype=float) + 29.7, 0.1)


def beta_m(V):
    return 15.2 * np.exp(-0.0556 * (np.asarray(V, dtype=float) + 54.7))


def alpha_h(V):
    return 0.266 * np.exp(-0.05 * (np.asarray(V, dtype=float) + 48.0))


def beta_h(V):
    return 3.8 / (1.0 + np.exp(-0.1 * (np.asarray(V, dtype=float) + 18.0)))


def alpha_n(V):
    return _lin_over_expm1(0.02, np.asarray(V, dtype=float) + 45.7, 0.1)


def beta_n(V):
    return 0.25 * np.exp(-0.0125 * (np.asarray(V, dtype=float) + 55.7))


def a_inf(V):
    V = np.asarray(V, dtype=float)
    return (0.0761 * np.exp(0.0314 * (V + 94.22)) / (1.0 + np.exp(0.0346 * (V + 1.17)))) ** (1.0 / 3.0)


def tau_a(V):
    return 0.3632 + 1.158 / (1.0 + np.exp(0.0497 * (np.asarray(V, dtype=float) + 55.96)))


def b_inf(V):
    return (1.0 / (1.0 + np.exp(0.0688 * (np.asarray(V, dtype=float) + 53.3)))) ** 4


def tau_b(V):
    return 1.24 + 2.678 / (1.0 + np.exp(0.0624 * (np.asarray(V, dtype=float) + 50.0)))


def steady_state(V):
    """(m_inf, h_inf, n_inf, a_inf, b_inf)."""
    return (
        alpha_m(V) / (alpha_m(V) + beta_m(V)),
        alpha_h(V) / (alpha_h(V) + beta_h(V)),
        alpha_n(V) / (alpha_n(V) + beta_n(V)),
        a_inf(V),
        b_inf(V),
    )


def time_constants(V):
    """(tau_m, tau_h, tau_n, tau_a, tau_b) in ms."""
    return (
        1.0 / (alpha_m(V) + beta_m(V)),
        1.0 / (alpha_h(V) + beta_h(V)),
        1.0 / (alpha_n(V) + beta_n(V)),
        tau_a(V),
        tau_b(V),
    )


def conductances(m, h, n, a, b, ga_scale: float = 1.0):
    """(G_Na, G_K, G_A, G_L) in mS/cm²."""
    m, h, n, a, b = (np.asarray(x, dtype=float) for x in (m, h, n, a, b))
    return G_NA * m**3 * h, G_K * n**4, G_A * ga_scale * a**3 * b, G_L + 0.0 * m


def ionic_currents(V, m, h, n, a, b, ga_scale: float = 1.0):
    """(I_Na, I_K, I_A, I_L) in µA/cm², positive outward."""
    V = np.asarray(V, dtype=float)
    gna, gk, ga, gl = conductances(m, h, n, a, b, ga_scale)
    return gna * (V - E_NA), gk * (V - E_K), ga * (V - E_A), gl * (V - E_L)


def na_ratio(m, h, n, a, b, ga_scale: float = 1.0):
    """g_Na m³h / (g_K n⁴ + g_A a³b + g_L): the quantity of the course's state rule."""
    gna, gk, ga, gl = conductances(m, h, n, a, b, ga_scale)
    return gna / (gk + ga + gl)


def rhs_array(V, m, h, n, a, b, I, ga_scale: float = 1.0):
    """The six derivatives on numbers or arrays (dV/dt in mV/ms, gates in 1/ms)."""
    I_Na, I_K, I_A, I_L = ionic_currents(V, m, h, n, a, b, ga_scale)
    return (
        (I - I_Na - I_K - I_A - I_L) / C_M,
        alpha_m(V) * (1.0 - m) - beta_m(V) * m,
        alpha_h(V) * (1.0 - h) - beta_h(V) * h,
        alpha_n(V) * (1.0 - n) - beta_n(V) * n,
        (a_inf(V) - a) / tau_a(V),
        (b_inf(V) - b) / tau_b(V),
    )


# --- Scalar right-hand side (compiled: the integrator calls it; solve_ivp through _make_rhs) -------


@njit(cache=True)
def _rhs_compiled(t, y, p, out):
    """dy/dt of the Connor-Stevens membrane into ``out`` (Dayan & Abbott's formulas), for the compiled
    integrator; ``p = (I, G_A * ga_scale)``: current (µA/cm²), A-type conductance (mS/cm²). Exponents
    are clipped at 700: a rejected trial step may reach absurd V."""
    I, g_a = p[0], p[1]
    V, m, h, n, a, b = y[0], y[1], y[2], y[3], y[4], y[5]
    u = V + 29.7
    am = 3.8 if u == 0.0 else 0.38 * u / -math.expm1(min(-0.1 * u, 700.0))
    bm = 15.2 * math.exp(min(-0.0556 * (V + 54.7), 700.0))
    ah = 0.266 * math.exp(min(-0.05 * (V + 48.0), 700.0))
    bh = 3.8 / (1.0 + math.exp(min(-0.1 * (V + 18.0), 700.0)))
    w = V + 45.7
    an = 0.2 if w == 0.0 else 0.02 * w / -math.expm1(min(-0.1 * w, 700.0))
    bn = 0.25 * math.exp(min(-0.0125 * (V + 55.7), 700.0))
    ai = (0.0761 * math.exp(min(0.0314 * (V + 94.22), 700.0))
          / (1.0 + math.exp(min(0.0346 * (V + 1.17), 700.0)))) ** (1.0 / 3.0)
    ta = 0.3632 + 1.158 / (1.0 + math.exp(min(0.0497 * (V + 55.96), 700.0)))
    bi = (1.0 / (1.0 + math.exp(min(0.0688 * (V + 53.3), 700.0)))) ** 4
    tb = 1.24 + 2.678 / (1.0 + math.exp(min(0.0624 * (V + 50.0), 700.0)))
    I_ion = (G_NA * m * m * m * h * (V - E_NA) + G_K * n * n * n * n * (V - E_K)
             + g_a * a * a * a * b * (V - E_A) + G_L * (V - E_L))
    out[0] = (I - I_ion) / C_M
    out[1] = am * (1.0 - m) - bm * m
    out[2] = ah * (1.0 - h) - bh * h
    out[3] = an * (1.0 - n) - bn * n
    out[4] = (ai - a) / ta
    out[5] = (bi - b) / tb


def _make_rhs(I: float, ga_scale: float):
    """``rhs(t, y)`` for scipy's solve_ivp and for finite differences: the source of :func:`_rhs_compiled`
    run as Python with these parameters (not its compiled form: this module is also loaded under
    another name, benchmarks/reference.py's, and a compiled call from Python would be cached on disk
    under that name)."""
    p = (float(I), G_A * float(ga_scale))

    def rhs(t, y):
        out = np.empty(6)
        _rhs_compiled.py_func(float(t), np.asarray(y, dtype=np.float64).tolist(), p, out)
        return out

    return rhs


# --- Resting potential -------------------------------------------------------------------------


def steady_current(V, I: float = 0.0, ga_scale: float = 1.0):
    """Net ionic current with every gate at its steady state at V, minus I (µA/cm²)."""
    return sum(ionic_currents(V, *steady_state(V), ga_scale=ga_scale)) - I


def equilibria(I: float = 0.0, ga_scale: float = 1.0, low: float = -100.0, high: float = 0.0) -> list[float]:
    """Every V in [low, high] mV where the steady-state current balances I (brentq, 1e-13 mV)."""
    grid = np.linspace(low, high, 2001)
    f = steady_current(grid, I, ga_scale)
    idx = np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:]))
    return [brentq(lambda v: float(steady_current(v, I, ga_scale)), grid[i], grid[i + 1], xtol=1e-13)
            for i in idx]


def resting_potential(ga_scale: float = 1.0) -> float:
    """The unique equilibrium without current (asserts it is unique in [-100, 0] mV)."""
    eq = equilibria(0.0, ga_scale)
    assert len(eq) == 1, eq
    return eq[0]


def rest_state(ga_scale: float = 1.0) -> np.ndarray:
    V = resting_potential(ga_scale)
    return np.array([V, *(float(x) for x in steady_state(V))])


def knee(ga_scale: float = 1.0, low: float = -80.0, high: float = -40.0):
    """Local maximum of the steady-state I-V curve in [low, high] mV: (V, I) of the saddle-node of
    equilibria, or None when the curve is monotonic there (no saddle-node: no type-I onset)."""
    grid = np.linspace(low, high, 4001)
    f = steady_current(grid, 0.0, ga_scale)
    i = int(np.argmax(f))
    if i in (0, grid.size - 1) or np.all(np.diff(f) < 0) or np.all(np.diff(f) > 0):
        return None
    res = minimize_scalar(lambda v: -float(steady_current(v, 0.0, ga_scale)), bounds=(grid[i - 1], grid[i + 1]),
                          method="bounded", options={"xatol": 1e-10})
    return float(res.x), float(-res.fun)


# --- Integration and spikes ----------------------------------------------------------------------


@dataclass(frozen=True)
class CSRun:
    """One reference run: constant current I from rest for t_end ms."""

    I: float
    t_end: float
    ga_scale: float
    sol: object  # the DOP853 dense output, sol(t) -> (6, len(t))
    n_steps: int

    def state(self, t):
        return self.sol(np.atleast_1d(np.asarray(t, dtype=float)))

    def sampled(self, dt: float = SAMPLE_DT):
        t = np.arange(0.0, self.t_end + 0.5 * dt, dt)
        t = t[t <= self.t_end]
        return t, self.state(t)

    def ratio(self, y):
        return na_ratio(*y[1:], ga_scale=self.ga_scale)


@functools.lru_cache(maxsize=256)
def run(I: float, t_end: float = 1000.0, ga_scale: float = 1.0, y0: tuple | None = None) -> CSRun:
    """Integrate from rest (or y0) under the constant current I (µA/cm²), DOP853 rtol = atol = 1e-10."""
    y = rest_state(ga_scale) if y0 is None else np.asarray(y0, dtype=float)
    sol = integrate(_rhs_compiled, (float(I), G_A * float(ga_scale)), 0.0, float(t_end), y, RTOL, ATOL)
    return CSRun(float(I), float(t_end), float(ga_scale), sol, sol.n_steps)


def events(r: CSRun, dt: float = SAMPLE_DT):
    """Every closed 20-mV event of a run by the course's rules (tests/spike_reference.py, with the
    CS ratio g_Na/(g_K + g_A + g_L)), each peak located on the dense output."""
    from spike_reference import events as _events, refine_peaks  # sibling test module, no hh_lib import

    t, y = r.sampled(dt)
    evs = _events(t, y[0], r.ratio(y))
    return refine_peaks(evs, lambda s: float(r.state(s)[0, 0]), dt)


def spike_times(r: CSRun) -> np.ndarray:
    """Peak times (ms) of the action potentials (state rule: ratio rise >= 0.5)."""
    return np.array([e.t_peak for e in events(r) if e.by_state])


def count(I: float, t_start: float = 200.0, t_end: float = 1000.0, ga_scale: float = 1.0) -> int:
    """Action potentials with peak in [t_start, t_end) for a constant current from rest."""
    s = spike_times(run(float(I), float(t_end), float(ga_scale)))
    return int(np.sum((s >= t_start) & (s < t_end)))


def rate(I: float, t_start: float = 200.0, t_end: float = 1000.0, ga_scale: float = 1.0) -> float:
    """The course's F-I rate: count in [t_start, t_end) divided by the window (Hz)."""
    return count(I, t_start, t_end, ga_scale) * 1000.0 / (t_end - t_start)


def fi_curve(currents, t_start: float = 200.0, t_end: float = 1000.0, ga_scale: float = 1.0) -> np.ndarray:
    return np.array([rate(float(I), t_start, t_end, ga_scale) for I in currents])


def onset(lo: float, hi: float, tol: float = 0.01, ga_scale: float = 1.0, t_start: float = 200.0,
          t_end: float = 1000.0) -> tuple[float, float]:
    """Bisection for the smallest current with at least one spike in [t_start, t_end): returns
    (the highest silent current, the lowest firing current), ``tol`` apart. Assumes count(lo) == 0
    < count(hi) and a single crossing between them."""
    assert count(lo, t_start, t_end, ga_scale) == 0 < count(hi, t_start, t_end, ga_scale)
    while hi - lo > tol * (1 + 1e-9):
        mid = round(0.5 * (lo + hi), 10)
        if count(mid, t_start, t_end, ga_scale) > 0:
            hi = mid
        else:
            lo = mid
    return lo, hi


def steady_period(I: float, t_end: float = 3000.0, ga_scale: float = 1.0) -> float:
    """The last interspike interval (ms) of a long run (nan with fewer than two spikes)."""
    s = spike_times(run(float(I), float(t_end), float(ga_scale)))
    return float(s[-1] - s[-2]) if s.size >= 2 else math.nan
