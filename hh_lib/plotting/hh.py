"""The W5D1 figures of the Hodgkin-Huxley model (conventions: :mod:`hh_lib.plotting.common`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from ..core import validation as check
from ..hh.equations import conductances, steady_state_currents
from ..hh.parameters import HHParameters
from ..hh.rates import steady_state, time_constants
from ..hh.simulation import HHResult, simulate
from .common import AxesLike, I_LABEL, K_COLOR, N_LABEL, NA_COLOR, RATE_LABEL, T_LABEL, V_LABEL, axes_grid, finish, single_trace

__all__ = [
    "plot_fi_curve",
    "plot_gating",
    "plot_mechanism",
    "plot_phase_planes",
    "plot_trace_comparison",
    "plot_voltage_traces",
]


def plot_gating(V: ArrayLike | None = None, params: HHParameters | None = None, axes: AxesLike = None) -> Figure:
    """Steady states, time constants, steady-state conductances and currents of the gates (2×2).

    Parameters
    ----------
    V : array, optional
        Membrane potentials (mV); default -80..50 mV.
    params : HHParameters, optional
        Conductances, reversal potentials and temperature.
    axes : 4 Axes, optional
    """
    p = HHParameters.resolve(params)
    V = np.linspace(-80.0, 50.0, 261) if V is None else check.real_array("V", V, unit="mV", ndim=1)
    fig, ax = axes_grid(axes, 4, (2, 2), (12, 8))
    m_inf, h_inf, n_inf = steady_state(V)
    tau_m, tau_h, tau_n = time_constants(V, p)

    ax[0].plot(V, m_inf, "-", color=NA_COLOR, lw=2, label="m∞ (Na⁺ 활성화)")
    ax[0].plot(V, h_inf, "--", color=NA_COLOR, lw=2, label="h∞ (Na⁺ 비활성화)")
    ax[0].plot(V, n_inf, "-", color=K_COLOR, lw=2, label="n∞ (K⁺ 활성화)")
    ax[0].axvline(-65.0, color="gray", ls=":", label="휴지 전위 (-65 mV)")
    ax[0].set(xlabel=V_LABEL, ylabel="정상상태 값 m∞, h∞, n∞ (무차원)", title="게이트 변수의 정상상태")

    ax[1].semilogy(V, tau_m, "-", color=NA_COLOR, lw=2, label="τ_m (Na⁺ 활성화)")
    ax[1].semilogy(V, tau_h, "--", color=NA_COLOR, lw=2, label="τ_h (Na⁺ 비활성화)")
    ax[1].semilogy(V, tau_n, "-", color=K_COLOR, lw=2, label="τ_n (K⁺ 활성화)")
    ax[1].set(xlabel=V_LABEL, ylabel="시간 상수 τ (ms)", title=f"시간 상수 ({p.temperature:g} °C)")

    g_na, g_k, _ = conductances(m_inf, h_inf, n_inf, p.as_tuple())
    ax[2].plot(V, g_na, "-", color=NA_COLOR, lw=2, label="g_Na·m∞³h∞")
    ax[2].plot(V, g_k, "-", color=K_COLOR, lw=2, label="g_K·n∞⁴")
    ax[2].set(xlabel=V_LABEL, ylabel="컨덕턴스 g (mS/cm²)", title="정상상태의 유효 컨덕턴스")

    I_na, I_k, _ = steady_state_currents(V, p)
    ax[3].plot(V, I_na, "-", color=NA_COLOR, lw=2, label="I_Na")
    ax[3].plot(V, I_k, "-", color=K_COLOR, lw=2, label="I_K")
    ax[3].axhline(0.0, color="gray", ls="--")
    ax[3].set(xlabel=V_LABEL, ylabel="전류 밀도 I (µA/cm²)", title="정상상태의 이온 전류")
    return finish(fig, ax, legend=True)


def plot_voltage_traces(
    currents: Sequence[float] = (0.0, 5.0, 10.0, 20.0),
    duration: float = 50.0,
    params: HHParameters | None = None,
    axes: AxesLike = None,
) -> Figure:
    """V(t) for several constant currents (µA/cm²), one panel each (2 columns), simulated as one batch."""
    I = check.real_array("currents", currents, unit="µA/cm²", ndim=1)
    if I.size == 0:
        raise ValueError("currents must contain at least one current (µA/cm²)")
    rows = (I.size + 1) // 2
    cols = 2 if I.size > 1 else 1
    fig, ax = axes_grid(axes, I.size, (rows, cols), (14, 5 * rows), sharex=True)
    if axes is None:
        for extra in fig.axes[I.size :]:
            extra.set_visible(False)
    res = simulate(I, duration=duration, params=params)
    rest = res.V[0, 0]
    for a, amp, V in zip(ax, I, res.V):
        a.plot(res.t, V, "b-", lw=1.5)
        a.axhline(rest, color="gray", ls="--", alpha=0.5)
        a.set(xlabel=T_LABEL, ylabel=V_LABEL, title=f"I = {amp:g} µA/cm²", ylim=(-80, 60))
    fig.suptitle("Hodgkin-Huxley 모델의 활동전위", fontsize=14)
    return finish(fig, ax)


def plot_mechanism(result: HHResult, axes: AxesLike = None) -> Figure:
    """Four stacked panels of one simulation: V, the gates, the conductances and the ionic currents."""
    r = single_trace("result", result)
    fig, ax = axes_grid(axes, 4, (4, 1), (12, 12), sharex=True)
    ax[0].plot(r.t, r.V, "k-", lw=2)
    ax[0].axhline(r.V[0], color="gray", ls="--", alpha=0.5)
    peak = int(np.argmax(r.V))
    ax[0].annotate(
        f"최고점 {r.V[peak]:.1f} mV",
        xy=(r.t[peak], r.V[peak]),
        xytext=(r.t[peak] + 0.1 * r.t[-1], r.V[peak] + 5),
        arrowprops=dict(arrowstyle="->", color="red"),
    )
    ax[0].set(ylabel=V_LABEL, title="활동전위의 메커니즘", ylim=(min(-80, r.V.min() - 5), r.V.max() + 20))

    ax[1].plot(r.t, r.m, "-", color=NA_COLOR, lw=2, label="m (Na⁺ 활성화)")
    ax[1].plot(r.t, r.h, "--", color=NA_COLOR, lw=2, label="h (Na⁺ 비활성화)")
    ax[1].plot(r.t, r.n, "-", color=K_COLOR, lw=2, label="n (K⁺ 활성화)")
    ax[1].set(ylabel="게이트 값 (0–1, 무차원)", ylim=(0, 1))

    ax[2].plot(r.t, r.g_Na, "-", color=NA_COLOR, lw=2, label="g_Na")
    ax[2].plot(r.t, r.g_K, "-", color=K_COLOR, lw=2, label="g_K")
    ax[2].set(ylabel="컨덕턴스 g (mS/cm²)")

    ax[3].plot(r.t, -r.I_Na, "-", color=NA_COLOR, lw=2, label="-I_Na (안쪽 전류)")
    ax[3].plot(r.t, -r.I_K, "-", color=K_COLOR, lw=2, label="-I_K (바깥쪽 전류)")
    ax[3].axhline(0.0, color="gray", ls="--")
    ax[3].set(xlabel=T_LABEL, ylabel="전류 밀도 (µA/cm²)")
    for a in ax[1:]:
        a.legend(loc="right")
    return finish(fig, ax)


def plot_phase_planes(result: HHResult, axes: AxesLike = None, arrows: int = 15) -> Figure:
    """Trajectory of one simulation in the V–n and V–m³h planes, with direction arrows."""
    r = single_trace("result", result)
    fig, ax = axes_grid(axes, 2, (1, 2), (12, 5))
    ax[0].plot(r.V, r.n, "b-", lw=1.5)
    ax[0].plot(r.V[0], r.n[0], "go", ms=10, label="시작점")
    # Arrows at equal steps of arc length, so fast and slow parts both get some.
    xy = np.column_stack([(r.V - r.V.min()) / np.ptp(r.V), (r.n - r.n.min()) / max(np.ptp(r.n), 1e-12)])
    s = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    for target in np.linspace(0, s[-1], arrows + 2)[1:-1]:
        i = min(int(np.searchsorted(s, target)), r.t.size - 2)
        ax[0].annotate(
            "", xy=(r.V[i + 1], r.n[i + 1]), xytext=(r.V[i], r.n[i]),
            arrowprops=dict(arrowstyle="->", color="red", lw=1.5),
        )
    ax[0].set(xlabel=V_LABEL, ylabel=N_LABEL, title="위상 평면: V–n")
    ax[0].legend()
    ax[1].plot(r.V, r.m**3 * r.h, "r-", lw=1.5)
    ax[1].plot(r.V[0], r.m[0] ** 3 * r.h[0], "go", ms=10, label="시작점")
    ax[1].set(xlabel=V_LABEL, ylabel="열린 Na⁺ 채널 비율 m³h (무차원)", title="위상 평면: V–m³h")
    ax[1].legend()
    return finish(fig, ax)


def plot_fi_curve(
    currents: ArrayLike, rates: ArrayLike, ax: Axes | None = None, label: str | None = None, **line_kw: Any
) -> Figure:
    """Firing rate (Hz) against injected current (µA/cm²)."""
    I = check.real_array("currents", currents, unit="µA/cm²", ndim=1)
    f = check.real_array("rates", rates, unit="Hz", ndim=1)
    if I.shape != f.shape:
        raise ValueError(f"currents and rates must have the same length, got {I.size} and {f.size}")
    fig, (a,) = axes_grid(ax, 1, (1, 1), (8, 5))
    a.plot(I, f, **{"marker": "o", "ms": 3, "lw": 1.5, **line_kw}, label=label)
    a.set(xlabel=I_LABEL, ylabel=RATE_LABEL, title="F-I 곡선 (발화율–주입 전류)")
    return finish(fig, [a], legend=label is not None)


def plot_trace_comparison(
    results: Sequence[HHResult], labels: Sequence[str], ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Overlay V(t) of several single-trace simulations."""
    results = [single_trace("results[]", r) for r in results]
    labels = list(labels)
    if len(labels) != len(results):
        raise ValueError(f"labels must have one entry per result, got {len(labels)} for {len(results)}")
    fig, (a,) = axes_grid(ax, 1, (1, 1), (12, 5))
    for r, lab in zip(results, labels):
        a.plot(r.t, r.V, lw=1.5, label=lab)
    a.set(xlabel=T_LABEL, ylabel=V_LABEL)
    if title:
        a.set_title(title)
    a.legend()
    return finish(fig, [a])
