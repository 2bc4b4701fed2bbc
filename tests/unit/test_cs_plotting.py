"""The type I / type II figure (hh_lib.plotting.cs) on fake arrays: what it draws, its onset marks,
its Korean labels with units, that it draws on given axes and never shows, and its argument checks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers import english_words, figure_texts  # noqa: E402
from hh_lib.plotting.cs import firing_onset, plot_excitability_types  # noqa: E402

CS_I = np.array([6.0, 8.0, 8.5, 9.0, 12.0, 20.0])
CS_F = np.array([0.0, 0.0, 1.25, 12.5, 50.0, 130.0])  # type I: starts near 0 Hz
HH_I = np.array([5.0, 6.0, 6.5, 10.0, 20.0])
HH_F = np.array([0.0, 0.0, 52.5, 67.5, 87.5])  # type II: jumps to about 50 Hz


@pytest.fixture(autouse=True)
def _no_show_and_close(monkeypatch):
    def show(*args, **kwargs):
        raise AssertionError("plot_excitability_types must not call plt.show()")

    monkeypatch.setattr(plt, "show", show)
    yield
    plt.close("all")


def _line_with(ax, x):
    return [line for line in ax.lines if np.array_equal(np.asarray(line.get_xdata(), float), x)]


def test_draws_both_curves_and_marks_each_onset():
    fig = plot_excitability_types(CS_I, CS_F, HH_I, HH_F)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    for I, f in ((CS_I, CS_F), (HH_I, HH_F)):
        (line,) = _line_with(ax, I)
        np.testing.assert_array_equal(line.get_ydata(), f)
    marks = {(float(line.get_xdata()[0]), float(line.get_ydata()[0])) for line in ax.lines if len(line.get_xdata()) == 1}
    assert marks == {(8.5, 1.25), (6.5, 52.5)}
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "제1형" in legend and "제2형" in legend
    assert "8.5 µA/cm²에서 1.25 Hz" in legend and "6.5 µA/cm²에서 52.5 Hz" in legend
    assert ax.get_ylim()[0] == 0.0


def test_labels_are_korean_with_units():
    fig = plot_excitability_types(CS_I, CS_F, HH_I, HH_F)
    (ax,) = fig.axes
    assert "(µA/cm²)" in ax.get_xlabel() and "(Hz)" in ax.get_ylabel()
    assert "전류" in ax.get_xlabel() and "발화율" in ax.get_ylabel()
    names = {"Connor", "Stevens"}  # model names, like Hodgkin and Huxley
    bad = {t: [w for w in english_words(t) if w not in names] for t in figure_texts(fig)}
    assert not any(bad.values()), bad


def test_dense_curves_are_drawn_without_markers():
    dense_I = np.linspace(0.0, 30.0, 301)
    dense_f = np.where(dense_I > 8.0, 10.0 * np.sqrt(np.clip(dense_I - 8.0, 0.0, None)), 0.0)
    fig = plot_excitability_types(dense_I, dense_f, HH_I, HH_F)
    (ax,) = fig.axes
    (dense,) = _line_with(ax, dense_I)
    (sparse,) = _line_with(ax, HH_I)
    assert dense.get_marker() in (None, "None", "") and sparse.get_marker() == "o"


def test_unsorted_input_is_drawn_in_current_order():
    order = np.array([3, 0, 5, 1, 4, 2])
    fig = plot_excitability_types(CS_I[order], CS_F[order], HH_I, HH_F)
    (line,) = _line_with(fig.axes[0], CS_I)
    np.testing.assert_array_equal(line.get_ydata(), CS_F)


def test_draws_on_given_axes_and_returns_their_figure():
    fig, axes = plt.subplots(1, 2)
    out = plot_excitability_types(CS_I, CS_F, HH_I, HH_F, ax=axes[1])
    assert out is fig
    assert len(axes[1].lines) == 4 and len(axes[0].lines) == 0


def test_blocked_curve_is_dashed_with_its_label():
    blocked_I = np.array([-8.0, -6.0, -4.0, 0.0])
    blocked_F = np.array([0.0, 0.0, 30.0, 60.0])
    fig = plot_excitability_types(CS_I, CS_F, HH_I, HH_F, blocked_currents=blocked_I, blocked_rates=blocked_F,
                                  blocked_label="A-전류 100 % 차단")
    (ax,) = fig.axes
    (line,) = _line_with(ax, blocked_I)
    assert line.get_linestyle() == "--"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "A-전류 100 % 차단" in legend
    assert "발화 시작: -4 µA/cm²에서 30 Hz" in legend


def test_a_silent_curve_has_no_onset_mark():
    fig = plot_excitability_types(CS_I, np.zeros_like(CS_F), HH_I, HH_F)
    assert len(fig.axes[0].lines) == 3  # two curves and the HH onset
    assert np.isnan(firing_onset(CS_I, np.zeros_like(CS_F))[0])


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(cs_rates=CS_F[:-1]), ValueError, "cs_currents and cs_rates"),
    (dict(hh_rates=-HH_F), ValueError, "hh_rates"),
    (dict(cs_currents=[1.0]), ValueError, "cs_"),
    (dict(hh_currents="abc"), TypeError, "hh_currents"),
    (dict(cs_rates=np.where(CS_F > 100, np.nan, CS_F)), ValueError, "cs_rates"),
    (dict(cs_currents=CS_I.reshape(2, 3)), ValueError, "cs_currents"),
    (dict(blocked_currents=CS_I), ValueError, "blocked_currents and blocked_rates"),
    (dict(blocked_currents=CS_I, blocked_rates=CS_F, blocked_label=3), TypeError, "blocked_label"),
    (dict(ax="axes"), ValueError, "ax"),
])
def test_bad_arguments_raise_naming_them(kwargs, error, name):
    args = dict(cs_currents=CS_I, cs_rates=CS_F, hh_currents=HH_I, hh_rates=HH_F, **{})
    args.update(kwargs)
    with pytest.raises(error, match=name):
        plot_excitability_types(**args)
