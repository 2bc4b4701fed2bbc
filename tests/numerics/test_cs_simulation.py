"""The Connor-Stevens model through the generic compiled kernels (simulate_cs, cs_fi_curve) against
the independent solve_ivp reference (tests/cs_reference.py: DOP853 at rtol = atol = 1e-10, written
from Dayan & Abbott, no hh_lib import), and the type I / type II contrast the W5D2 page states."""

from __future__ import annotations

import numpy as np
import pytest

import cs_reference as R
import reference as HR
import hh_lib
from hh_lib import CSParameters, cs_fi_curve, simulate_cs


def test_a_run_starts_at_the_reference_resting_state_and_stays_there():
    res = simulate_cs(0.0, duration=200.0, dt=0.1)
    np.testing.assert_allclose([res.V[0], res.m[0], res.h[0], res.n[0], res.a[0], res.b[0]], R.rest_state(), atol=1e-9)
    assert abs(res.V[-1] - R.resting_potential()) < 1e-6
    assert len(res.spike_times) == 0


@pytest.mark.parametrize("I, t_end", [(10.0, 300.0), (8.25, 500.0), (60.0, 100.0)])
def test_spike_times_match_the_reference(I, t_end):
    """Peak times by the state rule: near onset (8.25 µA/cm², interval about 215 ms), mid-range and fast."""
    ref = R.spike_times(R.run(I, t_end))
    res = simulate_cs(I, duration=t_end, dt=0.01, rtol=1e-9, atol=1e-9)
    assert len(ref) >= 2
    np.testing.assert_allclose(res.spike_times, ref, atol=2e-3)
    rv = R.run(I, t_end).state(res.t[::500])[0]
    np.testing.assert_allclose(res.V[::500], rv, atol=2e-3)


def test_the_fi_curve_matches_the_reference_near_and_far_from_onset():
    """Counts in [200, 1000) ms from rest: onset 8.13 µA/cm² (reference bisection), then 1-2 spikes per
    window just above it (type I: from near 0 Hz), and hundreds of Hz far above."""
    currents = [8.0, 8.2, 8.5, 9.0, 12.0, 40.0, 120.0]
    expected = R.fi_curve(currents)
    np.testing.assert_array_equal(cs_fi_curve(currents), expected)
    assert expected[0] == 0 and 0 < expected[1] <= 5.0 and expected[-1] > 300.0


def test_blocking_the_a_current_makes_the_onset_a_jump():
    """Half the A-current blocked: the first firing current starts at tens of Hz (type II-like)."""
    blocked = CSParameters().with_block(a_current=0.5)
    currents = [1.0, 1.5, 3.0]
    expected = R.fi_curve(currents, ga_scale=0.5)
    np.testing.assert_array_equal(cs_fi_curve(currents, params=blocked), expected)
    assert expected[0] == 0 and expected[1] >= 30.0


def test_type_i_against_type_ii_just_above_each_onset():
    """0.1 µA/cm² above its onset CS fires a few Hz, HH about 50 Hz (W5D1 §4.4)."""
    cs_onset, hh_onset = 8.1312, 6.2656  # reference bisections (notes/cs_science.md [onset])
    cs_rate = cs_fi_curve(cs_onset + 0.1)
    hh_rate = hh_lib.fi_curve(hh_onset + 0.1)
    # each equal to its independent reference (counts in [200, 1000) ms, state rule)
    assert cs_rate == R.rate(cs_onset + 0.1)
    hh_spikes = HR.action_potentials(HR.run(hh_onset + 0.1, 1000.0, max_step=0.05))
    assert hh_rate == np.sum(hh_spikes >= 200.0) / 0.8
    # the onsets are onsets: 0.1 µA/cm² below each, the references do not fire at all
    assert R.rate(cs_onset - 0.1) == 0.0
    assert not np.any(HR.action_potentials(HR.run(hh_onset - 0.1, 1000.0, max_step=0.05)) >= 200.0)
    # and the contrast the page states (W5D1 §4.4, W5D2 §6.2): HH starts an order of magnitude faster
    assert 0.0 < 10.0 * cs_rate <= hh_rate


def test_connor_stevens_input_errors_name_the_argument():
    with pytest.raises(ValueError, match="duration"):
        simulate_cs(10.0, duration=-1.0)
    with pytest.raises(ValueError, match="method.*cs model"):
        simulate_cs(10.0, method="exponential_euler")
    with pytest.raises(ValueError, match="V0"):
        simulate_cs(10.0, V0=float("nan"))
    with pytest.raises(TypeError, match="params must be a CSParameters"):
        cs_fi_curve([10.0], params=hh_lib.HHParameters())
    with pytest.raises(ValueError, match="currents"):
        cs_fi_curve([[1.0, 2.0]])
