"""The lecture's figures as functions.

Every function takes optional axes, draws on them (creating a figure when none
are given), labels the axes with units and returns the Figure; displaying it is
left to the caller (a notebook shows it by itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from . import _validation as check
from .fonts import use_korean_font
from .parameters import HHParameters, resolve
from .model import steady_state_currents
from .rates import steady_state, time_constants
from .simulation import HHResult, simulate

__all__ = [
    "plot_fi_curve",
    "plot_gating",
    "plot_mechanism",
    "plot_phase_planes",
    "plot_trace_comparison",
    "plot_voltage_traces",
    "use_korean_font",
]

NA_COLOR, K_COLOR = "tab:red", "tab:blue"
V_LABEL, T_LABEL = "Membrane potential V (mV)", "Time (ms)"


def _axes(axes: Any, shape: tuple[int, int], figsize: tuple[float, float], **kw: Any) -> tuple[Figure, np.ndarray]:
    """Use the given axes (any array-like of Axes with the right count) or make a new grid."""
    n = shape[0] * shape[1]
    if axes is None:
        fig, grid = plt.subplots(*shape, figsize=figsize, squeeze=False, **kw)
        return fig, grid.ravel()
    flat = np.ravel(np.asarray(axes, dtype=object))
    if flat.size != n or not all(isinstance(a, Axes) for a in flat):
        raise ValueError(f"axes must hold exactly {n} matplotlib Axes, got {flat.size} item(s)")
    return flat[0].figure, flat


def _result(name: str, result: Any) -> HHResult:
    if not isinstance(result, HHResult):
        raise TypeError(f"{name} must be an HHResult from hh_lib.simulate, got {type(result).__name__}")
    if result.V.ndim != 1:
        raise ValueError(f"{name} must hold a single trace; index a batch first (result.V has shape {result.V.shape})")
    return result


def plot_gating(V: ArrayLike | None = None, params: HHParameters | None = None, axes: Any = None) -> Figure:
    """Steady states, time constants, steady-state conductances and currents of the gates (2×2).

    Parameters
    ----------
    V : array, optional
        Membrane potentials (mV); default -80..50 mV.
    params : HHParameters, optional
        Conductances, reversal potentials and temperature.
    axes : 4 Axes, optional
    """
    p = resolve(params)
    V = np.linspace(-80.0, 50.0, 261) if V is None else check.real_array("V", V, unit="mV", ndim=1)
    fig, ax = _axes(axes, (2, 2), (12, 8))
    m_inf, h_inf, n_inf = steady_state(V)
    tau_m, tau_h, tau_n = time_constants(V, p)

    ax[0].plot(V, m_inf, "-", color=NA_COLOR, lw=2, label="m∞ (Na⁺ act)")
    ax[0].plot(V, h_inf, "--", color=NA_COLOR, lw=2, label="h∞ (Na⁺ inact)")
    ax[0].plot(V, n_inf, "-", color=K_COLOR, lw=2, label="n∞ (K⁺ act)")
    ax[0].axvline(-65.0, color="gray", ls=":", label="Rest (-65 mV)")
    ax[0].set(xlabel=V_LABEL, ylabel="Steady-state value", title="Gating Variable Steady States")

    ax[1].semilogy(V, tau_m, "-", color=NA_COLOR, lw=2, label="τm (Na⁺ act)")
    ax[1].semilogy(V, tau_h, "--", color=NA_COLOR, lw=2, label="τh (Na⁺ inact)")
    ax[1].semilogy(V, tau_n, "-", color=K_COLOR, lw=2, label="τn (K⁺ act)")
    ax[1].set(xlabel=V_LABEL, ylabel="Time constant (ms)", title=f"Time Constants ({p.temperature:g} °C)")

    g_na = p.g_Na * m_inf**3 * h_inf
    g_k = p.g_K * n_inf**4
    ax[2].plot(V, g_na, "-", color=NA_COLOR, lw=2, label="gNa·m∞³h∞")
    ax[2].plot(V, g_k, "-", color=K_COLOR, lw=2, label="gK·n∞⁴")
    ax[2].set(xlabel=V_LABEL, ylabel="Conductance (mS/cm²)", title="Effective Conductances (steady state)")

    I_na, I_k, _ = steady_state_currents(V, p)
    ax[3].plot(V, I_na, "-", color=NA_COLOR, lw=2, label="INa")
    ax[3].plot(V, I_k, "-", color=K_COLOR, lw=2, label="IK")
    ax[3].axhline(0.0, color="gray", ls="--")
    ax[3].set(xlabel=V_LABEL, ylabel="Current (µA/cm²)", title="Ionic Currents (steady state)")
    for a in ax:
        a.legend()
        a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_voltage_traces(
    currents: Sequence[float] = (0.0, 5.0, 10.0, 20.0),
    duration: float = 50.0,
    params: HHParameters | None = None,
    axes: Any = None,
) -> Figure:
    """V(t) for several constant currents (µA/cm²), one panel each (2 columns), simulated as one batch."""
    I = check.real_array("currents", currents, unit="µA/cm²", ndim=1)
    if I.size == 0:
        raise ValueError("currents must contain at least one current (µA/cm²)")
    rows = (I.size + 1) // 2
    cols = 2 if I.size > 1 else 1
    if axes is None:
        fig, ax = _axes(None, (rows, cols), (14, 5 * rows), sharex=True)
    else:
        fig, ax = _axes(axes, (1, I.size), (0, 0))
    res = simulate(I, duration=duration, params=params)
    rest = res.V[0, 0]
    for a, amp, V in zip(ax, I, res.V):
        a.plot(res.t, V, "b-", lw=1.5)
        a.axhline(rest, color="gray", ls="--", alpha=0.5)
        a.set(xlabel=T_LABEL, ylabel=V_LABEL, title=f"I = {amp:g} µA/cm²", ylim=(-80, 60))
        a.grid(True, alpha=0.3)
    for a in ax[I.size :]:
        a.set_visible(False)
    fig.suptitle("Hodgkin-Huxley Model: Action Potentials", fontsize=14)
    fig.tight_layout()
    return fig


def plot_mechanism(result: HHResult, axes: Any = None) -> Figure:
    """Four stacked panels of one simulation: V, the gates, the conductances and the ionic currents."""
    r = _result("result", result)
    fig, ax = _axes(axes, (4, 1), (12, 12), sharex=True)
    ax[0].plot(r.t, r.V, "k-", lw=2)
    ax[0].axhline(r.V[0], color="gray", ls="--", alpha=0.5)
    peak = int(np.argmax(r.V))
    ax[0].annotate(
        f"Peak {r.V[peak]:.1f} mV",
        xy=(r.t[peak], r.V[peak]),
        xytext=(r.t[peak] + 0.1 * r.t[-1], r.V[peak] + 5),
        arrowprops=dict(arrowstyle="->", color="red"),
    )
    ax[0].set(ylabel="V (mV)", title="Action Potential Mechanism", ylim=(min(-80, r.V.min() - 5), r.V.max() + 20))

    ax[1].plot(r.t, r.m, "-", color=NA_COLOR, lw=2, label="m (Na⁺ act)")
    ax[1].plot(r.t, r.h, "--", color=NA_COLOR, lw=2, label="h (Na⁺ inact)")
    ax[1].plot(r.t, r.n, "-", color=K_COLOR, lw=2, label="n (K⁺ act)")
    ax[1].set(ylabel="Gating (0–1)", ylim=(0, 1))

    ax[2].plot(r.t, r.g_Na, "-", color=NA_COLOR, lw=2, label="gNa")
    ax[2].plot(r.t, r.g_K, "-", color=K_COLOR, lw=2, label="gK")
    ax[2].set(ylabel="g (mS/cm²)")

    ax[3].plot(r.t, -r.I_Na, "-", color=NA_COLOR, lw=2, label="-INa (inward)")
    ax[3].plot(r.t, -r.I_K, "-", color=K_COLOR, lw=2, label="-IK (outward)")
    ax[3].axhline(0.0, color="gray", ls="--")
    ax[3].set(xlabel=T_LABEL, ylabel="Current (µA/cm²)")
    for a in ax[1:]:
        a.legend(loc="right")
    for a in ax:
        a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_phase_planes(result: HHResult, axes: Any = None, arrows: int = 15) -> Figure:
    """Trajectory of one simulation in the V–n and V–m³h planes, with direction arrows."""
    r = _result("result", result)
    fig, ax = _axes(axes, (1, 2), (12, 5))
    ax[0].plot(r.V, r.n, "b-", lw=1.5)
    ax[0].plot(r.V[0], r.n[0], "go", ms=10, label="Start")
    # Arrows at equal steps of arc length, so fast and slow parts both get some.
    xy = np.column_stack([(r.V - r.V.min()) / np.ptp(r.V), (r.n - r.n.min()) / max(np.ptp(r.n), 1e-12)])
    s = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    for target in np.linspace(0, s[-1], arrows + 2)[1:-1]:
        i = min(int(np.searchsorted(s, target)), r.t.size - 2)
        ax[0].annotate(
            "", xy=(r.V[i + 1], r.n[i + 1]), xytext=(r.V[i], r.n[i]),
            arrowprops=dict(arrowstyle="->", color="red", lw=1.5),
        )
    ax[0].set(xlabel="V (mV)", ylabel="n (K⁺ activation)", title="Phase Plane: V vs n")
    ax[0].legend()
    ax[1].plot(r.V, r.m**3 * r.h, "r-", lw=1.5)
    ax[1].plot(r.V[0], r.m[0] ** 3 * r.h[0], "go", ms=10, label="Start")
    ax[1].set(xlabel="V (mV)", ylabel="m³h (Na⁺ open fraction)", title="Phase Plane: V vs m³h")
    ax[1].legend()
    for a in ax:
        a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_fi_curve(
    currents: ArrayLike, rates: ArrayLike, ax: Axes | None = None, label: str | None = None, **line_kw: Any
) -> Figure:
    """Firing rate (Hz) against injected current (µA/cm²)."""
    I = check.real_array("currents", currents, unit="µA/cm²", ndim=1)
    f = check.real_array("rates", rates, unit="Hz", ndim=1)
    if I.shape != f.shape:
        raise ValueError(f"currents and rates must have the same length, got {I.size} and {f.size}")
    fig, (a,) = _axes(None if ax is None else [ax], (1, 1), (8, 5))
    a.plot(I, f, **{"marker": "o", "ms": 3, "lw": 1.5, **line_kw}, label=label)
    a.set(xlabel="Injected current I (µA/cm²)", ylabel="Firing rate (Hz)", title="F-I Curve")
    a.grid(True, alpha=0.3)
    if label is not None:
        a.legend()
    fig.tight_layout()
    return fig


def plot_trace_comparison(
    results: Sequence[HHResult], labels: Sequence[str], ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Overlay V(t) of several single-trace simulations."""
    results = [_result("results[]", r) for r in results]
    labels = list(labels)
    if len(labels) != len(results):
        raise ValueError(f"labels must have one entry per result, got {len(labels)} for {len(results)}")
    fig, (a,) = _axes(None if ax is None else [ax], (1, 1), (12, 5))
    for r, lab in zip(results, labels):
        a.plot(r.t, r.V, lw=1.5, label=lab)
    a.set(xlabel=T_LABEL, ylabel=V_LABEL)
    if title:
        a.set_title(title)
    a.legend()
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig
