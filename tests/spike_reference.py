"""An independent implementation of the course's definition of an action potential (issue 21).

Written from the specification (not imported from hh_lib), for the tests that check hh_lib and the
page claims against ``tests/reference.py`` output:

* an *event*: start ARMED with trough = V(t0). ARMED: a new minimum moves the trough (and resets
  what the event has seen: the smallest slope, the acceleration flag, the largest ratio and the
  ratio at the trough). Reaching trough + RISE (20 mV) opens the event -> RISING. RISING: the peak
  follows V up; a fall of RISE below the peak closes it; ARMED again with the trough at the
  current V. An event still open at the end is dropped.
* the **state rule**: an event is an action potential iff g_Na/(g_K + g_L) rose by at least
  NA_RATIO (0.5) from its value at the trough to its largest value before the close;
* the **voltage rule**: iff its upstroke accelerated (the slope, tracked while V rises, rose
  ACCEL = 1 mV/ms above its minimum since the trough) and peak - trough >= AMPLITUDE (35 mV);
* the time of an event is its peak.

Slopes are those of the interval ending at each sample. Units: ms, mV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

RISE = 20.0  # mV
ACCEL = 1.0  # mV/ms
AMPLITUDE = 35.0  # mV
NA_RATIO = 0.5


@dataclass
class Event:
    t_peak: float  # ms (a sample until refine_peaks)
    peak: float  # mV
    trough: float  # mV
    na_rise: float  # rise of g_Na/(g_K+g_L) from the trough (nan without ratios)
    accelerated: bool

    @property
    def by_state(self) -> bool:
        return self.na_rise >= NA_RATIO

    @property
    def by_voltage(self) -> bool:
        return self.accelerated and self.peak - self.trough >= AMPLITUDE


def events(t, V, ratio=None) -> list[Event]:
    """Closed events of a sampled trace; ``ratio`` = g_Na/(g_K+g_L) at each sample (optional)."""
    t = np.asarray(t, dtype=float).tolist()
    V = np.asarray(V, dtype=float).tolist()
    R = [math.nan] * len(V) if ratio is None else np.asarray(ratio, dtype=float).tolist()
    trough, r_trough, r_max = V[0], R[0], R[0]
    s_min, accelerated = math.inf, False
    rising, peak, t_peak = False, 0.0, 0.0
    out = []
    for i in range(1, len(V)):
        v = V[i]
        slope = (v - V[i - 1]) / (t[i] - t[i - 1])
        r_max = max(r_max, R[i])
        if not rising:
            if v < trough:
                trough, r_trough, r_max, s_min, accelerated = v, R[i], R[i], math.inf, False
                continue
            s_min = min(s_min, slope)
            accelerated = accelerated or slope - s_min >= ACCEL
            if v >= trough + RISE:
                rising, peak, t_peak = True, v, t[i]
        elif v > peak:
            peak, t_peak = v, t[i]
            s_min = min(s_min, slope)
            accelerated = accelerated or slope - s_min >= ACCEL
        elif v <= peak - RISE:
            out.append(Event(t_peak, peak, trough, r_max - r_trough, accelerated))
            rising, trough, r_trough, r_max, s_min, accelerated = False, v, R[i], R[i], math.inf, False
    return out


def refine_peaks(evs: list[Event], V_of_t, dt: float) -> list[Event]:
    """Locate each peak on a continuous V(t) within one sample spacing of the highest sample."""
    for e in evs:
        res = minimize_scalar(lambda s: -V_of_t(s), bounds=(e.t_peak - dt, e.t_peak + dt), method="bounded",
                              options={"xatol": 1e-7})
        e.t_peak, e.peak = float(res.x), float(-res.fun)
    return evs


def voltage_spikes(t, V) -> np.ndarray:
    """Peak times (ms, at the highest sample) of the action potentials of a bare voltage trace."""
    return np.array([e.t_peak for e in events(t, V) if e.by_voltage])


def zero_crossings(t, V, level: float = 0.0) -> np.ndarray:
    """Upward crossings of ``level`` (mV), linearly interpolated (the plain NetCon-style count)."""
    t, V = np.asarray(t, dtype=float), np.asarray(V, dtype=float)
    i = np.flatnonzero((V[:-1] < level) & (V[1:] >= level))
    return t[i] + (level - V[i]) / (V[i + 1] - V[i]) * (t[i + 1] - t[i])
