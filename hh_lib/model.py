"""The Hodgkin-Huxley equations: ionic currents and the right-hand side of the ODE.

State vector ``y = (V, m, h, n)`` with V in mV and the gates dimensionless.
Parameters arrive packed by :meth:`HHParameters.as_array`:
``p = (C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi)``.
"""

from __future__ import annotations

from ._compat import njit
from .rates import alpha_h_s, alpha_m_s, alpha_n_s, beta_h_s, beta_m_s, beta_n_s


@njit(cache=True)
def hh_derivatives(y, I_ext, p, dydt):
    """Write dy/dt of the HH model into ``dydt`` (mV/ms for V, 1/ms for the gates).

    ``I_ext`` is the injected current (µA/cm²); positive current depolarises.
    """
    V, m, h, n = y[0], y[1], y[2], y[3]
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]

    # Ionic currents (µA/cm²)
    I_Na = g_Na * m**3 * h * (V - E_Na)
    I_K = g_K * n**4 * (V - E_K)
    I_L = g_L * (V - E_L)

    # Membrane equation: C_m dV/dt = I - I_Na - I_K - I_L
    dydt[0] = (I_ext - I_Na - I_K - I_L) / C_m

    # Gates: dx/dt = φ (α_x (1 - x) - β_x x)
    dydt[1] = phi * (alpha_m_s(V) * (1.0 - m) - beta_m_s(V) * m)
    dydt[2] = phi * (alpha_h_s(V) * (1.0 - h) - beta_h_s(V) * h)
    dydt[3] = phi * (alpha_n_s(V) * (1.0 - n) - beta_n_s(V) * n)
