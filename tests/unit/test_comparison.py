"""Tests of hh_lib.reduced.comparison: F-I curves of HH, LIF and Izhikevich, and their cost.

The F-I shapes (window 500-1500 ms, so 1-Hz resolution), measured:

* LIF: 0 Hz up to its rheobase (V_th - V_rest)/R_m = 1.5 µA/cm², then 7, 10, 19, 34 Hz at
  1e-6, 1e-4, 1e-2, 0.1 µA/cm² above it: the rate starts from 0 (type I; it rises like
  1/ln(1/ΔI), so only a scan close to the rheobase shows rates below 10 Hz).
* Izhikevich RS: silent up to 3.77, 5 Hz at 3.78 mV/ms (ISI 194 ms), then 6-7 Hz: a
  type-I-like onset at a very low rate.
* HH: silent up to 6.26, 51 Hz at 6.27 µA/cm²: type II, an abrupt onset at ~50 Hz.

The cost counts (scipy RK45, rtol = atol = 1e-6, 1000 ms at the current value 10): HH
53,108 evaluations (69 spikes), Izhikevich RS 8,856 (23 spikes), LIF 5,520 (276 spikes).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from hh_lib import LIFParameters, lif_rate, simulate, simulate_izhikevich, simulate_lif, spike_times  # noqa: E402
from hh_lib.reduced.comparison import (  # noqa: E402
    CURRENT_UNITS,
    MODELS,
    CostReport,
    FICurves,
    burst_sizes,
    compare_costs,
    compare_fi_curves,
    count_rhs_evaluations,
    fi_onset,
    measure_wall_time,
)
from hh_lib.plotting import plot_cost_comparison, plot_fi_comparison  # noqa: E402
from helpers import assert_korean_figure  # noqa: E402

#: One spike more or less in the 1-s counting window.
COUNT_NOISE = 1.0  # Hz


def non_decreasing(rates):
    return np.all(np.diff(rates) >= -COUNT_NOISE)


# --- F-I curves --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def coarse():
    return compare_fi_curves(np.arange(0.0, 30.01, 1.0))


def test_fi_curves_cover_the_same_values_for_all_models(coarse):
    assert isinstance(coarse, FICurves)
    for m in MODELS:
        f = coarse.rates(m)
        assert f.shape == coarse.currents.shape
        assert f[0] == 0.0 and f[-1] > 0.0, m  # silent at 0, firing at 30 (own units)
        assert non_decreasing(f), m
    assert CURRENT_UNITS == {"HH": "µA/cm²", "LIF": "µA/cm²", "Izhikevich": "mV/ms"}


def test_lif_starts_from_zero_at_its_rheobase():
    """Type I: zero at and below the rheobase, then rates that go to 0 as I approaches it."""
    rh = LIFParameters().rheobase
    above = np.array([1e-6, 1e-4, 1e-2, 0.1, 1.0])
    I = np.concatenate([[rh - 1e-3, rh], rh + above])
    fi = compare_fi_curves(I)
    assert fi.lif[0] == 0.0 and fi.lif[1] == 0.0
    f = fi.lif[2:]
    assert np.all(np.diff(f) > 0)
    assert f[0] < 10.0  # measured 7 Hz at 1e-6 µA/cm² above the rheobase
    # The counted rate is the closed form to within one spike of the window.
    np.testing.assert_allclose(f, lif_rate(rh + above), atol=COUNT_NOISE)


def test_izhikevich_rs_has_a_type_I_like_onset():
    I = np.round(np.arange(3.5, 4.51, 0.01), 4)
    fi = compare_fi_curves(I)
    I_on, f_on = fi.onset("Izhikevich")
    assert 3.7 < I_on < 3.9  # measured 3.78 mV/ms
    assert 0.0 < f_on < 10.0  # measured 5 Hz
    assert non_decreasing(fi.izhikevich)


def test_hh_has_an_abrupt_type_II_onset():
    I = np.round(np.arange(6.0, 7.01, 0.01), 4)
    fi = compare_fi_curves(I)
    I_on, f_on = fi.onset("HH")
    assert 6.2 < I_on < 6.4  # measured 6.27 µA/cm² (W5D1's rheobase ≈ 6.3)
    assert f_on >= 40.0  # measured 51 Hz: no rates between 0 and 40 Hz
    assert np.all((fi.hh == 0.0) | (fi.hh >= 40.0))


def test_onset_ordering_on_the_coarse_grid(coarse):
    assert coarse.onset("LIF")[0] == 2.0  # first grid point above 1.5
    assert coarse.onset("Izhikevich")[0] == 4.0
    assert coarse.onset("HH")[0] == 7.0
    assert coarse.onset("HH")[1] >= 40.0 > coarse.onset("Izhikevich")[1]


def test_fi_onset_helper():
    assert fi_onset([0, 1, 2], [0, 0, 5]) == (2.0, 5.0)
    I_on, f_on = fi_onset([0, 1], [0, 0])
    assert np.isnan(I_on) and np.isnan(f_on)
    with pytest.raises(ValueError, match="same length"):
        fi_onset([0, 1], [0])
    with pytest.raises(ValueError, match="increasing"):
        fi_onset([1, 0], [0, 0])


def test_fi_bad_input():
    with pytest.raises(ValueError, match="increasing"):
        compare_fi_curves([2.0, 1.0])
    with pytest.raises(ValueError, match="transient"):
        compare_fi_curves([1.0], duration=100.0, transient=100.0)
    with pytest.raises(ValueError, match="at least one"):
        compare_fi_curves([])
    with pytest.raises(ValueError, match="model"):
        FICurves(np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1), 1.0, 0.0, None).rates("NEURON")


# --- Cost ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def costs():
    return {r.model: r for r in compare_costs(10.0, 1000.0)}


def test_cost_counts_are_deterministic(costs):
    again = count_rhs_evaluations("Izhikevich", 10.0, 1000.0)
    assert again == costs["Izhikevich"]
    assert isinstance(again, CostReport) and again.n_state == 2


def test_cost_ordering(costs):
    """HH needs the most work per simulated second and per spike; LIF the least.

    Measured: 53,108 / 8,856 / 5,520 evaluations per second (HH / Izhikevich / LIF). The
    bounds are an order of magnitude wide so that another scipy version passes, while the
    ordering and the ratios are what the page claims."""
    hh, iz, lif = costs["HH"], costs["Izhikevich"], costs["LIF"]
    assert 2e4 < hh.evaluations_per_second < 2e5
    assert hh.evaluations_per_second > 4 * iz.evaluations_per_second
    assert iz.evaluations_per_second > lif.evaluations_per_second
    assert hh.evaluations_per_spike > iz.evaluations_per_spike > 5 * lif.evaluations_per_spike
    for r in costs.values():
        assert r.steps * 6 <= r.rhs_evaluations  # RK45: at least six evaluations per step


def test_cost_runs_fire_like_the_library_simulators(costs):
    """The reference integrations are the same models: same spike counts (± 1) as hh_lib's."""
    hh = simulate(10.0, duration=1000.0)
    assert abs(costs["HH"].spikes - spike_times(hh.t, hh.V).size) <= 1
    assert abs(costs["LIF"].spikes - simulate_lif(10.0, duration=1000.0).spike_count) <= 1
    iz = simulate_izhikevich(10.0, duration=1000.0, params="regular_spiking")
    assert abs(costs["Izhikevich"].spikes - iz.spike_count) <= 1
    assert costs["HH"].firing_rate == pytest.approx(costs["HH"].spikes)


def test_looser_tolerance_needs_fewer_evaluations():
    tight = count_rhs_evaluations("HH", 10.0, 200.0, rtol=1e-6, atol=1e-6)
    loose = count_rhs_evaluations("HH", 10.0, 200.0, rtol=1e-4, atol=1e-4)
    assert loose.rhs_evaluations < tight.rhs_evaluations
    silent = count_rhs_evaluations("LIF", 0.0, 200.0)
    assert silent.spikes == 0 and np.isnan(silent.evaluations_per_spike)


def test_wall_time_is_measured():
    for m in MODELS:
        assert measure_wall_time(m, 10.0, 100.0, repeats=1) > 0.0  # not asserted further
    with pytest.raises(ValueError, match="model"):
        measure_wall_time("LIF2")
    with pytest.raises(ValueError, match="model"):
        count_rhs_evaluations("hh")


# --- Firing patterns ------------------------------------------------------------------------


def test_burst_sizes():
    assert burst_sizes([]) == []
    assert burst_sizes([1.0, 2.0, 3.0, 50.0, 52.0, 100.0]) == [3, 2, 1]
    rs = simulate_izhikevich(10.0, 300.0, params="RS").spike_times
    ch = simulate_izhikevich(10.0, 300.0, params="CH").spike_times
    assert set(burst_sizes(rs)) == {1}
    assert min(burst_sizes(ch)[:-1]) >= 4
    with pytest.raises(ValueError, match="sorted"):
        burst_sizes([3.0, 1.0])


# --- Figures --------------------------------------------------------------------------------


def test_figures(coarse, costs):
    fig = plot_fi_comparison(coarse)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    for ax, m in zip(fig.axes, MODELS):
        assert CURRENT_UNITS[m] in ax.get_xlabel() and "Hz" in ax.get_ylabel()
    assert_korean_figure(fig)
    plt.close(fig)
    fig = plot_cost_comparison(list(costs.values()))
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    assert "1초" in fig.axes[0].get_ylabel() and "스파이크" in fig.axes[1].get_ylabel()
    assert_korean_figure(fig)
    plt.close(fig)
    with pytest.raises(TypeError, match="FICurves"):
        plot_fi_comparison({})
    with pytest.raises(TypeError, match="CostReport"):
        plot_cost_comparison([])
