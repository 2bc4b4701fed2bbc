"""Voltage clamp: the experiment from which Hodgkin and Huxley built their model.

The membrane is held at ``V_hold`` long enough for every gate to reach its steady state,
then stepped to ``V_clamp`` at t = 0. With V fixed, each gate obeys a linear ODE
``dx/dt = φ (α_x (1 - x) - β_x x)`` whose solution is an exponential relaxation

    x(t) = x∞(V_clamp) + (x∞(V_hold) - x∞(V_clamp)) · exp(-t / τ_x(V_clamp)),

so the currents follow in closed form, with no integrator. The capacitive transient of a
real clamp (an instantaneous spike of current at the step) is not modelled.
Units: mV, ms, µA/cm², mS/cm².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..core import validation as check
from ..core.grid import time_grid
from .equations import conductances, ionic_currents
from .parameters import HHParameters
from .rates import GATES, relax, steady_state
from .simulation import HHCurrents

__all__ = ["ClampResult", "voltage_clamp"]


@dataclass(frozen=True)
class ClampResult(HHCurrents):
    """Gates, conductances and ionic currents under a voltage step.

    Arrays are ``(n_time,)`` for a scalar ``V_clamp`` and ``(n_steps, n_time)`` for a family.

    Attributes
    ----------
    t : (n_time,) array
        Time after the step (ms).
    V_clamp : float or (n_steps,) array
        Command potential(s) (mV).
    V_hold : float
        Holding potential before the step (mV).
    m, h, n : arrays
        Gating variables (dimensionless).
    params : HHParameters
    """

    t: NDArray[np.float64]
    V_clamp: float | NDArray[np.float64]
    V_hold: float
    m: NDArray[np.float64]
    h: NDArray[np.float64]
    n: NDArray[np.float64]
    params: HHParameters

    def _V(self) -> NDArray[np.float64] | float:
        return np.asarray(self.V_clamp)[:, np.newaxis] if np.ndim(self.V_clamp) else self.V_clamp

    def conductances(self) -> tuple:
        """Na⁺, K⁺ and leak conductances along the step (mS/cm²)."""
        return conductances(self.m, self.h, self.n, self.params.as_tuple())

    def ionic_currents(self) -> tuple:
        """Na⁺, K⁺ and leak currents along the step (µA/cm², positive outward; leak broadcast to the gates' shape)."""
        I_Na, I_K, I_L = ionic_currents(self._V(), self.m, self.h, self.n, self.params.as_tuple())
        return I_Na, I_K, I_L + 0.0 * self.m

    @property
    def I_ion(self) -> NDArray[np.float64]:
        """Total ionic current I_Na + I_K + I_L (µA/cm²): what the clamp amplifier supplies."""
        return self.I_Na + self.I_K + self.I_L


def voltage_clamp(V_clamp: ArrayLike, duration: float = 20.0, dt: float = 0.01, params: HHParameters | None = None,
                  V_hold: float = -65.0) -> ClampResult:
    """Currents of the HH membrane after a voltage step from ``V_hold`` to ``V_clamp``.

    Parameters
    ----------
    V_clamp : float or 1-D array
        Command potential(s) (mV), each in [-200, 200]; an array gives a family of steps.
    duration : float
        Time after the step (ms), > 0.
    dt : float
        Sample spacing (ms), 0 < dt < duration.
    params : HHParameters, optional
        Conductances, reversal potentials and temperature (φ scales the time constants).
    V_hold : float
        Holding potential (mV) at which the gates start in their steady state.

    Returns
    -------
    ClampResult
        ``t`` (ms), gates ``m, h, n``, conductances ``g_Na, g_K`` (mS/cm²) and currents
        ``I_Na, I_K, I_L, I_ion`` (µA/cm², positive outward).
    """
    Vc = check.real_array("V_clamp", V_clamp, unit="mV")
    if Vc.ndim > 1 or Vc.size == 0:
        raise ValueError(f"V_clamp must be a number or a non-empty 1-D array (mV); got shape {Vc.shape}")
    if np.any(np.abs(Vc) > 200.0):
        raise ValueError("V_clamp must lie in [-200, 200] mV")
    V_hold = check.scalar_in_range("V_hold", V_hold, -200.0, 200.0, unit="mV")
    t = time_grid(duration, dt)
    p = HHParameters.resolve(params)

    V_col = Vc.reshape(-1, 1)
    m, h, n = (relax(x0, alpha(V_col), beta(V_col), p.phi, t) for x0, (alpha, beta) in zip(steady_state(V_hold), GATES))
    if Vc.ndim == 0:
        m, h, n = m[0], h[0], n[0]
        V_out: float | NDArray[np.float64] = float(Vc)
    else:
        V_out = Vc.copy()
    return ClampResult(t=t, V_clamp=V_out, V_hold=V_hold, m=m, h=h, n=n, params=p)
