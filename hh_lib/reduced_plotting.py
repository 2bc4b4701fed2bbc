"""Figures for the simplified neuron models (LIF, FitzHugh-Nagumo, Izhikevich).

Like :mod:`hh_lib.plotting`, every function takes optional axes, draws on them
(creating a figure when none are given), labels the axes with units and returns
the Figure and leaves displaying it to the caller. Labels use only characters that the
Korean fonts chosen by :func:`hh_lib.fonts.use_korean_font` can draw (with the
DejaVu Sans fallback it sets up), so Hangul titles can be added freely.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from . import _validation as check
from .plotting import _result
from .fitzhugh_nagumo import FHNParameters, fhn_fixed_point, fhn_nullclines, fhn_stability, simulate_fhn
from .fitzhugh_nagumo import _resolve as _fhn_resolve
from .izhikevich import IzhikevichParameters, simulate_izhikevich
from .lif import LIFParameters, LIFResult, lif_fi_curve, lif_rate
from .lif import _resolve as _lif_resolve

__all__ = ["plot_fhn_phase_plane", "plot_izhikevich_patterns", "plot_lif_fi", "plot_lif_trace"]

T_LABEL = "Time (ms)"
V_LABEL = "Membrane potential V (mV)"


def _axes(axes: Any, n: int, shape: tuple[int, int], figsize: tuple[float, float]) -> tuple[Figure, NDArray[Any]]:
    """The given axes (a single Axes when n == 1, else any array-like of n Axes) or a new grid."""
    if axes is None:
        fig, grid = plt.subplots(*shape, figsize=figsize, squeeze=False)
        return fig, grid.ravel()[:n]
    flat = np.ravel(np.asarray([axes] if isinstance(axes, Axes) else axes, dtype=object))
    if flat.size != n or not all(isinstance(a, Axes) for a in flat):
        what = "a matplotlib Axes" if n == 1 else f"exactly {n} matplotlib Axes"
        raise ValueError(f"{'ax' if n == 1 else 'axes'} must be {what}, got {flat.size} item(s)")
    return flat[0].figure, flat


def _with_spikes(
    t: NDArray[np.float64], V: NDArray[np.float64], spikes: NDArray[np.float64], levels: Sequence[float]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Insert vertical strokes through ``levels`` (mV) at each spike time, for drawing."""
    if spikes.size == 0:
        return t, V
    idx = np.searchsorted(t, spikes, side="left")
    k = len(levels)
    tt = np.insert(t, np.repeat(idx, k), np.repeat(spikes, k))
    VV = np.insert(V, np.repeat(idx, k), np.tile(np.asarray(levels, dtype=float), spikes.size))
    return tt, VV


def plot_lif_trace(result: LIFResult, ax: Axes | None = None, *, spike_peak: float = 20.0) -> Figure:
    """Membrane potential of an LIF simulation, with its spikes drawn in.

    The LIF model has no spike shape: at each spike time a vertical stroke from
    V_th up to ``spike_peak`` (mV, cosmetic) and down to V_reset is inserted into
    the trace. Dashed lines mark V_th and V_rest. A batch result draws one line
    per current (labelled in µA/cm²).

    Parameters
    ----------
    result : LIFResult
        From :func:`hh_lib.lif.simulate_lif`.
    ax : Axes, optional
    spike_peak : float
        Height of the drawn spikes (mV), >= V_th.
    """
    if not isinstance(result, LIFResult):
        raise TypeError(f"result must be an LIFResult from simulate_lif, got {type(result).__name__}")
    p = result.params
    spike_peak = check.finite_scalar("spike_peak", spike_peak, unit="mV")
    if spike_peak < p.V_th:
        raise ValueError(f"spike_peak must be >= V_th={p.V_th:g} mV, got {spike_peak:g} mV")
    fig, (a,) = _axes(ax, 1, (1, 1), (10, 4))
    batch = result.V.ndim == 2
    rows = result.V if batch else result.V[np.newaxis]
    trains = result.spike_times if batch else [result.spike_times]
    for i, (V, s) in enumerate(zip(rows, trains)):
        tt, VV = _with_spikes(result.t, V, s, (p.V_th, spike_peak, p.V_reset))
        label = f"I = {result.I_ext[i, 0]:g} µA/cm²" if batch else None
        a.plot(tt, VV, lw=1.5, label=label)
    a.axhline(p.V_th, color="tab:red", ls="--", lw=1, label=f"V_th = {p.V_th:g} mV")
    a.axhline(p.V_rest, color="gray", ls=":", lw=1, label=f"V_rest = {p.V_rest:g} mV")
    a.set(xlabel=T_LABEL, ylabel=V_LABEL, title="Leaky integrate-and-fire neuron")
    a.legend(loc="upper right")
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_lif_fi(
    currents: ArrayLike,
    ax: Axes | None = None,
    *,
    params: LIFParameters | None = None,
    duration: float = 1000.0,
) -> Figure:
    """F-I curve of the LIF neuron: simulation (markers) against the closed form (line).

    Parameters
    ----------
    currents : 1-D array
        Constant injected currents to simulate (µA/cm²).
    ax : Axes, optional
    params : LIFParameters, optional
    duration : float
        Simulated time per current (ms).
    """
    I = check.real_array("currents", currents, unit="µA/cm²", ndim=1)
    if I.size == 0:
        raise ValueError("currents must contain at least one current (µA/cm²)")
    p = _lif_resolve(params)
    simulated = lif_fi_curve(I, duration=duration, params=p)
    fig, (a,) = _axes(ax, 1, (1, 1), (8, 5))
    lo, hi = float(I.min()), float(I.max())
    pad = 0.02 * (hi - lo) if hi > lo else 1.0
    fine = np.linspace(lo - pad, hi + pad, 801)
    fine = np.union1d(fine, [p.rheobase]) if fine[0] <= p.rheobase <= fine[-1] else fine
    a.plot(fine, lif_rate(fine, p), "-", color="tab:blue", lw=2, label="Closed form")
    a.plot(I, simulated, "o", color="tab:orange", ms=5, label=f"Simulation ({duration:g} ms)")
    a.axvline(p.rheobase, color="gray", ls=":", label=f"Rheobase {p.rheobase:g} µA/cm²")
    a.set(xlabel="Injected current I (µA/cm²)", ylabel="Firing rate (Hz)", title="LIF F-I curve")
    a.legend()
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_fhn_phase_plane(
    I: float,
    params: FHNParameters | None = None,
    ax: Axes | None = None,
    *,
    v0: float = 0.0,
    w0: float | None = None,
    duration: float = 200.0,
    v_range: tuple[float, float] = (-2.5, 2.5),
    arrows: int = 20,
) -> Figure:
    """Phase plane of the FitzHugh-Nagumo model for a constant current (all dimensionless).

    Draws the vector field (direction only), the cubic v-nullcline and the linear
    w-nullcline, the fixed point (filled when stable, open when unstable) and one
    trajectory from (v0, w0).

    Parameters
    ----------
    I : float
        Constant current (dimensionless).
    params : FHNParameters, optional
    ax : Axes, optional
    v0, w0 : float
        Start of the trajectory; by default v = 0 with w at the resting value for
        I = 0, a supra-threshold kick from rest: one excursion back to a stable fixed
        point, or convergence onto the limit cycle when the fixed point is unstable.
    duration : float
        Length of the trajectory (dimensionless time).
    v_range : (float, float)
        Horizontal extent of the plot (dimensionless).
    arrows : int
        Vector-field arrows per axis, in [2, 100].
    """
    I = check.finite_scalar("I", I, unit="dimensionless current")
    p = _fhn_resolve(params)
    bounds = check.real_array("v_range", v_range, unit="dimensionless", ndim=1)
    if bounds.size != 2 or not bounds[0] < bounds[1]:
        raise ValueError(f"v_range must be a pair (v_min, v_max) with v_min < v_max, got {v_range!r}")
    lo, hi = float(bounds[0]), float(bounds[1])
    arrows = int(check.scalar_in_range("arrows", arrows, 2, 100))
    if w0 is None:
        w0 = fhn_fixed_point(0.0, p)[1]
    res = simulate_fhn(I, duration=duration, dt=0.01, params=p, v0=v0, w0=w0)
    st = fhn_stability(I, p)

    fig, (a,) = _axes(ax, 1, (1, 1), (8, 6))
    v = np.linspace(lo, hi, 400)
    w_v, w_w = fhn_nullclines(v, I, p)
    core = w_v[np.abs(v) <= 2.0]  # the cubic's knees; beyond |v| = 2 it leaves any useful window
    core = core if core.size else np.array([st.w])
    w_lo = min(res.w.min(), st.w, core.min()) - 0.3
    w_hi = max(res.w.max(), st.w, core.max()) + 0.3

    gv, gw = np.meshgrid(np.linspace(lo, hi, arrows), np.linspace(w_lo, w_hi, arrows))
    dv = gv - gv**3 / 3.0 - gw + I
    dw = p.epsilon * (gv + p.a - p.b * gw)
    norm = np.hypot(dv, dw)
    norm[norm == 0] = 1.0
    a.quiver(gv, gw, dv / norm, dw / norm, color="lightgray", angles="xy", pivot="mid", width=0.003)

    a.plot(v, w_v, "-", color="tab:red", lw=2, label="v-nullcline (dv/dt = 0)")
    a.plot(v, w_w, "-", color="tab:blue", lw=2, label="w-nullcline (dw/dt = 0)")
    a.plot(res.v, res.w, "-", color="black", lw=1.2, label="Trajectory")
    a.plot(res.v[0], res.w[0], "o", color="tab:green", ms=7, label="Start")
    face = "black" if st.stable else "white"
    a.plot(st.v, st.w, "o", ms=9, mec="black", mfc=face, label=f"Fixed point ({st.kind})")
    a.set(
        xlim=(lo, hi),
        ylim=(w_lo, w_hi),
        xlabel="v (fast variable, dimensionless)",
        ylabel="w (recovery variable, dimensionless)",
        title=f"FitzHugh-Nagumo phase plane, I = {I:g}",
    )
    a.legend(loc="upper left", fontsize="small")
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_izhikevich_patterns(
    axes: Any = None,
    *,
    names: Sequence[str] = ("regular_spiking", "intrinsically_bursting", "chattering", "fast_spiking"),
    I: float = 10.0,
    duration: float = 200.0,
    t_on: float = 10.0,
) -> Figure:
    """Firing patterns of Izhikevich (2003) cell classes under a current step (one panel each).

    Parameters
    ----------
    axes : len(names) Axes, optional
        Default: a new 2-column grid.
    names : sequence of str
        Preset names (see :meth:`IzhikevichParameters.preset`); default RS, IB, CH, FS.
    I : float
        Step amplitude (mV/ms), switched on at ``t_on``.
    duration : float
        Simulated time (ms).
    t_on : float
        Step onset (ms), in [0, duration).
    """
    if isinstance(names, str):
        names = (names,)
    names = list(names)
    if not names:
        raise ValueError("names must contain at least one preset name")
    params = [IzhikevichParameters.preset(n) for n in names]
    I = check.finite_scalar("I", I, unit="mV/ms")
    duration = check.positive_scalar("duration", duration, unit="ms")
    t_on = check.nonnegative_scalar("t_on", t_on, unit="ms")
    if t_on >= duration:
        raise ValueError(f"t_on must be < duration, got {t_on:g} ms >= {duration:g} ms")
    cols = 2 if len(names) > 1 else 1
    rows = (len(names) + cols - 1) // cols
    fig, ax = _axes(axes, len(names), (rows, cols), (6 * cols, 3.2 * rows))
    if axes is None:
        for extra in fig.axes[len(names) :]:
            extra.set_visible(False)

    def step(t: Any) -> Any:
        return np.where(np.asarray(t) >= t_on, I, 0.0)

    for a, name, p in zip(ax, names, params):
        r = simulate_izhikevich(step, duration=duration, params=p)
        tt, vv = _with_spikes(r.t, r.v, r.spike_times, (p.v_peak, p.c))
        a.plot(tt, vv, "k-", lw=1)
        a.set(
            xlabel=T_LABEL,
            ylabel="v (mV)",
            ylim=(-90, p.v_peak + 15),
            title=f"{name.replace('_', ' ')} (a={p.a:g}, b={p.b:g}, c={p.c:g}, d={p.d:g})",
        )
        a.text(0.99, 0.95, f"I = {I:g} mV/ms from {t_on:g} ms", transform=a.transAxes, ha="right", va="top", fontsize="small")
        a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


# --- Reduction of the HH model to two dimensions (hh_lib.reduction) ----------------------------

N_LABEL = "n (K⁺ activation, dimensionless)"
H_LABEL = "h (Na⁺ inactivation, dimensionless)"


def plot_h_n_relation(result: Any, fit: Any = None, axes: Any = None, *, transient: float = 50.0) -> Figure:
    """The observation behind the 2-D reduction: h and n of the full HH model move together.

    Left: h(t), n(t) and h + n (dimensionless) against time (ms). Right: h against n
    after ``transient`` ms, with the fitted line ``fit`` and Rinzel's h = 0.89 - 1.1 n.

    Parameters
    ----------
    result : HHResult
        A single-trace simulation of the full model that fires repetitively.
    fit : HNRelation, optional
        Default: :func:`hh_lib.reduction.fit_h_n_relation` of ``result`` with this transient.
    axes : 2 Axes, optional
    transient : float
        Initial time (ms) left out of the right panel (and of the default fit).
    """
    from .reduction import RINZEL_H_N, HNRelation, fit_h_n_relation

    r = _result("result", result)
    transient = check.nonnegative_scalar("transient", transient, unit="ms")
    if fit is None:
        fit = fit_h_n_relation(r, transient=transient)
    elif not isinstance(fit, HNRelation):
        raise TypeError(f"fit must be an HNRelation, got {type(fit).__name__}")
    fig, (a1, a2) = _axes(axes, 2, (1, 2), (13, 4.8))
    a1.plot(r.t, r.h, color="tab:orange", lw=1.5, label="h")
    a1.plot(r.t, r.n, color="tab:blue", lw=1.5, label="n")
    a1.plot(r.t, r.h + r.n, color="black", lw=1.5, ls="--", label="h + n")
    a1.set(xlabel=T_LABEL, ylabel="Gating variable (dimensionless)", title="h and n in the full HH model", ylim=(0, 1.05))
    a1.legend(loc="upper right", fontsize="small")
    a1.grid(True, alpha=0.3)

    keep = r.t >= transient
    n = r.n[keep]
    a2.plot(n, r.h[keep], color="gray", lw=1, alpha=0.8, label=f"Full HH (t ≥ {transient:g} ms)")
    grid = np.linspace(n.min() - 0.05, n.max() + 0.05, 50)
    a2.plot(grid, fit.intercept + fit.slope * grid, color="tab:red", lw=2,
            label=f"Fit: h = {fit.intercept:.3f} {fit.slope:+.3f} n")
    a2.plot(grid, RINZEL_H_N.intercept + RINZEL_H_N.slope * grid, color="tab:green", lw=2, ls="--",
            label=f"Rinzel: h = {RINZEL_H_N.intercept:g} {RINZEL_H_N.slope:+g} n")
    a2.set(xlabel=N_LABEL, ylabel=H_LABEL, title="h against n")
    a2.legend(loc="upper right", fontsize="small")
    a2.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_reduction_comparison(full: Any, reduced: Sequence[Any], labels: Sequence[str], axes: Any = None) -> Figure:
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
    from .reduction import ReducedHHResult

    r = _result("full", full)
    reduced = list(reduced)
    labels = list(labels)
    if len(labels) != len(reduced):
        raise ValueError(f"labels must have one entry per reduced result, got {len(labels)} for {len(reduced)}")
    for x in reduced:
        if not isinstance(x, ReducedHHResult) or x.V.ndim != 1:
            raise TypeError("reduced must hold single-trace ReducedHHResult objects from simulate_reduced_hh")
    if axes is None:
        fig, grid = plt.subplots(2, 1, figsize=(12, 7), sharex=True, gridspec_kw={"height_ratios": [2, 1]})
        a1, a2 = grid
    else:
        fig, (a1, a2) = _axes(axes, 2, (2, 1), (12, 7))
    a1.plot(r.t, r.V, color="black", lw=2, label="Full HH (V, m, h, n)")
    styles = ["--", "-.", ":"]
    for i, (x, lab) in enumerate(zip(reduced, labels)):
        a1.plot(x.t, x.V, lw=1.5, ls=styles[i % len(styles)], label=lab)
    a1.set(ylabel=V_LABEL, title="Full and reduced HH models")
    a1.legend(loc="upper right", fontsize="small")
    a1.grid(True, alpha=0.3)
    from .rates import steady_state

    a2.plot(r.t, r.m, color="tab:red", lw=1.5, label="m (full HH)")
    a2.plot(r.t, steady_state(r.V)[0], color="tab:red", lw=1.2, ls="--", label="m_inf(V) (used in the reduced models)")
    a2.set(xlabel=T_LABEL, ylabel="m (dimensionless)", ylim=(-0.05, 1.05))
    a2.legend(loc="upper right", fontsize="small")
    a2.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_reduced_phase_plane(
    I: float,
    params: Any = None,
    h_relation: Any = None,
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
    from matplotlib.lines import Line2D

    from .rates import steady_state
    from .reduction import RINZEL_H_N, reduced_hh_rhs, simulate_reduced_hh

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

    fig, (a,) = _axes(ax, 1, (1, 1), (8, 6))
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
        Line2D([], [], color="tab:red", lw=2, label="V-nullcline (dV/dt = 0)"),
        Line2D([], [], color="tab:blue", lw=2, label="n-nullcline n = n_inf(V)"),
        Line2D([], [], color="black", lw=1.2, label=f"Trajectory ({duration:g} ms)"),
        Line2D([], [], color="tab:green", marker="o", ls="", label="Start (rest)"),
    ]
    a.legend(handles=handles, loc="upper left", fontsize="small")
    a.set(xlim=(v_lo, v_hi), ylim=(n_lo, n_hi), xlabel=V_LABEL, ylabel=N_LABEL,
          title=f"Reduced HH phase plane, I = {I:g} µA/cm²")
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


# --- Comparison of the three models (hh_lib.comparison) ----------------------------------------


def plot_fi_comparison(fi: Any, axes: Any = None, *, lif_params: LIFParameters | None = None) -> Figure:
    """F-I curves of HH, LIF and Izhikevich side by side, each against current in its own unit.

    The LIF panel adds the closed-form rate (line); the first firing current of each
    model is marked.

    Parameters
    ----------
    fi : FICurves
        From :func:`hh_lib.comparison.compare_fi_curves`.
    axes : 3 Axes, optional
    lif_params : LIFParameters, optional
        The LIF parameters used for ``fi`` (for the closed form); default parameters.
    """
    from .comparison import CURRENT_UNITS, MODELS, FICurves

    if not isinstance(fi, FICurves):
        raise TypeError(f"fi must be FICurves from compare_fi_curves, got {type(fi).__name__}")
    fig, ax = _axes(axes, 3, (1, 3), (16, 4.8))
    colors = {"HH": "tab:blue", "LIF": "tab:orange", "Izhikevich": "tab:green"}
    izh_name = next((k for k, v in IZHIKEVICH_PRESET_VALUES.items() if v == fi.izh_params), "custom")
    titles = {"HH": "Hodgkin-Huxley (6.3 °C)", "LIF": "Leaky integrate-and-fire", "Izhikevich": f"Izhikevich ({izh_name.replace('_', ' ')})"}
    for a, m in zip(ax, MODELS):
        f = fi.rates(m)
        a.plot(fi.currents, f, "o", ms=3.5, color=colors[m], label=f"Simulated (count in {fi.transient:g}-{fi.duration:g} ms)")
        if m == "LIF":
            fine = np.linspace(fi.currents.min(), fi.currents.max(), 2001)
            a.plot(fine, lif_rate(fine, _lif_resolve(lif_params)), "-", color="black", lw=1.2, label="Closed form")
        I_on, f_on = fi.onset(m)
        if np.isfinite(I_on):
            a.plot([I_on], [f_on], "s", ms=9, mfc="none", mec="tab:red", mew=2,
                   label=f"Onset: {f_on:.0f} Hz at I = {I_on:g}")
        a.set(xlabel=f"Injected current I ({CURRENT_UNITS[m]})", ylabel="Firing rate (Hz)", title=titles[m])
        a.set_ylim(bottom=0)
        a.legend(loc="upper left", fontsize="small")
        a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_cost_comparison(reports: Sequence[Any], axes: Any = None) -> Figure:
    """Right-hand-side evaluations per simulated second and per spike (log scale), one bar per model.

    Parameters
    ----------
    reports : sequence of CostReport
        From :func:`hh_lib.comparison.compare_costs` (or count_rhs_evaluations).
    axes : 2 Axes, optional
    """
    from .comparison import CURRENT_UNITS, CostReport

    reports = list(reports)
    if not reports or not all(isinstance(r, CostReport) for r in reports):
        raise TypeError("reports must be a non-empty sequence of CostReport objects")
    fig, (a1, a2) = _axes(axes, 2, (1, 2), (13, 4.8))
    names = [f"{r.model}\n(I = {r.current:g} {CURRENT_UNITS[r.model]})" for r in reports]
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown"]
    per_s = [r.evaluations_per_second for r in reports]
    per_spike = [r.evaluations_per_spike for r in reports]
    for a, values, ylabel, title in (
        (a1, per_s, "RHS evaluations per simulated second (1/s)", "Work per simulated second"),
        (a2, per_spike, "RHS evaluations per spike", "Work per spike"),
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
    fig.suptitle(f"scipy RK45, rtol = {r0.rtol:g}, atol = {r0.atol:g}, {r0.duration:g} ms simulated", fontsize="medium")
    fig.tight_layout()
    return fig


def plot_izhikevich_trace(result: Any, ax: Axes | None = None, *, label: str | None = None) -> Figure:
    """Membrane potential v (mV) of one Izhikevich simulation, spikes drawn up to v_peak.

    Parameters
    ----------
    result : IzhikevichResult
        A single-trace result of :func:`hh_lib.izhikevich.simulate_izhikevich`.
    ax : Axes, optional
    label : str, optional
        Title of the panel; by default the parameters (a, b, c, d).
    """
    from .izhikevich import IzhikevichResult

    if not isinstance(result, IzhikevichResult) or result.v.ndim != 1:
        raise TypeError("result must be a single-trace IzhikevichResult from simulate_izhikevich")
    p = result.params
    fig, (a,) = _axes(ax, 1, (1, 1), (10, 3.5))
    tt, vv = _with_spikes(result.t, result.v, result.spike_times, (p.v_peak, p.c))
    a.plot(tt, vv, "k-", lw=1)
    a.set(xlabel=T_LABEL, ylabel="v (mV)", ylim=(-90, p.v_peak + 15),
          title=label if label is not None else f"a={p.a:g}, b={p.b:g}, c={p.c:g}, d={p.d:g}")
    a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


IZHIKEVICH_PRESET_VALUES = {name: IzhikevichParameters.preset(name) for name in (
    "regular_spiking", "intrinsically_bursting", "chattering", "fast_spiking", "low_threshold_spiking")}

__all__ += [
    "plot_cost_comparison",
    "plot_fi_comparison",
    "plot_h_n_relation",
    "plot_izhikevich_trace",
    "plot_reduced_phase_plane",
    "plot_reduction_comparison",
]
