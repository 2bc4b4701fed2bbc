"""The Hodgkin-Huxley equations: ionic currents and the right-hand side of the ODE.

State vector ``y = (V, m, h, n)`` with V in mV and the gates dimensionless.
Parameters arrive packed by :meth:`HHParameters.as_array`:
``p = (C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi)``.
"""

from __future__ import annotations

import numpy as np


from . import _validation as check
from ._compat import njit
from .parameters import resolve
from .rates import _alpha_h, _alpha_h_k, _alpha_m, _alpha_m_k, _alpha_n, _alpha_n_k
from .rates import _beta_h, _beta_h_k, _beta_m, _beta_m_k, _beta_n, _beta_n_k, kernel_version, steady_state


def hh_rhs(V, m, h, n, I_ext, p):
    """Right-hand side of the HH equations.

    Returns (dV/dt in mV/ms, dm/dt, dh/dt, dn/dt in 1/ms). ``I_ext`` is
    the injected current (µA/cm²); positive current depolarises.
    ``p = (C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi)``. Works on numbers
    or numpy arrays; the compiled integrators run this same function
    (see :func:`hh_lib.rates.kernel_version`).
    """
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = p

    # Ionic currents (µA/cm²)
    I_Na = g_Na * (m * m * m) * h * (V - E_Na)
    I_K = g_K * ((n * n) * (n * n)) * (V - E_K)
    I_L = g_L * (V - E_L)

    # Membrane equation: C_m dV/dt = I - I_Na - I_K - I_L
    dV = (I_ext - I_Na - I_K - I_L) / C_m

    # Gates: dx/dt = φ (α_x (1 - x) - β_x x)
    dm = phi * (_alpha_m(V) * (1.0 - m) - _beta_m(V) * m)
    dh = phi * (_alpha_h(V) * (1.0 - h) - _beta_h(V) * h)
    dn = phi * (_alpha_n(V) * (1.0 - n) - _beta_n(V) * n)
    return dV, dm, dh, dn


# hh_rhs with the rates bound to their compiled versions, for the integrators: plain Python to
# compile with the options each caller needs, and compiled to be inlined where it is called.
hh_rhs_kernel = kernel_version(
    hh_rhs,
    _alpha_m=_alpha_m_k, _beta_m=_beta_m_k, _alpha_h=_alpha_h_k,
    _beta_h=_beta_h_k, _alpha_n=_alpha_n_k, _beta_n=_beta_n_k,
)
hh_rhs_inlined = njit(inline="always", error_model="numpy")(hh_rhs_kernel)


@njit(inline="always")
def params_tuple(p):
    """The parameter array ``p`` as the tuple that :func:`hh_rhs` unpacks (compiled code)."""
    return (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])


@njit(cache=True)
def hh_derivatives(y, I_ext, p, dydt):
    """Compiled :func:`hh_rhs` on a state array: writes dy/dt of ``y = (V, m, h, n)`` into ``dydt``."""
    d = hh_rhs_inlined(y[0], y[1], y[2], y[3], I_ext, params_tuple(p))
    for i in range(4):
        dydt[i] = d[i]


def steady_state_currents(V, params=None):
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
    p = resolve(params)
    m, h, n = steady_state(V)
    V = np.asarray(V, dtype=float) if np.ndim(V) else float(V)
    return (
        p.g_Na * m**3 * h * (V - p.E_Na),
        p.g_K * n**4 * (V - p.E_K),
        p.g_L * (V - p.E_L),
    )


def equilibrium_potential(I_ext=0.0, params=None, low=-100.0, high=0.0):
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
