"""What every figure of hh_lib shares: the axes helper, axis labels with units, colours,
and the check that a result holds a single trace.

Figure text is Korean, one language per figure (the course prose is Korean); symbols
(V, m, h, n, g_Na, τ_m, m∞ …) and units (mV, ms, µA/cm², mS/cm²) stay as symbols. Call
:func:`hh_lib.plotting.fonts.use_korean_font` first so that Hangul is drawn.

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
from ..reduced.izhikevich import IZHIKEVICH_PRESETS, IzhikevichParameters

#: What the plot functions accept as ``ax``/``axes``.
AxesLike = Axes | Sequence[Axes] | NDArray[Any] | None

NA_COLOR, K_COLOR = "tab:red", "tab:blue"
T_LABEL = "시간 t (ms)"
V_LABEL = "막전위 V (mV)"
I_LABEL = "주입 전류 I (µA/cm²)"
RATE_LABEL = "발화율 f (Hz)"
N_LABEL = "K⁺ 활성화 게이트 n (무차원)"
H_LABEL = "Na⁺ 비활성화 게이트 h (무차원)"


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


#: Korean names of the Izhikevich (2003) cell classes, with the usual abbreviation.
IZHIKEVICH_NAMES_KO = {
    "regular_spiking": "규칙 발화 (RS)",
    "intrinsically_bursting": "내재적 버스트 발화 (IB)",
    "chattering": "채터링 (CH)",
    "fast_spiking": "빠른 발화 (FS)",
    "low_threshold_spiking": "낮은 문턱 발화 (LTS)",
}

def izhikevich_name_ko(params: object) -> str:
    """Korean name of the Izhikevich preset equal to ``params``, else "사용자 정의" (custom)."""
    name = next((k for k in IZHIKEVICH_PRESETS if IzhikevichParameters.preset(k) == params), None)
    return IZHIKEVICH_NAMES_KO.get(name, "사용자 정의")
