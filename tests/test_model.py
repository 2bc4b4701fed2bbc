"""Steady-state currents and equilibria (hh_lib.model), against the independent reference."""

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
