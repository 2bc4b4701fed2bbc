"""Simulating the Connor-Stevens membrane under injected current, and its F-I curve.

The same compiled kernels as HH (:mod:`hh_lib._kernels`, through :mod:`hh_lib.core.membrane`): the
adaptive Dormand-Prince integrator on a grid, and the F-I kernel counting action potentials by the
course's state rule (here g_Na/(g_K + g_A + g_L) rises by at least 0.5). A membrane starts at rest
by default: the equilibrium of :func:`hh_lib.cs.equations.equilibrium_state` (about -68 mV).
Units: mV, ms, µA/cm², mS/cm².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..core import validation as check
from ..core.grid import Current
from ..core.membrane import ATOL, FI_ATOL, FI_RTOL, RTOL, MembraneTrace, column, firing_rates, simulate_states
from .equations import KERNEL, conductances, equilibrium_state, ionic_currents
from .parameters import CSParameters
from .rates import steady_state

__all__ = ["CSResult", "cs_fi_curve", "simulate_cs"]


@dataclass(frozen=True)
class CSResult(MembraneTrace):
    """A simulated Connor-Stevens membrane. Arrays are ``(n_time,)`` for one current and
    ``(n_amplitudes, n_time)`` for a batch.

    Attributes
    ----------
    t : (n_time,) array
        Time (ms).
    I_ext : array
        Injected current (µA/cm²), held from t[k] to t[k+1].
    V : array
        Membrane potential (mV).
    m, h, n, a, b : arrays
        Gates (dimensionless): Na⁺ activation and inactivation, delayed-rectifier K⁺ activation,
        A-type K⁺ activation and inactivation.
    params : CSParameters
    spike_times : array or list of arrays
        Peak times (ms) of the action potentials by the course's state rule (computed on first use).
    """

    params: CSParameters

    SPEC = KERNEL
    STATE = ("V", "m", "h", "n", "a", "b")
    CONDUCTANCES = staticmethod(conductances)
    CURRENTS = staticmethod(ionic_currents)

    g_Na = column("conductances", 0, "Na⁺ conductance g_Na·m³h (mS/cm²).")
    g_A = column("conductances", 2, "A-type K⁺ conductance g_A·a³b (mS/cm²).")
    I_Na = column("ionic_currents", 0, "Na⁺ current (µA/cm²), positive outward.")
    I_K = column("ionic_currents", 1, "Delayed-rectifier K⁺ current (µA/cm²), positive outward.")
    I_A = column("ionic_currents", 2, "A-type K⁺ current (µA/cm²), positive outward.")
    I_L = column("ionic_currents", 3, "Leak current (µA/cm²), positive outward.")


def _start(params: CSParameters, V0: float | None) -> list[float]:
    """The starting state: rest for V0 None, else V0 (mV) with every gate at its steady state there."""
    if V0 is None:
        return list(equilibrium_state(0.0, params))
    V0 = check.scalar_in_range("V0", V0, -200.0, 200.0, unit="mV")
    return [V0, *steady_state(V0)]


def simulate_cs(I_ext: Current, duration: float = 100.0, dt: float = 0.01, params: CSParameters | None = None,
                V0: float | None = None, *, method: str = "dopri5", rtol: float = RTOL, atol: float = ATOL) -> CSResult:
    """Simulate the Connor-Stevens membrane under an injected current.

    Parameters
    ----------
    I_ext : float, 1-D array or callable
        Injected current density (µA/cm²): a number from t = 0, a callable ``I(t)`` (t in ms)
        held over each grid interval, or a 1-D array of amplitudes simulated as one batch.
    duration, dt : float
        Simulated time and sample spacing (ms).
    params : CSParameters, optional
        Defaults to Dayan & Abbott's values.
    V0 : float, optional
        Initial membrane potential (mV) with the gates at their steady state; None (default):
        the resting state.
    method : {"dopri5", "rk4"}
        Adaptive Dormand-Prince (default) or RK4 with the fixed step dt.
    rtol, atol : float
        Tolerances of dopri5.

    Returns
    -------
    CSResult
    """
    p = CSParameters.resolve(params)
    t, states, currents = simulate_states(KERNEL, p.as_array(), _start(p, V0), I_ext, duration, dt,
                                          method, rtol, atol)
    return CSResult.from_states(t, states, currents, p)


def cs_fi_curve(currents: ArrayLike, duration: float = 1000.0, transient: float = 200.0,
                params: CSParameters | None = None, *, threshold: float | None = None, V0: float | None = None,
                rtol: float = FI_RTOL, atol: float = FI_ATOL) -> NDArray[np.float64]:
    """Sustained firing rate (Hz) of the Connor-Stevens membrane for each constant current
    (µA/cm²), all simulated as one batch by the same F-I kernel as :func:`hh_lib.fi_curve`: action
    potentials (or upward crossings of ``threshold`` mV) in ``[transient, duration)`` ms, from
    rest (or V0, mV), divided by the window's length. A float for a scalar current."""
    p = CSParameters.resolve(params)
    return firing_rates(KERNEL, p.as_array(), _start(p, V0), currents, duration, transient, threshold, rtol, atol)
