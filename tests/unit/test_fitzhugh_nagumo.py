"""Tests of the FitzHugh-Nagumo model against hand-derived and independently computed values.

Everything is dimensionless. The references here do not reuse hh_lib's formulas:
fixed points come from ``numpy.roots`` of the cubic, the Jacobian from central
finite differences of a separately written right-hand side, the Hopf currents
from root-finding (``brentq``) on the trace of that numerical Jacobian, and the
trajectory from scipy's DOP853 at rtol = atol = 1e-12.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy.integrate import solve_ivp  # noqa: E402
from scipy.optimize import brentq  # noqa: E402

from hh_lib.reduced.fitzhugh_nagumo import (  # noqa: E402
    FHNParameters,
    FHNResult,
    fhn_fixed_point,
    fhn_hopf_currents,
    fhn_jacobian,
    fhn_nullclines,
    fhn_stability,
    simulate_fhn,
)
from hh_lib.plotting import plot_fhn_phase_plane  # noqa: E402
from helpers import assert_korean_figure  # noqa: E402

A, B, EPS = 0.7, 0.8, 0.08


def rhs(y, I, a=A, b=B, eps=EPS):
    v, w = y
    return np.array([v - v**3 / 3 - w + I, eps * (v + a - b * w)])


def roots_fixed_point(I, a=A, b=B):
    """Real root of -v³/3 + (1 - 1/b) v + (I - a/b) = 0 via numpy.roots, and w = (v + a)/b."""
    r = np.roots([-1.0 / 3.0, 0.0, 1.0 - 1.0 / b, I - a / b])
    real = r[np.abs(r.imag) < 1e-9].real
    assert real.size == 1
    return real[0], (real[0] + a) / b


def fd_jacobian(v, w, I, a=A, b=B, eps=EPS, h=1e-6):
    J = np.empty((2, 2))
    for j, e in enumerate(np.eye(2)):
        y = np.array([v, w])
        J[:, j] = (rhs(y + h * e, I, a, b, eps) - rhs(y - h * e, I, a, b, eps)) / (2 * h)
    return J


# --- Fixed point --------------------------------------------------------------------------------


def test_fixed_point_at_zero_current():
    v, w = fhn_fixed_point(0.0)
    # hand value: v* ≈ -1.1994, w* = (v* + 0.7)/0.8 ≈ -0.6243
    assert v == pytest.approx(-1.1994, abs=5e-5)
    assert w == pytest.approx(-0.6243, abs=5e-5)
    rv, rw = roots_fixed_point(0.0)
    assert v == pytest.approx(rv, abs=1e-12) and w == pytest.approx(rw, abs=1e-12)
    np.testing.assert_allclose(rhs((v, w), 0.0), 0.0, atol=1e-13)


@pytest.mark.parametrize(
    "params",
    [FHNParameters(), FHNParameters(a=0.3, b=0.5, epsilon=0.2), FHNParameters(a=0.7, b=1.0), FHNParameters(a=-0.2, b=0.1)],
)
def test_fixed_point_vectorised_matches_numpy_roots(params):
    I = np.linspace(-3.0, 3.0, 61)
    v, w = fhn_fixed_point(I, params)
    assert v.shape == I.shape == w.shape
    ref = np.array([roots_fixed_point(x, params.a, params.b) for x in I])
    np.testing.assert_allclose(v, ref[:, 0], atol=1e-10)
    np.testing.assert_allclose(w, ref[:, 1], atol=1e-10)
    # it lies on both nullclines
    w_v, w_w = fhn_nullclines(v, 0.0, params)
    np.testing.assert_allclose(w_v + I, w, atol=1e-10)
    np.testing.assert_allclose(w_w, w, atol=1e-12)


def test_fixed_point_where_cardano_degenerates():
    # b = 1, I = a: p = q = 0, v* = 0 exactly (the Newton polish must not divide by zero)
    assert fhn_fixed_point(0.7, FHNParameters(b=1.0)) == (0.0, 0.7)


def test_nullclines():
    v = np.linspace(-2, 2, 5)
    w_v, w_w = fhn_nullclines(v, I=0.5)
    np.testing.assert_allclose(w_v, v - v**3 / 3 + 0.5)
    np.testing.assert_allclose(w_w, (v + A) / B)


# --- Linearisation, stability, Hopf -------------------------------------------------------------


@pytest.mark.parametrize("I", [0.0, 0.5, 1.2])
def test_jacobian_matches_finite_differences(I):
    v, w = roots_fixed_point(I)
    np.testing.assert_allclose(fhn_jacobian(v), fd_jacobian(v, w, I), atol=1e-8)


def test_hopf_currents_hand_values_and_independent_root_finding():
    lo, hi = fhn_hopf_currents()
    # by hand: v* = ∓sqrt(1 - 0.064) = ∓0.967471; I = (v*+0.7)/0.8 - v* + v*³/3
    vs = math.sqrt(1 - EPS * B)
    assert lo == pytest.approx((-vs + A) / B + vs - vs**3 / 3, abs=1e-12)
    assert lo == pytest.approx(0.3313, abs=1e-4) and hi == pytest.approx(1.4187, abs=1e-4)

    def trace(I):
        return np.trace(fd_jacobian(*roots_fixed_point(I), I))

    assert lo == pytest.approx(brentq(trace, 0.0, 1.0, xtol=1e-13), abs=1e-7)
    assert hi == pytest.approx(brentq(trace, 1.0, 2.0, xtol=1e-13), abs=1e-7)


def test_hopf_currents_other_parameters():
    p = FHNParameters(a=0.5, b=0.6, epsilon=0.3)
    for I_h in fhn_hopf_currents(p):
        assert abs(fhn_stability(I_h, p).trace) < 1e-9


def test_eigenvalues_at_hopf_are_imaginary():
    for I_h in fhn_hopf_currents():
        s = fhn_stability(I_h)
        np.testing.assert_allclose(s.eigenvalues.real, 0.0, atol=1e-9)
        omega = math.sqrt(EPS * (1 - EPS * B**2))  # ± i sqrt(det J) on the Hopf line
        np.testing.assert_allclose(np.sort(s.eigenvalues.imag), [-omega, omega], rtol=1e-8)


def test_stability_changes_across_the_hopf_currents():
    lo, hi = fhn_hopf_currents()
    below, above = fhn_stability(lo - 0.01), fhn_stability(lo + 0.01)
    assert below.stable and below.kind == "stable focus"
    assert not above.stable and above.kind == "unstable focus"
    assert fhn_stability(hi - 0.01).kind == "unstable focus"
    assert fhn_stability(hi + 0.01).stable
    s0 = fhn_stability(0.0)
    assert s0.stable and s0.determinant > 0 and s0.trace < 0
    assert s0.v == pytest.approx(roots_fixed_point(0.0)[0], abs=1e-12)
    assert fhn_stability(1.0).kind == "unstable node"
    # the page prints the course's Korean term for each kind
    assert below.kind_korean == "안정 나선점" and above.kind_korean == "불안정 나선점"
    assert fhn_stability(1.0).kind_korean == "불안정 마디점"


def test_no_hopf_when_eps_b_at_least_one():
    with pytest.raises(ValueError, match="epsilon"):
        fhn_hopf_currents(FHNParameters(b=1.0, epsilon=1.0))


# --- Simulation ---------------------------------------------------------------------------------


def test_rk4_matches_dop853_reference():
    res = simulate_fhn(0.5, duration=100.0, dt=0.01)
    ref = solve_ivp(lambda t, y: rhs(y, 0.5), (0, 100), [res.v[0], res.w[0]], method="DOP853",
                    rtol=1e-12, atol=1e-12, t_eval=res.t)
    np.testing.assert_allclose(res.v, ref.y[0], atol=1e-7)
    np.testing.assert_allclose(res.w, ref.y[1], atol=1e-7)


def test_oscillation_at_I_half_none_at_zero():
    res = simulate_fhn(np.array([0.0, 0.5]), duration=400.0, v0=0.0)  # a supra-threshold kick at t = 0
    late = res.t > 200.0
    rest, osc = res.v[0], res.v[1]
    # I = 0: a single excursion, then back to the stable fixed point
    v_star, _ = fhn_fixed_point(0.0)
    assert len(res.crossing_times(1.0)[0]) == 1
    assert np.ptp(rest[late]) < 1e-6 and rest[-1] == pytest.approx(v_star, abs=1e-6)
    # I = 0.5: a relaxation limit cycle of amplitude ~3.8 with a regular period
    assert np.ptp(osc[late]) > 3.0
    crossings = res.crossing_times(1.0)[1]
    periods = np.diff(crossings[crossings > 100.0])
    assert periods.size >= 5
    assert np.std(periods) < 1e-3 * np.mean(periods)
    assert 30.0 < np.mean(periods) < 50.0  # measured 39.47 time units


def test_rest_stays_at_rest():
    res = simulate_fhn(0.0, duration=100.0)
    v, w = fhn_fixed_point(0.0)
    assert np.max(np.abs(res.v - v)) < 1e-12 and np.max(np.abs(res.w - w)) < 1e-12


def test_callable_and_batch_currents():
    pulse = simulate_fhn(lambda t: np.where((t >= 10) & (t < 12), 2.0, 0.0), duration=100.0)
    assert isinstance(pulse, FHNResult)
    assert pulse.I.shape == pulse.v.shape and pulse.I.max() == 2.0
    assert len(pulse.crossing_times()) == 1  # a brief strong pulse fires one spike
    batch = simulate_fhn(np.array([0.0, 0.5]), duration=50.0)
    assert batch.v.shape == (2, batch.t.size)
    np.testing.assert_array_equal(batch.v[1], simulate_fhn(0.5, duration=50.0).v)


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(b=0.0), ValueError, "b"),
        (dict(b=1.5), ValueError, "b"),
        (dict(epsilon=-0.08), ValueError, "epsilon"),
        (dict(epsilon=0.0), ValueError, "epsilon"),
        (dict(a=float("nan")), ValueError, "a"),
        (dict(a="0.7"), TypeError, "a"),
    ],
)
def test_bad_parameters(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        FHNParameters(**kwargs)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(duration=-5.0), ValueError, "duration"),
        (dict(dt=0.0), ValueError, "dt"),
        (dict(duration=1.0, dt=1.0), ValueError, "dt"),
        (dict(I=float("nan")), ValueError, "I"),
        (dict(I=np.zeros((2, 2))), ValueError, "I"),
        (dict(I="big"), TypeError, "I"),
        (dict(v0=float("nan")), ValueError, "v0"),
        (dict(w0=100.0), ValueError, "w0"),
        (dict(params=(0.7, 0.8, 0.08)), TypeError, "params"),
    ],
)
def test_bad_simulate_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        simulate_fhn(**kwargs)


def test_bad_analysis_arguments():
    with pytest.raises(ValueError, match="I"):
        fhn_stability(float("inf"))
    with pytest.raises(ValueError, match="I"):
        fhn_fixed_point([0.0, float("nan")])
    with pytest.raises(TypeError, match="v"):
        fhn_nullclines("v")
    with pytest.raises(TypeError, match="v"):
        fhn_jacobian(None)
    with pytest.raises(TypeError, match="params"):
        fhn_hopf_currents("default")


# --- Plot ---------------------------------------------------------------------------------------


def test_phase_plane_plot():
    fig = plot_fhn_phase_plane(0.5)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "무차원" in ax.get_xlabel() and "무차원" in ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("불안정 나선점" in s for s in labels)  # the kind "unstable focus"
    assert_korean_figure(fig)
    plt.close(fig)
    fig, ax = plt.subplots()
    assert plot_fhn_phase_plane(0.0, ax=ax, duration=50.0) is fig
    assert any("(안정 나선점)" in t.get_text() for t in ax.get_legend().get_texts())  # "stable focus"
    with pytest.raises(ValueError, match="v_range"):
        plot_fhn_phase_plane(0.0, ax=ax, v_range=(1.0, -1.0))
    with pytest.raises(ValueError, match="I"):
        plot_fhn_phase_plane(float("nan"))
    plt.close("all")
