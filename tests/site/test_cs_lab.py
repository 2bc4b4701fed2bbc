"""The Connor-Stevens lab (``cs-current-clamp``) in Chromium, where readers meet it: section 6 of the
W5D2 page of the built course site (the session's one strict build).

* The numerics in the browser (``hhLab.csCurrentClamp``) against ``hh_lib.simulate_cs`` on the same
  0.01-ms grid from the same start (rest + ``hh_lib.labs.CS_REST_NUDGE``), on a grid of currents
  (near the onset of each block, 0 % and 100 % block included) × A-current blocks: the same action
  potentials by the course's state rule (g_Na/(g_K + g_A + g_L) rises by >= 0.5), peak times
  within 0.01 ms, and the traces V and I_A; the rates, steady states and resting potential against
  hh_lib and the independent reference (tests/cs_reference.py, no hh_lib).
* The hard cases against the independent reference (DOP853 + tests/spike_reference.py): near the
  onset, one transient spike, an unstable rest, the hyperpolarising current that silences it.
* The readout: every preset's line equal to ``hh_lib.labs``'s (the notebook twin) and checked
  against the reference; the first-spike delay; a single spike undecided until 1.5 times its delay.
* Every number of the lab's guide lines against the reference.
* As a reader uses it: renders with no console error; labelled sliders that move plot and readout by
  keyboard; every slider corner finite; a desktop screenshot in ``test-output/lab-screenshots/``.
  The phone, axe and dark-mode checks and their screenshots are test_labs.py's, for every lab of
  the page (LAB_PAGES).
* Speed as work: at most 5 % more right-hand sides than scipy's RK45 at the lab's tolerances (the
  times under 4x CPU throttling are benchmarks/bench_labs.py's).
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from test_labs import CORNERS_JS, SHOTS, W5D2, _click_readout, _shoot, _num, _open, _state, _wait_update, lab_work, rk45_work

import hh_lib
from hh_lib import labs

pytestmark = pytest.mark.browser

KIND = "cs-current-clamp"
PAGE = W5D2   # the lab in its place on the W5D2 page (section 6)


@pytest.fixture(scope="module")
def lab(browser, server):
    o = _open(browser, server, PAGE)
    yield o
    o.page.context.close()


# ---------------------------------------------------------------------------------------------
# References


def start_V(block: float) -> float:
    """The lab's start (mV): hh_lib's resting potential of the blocked membrane + CS_REST_NUDGE."""
    from hh_lib.cs import equilibrium_potential

    return equilibrium_potential(0.0, hh_lib.CSParameters().with_block(a_current=block / 100)) + labs.CS_REST_NUDGE


def ref_run(I: float, block: float, duration: float):
    """The independent reference (tests/cs_reference.py: DOP853, rtol = atol = 1e-10, no hh_lib) from
    the lab's start: its own resting potential + 1e-3 mV, every gate at its steady state there."""
    import cs_reference as R

    g = 1.0 - block / 100.0
    V0 = R.resting_potential(g) + 1e-3
    return R.run(float(I), float(duration), g, (V0, *(float(x) for x in R.steady_state(V0))))


def ref_spikes(I: float, block: float, duration: float) -> np.ndarray:
    import cs_reference as R

    return R.spike_times(ref_run(I, block, duration))


# ---------------------------------------------------------------------------------------------
# The model in the browser


def test_rates_steady_states_and_rest_match_hh_lib_and_the_reference(lab):
    """csRates is hh_lib.cs.rates (to 1e-12 relative) on a V grid through both 0/0 points, where
    α_m = 3.8/ms and α_n = 0.2/ms; the resting potential of every block 0-100 % is hh_lib's and
    the reference's (to 1e-9 mV)."""
    import cs_reference as R

    from hh_lib import cs

    V = np.concatenate([np.linspace(-120.0, 60.0, 721), [-29.7, -45.7, -29.7 + 1e-9, -45.7 - 1e-9]])
    js = lab.page.evaluate("vs => vs.map(V => Array.from(hhLab.csRates(V, new Float64Array(10))))", V.tolist())
    want = np.array([f(V) for f in (cs.alpha_m, cs.beta_m, cs.alpha_h, cs.beta_h, cs.alpha_n, cs.beta_n,
                                    cs.a_inf, cs.tau_a, cs.b_inf, cs.tau_b)]).T
    np.testing.assert_allclose(js, want, rtol=1e-12, atol=0)
    assert js[-4][0] == pytest.approx(3.8, rel=1e-14) and js[-3][4] == pytest.approx(0.2, rel=1e-14)
    ref = np.array([[f(v) for f in (R.alpha_m, R.beta_m, R.alpha_h, R.beta_h, R.alpha_n, R.beta_n, R.a_inf, R.tau_a,
                                    R.b_inf, R.tau_b)] for v in V], dtype=float)
    np.testing.assert_allclose(js, ref, rtol=1e-10)
    blocks = list(range(0, 101, 5)) + [61, 99]
    rests = lab.page.evaluate("bs => bs.map(b => hhLab.csRest(hhLab.csMembrane(b / 100)))", blocks)
    for b, v in zip(blocks, rests):
        assert v == pytest.approx(start_V(b) - labs.CS_REST_NUDGE, abs=1e-9), b
        assert v == pytest.approx(R.resting_potential(1 - b / 100), abs=1e-9), b
    assert rests[0] == pytest.approx(-67.978, abs=5e-4) and rests[-3] == pytest.approx(-45.827, abs=5e-4)
    # the constants the site and the notebook share
    consts = lab.page.evaluate("() => hhLab.CS")
    assert consts["REST_NUDGE"] == labs.CS_REST_NUDGE and tuple(consts["IA_RANGE"]) == labs.CS_IA_RANGE
    default = hh_lib.CSParameters()
    assert {k: consts[k] for k in default._PACKED} == {k: getattr(default, k) for k in default._PACKED}


# currents (µA/cm²) around each block's onset of firing and beyond: 8.10 | 8.15 (intact), 4.75 | 4.80
# (25 %), 1.25 | 1.30 (50 %), -7.55 | -7.50 (100 %), 0 (100 %: the unstable rest), up to 40
CURRENTS = [-10.0, -7.55, -7.5, 0.0, 1.25, 1.3, 4.75, 4.8, 8.1, 8.15, 8.25, 10.0, 20.0, 40.0]
BLOCKS = [0.0, 25.0, 50.0, 75.0, 100.0]


def test_cs_clamp_matches_hh_lib_spike_for_spike(lab):
    """The same action potentials as hh_lib.simulate_cs (``res.spike_times``, state rule) on the same
    grid from the same start, 1000 ms each, hh_lib at rtol = atol = 1e-10."""
    cases = [dict(I=I, block=b / 100, duration=1000.0) for b in BLOCKS for I in CURRENTS]
    js = lab.page.evaluate("cs => cs.map(c => hhLab.csCurrentClamp(c).spikes)", cases)
    problems, diffs, n_spikes = [], [], 0
    for j, b in enumerate(BLOCKS):
        p = hh_lib.CSParameters().with_block(a_current=b / 100)
        res = hh_lib.simulate_cs(np.array(CURRENTS), 1000.0, dt=0.01, params=p, V0=start_V(b), rtol=1e-10, atol=1e-10)
        for k, I in enumerate(CURRENTS):
            ref, got = np.asarray(res.spike_times[k]), np.array(js[j * len(CURRENTS) + k])
            if ref.size != got.size:
                problems.append(f"I={I:g} µA/cm², block {b:g} %: hh_lib {ref.size} spikes {np.round(ref[:3], 3)}, "
                                f"JS {got.size} {np.round(got[:3], 3)}")
            elif ref.size:
                n_spikes += ref.size
                diffs.extend(np.abs(ref - got))
    worst = max(diffs)
    print(f"JS vs hh_lib (Connor-Stevens): {len(cases)} traces of 1000 ms, {n_spikes} spikes, "
          f"worst peak-time difference {worst:.2e} ms, median {np.median(diffs):.1e} ms")
    assert not problems, "spike counts differ:\n" + "\n".join(problems)
    assert n_spikes > 1500
    assert worst < 0.01, f"peak times differ by up to {worst:.3g} ms (limit 0.01 ms)"
    assert np.median(diffs) < 1e-3, np.median(diffs)


@pytest.mark.parametrize("I, block", [(8.25, 0.0), (10.0, 0.0), (1.3, 50.0), (0.0, 100.0), (-7.55, 100.0)])
def test_cs_clamp_trace_matches_hh_lib(lab, I, block):
    """The whole trace: V within 0.05 mV and I_A within 0.05 µA/cm² at every sample of 1000 ms."""
    js = lab.page.evaluate("o => { const r = hhLab.csCurrentClamp(o); return {t: Array.from(r.t), V: Array.from(r.V),"
                           " IA: Array.from(r.IA), rest: r.rest}; }", dict(I=I, block=block / 100, duration=1000.0))
    p = hh_lib.CSParameters().with_block(a_current=block / 100)
    res = hh_lib.simulate_cs(I, 1000.0, dt=0.01, params=p, V0=start_V(block), rtol=1e-10, atol=1e-10)
    t, V, IA = (np.array(js[k]) for k in ("t", "V", "IA"))
    assert t.shape == res.t.shape and np.max(np.abs(t - res.t)) < 1e-9
    assert V[0] == pytest.approx(res.V[0], abs=1e-9)
    assert np.max(np.abs(V - res.V)) < 0.05, np.max(np.abs(V - res.V))
    assert np.max(np.abs(IA - res.I_A)) < 0.05, np.max(np.abs(IA - res.I_A))


HARD = {
    # name: (I, block %, duration ms, spikes by the reference)
    "8.15 µA/cm²: two spikes ~490 ms apart": (8.15, 0.0, 1000.0, 2),
    "8.10 µA/cm²: below the saddle-node, silent": (8.10, 0.0, 2000.0, 0),
    "50 % block, 1.25 µA/cm²: one transient spike": (1.25, 50.0, 2000.0, 1),
    "100 % block, I = 0: the unstable rest fires": (0.0, 100.0, 300.0, 46),
    "100 % block, -7.55 µA/cm²: silenced": (-7.55, 100.0, 2000.0, 0),
}


@pytest.mark.parametrize("name", list(HARD))
def test_hard_cases_against_the_independent_reference(lab, name):
    """Spike counts and peak times (0.01 ms) against DOP853 + tests/spike_reference.py, and every
    20-mV event's rise of g_Na/(g_K + g_A + g_L) (so the classification is not a coincidence)."""
    import cs_reference as R

    I, block, duration, count = HARD[name]
    js = lab.page.evaluate("o => { const r = hhLab.csCurrentClamp(o); return {s: r.spikes, e: r.events}; }",
                           dict(I=I, block=block / 100, duration=duration))
    events = R.events(ref_run(I, block, duration), dt=0.01)  # the lab's grid: the same sampled rises
    ref = np.array([e.t_peak for e in events if e.by_state])
    assert ref.size == count and len(js["s"]) == count, (name, np.round(ref, 3), js["s"])
    if count:
        assert np.max(np.abs(np.array(js["s"]) - ref)) < 0.01, (np.round(js["s"], 4), np.round(ref, 4))
    np.testing.assert_allclose([e["rise"] for e in js["e"]], [e.na_rise for e in events], rtol=2e-3, atol=1e-3)


# ---------------------------------------------------------------------------------------------
# The readout


def _py_readout(v: dict) -> str:
    res = labs.cs_run(v)
    return labs.describe_cs_current_clamp(res.t, res.V, hh_lib.na_ratio(res), res.spike_times)


def _presets():
    lab_ = labs.lab(KIND)
    return [("기본값으로", lab_.defaults())] + [(label, {**lab_.defaults(), **values}) for label, values in lab_.presets]


def test_every_preset_reads_what_happened_and_says_what_the_notebook_says(lab):
    """The line under the lab for the defaults and every preset: the reference's spike count, first
    spike, last interval (a rate only for firing that lasts) and final V; and the notebook twin
    (hh_lib.labs with hh_lib's numerics) gives the very same line."""
    expected = {"기본값으로": 33, "발화 시작 바로 위 (8.25 µA/cm²)": 4, "A-전류 50 % 차단 (1.3 µA/cm²)": 40,
                "A-전류 100 % 차단 (I = 0)": 155}
    seen = {}
    for label, v in _presets():
        text = _click_readout(lab.page, KIND, label)
        assert text == _py_readout(v), (label, text, _py_readout(v))
        run = ref_run(v["current"], v["block"], v["duration"])
        import cs_reference as R

        s = R.spike_times(run)
        assert s.size == expected[label], (label, s.size)
        k, first, hz, last = _num(text, r"스파이크 NUM개 \(첫 스파이크 t = NUM ms\), 끝까지 반복 발화: NUM Hz \(마지막 간격 NUM ms\)")
        assert k == s.size and first == pytest.approx(s[0], abs=0.051) and last == pytest.approx(s[-1] - s[-2], abs=0.0051)
        assert hz == pytest.approx(1000 / (s[-1] - s[-2]), abs=0.051 if hz < 10 else 0.51)
        (V_end,) = _num(text, r"끝의 V = NUM mV")
        assert V_end == pytest.approx(float(run.state(v["duration"])[0, 0]), abs=0.051)
        seen[label] = text
    assert "4.7 Hz" in seen["발화 시작 바로 위 (8.25 µA/cm²)"]  # one decimal below 10 Hz
    print("\n".join(f"{k}: {t}" for k, t in seen.items()))


@pytest.mark.parametrize("current, block, duration, must", [
    (8.1, 0.0, 1000.0, "활동전위 없음; 끝의 V = "),
    (1.25, 50.0, 1000.0, "스파이크 1개, t = 8.0 ms에 멈춤"),                       # a transient spike, then rest
    (8.15, 0.0, 600.0, "스파이크 1개 (t = 508.2 ms): 발화가 이어지는지 보려면 시간을 늘리세요"),  # the next at 996.9 ms
    (8.15, 0.0, 1000.0, "스파이크 2개 (첫 스파이크 t = 508.2 ms), 끝까지 반복 발화: 2.0 Hz"),
    (-7.55, 100.0, 500.0, "활동전위 없음"),
])
def test_readouts_of_the_hard_cases(lab, current, block, duration, must):
    """No rate for one spike; a single spike is undecided while the silence after it is shorter than
    1.5 times its delay from rest (at 8.15 µA/cm² the second spike comes 489 ms after the first,
    508 ms from rest); the notebook says the same."""
    text = lab.page.evaluate("o => hhLab.describeCsCurrentClamp(hhLab.csCurrentClamp(o))",
                             dict(I=current, block=block / 100, duration=duration))
    assert must in text, text
    assert text == _py_readout(dict(current=current, block=block, duration=duration))
    s = ref_spikes(current, block, 1000.0 if current == 8.15 else 2000.0)
    if current == 8.15:
        np.testing.assert_allclose(s, [508.2, 996.9], atol=0.06)
    else:
        assert s.size == ("멈춤" in must), s  # one transient spike, or none, in 2000 ms


# ---------------------------------------------------------------------------------------------
# The guide: every number in it against the reference

GUIDE_NUMBERS = {
    # the numbers of labs.LABS["cs-current-clamp"].guide, each checked in the test below
    10.0, 34.0, 0.05, 8.25, 4.7, 8.10, 0.0, 233.0, -60.0, -50.0, 200.0, 20.0, 13.0, 4.0,
    50.0, 1.25, 1.3, 40.0, 100.0, 156.0, -7.55,
}


def _guide_numbers(line: str) -> set[float]:
    # 제1형/제2형 (type I/II) are names, not numbers
    return {float(x.replace("−", "-")) for x in re.findall(r"(?<!제)[−-]?\d+(?:\.\d+)?", line)}


def test_every_number_in_the_guide_is_checked():
    found = set().union(*map(_guide_numbers, labs.LABS[KIND].guide))
    assert found == GUIDE_NUMBERS, (found - GUIDE_NUMBERS, GUIDE_NUMBERS - found)
    assert 2 <= len(labs.LABS[KIND].guide) <= 4


def test_the_guide_numbers_against_the_reference():
    import cs_reference as R

    lab_ = labs.lab(KIND)
    assert lab_.knob("current").value == 10.0 and lab_.knob("current").step == 0.05  # "기본값 10", "0.05씩"
    assert lab_.knob("duration").value == 1000.0
    # line 1: 10 µA/cm² ≈ 34 Hz; 8.25 ≈ 4.7 Hz; 8.10 silent (below the saddle-node at 8.114)
    s10, s825 = ref_spikes(10.0, 0.0, 1000.0), ref_spikes(8.25, 0.0, 1000.0)
    assert round(1000 / (s10[-1] - s10[-2])) == 34
    assert round(1000 / (s825[-1] - s825[-2]), 1) == 4.7
    assert ref_spikes(8.10, 0.0, 2000.0).size == 0 and 8.10 < R.knee(1.0)[1] < 8.15
    # "0에 가까운 발화율에서 시작": the slowest firing on the slider's grid, 8.15 µA/cm², is about 2 Hz
    s815 = ref_spikes(8.15, 0.0, 1000.0)
    assert 1000 / (s815[1] - s815[0]) < 2.5
    # line 2: the first spike at ≈ 233 ms; between spikes V from -60 to -50 mV in ≈ 200 ms while
    # I_A falls from ≈ 20 to ≈ 13 µA/cm²; the A-gates' time constants stay below 4 ms
    assert round(s825[0]) == 233
    run = ref_run(8.25, 0.0, 1000.0)
    t = np.arange(s825[1], s825[2], 0.01)
    y = run.state(t)
    V, IA = y[0], R.ionic_currents(*y)[2]
    i0 = int(np.argmin(V))
    a, b = (i0 + int(np.flatnonzero(V[i0:] >= level)[0]) for level in (-60.0, -50.0))
    assert t[b] - t[a] == pytest.approx(200.0, abs=5.0)
    assert IA[a] == pytest.approx(20.0, abs=0.5) and IA[b] == pytest.approx(13.0, abs=0.5)
    assert np.all(np.diff(IA[a:b]) < 0), "I_A falls all the way"
    Vs = np.linspace(-200.0, 100.0, 30001)
    assert R.tau_a(Vs).max() < 4.0 and R.tau_b(Vs).max() < 4.0
    # line 3: 50 % block: one spike at 1.25, ≈ 40 Hz at 1.3; 100 % block: the rest is unstable and
    # fires at ≈ 156 Hz without current; -7.55 silences it (-7.50 does not)
    assert ref_spikes(1.25, 50.0, 2000.0).size == 1
    s13 = ref_spikes(1.3, 50.0, 1000.0)
    assert round(1000 / (s13[-1] - s13[-2]), -1) == 40
    s0 = ref_spikes(0.0, 100.0, 300.0)
    assert round(1000 / (s0[-1] - s0[-2])) == 156
    assert ref_spikes(-7.55, 100.0, 2000.0).size == 0 and ref_spikes(-7.5, 100.0, 300.0).size > 20


# ---------------------------------------------------------------------------------------------
# As a reader uses it


def test_lab_renders_with_its_guide_and_no_console_error(lab):
    page = lab.page
    root = page.locator(f"[data-hh-lab='{KIND}']")
    assert root.count() == 1 and root.get_attribute("data-ready") == "true"
    assert root.locator("ul.hh-lab-guide li").all_inner_texts() == list(labs.LABS[KIND].guide)
    assert root.locator("canvas").count() == 2 and root.locator(".hh-lab-fallback").count() == 0
    assert not root.get_attribute("data-error")
    scripts = page.evaluate("() => [...document.scripts].map(s => s.src)")
    assert any(s.endswith("hhlab.js") or "hhlab.js?" in s for s in scripts)
    assert not lab.errors, lab.errors
    # the desktop screenshot (test_labs.py shoots every lab on a phone, light and dark)
    SHOTS.mkdir(parents=True, exist_ok=True)
    names = root.locator("input[type=range]").evaluate_all("els => els.map(e => e.name)")
    if [float(root.locator(f"input[name='{n}']").input_value()) for n in names] != [10.0, 0.0, 1000.0]:
        before = _state(page, KIND)["updates"]   # other tests of this module moved the sliders: the default view
        root.locator("[data-reset]").click()
        _wait_update(page, KIND, before)
    _shoot(page, PAGE, "desktop", [KIND])


def test_every_slider_corner_gives_finite_traces_and_readouts(lab):
    out = lab.page.evaluate(CORNERS_JS, KIND)
    assert out["runs"] == 8 and not out["bad"], "\n".join(out["bad"][:20])


def test_every_slider_is_labelled_and_moves_plot_and_readout_by_keyboard(lab):
    page = lab.page
    root = page.locator(f"[data-hh-lab='{KIND}']")
    names = root.locator("input[type=range]").evaluate_all("els => els.map(e => e.name)")
    assert names == ["current", "block", "duration"]
    for name in names:
        slider = root.locator(f"input[name='{name}']")
        label = root.locator(f"label[for='{slider.get_attribute('id')}']").inner_text()
        assert re.search(r"[\uac00-\ud7a3]", label), label
        before = _state(page, KIND)
        slider.focus()
        page.keyboard.press("End" if slider.input_value() != slider.get_attribute("max") else "Home")
        _wait_update(page, KIND, before["updates"])
        after = _state(page, KIND)
        assert after["error"] is None, after["error"]
        assert after["readout"] != before["readout"], f"{name}: the readout stayed {before['readout']!r}"
        assert after["pixels"] != before["pixels"], f"{name}: the plot did not change"
    before = _state(page, KIND)["updates"]
    root.locator("[data-reset]").click()
    _wait_update(page, KIND, before)
    assert [float(root.locator(f"input[name='{n}']").input_value()) for n in names] == [10.0, 0.0, 1000.0]
    # the onset region is reachable on the slider's grid: 8.10 and 8.15 exactly
    for value in ("8.1", "8.15", "8.25"):
        root.locator("input[name='current']").fill(value)
        assert float(root.locator("input[name='current']").input_value()) == float(value)


@pytest.mark.parametrize("I, block, duration", [(10.0, 0.0, 1000.0), (0.0, 100.0, 300.0)])
def test_a_trace_costs_the_lab_no_more_work_than_scipy_rk45(lab, I, block, duration):
    """The lab's speed as work, not time (benchmarks/bench_labs.py reports the times under 4x CPU
    throttling): csCurrentClamp at the lab's default tolerances takes at most 5 % more right-hand
    sides than scipy's RK45 on the independent equations (tests/cs_reference.py) from the same start,
    at the default 10 µA/cm² (1000 ms, 33 spikes) and with the A-current blocked at I = 0 (the
    costliest preset, 156 Hz; 300 ms). Measured: 59437 vs 59317 over 1000 ms for the default."""
    import cs_reference as R

    got, r = lab_work(lab.page, "csCurrentClamp", {"I": I, "block": block / 100, "duration": duration})
    g = 1.0 - block / 100.0
    V0 = R.resting_potential(g) + labs.CS_REST_NUDGE
    want = rk45_work(R._make_rhs(I, g), (V0, *(float(x) for x in R.steady_state(V0))), duration)
    print(f"csCurrentClamp, {duration:g} ms, {I:g} µA/cm², {block:g} % A-block: {got} right-hand sides ({r}); scipy RK45 {want}")
    assert got <= 1.05 * want, (got, want, r)
