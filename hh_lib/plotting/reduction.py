"""The W5D2 figures of the reduction of the HH model to two dimensions (conventions:
:mod:`hh_lib.plotting.common`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..core import validation as check
from ..hh.parameters import HHParameters
from ..hh.rates import steady_state
from ..hh.simulation import HHResult
from ..reduced.reduction import (
    RINZEL_H_N,
    HNRelation,
    ReducedHHResult,
    fit_h_n_relation,
    reduced_hh_rhs,
    simulate_reduced_hh,
)
from .common import H_LABEL, N_LABEL, T_LABEL, V_LABEL, AxesLike, axes_grid, finish, single_trace

__all__ = ["plot_h_n_relation", "plot_reduced_phase_plane", "plot_reduction_comparison"]


def plot_h_n_relation(result: HHResult, fit: HNRelation | None = None, axes: AxesLike = None, *, transient: float = 50.0) -> Figure:
    """The observation behind the 2-D reduction: h and n of the full HH model move together.

    Left: h(t), n(t) and h + n (dimensionless) against time (ms). Right: h against n
    after ``transient`` ms, with the fitted line ``fit`` and Rinzel's h = 0.89 - 1.1 n.

    Parameters
    ----------
    result : HHResult
        A single-trace simulation of the full model that fires repetitively.
    fit : HNRelation, optional
        Default: :func:`hh_lib.reduced.reduction.fit_h_n_relation` of ``result`` with this transient.
    axes : 2 Axes, optional
    transient : float
        Initial time (ms) left out of the right panel (and of the default fit).
    """
    r = single_trace("result", result)
    transient = check.nonnegative_scalar("transient", transient, unit="ms")
    if fit is None:
        fit = fit_h_n_relation(r, transient=transient)
    elif not isinstance(fit, HNRelation):
        raise TypeError(f"fit must be an HNRelation, got {type(fit).__name__}")
    fig, (a1, a2) = axes_grid(axes, 2, (1, 2), (13, 4.8))
    a1.plot(r.t, r.h, color="tab:orange", lw=1.5, label="h")
    a1.plot(r.t, r.n, color="tab:blue", lw=1.5, label="n")
    a1.plot(r.t, r.h + r.n, color="black", lw=1.5, ls="--", label="h + n")
    a1.set(xlabel=T_LABEL, ylabel="게이트 변수 (무차원)", title="완전한 HH 모델의 h와 n", ylim=(0, 1.05))
    a1.legend(loc="upper right", fontsize="small")

    keep = r.t >= transient
    n = r.n[keep]
    a2.plot(n, r.h[keep], color="gray", lw=1, alpha=0.8, label=f"완전한 HH 모델 (t ≥ {transient:g} ms)")
    grid = np.linspace(n.min() - 0.05, n.max() + 0.05, 50)
    a2.plot(grid, fit.intercept + fit.slope * grid, color="tab:red", lw=2,
            label=f"직선 맞춤: h = {fit.intercept:.3f} {fit.slope:+.3f} n")
    a2.plot(grid, RINZEL_H_N.intercept + RINZEL_H_N.slope * grid, color="tab:green", lw=2, ls="--",
            label=f"Rinzel: h = {RINZEL_H_N.intercept:g} {RINZEL_H_N.slope:+g} n")
    a2.set(xlabel=N_LABEL, ylabel=H_LABEL, title="h와 n의 관계")
    a2.legend(loc="upper right", fontsize="small")
    return finish(fig, [a1, a2])


def plot_reduction_comparison(full: HHResult, reduced: Sequence[ReducedHHResult], labels: Sequence[str], axes: AxesLike = None) -> Figure:
    """V(t) of the full HH model against reduced models, and m(t) against m_inf(V(t)).

    Parameters
    ----------
    full : HHResult
        Single-trace simulation of the full model.
    reduced : sequence of ReducedHHResult
        Single-trace simulations of reduced models (same current and time grid as ``full``).
    labels : sequence of str
        One label per reduced result.
    axes : 2 Axes, optional
        Top: membrane potential; bottom: Na⁺ activation of the full model.
    """
    r = single_trace("full", full)
    reduced = list(reduced)
    labels = list(labels)
    if len(labels) != len(reduced):
        raise ValueError(f"labels must have one entry per reduced result, got {len(labels)} for {len(reduced)}")
    for x in reduced:
        if not isinstance(x, ReducedHHResult) or x.V.ndim != 1:
            raise TypeError("reduced must hold single-trace ReducedHHResult objects from simulate_reduced_hh")
    fig, (a1, a2) = axes_grid(axes, 2, (2, 1), (12, 7), sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    a1.plot(r.t, r.V, color="black", lw=2, label="완전한 HH 모델 (V, m, h, n)")
    styles = ["--", "-.", ":"]
    for i, (x, lab) in enumerate(zip(reduced, labels)):
        a1.plot(x.t, x.V, lw=1.5, ls=styles[i % len(styles)], label=lab)
    a1.set(ylabel=V_LABEL, title="완전한 HH 모델과 축소 모델")
    a1.legend(loc="upper right", fontsize="small")
    a2.plot(r.t, r.m, color="tab:red", lw=1.5, label="m (완전한 HH 모델)")
    a2.plot(r.t, steady_state(r.V)[0], color="tab:red", lw=1.2, ls="--", label="m∞(V) (축소 모델에서 사용)")
    a2.set(xlabel=T_LABEL, ylabel="Na⁺ 활성화 게이트 m (무차원)", ylim=(-0.05, 1.05))
    a2.legend(loc="upper right", fontsize="small")
    return finish(fig, [a1, a2])


def plot_reduced_phase_plane(
    I: float,
    params: HHParameters | None = None,
    h_relation: HNRelation | None = None,
    ax: Axes | None = None,
    *,
    duration: float = 60.0,
    V_range: tuple[float, float] = (-85.0, 50.0),
    n_range: tuple[float, float] = (0.25, 0.8),
    arrows: int = 20,
) -> Figure:
    """Phase plane (V, n) of the 2-D reduced HH model for a constant current.

    Draws the direction field, the V-nullcline (dV/dt = 0, found as a contour), the
    n-nullcline n = n_inf(V) and the trajectory from rest.

    Parameters
    ----------
    I : float
        Constant current (µA/cm²).
    params : HHParameters, optional
    h_relation : HNRelation, optional
        Default Rinzel's h = 0.89 - 1.1 n.
    ax : Axes, optional
    duration : float
        Length of the trajectory (ms).
    V_range : (float, float)
        Horizontal extent (mV).
    n_range : (float, float)
        Vertical extent (dimensionless).
    arrows : int
        Direction-field arrows per axis, in [2, 100].
    """
    I = check.finite_scalar("I", I, unit="µA/cm²")
    rel = RINZEL_H_N if h_relation is None else h_relation
    bounds = []
    for name, rng, unit in (("V_range", V_range, "mV"), ("n_range", n_range, "dimensionless")):
        b = check.real_array(name, rng, unit=unit, ndim=1)
        if b.size != 2 or not b[0] < b[1]:
            raise ValueError(f"{name} must be a pair (low, high) with low < high, got {rng!r}")
        bounds.append((float(b[0]), float(b[1])))
    (v_lo, v_hi), (n_lo, n_hi) = bounds
    arrows = int(check.scalar_in_range("arrows", arrows, 2, 100))
    res = simulate_reduced_hh(I, duration=duration, params=params, h_relation=rel)

    fig, (a,) = axes_grid(ax, 1, (1, 1), (8, 6))
    gv, gn = np.meshgrid(np.linspace(v_lo, v_hi, arrows), np.linspace(n_lo, n_hi, arrows))
    dv, dn = reduced_hh_rhs(gv, gn, I, params, rel)
    # Scale each component by the axis span so the arrows show directions in the drawn plane.
    sv, sn = dv / (v_hi - v_lo), dn / (n_hi - n_lo)
    norm = np.hypot(sv, sn)
    norm[norm == 0] = 1.0
    a.quiver(gv, gn, sv / norm, sn / norm, color="lightgray", angles="xy", pivot="mid", width=0.003,
             scale_units="width", scale=arrows * 1.3)
    fv, fn = np.meshgrid(np.linspace(v_lo, v_hi, 400), np.linspace(n_lo, n_hi, 400))
    a.contour(fv, fn, reduced_hh_rhs(fv, fn, I, params, rel)[0], levels=[0.0], colors="tab:red", linewidths=2)
    v = np.linspace(v_lo, v_hi, 400)
    a.plot(v, steady_state(v)[2], color="tab:blue", lw=2)
    a.plot(res.V, res.n, color="black", lw=1.2)
    a.plot(res.V[0], res.n[0], "o", color="tab:green", ms=7)
    handles = [
        Line2D([], [], color="tab:red", lw=2, label="V 널클라인 (dV/dt = 0)"),
        Line2D([], [], color="tab:blue", lw=2, label="n 널클라인 n = n∞(V)"),
        Line2D([], [], color="black", lw=1.2, label=f"궤적 ({duration:g} ms)"),
        Line2D([], [], color="tab:green", marker="o", ls="", label="시작점 (휴지 상태)"),
    ]
    a.legend(handles=handles, loc="upper left", fontsize="small")
    a.set(xlim=(v_lo, v_hi), ylim=(n_lo, n_hi), xlabel=V_LABEL, ylabel=N_LABEL,
          title=f"축소 HH 모델의 위상 평면, I = {I:g} µA/cm²")
    return finish(fig, [a])
