"""The W5D2 figures of the LIF, FitzHugh-Nagumo and Izhikevich models (conventions:
:mod:`hh_lib.plotting.common`). Figure text is Korean; call
:func:`hh_lib.plotting.fonts.use_korean_font` first so that Hangul is drawn."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from ..core import validation as check
from ..reduced.fitzhugh_nagumo import FHNParameters, fhn_fixed_point, fhn_nullclines, fhn_stability, fhn_vector_field, simulate_fhn
from ..reduced.izhikevich import IzhikevichParameters, IzhikevichResult, simulate_izhikevich
from ..reduced.lif import LIFParameters, LIFResult, lif_fi_curve, lif_rate
from .common import (
    I_LABEL,
    RATE_LABEL,
    T_LABEL,
    V_LABEL,
    AxesLike,
    axes_grid,
    finish,
    izhikevich_name_ko,
    with_spikes,
)

__all__ = ["plot_fhn_phase_plane", "plot_izhikevich_patterns", "plot_izhikevich_trace", "plot_lif_fi", "plot_lif_trace"]


def plot_lif_trace(result: LIFResult, ax: Axes | None = None, *, spike_peak: float = 20.0) -> Figure:
    """Membrane potential of an LIF simulation, with its spikes drawn in.

    The LIF model has no spike shape: at each spike time a vertical stroke from
    V_th up to ``spike_peak`` (mV, cosmetic) and down to V_reset is inserted into
    the trace. Dashed lines mark V_th and V_rest. A batch result draws one line
    per current (labelled in µA/cm²).

    Parameters
    ----------
    result : LIFResult
        From :func:`hh_lib.reduced.lif.simulate_lif`.
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
    fig, (a,) = axes_grid(ax, 1, (1, 1), (10, 4))
    batch = result.V.ndim == 2
    rows = result.V if batch else result.V[np.newaxis]
    trains = result.spike_times if batch else [result.spike_times]
    for i, (V, s) in enumerate(zip(rows, trains)):
        tt, VV = with_spikes(result.t, V, s, (p.V_th, spike_peak, p.V_reset))
        label = f"I = {result.I_ext[i, 0]:g} µA/cm²" if batch else None
        a.plot(tt, VV, lw=1.5, label=label)
    a.axhline(p.V_th, color="tab:red", ls="--", lw=1, label=f"V_th = {p.V_th:g} mV")
    a.axhline(p.V_rest, color="gray", ls=":", lw=1, label=f"V_rest = {p.V_rest:g} mV")
    a.set(xlabel=T_LABEL, ylabel=V_LABEL, title="누설 적분-발화(LIF) 뉴런")
    a.legend(loc="upper right")
    return finish(fig, [a])


def plot_lif_fi(
    currents: ArrayLike, ax: Axes | None = None, *, params: LIFParameters | None = None, duration: float = 1000.0
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
    p = LIFParameters.resolve(params)
    simulated = lif_fi_curve(I, duration=duration, params=p)
    fig, (a,) = axes_grid(ax, 1, (1, 1), (8, 5))
    lo, hi = float(I.min()), float(I.max())
    pad = 0.02 * (hi - lo) if hi > lo else 1.0
    fine = np.linspace(lo - pad, hi + pad, 801)
    fine = np.union1d(fine, [p.rheobase]) if fine[0] <= p.rheobase <= fine[-1] else fine
    a.plot(fine, lif_rate(fine, p), "-", color="tab:blue", lw=2, label="해석해 (닫힌 형식)")
    a.plot(I, simulated, "o", color="tab:orange", ms=5, label=f"시뮬레이션 ({duration:g} ms)")
    a.axvline(p.rheobase, color="gray", ls=":", label=f"기전류 {p.rheobase:g} µA/cm²")
    a.set(xlabel=I_LABEL, ylabel=RATE_LABEL, title="LIF 모델의 F-I 곡선 (발화율–주입 전류)")
    a.legend()
    return finish(fig, [a])


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
    p = FHNParameters.resolve(params)
    bounds = check.real_array("v_range", v_range, unit="dimensionless", ndim=1)
    if bounds.size != 2 or not bounds[0] < bounds[1]:
        raise ValueError(f"v_range must be a pair (v_min, v_max) with v_min < v_max, got {v_range!r}")
    lo, hi = float(bounds[0]), float(bounds[1])
    arrows = int(check.scalar_in_range("arrows", arrows, 2, 100))
    if w0 is None:
        w0 = fhn_fixed_point(0.0, p)[1]
    res = simulate_fhn(I, duration=duration, dt=0.01, params=p, v0=v0, w0=w0)
    st = fhn_stability(I, p)

    fig, (a,) = axes_grid(ax, 1, (1, 1), (8, 6))
    v = np.linspace(lo, hi, 400)
    w_v, w_w = fhn_nullclines(v, I, p)
    core = w_v[np.abs(v) <= 2.0]  # the cubic's knees; beyond |v| = 2 it leaves any useful window
    core = core if core.size else np.array([st.w])
    w_lo = min(res.w.min(), st.w, core.min()) - 0.3
    w_hi = max(res.w.max(), st.w, core.max()) + 0.3

    gv, gw = np.meshgrid(np.linspace(lo, hi, arrows), np.linspace(w_lo, w_hi, arrows))
    dv, dw = fhn_vector_field(gv, gw, I, p)
    norm = np.hypot(dv, dw)
    norm[norm == 0] = 1.0
    a.quiver(gv, gw, dv / norm, dw / norm, color="lightgray", angles="xy", pivot="mid", width=0.003)

    a.plot(v, w_v, "-", color="tab:red", lw=2, label="v 널클라인 (dv/dt = 0)")
    a.plot(v, w_w, "-", color="tab:blue", lw=2, label="w 널클라인 (dw/dt = 0)")
    a.plot(res.v, res.w, "-", color="black", lw=1.2, label="궤적")
    a.plot(res.v[0], res.w[0], "o", color="tab:green", ms=7, label="시작점")
    face = "black" if st.stable else "white"
    a.plot(st.v, st.w, "o", ms=9, mec="black", mfc=face, label=f"평형점 ({st.kind_korean})")
    a.set(
        xlim=(lo, hi),
        ylim=(w_lo, w_hi),
        xlabel="빠른 변수 v (무차원)",
        ylabel="회복 변수 w (무차원)",
        title=f"FitzHugh-Nagumo 모델의 위상 평면, I = {I:g} (무차원)",
    )
    a.legend(loc="upper left", fontsize="small")
    return finish(fig, [a])


def plot_izhikevich_patterns(
    axes: AxesLike = None,
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
    fig, ax = axes_grid(axes, len(names), (rows, cols), (6 * cols, 3.2 * rows))
    if axes is None:
        for extra in fig.axes[len(names) :]:
            extra.set_visible(False)

    def step(t: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.where(np.asarray(t) >= t_on, I, 0.0)

    for a, name, p in zip(ax, names, params):
        r = simulate_izhikevich(step, duration=duration, params=p)
        tt, vv = with_spikes(r.t, r.v, r.spike_times, (p.v_peak, p.c))
        a.plot(tt, vv, "k-", lw=1)
        a.set(
            xlabel=T_LABEL,
            ylabel="막전위 v (mV)",
            ylim=(-90, p.v_peak + 15),
            title=f"{izhikevich_name_ko(p)} (a={p.a:g}, b={p.b:g}, c={p.c:g}, d={p.d:g})",
        )
        a.text(0.99, 0.95, f"I = {I:g} mV/ms ({t_on:g} ms부터)", transform=a.transAxes, ha="right", va="top", fontsize="small")
    return finish(fig, ax)


def plot_izhikevich_trace(result: IzhikevichResult, ax: Axes | None = None, *, label: str | None = None) -> Figure:
    """Membrane potential v (mV) of one Izhikevich simulation, spikes drawn up to v_peak.

    Parameters
    ----------
    result : IzhikevichResult
        A single-trace result of :func:`hh_lib.reduced.izhikevich.simulate_izhikevich`.
    ax : Axes, optional
    label : str, optional
        Title of the panel; by default the parameters (a, b, c, d).
    """
    if not isinstance(result, IzhikevichResult) or result.v.ndim != 1:
        raise TypeError("result must be a single-trace IzhikevichResult from simulate_izhikevich")
    p = result.params
    fig, (a,) = axes_grid(ax, 1, (1, 1), (10, 3.5))
    tt, vv = with_spikes(result.t, result.v, result.spike_times, (p.v_peak, p.c))
    a.plot(tt, vv, "k-", lw=1)
    a.set(xlabel=T_LABEL, ylabel="막전위 v (mV)", ylim=(-90, p.v_peak + 15),
          title=label if label is not None else f"a={p.a:g}, b={p.b:g}, c={p.c:g}, d={p.d:g}")
    return finish(fig, [a])
