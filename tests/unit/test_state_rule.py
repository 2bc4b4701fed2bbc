"""The state rule's helpers and their argument checks (the rule itself is checked against the
independent reference in tests/numerics/test_spike_criterion.py)."""

from __future__ import annotations

import numpy as np
import pytest

import reference as R
from hh_lib import (
    SPIKE_NA_RATIO,
    HHParameters,
    na_ratio,
    pulse_threshold,
    simulate,
    slow_passage_current,
    spike_events,
    two_pulse_run,
)


def test_na_ratio_is_the_conductance_ratio_of_the_reference_model():
    res = simulate(10.0, duration=5.0, params=HHParameters().with_block(ttx=0.3, tea=0.2))
    want = 0.7 * R.G_NA * res.m**3 * res.h / (0.8 * R.G_K * res.n**4 + R.G_L)
    np.testing.assert_allclose(na_ratio(res), want, rtol=1e-12)


def test_spike_events_of_one_trace_and_its_spikes():
    res = simulate(10.0, duration=50.0)
    ev = spike_events(res)
    assert ev.is_spike.all() and np.all(ev.na_rise >= SPIKE_NA_RATIO)
    np.testing.assert_array_equal(ev.spike_times, res.spike_times)
    np.testing.assert_allclose(ev.amplitude, ev.peak - ev.trough)
    with pytest.raises(TypeError, match="one trace"):
        spike_events(simulate(np.array([5.0, 10.0]), duration=10.0))


def test_batch_spike_times_are_those_of_each_trace():
    batch = simulate(np.array([0.0, 10.0]), duration=30.0)
    one = simulate(10.0, duration=30.0)
    assert batch.spike_times[0].size == 0
    np.testing.assert_allclose(batch.spike_times[1], one.spike_times, atol=1e-9)


def test_two_pulse_run_is_the_protocol():
    res = two_pulse_run(10.0, 25.0, dt=0.05)
    assert res.t[-1] == pytest.approx(45.0)  # 30 ms after the test pulse at 15 ms
    for t0, amp in ((5.0, 40.0), (15.0, 25.0)):  # the conditioning pulse, then the test pulse
        inside = (res.t >= t0 + 0.01) & (res.t < t0 + 0.49)
        assert np.all(res.I_ext[inside] == amp)
    assert np.all(res.I_ext[(res.t > 5.6) & (res.t < 14.9)] == 0.0)
    alone = two_pulse_run(None, 25.0, dt=0.05)
    assert alone.I_ext.max() == 25.0 and alone.t[-1] == pytest.approx(35.0)


def test_pulse_threshold_brackets_the_reference_threshold():
    thr = pulse_threshold(None, high=40.0, tol=0.05)
    fires = lambda a: R.action_potentials(R.run(((0.0, 0.0), (5.0, a), (5.5, 0.0)), 35.5)).size >= 1  # noqa: E731
    assert fires(thr + 0.05) and not fires(thr - 0.1)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="interval"):
        two_pulse_run(-1.0, 20.0)
    with pytest.raises(ValueError, match="width"):
        two_pulse_run(5.0, 20.0, width=0.0)
    with pytest.raises(TypeError, match="amplitude"):
        two_pulse_run(5.0, "20")
    with pytest.raises(ValueError, match="tol"):
        pulse_threshold(None, tol=0.0)
    with pytest.raises(ValueError, match="I_max"):
        slow_passage_current(I_max=5.0)
