"""hh_lib.labs: the labs' knob table, their figures (without ipywidgets) and show_lab's wiring.

The figures are checked against physics and independent references, not against themselves:
a fully TTX-blocked membrane never spikes, the voltage-clamp currents solve the gate equations
(solve_ivp), the FitzHugh-Nagumo fixed point lies on both nullclines, Izhikevich spikes drawn
are the simulator's.
"""
from __future__ import annotations

import sys
import types

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import hh_lib  # noqa: E402
from hh_lib import labs  # noqa: E402


def test_the_five_kinds_and_their_knob_names():
    assert list(labs.LABS) == ["current-clamp", "voltage-clamp", "fhn-phase-plane", "izhikevich", "cs-current-clamp"]
    names = {kind: [k.name for k in lab.knobs] for kind, lab in labs.LABS.items()}
    assert names["current-clamp"][:4] == ["current", "temperature", "ttx", "tea"]
    assert names["voltage-clamp"][:2] == ["hold", "vc"]
    assert names["cs-current-clamp"] == ["current", "block", "duration"]


@pytest.mark.parametrize("kind", list(labs.LABS))
def test_defaults_and_presets_lie_on_their_slider_grids(kind):
    lab = labs.LABS[kind]
    for knob in lab.knobs:
        assert knob.min <= knob.value <= knob.max
        knob.check(knob.value)
        assert knob.label and not knob.label.isascii() or knob.name in "abcd"
    for label, values in lab.presets:
        for name, value in values.items():
            lab.knob(name).check(value, f"preset {label!r}")


def test_6_3_degrees_is_on_the_temperature_grid_and_6_35_is_not():
    knob = labs.lab("current-clamp").knob("temperature")
    assert knob.check(6.3) == 6.3
    with pytest.raises(ValueError, match="temperature .*grid"):
        knob.check(6.35)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="kind must be one of"):
        labs.lab_figure("current_clam")
    with pytest.raises(ValueError, match="current .*-10, 100"):
        labs.lab_figure("current-clamp", current=1000.0)
    with pytest.raises(ValueError, match="no knob 'vc'"):
        labs.settings("current-clamp", vc=0.0)
    with pytest.raises(TypeError, match="ttx must be a finite number"):
        labs.settings("current-clamp", ttx="50")
    with pytest.raises(ValueError, match="range must be"):
        labs.lab("voltage-clamp").knob("hold").with_range(-80.0, -90.0, 1.0)


def _lines(fig):
    return [line for ax in fig.axes for line in ax.get_lines()]


def test_current_clamp_figure_follows_the_knobs():
    fig = labs.lab_figure("current-clamp", current=10.0, duration=50.0)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    V = fig.axes[0].get_lines()[0].get_ydata()
    assert V.max() > 30.0  # 10 µA/cm² at 6.3 °C fires full spikes (peaks about +40 mV)
    assert "스파이크" in fig.axes[0].get_title()
    blocked = labs.lab_figure("current-clamp", current=10.0, duration=50.0, ttx=100.0)
    Vb = blocked.axes[0].get_lines()[0].get_ydata()
    assert Vb.max() < -50.0  # no Na⁺ channel, no action potential: passive depolarisation only
    cold = labs.lab_figure("current-clamp", current=10.0, duration=50.0, temperature=0.0)
    t_cold, V_cold = cold.axes[0].get_lines()[0].get_data()
    t, _ = fig.axes[0].get_lines()[0].get_data()
    # colder = slower gates = the first peak comes later
    assert t_cold[np.argmax(V_cold[: len(V_cold) // 5])] > t[np.argmax(V[: len(V) // 5])]
    for f in (fig, blocked, cold):
        plt.close(f)


def test_voltage_clamp_figure_draws_the_solution_of_the_gate_equations():
    from scipy.integrate import solve_ivp

    vc, hold = 0.0, -70.0
    p = hh_lib.HHParameters(temperature=15.0)
    fig = labs.lab_figure("voltage-clamp", vc=vc, hold=hold, temperature=15.0, duration=20.0)
    (t, I_Na), (_, I_K) = (line.get_data() for line in fig.axes[0].get_lines()[:2])
    rates = [(hh_lib.alpha_m, hh_lib.beta_m), (hh_lib.alpha_h, hh_lib.beta_h), (hh_lib.alpha_n, hh_lib.beta_n)]
    sol = solve_ivp(lambda _, x: [p.phi * (a(vc) * (1 - xi) - b(vc) * xi) for (a, b), xi in zip(rates, x)],
                    (0.0, 20.0), list(hh_lib.steady_state(hold)), t_eval=t, rtol=1e-11, atol=1e-12, method="LSODA")
    m, h, n = sol.y
    np.testing.assert_allclose(I_Na, 120.0 * m**3 * h * (vc - 50.0), atol=1e-5 * np.abs(I_Na).max())
    np.testing.assert_allclose(I_K, 36.0 * n**4 * (vc + 77.0), atol=1e-5 * np.abs(I_K).max())
    assert I_Na.min() < -100.0 and I_K[-1] > 500.0  # inward Na⁺ peak, then a large outward K⁺ current
    plt.close(fig)


def test_voltage_clamp_figure_with_blockers():
    fig = labs.lab_figure("voltage-clamp", vc=10.0, ttx=100.0)
    I_Na, I_K = (line.get_ydata() for line in fig.axes[0].get_lines()[:2])
    assert np.all(I_Na == 0.0) and I_K[-1] > 100.0
    plt.close(fig)
    fig = labs.lab_figure("voltage-clamp", vc=10.0, tea=100.0)
    I_Na, I_K = (line.get_ydata() for line in fig.axes[0].get_lines()[:2])
    assert np.all(I_K == 0.0) and I_Na.min() < -100.0
    plt.close(fig)


def test_fhn_figure_starts_at_v0_w0_and_its_fixed_point_is_on_both_nullclines():
    I = 0.5
    fig = labs.lab_figure("fhn-phase-plane", current=I, v0=1.5, w0=2.0)
    lines = fig.axes[0].get_lines()
    vs = lines[0].get_xdata()
    np.testing.assert_allclose(lines[0].get_ydata(), vs - vs**3 / 3 + I)  # the cubic v-nullcline at this I
    traj = lines[2]
    assert traj.get_xdata()[0] == pytest.approx(1.5) and traj.get_ydata()[0] == pytest.approx(2.0)
    v, w = lines[4].get_xdata()[0], lines[4].get_ydata()[0]
    assert v - v**3 / 3 + I == pytest.approx(w, abs=1e-9)  # v-nullcline
    assert (v + 0.7) / 0.8 == pytest.approx(w, abs=1e-9)  # w-nullcline (FitzHugh's a, b)
    assert lines[4].get_markerfacecolor() == "none"  # I = 0.5 lies between the Hopf currents: unstable
    plt.close(fig)


def test_izhikevich_figure_draws_each_spike_of_the_simulator():
    fig = labs.lab_figure("izhikevich", a=0.02, b=0.2, c=-50.0, d=2.0, current=10.0, duration=200.0)
    res = hh_lib.simulate_izhikevich(lambda t: np.where(t >= 10.0, 10.0, 0.0), 200.0, params="CH")
    segments = fig.axes[0].collections[0].get_segments()
    assert len(segments) == res.spike_count > 5
    np.testing.assert_allclose([s[0][0] for s in segments], res.spike_times)
    assert res.spike_times[0] > 10.0  # the current starts at 10 ms
    plt.close(fig)


def test_show_lab_without_ipywidgets_explains(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match="ipywidgets.*Colab.*do not upgrade"):
        labs.show_lab("current-clamp")


def test_show_lab_builds_one_slider_per_knob_that_redraws_on_release(monkeypatch):
    made, shown = {}, []

    class FloatSlider:
        def __init__(self, **kw):
            self.kw = kw

    def interact(func, **sliders):
        made.update(sliders)
        func(**{name: s.kw["value"] for name, s in sliders.items()})
        return func

    stub = types.SimpleNamespace(FloatSlider=FloatSlider, Layout=lambda **kw: kw, interact=interact)
    monkeypatch.setitem(sys.modules, "ipywidgets", stub)
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: shown.append(obj))
    labs.show_lab("current-clamp", current=6.5, duration=50.0)
    assert list(made) == ["current", "temperature", "ttx", "tea", "duration"]
    assert all(s.kw["continuous_update"] is False for s in made.values())
    assert made["current"].kw["value"] == 6.5 and made["current"].kw["step"] == 0.5
    assert made["temperature"].kw["value"] == 6.3 and "°C" in made["temperature"].kw["description"]
    guide, figure = shown  # the lab's guide (the site's lines), then the figure once
    assert all(line in guide.data for line in labs.LABS["current-clamp"].guide)
    assert len(figure.axes) == 3 and "끝까지 반복 발화" in figure.axes[0].get_title()
    assert not plt.get_fignums()  # displayed once, then closed: the inline backend does not repeat it


def test_notebook_code_calls_show_lab_with_the_directive_defaults():
    code = labs.notebook_code("current-clamp", {"current": "6.5", "current-range": "0 50 0.5", "title": "x"})
    assert code == "from hh_lib.labs import show_lab\nshow_lab('current-clamp', current=6.5)"
    with pytest.raises(ValueError, match="no knob 'vc'"):
        labs.notebook_code("current-clamp", {"vc": "0"})


def test_readouts_say_what_happened():
    """The notebook's lines (the same as the site's, checked there against the browser): no rate for
    firing that stops, the stop time, a warning beyond E_Na, the exact clamp peak, FHN excursions."""
    def title(fig):
        texts = [ax.get_title() for ax in fig.axes] + [fig.get_suptitle()]
        return " ".join(texts).replace("\n", " ")

    heat = labs.lab_figure("current-clamp", temperature=24.0)
    assert "스파이크 1개, t = 1.8 ms에 멈춤" in title(heat) and "Hz" not in title(heat)
    tea = labs.lab_figure("current-clamp", tea=90.0)
    assert "스파이크 2개, t = 10.1 ms에 멈춤" in title(tea) and "Hz" not in title(tea)
    short = labs.lab_figure("current-clamp", duration=20.0)
    assert "67 Hz" in title(short)  # two spikes 14.9 ms apart, not 2 / 20 ms = 100 Hz
    beyond = labs.lab_figure("current-clamp", current=100.0, tea=100.0)
    assert "+279 mV" in title(beyond)
    warm = labs.describe_voltage_clamp(labs.settings("voltage-clamp", temperature=40.0))
    assert "I_Na 최댓값 −1456.8 µA/cm²" in warm  # the closed form's peak (samples give −1370.5)
    block = labs.lab_figure("fhn-phase-plane", current=1.45)
    assert "0번" in title(block) and "돌아오지 않음" in title(block)
    for f in (heat, tea, short, beyond, block):
        plt.close(f)


def test_the_lab_table_is_plain_data_and_a_bad_default_is_refused(tmp_path):
    """hh_lib/labs.json is the table (read by the site's directive through hh_lib.labs); an
    instructor's default off its slider grid fails with the knob's name."""
    import json

    from hh_lib import labs

    data = json.loads(labs.TABLE.read_text(encoding="utf-8"))
    assert [entry["kind"] for entry in data["kinds"]] == list(labs.LABS)
    data["kinds"][0]["knobs"][0]["value"] = 10.25  # current: grid -10 + k·0.5
    bad = tmp_path / "labs.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="current default 10.25 is not on the slider's grid"):
        labs._load(bad)


# --- The Connor-Stevens lab (cs-current-clamp) in a notebook ---------------------------------------


def test_cs_figure_draws_hh_lib_from_rest_and_says_what_happened():
    """V(t) and I_A(t) of simulate_cs from the resting potential + CS_REST_NUDGE; the title carries the
    readout, whose first spike (233.2 ms) and interval (215.0 ms) the independent reference gives."""
    import cs_reference as R

    from hh_lib.cs import equilibrium_potential

    fig = labs.lab_figure("cs-current-clamp", current=8.25)
    assert len(fig.axes) == 2 and fig.axes[1].get_ylim() == labs.CS_IA_RANGE
    (t, V), (_, I_A) = fig.axes[0].get_lines()[0].get_data(), fig.axes[1].get_lines()[0].get_data()
    assert t[-1] == 1000.0 and V[0] == pytest.approx(equilibrium_potential(0.0) + labs.CS_REST_NUDGE, abs=1e-12)
    res = hh_lib.simulate_cs(8.25, 1000.0, V0=V[0])
    np.testing.assert_array_equal(V, res.V)
    np.testing.assert_array_equal(I_A, res.I_A)
    title = fig.axes[0].get_title().replace("\n", " ")
    assert "스파이크 4개 (첫 스파이크 t = 233.2 ms), 끝까지 반복 발화: 4.7 Hz (마지막 간격 214.99 ms)" in title, title
    V0 = R.resting_potential() + 1e-3
    ref = R.spike_times(R.run(8.25, 1000.0, 1.0, (V0, *(float(x) for x in R.steady_state(V0)))))
    np.testing.assert_allclose(res.spike_times, ref, atol=0.01)
    plt.close(fig)


def test_cs_figure_with_the_a_current_blocked():
    """100 % block: the rest is unstable and the membrane fires without current; the intact membrane
    at 8.10 µA/cm², below its saddle-node (8.114), stays below -50 mV."""
    fig = labs.lab_figure("cs-current-clamp", current=0.0, block=100.0, duration=200.0)
    V = fig.axes[0].get_lines()[0].get_ydata()
    assert V.max() > 30.0 and "끝까지 반복 발화: 156 Hz" in fig.axes[0].get_title()
    assert np.all(fig.axes[1].get_lines()[0].get_ydata() == 0.0)  # no A-type channel left
    quiet = labs.lab_figure("cs-current-clamp", current=8.1)
    assert quiet.axes[0].get_lines()[0].get_ydata().max() < -50.0 and "활동전위 없음" in quiet.axes[0].get_title()
    for f in (fig, quiet):
        plt.close(f)


def test_cs_readout_parts():
    """The readout's rules on hand-made spike trains: a rate (one decimal below 10 Hz) only for firing
    that lasts; one spike undecided while the silence after it is at most 1.5 times its delay."""
    t = np.arange(0.0, 1000.001, 0.01)
    V = np.full(t.size, -60.0)
    ratio = np.zeros(t.size)
    say = lambda s, n=t.size: labs.describe_cs_current_clamp(t[:n], V[:n], ratio[:n], s)  # noqa: E731
    assert say([233.2, 448.2, 663.2, 878.2]).startswith(
        "스파이크 4개 (첫 스파이크 t = 233.2 ms), 끝까지 반복 발화: 4.7 Hz (마지막 간격 215.00 ms)")
    assert say([10.0, 20.0, 30.0]).startswith("스파이크 3개 (첫 스파이크 t = 10.0 ms), t = 30.0 ms에 멈춤")
    assert say([400.0]).startswith("스파이크 1개 (t = 400.0 ms): 발화가 이어지는지 보려면 시간을 늘리세요")  # 600 <= 1.5·400
    assert say([300.0]).startswith("스파이크 1개, t = 300.0 ms에 멈춤")  # 700 > 1.5·300
    assert say([]) == "활동전위 없음; 끝의 V = −60.0 mV"


def test_cs_notebook_code_and_show_lab_sliders(monkeypatch):
    code = labs.notebook_code("cs-current-clamp", {"current": "8.25", "block": "50", "duration-range": "100 3000 50"})
    assert code == "from hh_lib.labs import show_lab\nshow_lab('cs-current-clamp', current=8.25, block=50.0)"
    made = {}

    class FloatSlider:
        def __init__(self, **kw):
            self.kw = kw

    stub = types.SimpleNamespace(FloatSlider=FloatSlider, Layout=lambda **kw: kw,
                                 interact=lambda func, **sliders: made.update(sliders) or func)
    monkeypatch.setitem(sys.modules, "ipywidgets", stub)
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: None)
    labs.show_lab("cs-current-clamp", current=8.25)
    assert list(made) == ["current", "block", "duration"]
    assert made["current"].kw["value"] == 8.25 and made["current"].kw["step"] == 0.05
    assert made["block"].kw["max"] == 100.0 and made["duration"].kw["value"] == 1000.0


# Currents (µA/cm², on the slider's grid) just above the onset of firing where the second spike comes
# after 100 ms (the shortest run). A scan of the slider's range (blocks 0-40 % in steps of 5 and 50, 60,
# 80, 100 %; -10 to 40 µA/cm² in steps of 0.05; 2100 ms) found such runs only just above the type I
# onsets (0-20 % block: the steady-state I-V curve has a knee) and at 60 % block near 0.1 µA/cm², where
# the rest is about to lose stability (first spike at 124 ms, the second 17.5 ms later).
SLOW_ONSETS = {0.0: (8.15, 9.25), 10.0: (6.70, 7.40), 20.0: (5.45, 5.60), 60.0: (0.10, 0.15)}


@pytest.mark.parametrize("block", list(SLOW_ONSETS))
def test_one_spike_rule_of_the_cs_readout(block):
    """A single spike is read as undecided while the silence after it is at most 1.5 times its delay
    from rest: where the second spike comes after the shortest run (100 ms), it comes within 1.5
    delays of the first (the way from rest is longer than the way from a spike's trough). Checked
    from the onset (the current below is silent for 2100 ms) to where the second spike comes
    before 100 ms."""
    lo, hi = SLOW_ONSETS[block]
    p = hh_lib.CSParameters().with_block(a_current=block / 100)
    from hh_lib.cs import equilibrium_potential

    V0 = equilibrium_potential(0.0, p) + labs.CS_REST_NUDGE
    currents = np.round(np.arange(lo - 0.05, hi + 0.051, 0.05), 2)
    res = hh_lib.simulate_cs(currents, 2100.0, dt=0.1, params=p, V0=V0)
    trains = [np.asarray(s) for s in res.spike_times]
    assert trains[0].size == 0, "the window starts at the onset"
    assert trains[-1].size >= 2 and trains[-1][1] <= 100.0, "the window ends where the second spike is seen"
    worst = max((s[1] - s[0]) / s[0] for s in trains[1:])
    assert worst <= 1.0, worst  # 0.96 at 8.15 µA/cm², well inside the 1.5 of the rule
