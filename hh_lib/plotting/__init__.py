"""The course's figures as functions (matplotlib).

common      the axes helper, axis labels with units, colours (shared by every figure)
hh          W5D1: plot_gating, plot_voltage_traces, plot_mechanism, plot_phase_planes, plot_fi_curve,
            plot_trace_comparison
science     W5D1 experiments: plot_clamp_family, plot_drug_separation, plot_refractory,
            plot_ramp_hysteresis, plot_stability, plot_equivalent_circuit (Korean labels)
reduced     W5D2: plot_lif_trace, plot_lif_fi, plot_fhn_phase_plane, plot_izhikevich_patterns, plot_izhikevich_trace
reduction   W5D2: plot_h_n_relation, plot_reduction_comparison, plot_reduced_phase_plane
comparison  W5D2: plot_fi_comparison, plot_cost_comparison
cs          W5D2: plot_excitability_types (type I Connor-Stevens against type II HH)
fonts       use_korean_font (Hangul in figures)

Every function takes optional axes, draws on them (creating a figure when none are given),
labels the axes with units and returns the Figure; displaying it is left to the caller.
"""

from .comparison import plot_cost_comparison, plot_fi_comparison
from .cs import plot_excitability_types
from .fonts import use_korean_font
from .panels import enable_phone_panels
from .hh import (
    plot_fi_curve,
    plot_gating,
    plot_mechanism,
    plot_phase_planes,
    plot_trace_comparison,
    plot_voltage_traces,
)
from .reduced import plot_fhn_phase_plane, plot_izhikevich_patterns, plot_izhikevich_trace, plot_lif_fi, plot_lif_trace
from .reduction import plot_h_n_relation, plot_reduced_phase_plane, plot_reduction_comparison
from .science import (
    plot_clamp_family,
    plot_drug_separation,
    plot_equivalent_circuit,
    plot_ramp_hysteresis,
    plot_refractory,
    plot_stability,
)

__all__ = [
    "plot_clamp_family",
    "plot_cost_comparison",
    "plot_drug_separation",
    "plot_excitability_types",
    "plot_equivalent_circuit",
    "plot_fhn_phase_plane",
    "plot_fi_comparison",
    "plot_fi_curve",
    "plot_gating",
    "plot_h_n_relation",
    "plot_izhikevich_patterns",
    "plot_izhikevich_trace",
    "plot_lif_fi",
    "plot_lif_trace",
    "plot_mechanism",
    "plot_phase_planes",
    "plot_ramp_hysteresis",
    "plot_reduced_phase_plane",
    "plot_reduction_comparison",
    "plot_refractory",
    "plot_stability",
    "plot_trace_comparison",
    "plot_voltage_traces",
    "enable_phone_panels",
    "use_korean_font",
]

enable_phone_panels()  # only in the site build (HH_LIB_PHONE_PANELS set): no effect in Colab or JupyterLab
