"""The Hodgkin-Huxley model of the squid giant axon.

parameters   HHParameters (frozen; temperature, Q10, drug block)
rates        the six α/β rate functions, steady_state, time_constants (physics only)
equations    conductances, ionic currents and hh_rhs (each written once), steady-state currents, equilibrium
simulation   simulate -> HHResult (its spike_times: the action potentials, by the state rule)
(the state rule, spike_events and na_ratio: hh_lib.core.state_rule, shared with Connor-Stevens)
analysis     fi_curve, rheobase, spike_shape
clamp        voltage_clamp -> ClampResult (the experiment the rates were measured with)
excitability resting_state, jacobian, equilibrium_eigenvalues, hopf_current, second_spike,
             refractory_curve, current_ramp, half_amplitude_width
"""

from .analysis import SpikeShape, fi_curve, rheobase, spike_shape
from .clamp import ClampResult, voltage_clamp
from .equations import (
    conductances,
    equilibrium_potential,
    hh_rhs,
    ionic_currents,
    na_conductance_ratio,
    steady_state_currents,
)
from .excitability import (
    RampResponse,
    RefractoryCurve,
    current_ramp,
    equilibrium_eigenvalues,
    half_amplitude_width,
    hopf_current,
    jacobian,
    pulse_threshold,
    refractory_curve,
    resting_state,
    second_spike,
    slow_passage_current,
    two_pulse_run,
)
from .parameters import HHParameters
from .rates import alpha_h, alpha_m, alpha_n, beta_h, beta_m, beta_n, steady_state, time_constants
from .simulation import HHResult, hh_derivatives, simulate
from ..core.state_rule import SPIKE_NA_RATIO, SpikeEvents, na_ratio, spike_events
