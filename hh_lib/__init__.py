"""hh_lib: the Hodgkin-Huxley model of the squid giant axon and simplified neuron models, tested, for the course.

Units throughout: mV, ms, µA/cm², mS/cm², µF/cm², °C.

>>> from hh_lib import simulate
>>> res = simulate(10.0, duration=50.0)          # 10 µA/cm² for 50 ms
>>> [round(float(s), 2) for s in res.spike_times]    # peak times of the action potentials (ms)
[2.14, 17.07, 31.73, 46.37]

Layout (every public name is also importable from ``hh_lib`` itself):

hh_lib/__init__.py     the flat student API (re-exports)
hh_lib/core/           shared by every model: validation (argument checks), params (the frozen-parameter
                       base class), grid (time grid and injected currents), spikes (events; the voltage rule),
                       state_rule (action potentials from the model's state), model (ModelSpec: what the
                       kernels need), membrane (simulate/F-I checks and results of the conductance models)
hh_lib/hh/             the HH model: parameters, rates (the six α/β, physics only), equations (conductances,
                       ionic currents and hh_rhs, each written once; KERNEL), simulation (simulate),
                       analysis (fi_curve, ...),
                       clamp (voltage_clamp), excitability (stability, Hopf point, refractoriness, ramps)
hh_lib/_kernels/       private compiled numerics: LLVM intrinsics, a model's physics compiled (physics), its
                       kernels specialised (model), one RK4, one Dormand-Prince with one PI step control, one
                       lanes kernel (simulate and fi_curve), the event machine, threads, the source-keyed cache
hh_lib/cs/             the Connor-Stevens model (A-type K⁺ current; type I): parameters, rates, equations,
                       simulation (simulate_cs, cs_fi_curve) on the same kernels as HH
hh_lib/reduced/        lif, fitzhugh_nagumo, izhikevich, reduction (2-D HH), comparison
hh_lib/plotting/       common (axes, labels), hh (W5D1 figures), science (W5D1 experiments), reduced,
                       reduction and comparison (W5D2 figures), fonts
hh_lib/labs.py         the in-page labs: their table (read by the site build) and show_lab for notebooks
"""

import sys as _sys

from .cs import CSParameters, CSResult, cs_fi_curve, simulate_cs
from .core.spikes import SPIKE_ACCEL, SPIKE_AMPLITUDE, SPIKE_RISE, spike_times, voltage_swing
from .hh import (
    SPIKE_NA_RATIO,
    ClampResult,
    HHParameters,
    HHResult,
    RampResponse,
    RefractoryCurve,
    SpikeEvents,
    SpikeShape,
    alpha_h,
    alpha_m,
    alpha_n,
    beta_h,
    beta_m,
    beta_n,
    current_ramp,
    equilibrium_eigenvalues,
    equilibrium_potential,
    fi_curve,
    half_amplitude_width,
    hopf_current,
    jacobian,
    na_ratio,
    pulse_threshold,
    refractory_curve,
    resting_state,
    rheobase,
    second_spike,
    slow_passage_current,
    simulate,
    spike_events,
    spike_shape,
    steady_state,
    steady_state_currents,
    time_constants,
    two_pulse_run,
    voltage_clamp,
)
from .reduced import (
    IZHIKEVICH_PRESETS,
    FHNParameters,
    FHNResult,
    FHNStability,
    IzhikevichParameters,
    IzhikevichResult,
    LIFParameters,
    LIFResult,
    fhn_fixed_point,
    fhn_hopf_currents,
    fhn_jacobian,
    fhn_nullclines,
    fhn_stability,
    lif_fi_curve,
    lif_rate,
    simulate_fhn,
    simulate_izhikevich,
    simulate_lif,
)

__version__ = "0.1.0"

#: The flat student API: every name imported above (the subpackages themselves excluded).
__all__ = sorted(
    name for name, value in list(globals().items())
    if not name.startswith("_") and not isinstance(value, type(_sys)) and name != "annotations"
)
