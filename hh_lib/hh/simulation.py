"""Simulating a space-clamped HH membrane under injected current."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .._kernels.model import compile_model
from ..core import validation as check
from ..core.grid import Current
from ..core.membrane import ATOL, RTOL, MembraneTrace, column, simulate_states
from .equations import KERNEL, conductances, ionic_currents
from .parameters import HHParameters
from .rates import steady_state

#: Compiled :func:`hh_lib.hh.equations.hh_rhs` on a state array, ``hh_derivatives(y, I_ext, p, dydt)``:
#: writes dy/dt of ``y = (V, m, h, n)`` (mV/ms, 1/ms) into ``dydt`` for the current ``I_ext``
#: (µA/cm²) and the packed parameters ``p`` (:meth:`HHParameters.as_array`), e.g. for scipy.
hh_derivatives = compile_model(KERNEL).array_rhs


class HHCurrents:
    """The HH conductances and currents of a result with ``conductances()`` and ``ionic_currents()``
    (:class:`HHResult`, :class:`hh_lib.hh.clamp.ClampResult`)."""

    g_Na = column("conductances", 0, "Na⁺ conductance g_Na·m³h (mS/cm²).")
    g_K = column("conductances", 1, "K⁺ conductance g_K·n⁴ (mS/cm²).")
    I_Na = column("ionic_currents", 0, "Na⁺ current (µA/cm²), positive outward (inward, negative, in the upstroke).")
    I_K = column("ionic_currents", 1, "K⁺ current (µA/cm²), positive outward.")
    I_L = column("ionic_currents", 2, "Leak current (µA/cm²), positive outward.")


@dataclass(frozen=True)
class HHResult(HHCurrents, MembraneTrace):
    """A simulated membrane. Arrays are ``(n_time,)`` for one current and
    ``(n_amplitudes, n_time)`` for a batch of current amplitudes.

    Attributes
    ----------
    t : (n_time,) array
        Time (ms).
    I_ext : array
        Injected current (µA/cm²), same shape as V; the value at t[k] is held until t[k+1].
    V : array
        Membrane potential (mV).
    m, h, n : arrays
        Gating variables (dimensionless, 0-1).
    params : HHParameters
        The parameters used.
    spike_times : array or list of arrays
        Peak times (ms) of the action potentials by the course's state rule (computed on first use).
    """

    params: HHParameters

    SPEC = KERNEL
    STATE = ("V", "m", "h", "n")
    CONDUCTANCES = staticmethod(conductances)
    CURRENTS = staticmethod(ionic_currents)


def simulate(I_ext: Current, duration: float = 50.0, dt: float = 0.01, params: HHParameters | None = None,
             V0: float = -65.0, *, method: str = "dopri5", rtol: float = RTOL, atol: float = ATOL) -> HHResult:
    """Simulate the HH membrane from rest under an injected current.

    Parameters
    ----------
    I_ext : float, 1-D array or callable
        Injected current density (µA/cm²). A number is applied from t = 0;
        a callable ``I(t)`` (t in ms) describes pulses, steps or ramps and is
        sampled at each grid time and held over that interval; a 1-D array of
        amplitudes simulates that many membranes as one batch.
    duration : float
        Simulated time (ms), > 0.
    dt : float
        Spacing of the returned samples (ms), 0 < dt < duration.
    params : HHParameters, optional
        Model parameters; defaults to the squid axon at 6.3 °C.
    V0 : float
        Initial membrane potential (mV); the gates start at their steady state at V0.
    method : {"dopri5", "rk4", "exponential_euler"}
        ``dopri5`` (default) adapts its step inside each dt interval to keep the local
        error below ``rtol``/``atol``; the other two take one fixed step of size dt.
    rtol, atol : float
        Tolerances of ``dopri5`` (ignored by the fixed-step methods).

    Returns
    -------
    HHResult
        ``t`` (ms) and ``V`` (mV), ``m``, ``h``, ``n``, ``I_ext`` with derived
        currents (µA/cm²) and conductances (mS/cm²).
    """
    p = HHParameters.resolve(params)
    V0 = check.scalar_in_range("V0", V0, -200.0, 200.0, unit="mV")
    t, states, currents = simulate_states(KERNEL, p.as_array(), [V0, *steady_state(V0)], I_ext, duration, dt,
                                          method, rtol, atol)
    return HHResult.from_states(t, states, currents, p)
