"""Interactive labs: the knobs of each lab, and the same labs for Jupyter/Colab.

The course site places labs on its pages with the MyST directive ```` ```{hh-lab} KIND ````
(``scripts/sphinx_hh_lab.py``); they run in the reader's browser (``site_assets/hh-lab/``).
:data:`LABS` below is the one description of every lab's knobs (name, Korean label, unit,
default, range, step) and presets, read by that directive and by :func:`show_lab`, which builds
the same lab in a notebook with ``ipywidgets.interact`` calling hh_lib.

Kinds: ``current-clamp``, ``voltage-clamp``, ``fhn-phase-plane``, ``izhikevich``.

Units: t in ms (FitzHugh-Nagumo: dimensionless), V in mV, currents in µA/cm² (Izhikevich: mV/ms),
temperature in °C, drug block in % (0-100).

This module imports only the standard library at import time (the site build reads
:data:`LABS` without importing hh_lib's numerics); numpy, matplotlib, the simulators and
ipywidgets are imported when a figure is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Knob:
    """One slider of a lab: ``<input type="range" name=NAME>`` on the site, a slider in Colab.

    Attributes
    ----------
    name : str
        Input name (``current``, ``temperature``, ``ttx``, ...), also the keyword of :func:`show_lab`.
    label : str
        Korean label shown next to the slider (its accessible name).
    unit : str
        Unit shown after the value ("" for dimensionless).
    value, min, max, step : float
        Default, range and step; the default must lie on the step grid (a browser snaps a
        value between grid points to the nearest one).
    """

    name: str
    label: str
    unit: str
    value: float
    min: float
    max: float
    step: float

    def check(self, value: float, what: str = "value") -> float:
        """``value`` as a float if it lies in [min, max] on the step grid, else ValueError."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise TypeError(f"{self.name} must be a finite number ({self.unit or 'dimensionless'}), got {value!r}")
        value = float(value)
        if not self.min - 1e-9 <= value <= self.max + 1e-9:
            raise ValueError(f"{self.name} {what} must lie in [{self.min:g}, {self.max:g}] "
                             f"{self.unit or '(dimensionless)'}, got {value:g}")
        k = (value - self.min) / self.step
        if abs(k - round(k)) > 1e-6:
            raise ValueError(f"{self.name} {what} {value:g} is not on the slider's grid "
                             f"{self.min:g} + k·{self.step:g}: a browser would snap it to another value")
        return value

    def with_range(self, lo: float, hi: float, step: float) -> Knob:
        """A copy with another range and step (validated: lo < hi, step > 0, default on the grid)."""
        for label, v in (("min", lo), ("max", hi), ("step", step)):
            if not math.isfinite(v):
                raise ValueError(f"{self.name} range {label} must be finite, got {v!r}")
        if not lo < hi or not step > 0 or step > hi - lo:
            raise ValueError(f"{self.name} range must be 'min max step' with min < max and 0 < step <= max - min, "
                             f"got {lo:g} {hi:g} {step:g}")
        return Knob(self.name, self.label, self.unit, self.value, float(lo), float(hi), float(step))

    def with_value(self, value: float) -> Knob:
        return Knob(self.name, self.label, self.unit, self.check(value, "default"), self.min, self.max, self.step)


@dataclass(frozen=True)
class Lab:
    """A kind of lab: its title, knobs (in display order) and presets (name → knob values)."""

    kind: str
    title: str
    knobs: tuple[Knob, ...]
    presets: tuple[tuple[str, dict[str, float]], ...] = field(default=())

    def knob(self, name: str) -> Knob:
        for k in self.knobs:
            if k.name == name:
                return k
        raise ValueError(f"{self.kind} lab has no knob {name!r}; knobs: {', '.join(k.name for k in self.knobs)}")

    def defaults(self) -> dict[str, float]:
        return {k.name: k.value for k in self.knobs}


_T = Knob("temperature", "온도", "°C", 6.3, 0.0, 40.0, 0.1)
_TTX = Knob("ttx", "TTX: Na⁺ 채널 차단", "%", 0.0, 0.0, 100.0, 1.0)
_TEA = Knob("tea", "TEA: K⁺ 채널 차단", "%", 0.0, 0.0, 100.0, 1.0)

#: Every lab kind, keyed by the directive's argument.
LABS: dict[str, Lab] = {
    lab.kind: lab
    for lab in (
        Lab("current-clamp", "전류 고정 실험: 주입 전류, 온도, 약물",
            (Knob("current", "주입 전류 I", "µA/cm²", 10.0, -10.0, 100.0, 0.5), _T, _TTX, _TEA,
             Knob("duration", "시뮬레이션 시간", "ms", 100.0, 20.0, 500.0, 10.0)),
            (("rheobase 근처 (6.5 µA/cm²)", {"current": 6.5}),
             ("문제 2: 24 °C", {"temperature": 24.0}),
             ("문제 3: TTX 50 %", {"ttx": 50.0}),
             ("문제 3: TEA 90 %", {"tea": 90.0}))),
        Lab("voltage-clamp", "전압 고정 실험: 계단 전압과 이온 전류",
            (Knob("hold", "유지 전위 V_hold", "mV", -65.0, -100.0, -40.0, 1.0),
             Knob("vc", "계단 전위 V_step", "mV", 0.0, -100.0, 60.0, 1.0), _T, _TTX, _TEA,
             Knob("duration", "계단 길이", "ms", 20.0, 5.0, 50.0, 1.0)),
            (("TTX 100 %: I_K만", {"ttx": 100.0}),
             ("TEA 100 %: I_Na만", {"tea": 100.0}),
             ("E_Na 근처 (+50 mV)", {"vc": 50.0}))),
        Lab("fhn-phase-plane", "FitzHugh-Nagumo 위상 평면",
            (Knob("current", "전류 I", "", 0.5, -0.5, 1.5, 0.01),
             Knob("v0", "시작점 v₀", "", 0.0, -2.5, 2.5, 0.01),
             Knob("w0", "시작점 w₀", "", -0.62, -1.0, 2.5, 0.01),
             Knob("duration", "시뮬레이션 시간", "", 100.0, 20.0, 300.0, 10.0)),
            (("흥분성 (I = 0)", {"current": 0.0}),
             ("극한 주기 (I = 0.5)", {"current": 0.5}),
             ("탈분극 차단 (I = 1.45)", {"current": 1.45}))),
        Lab("izhikevich", "Izhikevich 모델: 네 파라미터와 발화 패턴",
            (Knob("a", "a: u의 회복 속도", "1/ms", 0.02, 0.005, 0.2, 0.005),
             Knob("b", "b: u의 v 민감도", "1/ms", 0.2, 0.1, 0.3, 0.005),
             Knob("c", "c: 리셋 전위", "mV", -65.0, -80.0, -40.0, 0.5),
             Knob("d", "d: u 증가량", "mV/ms", 8.0, 0.0, 10.0, 0.1),
             Knob("current", "주입 전류 I", "mV/ms", 10.0, 0.0, 20.0, 0.5),
             Knob("duration", "시뮬레이션 시간", "ms", 200.0, 50.0, 500.0, 10.0)),
            tuple((name, dict(zip("abcd", values))) for name, values in (
                ("RS (규칙 발화)", (0.02, 0.2, -65.0, 8.0)), ("IB (내재적 버스트)", (0.02, 0.2, -55.0, 4.0)),
                ("CH (채터링)", (0.02, 0.2, -50.0, 2.0)), ("FS (빠른 발화)", (0.1, 0.2, -65.0, 2.0))))),
    )
}

#: Onset (ms) of the Izhikevich lab's current step, as in the lecture's figure.
IZHIKEVICH_ONSET = 10.0


def lab(kind: str) -> Lab:
    """The :class:`Lab` of a kind (ValueError naming the known kinds otherwise)."""
    if not isinstance(kind, str) or kind.replace("_", "-") not in LABS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, LABS))}; got {kind!r}")
    return LABS[kind.replace("_", "-")]


def settings(kind: str, **values: float) -> dict[str, float]:
    """The lab's defaults updated with ``values`` (each checked against its knob)."""
    spec = lab(kind)
    out = spec.defaults()
    for name, value in values.items():
        out[name] = spec.knob(name).check(value)
    return out


def notebook_code(kind: str, options: dict[str, str] | None = None) -> str:
    """The notebook cell that stands for a lab directive: ``show_lab`` with the directive's defaults.

    ``options`` are the directive's options as written (strings); ranges (``<knob>-range``),
    ``title`` and ``name`` belong to the page and are left out. For the notebook generator, e.g.
    ``notebook_code("current-clamp", {"current": "6.5"})`` gives
    ``from hh_lib.labs import show_lab\nshow_lab("current-clamp", current=6.5)``.
    """
    spec = lab(kind)
    values = {}
    for key, text in (options or {}).items():
        if key.endswith("-range") or key in ("title", "name"):
            continue
        values[key] = spec.knob(key).check(float(text))
    args = "".join(f", {k}={v!r}" for k, v in values.items())
    return f"from hh_lib.labs import show_lab\nshow_lab({spec.kind!r}{args})"


# --- The labs in a notebook (Jupyter, Colab) ---------------------------------------------------


def _membrane(values: dict[str, float]):
    from . import HHParameters

    return HHParameters(temperature=values["temperature"]).with_block(values["ttx"] / 100.0, values["tea"] / 100.0)


def _clamp(values: dict[str, float]):
    """The lab's voltage step, from :func:`hh_lib.voltage_clamp` (closed form): ``(t, I_Na, I_K, I_L)``."""
    from . import voltage_clamp

    res = voltage_clamp(values["vc"], duration=values["duration"], params=_membrane(values), V_hold=values["hold"])
    return res.t, res.I_Na, res.I_K, res.I_L


def _figure_current_clamp(fig, v):
    from . import simulate, spike_times

    res = simulate(v["current"], duration=v["duration"], dt=0.01, params=_membrane(v))
    axV, axG, axI = fig.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1, 1.2]})
    axV.plot(res.t, res.V, color="C0")
    axV.set_ylabel("V (mV)")
    for name, color in (("m", "C3"), ("h", "C2"), ("n", "C1")):
        axG.plot(res.t, getattr(res, name), color=color, label=name)
    axG.set_ylabel("게이트")
    axG.set_ylim(0, 1)
    axG.legend(loc="upper right", ncol=3)
    axI.plot(res.t, res.I_Na, color="C3", label="I_Na")
    axI.plot(res.t, res.I_K, color="C0", label="I_K")
    axI.set_ylabel("I (µA/cm²)")
    axI.set_xlabel("t (ms)")
    axI.legend(loc="upper right", ncol=2)
    n = len(spike_times(res.t, res.V))
    axV.set_title(f"I = {v['current']:g} µA/cm², {v['temperature']:g} °C, TTX {v['ttx']:g} %, TEA {v['tea']:g} %: "
                  f"스파이크 {n}개, {n / (v['duration'] / 1000.0):.0f} Hz")


def _figure_voltage_clamp(fig, v):
    import numpy as np

    t, I_Na, I_K, I_L = _clamp(v)
    ax = fig.subplots()
    ax.plot(t, I_Na, color="C3", label="I_Na")
    ax.plot(t, I_K, color="C0", label="I_K")
    ax.plot(t, I_Na + I_K + I_L, color="C4", lw=1, label="총 전류")
    ax.axhline(0.0, color="gray", lw=0.5)
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("I (µA/cm², 바깥 방향 +)")
    ax.legend(loc="best")
    j = int(np.argmax(np.abs(I_Na)))
    ax.set_title(f"{v['hold']:g} → {v['vc']:g} mV: I_Na 최댓값 {I_Na[j]:.1f} µA/cm² (t = {t[j]:.2f} ms), "
                 f"계단 끝 I_K {I_K[-1]:.1f} µA/cm²")


def _figure_fhn(fig, v):
    import numpy as np

    from . import fhn_fixed_point, fhn_nullclines, fhn_stability, simulate_fhn

    res = simulate_fhn(v["current"], duration=v["duration"], dt=0.01, v0=v["v0"], w0=v["w0"])
    axP, axT = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    vs = np.linspace(-2.5, 2.5, 301)
    w_v, w_w = fhn_nullclines(vs, v["current"])
    axP.plot(vs, w_v, color="C3", label="v-널클라인")
    axP.plot(vs, w_w, color="C2", label="w-널클라인")
    axP.plot(res.v, res.w, color="C0", lw=1.2, label="궤적")
    axP.plot(res.v[0], res.w[0], "o", color="C1", label="시작점")
    fp = fhn_fixed_point(v["current"])
    stable = fhn_stability(v["current"]).stable
    axP.plot(*fp, "o", mfc="k" if stable else "none", mec="k", label="평형점 (안정)" if stable else "평형점 (불안정)")
    axP.set_xlim(-2.5, 2.5)
    axP.set_ylim(-1.0, 2.5)
    axP.set_xlabel("v")
    axP.set_ylabel("w")
    axP.legend(loc="upper left", fontsize="small")
    axT.plot(res.t, res.v, color="C0", label="v")
    axT.plot(res.t, res.w, color="C2", label="w")
    axT.set_xlabel("t (무차원)")
    axT.legend(loc="upper right")
    axP.set_title(f"I = {v['current']:g}")


def _figure_izhikevich(fig, v):
    import numpy as np

    from . import IzhikevichParameters, simulate_izhikevich

    p = IzhikevichParameters(a=v["a"], b=v["b"], c=v["c"], d=v["d"])
    I = v["current"]
    res = simulate_izhikevich(lambda t: np.where(t >= IZHIKEVICH_ONSET, I, 0.0), v["duration"], params=p)
    axV, axU = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    axV.plot(res.t, res.v, color="C0")
    axV.vlines(res.spike_times, p.c, p.v_peak, color="C0", lw=1)  # spikes are cut at v_peak between samples
    axV.set_ylabel("v (mV)")
    axU.plot(res.t, res.u, color="C1")
    axU.set_ylabel("u (mV/ms)")
    axU.set_xlabel("t (ms)")
    axV.set_title(f"(a, b, c, d) = ({p.a:g}, {p.b:g}, {p.c:g}, {p.d:g}), I = {I:g} mV/ms ({IZHIKEVICH_ONSET:g} ms부터): "
                  f"스파이크 {res.spike_count}개")


_FIGURES = {
    "current-clamp": (_figure_current_clamp, (9.0, 7.0)),
    "voltage-clamp": (_figure_voltage_clamp, (9.0, 4.5)),
    "fhn-phase-plane": (_figure_fhn, (11.0, 4.5)),
    "izhikevich": (_figure_izhikevich, (9.0, 5.5)),
}


def lab_figure(kind: str, fig=None, **values: float):
    """The figure a lab shows for the knob values (the lab's defaults for those not given).

    Parameters
    ----------
    kind : str
        ``current-clamp``, ``voltage-clamp``, ``fhn-phase-plane`` or ``izhikevich``.
    fig : matplotlib Figure, optional
        Drawn into (cleared first); a new Figure otherwise.
    **values : float
        Knob values in the units of :data:`LABS` (µA/cm², °C, %, mV, ms, ...).

    Returns
    -------
    matplotlib.figure.Figure
    """
    v = settings(kind, **values)
    draw, size = _FIGURES[lab(kind).kind]
    if fig is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=size, layout="constrained")
    else:
        fig.clear()
    from .plotting.fonts import use_korean_font

    use_korean_font()
    draw(fig, v)
    return fig


def show_lab(kind: str, **defaults: float):
    """Show a lab in a notebook: one slider per knob (``ipywidgets.interact``), the figure below.

    Uses the ipywidgets already installed (Colab ships 7.x; do not upgrade it there). Each slider
    redraws when released (``continuous_update=False``). ``defaults`` set the sliders' start values,
    e.g. ``show_lab("current-clamp", current=6.5, temperature=20)``.

    Returns the interact widget.
    """
    start = settings(kind, **defaults)
    try:
        import ipywidgets as widgets
    except ImportError as exc:
        raise ImportError(
            "show_lab needs ipywidgets (preinstalled on Colab and in JupyterLab; elsewhere "
            "`pip install ipywidgets`). On Colab use the preinstalled version: do not upgrade it."
        ) from exc
    import matplotlib.pyplot as plt
    from IPython.display import display

    spec = lab(kind)
    sliders = {
        k.name: widgets.FloatSlider(value=start[k.name], min=k.min, max=k.max, step=k.step,
                                    description=f"{k.label} ({k.unit})" if k.unit else k.label,
                                    continuous_update=False, style={"description_width": "initial"},
                                    layout=widgets.Layout(width="95%"))
        for k in spec.knobs
    }
    size = _FIGURES[spec.kind][1]

    def draw(**values: float) -> None:
        # A pyplot figure, so that the notebook's inline backend renders it; displayed once into
        # the widget's output, then closed so that the backend does not draw it again.
        fig = lab_figure(spec.kind, fig=plt.figure(figsize=size, layout="constrained"), **values)
        display(fig)
        plt.close(fig)

    return widgets.interact(draw, **sliders)
