"""The compiled DOP853 of the references (tests/dop853.py) is scipy's solve_ivp DOP853, step for step.

The references (tests/reference.py, tests/cs_reference.py) run scipy's algorithm in compiled code; here
a short run of each model is integrated both ways, with the references' own right-hand sides, and must
take the same steps, give the same dense output and the same 0-mV crossings to rounding error."""
from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

import cs_reference as CS
import reference as R
from dop853 import integrate, upward_crossings


def _both(rhs_py, rhs_compiled, p, t_end, y0, rtol, atol, max_step=np.inf):
    def up(t, y):
        return y[0]

    up.direction = 1.0
    ref = solve_ivp(rhs_py, (0.0, t_end), y0, method="DOP853", rtol=rtol, atol=atol, max_step=max_step,
                    dense_output=True, events=up)
    assert ref.success, ref.message
    ours = integrate(rhs_compiled, p, 0.0, t_end, y0, rtol, atol, max_step)
    return ref, ours


def test_hh_reference_integrator_is_scipys_dop853():
    phi = R.phi_of(18.5)
    y0 = np.array([-65.0, *(float(x) for x in R.steady_state(-65.0))])
    ref, ours = _both(R._make_rhs(15.0, phi, R.G_NA, R.G_K), R._rhs_compiled, (15.0, phi, R.G_NA, R.G_K), 40.0,
                      y0, R.RTOL, R.ATOL, R.MAX_STEP)
    assert ours.n_steps == ref.t.size - 1
    np.testing.assert_allclose(ours.ts, ref.t, rtol=0, atol=1e-12)
    t = np.linspace(0.0, 40.0, 4001)
    np.testing.assert_allclose(ours(t), ref.sol(t), rtol=0, atol=1e-9)
    crossings = upward_crossings(ours)
    assert crossings.size == ref.t_events[0].size >= 3
    np.testing.assert_allclose(crossings, ref.t_events[0], rtol=0, atol=1e-10)


def test_cs_reference_integrator_is_scipys_dop853():
    y0 = CS.rest_state()
    ref, ours = _both(CS._make_rhs(12.0, 1.0), CS._rhs_compiled, (12.0, CS.G_A), 120.0, y0, CS.RTOL, CS.ATOL)
    assert ours.n_steps == ref.t.size - 1
    t = np.linspace(0.0, 120.0, 6001)
    np.testing.assert_allclose(ours(t), ref.sol(t), rtol=0, atol=1e-8)
    assert upward_crossings(ours).size == ref.t_events[0].size >= 2
