"""The figures are checked on what they draw: the data of the lines on the axes against
independent numbers (tests/reference.py, closed forms) or the library's documented outputs;
every axis label carries a unit and the figure text is Korean (no English words besides
symbols, units and names: helpers.english_words)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import reference as R  # noqa: E402
from hh_lib import HHParameters, LIFParameters, fhn_nullclines, lif_rate, simulate  # noqa: E402
from hh_lib.plotting import (  # noqa: E402
    plot_fhn_phase_plane,
    plot_h_n_relation,
    plot_izhikevich_patterns,
    plot_lif_trace,
    plot_reduced_phase_plane,
    plot_reduction_comparison,
    plot_fi_curve,
    plot_gating,
    plot_lif_fi,
    plot_mechanism,
    plot_phase_planes,
    plot_trace_comparison,
    plot_voltage_traces,
    use_korean_font,
)
from hh_lib.plotting.common import axes_grid  # noqa: E402
from helpers import assert_korean_figure, english_words  # noqa: E402

UNITS = ("(mV)", "(ms)", "(µA/cm²)", "(mS/cm²)", "(Hz)", "무차원")


@pytest.fixture(autouse=True)
def _close_figures():
    use_korean_font()
    yield
    plt.close("all")


def _lines(ax):
    return [(line.get_xdata(), line.get_ydata()) for line in ax.get_lines()]


def _labels_have_units(fig):
    for ax in fig.axes:
        if not ax.get_visible() or not ax.has_data():
            continue
        for label in (ax.get_xlabel(), ax.get_ylabel()):
            if label:
                assert any(u in label for u in UNITS), f"no unit in axis label {label!r}"
    assert_korean_figure(fig)


def test_plot_gating_draws_the_reference_steady_states_time_constants_and_conductances():
    V = np.linspace(-90.0, 40.0, 131)
    params = HHParameters(temperature=16.3)  # φ = 3: time constants divided by 3
    fig = plot_gating(V, params)
    assert isinstance(fig, Figure)
    ax = fig.axes
    m, h, n = R.steady_state(V)
    for (x, y), want in zip(_lines(ax[0])[:3], (m, h, n)):
        np.testing.assert_allclose(x, V)
        np.testing.assert_allclose(y, want, rtol=1e-12)
    for (x, y), want in zip(_lines(ax[1]), R.time_constants(V, phi=3.0)):
        np.testing.assert_allclose(y, want, rtol=1e-12)
    (_, g_na), (_, g_k) = _lines(ax[2])
    np.testing.assert_allclose(g_na, R.G_NA * m**3 * h, rtol=1e-12)
    np.testing.assert_allclose(g_k, R.G_K * n**4, rtol=1e-12)
    (_, i_na), (_, i_k) = _lines(ax[3])[:2]
    ref_na, ref_k, _ = R.ionic_currents(V, m, h, n)
    np.testing.assert_allclose(i_na, ref_na, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(i_k, ref_k, rtol=1e-12, atol=1e-12)
    assert ax[1].get_yscale() == "log"
    _labels_have_units(fig)


def test_plot_fi_curve_draws_exactly_the_points_it_is_given():
    I = np.array([0.0, 5.0, 10.0, 20.0])
    f = np.array([0.0, 0.0, 68.75, 86.25])
    fig = plot_fi_curve(I, f, label="6.3 °C")
    ((x, y),) = _lines(fig.axes[0])
    np.testing.assert_array_equal(x, I)
    np.testing.assert_array_equal(y, f)
    assert fig.axes[0].get_xlabel() == "주입 전류 I (µA/cm²)"
    assert fig.axes[0].get_ylabel() == "발화율 f (Hz)"
    _labels_have_units(fig)
    assert fig.axes[0].get_legend() is not None


def test_plot_fi_curve_on_given_axes_returns_their_figure():
    fig, ax = plt.subplots()
    assert plot_fi_curve([1.0, 2.0], [3.0, 4.0], ax=ax) is fig
    with pytest.raises(ValueError, match="same length"):
        plot_fi_curve([1.0, 2.0], [3.0])


def test_plot_voltage_traces_draws_the_reference_trajectories():
    currents = (0.0, 10.0)
    fig = plot_voltage_traces(currents, duration=20.0)
    drawn = [a for a in fig.axes if a.get_visible()]
    assert len(drawn) == 2
    for a, I in zip(drawn, currents):
        t, V = _lines(a)[0]
        _, ref = R.trajectory(I, 20.0, 0.01)
        np.testing.assert_allclose(V, ref[0], atol=5e-3)  # mV; dopri5 at rtol=atol=1e-6
        assert f"I = {I:g} µA/cm²" == a.get_title()
    _labels_have_units(fig)


def test_plot_mechanism_draws_v_gates_conductances_and_inward_currents():
    res = simulate(10.0, duration=20.0)
    fig = plot_mechanism(res)
    ax = fig.axes
    t, V = _lines(ax[0])[0]
    np.testing.assert_array_equal(V, res.V)
    _, ref = R.trajectory(10.0, 20.0, 0.01)
    (_, m), (_, h), (_, n) = _lines(ax[1])
    np.testing.assert_allclose(np.array([m, h, n]), ref[1:], atol=1e-4)
    (_, g_na), (_, g_k) = _lines(ax[2])
    np.testing.assert_allclose(g_na, R.G_NA * ref[1] ** 3 * ref[2], atol=0.05)
    np.testing.assert_allclose(g_k, R.G_K * ref[3] ** 4, atol=0.05)
    (_, minus_ina), (_, minus_ik) = _lines(ax[3])[:2]
    ref_na, ref_k, _ = R.ionic_currents(ref[0], ref[1], ref[2], ref[3])
    np.testing.assert_allclose(minus_ina, -ref_na, atol=1.0)  # µA/cm² (peaks near 900)
    np.testing.assert_allclose(minus_ik, -ref_k, atol=1.0)
    assert ax[0].texts and "최고점" in ax[0].texts[0].get_text()
    _labels_have_units(fig)


def test_plot_phase_planes_draws_the_trajectory_in_both_planes():
    res = simulate(10.0, duration=20.0)
    fig = plot_phase_planes(res, arrows=5)
    (V, n), start = _lines(fig.axes[0])[:2]
    np.testing.assert_array_equal(V, res.V)
    np.testing.assert_array_equal(n, res.n)
    V2, open_na = _lines(fig.axes[1])[0]
    np.testing.assert_allclose(open_na, res.m**3 * res.h)
    assert len(fig.axes[0].texts) == 5  # the arrows
    _labels_have_units(fig)


def test_plot_trace_comparison_overlays_each_trace_with_its_label():
    a, b = simulate(5.0, duration=10.0), simulate(10.0, duration=10.0)
    fig = plot_trace_comparison([a, b], ["5", "10"], title="x")
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["5", "10"]
    np.testing.assert_array_equal(lines[1].get_ydata(), b.V)
    with pytest.raises(ValueError, match="labels"):
        plot_trace_comparison([a], ["1", "2"])


def test_plot_lif_fi_draws_the_closed_form_and_the_simulated_rates():
    p = LIFParameters()
    I = np.array([1.0, 1.6, 2.0, 3.0])
    fig = plot_lif_fi(I, params=p)
    (x, closed), (xs, simulated) = _lines(fig.axes[0])[:2]
    # closed form of the LIF rate, written out here: 1000 / (t_ref + tau ln((V_inf - V_reset) / (V_inf - V_th)))
    V_inf = p.V_rest + p.R_m * x
    with np.errstate(divide="ignore", invalid="ignore"):
        want = np.where(V_inf > p.V_th, 1000.0 / (p.t_ref + p.tau_m * np.log((V_inf - p.V_reset) / (V_inf - p.V_th))), 0.0)
    np.testing.assert_allclose(closed, want, rtol=1e-12)
    np.testing.assert_array_equal(xs, I)
    np.testing.assert_allclose(simulated, lif_rate(I, p), rtol=1e-9)
    _labels_have_units(fig)


def test_plot_fhn_phase_plane_draws_the_two_nullclines():
    fig = plot_fhn_phase_plane(0.5, v_range=(-2.0, 2.0), duration=20.0)
    (v, w_cubic), (v2, w_line) = _lines(fig.axes[0])[:2]
    np.testing.assert_allclose(w_cubic, v - v**3 / 3.0 + 0.5, rtol=1e-12)
    np.testing.assert_allclose(w_line, (v2 + 0.7) / 0.8, rtol=1e-12)
    np.testing.assert_allclose(np.array(fhn_nullclines(v, 0.5)), np.array([w_cubic, w_line]))
    _labels_have_units(fig)


def test_english_words_flags_words_but_not_symbols_units_or_names():
    assert english_words("Membrane potential V (mV)") == ["Membrane", "potential"]
    assert english_words("Na⁺ act.") == ["act"]
    assert english_words("Time (ms)") == ["Time"]
    assert english_words("막전위 V (mV)") == []
    assert english_words("V_rest = -65 mV, g_Na·m∞³h∞, τ_m, RK45, Q10 = 3") == []
    assert english_words("Hodgkin-Huxley 모델, 우변(RHS) 계산 횟수 (1/s)") == []
    with pytest.raises(AssertionError, match="Steady"):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], label="Steady state")
        ax.legend()
        assert_korean_figure(fig)


def test_axes_grid_accepts_an_axes_or_exactly_n_of_them():
    fig, grid = plt.subplots(1, 2)
    got_fig, flat = axes_grid(grid, 2, (1, 2), (4, 2))
    assert got_fig is fig and list(flat) == list(grid)
    got_fig, (a,) = axes_grid(grid[0], 1, (1, 1), (4, 2))
    assert a is grid[0]
    with pytest.raises(ValueError, match="exactly 3 matplotlib Axes"):
        axes_grid(grid, 3, (1, 3), (4, 2))
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        axes_grid("not axes", 1, (1, 1), (4, 2))
    fig, flat = axes_grid(None, 3, (2, 2), (4, 4))
    assert len(flat) == 3 and len(fig.axes) == 4


def test_every_figure_draws_all_its_korean_text_without_missing_glyphs():
    """With the Korean font each figure renders with no "Glyph ... missing" warning (Hangul,
    superscripts ⁺ ³ ⁴, ∞, τ, µ, ², –) and contains no English words."""
    import warnings

    from hh_lib import simulate_lif
    from hh_lib.reduced.reduction import simulate_reduced_hh

    assert use_korean_font() is not None, "no Korean font installed (fonts-noto-cjk)"
    hh = simulate(10.0, duration=30.0)
    figures = [
        lambda: plot_gating(),
        lambda: plot_voltage_traces((0.0, 10.0), duration=20.0),
        lambda: plot_mechanism(hh),
        lambda: plot_phase_planes(hh, arrows=3),
        lambda: plot_fi_curve([0.0, 10.0], [0.0, 70.0], label="HH (6.3 °C)"),
        lambda: plot_lif_trace(simulate_lif(2.0, duration=50.0)),
        lambda: plot_lif_fi([1.0, 2.0], duration=100.0),
        lambda: plot_fhn_phase_plane(0.5, duration=20.0),
        lambda: plot_izhikevich_patterns(duration=50.0),
        lambda: plot_h_n_relation(hh, transient=5.0),
        lambda: plot_reduction_comparison(hh, [simulate_reduced_hh(10.0, 30.0)], ["2차원"]),
        lambda: plot_reduced_phase_plane(10.0, duration=20.0),
    ]
    for make in figures:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph is a UserWarning at draw time
            fig = make()
            fig.canvas.draw()
        _labels_have_units(fig)
        plt.close(fig)
