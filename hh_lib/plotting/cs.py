"""The W5D2 figure of type I against type II excitability: the F-I curves of the Connor-Stevens and
Hodgkin-Huxley models on one axes (conventions: :mod:`hh_lib.plotting.common`).

The function draws precomputed arrays (currents in µA/cm², rates in Hz), so the page decides how
the curves are computed (``cs_fi_curve``, ``fi_curve``) and the figure can be tested with any data.
Both models are per cm² of membrane with C_m = 1 µF/cm², so they share one current axis.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from ..core import validation as check
from .common import I_LABEL, RATE_LABEL, axes_grid, finish

__all__ = ["plot_excitability_types", "firing_onset"]

CS_COLOR, HH_COLOR, BLOCKED_COLOR = "tab:green", "tab:blue", "tab:orange"


def _curve(name: str, currents: ArrayLike, rates: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Checked (currents, rates): 1-D, finite, same length, at least 2 points, rates >= 0."""
    I = check.real_array(f"{name}_currents", currents, unit="µA/cm²", ndim=1)
    f = check.real_array(f"{name}_rates", rates, unit="Hz", ndim=1)
    if I.shape != f.shape:
        raise ValueError(f"{name}_currents and {name}_rates must have the same length, got {I.size} and {f.size}")
    if I.size < 2:
        raise ValueError(f"{name}_currents must hold at least 2 currents, got {I.size}")
    if np.any(f < 0.0):
        raise ValueError(f"{name}_rates must be >= 0 Hz")
    order = np.argsort(I, kind="stable")
    return I[order], f[order]


def firing_onset(currents: ArrayLike, rates: ArrayLike) -> tuple[float, float]:
    """The first current (µA/cm², in increasing order) with a non-zero rate, and that rate (Hz);
    (nan, nan) if no current fires."""
    I, f = _curve("firing", currents, rates)
    firing = np.flatnonzero(f > 0.0)
    if firing.size == 0:
        return float("nan"), float("nan")
    return float(I[firing[0]]), float(f[firing[0]])


#: Curves with more points than this are drawn as lines only (dense markers merge into a thick band).
MARKERS_UP_TO = 80


def _draw(a: Axes, I, f, color: str, label: str, *, dashed: bool = False) -> None:
    marker = "o" if I.size <= MARKERS_UP_TO else None
    a.plot(I, f, "--" if dashed else "-", marker=marker, ms=3, lw=1.6, color=color, label=label)
    I_on, f_on = firing_onset(I, f)
    if np.isfinite(I_on):
        a.plot([I_on], [f_on], "s", ms=10, mfc="none", mec=color, mew=2,
               label=f"발화 시작: {I_on:g} µA/cm²에서 {f_on:.3g} Hz")


def plot_excitability_types(
    cs_currents: ArrayLike,
    cs_rates: ArrayLike,
    hh_currents: ArrayLike,
    hh_rates: ArrayLike,
    ax: Axes | None = None,
    *,
    blocked_currents: ArrayLike | None = None,
    blocked_rates: ArrayLike | None = None,
    blocked_label: str = "Connor-Stevens, A-전류 차단",
) -> Figure:
    """F-I curves of the Connor-Stevens model (type I) and the Hodgkin-Huxley model (type II) on
    one axes, each with its onset of firing marked (the first current with a non-zero rate).

    Parameters
    ----------
    cs_currents, cs_rates : 1-D arrays
        Injected currents (µA/cm²) and sustained firing rates (Hz) of the Connor-Stevens model.
    hh_currents, hh_rates : 1-D arrays
        The same for the Hodgkin-Huxley model.
    ax : Axes, optional
        Drawn on when given; otherwise a new figure.
    blocked_currents, blocked_rates : 1-D arrays, optional
        A third curve, dashed: the Connor-Stevens model with the A-current (partly) blocked.
    blocked_label : str
        Its legend entry (say how much is blocked).

    Returns
    -------
    Figure
        The figure of ``ax`` (or the new one); it is not shown.
    """
    curves = [(*_curve("cs", cs_currents, cs_rates), CS_COLOR, "Connor-Stevens (제1형)", False),
              (*_curve("hh", hh_currents, hh_rates), HH_COLOR, "Hodgkin-Huxley (제2형)", False)]
    if (blocked_currents is None) != (blocked_rates is None):
        raise ValueError("blocked_currents and blocked_rates must be given together")
    if blocked_currents is not None:
        if not isinstance(blocked_label, str):
            raise TypeError(f"blocked_label must be a str, got {type(blocked_label).__name__}")
        curves.append((*_curve("blocked", blocked_currents, blocked_rates), BLOCKED_COLOR, blocked_label, True))
    fig, (a,) = axes_grid(ax, 1, (1, 1), (9, 5.5))
    for I, f, color, label, dashed in curves:
        _draw(a, I, f, color, label, dashed=dashed)
    a.set(xlabel=I_LABEL, ylabel=RATE_LABEL, title="흥분성의 두 유형: 발화율이 0 Hz부터 오르는가, 갑자기 뛰는가")
    a.set_ylim(bottom=0.0)
    a.legend(loc="upper left", fontsize="small")
    return finish(fig, [a])
