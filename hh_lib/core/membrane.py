"""What every conductance-based model (HH, Connor-Stevens) shares above the compiled kernels:
the checks, the batch handling and the result of a simulation, and the F-I count, written once.

A model supplies its :class:`~hh_lib.core.model.ModelSpec`, its parameter class and its starting
state; :func:`simulate_states` and :func:`firing_rates` do the rest with the generic kernels of
:mod:`hh_lib._kernels`, and :class:`MembraneTrace` gives its result the spike times (the course's
state rule), the conductances and the ionic currents from the model's own equations.
Units: mV, ms, µA/cm², mS/cm².
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kernels.dopri import STEP_UNDERFLOW
from .._kernels.lanes import count_spikes
from .._kernels.grid import METHODS, integrate_grid
from . import validation as check
from .grid import Current, Trace, current_table, expand_currents, time_grid
from .model import ModelSpec
from .spikes import SPIKE_RISE
from .state_rule import SPIKE_NA_RATIO, action_potential_times

#: Default tolerances of the adaptive integrator of ``simulate`` (relative; absolute in mV and gate units).
RTOL, ATOL = 1e-6, 1e-6

#: Default tolerances of the F-I count. With the PI-controlled Dormand-Prince kernel they keep the
#: spike times of the 1000 ms HH F-I benchmark within 2e-3 ms of a solve_ivp(DOP853, rtol=1e-10)
#: reference, about 50x closer than the nearest spike to a counting-window edge
#: (benchmarks/bench_accuracy.py).
FI_RTOL, FI_ATOL = 1e-5, 1e-5

#: Longest step (ms) the F-I integrator may take, so no spike can be stepped over at rest.
FI_MAX_STEP = 1.0

#: Longest F-I simulation accepted (ms): beyond this a call would run for hours.
MAX_FI_DURATION = 1e7

#: How long (ms) the F-I count follows an event that opened before the end of the window but has
#: not fallen yet (a spike falls within a few ms even at 0 °C; a plateau of depolarisation block
#: never does and is not counted).
FI_RESOLVE = 50.0


def column(method: str, index: int, doc: str) -> property:
    """A read-only attribute: item ``index`` of what the result's ``method()`` returns (e.g. the
    Na⁺ current, item 0 of ``ionic_currents()``), documented by ``doc``."""

    def get(self):
        return getattr(self, method)()[index]

    get.__doc__ = doc
    return property(get)


@dataclass(frozen=True)
class MembraneTrace(Trace):
    """Base of the results of the conductance models (``HHResult``, ``CSResult``): a subclass names
    its state arrays in ``STATE`` (V first; each becomes a field, an array shaped like ``I_ext``) and
    declares ``params``; ``SPEC`` is its model, ``CONDUCTANCES``/``CURRENTS`` the functions of its
    equations module."""

    SPEC: ClassVar[ModelSpec]
    STATE: ClassVar[tuple[str, ...]]
    CONDUCTANCES: ClassVar[Callable]
    CURRENTS: ClassVar[Callable]

    def __init_subclass__(cls, **kwargs) -> None:
        """The fields of the state arrays named in ``STATE``, ahead of the subclass's own (for @dataclass)."""
        super().__init_subclass__(**kwargs)
        if "STATE" in cls.__dict__:
            own = cls.__dict__.get("__annotations__", {})
            cls.__annotations__ = {**{name: "NDArray[np.float64]" for name in cls.STATE}, **own}

    @classmethod
    def from_states(cls, t, states, currents, params) -> "MembraneTrace":
        """The result of :func:`simulate_states`: ``states`` in the order of ``STATE``."""
        return cls(t=t, I_ext=currents, params=params, **dict(zip(cls.STATE, states)))

    @property
    def states(self) -> tuple[NDArray[np.float64], ...]:
        """The state arrays in the model's order (V in mV, then the gates)."""
        return tuple(getattr(self, name) for name in self.STATE)

    @cached_property
    def spike_times(self) -> NDArray[np.float64] | list[NDArray[np.float64]]:
        """Peak times (ms) of the action potentials, classified with the model's state (the
        course's definition, :mod:`hh_lib.core.state_rule`); a list of arrays for a batch. Computed
        once, on first use (the result is frozen)."""
        return action_potential_times(self)

    def conductances(self) -> tuple[NDArray[np.float64], ...]:
        """The model's conductances along the trace (mS/cm²), in its equations' order."""
        return type(self).CONDUCTANCES(*self.states[1:], self.params.as_tuple())

    def ionic_currents(self) -> tuple[NDArray[np.float64], ...]:
        """The model's ionic currents along the trace (µA/cm², positive outward), in its equations' order."""
        return type(self).CURRENTS(*self.states, self.params.as_tuple())


def simulate_states(spec: ModelSpec, p: NDArray[np.float64], y0, I_ext: Current, duration: float, dt: float,
                    method: str, rtol: float, atol: float):
    """Integrate one model from ``y0`` on the grid of ``duration`` and ``dt`` (ms), with the checks of
    every ``simulate``. Returns ``(t, states, currents)``: states ``(n_states, n_time)`` for one
    current, ``(n_states, B, n_time)`` for a batch of B amplitudes; currents shaped like one state."""
    t = time_grid(duration, dt)
    method = check.choice("method", method, METHODS)
    if method == "exponential_euler" and spec.exponential_euler is None:
        raise ValueError(f"method must be 'dopri5' or 'rk4' for the {spec.name} model (it has no exponential Euler step)")
    rtol = check.scalar_in_range("rtol", rtol, 1e-13, 0.1)
    atol = check.scalar_in_range("atol", atol, 1e-15, 1.0)
    table, batch = current_table(I_ext, t)
    states, status = integrate_grid(spec, np.asarray(y0, dtype=np.float64), table, t[1] - t[0], t.size - 1, p,
                                    METHODS.index(method), rtol, atol)
    if np.any(status == STEP_UNDERFLOW):
        raise RuntimeError(
            "the adaptive integrator could not meet rtol/atol (step size underflow); "
            "check that the parameters are physiological"
        )
    if not np.all(np.isfinite(states)):
        raise RuntimeError(
            f"the {method} integration diverged (non-finite state); use a smaller dt (ms) or method='dopri5'"
        )
    currents = expand_currents(table, t.size)
    return (t, states, currents) if batch else (t, states[:, 0], currents[0])


def firing_rates(spec: ModelSpec, p: NDArray[np.float64], y0, currents: ArrayLike, duration: float,
                 transient: float, threshold: float | None, rtol: float, atol: float):
    """Sustained firing rate (Hz) of one model for each constant current (µA/cm²), from ``y0``:
    spikes in ``[transient, duration)`` ms (action potentials by the state rule, or upward
    crossings of ``threshold`` mV) over the window's length, with the checks of every F-I curve.
    A float for a scalar current."""
    I = check.real_array("currents", currents, unit="µA/cm²")
    if I.ndim > 1:
        raise ValueError(f"currents must be a number or a 1-D array (µA/cm²); got shape {I.shape}")
    duration, transient = fi_window(duration, transient)
    if threshold is not None:
        threshold = check.finite_scalar("threshold", threshold, unit="mV")
    rtol = check.scalar_in_range("rtol", rtol, 1e-13, 0.1)
    atol = check.scalar_in_range("atol", atol, 1e-15, 1.0)
    counts, _, _ = count_spikes(
        spec, np.asarray(y0, dtype=np.float64), np.atleast_1d(I), duration, transient, threshold, p, rtol, atol,
        FI_MAX_STEP, rise=SPIKE_RISE, ratio_min=SPIKE_NA_RATIO, resolve=FI_RESOLVE,
    )
    if np.any(counts < 0):
        raise RuntimeError("the adaptive integrator failed (step size underflow); check the parameters")
    rates = counts / ((duration - transient) / 1000.0)
    return rates if I.ndim == 1 else float(rates[0])


def fi_window(duration: float, transient: float) -> tuple[float, float]:
    """The checked counting window of an F-I curve (ms)."""
    duration = check.positive_scalar("duration", duration, unit="ms")
    transient = check.nonnegative_scalar("transient", transient, unit="ms")
    if transient >= duration:
        raise ValueError(f"transient must be shorter than duration, got {transient:g} ms >= {duration:g} ms")
    if duration > MAX_FI_DURATION:
        raise ValueError(
            f"duration must be <= {MAX_FI_DURATION:g} ms (about {MAX_FI_DURATION / 3.6e6:.0f} h of model time); got {duration:g} ms"
        )
    return duration, transient
