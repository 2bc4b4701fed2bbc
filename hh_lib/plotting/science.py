"""Figures of the experiments on the W5D1 page: voltage clamp, refractoriness, type II excitability.

Labels are Korean (call :func:`hh_lib.plotting.fonts.use_korean_font` first). Every function takes
optional axes, draws on them (creating a figure when none are given) and returns the Figure.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from ..core import validation as check
from ..hh.clamp import ClampResult, voltage_clamp
from ..hh.excitability import RampResponse, RefractoryCurve, equilibrium_eigenvalues
from ..hh.parameters import HHParameters
from ..hh.simulation import HHResult
from .common import axes_grid

__all__ = [
    "plot_clamp_family",
    "plot_equivalent_circuit",
    "plot_drug_separation",
    "plot_ramp_hysteresis",
    "plot_refractory",
    "plot_stability",
]

T_KO, V_KO = "시간 (ms)", "막전위 V (mV)"
I_KO, G_KO = "전류 밀도 (µA/cm²)", "컨덕턴스 (mS/cm²)"


def plot_clamp_family(result: ClampResult, axes: Any = None) -> Figure:
    """Ionic current, g_Na(t) and g_K(t) for a family of voltage steps (three panels).

    ``result`` is a :func:`hh_lib.voltage_clamp` result with an array ``V_clamp``.
    """
    if not isinstance(result, ClampResult) or np.ndim(result.V_clamp) != 1:
        raise TypeError("result must be a voltage_clamp result for an array of V_clamp (a family of steps)")
    fig, ax = axes_grid(axes, 3, (1, 3), (16, 4.8))
    colors = plt.cm.viridis(np.linspace(0.0, 0.9, len(result.V_clamp)))
    for k, (Vc, c) in enumerate(zip(result.V_clamp, colors)):
        label = f"{Vc:+.0f} mV"
        ax[0].plot(result.t, result.I_ion[k], color=c, lw=1.6, label=label)
        ax[1].plot(result.t, result.g_Na[k], color=c, lw=1.6)
        ax[2].plot(result.t, result.g_K[k], color=c, lw=1.6)
    ax[0].axhline(0.0, color="gray", lw=0.8)
    ax[0].set(title=f"전체 이온 전류 (고정 전위 {result.V_hold:.0f} mV에서 계단)", xlabel=T_KO,
              ylabel=I_KO + " (음수 = 안쪽)")
    ax[1].set(title="Na⁺ 컨덕턴스 g_Na·m³h", xlabel=T_KO, ylabel=G_KO)
    ax[2].set(title="K⁺ 컨덕턴스 g_K·n⁴", xlabel=T_KO, ylabel=G_KO)
    ax[0].legend(title="계단 전위", fontsize=8, ncol=2)
    for a in ax:
        a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_drug_separation(
    V_step: float = 0.0, duration: float = 10.0, params: HHParameters | None = None, ax: Any = None
) -> Figure:
    """Clamp current at one step without drugs, with TTX (I_K + I_L) and with TEA (I_Na + I_L)."""
    V_step = check.scalar_in_range("V_step", V_step, -200.0, 200.0, unit="mV")
    p = HHParameters.resolve(params)
    fig, (a,) = axes_grid(ax, 1, (1, 1), (9, 4.8))
    runs = [("약물 없음: I_Na + I_K + I_L", p, "k", "-"),
            ("TTX (Na⁺ 차단): I_K + I_L", p.with_block(ttx=1.0), "tab:blue", "--"),
            ("TEA (K⁺ 차단): I_Na + I_L", p.with_block(tea=1.0), "tab:red", "--")]
    for label, q, color, ls in runs:
        r = voltage_clamp(V_step, duration, params=q)
        a.plot(r.t, r.I_ion, color=color, ls=ls, lw=2, label=label)
    a.axhline(0.0, color="gray", lw=0.8)
    a.set(title=f"{V_step:+.0f} mV 계단에서 약물로 전류 분리", xlabel=T_KO, ylabel=I_KO + " (음수 = 안쪽)")
    a.legend(fontsize=9)
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_refractory(curve: RefractoryCurve, recovery: HHResult, onset: float = 5.0, axes: Any = None) -> Figure:
    """Two panels: smallest interval for a second spike vs test amplitude; h and n after one spike.

    ``recovery`` is a single-trace simulation of the conditioning pulse alone, starting at
    ``onset`` ms; its gates are drawn against the time since that onset.
    """
    if not isinstance(curve, RefractoryCurve):
        raise TypeError(f"curve must be a RefractoryCurve from refractory_curve, got {type(curve).__name__}")
    if not isinstance(recovery, HHResult) or recovery.V.ndim != 1:
        raise TypeError("recovery must be a single-trace HHResult from simulate")
    fig, ax = axes_grid(axes, 2, (1, 2), (15, 4.8))
    ok = np.isfinite(curve.min_interval)
    ax[0].plot(curve.min_interval[ok], curve.amplitudes[ok], "o-", color="tab:purple", lw=2)
    ax[0].set(xlabel="두 펄스 사이 간격 (ms, 시작–시작)", ylabel="두 번째 펄스의 세기 (µA/cm²)",
              title="두 번째 스파이크를 일으키는 최소 간격", yscale="log")
    ax[0].grid(True, which="both", alpha=0.3)
    since = recovery.t - onset
    keep = since >= 0
    ax[1].plot(since[keep], recovery.h[keep], color="tab:red", lw=2, label="h (Na⁺ 비활성화 게이트, 1 = 열림)")
    ax[1].plot(since[keep], recovery.n[keep], color="tab:blue", lw=2, label="n (K⁺ 활성화 게이트)")
    ax[1].axhline(recovery.h[0], color="tab:red", ls=":", lw=1)
    ax[1].axhline(recovery.n[0], color="tab:blue", ls=":", lw=1)
    if ok.any():
        ax[1].axvspan(0.0, np.nanmin(curve.min_interval), color="gray", alpha=0.2, label="절대 불응기 (시험한 최대 세기에서)")
    ax[1].set(xlabel="첫 펄스 이후 시간 (ms)", ylabel="게이트 값 (무차원)", title="스파이크 뒤 h의 회복과 n의 감소", ylim=(0, 1))
    ax[1].legend(fontsize=9)
    ax[1].grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_ramp_hysteresis(ramp: RampResponse, hopf: float | None = None, axes: Any = None) -> Figure:
    """Two panels: V and I during an up-down ramp; instantaneous firing rate against the current."""
    if not isinstance(ramp, RampResponse):
        raise TypeError(f"ramp must be a RampResponse from current_ramp, got {type(ramp).__name__}")
    fig, ax = axes_grid(axes, 2, (1, 2), (15, 4.8))
    r = ramp.result
    ax[0].plot(r.t, r.V, color="k", lw=0.6)
    ax[0].set(xlabel=T_KO, ylabel=V_KO, title="전류를 천천히 올렸다가 내릴 때")
    twin = ax[0].twinx()
    twin.plot(r.t, r.I_ext, color="tab:orange", lw=2)
    twin.set_ylabel("주입 전류 I (µA/cm²)", color="tab:orange")
    half = r.t[-1] / 2.0
    s = ramp.spikes
    I_at = np.interp(s[1:], r.t, r.I_ext) if s.size > 1 else np.empty(0)
    rate = 1000.0 / np.diff(s) if s.size > 1 else np.empty(0)
    up = s[1:] < half
    I_top = float(r.I_ext.max())
    on = ramp.I_on if np.isfinite(ramp.I_on) else I_top
    off = ramp.I_off if np.isfinite(ramp.I_off) else I_top
    ax[1].plot([0.0, on], [0.0, 0.0], color="tab:green", lw=3, label="올라갈 때")
    ax[1].plot(I_at[up], rate[up], "^", color="tab:green", ms=4)
    ax[1].plot([0.0, off], [0.0, 0.0], color="tab:purple", lw=1.5, ls="--", label="내려갈 때")
    ax[1].plot(I_at[~up], rate[~up], "v", color="tab:purple", ms=4)
    for value, label, ls in ((hopf, "Hopf 점", "--"), (ramp.I_on, "올라갈 때 발화 시작", "-."),
                             (ramp.I_off, "내려갈 때 발화 멈춤", ":")):
        if value is not None and np.isfinite(value):
            ax[1].axvline(value, color="gray", ls=ls, label=f"{label} ≈ {value:.2f} µA/cm²")
    ax[1].set(xlabel="주입 전류 I (µA/cm²)", ylabel="순간 발화율 (Hz)", title="발화율의 이력 현상",
              xlim=(0, I_top * 1.02))
    ax[1].legend(fontsize=9)
    ax[1].grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_stability(currents: ArrayLike, params: HHParameters | None = None, hopf: float | None = None, ax: Any = None) -> Figure:
    """Largest real part of the equilibrium's eigenvalues (1/ms) against the injected current."""
    I = check.real_array("currents", currents, unit="µA/cm²", ndim=1)
    fig, (a,) = axes_grid(ax, 1, (1, 1), (8, 4.5))
    growth = [equilibrium_eigenvalues(x, params)[0].real for x in I]
    a.plot(I, growth, color="tab:red", lw=2)
    a.axhline(0.0, color="gray", lw=0.8)
    if hopf is not None:
        a.axvline(hopf, color="gray", ls="--", label=f"Hopf 점 ≈ {hopf:.2f} µA/cm²")
        a.legend()
    a.set(xlabel="주입 전류 I (µA/cm²)", ylabel="고유값 실수부의 최댓값 (1/ms)",
          title="평형점의 안정성 (음수 = 안정)")
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_equivalent_circuit(ax: Any = None) -> Figure:
    """The membrane's equivalent circuit (HH 1952, Fig. 1), drawn with schemdraw, Korean labels.

    C_m in parallel with three branches, each a conductance in series with its battery (reversal
    potential); g_Na and g_K are variable. The injected current I enters on the left.
    Needs the ``schemdraw`` package.
    """
    import schemdraw  # optional, imported only for this figure
    import schemdraw.elements as elm

    fig, (a,) = axes_grid(ax, 1, (1, 1), (11, 5.5))
    family = mpl.rcParams["font.family"]
    d = schemdraw.Drawing(canvas=a, show=False)
    d.config(fontsize=12, font=family[0] if isinstance(family, list) else family, unit=2.5)
    xs = (0.0, 3.5, 7.0, 10.5, 14.0)
    d += elm.Line().at((xs[0], 5.0)).to((xs[-1], 5.0))
    d += elm.Line().at((xs[0], 0.0)).to((xs[-1], 0.0))
    d += elm.Label().at((7.0, 5.6)).label("세포 안")
    d += elm.Label().at((7.0, -0.7)).label("세포 밖")
    d += elm.SourceI().at((xs[0], 0.0)).to((xs[0], 5.0)).label("주입 전류 I", loc="bottom")
    d += elm.Capacitor().at((xs[1], 5.0)).to((xs[1], 0.0)).label("$C_m$", loc="bottom")
    for x, g, E, variable in ((xs[2], "$g_{Na}$ (가변)", "$E_{Na}$", True), (xs[3], "$g_K$ (가변)", "$E_K$", True),
                              (xs[4], "$g_L$ (누출)", "$E_L$", False)):
        R = elm.ResistorVar() if variable else elm.Resistor()
        d += R.at((x, 5.0)).to((x, 2.5)).label(g, loc="bottom")
        d += elm.Battery().at((x, 2.5)).to((x, 0.0)).label(E, loc="bottom")
    for x in xs[1:-1]:
        d += elm.Dot().at((x, 5.0))
        d += elm.Dot().at((x, 0.0))
    d.draw(show=False)
    a.set_axis_off()
    a.set_title("세포막의 등가 회로 (Hodgkin & Huxley 1952, 그림 1)", pad=28)
    return fig


def plot_firing_and_oscillation(
    currents: ArrayLike,
    rates: ArrayLike,
    swing: ArrayLike,
    traces: dict[str, tuple[ArrayLike, ArrayLike]] | None = None,
    *,
    event_rise: float = 20.0,
    axes: Any = None,
) -> Figure:
    """Repetitive firing beside the size of the oscillation, against a constant current.

    Left (when ``traces`` is given): V(t) of a few runs, ``{label: (t, V)}``. Right: the firing
    rate (Hz, action potentials only) and the voltage swing (max − min of V, mV) at each current,
    with a dotted line at ``event_rise`` mV (a swing below it is not even an event). Where the swing
    stays large but the rate is 0, the membrane oscillates without firing (a small oscillation).
    """
    I = check.real_array("currents", currents, unit="µA/cm²", ndim=1)
    f = check.real_array("rates", rates, unit="Hz", ndim=1)
    s = check.real_array("swing", swing, unit="mV", ndim=1)
    if not I.size == f.size == s.size:
        raise ValueError(f"currents, rates and swing must have the same length, got {I.size}, {f.size}, {s.size}")
    n = 2 if traces else 1
    fig, ax = axes_grid(axes, n, (1, n), (7 * n, 4.5))
    if traces:
        for label, (t, V) in traces.items():
            ax[0].plot(np.asarray(t), np.asarray(V), lw=1.3, label=label)
        ax[0].set(xlabel=T_KO, ylabel=V_KO, title="막전위")
        ax[0].legend(fontsize="small")
    a = ax[-1]
    firing = f > 0
    a.plot(I, s, "o-", ms=3, color="tab:gray", label="진동 폭 (최고 − 최저, mV)")
    a.plot(I[firing], s[firing], "o", ms=5, color="tab:red", label="활동전위로 반복 발화")
    a.axhline(event_rise, color="k", ls=":", lw=1, label=f"사건의 최소 높이 {event_rise:g} mV")
    a.set(xlabel=I_KO, ylabel="진동 폭 (mV)", title="진동의 크기와 발화")
    b = a.twinx()
    b.plot(I, f, "s--", ms=3, color="tab:blue", alpha=0.6, label="발화율 (Hz)")
    b.set_ylabel("발화율 (Hz)", color="tab:blue")
    handles = a.get_legend_handles_labels()
    extra = b.get_legend_handles_labels()
    a.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize="small", loc="upper right")
    fig.tight_layout()
    return fig
