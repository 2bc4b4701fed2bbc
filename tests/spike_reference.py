"""An independent implementation of the course's spike criterion ("regenerative events").

Written from the specification in the issue-15 notes (not imported from hh_lib), for the
tests that check page claims against ``tests/reference.py`` output:

* constants RISE = 20 mV (hysteresis amplitude) and ACCEL = 1 mV/ms;
* start ARMED with trough = V(t0). ARMED: a new minimum moves the trough and forgets the
  slopes seen so far; otherwise the smallest slope since the trough is tracked and the rise is
  "accelerated" once a slope exceeds that minimum by ACCEL. Reaching trough + RISE gives a
  candidate at the (linearly interpolated) crossing time of that level -> RISING.
* RISING: the peak and the acceleration flag keep updating while V rises; a fall of RISE
  below the peak ends the event, which is a spike iff the rise was accelerated; back to ARMED
  with the trough at the current V. A candidate still RISING at the end is not a spike.

Slopes are those of the interval ending at each sample. Units: ms, mV.
"""

from __future__ import annotations

import math

import numpy as np

RISE = 20.0  # mV
ACCEL = 1.0  # mV/ms


def regenerative_spikes(t, V, rise: float = RISE, accel: float = ACCEL) -> np.ndarray:
    """Times (ms) of regenerative events in a sampled trace."""
    t = np.asarray(t, dtype=float).tolist()
    V = np.asarray(V, dtype=float).tolist()
    trough, s_min, accelerated = V[0], math.inf, False
    rising, peak, candidate = False, 0.0, 0.0
    out = []
    for i in range(1, len(V)):
        v = V[i]
        slope = (v - V[i - 1]) / (t[i] - t[i - 1])
        if not rising:
            if v < trough:
                trough, s_min, accelerated = v, math.inf, False
                continue
            s_min = min(s_min, slope)
            accelerated = accelerated or slope - s_min >= accel
            if v >= trough + rise:
                level = trough + rise
                frac = (level - V[i - 1]) / (v - V[i - 1])
                candidate = t[i - 1] + frac * (t[i] - t[i - 1])
                rising, peak = True, v
        elif v > peak:
            peak = v
            s_min = min(s_min, slope)
            accelerated = accelerated or slope - s_min >= accel
        elif v <= peak - rise:
            if accelerated:
                out.append(candidate)
            rising, trough, s_min, accelerated = False, v, math.inf, False
    return np.array(out)


def zero_crossings(t, V, level: float = 0.0) -> np.ndarray:
    """Upward crossings of ``level`` (mV), linearly interpolated (the plain NetCon-style count)."""
    t, V = np.asarray(t, dtype=float), np.asarray(V, dtype=float)
    i = np.flatnonzero((V[:-1] < level) & (V[1:] >= level))
    return t[i] + (level - V[i]) / (V[i + 1] - V[i]) * (t[i + 1] - t[i])
