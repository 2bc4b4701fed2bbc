"""Tests of the leaky integrate-and-fire neuron against its closed-form solutions.

Units: mV, ms, µA/cm², kΩ·cm² (R_m·I in mV).

The simulator integrates the linear ODE exactly between grid points and solves
for the threshold crossing inside a step, so spike times, the F-I curve and the
subthreshold trace agree with the closed forms to rounding error, whatever dt
is. The tolerances below (1e-9 relative on rates and spike times, 1e-10 mV on V)
are therefore rounding-level, far tighter than the 0.5 % that grid-snapped spike
times would allow at dt = 0.1 ms.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from helpers import assert_korean_figure  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from hh_lib.reduced.lif import LIFParameters, LIFResult, lif_fi_curve, lif_rate, simulate_lif  # noqa: E402
from hh_lib.plotting import plot_lif_fi, plot_lif_trace  # noqa: E402

TAU, R, V_REST, V_TH, V_RESET, T_REF = 10.0, 10.0, -65.0, -50.0, -65.0, 2.0


def textbook_rate(I: float, tau=TAU, R=R, theta=V_TH, V_rest=V_REST, t_ref=T_REF) -> float:
    """1/(t_ref + tau ln(RI / (RI - (theta - V_rest)))) in Hz (V_reset = V_rest), written independently."""
    RI = R * I
    if RI <= theta - V_rest:
        return 0.0
    return 1000.0 / (t_ref + tau * math.log(RI / (RI - (theta - V_rest))))


# --- Parameters ---------------------------------------------------------------------------------


def test_default_parameters_and_derived_units():
    p = LIFParameters()
    assert (p.tau_m, p.R_m, p.V_rest, p.V_th, p.V_reset, p.t_ref) == (TAU, R, V_REST, V_TH, V_RESET, T_REF)
    assert p.C_m == pytest.approx(1.0)  # µF/cm² = tau_m / R_m
    assert p.g_L == pytest.approx(0.1)  # mS/cm² = 1 / R_m
    with pytest.raises(Exception):
        p.tau_m = 5.0  # frozen


def test_rheobase_is_exactly_threshold_gap_over_R():
    assert LIFParameters().rheobase == (V_TH - V_REST) / R == 1.5
    p = LIFParameters(R_m=5.0, V_th=-55.0, V_rest=-70.0)
    assert p.rheobase == 15.0 / 5.0
    # closed form: zero at and just below, positive just above
    assert lif_rate(1.5) == 0.0
    assert lif_rate(1.5 * (1 - 1e-12)) == 0.0
    assert lif_rate(1.5 * (1 + 1e-9)) > 0.0
    # simulation: at the rheobase V creeps towards V_th without reaching it
    at = simulate_lif(1.5, duration=2000.0, dt=0.5)
    assert at.spike_count == 0 and at.V.max() < V_TH
    assert at.V[-1] == pytest.approx(V_TH, abs=1e-6)
    above = simulate_lif(1.5 * 1.001, duration=2000.0, dt=0.5)
    assert above.spike_count > 0


# --- Subthreshold response ----------------------------------------------------------------------


@pytest.mark.parametrize("dt", [0.01, 0.1, 2.5])
def test_subthreshold_step_matches_analytic(dt):
    I = 1.0  # below the 1.5 µA/cm² rheobase
    res = simulate_lif(I, duration=100.0, dt=dt)
    expected = V_REST + R * I * (1.0 - np.exp(-res.t / TAU))
    np.testing.assert_allclose(res.V, expected, rtol=0, atol=1e-10)
    assert res.spike_count == 0
    assert res.I_ext.shape == res.V.shape and np.all(res.I_ext == I)


def test_subthreshold_from_other_initial_value_and_negative_current():
    res = simulate_lif(-2.0, duration=50.0, dt=0.1, V0=-55.0)
    V_inf = V_REST + R * -2.0
    np.testing.assert_allclose(res.V, V_inf + (-55.0 - V_inf) * np.exp(-res.t / TAU), atol=1e-10)


def test_callable_pulse_is_piecewise_exact():
    on, off, I = 20.0, 60.0, 1.2
    res = simulate_lif(lambda t: np.where((t >= on) & (t < off), I, 0.0), duration=120.0, dt=0.1)
    t = res.t
    V_on = V_REST + R * I * (1 - np.exp(-np.clip(t - on, 0, None) / TAU))
    V_off = V_REST + R * I * (1 - np.exp(-(off - on) / TAU))
    expected = np.where(t < off, V_on, V_REST + (V_off - V_REST) * np.exp(-(t - off) / TAU))
    np.testing.assert_allclose(res.V, expected, atol=1e-10)
    # a scalar-only callable gives the same result
    scalar = simulate_lif(lambda t: I if on <= t < off else 0.0, duration=120.0, dt=0.1)
    np.testing.assert_array_equal(scalar.V, res.V)


# --- Spikes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dt", [0.01, 0.1, 0.7, 3.0])
def test_spike_times_are_exact_for_any_dt(dt):
    """First spike after tau ln(RI/(RI - 15 mV)), then every t_ref + that (I = 2 → 13.86 ms, 15.86 ms)."""
    I = 2.0
    T = TAU * math.log(R * I / (R * I - (V_TH - V_REST)))
    res = simulate_lif(I, duration=200.0, dt=dt)
    n = res.spike_count
    assert n == 1 + int((200.0 - T) // (T + T_REF))
    expected = T + np.arange(n) * (T + T_REF)
    np.testing.assert_allclose(res.spike_times, expected, rtol=1e-12, atol=1e-9)


def test_refractory_period_holds_V_at_reset():
    res = simulate_lif(5.0, duration=100.0, dt=0.05)
    for s in res.spike_times:
        inside = (res.t > s) & (res.t < s + T_REF)
        assert inside.any()
        assert np.all(res.V[inside] == V_RESET)
    assert res.V.max() < V_TH  # the reset happens inside the step


def test_zero_refractory_and_separate_reset():
    p = LIFParameters(V_reset=-70.0, t_ref=0.0)
    I = 3.0
    res = simulate_lif(I, duration=300.0, dt=0.25, params=p)
    V_inf = V_REST + R * I
    isi = TAU * math.log((V_inf - (-70.0)) / (V_inf - V_TH))
    np.testing.assert_allclose(np.diff(res.spike_times), isi, rtol=1e-9)
    assert lif_rate(I, p) == pytest.approx(1000.0 / isi, rel=1e-12)


def test_many_spikes_per_step_with_zero_refractory():
    p = LIFParameters(t_ref=0.0)
    res = simulate_lif(1e4, duration=10.0, dt=1.0, params=p)  # ~667 spikes per 1-ms step
    assert res.spike_count == int(10.0 * lif_rate(1e4, p) / 1000.0)
    assert np.all(np.diff(res.spike_times) > 0)


# --- F-I curve ----------------------------------------------------------------------------------


def test_closed_form_rate_matches_textbook_formula():
    I = np.concatenate([np.linspace(0.0, 1.5, 7), np.linspace(1.51, 20.0, 40)])
    expected = np.array([textbook_rate(x) for x in I])
    np.testing.assert_allclose(lif_rate(I), expected, rtol=1e-12)
    assert isinstance(lif_rate(2.0), float)
    assert lif_rate(np.ones((2, 3)) * 2.0).shape == (2, 3)


def test_simulated_fi_curve_matches_closed_form():
    I = np.concatenate([[0.0, 1.0, 1.5], np.linspace(1.6, 10.0, 30)])
    simulated = lif_fi_curve(I, duration=1000.0)
    expected = np.array([textbook_rate(x) for x in I])
    np.testing.assert_allclose(simulated, expected, rtol=1e-9, atol=0)  # << 0.5 %
    assert isinstance(lif_fi_curve(3.0, duration=500.0), float)


def test_fi_curve_other_parameters_and_dt():
    p = LIFParameters(tau_m=20.0, R_m=4.0, V_th=-52.0, V_reset=-60.0, t_ref=5.0)
    I = np.linspace(p.rheobase * 1.05, 10 * p.rheobase, 12)
    for dt in (0.1, 1.3):
        np.testing.assert_allclose(lif_fi_curve(I, duration=2000.0, params=p, dt=dt), lif_rate(I, p), rtol=1e-9)


def test_batch_equals_single_runs():
    I = np.array([0.5, 2.0, 4.0])
    batch = simulate_lif(I, duration=80.0)
    assert isinstance(batch, LIFResult)
    assert batch.V.shape == (3, batch.t.size) == batch.I_ext.shape
    assert list(batch.spike_count) == [len(s) for s in batch.spike_times]
    for i, amp in enumerate(I):
        single = simulate_lif(float(amp), duration=80.0)
        np.testing.assert_array_equal(batch.V[i], single.V)
        np.testing.assert_array_equal(batch.spike_times[i], single.spike_times)


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(tau_m=-10.0), ValueError, "tau_m"),
        (dict(tau_m=0.0), ValueError, "tau_m"),
        (dict(tau_m=float("nan")), ValueError, "tau_m"),
        (dict(R_m=0.0), ValueError, "R_m"),
        (dict(t_ref=-1.0), ValueError, "t_ref"),
        (dict(V_reset=-50.0), ValueError, "V_reset"),
        (dict(V_rest=-45.0), ValueError, "V_rest"),
        (dict(V_th="high"), TypeError, "V_th"),
        (dict(V_th=True), TypeError, "V_th"),
    ],
)
def test_bad_parameters(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        LIFParameters(**kwargs)


@pytest.mark.parametrize(
    "args, kwargs, exc, match",
    [
        ((2.0,), dict(duration=-10.0), ValueError, "duration"),
        ((2.0,), dict(dt=0.0), ValueError, "dt"),
        ((2.0,), dict(dt=-0.1), ValueError, "dt"),
        ((2.0,), dict(duration=1.0, dt=2.0), ValueError, "dt"),
        ((float("nan"),), {}, ValueError, "I_ext"),
        ((np.ones((2, 2)),), {}, ValueError, "I_ext"),
        ((np.array([]),), {}, ValueError, "I_ext"),
        (("10",), {}, TypeError, "I_ext"),
        ((lambda t: np.ones(3),), {}, ValueError, r"I_ext\(t\)"),
        ((lambda t: np.nan * t,), {}, ValueError, r"I_ext\(t\)"),
        ((2.0,), dict(params="default"), TypeError, "params"),
        ((2.0,), dict(V0=-50.0), ValueError, "V0"),
        ((2.0,), dict(V0=float("inf")), ValueError, "V0"),
    ],
)
def test_bad_simulate_arguments(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        simulate_lif(*args, **kwargs)


def test_bad_rate_and_fi_arguments():
    with pytest.raises(ValueError, match="I"):
        lif_rate(float("nan"))
    with pytest.raises(TypeError, match="params"):
        lif_rate(2.0, params=object())
    with pytest.raises(ValueError, match="currents"):
        lif_fi_curve(np.ones((2, 2)))
    with pytest.raises(ValueError, match="currents"):
        lif_fi_curve([])
    with pytest.raises(ValueError, match="duration"):
        lif_fi_curve([2.0], duration=0.0)


# --- Plots --------------------------------------------------------------------------------------


def test_plot_lif_trace_and_fi():
    res = simulate_lif(2.0, duration=50.0)
    fig = plot_lif_trace(res)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "(ms)" in ax.get_xlabel() and "(mV)" in ax.get_ylabel()
    # each spike is drawn as a stroke reaching the cosmetic peak
    assert ax.lines[0].get_ydata().max() == 20.0
    plt.close(fig)

    fig, axes = plt.subplots(1, 2)
    assert plot_lif_trace(simulate_lif(np.array([1.0, 3.0]), duration=50.0), ax=axes[0]) is fig
    assert plot_lif_fi(np.linspace(0, 4, 9), ax=axes[1], duration=300.0) is fig
    assert "(µA/cm²)" in axes[1].get_xlabel() and "(Hz)" in axes[1].get_ylabel()
    assert_korean_figure(fig)
    plt.close(fig)


def test_plot_bad_input():
    with pytest.raises(TypeError, match="result"):
        plot_lif_trace(np.zeros(10))
    with pytest.raises(ValueError, match="spike_peak"):
        plot_lif_trace(simulate_lif(2.0, duration=20.0), spike_peak=-60.0)
    with pytest.raises(ValueError, match="currents"):
        plot_lif_fi([])
    with pytest.raises(ValueError, match="ax"):
        plot_lif_fi([1.0, 2.0], ax="left")
    plt.close("all")
