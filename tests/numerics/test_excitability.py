"""hh_lib.hh.excitability against independent computations.

* Jacobian and eigenvalues: central finite differences of the reference right-hand side
  (tests/reference.py, which does not import hh_lib) at the reference equilibrium.
* Hopf currents: root of the largest real part of those eigenvalues; and the published value
  (rest loses stability near 9.78 µA/cm² at 6.3 °C; Rinzel & Miller 1980).
* Two-pulse protocol and ramp: tight solve_ivp runs of the reference model with piecewise-constant
  currents, counted with tests/spike_reference.py (the course's state rule, via reference.ap_events).
"""

from __future__ import annotations


import numpy as np
import pytest
from scipy.optimize import brentq

import reference as R
from spike_reference import zero_crossings
from hh_lib import (HHParameters, current_ramp, equilibrium_eigenvalues, half_amplitude_width, hopf_current,
                    jacobian, refractory_curve, resting_state, second_spike)

def ref_equilibrium(I: float) -> np.ndarray:
    V = brentq(R.steady_current, -90.0, 40.0, args=(I,), xtol=1e-13)
    return np.array([V, *(float(x) for x in R.steady_state(V))])


def ref_jacobian(y: np.ndarray, I: float, T: float = 6.3) -> np.ndarray:
    f = R._make_rhs(I, R.phi_of(T), R.G_NA, R.G_K)
    J = np.empty((4, 4))
    for j in range(4):
        h = 1e-6 * max(1.0, abs(y[j]))
        up, dn = y.copy(), y.copy()
        up[j] += h
        dn[j] -= h
        J[:, j] = (np.array(f(0.0, up)) - np.array(f(0.0, dn))) / (2 * h)
    return J


def ref_growth(I: float) -> float:
    return float(np.linalg.eigvals(ref_jacobian(ref_equilibrium(I), I)).real.max())


@pytest.mark.parametrize("I", [0.0, 5.0, 9.0, 12.0, 50.0])
def test_resting_state_and_jacobian_match_the_reference(I):
    y = ref_equilibrium(I)
    np.testing.assert_allclose(resting_state(I), y, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(jacobian(y, I), ref_jacobian(y, I), rtol=1e-6, atol=1e-6)


def test_jacobian_away_from_equilibrium_and_warm():
    y = np.array([-20.0, 0.6, 0.3, 0.5])
    T = 18.5
    np.testing.assert_allclose(jacobian(y, 3.0, HHParameters(temperature=T)), ref_jacobian(y, 3.0, T), rtol=1e-6, atol=1e-6)


def test_rest_is_a_stable_equilibrium():
    lam = equilibrium_eigenvalues(0.0)
    assert lam.real.max() < 0
    ref = np.sort_complex(np.linalg.eigvals(ref_jacobian(ref_equilibrium(0.0), 0.0)))
    np.testing.assert_allclose(np.sort_complex(lam), ref, rtol=1e-6, atol=1e-8)


def test_hopf_current_matches_an_independent_root_and_the_literature():
    I_h = hopf_current()
    ref = brentq(ref_growth, 5.0, 15.0, xtol=1e-9)
    assert abs(I_h - ref) < 1e-4
    assert abs(I_h - 9.78) < 0.01  # Rinzel & Miller (1980): 9.78 µA/cm²
    lam = equilibrium_eigenvalues(I_h)[:2]
    assert abs(lam[0].real) < 1e-8 and abs(lam[0].imag) > 0.1  # a complex pair on the imaginary axis


def test_second_hopf_current_restores_stability():
    I2 = hopf_current(low=100.0, high=200.0)
    assert abs(I2 - brentq(ref_growth, 100.0, 200.0, xtol=1e-9)) < 1e-4
    assert 150.0 < I2 < 160.0
    assert equilibrium_eigenvalues(I2 + 5.0)[0].real < 0 < equilibrium_eigenvalues(I2 - 5.0)[0].real


def test_hopf_current_rejects_a_bracket_without_a_sign_change():
    with pytest.raises(ValueError, match="bracket"):
        hopf_current(low=0.0, high=5.0)
    with pytest.raises(ValueError, match="low"):
        hopf_current(low=10.0, high=5.0)


# --- two-pulse protocol --------------------------------------------------------------------------

ONSET, WIDTH, COND = 5.0, 0.5, 40.0


def ref_second_spike(interval: float, amplitude: float, detector) -> bool:
    t2 = ONSET + interval
    pieces = ((0.0, 0.0), (ONSET, COND), (ONSET + WIDTH, 0.0), (t2, amplitude), (t2 + WIDTH, 0.0))
    if interval < WIDTH:
        raise ValueError("overlapping pulses")
    if detector is None:  # the state rule, on the dense output
        return int(np.sum(R.action_potentials(R.run(pieces, t2 + 30.0)) >= ONSET)) >= 2
    t, y = R.trajectory(pieces, t2 + 30.0, 0.01)
    return int(np.sum(detector(t, y[0]) >= ONSET)) >= 2


def ref_min_interval(amplitude: float, detector, lo: float, hi: float, tol: float = 0.02) -> float:
    assert not ref_second_spike(lo, amplitude, detector) and ref_second_spike(hi, amplitude, detector)
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if ref_second_spike(mid, amplitude, detector) else (mid, hi)
    return hi


@pytest.mark.parametrize("amplitude, lo, hi", [(20.0, 12.0, 14.0), (100.0, 6.0, 8.0)])
def test_refractory_interval_with_a_fixed_threshold_matches_the_reference(amplitude, lo, hi):
    got = refractory_curve([amplitude], threshold=0.0, conditioning=COND, width=WIDTH).min_interval[0]
    want = ref_min_interval(amplitude, zero_crossings, lo, hi)
    assert abs(got - want) < 0.06, (got, want)


@pytest.mark.parametrize("amplitude, lo, hi", [(100.0, 6.0, 8.0), (400.0, 4.0, 5.0)])
def test_refractory_interval_with_the_default_criterion_matches_the_reference(amplitude, lo, hi):
    got = refractory_curve([amplitude], conditioning=COND, width=WIDTH).min_interval[0]
    want = ref_min_interval(amplitude, None, lo, hi)
    assert abs(got - want) < 0.06, (got, want)


def test_stronger_test_pulses_need_shorter_intervals_down_to_an_absolute_limit():
    curve = refractory_curve([15.0, 20.0, 50.0, 200.0, 400.0], threshold=0.0)
    d = curve.min_interval
    assert np.all(np.isfinite(d)) and np.all(np.diff(d) < 0)
    assert not second_spike(d[-1] - 0.5, 400.0, threshold=0.0)


def test_second_spike_bad_input():
    with pytest.raises(ValueError, match="conditioning"):
        second_spike(10.0, 5.0, conditioning=1.0)
    with pytest.raises(ValueError, match="conditioning"):
        refractory_curve([20.0], conditioning=1.0)
    with pytest.raises(ValueError, match="interval"):
        second_spike(-1.0, 20.0)
    with pytest.raises(TypeError, match="amplitudes"):
        refractory_curve("big")


# --- ramp and bistability ----------------------------------------------------------------------


def test_ramp_stops_firing_inside_the_reference_bistable_range():
    """Reference: a step to 6.35 µA/cm² fires repetitively; at 6.15 even a firing membrane stops."""
    keeps = R.run(6.35, 700.0, dense=False, max_step=0.05)
    stops = R.run(((0.0, 10.0), (100.0, 6.15)), 700.0, dense=False, max_step=0.05)
    assert keeps.count(500.0, 700.0) > 5 and stops.count(500.0, 700.0) == 0
    ramp = current_ramp(14.0, 4000.0, threshold=0.0)
    assert 6.15 < ramp.I_off < 6.4
    assert ramp.I_on > hopf_current()  # on the way up the membrane rests past the Hopf point


def test_half_amplitude_width_of_a_reference_spike():
    t, y = R.trajectory(10.0, 12.0, 0.005)
    V = y[0]
    i_pk = int(np.argmax(V))
    half = 0.5 * (V[i_pk] + V[: i_pk + 1].min())
    up = np.interp(half, V[: i_pk + 1], t[: i_pk + 1])
    fall = slice(i_pk, i_pk + int(np.argmax(V[i_pk:] < half)) + 1)
    down = np.interp(half, V[fall][::-1], t[fall][::-1])
    width, peak = half_amplitude_width(t, V, threshold=0.0)
    assert abs(peak - V[i_pk]) < 1e-12
    assert abs(width - (down - up)) < 1e-3


def test_excitability_figures_reject_wrong_inputs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hh_lib.plotting import use_korean_font

    use_korean_font()  # Hangul labels (otherwise matplotlib warns about missing glyphs)

    from hh_lib import simulate
    from hh_lib.plotting import plot_ramp_hysteresis, plot_refractory, plot_stability

    curve = refractory_curve([50.0], threshold=0.0)
    alone = simulate(lambda t: 40.0 * ((t >= 5.0) & (t < 5.5)), 20.0)
    fig = plot_refractory(curve, alone)
    assert len(fig.axes) == 2 and "µA/cm²" in fig.axes[0].get_ylabel()
    with pytest.raises(TypeError, match="curve"):
        plot_refractory([1.0], alone)
    with pytest.raises(TypeError, match="ramp"):
        plot_ramp_hysteresis(alone)
    fig = plot_stability([0.0, 12.0], hopf=9.78)
    y = fig.axes[0].get_lines()[0].get_ydata()
    assert y[0] < 0 < y[1]
    plt.close("all")
