"""The Connor-Stevens model: Na⁺, delayed-rectifier K⁺, A-type K⁺ and leak (Dayan & Abbott 2001, §6.2).

parameters  CSParameters (the book's values per cm², with_block for the A-current)
rates       the gating functions: α/β of m, h, n; a∞, τ_a, b∞, τ_b (each written once, plain numpy)
equations   conductances, ionic currents and cs_rhs (each written once), the state rule's ratio,
            steady-state currents, the resting potential and the I-V knee (iv_knee); KERNEL (the model for the compiled kernels)
simulation  simulate_cs -> CSResult (spike_times by the state rule), cs_fi_curve (the same kernels as HH)

Units: mV, ms, µA/cm², mS/cm², µF/cm².
"""

from .equations import (
    conductances,
    cs_rhs,
    equilibrium_potential,
    equilibrium_state,
    ionic_currents,
    iv_knee,
    na_conductance_ratio,
    steady_state_currents,
)
from .parameters import CSParameters
from .simulation import CSResult, cs_fi_curve, simulate_cs
from .rates import (
    a_inf,
    alpha_h,
    alpha_m,
    alpha_n,
    b_inf,
    beta_h,
    beta_m,
    beta_n,
    steady_state,
    tau_a,
    tau_b,
    time_constants,
)

__all__ = [
    "CSParameters",
    "CSResult",
    "cs_fi_curve",
    "simulate_cs",
    "a_inf",
    "alpha_h",
    "alpha_m",
    "alpha_n",
    "b_inf",
    "beta_h",
    "beta_m",
    "beta_n",
    "conductances",
    "cs_rhs",
    "equilibrium_potential",
    "equilibrium_state",
    "ionic_currents",
    "iv_knee",
    "na_conductance_ratio",
    "steady_state",
    "steady_state_currents",
    "tau_a",
    "tau_b",
    "time_constants",
]
