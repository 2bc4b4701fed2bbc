"""Bad input: every public entry point raises the right exception type, promptly, with a
message that names the offending argument.

Each case runs under a 30 s deadline (conftest.deadline; generous because the first call in a
worker may compile the kernels on a loaded machine), so a call that hangs fails
instead of blocking the suite.
"""

from __future__ import annotations

import math
import signal

import numpy as np
import pytest

from helpers import deadline, run_isolated
from hh_lib import (
    HHParameters,
    alpha_h,
    alpha_m,
    alpha_n,
    beta_h,
    beta_m,
    beta_n,
    fi_curve,
    rheobase,
    simulate,
    spike_shape,
    spike_times,
    steady_state,
    time_constants,
)

nan, inf = float("nan"), float("inf")


def _scalar_only_nan(t):
    return nan if t > 1.0 else 0.0  # raises on arrays, NaN for scalars after 1 ms


def _scalar_only_pair(t):
    if isinstance(t, np.ndarray):
        raise TypeError("scalars only")
    return [t, t]  # wrong shape for a scalar t


T5 = np.linspace(0.0, 5.0, 6)

CASES = [
    # --- simulate: duration / dt ---
    ("duration_zero", lambda: simulate(10.0, 0.0), ValueError, "duration"),
    ("duration_negative", lambda: simulate(10.0, -5.0), ValueError, "duration"),
    ("duration_nan", lambda: simulate(10.0, nan), ValueError, "duration"),
    ("duration_inf", lambda: simulate(10.0, inf), ValueError, "duration"),
    ("duration_string", lambda: simulate(10.0, "50"), TypeError, "duration"),
    ("duration_bool", lambda: simulate(10.0, True), TypeError, "duration"),
    ("duration_none", lambda: simulate(10.0, None), TypeError, "duration"),
    ("duration_absurd", lambda: simulate(10.0, 1e300, dt=1.0), ValueError, "duration"),
    ("dt_zero", lambda: simulate(10.0, 10.0, dt=0.0), ValueError, "dt"),
    ("dt_negative", lambda: simulate(10.0, 10.0, dt=-0.01), ValueError, "dt"),
    ("dt_nan", lambda: simulate(10.0, 10.0, dt=nan), ValueError, "dt"),
    ("dt_inf", lambda: simulate(10.0, 10.0, dt=inf), ValueError, "dt"),
    ("dt_string", lambda: simulate(10.0, 10.0, dt="0.01"), TypeError, "dt"),
    ("dt_equal_duration", lambda: simulate(10.0, 1.0, dt=1.0), ValueError, "dt"),
    ("dt_above_duration", lambda: simulate(10.0, 1.0, dt=2.0), ValueError, "dt"),
    ("dt_too_small", lambda: simulate(10.0, 50.0, dt=1e-9), ValueError, "dt"),
    # --- simulate: current ---
    ("current_nan", lambda: simulate(nan, 5.0), ValueError, "I_ext"),
    ("current_inf", lambda: simulate(inf, 5.0), ValueError, "I_ext"),
    ("current_neg_inf", lambda: simulate(-inf, 5.0), ValueError, "I_ext"),
    ("current_array_nan", lambda: simulate(np.array([1.0, nan, 3.0]), 5.0), ValueError, "I_ext"),
    ("current_array_inf", lambda: simulate([1.0, inf], 5.0), ValueError, "I_ext"),
    ("current_2d", lambda: simulate(np.ones((2, 3)), 5.0), ValueError, "I_ext"),
    ("current_2d_single", lambda: simulate([[10.0]], 5.0), ValueError, "I_ext"),
    ("current_empty", lambda: simulate(np.array([]), 5.0), ValueError, "I_ext"),
    ("current_empty_list", lambda: simulate([], 5.0), ValueError, "I_ext"),
    ("current_string", lambda: simulate("10", 5.0), TypeError, "I_ext"),
    ("current_list_of_strings", lambda: simulate(["1", "2"], 5.0), TypeError, "I_ext"),
    ("current_none", lambda: simulate(None, 5.0), TypeError, "I_ext"),
    ("current_bool", lambda: simulate(True, 5.0), TypeError, "I_ext"),
    ("current_bool_array", lambda: simulate(np.array([True, False]), 5.0), TypeError, "I_ext"),
    ("current_complex", lambda: simulate(1 + 2j, 5.0), TypeError, "I_ext"),
    ("current_ragged", lambda: simulate([1.0, [2.0, 3.0]], 5.0), TypeError, "I_ext"),
    ("callable_nan", lambda: simulate(lambda t: nan, 5.0), ValueError, r"I_ext\(t\)"),
    ("callable_vector_nan", lambda: simulate(lambda t: np.where(t > 2, nan, 0.0), 5.0), ValueError, r"I_ext\(t\)"),
    ("callable_scalar_only_nan", lambda: simulate(_scalar_only_nan, 5.0), ValueError, r"I_ext\(t\)"),
    ("callable_inf", lambda: simulate(lambda t: inf * np.ones_like(t), 5.0), ValueError, r"I_ext\(t\)"),
    ("callable_wrong_shape", lambda: simulate(lambda t: np.ones(3), 5.0), ValueError, r"I_ext\(t\)"),
    ("callable_scalar_wrong_shape", lambda: simulate(_scalar_only_pair, 5.0), ValueError, r"I_ext\(t\)"),
    ("callable_string", lambda: simulate(lambda t: "10", 5.0), TypeError, r"I_ext\(t\)"),
    # --- simulate: other arguments ---
    ("params_string", lambda: simulate(10.0, 5.0, params="squid"), TypeError, "params"),
    ("params_dict", lambda: simulate(10.0, 5.0, params={"g_Na": 120.0}), TypeError, "params"),
    ("method_unknown", lambda: simulate(10.0, 5.0, method="euler"), ValueError, "method"),
    ("method_none", lambda: simulate(10.0, 5.0, method=None), ValueError, "method"),
    ("V0_nan", lambda: simulate(10.0, 5.0, V0=nan), ValueError, "V0"),
    ("V0_absurd", lambda: simulate(10.0, 5.0, V0=1e4), ValueError, "V0"),
    ("V0_string", lambda: simulate(10.0, 5.0, V0="-65"), TypeError, "V0"),
    ("rtol_zero", lambda: simulate(10.0, 5.0, rtol=0.0), ValueError, "rtol"),
    ("atol_negative", lambda: simulate(10.0, 5.0, atol=-1e-6), ValueError, "atol"),
    # --- HHParameters ---
    ("g_Na_negative", lambda: HHParameters(g_Na=-1.0), ValueError, "g_Na"),
    ("g_K_negative", lambda: HHParameters(g_K=-0.1), ValueError, "g_K"),
    ("g_L_negative", lambda: HHParameters(g_L=-0.3), ValueError, "g_L"),
    ("g_Na_nan", lambda: HHParameters(g_Na=nan), ValueError, "g_Na"),
    ("g_K_inf", lambda: HHParameters(g_K=inf), ValueError, "g_K"),
    ("C_m_zero", lambda: HHParameters(C_m=0.0), ValueError, "C_m"),
    ("C_m_negative", lambda: HHParameters(C_m=-1.0), ValueError, "C_m"),
    ("C_m_nan", lambda: HHParameters(C_m=nan), ValueError, "C_m"),
    ("E_Na_nan", lambda: HHParameters(E_Na=nan), ValueError, "E_Na"),
    ("E_K_inf", lambda: HHParameters(E_K=-inf), ValueError, "E_K"),
    ("temperature_200", lambda: HHParameters(temperature=200.0), ValueError, "temperature"),
    ("temperature_minus_50", lambda: HHParameters(temperature=-50.0), ValueError, "temperature"),
    ("temperature_nan", lambda: HHParameters(temperature=nan), ValueError, "temperature"),
    ("temperature_inf", lambda: HHParameters(temperature=inf), ValueError, "temperature"),
    ("q10_zero", lambda: HHParameters(q10=0.0), ValueError, "q10"),
    ("q10_negative", lambda: HHParameters(q10=-3.0), ValueError, "q10"),
    ("q10_nan", lambda: HHParameters(q10=nan), ValueError, "q10"),
    ("g_Na_string", lambda: HHParameters(g_Na="120"), TypeError, "g_Na"),
    ("g_Na_none", lambda: HHParameters(g_Na=None), TypeError, "g_Na"),
    ("g_Na_bool", lambda: HHParameters(g_Na=True), TypeError, "g_Na"),
    ("g_K_list", lambda: HHParameters(g_K=[36.0]), TypeError, "g_K"),
    ("temperature_string", lambda: HHParameters(temperature="hot"), TypeError, "temperature"),
    ("ttx_above_one", lambda: HHParameters().with_block(ttx=1.5), ValueError, "ttx"),
    ("ttx_negative", lambda: HHParameters().with_block(ttx=-0.1), ValueError, "ttx"),
    ("tea_above_one", lambda: HHParameters().with_block(tea=2.0), ValueError, "tea"),
    ("tea_negative", lambda: HHParameters().with_block(tea=-0.5), ValueError, "tea"),
    ("tea_nan", lambda: HHParameters().with_block(tea=nan), ValueError, "tea"),
    ("ttx_string", lambda: HHParameters().with_block(ttx="half"), TypeError, "ttx"),
    ("replace_bad", lambda: HHParameters().replace(C_m=-2.0), ValueError, "C_m"),
    # --- fi_curve ---
    ("fi_transient_equal_duration", lambda: fi_curve([10.0], duration=100.0, transient=100.0), ValueError, "transient"),
    ("fi_transient_above_duration", lambda: fi_curve([10.0], duration=100.0, transient=200.0), ValueError, "transient"),
    ("fi_transient_negative", lambda: fi_curve([10.0], duration=100.0, transient=-1.0), ValueError, "transient"),
    ("fi_currents_2d", lambda: fi_curve([[5.0, 10.0]], duration=100.0, transient=10.0), ValueError, "currents"),
    ("fi_currents_nan", lambda: fi_curve([5.0, nan], duration=100.0, transient=10.0), ValueError, "currents"),
    ("fi_currents_string", lambda: fi_curve("10", duration=100.0, transient=10.0), TypeError, "currents"),
    ("fi_duration_zero", lambda: fi_curve([5.0], duration=0.0, transient=0.0), ValueError, "duration"),
    ("fi_duration_inf", lambda: fi_curve([5.0], duration=inf), ValueError, "duration"),
    ("fi_params", lambda: fi_curve([5.0], duration=100.0, transient=10.0, params=3), TypeError, "params"),
    # --- rheobase ---
    ("rheobase_low_ge_high", lambda: rheobase(low=10.0, high=5.0), ValueError, "low"),
    ("rheobase_tol_zero", lambda: rheobase(tol=0.0), ValueError, "tol"),
    ("rheobase_high_silent", lambda: rheobase(low=0.0, high=3.0, duration=300.0, transient=100.0), ValueError, "high"),
    ("rheobase_low_fires", lambda: rheobase(low=20.0, high=50.0, duration=300.0, transient=100.0), ValueError, "low"),
    ("rheobase_low_nan", lambda: rheobase(low=nan), ValueError, "low"),
    # --- spike_times / spike_shape ---
    ("spike_times_mismatch", lambda: spike_times(np.arange(5.0), np.arange(4.0)), ValueError, "V"),
    ("spike_times_mismatch_2d", lambda: spike_times(np.arange(5.0), np.zeros((2, 4))), ValueError, "V"),
    ("spike_times_3d", lambda: spike_times(np.arange(5.0), np.zeros((2, 2, 5))), ValueError, "V"),
    ("spike_times_t_2d", lambda: spike_times(np.zeros((2, 5)), np.zeros(5)), ValueError, "t"),
    ("spike_times_t_not_increasing", lambda: spike_times([0.0, 2.0, 1.0], [0.0, 1.0, 2.0]), ValueError, "t"),
    ("spike_times_V_nan", lambda: spike_times(T5, [0.0, nan, 0.0, 0.0, 0.0, 0.0]), ValueError, "V"),
    ("spike_times_threshold_nan", lambda: spike_times(T5, np.zeros(6), threshold=nan), ValueError, "threshold"),
    ("spike_times_V_string", lambda: spike_times(T5, "V"), TypeError, "V"),
    ("spike_shape_2d", lambda: spike_shape(T5, np.zeros((2, 6))), ValueError, "V"),
    # --- rate functions ---
    *[
        (f"{f.__name__}_string", (lambda f=f: f("abc")), TypeError, "V")
        for f in (alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)
    ],
    ("alpha_m_none", lambda: alpha_m(None), TypeError, "V"),
    ("alpha_m_list_of_strings", lambda: alpha_m(["-65", "-40"]), TypeError, "V"),
    ("alpha_m_nan", lambda: alpha_m(nan), ValueError, "V"),
    ("beta_n_inf_in_array", lambda: beta_n(np.array([-65.0, inf])), ValueError, "V"),
    ("steady_state_string", lambda: steady_state("rest"), TypeError, "V"),
    ("time_constants_string", lambda: time_constants("rest"), TypeError, "V"),
    ("time_constants_params", lambda: time_constants(-65.0, params="warm"), TypeError, "params"),
]


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises(call, exc, match):
    with deadline(30.0, "bad-input call"):
        with pytest.raises(exc, match=match) as info:
            call()
    assert type(info.value) is exc  # not a subclass standing in for it


def test_case_ids_unique():
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))


def test_good_input_still_works_after_errors():
    """The compiled kernels are not left in a broken state by the rejected calls."""
    res = simulate(10.0, 20.0)
    assert math.isfinite(res.V.max()) and res.V.max() > 30.0


# --- calls that must not hang --------------------------------------------------------


def _run_with_alarm(call: str, seconds: int):
    """Run ``call`` in a fresh interpreter that SIGALRM kills ``seconds`` after importing hh_lib.

    The default SIGALRM action terminates the process even while a compiled (GIL-holding,
    Ctrl-C-proof) kernel runs. Returns (finished, stdout+stderr).
    """
    code = (
        "import signal\n"
        "import hh_lib\n"
        "from hh_lib import *\n"
        "signal.signal(signal.SIGALRM, signal.SIG_DFL)\n"
        f"signal.alarm({seconds})\n"
        "try:\n"
        f"    print('RETURNED', {call})\n"
        "except Exception as e:\n"
        "    print('RAISED', type(e).__name__, e)\n"
    )
    out = run_isolated(code, timeout=120.0)
    assert out is not None, "subprocess did not even start in 120 s"
    return out.returncode != -signal.SIGALRM, out.stdout + out.stderr[-1000:]


def test_rheobase_tiny_tol_does_not_hang():
    """BUG (analysis.py, rheobase): the loop ``while high - low > tol`` never ends when tol is
    below the float spacing near the onset (~9e-16 µA/cm² at 6.26): once low and high are
    adjacent doubles, np.linspace(low, high, 10) only returns low/high and the bracket stops
    shrinking. tol > 0 is the only check, so rheobase(tol=1e-300) spins forever.
    Expected: return promptly (stop when the bracket cannot shrink) or raise ValueError
    naming tol. A terminating version needs ~0.2 s here; the deadline is 3 s."""
    finished, out = _run_with_alarm("rheobase(low=6.0, high=7.0, tol=1e-300, duration=300.0, transient=100.0)", 3)
    assert finished, "rheobase(tol=1e-300) still running after 3 s (killed)"
    if "RAISED" in out:
        assert "ValueError" in out and "tol" in out, out
    else:
        value = float(out.split("RETURNED")[1].split()[0])
        assert 6.0 < value <= 7.0, out


def test_fi_curve_absurd_duration_does_not_hang():
    """BUG (analysis.py, fi_curve): duration has no upper bound, so fi_curve(10, duration=1e12)
    runs ~1e12 compiled steps (days) and cannot be interrupted with Ctrl-C (numba).
    simulate() refuses such requests (time_grid caps duration/dt at 5e7 samples);
    fi_curve should refuse too, with a ValueError naming duration."""
    finished, out = _run_with_alarm("fi_curve([10.0], duration=1e12)", 3)
    assert finished, "fi_curve(duration=1e12) still running after 3 s (killed)"
    assert "RAISED ValueError" in out and "duration" in out, out
