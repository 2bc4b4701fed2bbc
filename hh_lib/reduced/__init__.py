"""The simplified neuron models of W5D2, with the conventions of the HH part.

lif              leaky integrate-and-fire, integrated exactly (LIFParameters, simulate_lif, lif_rate, lif_fi_curve)
fitzhugh_nagumo  FitzHugh-Nagumo: vector field, fixed point, stability, Hopf currents, simulate_fhn
izhikevich       Izhikevich (2003): vector field, presets, RK4 with exact spike cut-off
reduction        Rinzel's 2-D reduction of HH, built from the HH equations (m = m_inf, h = h(n))
comparison       F-I curves and computational cost of HH, LIF and Izhikevich compared
"""

from .fitzhugh_nagumo import (
    FHNParameters,
    FHNResult,
    FHNStability,
    fhn_fixed_point,
    fhn_hopf_currents,
    fhn_jacobian,
    fhn_nullclines,
    fhn_rhs,
    fhn_stability,
    fhn_vector_field,
    simulate_fhn,
)
from .izhikevich import IZHIKEVICH_PRESETS, IzhikevichParameters, IzhikevichResult, izhikevich_rhs, simulate_izhikevich
from .lif import LIFParameters, LIFResult, lif_fi_curve, lif_rate, simulate_lif
