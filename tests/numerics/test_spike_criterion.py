"""The regenerative-event criterion (issue 15 §1) against the independent reference.

tests/reference.py integrates the model with solve_ivp (DOP853, rtol 1e-10, atol 1e-12; here
max_step 0.1 ms) and detects the events on its dense output with an implementation of the
criterion written independently of hh_lib (tests/spike_reference.py, via
reference.regenerative_events). hh_lib is checked twice: spike_times on the samples
of simulate, and the compiled F-I kernel through fi_curve. The cases span the model's range:
spikes that never overshoot, partial TTX block, fast warm membranes, a single spike, damped
oscillations, depolarisation block, full block, 0 and 40 °C, TEA, anode break.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import reference as R
import spike_reference
from hh_lib import SPIKE_ACCEL, SPIKE_RISE, HHParameters, fi_curve, simulate, spike_times

MAX_STEP = 0.1  # ms, for the reference runs (DOP853 at rtol 1e-10 with a 7th-order dense output)

# label: (current, or (t_start, I) pieces in µA/cm²; temperature °C; g_Na and g_K scale; duration ms)
CASES = {
    "6.3C_80uA_peaks_below_0mV": (80.0, 6.3, 1.0, 1.0, 300.0),
    "ttx30_28uA": (28.0, 6.3, 0.7, 1.0, 300.0),
    "ttx30_40uA": (40.0, 6.3, 0.7, 1.0, 300.0),
    "25C_20uA": (20.0, 25.0, 1.0, 1.0, 200.0),
    "5uA_one_spike": (5.0, 6.3, 1.0, 1.0, 200.0),
    "6uA_damped": (6.0, 6.3, 1.0, 1.0, 300.0),
    "170uA_block": (170.0, 6.3, 1.0, 1.0, 200.0),
    "ttx100_250uA": (250.0, 6.3, 0.0, 1.0, 100.0),
    "0C_10uA": (10.0, 0.0, 1.0, 1.0, 300.0),
    "40C_100uA": (100.0, 40.0, 1.0, 1.0, 100.0),
    "tea50_20uA": (20.0, 6.3, 1.0, 0.5, 200.0),
    "anode_break": (((0.0, -20.0), (20.0, 0.0)), 6.3, 1.0, 1.0, 60.0),
}


def _params(T, gna, gk):
    return HHParameters(temperature=T).with_block(1.0 - gna, 1.0 - gk)


@functools.lru_cache(maxsize=None)
def _reference(case, resolved=False):
    """The reference run of a case (50 ms longer than the case) and its events: those confirmed
    within the case's duration, or (``resolved``) also those confirmed in the 50 ms after it."""
    I, T, gna, gk, duration = CASES[case]
    pieces = I if isinstance(I, tuple) else float(I)
    run = R.run(pieces, duration + 50.0, T=T, gna_scale=gna, gk_scale=gk, max_step=MAX_STEP)
    return run, R.regenerative_events(run, until=None if resolved else duration)


def _current(I):
    if not isinstance(I, tuple):
        return I
    starts = np.array([p[0] for p in I])
    values = np.array([p[1] for p in I])
    return lambda t: values[np.searchsorted(starts, t, side="right") - 1]


def test_the_criterion_constants():
    assert (SPIKE_RISE, SPIKE_ACCEL) == (spike_reference.RISE, spike_reference.ACCEL) == (20.0, 1.0)


@pytest.mark.parametrize("case", list(CASES))
def test_spike_times_on_simulate_match_the_reference_events(case):
    I, T, gna, gk, duration = CASES[case]
    res = simulate(_current(I), duration=duration, dt=0.01, params=_params(T, gna, gk))
    got = spike_times(res.t, res.V)
    _, want = _reference(case)
    assert got.size == want.size, (got, want)
    np.testing.assert_allclose(got, want, rtol=0, atol=0.01)  # ms; linear interpolation on 0.01 ms samples


def _rate(events, start, end):
    return np.count_nonzero((events >= start) & (events < end)) / ((end - start) / 1000.0)


def test_the_cases_show_what_the_issue_says():
    """The physics the criterion must capture, read off the reference."""
    run, ev = _reference("6.3C_80uA_peaks_below_0mV")
    assert 130.0 <= _rate(ev, 100.0, 300.0) <= 140.0  # about 136 Hz
    assert run.state(np.arange(100.0, 300.0, 0.01))[0].max() < 0.0  # every peak below 0 mV
    for case in ("ttx30_28uA", "ttx30_40uA"):
        assert 70.0 <= _rate(_reference(case)[1], 100.0, 300.0) <= 100.0
    assert 370.0 <= _rate(_reference("25C_20uA")[1], 50.0, 200.0) <= 380.0  # about 376 Hz
    ev = _reference("5uA_one_spike")[1]
    assert ev.size == 1 and ev[0] < 20.0
    run, ev = _reference("6uA_damped", resolved=True)
    assert ev.size >= 1 and ev.max() < 100.0
    assert np.ptp(run.state(np.arange(250.0, 350.0, 0.01))[0]) < 1.0  # mV: it has settled
    run, ev = _reference("170uA_block")
    assert ev.size >= 1 and ev.max() < 50.0  # a few spikes, then a plateau
    assert _reference("ttx100_250uA")[1].size == 0
    assert _reference("anode_break")[1].size == 1 and _reference("anode_break")[1][0] > 20.0


FI_CASES = ["6.3C_80uA_peaks_below_0mV", "ttx30_28uA", "ttx30_40uA", "25C_20uA", "5uA_one_spike", "6uA_damped",
            "170uA_block", "ttx100_250uA", "0C_10uA", "40C_100uA", "tea50_20uA"]


@pytest.mark.parametrize("case", FI_CASES)
def test_fi_curve_counts_the_reference_events(case):
    """The compiled kernel's count in [duration/3, duration) against the reference's, which is
    run 50 ms longer so that an event straddling the window end is resolved, as fi_curve does."""
    I, T, gna, gk, duration = CASES[case]
    start = duration / 3.0
    _, ev = _reference(case, resolved=True)
    want = np.count_nonzero((ev >= start) & (ev < duration))
    got = round(fi_curve(I, duration, start, _params(T, gna, gk)) * (duration - start) / 1000.0)
    near_edge = np.any(np.minimum(np.abs(ev - start), np.abs(ev - duration)) < 0.01)
    assert abs(got - want) <= (1 if near_edge else 0), (got, want)


def test_fi_curve_counts_an_event_that_falls_after_the_window():
    """A window that ends during an upstroke: the event started inside, is confirmed after the
    end, and counts; a window ending just before the upstroke reaches trough + 20 mV does not."""
    _, ev = _reference("ttx30_40uA", resolved=True)
    e = ev[ev > 150.0][0]
    params = _params(6.3, 0.7, 1.0)
    inside = fi_curve(40.0, e + 0.3, 100.0, params) * (e + 0.3 - 100.0) / 1000.0
    before = fi_curve(40.0, e - 0.05, 100.0, params) * (e - 0.05 - 100.0) / 1000.0
    want = np.count_nonzero((ev >= 100.0) & (ev < e))
    assert round(inside) == want + 1
    assert round(before) == want


def test_threshold_keeps_the_plain_crossings():
    """threshold=0.0 counts upward 0 mV crossings: nothing at 80 µA/cm² (the spikes peak below
    0 mV), the same as the default where every spike overshoots."""
    assert fi_curve(80.0, 300.0, 100.0, threshold=0.0) == 0.0
    assert fi_curve(80.0, 300.0, 100.0) == pytest.approx(_rate(_reference("6.3C_80uA_peaks_below_0mV")[1], 100.0, 300.0))
    assert fi_curve(10.0, 300.0, 100.0, threshold=0.0) == fi_curve(10.0, 300.0, 100.0) > 0.0
