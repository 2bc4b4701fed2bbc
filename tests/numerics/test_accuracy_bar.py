"""The accuracy bar of the F-I benchmark (issue: fast and accurate simulation), not timed.

The job: 201 constant currents (0 to 50 µA/cm², steps of 0.25), 1000 ms each from rest,
spikes = upward 0 mV crossings counted in [200, 1000) ms. The bar: at every current the
count equals that of a tight, independent reference (solve_ivp DOP853, rtol 1e-10,
atol 1e-12; benchmarks/reference.py on the model of tests/reference.py, cached in
benchmarks/data/reference_fi*.json); only currents whose reference has a spike within
0.1 ms of a window edge, or within 0.25 µA/cm² of the rheobase, may differ, by one spike.

hh_lib's defaults must meet it on the whole grid at 6.3 °C and at 18.5 °C (gating three
and a half times faster), for ``fi_curve`` and for batch ``simulate``; a loose tolerance
must not (the bar can fail). At 18.5 °C the grid reaches the depolarisation block, where
the count of the last firing current is not defined by the model (see ``_block_edge``). The cached reference is spot-checked against a fresh run of
the reference model, so that a stale or damaged data file cannot pass unnoticed.

The cached references count upward 0 mV crossings (NEURON's convention, used by the speed
benchmark), so hh_lib is called here with ``threshold=0.0``, not with its default definition of
an action potential (tested against the reference in test_spike_criterion.py).
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

import reference as ref_model
from hh_lib import HHParameters, fi_curve, simulate, spike_times

from helpers import ROOT


def _benchmark_reference():
    spec = importlib.util.spec_from_file_location("bench_reference", os.path.join(ROOT, "benchmarks", "reference.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


R = _benchmark_reference()
TEMPERATURES = (6.3, 18.5)


@pytest.fixture(scope="module", params=TEMPERATURES, ids=lambda T: f"{T}C")
def cached(request):
    T = request.param
    data = R.load(R.json_path(T))
    assert data["model"]["temperature"] == T
    integ = data["integrator"]
    assert (integ["method"], integ["rtol"], integ["atol"]) == ("DOP853", 1e-10, 1e-12)
    assert data["currents"] == [float(I) for I in 0.25 * np.arange(201)]
    return T, data


def test_cached_reference_agrees_with_a_fresh_reference_run(cached):
    """Three currents recomputed now give the cached counts: one below the rheobase, the first firing
    grid current, and a high one. Recomputed with the tests' reference (tests/reference.py: the same
    model, DOP853 at the cache's rtol 1e-10 and atol 1e-12, max_step 0.5 ms, 0 mV crossings found on the
    dense output; compiled); at 6.3 °C the first firing current also with benchmarks/reference.py's
    own code (solve_ivp and its events), the code that wrote the cache."""
    T, data = cached
    integ = data["integrator"]
    assert (ref_model.RTOL, ref_model.ATOL) == (integ["rtol"], integ["atol"])
    counts = np.asarray(data["counts"])
    first = int(np.flatnonzero(counts > 0)[0])
    for i in (first - 4, first, 160):
        I = data["currents"][i]
        fresh = ref_model.run(I, R.T_END, T=T, max_step=0.5, dense=False).count(R.T_START, R.T_END)
        assert fresh == counts[i], f"I = {I} µA/cm² at {T} °C: fresh {fresh}, cached {counts[i]}"
    if T == 6.3:
        I = data["currents"][first]
        own = R.count_in_window(R.spike_times(I, temperature=T, max_step=0.5))
        assert own == counts[first] > 0, f"benchmarks/reference.py at I = {I} µA/cm²: {own}, cached {counts[first]}"


def _block_edge(data) -> list[int]:
    """Grid currents that fire while the next one up is silent (depolarisation block).

    Just below the block the membrane, after its first spike, oscillates around 0 mV with
    peaks within about 0.02 mV of the threshold (see the test below): whether such a
    wiggle "crosses 0 mV" is decided by errors of 0.01 mV, so its count is not defined by
    the model. The reference itself gives 222 crossings at 18.5 °C, 44 µA/cm² with
    max_step 0.01 ms and 270 with 0.1 or 1 ms (rtol 1e-10). These currents are left out.
    At 6.3 °C the block lies far above 50 µA/cm², and none is left out.
    """
    counts = np.asarray(data["counts"])
    I = np.asarray(data["currents"])
    return [i for i in range(I.size - 1) if counts[i] > 0 and counts[i + 1] == 0 and I[i] > data["rheobase"] + 1.0]


def test_fi_curve_at_0_mV_meets_the_bar_on_the_whole_grid(cached):
    T, data = cached
    I = np.asarray(data["currents"])
    rates = fi_curve(I, 1000.0, 200.0, HHParameters(temperature=T), threshold=0.0)
    counts = np.rint(rates * 0.8).astype(int)
    keep = np.ones(I.size, bool)
    keep[_block_edge(data)] = False
    assert keep.sum() >= 200 and (T != 6.3 or keep.all())
    assert R.bar_failures(counts[keep], data, currents=I[keep]) == []
    # Not a vacuous pass: the exemptions cover few currents; most must match exactly.
    exempt = R.exempt_mask(data) | ~keep
    assert exempt.sum() < 20
    assert np.array_equal(counts[~exempt], np.asarray(data["counts"])[~exempt])


def test_block_edge_crossings_are_not_action_potentials():
    """At 18.5 °C, 44 µA/cm² (the last firing grid current): one full spike, then an oscillation
    whose peaks stay within 0.1 mV of 0 mV — so its 0 mV crossing count is ill-defined."""
    data = R.load(R.json_path(18.5))
    (i,) = _block_edge(data)
    assert data["currents"][i] == 44.0
    res = simulate(44.0, duration=1000.0, dt=0.01, params=HHParameters(temperature=18.5), rtol=1e-9, atol=1e-9)
    V = res.V
    is_peak = (V[1:-1] > V[:-2]) & (V[1:-1] >= V[2:])
    peaks = V[1:-1][is_peak]
    assert peaks[0] > 30.0, "a first, full action potential"
    late = peaks[res.t[1:-1][is_peak] > 200.0]
    assert late.size > 100 and np.max(np.abs(late)) < 0.1


def test_the_bar_can_fail(cached):
    """A loose tolerance (rtol = atol = 1e-2) drifts by whole spikes over 800 ms: the bar rejects it."""
    T, data = cached
    I = np.asarray(data["currents"])
    keep = np.ones(I.size, bool)
    keep[_block_edge(data)] = False
    rates = fi_curve(I[keep], 1000.0, 200.0, HHParameters(temperature=T), threshold=0.0, rtol=1e-2, atol=1e-2)
    failures = R.bar_failures(np.rint(rates * 0.8).astype(int), data, currents=I[keep])
    assert len(failures) >= 5


def _hard_subset(data, n_plain: int = 4):
    """Currents where a count is fragile: reference spikes near a window edge, and the grid currents
    around the rheobase; plus a few ordinary ones."""
    I = np.asarray(data["currents"])
    edge = [i for i, e in enumerate(data["edge_spikes"]) if e]
    near_rb = list(np.flatnonzero(np.abs(I - data["rheobase"]) <= 0.5))
    plain = list(np.linspace(0, I.size - 1, n_plain).astype(int))
    return sorted(set(edge) | set(near_rb) | set(plain))


def test_hard_subset_is_not_empty(cached):
    T, data = cached
    subset = _hard_subset(data)
    assert any(data["edge_spikes"][i] for i in subset) or T != 6.3
    assert len(subset) >= 6


def test_batch_simulate_default_meets_the_bar_on_the_hard_currents(cached):
    """simulate() with its defaults (Dormand-Prince, samples on the dt = 0.01 ms grid), all
    hard currents as one batch; spikes counted from the returned samples."""
    T, data = cached
    idx = [i for i in _hard_subset(data) if i not in _block_edge(data)]
    currents = np.asarray(data["currents"])[idx]
    res = simulate(currents, duration=1000.0, dt=0.01, params=HHParameters(temperature=T))
    assert res.t.size == 100_001 and np.isclose(res.t[1] - res.t[0], 0.01)
    counts = []
    for V in res.V:
        s = spike_times(res.t, V, threshold=0.0)
        counts.append(int(np.sum((s >= 200.0) & (s < 1000.0))))
    assert R.bar_failures(counts, data, currents=currents) == []


def test_reference_model_is_the_tests_reference():
    """benchmarks/reference.py integrates the independent model of tests/reference.py."""
    y0 = R.rest_state()
    assert y0[0] == -65.0
    np.testing.assert_allclose(y0[1:], [float(x) for x in ref_model.steady_state(-65.0)], rtol=0, atol=0)
