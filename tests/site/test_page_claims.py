"""The numbers the lecture prose states, recomputed with the independent reference.

Everything here comes from tests/reference.py (scipy solve_ivp, DOP853, rtol 1e-10; it does
not import hh_lib), tests/spike_reference.py (the course's definition of an action potential,
written again; via reference.ap_events) or
closed forms; nothing is compared with hh_lib's own output. Each test names the page and the
statement it checks. Tolerances are those of the rounding used in the prose.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

import reference as R

LONG = dict(max_step=0.05)  # long runs: rtol 1e-10 sets the accuracy; the step cap only bounds the cost


def regen(pieces, duration, dt=0.01, **kw):
    """Samples of a reference run and the peak times of its action potentials (state rule)."""
    t, y = R.trajectory(pieces, duration, dt, **kw)
    return t, y, R.action_potentials(R.run(pieces, float(duration), **kw))


def sustained_rate(I, **kw) -> float:
    """fi_curve's definition: action potentials peaking in [200, 1000) ms, per second."""
    t, y, s = regen(float(I), 1000.0, **LONG, **kw)
    return float(np.sum(s >= 200.0) / 0.8)


def half_width(t, V):
    i_pk = int(np.argmax(V[: np.searchsorted(t, 8.0)]))
    half = 0.5 * (V[i_pk] + V[: i_pk + 1].min())
    up = np.interp(half, V[: i_pk + 1][V[: i_pk + 1].argmin():], t[: i_pk + 1][V[: i_pk + 1].argmin():])
    j = i_pk + int(np.argmax(V[i_pk:] < half))
    down = np.interp(half, [V[j], V[j - 1]], [t[j], t[j - 1]])
    return down - up, V[i_pk]


# --- W5D1 §2: gates, time constants, 1952 convention ---------------------------------------------


def test_resting_state_values_in_diagram_4_1():
    V = R.resting_potential()
    m, h, n = (float(x) for x in R.steady_state(V))
    assert abs(V + 65.0) < 0.05
    assert round(m, 2) == 0.05 and round(h, 2) == 0.60 and round(n, 2) == 0.32


def test_tau_h_exceeds_tau_n_only_between_minus_82_and_minus_48_mV():
    V = np.linspace(-100.0, 0.0, 100001)
    _, th, tn = R.time_constants(V)
    d = np.sign(th - tn)
    crossings = V[np.flatnonzero(d[:-1] != d[1:])]
    np.testing.assert_allclose(crossings, [-82.2, -48.4], atol=0.05)
    assert np.all(th[(V > -82) & (V < -49)] > tn[(V > -82) & (V < -49)])
    tm, th65, tn65 = (float(x) for x in R.time_constants(-65.0))
    _, th20, tn20 = (float(x) for x in R.time_constants(-20.0))
    assert round(th65, 1) == 8.5 and round(tn65, 1) == 5.5 and round(th20, 1) == 1.2 and round(tn20, 1) == 2.3


def test_1952_formulas_map_onto_the_modern_ones():
    """HH (1952) eqs. with V_HH = -(V - V_rest), V_rest = -65 mV, are the page's rate functions."""
    V = np.linspace(-100.0, 50.0, 301) + 0.0123  # avoid the removable 0/0 points
    u = -(V + 65.0)
    hh = {
        "am": 0.1 * (u + 25) / (np.exp((u + 25) / 10) - 1), "bm": 4 * np.exp(u / 18),
        "ah": 0.07 * np.exp(u / 20), "bh": 1 / (np.exp((u + 30) / 10) + 1),
        "an": 0.01 * (u + 10) / (np.exp((u + 10) / 10) - 1), "bn": 0.125 * np.exp(u / 80),
    }
    modern = {"am": R.alpha_m, "bm": R.beta_m, "ah": R.alpha_h, "bh": R.beta_h, "an": R.alpha_n, "bn": R.beta_n}
    for key, f in modern.items():
        np.testing.assert_allclose(hh[key], f(V), rtol=1e-12)
    # reversal potentials V_Na = -115, V_K = +12, V_l = -10.613 mV (HH 1952)
    assert -(-115.0) - 65.0 == R.E_NA and -(12.0) - 65.0 == R.E_K and abs(-(-10.613) - 65.0 - R.E_L) < 0.02


# --- W5D1 §2.4 voltage clamp (closed form from the reference rates) ------------------------------


def clamp(V, t):
    x = []
    for a, b in ((R.alpha_m, R.beta_m), (R.alpha_h, R.beta_h), (R.alpha_n, R.beta_n)):
        x0 = float(a(-65.0) / (a(-65.0) + b(-65.0)))
        aa, bb = float(a(V)), float(b(V))
        x.append(aa / (aa + bb) + (x0 - aa / (aa + bb)) * np.exp(-t * (aa + bb)))
    m, h, n = x
    I_Na, I_K, I_L = R.ionic_currents(V, m, h, n)
    return R.G_NA * m**3 * h, R.G_K * n**4, I_Na + I_K + I_L


def outward_from(t, I):
    """Time of the first upward zero crossing of the clamp current (inward → outward)."""
    return t[1:][(I[:-1] < 0) & (I[1:] >= 0)][0]


def test_voltage_clamp_numbers():
    t = np.arange(0.0, 12.0001, 0.01)
    g_na, g_k, I = clamp(0.0, t)
    assert round(g_na.max()) == 29 and abs(t[g_na.argmax()] - 0.6) < 0.05
    assert abs(I.min() + 1270) < 10
    assert abs(outward_from(t, I) - 1.7) < 0.05  # inward → outward at about 1.7 ms
    assert g_na[np.searchsorted(t, 10.0)] < 0.02 * g_na.max()
    _, _, I40 = clamp(-40.0, t)
    assert abs(outward_from(t, I40) - 5.0) < 0.1
    _, _, Ip40 = clamp(40.0, t)
    assert abs(Ip40.min() + 150) < 10 and outward_from(t, Ip40) < 0.5
    peaks = [clamp(V, t)[0].max() for V in (-60.0, -40.0, -20.0, 0.0, 20.0, 40.0)]
    assert np.all(np.diff(peaks) > 0)  # larger steps: higher g_Na peaks
    assert all(0.35 < t[clamp(V, t)[0].argmax()] < 1.5 for V in (-40.0, -20.0, 0.0, 20.0, 40.0))


def test_drug_separation_numbers():
    t = np.arange(0.0, 10.0001, 0.01)
    x = []
    for a, b in ((R.alpha_m, R.beta_m), (R.alpha_h, R.beta_h)):
        x0 = float(a(-65.0) / (a(-65.0) + b(-65.0)))
        aa, bb = float(a(0.0)), float(b(0.0))
        x.append(aa / (aa + bb) + (x0 - aa / (aa + bb)) * np.exp(-t * (aa + bb)))
    I_tea = R.G_NA * x[0] ** 3 * x[1] * (0.0 - R.E_NA) + R.G_L * (0.0 - R.E_L)  # TEA 100 %: I_Na + I_L
    assert abs(I_tea.min() + 1440) < 10 and abs(I_tea[-1]) < 2.0


# --- W5D1 §3–4: simulations at 6.3 °C -----------------------------------------------------------


def test_first_spike_at_10_uA():
    t, y = R.trajectory(10.0, 20.0, 0.01)
    V, m, h, n = y
    i = int(np.argmax(V[t < 10]))
    assert abs(V[i] - 40.3) < 0.05 and abs(t[i] - 2.1) < 0.05
    assert round(h[i], 2) == 0.35 and round(n[i], 2) == 0.51  # both moved during the upstroke
    I_Na, I_K, I_L = R.ionic_currents(V[i], m[i], h[i], n[i])
    assert abs(I_Na + 297) < 3 and abs(I_K + I_L - 308) < 3 and abs(I_Na + I_K + I_L - 10.0) < 2.0
    j = i + int(np.argmin(V[i : np.searchsorted(t, 10.0)]))
    assert abs(V[j] + 75.1) < 0.1 and abs(t[j] - 4.9) < 0.05
    assert round(h[j], 2) == 0.14 and round(n[j], 2) == 0.70
    g_na, g_k = R.G_NA * m**3 * h, R.G_K * n**4
    assert round(g_na.max()) == 33 and round(g_k.max()) == 13
    assert m.max() > 0.99
    s = R.action_potentials(R.run(10.0, 20.0))
    assert len(s) == 2 and 16.5 < t[np.searchsorted(t, s[1]) + np.argmax(V[np.searchsorted(t, s[1]):] > 0)] < 17.2


def test_voltage_traces_figure():
    t, y, s5 = regen(5.0, 50.0)
    assert len(s5) == 1 and abs(y[0][-1] + 62) < 0.5
    _, _, s10 = regen(10.0, 50.0)
    _, _, s20 = regen(20.0, 50.0)
    assert len(s10) == 4 and np.all(np.abs(np.diff(s10) - 14.5) < 0.7)
    assert len(s20) == 5 and np.all(np.abs(np.diff(s20[1:]) - 11.6) < 0.2)
    t, y = R.trajectory(10.0, 30.0, 0.01)
    assert abs((y[1] ** 3 * y[2]).max() - 0.27) < 0.005


def test_single_spike_current_and_rheobase():
    """A long step fires once from about 2.25 µA/cm²; sustained firing starts near 6.26 (HH: Rinzel & Miller)."""
    assert len(regen(2.24, 100.0)[2]) == 0 and len(regen(2.25, 100.0)[2]) == 1
    n_lo, _ = R.spike_counts(6.2, **LONG)
    n_hi, _ = R.spike_counts(6.3, **LONG)
    assert n_lo == 0 and abs(n_hi / 0.8 - 52.5) < 1.5


def test_fi_numbers_quoted_in_exercise_1():
    assert abs(sustained_rate(10.0) - 68.75) < 1e-9  # 55 spikes in 800 ms
    assert abs(R.spike_counts(7.0, **LONG)[0] / 0.8 - 58.75) < 1.3
    assert abs(R.spike_counts(50.0, **LONG)[0] / 0.8 - 116.25) < 1.3


def test_bistability_at_8_uA():
    V_eq = brentq(R.steady_current, -70.0, -50.0, args=(8.0,), xtol=1e-12)
    assert round(V_eq, 1) == -60.4
    quiet = R.run(8.0, 100.0, V0=V_eq, dense=False)
    kicked = R.run(((0.0, 8.0), (20.0, 28.0), (21.0, 8.0)), 100.0, V0=V_eq, dense=False)
    assert quiet.spike_times.size == 0
    assert kicked.spike_times.size >= 4 and np.all(np.abs(np.diff(kicked.spike_times[1:]) - 16.0) < 0.1)


def test_refractory_numbers():
    """Two 0.5-ms pulses, the first 40 µA/cm² at 5 ms; smallest interval for a second spike."""

    def fires(interval, amp):
        t2 = 5.0 + interval
        pieces = ((0.0, 0.0), (5.0, 40.0), (5.5, 0.0), (t2, amp), (t2 + 0.5, 0.0))
        return len(regen(pieces, t2 + 30.0)[2]) >= 2

    # absolute (the course's line, 400 µA/cm²): passive at 4.3 ms, an action potential at 4.6 ms
    assert not fires(4.3, 400.0) and fires(4.6, 400.0)
    assert not fires(14.8, 15.0) and fires(15.3, 15.0)  # relative: about 15 ms near threshold (15 µA/cm²)
    single = [len(regen(((0.0, 0.0), (5.0, a), (5.5, 0.0)), 40.0)[2]) for a in (13.2, 13.3)]
    assert single == [0, 1]  # threshold of one 0.5-ms pulse: about 13.3 µA/cm²


def test_recovery_of_h_and_n_after_one_spike():
    t, y = R.trajectory(((0.0, 0.0), (5.0, 40.0), (5.5, 0.0)), 30.0, 0.01)
    _, _, h, n = y
    assert round(h.min(), 2) == 0.08 and round(n.max(), 2) == 0.77
    k = int(np.argmin(h))
    assert 12.5 < t[k + np.argmax(h[k:] >= 0.99 * h[0])] - 5.0 < 14.0
    j = int(np.argmax(n))
    assert 11.5 < t[j + np.argmax(n[j:] <= 1.05 * n[0])] - 5.0 < 13.0


def test_anode_break_excitation():
    t, y, s = regen(((0.0, 0.0), (5.0, -10.0), (25.0, 0.0)), 60.0)
    i = np.searchsorted(t, 25.0)
    assert len(s) == 1 and 30.5 < s[0] < 31.5 and abs(y[0].max() - 46.6) < 0.2  # peak about 6 ms after release and abs(y[0].min() + 87.5) < 0.2
    assert round(y[2][i], 2) == 0.96 and round(y[3][i], 2) == 0.09


def equilibrium(I=0.0, gna=1.0, gk=1.0):
    def net(V):
        m, h, n = (float(x) for x in R.steady_state(V))
        return sum(R.ionic_currents(V, m, h, n, g_Na=R.G_NA * gna, g_K=R.G_K * gk)) - I

    V = brentq(net, -90.0, 40.0, xtol=1e-12)
    y = np.array([V, *(float(x) for x in R.steady_state(V))])
    f = R._make_rhs(I, 1.0, R.G_NA * gna, R.G_K * gk)
    J = np.empty((4, 4))
    for j in range(4):
        dy = np.zeros(4)
        dy[j] = 1e-6
        J[:, j] = (np.array(f(0, y + dy)) - np.array(f(0, y - dy))) / 2e-6
    return V, np.linalg.eigvals(J).real.max()


def test_hopf_point_quoted_on_the_page():
    I_h = brentq(lambda I: equilibrium(I)[1], 5.0, 15.0, xtol=1e-8)
    assert round(I_h, 2) == 9.78


# --- W5D1 exercise 2: temperature -----------------------------------------------------------------


def test_temperature_table_numbers():
    for T, width, peak in ((6.3, 1.47, 40.3), (18.0, 0.44, 27.3), (24.0, 0.31, 0.8)):
        t, y = R.trajectory(10.0, 30.0, 0.005, T=T)
        w, p = half_width(t, y[0])
        assert abs(w - width) < 0.01 and abs(p - peak) < 0.05, (T, w, p)
    assert abs(sustained_rate(10.0, T=18.0) - 182.5) < 1.3
    assert round(R.phi_of(18.0), 1) == 3.6 and round(R.phi_of(36.0)) == 26


def test_heat_block_boundaries_at_10_uA():
    assert sustained_rate(10.0, T=21.5) > 0 and sustained_rate(10.0, T=21.75) == 0
    assert len(regen(10.0, 30.0, T=25.0)[2]) >= 1 and len(regen(10.0, 30.0, T=25.25)[2]) == 0


def test_warm_membrane_fires_small_spikes_at_higher_current():
    t, y, s = regen(20.0, 300.0, T=24.0, **LONG)
    late = s[s >= 100.0]
    assert abs(late.size / 0.2 - 360) < 10
    assert y[0][t >= 100.0].max() < 0.0  # peaks below 0 mV
    t, y, s = regen(50.0, 300.0, T=30.0, **LONG)
    assert np.sum(s >= 100.0) == 0


# --- W5D1 exercise 3: drugs -----------------------------------------------------------------------


def test_ttx_30_percent_still_fires_repetitively():
    assert sustained_rate(26.0, gna_scale=0.7) == 0
    assert sustained_rate(28.0, gna_scale=0.7) >= 75
    t, y, s = regen(40.0, 300.0, gna_scale=0.7, **LONG)
    assert abs(np.sum(s >= 200.0) / 0.1 - 95) < 11 and abs(y[0][t >= 100.0].max() + 12.7) < 0.5
    assert sustained_rate(54.0, gna_scale=0.7) == 0
    # 28–50 µA/cm² sustained; at 52 three action potentials at the onset, then a small
    # oscillation that goes on (not action potentials: its g_Na does not regenerate)
    t, y, s = regen(50.0, 2000.0, gna_scale=0.7, **LONG)
    assert np.sum(s >= 1000.0) >= 75
    t, y, s = regen(52.0, 2000.0, gna_scale=0.7, **LONG)
    assert np.sum(s >= 1000.0) == 0 and s.max() < 100.0 and 15.0 < np.ptp(y[0][t >= 1900.0]) < 20.0
    assert sustained_rate(40.0, gna_scale=0.6) == 0  # 40 % block: none


def test_ttx_50_percent_first_spike_then_rest():
    t, y, s = regen(10.0, 50.0, gna_scale=0.5)
    i = int(np.argmax(y[0]))
    assert len(s) == 1 and abs(y[0][i] - 25.6) < 0.1 and abs(t[i] - 3.0) < 0.05 and abs(y[0][-1] + 60.4) < 0.1
    t, y, s = regen(10.0, 50.0, gna_scale=0.0)
    assert len(s) == 0 and abs(y[0][-1] + 61.0) < 0.1


def test_tea_statements():
    t, y, s = regen(10.0, 50.0, gk_scale=0.0)  # TEA 100 %
    V = y[0]
    i = int(np.argmax(V))
    j = i + int(np.argmin(V[i:]))
    assert abs(V[i] - 49.4) < 0.05 and abs(V[i] - V[j] - 41.5) < 0.3 and abs(V[j] - 7.9) < 0.1
    assert abs(t[j] - 12.2) < 0.3 and abs(V[-1] - 8.2) < 0.05
    t, y, s = regen(10.0, 50.0, gk_scale=0.1)  # TEA 90 %
    w, _ = half_width(t, y[0])
    k = np.searchsorted(t, s[1])
    assert len(s) == 2 and abs(y[0][k : k + 300].max() + 10.3) < 0.3 and abs(y[0][-1] + 27.3) < 0.1
    assert abs(w - 3.2) < 0.05
    t, y, s = regen(10.0, 50.0, gk_scale=0.5)  # TEA 50 %
    w, p = half_width(t, y[0])
    assert len(s) == 5 and abs(w - 1.85) < 0.05 and abs(p - 44.8) < 0.1
    assert len(regen(0.0, 200.0, gk_scale=0.5)[2]) == 11  # spontaneous firing


@pytest.mark.parametrize(
    "gna, gk, V_eq, stable",
    [(0.0, 1.0, -65.9, True), (1.0, 0.5, -61.6, False), (1.0, 0.1, -29.0, True), (1.0, 0.0, -0.6, True)],
)
def test_equilibria_of_blocked_membranes(gna, gk, V_eq, stable):
    V, growth = equilibrium(0.0, gna, gk)
    assert round(V, 1) == V_eq and (growth < 0) == stable


# --- concept pages and W5D2 ----------------------------------------------------------------------


def test_rest_is_the_conductance_weighted_mean_of_reversal_potentials():
    V = R.resting_potential()
    m, h, n = (float(x) for x in R.steady_state(V))
    g = np.array([R.G_NA * m**3 * h, R.G_K * n**4, R.G_L])
    E = np.array([R.E_NA, R.E_K, R.E_L])
    assert abs(g @ E / g.sum() - V) < 1e-9  # exact at a steady state (chord conductance equation)


def test_w5d2_time_constant_ratios():
    tm, th, tn = (float(x) for x in R.time_constants(-65.0))
    assert round(tn / tm) == 23 and round(th / tm) == 36
    tm, th, tn = (float(x) for x in R.time_constants(-20.0))
    assert round(min(th, tn) / tm, 1) == 3.2
    assert round(float(R.time_constants(-40.0)[0]), 1) == 0.5


def test_izhikevich_rs_rest_loses_stability_by_hopf_before_the_saddle_node():
    """dv/dt = 0.04v² + 5v + 140 − u + I, du/dt = a(bv − u), RS: a = 0.02, b = 0.2 (Izhikevich 2003)."""
    a, b = 0.02, 0.2
    I_sn = (4.8**2 / 0.16) - 140.0  # discriminant of 0.04v² + (5 − b)v + 140 + I = 0 vanishes
    v_h = (a - 5.0) / 0.08  # trace 0.08v + 5 − a = 0
    I_h = -(0.04 * v_h**2 + (5.0 - b) * v_h + 140.0)
    assert abs(I_sn - 4.0) < 1e-12 and abs(v_h + 62.25) < 1e-12 and round(I_h, 2) == 3.80
    det = -a * (0.08 * v_h + 5.0) + a * b
    assert det > 0 and I_h < I_sn
    v_star = (-(5.0 - b) - math.sqrt((5.0 - b) ** 2 - 0.16 * (140.0 + I_h))) / 0.08
    assert abs(v_star - v_h) < 1e-9  # the Hopf point lies on the lower (resting) branch


# === Glued values: the numbers the executed pages wrote into their prose (issue 21) ==============
#
# Each page computes its results with hh_lib in its cells and writes them into the prose with
# myst-nb glue. These tests read the glued values from the executed notebooks of the built book
# (``_build/jupyter_execute``; built by the ``built_book`` fixture when missing or stale) and
# compare them with the independent reference, never with literals copied from the prose: a test
# fails when the page's value and the reference disagree.

from pathlib import Path  # noqa: E402

from book_build import built_book  # noqa: E402,F401  (used through request.getfixturevalue)

ROOT = Path(__file__).resolve().parents[2]
W5D1, W5D2 = "book/weeks/week5/day1-hodgkin-huxley.md", "book/weeks/week5/day2-neuron-models.md"
NA_RATIO = 0.5  # the course's line (spec: SPIKE_NA_RATIO)


def _page_code(page: str) -> list[str]:
    from scripts.nbgen.pages import read_pages

    found = next(p for p in read_pages(ROOT) if p.path == page)
    return [b.text for b in found.blocks if b.kind == "code"]


@pytest.fixture(scope="module")
def glued(request):
    """{page: {name: value}} read from the executed notebooks (literal-evaluated, as myst-nb does)."""
    import ast

    from scripts.nbgen import glue as G
    from scripts.nbgen.errors import GeneratorError

    out = {}
    for page in (W5D1, W5D2):
        try:
            raw = G.load(ROOT, page, _page_code(page))
        except GeneratorError:          # not built yet, or built from another version: build now
            request.getfixturevalue("built_book")
            raw = G.load(ROOT, page, _page_code(page))
        out[page] = {k: ast.literal_eval(v) for k, v in raw.items()}
    return out


def state_events(pieces, t_end, dt=0.005, gna=1.0, gk=1.0, **kw):
    """Closed events of a dense reference run by the independent rules of tests/spike_reference.py:
    (peak time, peak, trough, rise of g_Na/(g_K+g_L)) each."""
    r = R.run(pieces, float(t_end), gna_scale=gna, gk_scale=gk, **kw)
    return [(e.t_peak, e.peak, e.trough, e.na_rise) for e in R.ap_events(r, dt=dt)]


def two_pulse(delta, amp):
    t2 = 5.0 + delta
    return ((0.0, 0.0), (5.0, 40.0), (5.5, 0.0), (t2, amp), (t2 + 0.5, 0.0)), t2 + 20.0


def test_glued_first_peak_and_interval(glued):
    g = glued[W5D1]
    ev = state_events(10.0, 50.0)
    assert len(ev) == 4 and all(e[3] >= NA_RATIO for e in ev)
    assert abs(g["peak_t1"] - ev[0][0]) < 0.005 and abs(g["isi_1"] - (ev[1][0] - ev[0][0])) < 0.01
    assert abs(g["ratio_10"] - min(e[3] for e in ev)) < 0.02 * g["ratio_10"]


def test_glued_time_constant_crossings(glued):
    g = glued[W5D1]
    V = np.linspace(-100.0, 100.0, 200001)
    tm, th, tn = R.time_constants(V)
    cross = V[np.flatnonzero(np.diff(np.sign(th - tn)))]
    np.testing.assert_allclose([-g["tau_cross_1"], -g["tau_cross_2"], g["tau_cross_3"]], cross, atol=0.01)
    assert abs(g["tau_m_max"] - tm.max()) < 1e-6 and abs(-g["V_tau_m_max"] - V[tm.argmax()]) < 0.01


def test_glued_currents_at_the_peak(glued):
    from scipy.optimize import minimize_scalar

    g = glued[W5D1]
    r = R.run(10.0, 10.0)
    tp = minimize_scalar(lambda s: -r.state(s)[0][0], bounds=(1.5, 3.0), method="bounded", options=dict(xatol=1e-10)).x
    V, m, h, n = r.state(tp)[:, 0]
    I_Na, I_K, I_L = R.ionic_currents(V, m, h, n)
    assert abs(g["pk_INa"] - I_Na) < 0.1 and abs(g["pk_Iout"] - (I_K + I_L)) < 0.1


def test_glued_two_pulse_ratios_and_absolute_refractory(glued):
    from scipy.optimize import brentq

    g = glued[W5D1]
    for d in (4.0, 4.3, 4.6, 4.9, 5.5):
        pieces, end = two_pulse(d, 400.0)
        last = state_events(pieces, end)[-1]
        key = f"{10 * d:.0f}"
        assert abs(g[f"tp_ratio_{key}"] - last[3]) < 0.03 * last[3] + 0.005, (d, g[f"tp_ratio_{key}"], last[3])
        assert abs(g[f"tp_peak_{key}"] - last[1]) < 0.3
    ratio_at = lambda d: state_events(*two_pulse(d, 400.0))[-1][3] - NA_RATIO  # noqa: E731
    d05 = brentq(ratio_at, 4.3, 4.6, xtol=1e-3)
    assert d05 <= g["refr_400"] < d05 + 0.025  # refractory_curve bisects to 0.02 ms and returns the upper end
    d15 = brentq(lambda d: max(e[3] for e in state_events(*two_pulse(d, 15.0))[1:] or [(0, 0, 0, 0)]) - NA_RATIO,
                 14.5, 15.5, xtol=1e-3)
    assert abs(g["refr_15"] - d15) < 0.025  # bisection to 0.02 ms (the upper end) on 0.01-ms samples


def test_glued_thresholds_and_supernormal_phase(glued):
    from scipy.optimize import brentq

    g = glued[W5D1]
    single = lambda a: max([e[3] for e in state_events(((0.0, 0.0), (5.0, a), (5.5, 0.0)), 30.0)], default=0.0)  # noqa: E731
    thr_rest = brentq(lambda a: single(a) - NA_RATIO, 10.0, 20.0, xtol=1e-3)
    assert abs(g["thr_rest"] - thr_rest) < 0.012

    def thr(d):
        fires = lambda a: max([e[3] for e in state_events(*two_pulse(d, a))[1:]], default=0.0) - NA_RATIO  # noqa: E731
        return brentq(fires, 5.0, 40.0, xtol=1e-3)

    lowest = min(thr(d) for d in np.arange(g["super_from"], g["super_to"] + 0.5, 1.0))
    assert abs(g["thr_min"] - lowest) < 0.06 and lowest < thr_rest
    assert thr(g["super_from"] - 2.0) > lowest and thr(g["super_to"] + 3.0) > lowest
    assert abs(g["super_pct"] - 100 * (1 - lowest / thr_rest)) < 0.6


def test_glued_anode_break_delay(glued):
    ev = state_events(((0.0, 0.0), (5.0, -10.0), (25.0, 0.0)), 60.0)
    assert len(ev) == 1 and ev[0][3] >= NA_RATIO
    assert abs(glued[W5D1]["anode_delay"] - (ev[0][0] - 25.0)) < 0.01


def test_glued_hopf_points_and_slow_passage(glued):
    from scipy.integrate import quad

    g = glued[W5D1]
    growth = lambda I, gna=1.0: equilibrium(I, gna)[1]  # noqa: E731
    assert abs(g["I_hopf"] - brentq(growth, 5.0, 15.0, xtol=1e-8)) < 1e-4
    assert abs(g["hopf_high"] - brentq(growth, 100.0, 200.0, xtol=1e-8)) < 1e-3
    assert abs(g["ttx30_hopf"] - brentq(lambda I: growth(I, 0.7), 60.0, 100.0, xtol=1e-8)) < 1e-3
    assert abs(g["ttx20_hopf"] - brentq(lambda I: growth(I, 0.8), 80.0, 150.0, xtol=1e-8)) < 1e-3
    exit_I = brentq(lambda I: quad(growth, 0.0, I, limit=200)[0], g["I_hopf"] + 1.0, 40.0, xtol=1e-4)
    assert abs(g["I_exit"] - exit_I) < 0.01
    # the ramp onsets depend on the arithmetic: between the Hopf point and the noise-free estimate
    for k in ("ramp_on", "ramp_on_dt5", "ramp_on_dt2", "ramp_on_dt1"):
        assert g["I_hopf"] < g[k] < min(14.0, exit_I), k
    assert abs(g["ramp_off"] - 6.3) < 0.2  # the fold of limit cycles (about 6.26) reached on the way down


def test_glued_single_spike_range_and_onset_frequency(glued):
    g = glued[W5D1]
    count = lambda I: sum(e[3] >= NA_RATIO for e in state_events(float(I), 300.0, dt=0.01, max_step=0.05))  # noqa: E731
    lo, hi = g["I_one"], g["I_one_max"]
    assert count(lo - 0.05) == 0 and count(lo) == 1 and count(hi) == 1 and count(hi + 0.05) >= 2
    ev = state_events(float(g["I_rh"]), 1000.0, dt=0.01, max_step=0.05)
    peaks = np.array([e[0] for e in ev if e[3] >= NA_RATIO])
    assert abs(g["f_fold"] - 1000.0 / np.diff(peaks[-10:]).mean()) < 0.1
    assert g["f_onset"] == np.sum(peaks >= 200.0) / 0.8


def sustained(I, gna):
    ev = state_events(float(I), 2000.0, dt=0.01, gna=gna, max_step=0.05)
    return sum(e[3] >= NA_RATIO and e[0] >= 1000.0 for e in ev)


@pytest.mark.parametrize("block", [0.2, 0.3])
def test_glued_ttx_firing_ranges(glued, block):
    g = glued[W5D1]
    lo, hi = g[f"ttx{100 * block:.0f}_lo"], g[f"ttx{100 * block:.0f}_hi"]
    gna = 1.0 - block
    assert sustained(lo - 2.0, gna) == 0 and sustained(lo, gna) > 0
    assert sustained(hi, gna) > 0 and sustained(hi + 2.0, gna) == 0


def test_glued_small_oscillation_above_the_ttx_range(glued):
    g = glued[W5D1]
    I = g["osc_first"]
    r = R.run(float(I), 2000.0, gna_scale=0.7, max_step=0.05)
    t = np.arange(1000.0, 2000.0, 0.01)
    V = r.state(t)[0]
    assert abs(g["osc_swing_first"] - (V.max() - V.min())) < 0.2
    assert 0 < g["osc_swing_first"] < 20.0 and sustained(I, 0.7) == 0  # oscillates, but no action potential
    t2, y2 = R.trajectory(40.0, 300.0, 0.01, gna_scale=0.7, max_step=0.05)
    assert abs(g["ttx30_peak40"] - y2[0][t2 >= 100.0].max()) < 0.05


def test_glued_w5d2_h_plus_n_and_fs_adaptation(glued):
    from scipy.integrate import solve_ivp

    g = glued[W5D2]
    t, y = R.trajectory(10.0, 200.0, 0.01)
    s = (y[2] + y[3])[t >= 50.0]
    assert abs(g["hn_min"] - s.min()) < 0.002 and abs(g["hn_max"] - s.max()) < 0.002
    # Izhikevich FS (a, b, c, d) = (0.1, 0.2, -65, 2), I = 10 from 10 ms, v0 = -65, u0 = b v0; scipy with events
    a, b, c, d = 0.1, 0.2, -65.0, 2.0

    def rhs(tt, z):
        v, u = z
        return [0.04 * v * v + 5 * v + 140 - u + (10.0 if tt >= 10.0 else 0.0), a * (b * v - u)]

    def hit(tt, z):
        return z[0] - 30.0

    hit.terminal, hit.direction = True, 1
    tt, z, spikes = 0.0, [-65.0, b * -65.0], []
    sol = solve_ivp(rhs, (0.0, 10.0), z, rtol=1e-10, atol=1e-10, max_step=0.1)
    tt, z = 10.0, sol.y[:, -1]
    while tt < 200.0:
        sol = solve_ivp(rhs, (tt, 200.0), z, events=hit, rtol=1e-10, atol=1e-10, max_step=0.1)
        if not sol.t_events[0].size:
            break
        tt = sol.t_events[0][0]
        spikes.append(tt)
        z = [c, sol.y_events[0][0][1] + d]
    isi = np.diff(spikes)
    assert abs(g["FS_isi_first"] - isi[0]) < 0.05 and abs(g["FS_isi_last"] - isi[-1]) < 0.05


# --- W5D2 §6 and exercise 4: Connor-Stevens, type I against type II (issue 23) ----------------------
#
# The reference is tests/cs_reference.py (Dayan & Abbott's model written again, solve_ivp DOP853 at
# rtol = atol = 1e-10, the state rule of tests/spike_reference.py; no hh_lib import) and, for HH,
# tests/reference.py. Its runs are memoised, so the tests below share them (about 25 runs of 1000 ms
# or less and three long ones near the knee). Tolerances: half a unit of the last digit the prose
# shows; rates of the F-I protocol (counts in 800 ms, 1.25-Hz steps) must be equal.

import cs_reference as CS  # noqa: E402

CS_LOW_RATE_RUNS = ((0.1, 800.0), (0.01, 2500.0), (0.001, 7000.0))  # (I − I_c, run length in ms), as the page


def shown(value: float, ref: float, decimals: int) -> bool:
    """The page's value and the reference agree to the rounding the prose shows."""
    return abs(value - ref) <= 0.5 * 10.0**-decimals + 1e-12


def cs_growth(I: float, ga_scale: float = 1.0, which: int = 0) -> float:
    """Largest real part (1/ms) of the eigenvalues at an equilibrium of the reference (``which``-th
    from the most hyperpolarised), Jacobian by central differences of the reference's right-hand side."""
    V = CS.equilibria(float(I), ga_scale)[which]
    y = np.array([V, *(float(x) for x in CS.steady_state(V))])
    f = CS._make_rhs(float(I), float(ga_scale))
    J = np.empty((6, 6))
    for j in range(6):
        dy = np.zeros(6)
        dy[j] = 1e-6
        J[:, j] = (np.array(f(0.0, y + dy)) - np.array(f(0.0, y - dy))) / 2e-6
    return float(np.linalg.eigvals(J).real.max())


def hh_rate(I: float) -> float:
    """fi_curve's definition for HH with the state rule of the reference: peaks in [200, 1000) ms / 0.8 s."""
    s = R.action_potentials(R.run(float(I), 1000.0, max_step=0.05))
    return float(np.sum((s >= 200.0) & (s < 1000.0)) / 0.8)


def test_glued_w5d2_cs_rest_and_its_currents(glued):
    g = glued[W5D2]
    V, m, h, n, a, b = CS.rest_state()
    I_Na, I_K, I_A, I_L = (float(x) for x in CS.ionic_currents(V, m, h, n, a, b))
    _, g_K, g_A, _ = (float(x) for x in CS.conductances(m, h, n, a, b))
    assert shown(g["cs_rest"], -V, 2)
    assert shown(g["cs_rest_IA"], I_A, 1) and shown(g["cs_rest_IL"], -I_L, 1) and I_A > 0 > I_L  # outward A, inward leak
    assert abs(I_A + I_L) < 0.05 * I_A  # "almost alone": Na⁺ and K⁺ carry the small rest
    assert shown(g["cs_rest_gA"], g_A, 1) and shown(g["cs_rest_gK"], g_K, 3) and shown(g["cs_rest_gratio"], g_A / g_K, 0)


def test_glued_w5d2_type_i_and_type_ii_fi_onsets(glued):
    """§6.2 on the 0.1-µA/cm² grid: CS from a few Hz, continuous; HH silent, then a jump to about 50 Hz."""
    g = glued[W5D2]
    assert shown(g["cs_on_I"] - g["cs_off_I"], 0.1, 6) and shown(g["hh_on_I"] - g["hh_off_I"], 0.1, 6)
    assert CS.rate(g["cs_off_I"]) == 0.0 and CS.rate(g["cs_on_I"]) == g["cs_on_f"] < 5.0
    assert CS.rate(9.0) == g["cs_f9"] and CS.rate(10.0) == g["cs_f10"] and g["cs_on_f"] < g["cs_f9"] < g["cs_f10"]
    assert hh_rate(g["hh_off_I"]) == 0.0 and hh_rate(g["hh_on_I"]) == g["hh_on_f"] > 40.0


def test_glued_w5d2_near_onset_trace(glued):
    """§6.3: I = 8.25 µA/cm²: latency, interval, the slow passage between -60 and -50 mV, I_A, fast gates."""
    g = glued[W5D2]
    r = CS.run(8.25, 1000.0)
    s = CS.spike_times(r)
    assert shown(g["tr_first"], s[0], 0) and shown(g["tr_isi"], s[2] - s[1], 0)
    assert shown(g["tr_rate"], 1000.0 / (s[2] - s[1]), 2)
    t, y = r.sampled(0.01)  # the page's samples: simulate_cs(dt=0.01)
    sel = (t > s[1] + 5.0) & (t < s[2] - 5.0)
    V = y[0][sel]
    I_A = CS.ionic_currents(*y)[2][sel]
    assert shown(g["tr_slow"], 100.0 * np.mean((V > -60.0) & (V < -50.0)), 0)
    assert shown(g["tr_IA_min"], I_A.min(), 0) and shown(g["tr_IA_max"], I_A.max(), 0)
    taus = CS.time_constants(np.linspace(-100.0, 50.0, 1501))
    assert shown(g["tau_a_max"], taus[3].max(), 2) and shown(g["tau_b_max"], taus[4].max(), 2)
    assert max(tau.max() for tau in taus) == taus[4].max()  # "the other gates are faster still"
    # "every gate follows its steady state" over the long part of the interval (from 20 ms after the peak)
    late = sel & (t > s[1] + 20.0)
    gap = np.abs(y[1:, late] - np.array(CS.steady_state(y[0][late])))
    assert gap.max() < 0.02, gap.max(axis=1)


def test_glued_w5d2_knees_of_the_steady_state_iv_curve(glued):
    """§6.4/6.5 and exercise 4: the knee (saddle-node) of the intact and 25 %-blocked membranes, none at 50 and 100 %."""
    g = glued[W5D2]
    for block, ga in ((0, 1.0), (25, 0.75)):
        V_k, I_k = CS.knee(ga)
        assert shown(-g[f"knee_V_{block}"], V_k, 2) and shown(g[f"knee_I_{block}"], I_k, 3), (block, V_k, I_k)
    V = np.linspace(-80.0, -30.0, 50001)  # the page's range: no local maximum, the curve only rises
    for block, ga in ((50, 0.5), (100, 0.0)):
        assert np.all(np.diff(CS.steady_current(V, 0.0, ga)) > 0) and f"knee_I_{block}" not in g
    # intact: below I_c a stable rest; above it no equilibrium left below the knee (rest and saddle gone)
    V_k, I_c = CS.knee(1.0)
    assert cs_growth(I_c - 0.01) < 0 and CS.equilibria(I_c - 0.01)[0] < V_k < CS.equilibria(I_c - 0.01)[1]
    assert min(CS.equilibria(I_c + 0.01)) > V_k


def test_glued_w5d2_rates_without_a_lower_bound(glued):
    """§6.4: the period just above the knee (last interspike interval of long runs)."""
    g = glued[W5D2]
    _, I_c = CS.knee()
    per_root = []
    for k, (dI, t_end) in enumerate(CS_LOW_RATE_RUNS):
        period = CS.steady_period(I_c + dI, t_end)
        assert shown(g[f"low_rate_{k}"], 1000.0 / period, 2), (dI, g[f"low_rate_{k}"], 1000.0 / period)
        per_root.append(1000.0 / period / math.sqrt(dI))
    assert shown(g["low_period_2"], CS.steady_period(I_c + 0.001, 7000.0) / 1000.0, 1)
    # square-root law: rate / sqrt(I - I_c) settles as I -> I_c
    assert per_root[0] > per_root[1] > per_root[2] and per_root[1] - per_root[2] < 0.1 * per_root[2]


def test_glued_w5d2_half_and_full_block(glued):
    """§6.5: 50 % block jumps to a finite rate from a stable rest (bistable); 100 % block fires without current."""
    g = glued[W5D2]
    assert shown(-g["half_rest"], CS.resting_potential(0.5), 2)
    off, on = g["half_off_I"], g["half_on_I"]
    assert shown(on - off, 0.1, 6)
    assert CS.rate(off, ga_scale=0.5) == 0.0 and CS.rate(on, ga_scale=0.5) == g["half_on_f"] > 20.0
    (V_eq,) = CS.equilibria(on, 0.5)
    assert cs_growth(on, 0.5) < 0 < cs_growth(on + 1.0, 0.5)  # stable at the onset; a Hopf point above it
    kicked = CS.run(on, 1000.0, 0.5, y0=(V_eq + 1.0, *(float(x) for x in CS.steady_state(V_eq + 1.0))))
    assert CS.spike_times(kicked).size == 0 == g["half_quiet"]
    # full block: the only equilibrium at I = 0 is unstable; the start leaves it by round-off, so allow one spike
    assert cs_growth(0.0, 0.0) > 0
    assert abs(CS.rate(0.0, ga_scale=0.0) - g["full_f0"]) <= 1.25
    off, on = -g["full_off_I"], -g["full_on_I"]
    assert shown(on - off, 0.05, 6)
    assert CS.rate(off, ga_scale=0.0) == 0.0 and CS.rate(on, ga_scale=0.0) == g["full_on_f"] > 50.0


@pytest.mark.parametrize("block", [0, 25, 50])
def test_glued_w5d2_exercise_4_onsets(glued, block):
    """Exercise 4: first current firing on the 0.01 grid, its rate and the rate 1 µA/cm² above."""
    g = glued[W5D2]
    ga = 1.0 - block / 100.0
    on = g[f"ex_on_I_{block}"]
    assert CS.rate(round(on - 0.01, 2), ga_scale=ga) == 0.0
    assert CS.rate(on, ga_scale=ga) == g[f"ex_on_f_{block}"]
    assert CS.rate(round(on + 1.0, 2), ga_scale=ga) == g[f"ex_on1_f_{block}"]
    if block == 0:  # type I: one action potential in the window, near the knee
        assert g["ex_on_f_0"] == 1.25 and 0.0 < on - g["knee_I_0"] < 0.05
    else:  # a jump to a finite rate
        assert g[f"ex_on_f_{block}"] >= 20.0
    if block == 25:  # below the knee; the rest loses stability by a Hopf point before the knee
        I_k = g["knee_I_25"]
        assert on < I_k and cs_growth(on, ga) < 0 < cs_growth(I_k - 0.01, ga)
