"""spike_times' regenerative-event criterion on signals whose answer is known in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from hh_lib import SPIKE_RISE, spike_times

DT = 0.01
T = np.arange(0.0, 100.0 + DT / 2, DT)


def _bump(t0, height=100.0, sigma=0.5, base=-65.0):
    return base + height * np.exp(-((T - t0) ** 2) / (2 * sigma**2))


def test_a_gaussian_spike_is_dated_where_it_rises_20_mV_above_the_trough():
    got = spike_times(T, _bump(40.0))
    want = 40.0 - 0.5 * np.sqrt(2 * np.log(100.0 / SPIKE_RISE))  # -65 + 100 e^{-x²/2σ²} = -45
    np.testing.assert_allclose(got, [want], atol=1e-4)  # linear interpolation on 0.01 ms


def test_spikes_that_never_reach_0_mV_count_and_a_threshold_misses_them():
    V = _bump(20.0, height=50.0) + _bump(60.0, height=50.0) + 65.0  # peaks at -15 mV
    assert spike_times(T, V).size == 2
    assert spike_times(T, V, threshold=0.0).size == 0


def test_ripples_smaller_than_the_hysteresis_are_not_spikes():
    V = -65.0 + 9.0 * np.sin(2 * np.pi * T / 7.0)  # 18 mV peak to peak
    assert spike_times(T, V).size == 0
    # 24 mV: from each trough (the first at 5.25 ms) the rise accelerates and exceeds 20 mV, then
    # falls by 24 mV: one event per period, dated at trough + 20 mV; the last, at 98.8 ms, has not
    # fallen by the end of the trace and is left out
    V = -65.0 + 12.0 * np.sin(2 * np.pi * T / 7.0)
    first = 5.25 + 7.0 / (2 * np.pi) * np.arccos(-(20.0 - 12.0) / 12.0)  # sin = 8/12 after the trough
    got = spike_times(T, V)
    np.testing.assert_allclose(got, first + 7.0 * np.arange(13), atol=1e-3)


def test_a_passive_charging_curve_decelerates_and_is_not_a_spike():
    V = -65.0 + 80.0 * (1.0 - np.exp(-T / 5.0))  # rises 80 mV, slope only falls
    V = np.where(T < 50.0, V, V[T < 50.0][-1] - 80.0 * (1.0 - np.exp(-(T - 50.0) / 5.0)))  # and falls back
    assert spike_times(T, V).size == 0


def test_a_plateau_that_never_falls_is_not_a_spike():
    V = _bump(40.0, sigma=0.5)
    V[T > 40.0] = 35.0
    assert spike_times(T, V).size == 0


def test_a_dip_shallower_than_the_hysteresis_keeps_two_peaks_one_spike():
    V = np.maximum(_bump(40.0), _bump(40.6))  # dip between the peaks: 100 (1 - e^-0.18) = 16.5 mV
    assert spike_times(T, V).size == 1
    V = np.maximum(_bump(40.0), _bump(42.0))  # dip 100 (1 - e^-2) = 86 mV, then an accelerating rise: two
    assert spike_times(T, V).size == 2


def test_batches_and_bad_input():
    V = np.array([_bump(30.0), _bump(70.0), -65.0 + 0 * T])
    out = spike_times(T, V)
    assert [x.size for x in out] == [1, 1, 0]
    with pytest.raises(ValueError, match="V must have shape"):
        spike_times(T, V[:, :-1])
    with pytest.raises(TypeError, match="threshold"):
        spike_times(T, V[0], threshold="0")
