"""The W5D2 figures comparing HH, LIF and Izhikevich (conventions: :mod:`hh_lib.plotting.common`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from ..reduced.comparison import CURRENT_UNITS, MODELS, CostReport, FICurves
from ..reduced.lif import LIFParameters, lif_rate
from .common import RATE_LABEL, AxesLike, axes_grid, finish, izhikevich_name_ko

__all__ = ["plot_cost_comparison", "plot_fi_comparison"]


def plot_fi_comparison(fi: FICurves, axes: AxesLike = None, *, lif_params: LIFParameters | None = None) -> Figure:
    """F-I curves of HH, LIF and Izhikevich side by side, each against current in its own unit.

    The LIF panel adds the closed-form rate (line); the first firing current of each
    model is marked.

    Parameters
    ----------
    fi : FICurves
        From :func:`hh_lib.reduced.comparison.compare_fi_curves`.
    axes : 3 Axes, optional
    lif_params : LIFParameters, optional
        The LIF parameters used for ``fi`` (for the closed form); default parameters.
    """
    if not isinstance(fi, FICurves):
        raise TypeError(f"fi must be FICurves from compare_fi_curves, got {type(fi).__name__}")
    fig, ax = axes_grid(axes, 3, (1, 3), (16, 4.8))
    colors = {"HH": "tab:blue", "LIF": "tab:orange", "Izhikevich": "tab:green"}
    titles = {"HH": "Hodgkin-Huxley 모델 (6.3 °C)", "LIF": "누설 적분-발화(LIF) 모델",
              "Izhikevich": f"Izhikevich 모델: {izhikevich_name_ko(fi.izh_params)}"}
    for a, m in zip(ax, MODELS):
        f = fi.rates(m)
        a.plot(fi.currents, f, "o", ms=3.5, color=colors[m], label=f"시뮬레이션 ({fi.transient:g}–{fi.duration:g} ms 구간의 스파이크 수)")
        if m == "LIF":
            fine = np.linspace(fi.currents.min(), fi.currents.max(), 2001)
            a.plot(fine, lif_rate(fine, LIFParameters.resolve(lif_params)), "-", color="black", lw=1.2, label="해석해 (닫힌 형식)")
        I_on, f_on = fi.onset(m)
        if np.isfinite(I_on):
            a.plot([I_on], [f_on], "s", ms=9, mfc="none", mec="tab:red", mew=2,
                   label=f"발화 시작: I = {I_on:g}에서 {f_on:.0f} Hz")
        a.set(xlabel=f"주입 전류 I ({CURRENT_UNITS[m]})", ylabel=RATE_LABEL, title=titles[m])
        a.set_ylim(bottom=0)
        a.legend(loc="upper left", fontsize="small")
    return finish(fig, ax)


def plot_cost_comparison(reports: Sequence[CostReport], axes: AxesLike = None) -> Figure:
    """Right-hand-side evaluations per simulated second and per spike (log scale), one bar per model.

    Parameters
    ----------
    reports : sequence of CostReport
        From :func:`hh_lib.reduced.comparison.compare_costs` (or count_rhs_evaluations).
    axes : 2 Axes, optional
    """
    reports = list(reports)
    if not reports or not all(isinstance(r, CostReport) for r in reports):
        raise TypeError("reports must be a non-empty sequence of CostReport objects")
    fig, (a1, a2) = axes_grid(axes, 2, (1, 2), (13, 4.8))
    names = [f"{r.model}\n(I = {r.current:g} {CURRENT_UNITS[r.model]})" for r in reports]
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown"]
    per_s = [r.evaluations_per_second for r in reports]
    per_spike = [r.evaluations_per_spike for r in reports]
    for a, values, ylabel, title in (
        (a1, per_s, "우변(RHS) 계산 횟수 / 시뮬레이션 1초 (1/s)", "시뮬레이션 1초당 계산량"),
        (a2, per_spike, "우변(RHS) 계산 횟수 / 스파이크 (회)", "스파이크 하나당 계산량"),
    ):
        bars = a.bar(names, values, color=colors[: len(reports)])
        a.set_yscale("log")
        a.set_ylim(1.0, 3.0 * max(v for v in values if np.isfinite(v)))  # bars start at 1
        a.set(ylabel=ylabel, title=title)
        for b, v in zip(bars, values):
            if np.isfinite(v):
                a.annotate(f"{v:,.0f}", (b.get_x() + b.get_width() / 2, v), ha="center", va="bottom", fontsize="small")
        a.grid(True, axis="y", alpha=0.3)
    r0 = reports[0]
    fig.suptitle(f"scipy RK45 (rtol = {r0.rtol:g}, atol = {r0.atol:g}), {r0.duration:g} ms 시뮬레이션", fontsize="medium")
    fig.tight_layout()
    return fig
