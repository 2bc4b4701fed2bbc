"""The shared core of every model: argument checks, the frozen-parameter base class,
the time grid and injected currents, and spike detection."""

from . import validation
from .grid import Current, current_table, expand_currents, time_grid
from .params import FrozenParameters
from .spikes import SPIKE_ACCEL, SPIKE_AMPLITUDE, SPIKE_RISE, SpikeTrains, spike_times, upward_crossings, voltage_swing

__all__ = [
    "SPIKE_ACCEL",
    "SPIKE_AMPLITUDE",
    "SPIKE_RISE",
    "SpikeTrains",
    "Current",
    "FrozenParameters",
    "current_table",
    "expand_currents",
    "spike_times",
    "time_grid",
    "upward_crossings",
    "voltage_swing",
    "validation",
]
