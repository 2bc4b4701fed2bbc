"""hh_lib: the Hodgkin-Huxley model of the squid giant axon, tested, for the course.

Units throughout: mV, ms, µA/cm², mS/cm², µF/cm², °C.

>>> from hh_lib import simulate, spike_times
>>> res = simulate(10.0, duration=50.0)          # 10 µA/cm² for 50 ms
>>> len(spike_times(res.t, res.V)) > 0
True
"""

from .analysis import SpikeShape, fi_curve, rheobase, spike_shape, spike_times
from .fitzhugh_nagumo import (
    FHNParameters,
    FHNResult,
    FHNStability,
    fhn_fixed_point,
    fhn_hopf_currents,
    fhn_jacobian,
    fhn_nullclines,
    fhn_stability,
    simulate_fhn,
)
from .izhikevich import IZHIKEVICH_PRESETS, IzhikevichParameters, IzhikevichResult, simulate_izhikevich
from .lif import LIFParameters, LIFResult, lif_fi_curve, lif_rate, simulate_lif
from .model import equilibrium_potential, steady_state_currents
from .parameters import HHParameters
from .rates import alpha_h, alpha_m, alpha_n, beta_h, beta_m, beta_n, steady_state, time_constants
from .simulation import HHResult, simulate
from .clamp import ClampResult, voltage_clamp
from .excitability import (
    RampResponse,
    RefractoryCurve,
    current_ramp,
    equilibrium_eigenvalues,
    half_amplitude_width,
    hopf_current,
    jacobian,
    refractory_curve,
    resting_state,
    second_spike,
)

__version__ = "0.1.0"

__all__ = [
    "FHNParameters",
    "FHNResult",
    "FHNStability",
    "IZHIKEVICH_PRESETS",
    "IzhikevichParameters",
    "IzhikevichResult",
    "LIFParameters",
    "LIFResult",
    "equilibrium_potential",
    "fhn_fixed_point",
    "fhn_hopf_currents",
    "fhn_jacobian",
    "fhn_nullclines",
    "fhn_stability",
    "lif_fi_curve",
    "lif_rate",
    "simulate_fhn",
    "simulate_izhikevich",
    "simulate_lif",
    "steady_state_currents",
    "HHParameters",
    "HHResult",
    "SpikeShape",
    "alpha_h",
    "alpha_m",
    "alpha_n",
    "beta_h",
    "beta_m",
    "beta_n",
    "fi_curve",
    "rheobase",
    "simulate",
    "spike_shape",
    "spike_times",
    "steady_state",
    "time_constants",
    "ClampResult",
    "voltage_clamp",
    "RampResponse",
    "RefractoryCurve",
    "current_ramp",
    "equilibrium_eigenvalues",
    "half_amplitude_width",
    "hopf_current",
    "jacobian",
    "refractory_curve",
    "resting_state",
    "second_spike",
]
