"""The plain-numpy Connor-Stevens model (hh_lib.cs) against the independent reference
(tests/cs_reference.py, written from Dayan & Abbott 2001 without importing hh_lib): the ten gating
functions on a grid through their 0/0 points, steady states and time constants, the resting
potential, the right-hand side at random states (blocked A-current too), the state rule's ratio,
and the argument checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cs_reference as R
from hh_lib import HHParameters
from hh_lib import cs
from hh_lib.cs import CSParameters

NAMES = ("alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n", "beta_n", "a_inf", "tau_a", "b_inf", "tau_b")
SINGULAR = {"alpha_m": (-29.7, 3.8), "alpha_n": (-45.7, 0.2)}  # V (mV) where the book's form is 0/0, limit (1/ms)

# A grid through -150..100 mV that contains the exact 0/0 points and points very close to them.
_NEAR = np.concatenate([[0.0], np.ravel([[-d, d] for d in (1e-12, 1e-9, 1e-6, 1e-3, 0.1)])])
GRID = np.unique(np.concatenate([np.linspace(-150.0, 100.0, 5001), -29.7 + _NEAR, -45.7 + _NEAR]))


@pytest.mark.parametrize("name", NAMES)
def test_gating_function_matches_reference_on_grid(name):
    lib, ref = getattr(cs, name)(GRID), getattr(R, name)(GRID)
    assert np.all(np.isfinite(lib))
    np.testing.assert_allclose(lib, ref, rtol=2e-13, atol=0.0)


@pytest.mark.parametrize("name", sorted(SINGULAR))
def test_singular_point_is_the_limit_and_smooth(name):
    V0, limit = SINGULAR[name]
    f = getattr(cs, name)
    assert f(V0) == pytest.approx(limit, rel=1e-15)
    # a·x/(1 - e^-x) = a (1 + x/2 + x²/12 + ...) with x = 0.1 (V - V0): no jump on either side
    for dV in (-1e-7, -1e-10, 1e-10, 1e-7):
        x = 0.1 * dV
        assert f(V0 + dV) == pytest.approx(limit * (1.0 + x / 2.0 + x * x / 12.0), rel=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_scalar_in_float_out_and_shapes_kept(name):
    f = getattr(cs, name)
    assert type(f(-65.0)) is float
    assert type(f(np.float64(-65.0))) is float
    assert f(np.zeros((2, 3))).shape == (2, 3)
    assert f([-70.0, 0.0]).shape == (2,)


@pytest.mark.parametrize("V", [-1e5, -2e4, 2e4, 1e5])
def test_gating_functions_stay_finite_far_outside_the_physiological_range(V):
    # the book's a∞ is inf/inf above about +20000 mV; the combined form is not
    for name in ("a_inf", "b_inf", "tau_a", "tau_b", "alpha_m", "alpha_n"):
        assert math.isfinite(getattr(cs, name)(V)), name
    assert 0.0 <= cs.a_inf(V) <= 1.02 and 0.0 <= cs.b_inf(V) <= 1.0


def test_steady_state_and_time_constants_match_reference():
    for lib, ref in zip(cs.steady_state(GRID), R.steady_state(GRID)):
        np.testing.assert_allclose(lib, ref, rtol=1e-12, atol=1e-300)
        assert np.all(lib >= 0.0)
    m, h, n, a, b = cs.steady_state(GRID)
    assert max(m.max(), h.max(), n.max(), b.max()) <= 1.0
    # the book's fitted a∞ overshoots 1 a little above +40 mV (largest 1.0127 near +65 mV): kept as written
    assert a.max() == pytest.approx(1.0127, abs=1e-4) and np.all(a[GRID < 40.0] < 1.0)
    for lib, ref in zip(cs.time_constants(GRID), R.time_constants(GRID)):
        np.testing.assert_allclose(lib, ref, rtol=1e-12)
        assert np.all(lib > 0.0)


def test_resting_potential_matches_reference():
    V_ref = R.resting_potential()
    assert cs.equilibrium_potential() == pytest.approx(V_ref, abs=1e-9)
    assert V_ref == pytest.approx(-67.978, abs=1e-3)
    state = cs.equilibrium_state()
    np.testing.assert_allclose(state, R.rest_state(), rtol=1e-9)
    # the rest's gates agree with a published transcription of the book's model (2 or 3 digits)
    np.testing.assert_allclose(state[1:], (0.010, 0.966, 0.156, 0.540, 0.289), atol=6e-4)
    assert sum(cs.steady_state_currents(state[0])) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("block", [0.0, 0.5, 1.0])
def test_rest_with_a_current_blocked_matches_reference(block):
    p = CSParameters().with_block(a_current=block)
    assert cs.equilibrium_potential(params=p) == pytest.approx(R.equilibria(0.0, 1.0 - block)[0], abs=1e-9)


def test_three_equilibria_below_onset_need_a_narrower_bracket():
    eqs = R.equilibria(8.0)
    assert len(eqs) == 3  # just below the saddle-node at the knee of the I-V curve
    with pytest.raises(ValueError, match="3 equilibria.*narrow"):
        cs.equilibrium_potential(8.0)
    assert cs.equilibrium_potential(8.0, low=-100.0, high=-57.0) == pytest.approx(eqs[0], abs=1e-9)
    assert sum(cs.steady_state_currents(eqs[2])) == pytest.approx(8.0, abs=1e-9)


def _random_states(rng, n):
    V = rng.uniform(-100.0, 60.0, n)
    V[:2] = (-29.7, -45.7)  # the 0/0 points of α_m and α_n
    gates = rng.uniform(0.0, 1.0, (5, n))
    return V, gates, rng.uniform(-20.0, 100.0, n)


@pytest.mark.parametrize("block", [0.0, 0.5, 1.0])
def test_rhs_matches_reference_at_random_states(block):
    rng = np.random.default_rng(23)
    V, gates, I = _random_states(rng, 2000)
    p = CSParameters().with_block(a_current=block).as_tuple()
    lib = cs.cs_rhs(V, *gates, I, p)
    ref = R.rhs_array(V, *gates, I, ga_scale=1.0 - block)
    scale = np.abs(np.stack(ref)).max(axis=1, keepdims=True)
    np.testing.assert_allclose(np.stack(lib) / scale, np.stack(ref) / scale, rtol=0.0, atol=1e-13)
    one = cs.cs_rhs(float(V[5]), *(float(g) for g in gates[:, 5]), float(I[5]), p)  # plain numbers
    np.testing.assert_allclose(one, np.stack(ref)[:, 5], rtol=1e-12, atol=1e-13)


def test_rhs_vanishes_at_rest():
    out = cs.cs_rhs(*cs.equilibrium_state(), 0.0, CSParameters().as_tuple())
    np.testing.assert_allclose(out, 0.0, atol=1e-12)


def test_conductances_currents_and_ratio_match_reference():
    rng = np.random.default_rng(5)
    V, gates, _ = _random_states(rng, 500)
    p = CSParameters().as_tuple()
    for lib, ref in zip(cs.conductances(*gates, p), R.conductances(*gates)):
        np.testing.assert_allclose(lib, ref, rtol=1e-14)
    for lib, ref in zip(cs.ionic_currents(V, *gates, p), R.ionic_currents(V, *gates)):
        np.testing.assert_allclose(lib, ref, rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(cs.na_conductance_ratio(*gates, p), R.na_ratio(*gates), rtol=1e-14)


def test_rhs_takes_complex_steps():
    # complex-step derivative of dV/dt along V, against a central difference of the reference
    y = np.array(cs.equilibrium_state(5.0))
    p = CSParameters().as_tuple()
    h = 1e-20
    d_complex = cs.cs_rhs(y[0] + 1j * h, *y[1:], 5.0, p)[0].imag / h
    e = 1e-5
    f = lambda v: R.rhs_array(v, *y[1:], 5.0)[0]  # noqa: E731
    assert d_complex == pytest.approx((f(y[0] + e) - f(y[0] - e)) / (2 * e), rel=1e-7)


def test_rhs_integrated_gives_the_reference_spike_train():
    from scipy.integrate import solve_ivp

    p = CSParameters().as_tuple()
    res = solve_ivp(lambda t, y: cs.cs_rhs(*y, 12.0, p), (0.0, 100.0), np.array(cs.equilibrium_state()),
                    method="DOP853", rtol=1e-10, atol=1e-10, dense_output=True)
    ref = R.run(12.0, 100.0)
    t = np.linspace(0.0, 100.0, 20001)
    np.testing.assert_allclose(res.sol(t)[0], ref.state(t)[0], atol=1e-5)
    assert len(R.spike_times(ref)) >= 2


# --- argument checks: TypeError / ValueError naming the argument ---------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_gating_functions_reject_bad_V(name):
    f = getattr(cs, name)
    with pytest.raises(TypeError, match="V"):
        f("-65")
    with pytest.raises(TypeError, match="V"):
        f(True)
    with pytest.raises(ValueError, match="V"):
        f(np.nan)
    with pytest.raises(ValueError, match="V"):
        f([-65.0, np.inf])


@pytest.mark.parametrize("field, value, error", [
    ("C_m", 0.0, ValueError), ("g_A", -1.0, ValueError), ("g_Na", math.inf, ValueError),
    ("E_L", "x", TypeError), ("E_A", np.nan, ValueError), ("g_K", None, TypeError),
])
def test_parameters_reject_bad_values(field, value, error):
    with pytest.raises(error, match=field):
        CSParameters(**{field: value})


def test_with_block_scales_only_g_A_and_checks_its_argument():
    p = CSParameters()
    q = p.with_block(a_current=0.25)
    assert q.g_A == pytest.approx(0.75 * 47.7)
    assert q.replace(g_A=p.g_A) == p
    assert p.with_block() == p
    for bad, error in ((1.5, ValueError), (-0.1, ValueError), ("half", TypeError), (True, TypeError)):
        with pytest.raises(error, match="a_current"):
            p.with_block(a_current=bad)


def test_packing_order_is_the_declared_one():
    p = CSParameters(C_m=1.1, g_Na=2.0, g_K=3.0, g_A=4.0, g_L=5.0, E_Na=6.0, E_K=7.0, E_A=8.0, E_L=9.0)
    assert p.as_tuple() == (1.1, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0)
    assert CSParameters._PACKED == ("C_m", "g_Na", "g_K", "g_A", "g_L", "E_Na", "E_K", "E_A", "E_L")


def test_equilibrium_potential_checks_its_arguments():
    with pytest.raises(ValueError, match="I_ext"):
        cs.equilibrium_potential(np.nan)
    with pytest.raises(TypeError, match="I_ext"):
        cs.equilibrium_potential("0")
    with pytest.raises(TypeError, match="CSParameters"):
        cs.equilibrium_potential(0.0, HHParameters())
    with pytest.raises(ValueError, match="low"):
        cs.equilibrium_potential(0.0, low=0.0, high=-100.0)
    with pytest.raises(ValueError, match="no equilibria"):
        cs.equilibrium_potential(0.0, low=-50.0, high=0.0)
    with pytest.raises(TypeError, match="V"):
        cs.steady_state_currents("x")


@pytest.mark.parametrize("block", [0.0, 0.25, 0.5, 1.0])
def test_iv_knee_matches_reference(block):
    """The knee (first local maximum of I_ss(V)) where the reference finds one (intact, 25 % block),
    none where the curve rises monotonically (50 %, 100 %)."""
    knee, ref = cs.iv_knee(CSParameters().with_block(a_current=block)), R.knee(1.0 - block)
    if ref is None:
        assert knee is None
        V = np.linspace(-80.0, -30.0, 2001)
        assert np.all(np.diff(R.steady_current(V, 0.0, 1.0 - block)) > 0)  # why: the reference curve rises
    else:
        assert knee[0] == pytest.approx(ref[0], abs=1e-6) and knee[1] == pytest.approx(ref[1], abs=1e-10)
        # a maximum: the reference curve is lower 0.01 mV on either side
        for dV in (-0.01, 0.01):
            assert R.steady_current(knee[0] + dV, 0.0, 1.0 - block) < knee[1]


def test_iv_knee_is_where_rest_disappears():
    """Just below I_c the intact membrane has three equilibria in [-80, -30] mV; just above, only one
    (the depolarised one): rest and the saddle met at the knee."""
    V_c, I_c = cs.iv_knee()
    assert len(R.equilibria(I_c - 1e-3, 1.0, -80.0, -30.0)) == 3
    above = R.equilibria(I_c + 1e-3, 1.0, -80.0, -30.0)
    assert len(above) == 1 and above[0] > V_c


@pytest.mark.parametrize("kwargs, error", [(dict(low=-30.0, high=-80.0), ValueError),
                                           (dict(low=float("nan")), ValueError),
                                           (dict(params="cs"), TypeError)])
def test_iv_knee_checks_its_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        cs.iv_knee(**kwargs)
