"""The physics the lecture and its exercises teach, checked on hh_lib AND on the independent
solve_ivp reference (tests/reference.py), so a claim on the page cannot rest on a library bug.

- type-II onset: sustained firing starts abruptly at a non-zero rate near 6.3 µA/cm²;
- peak and trough of the I = 10 µA/cm² spike;
- TEA (K⁺ block): the membrane fails to repolarise;
- warming (Q10 = 3): spikes get faster and narrower, and finally fail (heat block).
"""

from __future__ import annotations

import numpy as np
import pytest

import reference as R
from hh_lib import HHParameters, fi_curve, rheobase, simulate, spike_shape, spike_times

T0, T1 = 200.0, 1000.0  # counting window of the F-I curve (ms)


def _ref_trace(I, duration, **kw):
    t, Y = R.trajectory(I, duration, 0.01, **kw)
    return t, Y[0]


def test_type_two_onset_is_abrupt_and_nonzero():
    rb = rheobase(tol=0.01)
    assert 6.0 < rb < 6.6
    count_above, _ = R.spike_counts(rb + 0.01, T0, T1, max_step=1.0)
    count_below, _ = R.spike_counts(rb - 0.05, T0, T1, max_step=1.0)
    rate_above = count_above / ((T1 - T0) / 1000.0)
    assert count_below == 0
    assert rate_above >= 40.0  # observed 50 Hz: firing does not start from 0 Hz (type II)
    assert fi_curve(rb + 0.01) == pytest.approx(rate_above, abs=1.25)  # same count, ±1 spike


def test_peak_and_trough_of_the_I10_spike_match_reference():
    res = simulate(10.0, 50.0)
    t, V_ref = _ref_trace(10.0, 50.0)
    lib, ref = spike_shape(res.t, res.V), spike_shape(t, V_ref)
    assert ref.peak == pytest.approx(40.3, abs=0.3)  # the lecture's "V ≈ +40 mV"
    assert ref.trough < -70.0  # afterhyperpolarisation below the -65 mV rest
    assert lib.peak == pytest.approx(ref.peak, abs=1e-3)
    assert lib.trough == pytest.approx(ref.trough, abs=1e-3)


def test_full_tea_block_prevents_repolarisation():
    p = HHParameters().with_block(tea=1.0)
    res = simulate(10.0, 50.0, params=p)
    t, V_ref = _ref_trace(10.0, 50.0, gk_scale=0.0)
    late = t >= 10.0
    for V in (res.V, V_ref):
        assert V.max() > 40.0  # the upstroke still happens (Na⁺ channels intact)
        assert np.all(V[late] > -20.0)  # ...but V never comes back towards rest
    assert len(spike_times(res.t, res.V)) == 1 == len(spike_times(t, V_ref))
    assert np.max(np.abs(res.V - V_ref)) < 1e-3


@pytest.fixture(scope="module")
def warming():
    temps = (6.3, 12.0, 18.0)
    out = {}
    for T in temps:
        res = simulate(10.0, 30.0, params=HHParameters(temperature=T))
        t, V_ref = _ref_trace(10.0, 30.0, T=T)
        out[T] = (spike_shape(res.t, res.V), spike_shape(t, V_ref), len(spike_times(t, V_ref)))
    return out


def test_warming_makes_spikes_narrower_and_faster(warming):
    widths = [warming[T][1].width for T in sorted(warming)]
    counts = [warming[T][2] for T in sorted(warming)]
    assert widths[0] > widths[1] > widths[2]  # observed ≈ 1.2, 0.6, 0.3 ms
    assert counts[0] < counts[1] < counts[2]  # more spikes in 30 ms
    for T, (lib, ref, _) in warming.items():
        assert lib.width == pytest.approx(ref.width, abs=2e-3), T


def test_heat_block_at_high_temperature():
    p = HHParameters(temperature=30.0)
    res = simulate(10.0, 30.0, params=p)
    t, V_ref = _ref_trace(10.0, 30.0, T=30.0)
    assert V_ref.max() < 0.0 and res.V.max() < 0.0  # no action potential crosses 0 mV
    assert abs(res.V.max() - V_ref.max()) < 1e-2
