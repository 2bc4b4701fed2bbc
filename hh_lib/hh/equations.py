"""The Hodgkin-Huxley equations: conductances, ionic currents and the right-hand side of the ODE.

State ``(V, m, h, n)`` with V in mV and the gates dimensionless. Parameters arrive
as the tuple ``p = (C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi)`` of
:meth:`HHParameters.as_tuple`. Every function here works on numbers and numpy
arrays; the compiled integrators run these same functions (:mod:`hh_lib._kernels.physics`), as
declared by :data:`KERNEL` at the end.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..core import validation as check
from ..core.model import ModelSpec
from . import rates
from .parameters import HHParameters
from .rates import _x_over_1_minus_exp_neg, relax, steady_state

# The six rates without the argument check of the public functions: hh_rhs runs on numbers and
# arrays, complex ones too (complex-step derivatives, hh_lib.hh.excitability.jacobian).
alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n = (
    f.__wrapped__ for f in (rates.alpha_m, rates.beta_m, rates.alpha_h, rates.beta_h, rates.alpha_n, rates.beta_n)
)


def conductances(m, h, n, p):
    """Na⁺, K⁺ and leak conductances g_Na·m³h, g_K·n⁴, g_L (mS/cm²)."""
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = p
    return g_Na * (m * m * m) * h, g_K * ((n * n) * (n * n)), g_L


def ionic_currents(V, m, h, n, p):
    """Na⁺, K⁺ and leak currents I = g·(V - E) (µA/cm², positive outward)."""
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = p
    G_Na, G_K, G_L = conductances(m, h, n, p)
    return G_Na * (V - E_Na), G_K * (V - E_K), G_L * (V - E_L)


def hh_rhs(V, m, h, n, I_ext, p):
    """Right-hand side of the HH equations.

    Returns (dV/dt in mV/ms, dm/dt, dh/dt, dn/dt in 1/ms). ``I_ext`` is
    the injected current (µA/cm²); positive current depolarises.
    ``p = (C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi)``. Works on numbers
    or numpy arrays; the compiled integrators run this same function.
    """
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = p
    I_Na, I_K, I_L = ionic_currents(V, m, h, n, p)

    # Membrane equation: C_m dV/dt = I - I_Na - I_K - I_L
    dV = (I_ext - I_Na - I_K - I_L) / C_m

    # Gates: dx/dt = φ (α_x (1 - x) - β_x x)
    dm = phi * (alpha_m(V) * (1.0 - m) - beta_m(V) * m)
    dh = phi * (alpha_h(V) * (1.0 - h) - beta_h(V) * h)
    dn = phi * (alpha_n(V) * (1.0 - n) - beta_n(V) * n)
    return dV, dm, dh, dn


def steady_state_currents(V: ArrayLike, params: HHParameters | None = None):
    """Na⁺, K⁺ and leak currents (µA/cm², positive outward) with every gate at its steady state at V.

    Parameters
    ----------
    V : float or array
        Membrane potential (mV).
    params : HHParameters, optional
        Conductances and reversal potentials; defaults to the squid axon.

    Returns
    -------
    (I_Na, I_K, I_L)
        Floats for a scalar V, arrays otherwise. At an equilibrium their sum equals the
        injected current.
    """
    p = HHParameters.resolve(params)
    m, h, n = steady_state(V)
    V = np.asarray(V, dtype=float) if np.ndim(V) else float(V)
    return ionic_currents(V, m, h, n, p.as_tuple())


def equilibrium_potential(I_ext: float = 0.0, params: HHParameters | None = None, low: float = -100.0, high: float = 0.0) -> float:
    """Membrane potential (mV) at which the steady-state ionic current balances I_ext (µA/cm²).

    This is the resting potential for ``I_ext = 0`` (about -65 mV for the squid axon). The
    root is searched in [low, high] mV; ``ValueError`` if the current does not cross there
    or if several equilibria exist in the bracket (then narrow it).
    """
    I_ext = check.finite_scalar("I_ext", I_ext, unit="µA/cm²")
    low = check.finite_scalar("low", low, unit="mV")
    high = check.finite_scalar("high", high, unit="mV")
    if not low < high:
        raise ValueError(f"low must be < high, got low={low:g} mV, high={high:g} mV")

    def imbalance(V):
        return sum(steady_state_currents(V, params)) - I_ext

    grid = np.linspace(low, high, 401)
    values = imbalance(grid)
    crossings = np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))
    if crossings.size == 0:
        raise ValueError(f"no equilibrium for I_ext={I_ext:g} µA/cm² between {low:g} and {high:g} mV")
    if crossings.size > 1:
        raise ValueError(
            f"{crossings.size} equilibria for I_ext={I_ext:g} µA/cm² between {low:g} and {high:g} mV; narrow low/high"
        )
    i = crossings[0]
    from scipy.optimize import brentq  # imported here: scipy.optimize adds ~0.4 s to `import hh_lib`

    return float(brentq(imbalance, grid[i], grid[i + 1], xtol=1e-12))


def na_conductance_ratio(m, h, n, p):
    """g_Na·m³h / (g_K·n⁴ + g_L): the Na⁺ conductance against all the conductance that
    opposes it (dimensionless). In an action potential it rises by at least SPIKE_NA_RATIO
    (:mod:`hh_lib.core.state_rule`)."""
    G_Na, G_K, G_L = conductances(m, h, n, p)
    return G_Na / (G_K + G_L)


def exponential_euler_step(V, m, h, n, I_ext, dt, p):
    """One step of size dt (ms) of Dayan & Abbott's exponential Euler scheme: with the gates frozen
    over the step, V relaxes exactly towards (I_ext + Σ g·E)/Σ g with rate Σ g / C_m; then each gate
    relaxes exactly at the old V (:func:`hh_lib.hh.rates.relax`). Returns the new (V, m, h, n)."""
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = p
    G_Na, G_K, G_L = conductances(m, h, n, p)
    g_tot = G_Na + G_K + G_L
    # (1 - e^{-z}) / z: 1 at z = 0 (all channels blocked: V grows by dt·I/C_m)
    growth = 1.0 / _x_over_1_minus_exp_neg(g_tot * dt / C_m)
    V_new = V + dt * growth * (I_ext + G_Na * E_Na + G_K * E_K + G_L * E_L - g_tot * V) / C_m
    return (
        V_new,
        relax(m, alpha_m(V), beta_m(V), phi, dt),
        relax(h, alpha_h(V), beta_h(V), phi, dt),
        relax(n, alpha_n(V), beta_n(V), phi, dt),
    )


#: The HH model for the compiled kernels (state V, m, h, n; parameters as HHParameters.as_tuple()).
KERNEL = ModelSpec(
    name="hh", rhs=hh_rhs, n_states=4, n_params=len(HHParameters._PACKED),
    regen=na_conductance_ratio, regen_states=(1, 2, 3), exponential_euler=exponential_euler_step,
)
