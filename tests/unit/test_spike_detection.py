"""spike_times' voltage rule on signals whose answer is known in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from hh_lib import SPIKE_AMPLITUDE, spike_times, voltage_swing

DT = 0.01
T = np.arange(0.0, 100.0 + DT / 2, DT)


def _bump(t0, height=100.0, sigma=0.5, base=-65.0):
    return base + height * np.exp(-((T - t0) ** 2) / (2 * sigma**2))


def test_a_gaussian_spike_is_dated_at_its_peak_between_samples():
    t = np.arange(0.0, 100.0, 0.1)
    V = -65.0 + 100.0 * np.exp(-((t - 40.037) ** 2) / (2 * 0.5**2))  # the peak falls between samples
    got = spike_times(t, V)
    np.testing.assert_allclose(got, [40.037], atol=2e-4)  # parabola through 0.1-ms samples (the sample: 0.037 off)


def test_spikes_that_never_reach_0_mV_count_and_a_threshold_misses_them():
    V = _bump(20.0, height=50.0) + _bump(60.0, height=50.0) + 65.0  # peaks at -15 mV
    assert spike_times(T, V).size == 2
    assert spike_times(T, V, threshold=0.0).size == 0


def test_oscillations_smaller_than_the_amplitude_are_not_spikes():
    V = -65.0 + 9.0 * np.sin(2 * np.pi * T / 7.0)  # 18 mV peak to peak: not even an event
    assert spike_times(T, V).size == 0
    V = -65.0 + 17.0 * np.sin(2 * np.pi * T / 7.0)  # 34 mV: events, below SPIKE_AMPLITUDE
    assert spike_times(T, V).size == 0 and voltage_swing(T, V) == pytest.approx(34.0, abs=1e-3)
    # 40 mV: one spike per period, dated at the crest (sin = 1 at 1.75 ms + 7k); the last, at
    # 99.75 ms, has not fallen by the end of the trace and is left out
    V = -65.0 + 20.0 * np.sin(2 * np.pi * T / 7.0)
    assert SPIKE_AMPLITUDE == 35.0
    np.testing.assert_allclose(spike_times(T, V), 1.75 + 7.0 * np.arange(1, 14), atol=1e-4)


def test_voltage_swing():
    V = -65.0 + 5.0 * np.sin(2 * np.pi * T / 7.0) + 30.0 * (T < 10.0)
    assert voltage_swing(T, V) == pytest.approx(40.0, abs=1e-3)
    assert voltage_swing(T, V, t_from=10.0) == pytest.approx(10.0, abs=1e-3)
    with pytest.raises(ValueError, match="t_from"):
        voltage_swing(T, V, t_from=200.0)


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
