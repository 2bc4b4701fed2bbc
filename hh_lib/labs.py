"""Interactive labs: the knobs of each lab, and the same labs for Jupyter/Colab.

The course site places labs on its pages with the MyST directive ```` ```{hh-lab} KIND ````
(``scripts/sphinx_hh_lab.py``); they run in the reader's browser (``site_assets/hh-lab/``).
``labs.json`` beside this module is the one description of every lab's knobs (name, Korean label,
unit, default, range, step), presets and guide lines; :data:`LABS` holds it as :class:`Lab` objects,
read by that directive and by :func:`show_lab`, which builds the same lab in a notebook with
``ipywidgets.interact`` calling hh_lib.

Kinds: ``current-clamp``, ``voltage-clamp``, ``fhn-phase-plane``, ``izhikevich``, ``cs-current-clamp``
(the Connor-Stevens membrane: type I excitability and the A-type K⁺ current).

Units: t in ms (FitzHugh-Nagumo: dimensionless), V in mV, currents in µA/cm² (Izhikevich: mV/ms),
temperature in °C, drug block in % (0-100; Connor-Stevens: ``block``, the A-current's).

This module imports only the standard library at import time; numpy, matplotlib, the simulators
and ipywidgets are imported when a figure is made.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path


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
    """A kind of lab: its title, knobs (in display order), presets (name → knob values) and guide.

    ``guide`` is two to four Korean lines: what to try and what to notice. The site's directive
    shows them above the lab (also without JavaScript) and :func:`show_lab` above its sliders.
    """

    kind: str
    title: str
    knobs: tuple[Knob, ...]
    presets: tuple[tuple[str, dict[str, float]], ...] = field(default=())
    guide: tuple[str, ...] = field(default=())

    def knob(self, name: str) -> Knob:
        for k in self.knobs:
            if k.name == name:
                return k
        raise ValueError(f"{self.kind} lab has no knob {name!r}; knobs: {', '.join(k.name for k in self.knobs)}")

    def defaults(self) -> dict[str, float]:
        return {k.name: k.value for k in self.knobs}


#: The table of labs, plain data beside this module (instructors edit it; the site build reads it
#: through this module).
TABLE = Path(__file__).with_name("labs.json")


def _load(path: Path = TABLE) -> dict[str, Lab]:
    """Every :class:`Lab` of the table, keyed by kind (each knob's default checked on its grid)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    shared = {name: Knob(**k) for name, k in data["shared_knobs"].items()}
    labs = {}
    for entry in data["kinds"]:
        knobs = tuple(shared[k] if isinstance(k, str) else Knob(**k) for k in entry["knobs"])
        for knob in knobs:
            knob.check(knob.value, "default")
        presets = tuple((p["label"], dict(p["values"])) for p in entry["presets"])
        labs[entry["kind"]] = Lab(entry["kind"], entry["title"], knobs, presets, tuple(entry["guide"]))
    return labs


#: Every lab kind, keyed by the directive's argument.
LABS: dict[str, Lab] = _load()

#: Onset (ms) of the Izhikevich lab's current step, as in the lecture's figure.
IZHIKEVICH_ONSET = 10.0

#: The Connor-Stevens lab starts this far (mV) above the resting potential, every gate at its steady
#: state there (the site's ``CS.REST_NUDGE``): a stable rest forgets it in a few ms; an unstable one
#: (the A-current mostly blocked) is left as a real membrane's noise would leave it, instead of being
#: held for ever by exact arithmetic.
CS_REST_NUDGE = 1e-3

#: The range (µA/cm²) of the Connor-Stevens lab's I_A plot: between spikes I_A lies between about 3 and
#: 25 µA/cm², where it shapes the slow approach to the next spike; the peaks in the spikes (up to
#: about 300) are cut off.
CS_IA_RANGE = (0.0, 40.0)


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


def cs_run(values: dict[str, float]):
    """The Connor-Stevens lab's run for knob values (``current`` µA/cm², ``block`` % of the
    A-current, ``duration`` ms): :func:`hh_lib.simulate_cs` on the 0.01-ms grid from
    :data:`CS_REST_NUDGE` above rest. Returns the :class:`~hh_lib.CSResult`."""
    from . import CSParameters, simulate_cs
    from .cs import equilibrium_potential

    p = CSParameters().with_block(a_current=values["block"] / 100.0)
    V0 = equilibrium_potential(0.0, p) + CS_REST_NUDGE
    return simulate_cs(values["current"], duration=values["duration"], dt=0.01, params=p, V0=V0)


def _clamp(values: dict[str, float]):
    """The lab's voltage step, from :func:`hh_lib.voltage_clamp` (closed form): ``(t, I_Na, I_K, I_L)``."""
    from . import voltage_clamp

    res = voltage_clamp(values["vc"], duration=values["duration"], params=_membrane(values), V_hold=values["hold"])
    return res.t, res.I_Na, res.I_K, res.I_L


# --- Readouts: the same Korean lines as the site's labs (site_assets/hh-lab/hhlab.js) -----------
# Both say what happened, by the course's definition of an action potential (issue 21): a rate only
# for firing that lasts to the end of the run, otherwise how many spikes and when they stopped; a
# sustained oscillation without action potentials by its swing; the exact voltage-clamp peak.

E_NA = 50.0  # mV, the squid axon's Na⁺ reversal potential (HHParameters().E_Na)


def _fmt(x: float, digits: int) -> str:
    """x with ``digits`` decimals and a true minus sign (as the site's readouts)."""
    return f"{x:.{digits}f}".replace("-", "−") if round(x, digits) != 0 else f"{0:.{digits}f}"


def _signed(x: float, digits: int) -> str:
    return ("+" if x > 0 else "") + _fmt(x, digits)


def _lasting(times, t_end: float):
    """``(mean recent interval, last interval)`` if repetitive firing lasts to ``t_end``, else None.

    Lasting: at least two events, and the time since the last one is at most 1.5 mean intervals
    (the mean of the last three at most): the next event is not overdue. A run too short to tell
    is read as still firing.
    """
    n = len(times)
    if n < 2:
        return None
    isis = [times[k] - times[k - 1] for k in range(max(1, n - 3), n)]
    isi = sum(isis) / len(isis)
    return (isi, times[-1] - times[-2]) if t_end - times[-1] <= 1.5 * isi else None


def _longest_interval(phi: float) -> float:
    """Longest interspike interval (ms) of repetitive firing of the squid membrane at temperature
    factor phi (measured: 18 ms at 6.3 °C, 34 ms at 0 °C, 7-8 ms at 20 °C with TEA 50 %;
    22 ms·phi^-0.7 bounds them). After one spike, 1.5 times this in silence means it stopped."""
    return 22.0 * phi ** -0.7


def _rate(isi: float) -> str:
    """The rate (Hz) of an interval (ms): one decimal below 10 Hz (type I fires that slowly), none above."""
    hz = 1000.0 / isi
    return _fmt(hz, 1 if hz < 10 else 0)


def _firing_part(s: list[float], t, quiet: float, first: bool):
    """What the action potentials (peak times s, ms) of a run sampled at times t did (the site's
    ``firingPart``): ``(text, going, undecided, after)``. A rate only for firing that lasts to the
    end; a single spike followed by at most ``quiet`` ms of silence is undecided; otherwise how many
    spikes and when they stopped. ``first``: also say when the first spike came. ``after``: the
    sample after the last spike."""
    import numpy as np

    N, t_end, n = t.size, float(t[-1]), len(s)
    going, undecided, after = _lasting(s, t_end), False, 0
    head = f"스파이크 {n}개" + (f" (첫 스파이크 t = {_fmt(s[0], 1)} ms)" if first and n >= 2 else "")
    if going:
        text = f"{head}, 끝까지 반복 발화: {_rate(going[1])} Hz (마지막 간격 {_fmt(going[1], 2)} ms)"
    elif n == 0:
        text = "활동전위 없음"
    else:
        after = min(N - 1, int(np.ceil(s[-1] / (t[1] - t[0]))))
        undecided = n == 1 and t_end - s[-1] <= quiet
        text = (f"스파이크 1개 (t = {_fmt(s[-1], 1)} ms): 발화가 이어지는지 보려면 시간을 늘리세요" if undecided
                else f"{head}, t = {_fmt(s[-1], 1)} ms에 멈춤")
    return text, going, undecided, after


def _tail_part(V, ratio, after: int, n: int, label: str) -> str:
    """What the membrane did after its last spike (the site's ``tailPart``), or "": the tail is the
    second half of what follows the last spike (at least the last 10 % of the run); an oscillation
    crosses its mid-level at least 4 times there, and it is sustained when its second half swings
    at least 70 % as far as its first half; its size: that second half's swing. ``label``: the
    state rule's ratio."""
    import numpy as np

    N = V.size
    i0 = after + (N - after) // 2
    if N - i0 < N / 10:
        i0 = int(np.floor(0.9 * N))
    mid = (i0 + N) >> 1
    tail = V[i0:]
    sw, sw1, sw2 = np.ptp(tail), np.ptp(V[i0:mid]), np.ptp(V[mid:])
    below = tail < tail.min() + sw / 2
    cross = int(np.count_nonzero(below[1:] != below[:-1]))
    lead = "그 뒤 " if n else ""
    if sw >= 2.0 and cross >= 4 and sw2 >= 0.7 * sw1:
        # the ratio rises by at most its swing over the tail, below an action potential's 0.5
        return (f"{lead}작은 진동 ±{_fmt(sw2 / 2, 1)} mV, 활동전위 아님 "
                f"({label}가 {_fmt(np.ptp(ratio[i0:]), 2)}만 오름 < 0.5)")
    return f"{lead}잦아드는 진동 (끝 무렵 ±{_fmt(sw2 / 2, 1)} mV)" if sw >= 2.0 and cross >= 4 else ""


def describe_current_clamp(t, V, h, ratio, spikes, phi: float, ttx: float = 0.0, tea: float = 0.0) -> str:
    """The readout of a current-clamp run from rest (the site's ``describeCurrentClamp``).

    t, V, h, ratio: samples (ms, mV, h gate, g_Na/(g_K + g_L)); spikes: the action potentials'
    peak times (ms); phi: the rates' temperature factor; ttx, tea: blocked fractions (0-1).
    """
    import numpy as np

    t, V, h, ratio = (np.asarray(a, dtype=float) for a in (t, V, h, ratio))
    s = [float(x) for x in spikes]
    text, going, undecided, after = _firing_part(s, t, 1.5 * _longest_interval(phi), False)
    parts = [text]
    if not going and not undecided:
        parts.append(_tail_part(V, ratio, after, len(s), "g_Na/(g_K+g_L)"))
    text = "; ".join(p for p in parts if p) + f"; 끝의 V = {_signed(V[-1], 1)} mV"
    if V.max() > E_NA:
        # only the injected current can charge the membrane beyond E_Na: no ionic current pushes past it
        text += (f". 주의: V가 {_signed(V.max(), 0)} mV까지 오름. E_Na(+50 mV)보다 높은 전위는 이온 전류로는 생기지 않고 "
                 "주입 전류만이 만든 것" + ("(K⁺ 통로가 막혀 작은 누설 전류만 주입 전류에 맞섬)" if tea >= 0.9 else "")
                 + "입니다. 실제 막은 이런 전위를 견디지 못하므로 모델이 성립하지 않는 조건입니다")
    elif not going and V[-1] > -50.0 and h[-1] < 0.1 and ttx < 1.0:
        text += f" (h = {_fmt(h[-1], 2)}: Na⁺ 통로 대부분 불활성화)"
    return text


def describe_cs_current_clamp(t, V, ratio, spikes) -> str:
    """The readout of a Connor-Stevens run from rest (the site's ``describeCsCurrentClamp``): as
    :func:`describe_current_clamp`, with the first spike's time (type I: a long delay near the
    onset). A single spike is undecided until the silence after it is 1.5 times the time the first
    spike took from rest (type I has no longest interval).

    t, V, ratio: samples (ms, mV, g_Na/(g_K + g_A + g_L)); spikes: the action potentials' peak times (ms).
    """
    import numpy as np

    t, V, ratio = (np.asarray(a, dtype=float) for a in (t, V, ratio))
    s = [float(x) for x in spikes]
    text, going, undecided, after = _firing_part(s, t, 1.5 * s[0] if s else 0.0, True)
    parts = [text]
    if not going and not undecided:
        parts.append(_tail_part(V, ratio, after, len(s), "g_Na/(g_K+g_A+g_L)"))
    return "; ".join(p for p in parts if p) + f"; 끝의 V = {_signed(V[-1], 1)} mV"


def clamp_peak(vc: float, hold: float, params, duration: float):
    """The exact maximum of g_Na(t) = ḡ_Na m(t)³ h(t) of the voltage-clamp closed form on
    [0, duration]: ``(t_peak, g_peak)`` (ms, mS/cm²); the peak I_Na is g_peak·(vc − E_Na).

    Not read off samples: the largest value on a grid dense near t = 0, then the root of
    dg/dt ∝ 3 m' h + m h' between that point's neighbours (brentq).
    """
    import numpy as np
    from scipy.optimize import brentq

    from . import steady_state, time_constants

    x0, xc, tau = steady_state(hold), steady_state(vc), time_constants(vc, params)
    dm, dh = x0[0] - xc[0], x0[1] - xc[1]

    def gates(t):
        em, eh = np.exp(-t / tau[0]), np.exp(-t / tau[1])
        m, h = xc[0] + dm * em, xc[1] + dh * eh
        return m, h, 3 * (-dm * em / tau[0]) * h + m * (-dh * eh / tau[1])

    ts = duration * np.linspace(0.0, 1.0, 401) ** 3
    m, h, _ = gates(ts)
    j = int(np.argmax(m**3 * h))
    t_peak = float(ts[j])
    if 0 < j < ts.size - 1 and gates(ts[j - 1])[2] > 0 > gates(ts[j + 1])[2]:
        t_peak = brentq(lambda t: gates(t)[2], ts[j - 1], ts[j + 1], xtol=1e-14, rtol=1e-15)
    m, h, _ = gates(t_peak)
    return t_peak, float(params.g_Na * m**3 * h)


def describe_voltage_clamp(v: dict[str, float]) -> str:
    """The readout of the voltage-clamp lab for knob values ``v`` (the site's ``describeVoltageClamp``)."""
    from . import steady_state, time_constants

    p = _membrane(v)
    t_pk, g_pk = clamp_peak(v["vc"], v["hold"], p, v["duration"])
    n = steady_state(v["hold"])[2]
    n_inf, tau_n = steady_state(v["vc"])[2], time_constants(v["vc"], p)[2]
    n_end = n_inf + (n - n_inf) * math.exp(-v["duration"] / tau_n)
    ik_end = p.g_K * n_end**4 * (v["vc"] - p.E_K)
    h_avail = float(steady_state(v["hold"])[1])
    if not g_pk > 0:
        na = "I_Na = 0 (TTX 100 %: Na⁺ 통로가 모두 막힘)"
    elif abs(v["vc"] - p.E_Na) < 0.5:
        na = "I_Na ≈ 0 (E_Na = +50 mV: 구동력이 없음)"
    else:
        na = (f"I_Na 최댓값 {_fmt(g_pk * (v['vc'] - p.E_Na), 1)} µA/cm² (t = {_fmt(t_pk, 3)} ms"
              + (", E_Na보다 높아 바깥 방향" if v["vc"] > p.E_Na else "") + ")")
    return (f"계단 {_fmt(v['hold'], 0)} → {_fmt(v['vc'], 0)} mV: {na}, 계단 끝 I_K = {_fmt(ik_end, 1)} µA/cm²; "
            f"유지 전위의 h∞ = {_fmt(h_avail, 2)}: 불활성화되지 않은 Na⁺ 통로 {_fmt(100 * h_avail, 0)} %")


def fhn_excursions(t, v) -> tuple[list[float], float | None]:
    """The full excursions of a FitzHugh-Nagumo trajectory (the model's action potentials):
    ``(start times of the full ones, start time of one not back by the end or None)``.

    An excursion starts with a jump to the right branch (v reaches 1.5, beyond the right knee v = 1
    of the cubic nullcline) from the left (a start at v < 1, or after the last excursion) and is
    full when the trajectory comes back past the left knee (v <= -1). Damped wiggles around a fixed
    point near a knee (I = 1.45: v* = 0.99) cross v = 1 without being excursions.
    """
    times, armed, start = [], v[0] < 1, None
    for tk, vk in zip(t, v):
        if armed and vk >= 1.5:
            start, armed = float(tk), False
        elif not armed and vk <= -1:
            if start is not None:
                times.append(start)
            start, armed = None, True
    return times, start


def describe_fhn(t, v, w, I: float) -> str:
    """The readout of a FitzHugh-Nagumo run (the site's ``describeFhn``)."""
    import numpy as np

    from . import fhn_fixed_point, fhn_stability

    fp, stable = fhn_fixed_point(I), fhn_stability(I).stable
    full, open_ = fhn_excursions(t, v)
    going = _lasting(full + ([open_] if open_ is not None else []), float(t[-1]))
    text = (f"평형점 (v*, w*) = ({_fmt(fp[0], 3)}, {_fmt(fp[1], 3)}): {'안정' if stable else '불안정'}; "
            f"완전한 흥분(오른쪽 가지에 갔다 돌아옴) {len(full)}번 (t = 0–{_fmt(t[-1], 0)})")
    if going:
        return text + f", 끝까지 반복: 극한 주기, 주기 ≈ {_fmt(going[0], 1)}"
    if open_ is not None:
        text += f"; t = {_fmt(open_, 1)}에 오른쪽 가지로 건너가 돌아오지 않음"
    dist = max(abs(v[-1] - fp[0]), abs(w[-1] - fp[1]))
    sw = float(np.ptp(v[int(np.floor(0.75 * len(v))):]))
    if stable and dist < 0.01 and sw < 0.02:
        return text + ", 평형점으로 수렴"
    if stable:
        return text + f", 평형점으로 수렴하는 중 (끝에서 v − v* = {_fmt(v[-1] - fp[0], 3)})"
    return text + (f", 작은 진동 (v 폭 ±{_fmt(sw / 2, 2)}, 완전한 흥분 아님)" if sw >= 0.02 else "")


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _figure_current_clamp(fig, v):
    from . import simulate

    p = _membrane(v)
    res = simulate(v["current"], duration=v["duration"], dt=0.01, params=p)
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
    ratio = res.g_Na / (res.g_K + p.g_L)
    text = describe_current_clamp(res.t, res.V, res.h, ratio, res.spike_times, p.phi, v["ttx"] / 100.0, v["tea"] / 100.0)
    axV.set_title(f"I = {v['current']:g} µA/cm², {v['temperature']:g} °C, TTX {v['ttx']:g} %, TEA {v['tea']:g} %\n"
                  + _wrap(text), fontsize="medium")


def _figure_voltage_clamp(fig, v):
    t, I_Na, I_K, I_L = _clamp(v)
    ax = fig.subplots()
    ax.plot(t, I_Na, color="C3", label="I_Na")
    ax.plot(t, I_K, color="C0", label="I_K")
    ax.plot(t, I_Na + I_K + I_L, color="C4", lw=1, label="총 전류")
    ax.axhline(0.0, color="gray", lw=0.5)
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("I (µA/cm², 바깥 방향 +)")
    ax.legend(loc="best")
    ax.set_title(_wrap(describe_voltage_clamp(v), 80), fontsize="medium")


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
    fig.suptitle(_wrap(describe_fhn(res.t, res.v, res.w, v["current"]), 110), fontsize="medium")


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


def _figure_cs(fig, v):
    from . import na_ratio

    res = cs_run(v)
    axV, axA = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    axV.plot(res.t, res.V, color="C0")
    axV.set_ylabel("V (mV)")
    axA.plot(res.t, res.I_A, color="C1")
    axA.set_ylim(*CS_IA_RANGE)
    axA.set_ylabel("I_A (µA/cm²)")
    axA.set_xlabel("t (ms)")
    text = describe_cs_current_clamp(res.t, res.V, na_ratio(res), res.spike_times)
    axV.set_title(f"Connor-Stevens, I = {v['current']:g} µA/cm², A-전류 차단 {v['block']:g} %\n" + _wrap(text),
                  fontsize="medium")


_FIGURES = {
    "current-clamp": (_figure_current_clamp, (9.0, 7.0)),
    "voltage-clamp": (_figure_voltage_clamp, (9.0, 4.5)),
    "fhn-phase-plane": (_figure_fhn, (11.0, 4.5)),
    "izhikevich": (_figure_izhikevich, (9.0, 5.5)),
    "cs-current-clamp": (_figure_cs, (9.0, 5.5)),
}


def lab_figure(kind: str, fig=None, **values: float):
    """The figure a lab shows for the knob values (the lab's defaults for those not given).

    Parameters
    ----------
    kind : str
        ``current-clamp``, ``voltage-clamp``, ``fhn-phase-plane``, ``izhikevich`` or ``cs-current-clamp``.
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

    Uses the ipywidgets already installed (Colab ships 7.x; do not upgrade it there). The lab's
    guide (what to try, what to notice) comes first. Each slider redraws when released
    (``continuous_update=False``); the figure's title says what happened (the site's readout). ``defaults`` set the sliders' start values,
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
    if spec.guide:  # what to try and what to notice, the same lines as on the site
        from IPython.display import Markdown

        display(Markdown("\n".join(f"- {line}" for line in spec.guide)))
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
