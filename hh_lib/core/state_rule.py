"""Action potentials of a simulated conductance model (HH, Connor-Stevens): the course's definition,
applied with the model's state.

An action potential is an event whose upstroke is carried by the membrane's own Na⁺ current
(positive feedback), not by injected current alone. The events are those of
:mod:`hh_lib.core.spikes` (V rises 20 mV above its trough, then falls 20 mV below its peak); an
event is an action potential when **g_Na/(g_K + g_L) rises by at least** :data:`SPIKE_NA_RATIO`
= 0.5 from its value at the trough to its largest value in the event: the Na⁺ conductance
regenerated to at least half of all the conductance opposing it
(:func:`hh_lib.hh.equations.na_conductance_ratio`, with the actual, possibly blocked,
conductances; for Connor-Stevens the A-type K⁺ conductance joins the denominator,
:func:`hh_lib.cs.equations.na_conductance_ratio`). Each model names its ratio in its
:class:`~hh_lib.core.model.ModelSpec` (``regen``). A passive response only follows the injected charge, and its g_Na stays small.
It is the rise that counts: a huge pulse during the fall of a spike meets a g_Na that is still
large but only decaying (ratio 0.86 at the trough and 0.86 at most: no regeneration).

The transition is graded, like the quasi-threshold of the HH model: after a 400 µA/cm² test pulse
in the two-pulse protocol the largest ratio grows smoothly with the interval (0.13 at 4.0 ms, 0.30
at 4.3, 0.65 at 4.6, 1.10 at 4.9); the course draws the line at 0.5. Along the limit cycle that
shrinks at large constant currents it is also a convention: full-size events count even when they
peak below 0 mV (the ratio rises by about 0.9 at 80 µA/cm²), small oscillations do not (0.17-0.3).

A spike's time is its peak, on the cubic Hermite interpolant through the samples with the exact
dV/dt of the model (the right-hand side at each sample, with the current held over the interval).
Units: ms, mV.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .._kernels.spikes import trace_events
from .spikes import SPIKE_RISE

__all__ = ["SPIKE_NA_RATIO", "SpikeEvents", "na_ratio", "spike_events", "action_potential_times"]

#: The state rule: smallest rise of g_Na/(g_K+g_L) in an action potential (dimensionless).
SPIKE_NA_RATIO = 0.5


@dataclass(frozen=True)
class SpikeEvents:
    """Every closed event of one simulated trace, classified by the state rule.

    Attributes
    ----------
    time : (k,) array
        Peak time of each event (ms).
    peak : (k,) array
        Peak of V (mV).
    trough : (k,) array
        The trough the event rose from (mV).
    na_rise : (k,) array
        Rise of g_Na/(g_K + g_L) from its value at the trough to its largest value before the
        close (dimensionless).
    is_spike : (k,) bool array
        ``na_rise >= SPIKE_NA_RATIO``: an action potential; else a passive response or a small
        oscillation.
    """

    time: NDArray[np.float64]
    peak: NDArray[np.float64]
    trough: NDArray[np.float64]
    na_rise: NDArray[np.float64]
    is_spike: NDArray[np.bool_]

    @property
    def spike_times(self) -> NDArray[np.float64]:
        """Peak times (ms) of the action potentials."""
        return self.time[self.is_spike]

    @property
    def amplitude(self) -> NDArray[np.float64]:
        """Peak - trough of each event (mV)."""
        return self.peak - self.trough


def na_ratio(res) -> NDArray[np.float64]:
    """The state rule's ratio (HH: g_Na/(g_K + g_L); dimensionless) along a simulated trace
    (an :class:`~hh_lib.core.membrane.MembraneTrace`: HHResult, CSResult)."""
    spec, states = res.SPEC, res.states
    return spec.regen(*(states[i] for i in spec.regen_states), res.params.as_tuple())


def _events(spec, t, states, I, p) -> NDArray[np.float64]:
    """Closed events of one trace (a tuple of 1-D state arrays): the (k, 5) table of :func:`trace_events`."""
    f0 = spec.rhs(*(x[:-1] for x in states), I[:-1], p)[0]
    f1 = spec.rhs(*(x[1:] for x in states), I[:-1], p)[0]  # the current is held over each interval
    R = spec.regen(*(states[i] for i in spec.regen_states), p)
    return trace_events(t, states[0], np.ascontiguousarray(f0), np.ascontiguousarray(f1), np.ascontiguousarray(R),
                        SPIKE_RISE, 0.0, 0.0, SPIKE_NA_RATIO)


def spike_events(res) -> SpikeEvents:
    """All events of a simulated trace (one current: HHResult, CSResult), with the rise of the
    state rule's ratio in each and whether each is an action potential."""
    if np.ndim(res.V) != 1:
        raise TypeError("spike_events takes one trace; for a batch use res.spike_times or index one current")
    ev = _events(res.SPEC, res.t, res.states, res.I_ext, res.params.as_tuple())
    return SpikeEvents(time=ev[:, 0], peak=ev[:, 1], trough=ev[:, 2], na_rise=ev[:, 3], is_spike=ev[:, 4] > 0.0)


def action_potential_times(res) -> NDArray[np.float64] | list[NDArray[np.float64]]:
    """Peak times (ms) of the action potentials of a simulated trace (a list for a batch)."""
    p, states = res.params.as_tuple(), res.states
    if np.ndim(res.V) == 1:
        return _spikes(_events(res.SPEC, res.t, states, res.I_ext, p))
    return [_spikes(_events(res.SPEC, res.t, tuple(x[b] for x in states), res.I_ext[b], p)) for b in range(len(res.V))]


def _spikes(ev: NDArray[np.float64]) -> NDArray[np.float64]:
    return ev[ev[:, 4] > 0.0, 0].copy()
