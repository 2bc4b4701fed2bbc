"""The Connor-Stevens equations: conductances, ionic currents and the right-hand side of the ODE.

State ``(V, m, h, n, a, b)`` with V in mV and the five gates dimensionless. Parameters arrive as the
tuple ``p = (C_m, g_Na, g_K, g_A, g_L, E_Na, E_K, E_A, E_L)`` of :meth:`CSParameters.as_tuple`.
Every function here works on numbers and numpy arrays (complex ones too) and calls only the rate
bodies of :mod:`hh_lib.cs.rates` (``.__wrapped__``, without the argument check), so the compiled
integrators can run these same functions.

Dayan & Abbott (2001), section 6.2:

    C_m dV/dt = I_ext - g_Na m³h (V - E_Na) - g_K n⁴ (V - E_K) - g_A a³b (V - E_A) - g_L (V - E_L)
    dx/dt = α_x (1 - x) - β_x x        for x = m, h, n
    dx/dt = (x∞ - x) / τ_x             for x = a, b
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..core import validation as check
from ..core.model import ModelSpec
from . import rates
from .parameters import CSParameters
from .rates import steady_state

# The ten gating functions without the argument check of the public ones.
alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n, a_inf, tau_a, b_inf, tau_b = (
    f.__wrapped__
    for f in (rates.alpha_m, rates.beta_m, rates.alpha_h, rates.beta_h, rates.alpha_n, rates.beta_n,
              rates.a_inf, rates.tau_a, rates.b_inf, rates.tau_b)
)


def conductances(m, h, n, a, b, p):
    """Na⁺, delayed-rectifier K⁺, A-type K⁺ and leak conductances g_Na·m³h, g_K·n⁴, g_A·a³b, g_L (mS/cm²)."""
    C_m, g_Na, g_K, g_A, g_L, E_Na, E_K, E_A, E_L = p
    return g_Na * (m * m * m) * h, g_K * ((n * n) * (n * n)), g_A * (a * a * a) * b, g_L


def ionic_currents(V, m, h, n, a, b, p):
    """Na⁺, delayed-rectifier K⁺, A-type K⁺ and leak currents I = g·(V - E) (µA/cm², positive outward)."""
    C_m, g_Na, g_K, g_A, g_L, E_Na, E_K, E_A, E_L = p
    G_Na, G_K, G_A, G_L = conductances(m, h, n, a, b, p)
    return G_Na * (V - E_Na), G_K * (V - E_K), G_A * (V - E_A), G_L * (V - E_L)


def cs_rhs(V, m, h, n, a, b, I_ext, p):
    """Right-hand side of the Connor-Stevens equations.

    Returns (dV/dt in mV/ms, dm/dt, dh/dt, dn/dt, da/dt, db/dt in 1/ms). ``I_ext`` is the injected
    current (µA/cm²); positive current depolarises. ``p = (C_m, g_Na, g_K, g_A, g_L, E_Na, E_K,
    E_A, E_L)``. Works on numbers or numpy arrays; the compiled integrators run this same function.
    """
    C_m = p[0]
    I_Na, I_K, I_A, I_L = ionic_currents(V, m, h, n, a, b, p)

    # Membrane equation: C_m dV/dt = I - I_Na - I_K - I_A - I_L
    dV = (I_ext - I_Na - I_K - I_A - I_L) / C_m

    # Na⁺ and delayed-rectifier gates: dx/dt = α_x (1 - x) - β_x x
    dm = alpha_m(V) * (1.0 - m) - beta_m(V) * m
    dh = alpha_h(V) * (1.0 - h) - beta_h(V) * h
    dn = alpha_n(V) * (1.0 - n) - beta_n(V) * n
    # A-type gates: dx/dt = (x∞ - x) / τ_x
    da = (a_inf(V) - a) / tau_a(V)
    db = (b_inf(V) - b) / tau_b(V)
    return dV, dm, dh, dn, da, db


def na_conductance_ratio(m, h, n, a, b, p):
    """g_Na·m³h / (g_K·n⁴ + g_A·a³b + g_L): the Na⁺ conductance against all the conductance that
    opposes it (dimensionless), with the actual, possibly blocked, conductances. In an action
    potential it rises by at least SPIKE_NA_RATIO (:mod:`hh_lib.core.state_rule`) from its value at the
    trough."""
    G_Na, G_K, G_A, G_L = conductances(m, h, n, a, b, p)
    return G_Na / (G_K + G_A + G_L)


def steady_state_currents(V: ArrayLike, params: CSParameters | None = None):
    """Na⁺, delayed-rectifier K⁺, A-type K⁺ and leak currents (µA/cm², positive outward) with every
    gate at its steady state at V.

    Parameters
    ----------
    V : float or array
        Membrane potential (mV).
    params : CSParameters, optional
        Conductances and reversal potentials; defaults to Dayan & Abbott's values.

    Returns
    -------
    (I_Na, I_K, I_A, I_L)
        Floats for a scalar V, arrays otherwise. At an equilibrium their sum equals the
        injected current.
    """
    p = CSParameters.resolve(params)
    gates = steady_state(V)  # checks V
    V = np.asarray(V, dtype=float) if np.ndim(V) else float(V)
    return ionic_currents(V, *gates, p.as_tuple())


def _checked_range(low: float, high: float, params: CSParameters | None) -> tuple[float, float, CSParameters]:
    """A checked voltage range [low, high] (mV, low < high) and the resolved parameters."""
    low = check.finite_scalar("low", low, unit="mV")
    high = check.finite_scalar("high", high, unit="mV")
    if not low < high:
        raise ValueError(f"low must be < high, got low={low:g} mV, high={high:g} mV")
    return low, high, CSParameters.resolve(params)


def _bracketed_root(f, low: float, high: float, what: str) -> float:
    """The single zero of the vectorised f in [low, high] (grid of 401 points, then brentq to
    1e-12); ValueError naming ``what`` if there is none or more than one."""
    grid = np.linspace(low, high, 401)
    values = f(grid)
    signs = np.signbit(values)
    changes = np.flatnonzero(signs[1:] != signs[:-1])
    if changes.size != 1:
        found = "no" if changes.size == 0 else f"{changes.size}"
        hint = "" if changes.size == 0 else "; narrow low/high"
        raise ValueError(f"{found} {what} between {low:g} and {high:g} mV{hint}")
    from scipy.optimize import brentq  # imported here: scipy.optimize is slow to import

    i = int(changes[0])
    return float(brentq(f, grid[i], grid[i + 1], xtol=1e-12))


def equilibrium_potential(I_ext: float = 0.0, params: CSParameters | None = None, low: float = -100.0,
                          high: float = 0.0) -> float:
    """Membrane potential (mV) at which the steady-state ionic current balances I_ext (µA/cm²).

    With ``I_ext = 0`` and Dayan & Abbott's parameters this is the resting potential (about
    -68 mV). The root is searched in [low, high] mV; ``ValueError`` if the current does not
    cross there, or if several equilibria exist in the bracket (as just below the onset of
    firing, where the steady-state I-V curve folds): then narrow the bracket.
    """
    I_ext = check.finite_scalar("I_ext", I_ext, unit="µA/cm²")
    low, high, p = _checked_range(low, high, params)

    def imbalance(V):
        return sum(steady_state_currents(V, p)) - I_ext

    return _bracketed_root(imbalance, low, high, f"equilibria for I_ext={I_ext:g} µA/cm²")


def iv_knee(params: CSParameters | None = None, low: float = -80.0, high: float = -30.0) -> tuple[float, float] | None:
    """The knee of the steady-state I-V curve: its first local maximum above ``low``, as (V in mV,
    I_ss in µA/cm²), or None where the curve rises all the way from ``low`` to ``high``.

    Below the knee current I_c a stable rest exists; at I_c rest meets the unstable equilibrium and
    both disappear (a saddle-node of equilibria), where a type-I neuron starts to fire from 0 Hz.
    Without the knee (e.g. half the A-current blocked) rest cannot vanish that way. Found on a grid of
    0.1 mV, then refined to 1e-9 mV.
    """
    low, high, p = _checked_range(low, high, params)

    def I_ss(V):
        return sum(steady_state_currents(V, p))

    grid = np.linspace(low, high, int(np.ceil((high - low) / 0.1)) + 1)
    up = np.diff(I_ss(grid)) > 0
    peaks = np.flatnonzero(up[:-1] & ~up[1:]) + 1  # the slope turns from + to - at grid[peaks]
    if peaks.size == 0:
        return None
    from scipy.optimize import minimize_scalar  # imported here: scipy.optimize is slow to import

    i = int(peaks[0])
    res = minimize_scalar(lambda V: -I_ss(V), bounds=(grid[i - 1], grid[i + 1]), method="bounded",
                          options={"xatol": 1e-9})
    return float(res.x), float(-res.fun)


def equilibrium_state(I_ext: float = 0.0, params: CSParameters | None = None) -> tuple[float, ...]:
    """The full state (V, m, h, n, a, b) at :func:`equilibrium_potential` (every gate at its steady
    state there): the resting state for ``I_ext = 0``, where a simulation starts by default."""
    V = equilibrium_potential(I_ext, params)
    return (V, *(float(x) for x in steady_state(V)))


#: The Connor-Stevens model for the compiled kernels (state V, m, h, n, a, b; parameters as
#: CSParameters.as_tuple()). Its state rule reads g_Na/(g_K + g_A + g_L).
KERNEL = ModelSpec(
    name="cs", rhs=cs_rhs, n_states=6, n_params=len(CSParameters._PACKED),
    regen=na_conductance_ratio, regen_states=(1, 2, 3, 4, 5),
)
