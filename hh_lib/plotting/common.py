"""What every figure of hh_lib shares: the axes helper, axis labels with units, colours,
and the check that a result holds a single trace.

Every plot function takes optional axes, draws on them (creating a figure when none are
given), labels the axes with units and returns the Figure; displaying it is left to the
caller (a notebook shows it by itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray

from ..hh.simulation import HHResult

#: What the plot functions accept as ``ax``/``axes``.
AxesLike = Axes | Sequence[Axes] | NDArray[Any] | None

NA_COLOR, K_COLOR = "tab:red", "tab:blue"
T_LABEL = "Time (ms)"
V_LABEL = "Membrane potential V (mV)"
I_LABEL = "Injected current I (µA/cm²)"
RATE_LABEL = "Firing rate (Hz)"
N_LABEL = "n (K⁺ activation, dimensionless)"
H_LABEL = "h (Na⁺ inactivation, dimensionless)"


def axes_grid(
    axes: AxesLike,
    n: int,
    shape: tuple[int, int],
    figsize: tuple[float, float],
    **subplots_kw: Any,
) -> tuple[Figure, NDArray[Any]]:
    """The given axes (one Axes when n == 1, else any array-like of n Axes) as a flat array
    with their figure, or a new ``shape`` grid of which the first n are returned."""
    if axes is None:
        fig, grid = plt.subplots(*shape, figsize=figsize, squeeze=False, **subplots_kw)
        return fig, grid.ravel()[:n]
    flat = np.ravel(np.asarray([axes] if isinstance(axes, Axes) else axes, dtype=object))
    if flat.size != n or not all(isinstance(a, Axes) for a in flat):
        what = "a matplotlib Axes" if n == 1 else f"exactly {n} matplotlib Axes"
        raise ValueError(f"{'ax' if n == 1 else 'axes'} must be {what}, got {flat.size} item(s)")
    return flat[0].figure, flat


def single_trace(name: str, result: object) -> HHResult:
    """``result`` if it is a single-trace HHResult, else a TypeError/ValueError naming ``name``."""
    if not isinstance(result, HHResult):
        raise TypeError(f"{name} must be an HHResult from hh_lib.simulate, got {type(result).__name__}")
    if result.V.ndim != 1:
        raise ValueError(f"{name} must hold a single trace; index a batch first (result.V has shape {result.V.shape})")
    return result


def with_spikes(
    t: NDArray[np.float64], V: NDArray[np.float64], spikes: NDArray[np.float64], levels: Sequence[float]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Insert vertical strokes through ``levels`` (mV) at each spike time, for drawing a model
    (LIF, Izhikevich) whose trace holds only the reset."""
    if spikes.size == 0:
        return t, V
    idx = np.searchsorted(t, spikes, side="left")
    k = len(levels)
    tt = np.insert(t, np.repeat(idx, k), np.repeat(spikes, k))
    VV = np.insert(V, np.repeat(idx, k), np.tile(np.asarray(levels, dtype=float), spikes.size))
    return tt, VV


def finish(fig: Figure, axes: Sequence[Axes] | NDArray[Any], *, legend: bool = False) -> Figure:
    """Light grid on every panel (and legends), tight layout; returns the figure."""
    for a in axes:
        if legend:
            a.legend()
        a.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig
