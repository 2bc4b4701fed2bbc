"""Steady-state currents and equilibria (hh_lib.hh.equations), against the independent reference."""

from __future__ import annotations

import numpy as np
import pytest

import reference as ref
from hh_lib import HHParameters, equilibrium_potential, simulate, steady_state_currents


def test_steady_state_currents_match_reference_formulas():
    V = np.linspace(-90.0, 40.0, 53)
    m, h, n = ref.steady_state(V)
    expected = ref.ionic_currents(V, m, h, n)
    for got, want in zip(steady_state_currents(V), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_steady_state_currents_scalar_returns_floats():
    out = steady_state_currents(-65.0)
    assert all(isinstance(x, float) for x in out)


def test_resting_potential_matches_reference_root():
    assert equilibrium_potential() == pytest.approx(ref.resting_potential(), abs=1e-9)
    assert equilibrium_potential() == pytest.approx(-65.0, abs=0.01)  # the textbook rest


@pytest.mark.parametrize("I", [2.0, 5.0, 8.0])
def test_equilibrium_balances_injected_current(I):
    V = equilibrium_potential(I)
    assert ref.steady_current(V, I) == pytest.approx(0.0, abs=1e-9)


def test_simulation_started_at_equilibrium_stays_there():
    V_eq = equilibrium_potential(3.0)
    res = simulate(3.0, duration=50.0, V0=V_eq)
    assert np.max(np.abs(res.V - V_eq)) < 1e-6


def test_equilibrium_respects_blocked_conductances():
    p = HHParameters().with_block(tea=1.0)
    V = equilibrium_potential(0.0, p, low=-100.0, high=60.0)
    I_Na, I_K, I_L = steady_state_currents(V, p)
    assert I_K == 0.0
    assert I_Na + I_L == pytest.approx(0.0, abs=1e-9)


def test_equilibrium_bad_brackets():
    with pytest.raises(ValueError, match="low must be < high"):
        equilibrium_potential(0.0, low=0.0, high=-10.0)
    with pytest.raises(ValueError, match="no equilibrium"):
        equilibrium_potential(0.0, low=-30.0, high=0.0)
    with pytest.raises(ValueError, match="I_ext"):
        equilibrium_potential(float("nan"))


def test_hh_rhs_numpy_and_compiled_match_the_reference_right_hand_side():
    """hh_rhs on arrays (numpy), hh_derivatives (compiled) and the reference agree, including
    at the 0/0 points of α_m (-40 mV) and α_n (-55 mV) and at 16.3 °C (φ = 3)."""
    from hh_lib.hh import hh_derivatives, hh_rhs

    rng = np.random.default_rng(1)
    V = np.r_[-40.0, -55.0, rng.uniform(-100.0, 60.0, 200)]
    m, h, n = (rng.uniform(0.0, 1.0, V.size) for _ in range(3))
    for T, I in ((6.3, 7.5), (16.3, -3.0)):
        params = HHParameters(temperature=T)
        p = params.as_array()
        got = np.array(hh_rhs(V, m, h, n, I, tuple(p)))
        rhs = ref._make_rhs(I, ref.phi_of(T), ref.G_NA, ref.G_K)
        want = np.array([rhs(0.0, np.array(y)) for y in zip(V, m, h, n)]).T
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        compiled = np.empty((4, V.size))
        out = np.empty(4)
        for i in range(V.size):
            hh_derivatives(np.array([V[i], m[i], h[i], n[i]]), I, p, out)
            compiled[:, i] = out
        np.testing.assert_allclose(compiled, want, rtol=1e-12, atol=1e-12)
