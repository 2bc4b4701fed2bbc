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
from typing import Any


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
_TTX = Knob("ttx", "TTX (Na⁺ 채널 차단)", "%", 0.0, 0.0, 100.0, 1.0)
_TEA = Knob("tea", "TEA (K⁺ 채널 차단)", "%", 0.0, 0.0, 100.0, 1.0)

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
            (Knob("hold", "유지 전위 (holding)", "mV", -65.0, -100.0, -40.0, 1.0),
             Knob("vc", "계단 전위 (step)", "mV", 0.0, -100.0, 60.0, 1.0), _T, _TTX, _TEA,
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
            (Knob("a", "a (u의 회복 속도)", "1/ms", 0.02, 0.005, 0.2, 0.005),
             Knob("b", "b (u의 v 민감도)", "1/ms", 0.2, 0.1, 0.3, 0.005),
             Knob("c", "c (리셋 전위)", "mV", -65.0, -80.0, -40.0, 0.5),
             Knob("d", "d (u 증가량)", "mV/ms", 8.0, 0.0, 10.0, 0.1),
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
