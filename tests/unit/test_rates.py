"""Rate functions, steady states and time constants against the seed formulas.

References: tests/reference.py (seed formulas re-implemented with expm1), 50-digit
mpmath evaluations of the seed formulas near the 0/0 points, and the analytic
limits alpha_m(-40) = 0.1*10 = 1 and alpha_n(-55) = 0.01*10 = 0.1.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest

import hh_lib
import reference as R

RATES = ["alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n", "beta_n"]

mpmath.mp.dps = 50


def _mp_alpha_m(V: float) -> float:
    u = mpmath.mpf(V) + 40
    return float(mpmath.mpf("0.1") * u / (1 - mpmath.exp(-u / 10))) if u != 0 else 1.0


def _mp_alpha_n(V: float) -> float:
    u = mpmath.mpf(V) + 55
    return float(mpmath.mpf("0.01") * u / (1 - mpmath.exp(-u / 10))) if u != 0 else 0.1


@pytest.mark.parametrize("name", RATES)
def test_rate_matches_seed_formula_on_wide_grid(name):
    V = np.linspace(-150.0, 100.0, 20001)
    got = getattr(hh_lib, name)(V)
    want = getattr(R, name)(V)
    assert isinstance(got, np.ndarray) and got.shape == V.shape
    # observed max relative difference 4.4e-16 (alpha_m, alpha_n), 0 for the others
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)


@pytest.mark.parametrize(
    "name, V, expected",
    [
        # values of the seed formulas, computed by hand / from the textbook at rest
        ("beta_m", -65.0, 4.0),
        ("alpha_h", -65.0, 0.07),
        ("beta_h", -35.0, 0.5),
        ("beta_n", -65.0, 0.125),
        ("alpha_m", -30.0, 1.0 / (1.0 - np.exp(-1.0))),
        ("alpha_n", -45.0, 0.1 / (1.0 - np.exp(-1.0))),
    ],
)
def test_rate_known_values(name, V, expected):
    assert getattr(hh_lib, name)(V) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("name", RATES)
def test_rate_scalar_in_float_out_and_shapes_preserved(name):
    f = getattr(hh_lib, name)
    out = f(-65.0)
    assert type(out) is float
    assert type(f(-65)) is float  # ints accepted
    arr = f([[-70.0, -60.0], [-50.0, 0.0]])
    assert isinstance(arr, np.ndarray) and arr.shape == (2, 2)
    assert arr[0, 1] == pytest.approx(float(getattr(R, name)(-60.0)), rel=1e-13)


def test_alpha_m_limit_is_exactly_one():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert hh_lib.alpha_m(-40.0) == 1.0
        assert hh_lib.alpha_m(np.array([-40.0]))[0] == 1.0


def test_alpha_n_limit_is_exactly_point_one():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert hh_lib.alpha_n(-55.0) == 0.1
        assert hh_lib.alpha_n(np.array([-55.0]))[0] == 0.1


OFFSETS = [1e-9, -1e-9, 1e-7, -1e-7, 1e-5, -1e-5, 1e-5 * (1 + 1e-9), 1e-5 * (1 - 1e-9), 1e-3, -1e-3]


@pytest.mark.parametrize(
    "name, V0, mp_func, slope",
    [("alpha_m", -40.0, _mp_alpha_m, 0.05), ("alpha_n", -55.0, _mp_alpha_n, 0.005)],
)
def test_singular_point_continuity(name, V0, mp_func, slope):
    """Near the 0/0 point the rate equals the 50-digit value, with no NaN and no warning."""
    f = getattr(hh_lib, name)
    V = V0 + np.array(OFFSETS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning (0/0, overflow) fails the test
        scalar = np.array([f(float(v)) for v in V])
        vector = f(V)
    want = np.array([mp_func(float(v)) for v in V])
    assert np.all(np.isfinite(scalar)) and np.all(np.isfinite(vector))
    # Observed relative error <= 2.2e-16 at every offset except just inside the library's
    # Taylor branch (|x| < 1e-6, i.e. |V - V0| < 1e-5 mV): 8.3e-14 at 1e-5*(1 - 1e-9) mV, the
    # dropped x^2/12 term (hh_lib documents < 1e-13). Tolerance 3e-13.
    np.testing.assert_allclose(scalar, want, rtol=3e-13, atol=0)
    np.testing.assert_allclose(vector, want, rtol=3e-13, atol=0)
    # smooth: the central-difference slope matches the analytic derivative of the limit form
    # d/dV [a*s * x/(1-exp(-x))] at x = 0 is a*s * 1/2 / s = a/2 (0.05 for alpha_m, 0.005 for alpha_n)
    for d in (1e-9, 1e-7, 1e-5, 1e-3):
        fd = (f(V0 + d) - f(V0 - d)) / (2 * d)
        assert fd == pytest.approx(slope, rel=1e-3), d
    # and monotonic increasing through the singular point
    order = np.argsort(V)
    assert np.all(np.diff(vector[order]) > 0)


def test_steady_state_matches_alpha_over_alpha_plus_beta_and_in_unit_interval():
    V = np.linspace(-300.0, 300.0, 6001)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = hh_lib.steady_state(V)
    want = R.steady_state(V)
    for g, w in zip(got, want):
        assert np.all(np.isfinite(g))
        assert np.all((g >= 0.0) & (g <= 1.0))
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-300)


def test_steady_state_at_rest_textbook_values():
    # Textbook HH resting gate values at -65 mV: m = 0.0529, h = 0.5961, n = 0.3177
    # (by hand: 0.22356/4.22356, 0.07/0.117426, 0.058198/0.183198)
    m, h, n = hh_lib.steady_state(-65.0)
    assert m == pytest.approx(0.05293, abs=2e-5)
    assert h == pytest.approx(0.59612, abs=2e-5)
    assert n == pytest.approx(0.31768, abs=2e-5)


def test_time_constants_default_temperature():
    V = np.linspace(-120.0, 60.0, 1801)
    got = hh_lib.time_constants(V)
    want = R.time_constants(V, phi=1.0)
    for g, w in zip(got, want):
        assert np.all(g > 0)
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_time_constants_divided_by_exactly_three_at_16_3_degrees():
    V = np.linspace(-100.0, 40.0, 141)
    cold = hh_lib.time_constants(V)
    warm = hh_lib.time_constants(V, hh_lib.HHParameters(temperature=16.3))
    for c, w in zip(cold, warm):
        np.testing.assert_allclose(c / w, 3.0, rtol=1e-14)


@pytest.mark.parametrize("T, q10", [(0.0, 3.0), (20.0, 2.5), (37.0, 3.0), (6.3, 7.0)])
def test_time_constants_general_phi(T, q10):
    V = np.linspace(-100.0, 40.0, 71)
    phi = q10 ** ((T - 6.3) / 10.0)
    got = hh_lib.time_constants(V, hh_lib.HHParameters(temperature=T, q10=q10))
    for g, w in zip(got, R.time_constants(V, phi=phi)):
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_time_constant_textbook_values_at_rest():
    # By hand at -65 mV, 6.3 °C: alpha_m = 2.5/(e^2.5 - 1) = 0.22356, beta_m = 4,
    # alpha_h = 0.07, beta_h = 1/(1 + e^3) = 0.047426, alpha_n = 0.1/(e - 1) = 0.058198,
    # beta_n = 0.125  ->  tau_m = 0.23677, tau_h = 8.5160, tau_n = 5.4586 ms.
    tm, th, tn = hh_lib.time_constants(-65.0)
    assert tm == pytest.approx(0.23677, abs=1e-4)
    assert th == pytest.approx(8.5160, abs=1e-3)
    assert tn == pytest.approx(5.4586, abs=1e-3)
