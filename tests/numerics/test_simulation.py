"""simulate() against the independent solve_ivp(DOP853, rtol=1e-10) reference.

Every tolerance below states the error observed when it was set (hh_lib default
dopri5, rtol = atol = 1e-6, dt = 0.01 ms); tolerances are ~3-5x the observation.
"""

from __future__ import annotations

import numpy as np
import pytest

import reference as R
from helpers import run_isolated
from hh_lib import HHParameters, simulate, spike_times

PULSE = ((0.0, 0.0), (5.0, 10.0), (6.0, 0.0))  # 10 µA/cm² on [5, 6) ms


def _away_from(t, spikes, half_width):
    keep = np.ones(t.shape, dtype=bool)
    for s in spikes:
        keep &= np.abs(t - s) > half_width
    return keep


@pytest.fixture(scope="module")
def run10():
    """hh_lib and reference, I = 10 µA/cm², 50 ms, dt = 0.01 ms."""
    res = simulate(10.0, 50.0)
    t, Y = R.trajectory(10.0, 50.0, 0.01)
    return res, t, Y, R.run(10.0, 50.0).spike_times


# --- time grid and shapes ------------------------------------------------------


def test_grid_and_shapes():
    res = simulate(3.0, 20.0, dt=0.05)
    assert res.t.shape == (401,)
    np.testing.assert_allclose(res.t, 0.05 * np.arange(401), rtol=0, atol=1e-12)
    assert res.t[-1] == pytest.approx(20.0, abs=1e-12)
    for a in (res.V, res.m, res.h, res.n, res.I_ext):
        assert a.shape == res.t.shape
    np.testing.assert_array_equal(res.I_ext, 3.0)
    assert res.params == HHParameters()


def test_grid_when_dt_does_not_divide_duration():
    res = simulate(0.0, 1.005, dt=0.01)
    assert res.t.size == 101
    assert res.t[-1] == pytest.approx(1.0, abs=1e-12)


def test_initial_state_is_steady_state_at_V0():
    res = simulate(0.0, 1.0, V0=-70.0)
    m, h, n = (float(x) for x in R.steady_state(-70.0))
    assert res.V[0] == -70.0
    assert (res.m[0], res.h[0], res.n[0]) == pytest.approx((m, h, n), rel=1e-13)


# --- accuracy against the reference -------------------------------------------


def test_spike_times_match_reference(run10):
    res, t, Y, ref_spikes = run10
    sp = spike_times(res.t, res.V, threshold=0.0)
    assert sp.size == ref_spikes.size == 4
    # observed 1.8e-5 ms: the linear interpolation of spike_times on a 0.01 ms grid
    np.testing.assert_allclose(sp, ref_spikes, rtol=0, atol=1e-4)
    # the same interpolation applied to the reference trace on the same grid: observed 1.5e-10 ms
    np.testing.assert_allclose(sp, spike_times(t, Y[0], threshold=0.0), rtol=0, atol=1e-9)


def test_voltage_matches_reference(run10):
    res, t, Y, ref_spikes = run10
    np.testing.assert_array_equal(res.t, t)
    err = np.abs(res.V - Y[0])
    assert err.max() < 5e-6  # observed 1.09e-6 mV (during an upstroke)
    away = _away_from(t, ref_spikes, 0.5)
    assert err[away].max() < 5e-7  # observed 1.5e-7 mV more than 0.5 ms from a spike


def test_gates_match_reference(run10):
    res, t, Y, _ = run10
    # observed 7.2e-10 (m), 4.6e-11 (h), 1.8e-10 (n)
    for k, gate in enumerate((res.m, res.h, res.n), start=1):
        np.testing.assert_allclose(gate, Y[k], rtol=0, atol=5e-9)
        assert np.all((gate >= 0) & (gate <= 1))


def test_tighter_tolerances_are_more_accurate(run10):
    _, _, Y, _ = run10
    res = simulate(10.0, 50.0, rtol=1e-10, atol=1e-10)
    # observed 2.1e-8 mV (default tolerances: 1.1e-6 mV)
    assert np.abs(res.V - Y[0]).max() < 1e-7


def test_reference_max_step_does_not_matter():
    """The F-I reference counts use max_step=1 ms for speed; check it against max_step=0.01."""
    fine = R.run(10.0, 50.0).spike_times
    coarse = R.run(10.0, 50.0, max_step=1.0, dense=False).spike_times
    np.testing.assert_allclose(coarse, fine, rtol=0, atol=1e-8)  # observed 5e-11 ms


def test_resting_potential_is_the_fixed_point():
    V_rest = R.resting_potential()  # brentq on the steady-state current balance
    assert V_rest == pytest.approx(-65.0, abs=0.01)  # textbook
    assert abs(R.steady_current(V_rest)) < 1e-10
    res = simulate(0.0, 200.0)
    # observed: max |V - V_rest| = 2.8e-4 mV (V0 = -65 is 2.8e-4 mV off), 3e-14 mV at 200 ms
    assert np.abs(res.V - V_rest).max() < 0.1
    assert np.abs(res.V - V_rest).max() < 1e-3
    assert abs(res.V[-1] - V_rest) < 1e-8
    m, h, n = (float(x) for x in R.steady_state(V_rest))
    assert (res.m[-1], res.h[-1], res.n[-1]) == pytest.approx((m, h, n), abs=1e-9)


def test_relaxation_from_other_V0():
    res = simulate(0.0, 20.0, V0=-60.0)
    _, Y = R.trajectory(0.0, 20.0, 0.01, V0=-60.0)
    assert np.abs(res.V - Y[0]).max() < 1e-9  # observed 1.0e-11 mV


# --- batches -------------------------------------------------------------------


def test_batch_equals_separate_runs():
    amps = np.array([0.0, 5.0, 10.0, 20.0])
    batch = simulate(amps, 30.0)
    n_time = batch.t.size
    for name in ("V", "m", "h", "n", "I_ext"):
        assert getattr(batch, name).shape == (4, n_time), name
    for i, amp in enumerate(amps):
        single = simulate(float(amp), 30.0)
        np.testing.assert_array_equal(single.t, batch.t)
        for name in ("V", "m", "h", "n"):
            np.testing.assert_allclose(getattr(batch, name)[i], getattr(single, name), rtol=0, atol=1e-12)
        np.testing.assert_array_equal(batch.I_ext[i], amp)
    # and the batch rows differ (the currents were really applied per row)
    assert len(spike_times(batch.t, batch.V[0])) == 0
    assert len(spike_times(batch.t, batch.V[3])) >= 2


def test_list_current_is_a_batch():
    res = simulate([0.0, 10.0], 5.0)
    assert res.V.shape == (2, res.t.size)


# --- time-dependent current ------------------------------------------------------


def _pulse_scalar(t):
    return 10.0 if 5.0 <= t < 6.0 else 0.0  # raises on arrays: scalar-only


def _pulse_vector(t):
    t = np.asarray(t)
    return np.where((t >= 5.0) & (t < 6.0), 10.0, 0.0)


@pytest.fixture(scope="module")
def pulse_ref():
    t, Y = R.trajectory(PULSE, 30.0, 0.01)
    return t, Y, R.run(PULSE, 30.0).spike_times


@pytest.mark.parametrize("func", [_pulse_scalar, _pulse_vector], ids=["scalar_lambda", "vectorised"])
def test_pulse_matches_piecewise_reference(func, pulse_ref):
    t, Y, ref_spikes = pulse_ref
    res = simulate(func, 30.0)
    expected_I = np.where((res.t >= 5.0 - 1e-9) & (res.t < 6.0 - 1e-9), 10.0, 0.0)
    np.testing.assert_array_equal(res.I_ext, expected_I)
    assert ref_spikes.size == 1
    np.testing.assert_allclose(spike_times(res.t, res.V, threshold=0.0), ref_spikes, rtol=0, atol=2e-4)  # observed 3.6e-5 ms
    assert np.abs(res.V - Y[0]).max() < 5e-6  # observed 9.3e-7 mV
    np.testing.assert_allclose(res.n, Y[3], rtol=0, atol=1e-8)


def test_scalar_and_vectorised_pulse_agree():
    a = simulate(lambda t: 10.0 if 5.0 <= t < 6.0 else 0.0, 15.0)
    b = simulate(_pulse_vector, 15.0)
    np.testing.assert_array_equal(a.I_ext, b.I_ext)
    np.testing.assert_allclose(a.V, b.V, rtol=0, atol=1e-12)


def test_constant_callable_equals_constant_current():
    a = simulate(lambda t: 7.0, 20.0)
    b = simulate(7.0, 20.0)
    np.testing.assert_allclose(a.V, b.V, rtol=0, atol=1e-9)


# --- derived quantities ----------------------------------------------------------


def test_derived_currents_and_conductances(run10):
    res = run10[0]
    V, m, h, n = res.V, res.m, res.h, res.n
    np.testing.assert_allclose(res.g_Na, 120.0 * m**3 * h, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(res.g_K, 36.0 * n**4, rtol=1e-13)
    np.testing.assert_allclose(res.I_Na, 120.0 * m**3 * h * (V - 50.0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(res.I_K, 36.0 * n**4 * (V + 77.0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(res.I_L, 0.3 * (V + 54.4), rtol=1e-12, atol=1e-12)
    # sign convention: Na current inward (negative) at the peak of the upstroke, K outward
    k = np.argmax(np.gradient(V))
    assert res.I_Na[k] < 0 < res.I_K[k]


def test_derived_currents_use_blocked_parameters():
    p = HHParameters().with_block(ttx=0.5, tea=0.5)
    res = simulate(5.0, 5.0, params=p)
    np.testing.assert_allclose(res.I_Na, 60.0 * res.m**3 * res.h * (res.V - 50.0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(res.I_K, 18.0 * res.n**4 * (res.V + 77.0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "I, tol, observed",
    [(2.0, 3e-6, 7.0e-7), (10.0, 0.03, 6.8e-3)],
    ids=["subthreshold", "spiking"],
)
def test_current_balance(I, tol, observed):
    """C_m dV/dt (central difference, dt = 0.001 ms) = I_ext - I_Na - I_K - I_L."""
    dt = 0.001
    res = simulate(I, 20.0, dt=dt)
    dVdt = (res.V[2:] - res.V[:-2]) / (2 * dt)
    rhs = (res.I_ext - res.I_Na - res.I_K - res.I_L)[1:-1]
    # observed max |difference| (µA/cm²) given in the parameters; O(dt^2) of the finite difference;
    # the spiking run's |rhs| reaches ~300 µA/cm².
    assert np.abs(res.params.C_m * dVdt - rhs).max() < tol


# --- temperature and blocks ----------------------------------------------------


def test_temperature_16_3_matches_reference_with_phi_3():
    p = HHParameters(temperature=16.3)
    res = simulate(10.0, 30.0, params=p)
    t, Y = R.trajectory(10.0, 30.0, 0.01, T=16.3)
    ref_spikes = R.run(10.0, 30.0, T=16.3).spike_times
    sp = spike_times(res.t, res.V, threshold=0.0)
    assert sp.size == ref_spikes.size == 5
    np.testing.assert_allclose(sp, ref_spikes, rtol=0, atol=1.5e-4)  # observed 3.1e-5 ms
    err = np.abs(res.V - Y[0])
    assert err.max() < 7e-6  # observed 1.4e-6 mV
    assert err[_away_from(t, ref_spikes, 0.5)].max() < 2e-6  # observed 4.6e-7 mV
    for k, gate in enumerate((res.m, res.h, res.n), start=1):
        np.testing.assert_allclose(gate, Y[k], rtol=0, atol=6e-8)  # observed 1.3e-8


def test_temperature_changes_the_answer():
    """Guard against phi being ignored: 16.3 °C fires faster than 6.3 °C."""
    cold = spike_times(*(lambda r: (r.t, r.V))(simulate(10.0, 50.0)), threshold=0.0)
    warm = spike_times(*(lambda r: (r.t, r.V))(simulate(10.0, 50.0, params=HHParameters(temperature=16.3))), threshold=0.0)
    assert warm.size > cold.size


@pytest.mark.parametrize("ttx, tea", [(0.5, 0.0), (0.0, 0.5)])
def test_block_matches_reference_with_scaled_conductances(ttx, tea):
    p = HHParameters().with_block(ttx=ttx, tea=tea)
    res = simulate(10.0, 30.0, params=p)
    t, Y = R.trajectory(10.0, 30.0, 0.01, gna_scale=1 - ttx, gk_scale=1 - tea)
    ref_spikes = R.run(10.0, 30.0, gna_scale=1 - ttx, gk_scale=1 - tea).spike_times
    assert np.abs(res.V - Y[0]).max() < 5e-6  # observed 3.8e-8 (ttx), 1.3e-6 (tea) mV
    assert spike_times(res.t, res.V, threshold=0.0).size == ref_spikes.size


def test_full_ttx_block_abolishes_spikes():
    res = simulate(10.0, 50.0, params=HHParameters().with_block(ttx=1.0))
    assert res.V.max() < -40.0
    assert spike_times(res.t, res.V).size == 0


# --- fixed-step methods: convergence order ---------------------------------------


def _fixed_step_error(method, dt):
    res = simulate(2.0, 20.0, dt=dt, method=method)
    Y = R.run(2.0, 20.0).state(res.t)
    return np.abs(res.V - Y[0]).max()


def test_rk4_fourth_order():
    e = [_fixed_step_error("rk4", dt) for dt in (0.05, 0.025, 0.0125)]
    orders = np.log2(np.array(e[:-1]) / np.array(e[1:]))
    # observed errors 4.8e-7, 2.7e-8, 1.6e-9 mV; orders 4.13, 4.07
    assert np.all((orders > 3.7) & (orders < 4.5)), orders
    assert e[1] < 1e-7


def test_exponential_euler_first_order():
    e = [_fixed_step_error("exponential_euler", dt) for dt in (0.01, 0.005, 0.0025)]
    orders = np.log2(np.array(e[:-1]) / np.array(e[1:]))
    # observed errors 0.0374, 0.0187, 0.0094 mV; orders 0.998, 0.9995
    assert np.all((orders > 0.9) & (orders < 1.1)), orders
    assert 5e-3 < e[0] < 0.1


def test_rk4_spiking_run_close_to_reference(run10):
    _, _, Y, _ = run10
    res = simulate(10.0, 50.0, dt=0.01, method="rk4")
    assert np.abs(res.V - Y[0]).max() < 5e-4  # observed 1.2e-4 mV (dt = 0.01 ms, 50 ms)


# --- bug: exponential Euler with no conductance at all ---------------------------


def test_exponential_euler_with_all_conductances_zero():
    """A membrane with every channel blocked and no leak is a pure capacitor: V = V0 + I t / C_m.

    HHParameters allows g_Na = g_K = g_L = 0 (e.g. g_L=0 with with_block(ttx=1, tea=1)),
    rk4 and dopri5 give the line, but the exponential Euler step divides by the total
    conductance (V_inf = (...)/g_tot, integrators.py _exp_euler_step). The resulting
    ZeroDivisionError inside the parallel kernel gives, from run to run, a SystemError, a
    misleading "diverged" RuntimeError, or *silently returns uninitialised memory*
    (V = 0.0 or 1e-310). Run in a subprocess so that corrupted kernel state cannot leak.
    """
    code = (
        "import numpy as np\n"
        "from hh_lib import HHParameters, simulate\n"
        "p = HHParameters(g_L=0.0).with_block(ttx=1.0, tea=1.0)\n"
        "bad = 0\n"
        "for _ in range(3):\n"
        "    try:\n"
        "        r = simulate(1.0, 5.0, dt=0.1, params=p, method='exponential_euler')\n"
        "        bad += not np.allclose(r.V, -65.0 + r.t, atol=1e-9)\n"
        "    except Exception as e:\n"
        "        bad += 1; print(type(e).__name__, str(e)[:200])\n"
        "print('BAD', bad)\n"
    )
    out = run_isolated(code, timeout=60)
    assert out is not None, "timed out"
    assert "BAD 0" in out.stdout, out.stdout + out.stderr[-2000:]


def test_all_conductances_zero_is_a_capacitor_with_rk4_and_dopri5():
    p = HHParameters(g_Na=0.0, g_K=0.0, g_L=0.0)
    for method in ("rk4", "dopri5"):
        r = simulate(1.0, 5.0, dt=0.1, params=p, method=method)
        np.testing.assert_allclose(r.V, -65.0 + r.t, rtol=0, atol=1e-9)
