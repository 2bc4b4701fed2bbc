"""The regenerative-event state machine of :mod:`hh_lib.core.spikes`, compiled, written once for
sampled traces and for the F-I kernel (:mod:`hh_lib._kernels.fi`).

The state of one trace is a column ``l`` of six rows of a float array S, from row ``r`` on (see
the row names below). :func:`regen_update` feeds it one interval that ends at the value v1 with the slope
``slope`` (mV/ms) at its end: the slope of the interval on a sampled trace, the exact dV/dt at
an accepted integrator step. The upward crossing of ``trough + rise`` is located on the linear
interpolant (sampled traces) or on the cubic Hermite interpolant of the step (integrator).
"""

from __future__ import annotations

import math

import numpy as np

from ._numba import njit

# Rows of the state: ARMED (0) or RISING (1); the trough since the last spike (mV); the smallest
# slope since the trough (mV/ms); whether the slope rose by >= accel above it; the peak (mV);
# the candidate spike time (ms).
STATE, TROUGH, SMIN, ACCEL, PEAK, CAND = range(6)
N_ROWS = 6


@njit(error_model="numpy", fastmath={"contract", "arcp", "nsz"})  # called, not inlined: rarely needed
def crossing_time(t, h, v0, v1, f0, f1, level):
    """Time in [t, t+h] at which the cubic Hermite interpolant of V (values v0, v1, slopes f0, f1)
    reaches ``level``; v0 < level <= v1."""
    a, b, d0, d1 = v0 - level, v1 - level, h * f0, h * f1
    s = a / (a - b)  # linear guess, then Newton on the cubic
    for _ in range(4):
        s2 = s * s
        s3 = s2 * s
        H = (2.0 * s3 - 3.0 * s2 + 1.0) * a + (s3 - 2.0 * s2 + s) * d0 + (3.0 * s2 - 2.0 * s3) * b + (s3 - s2) * d1
        dH = (6.0 * s2 - 6.0 * s) * (a - b) + (3.0 * s2 - 4.0 * s + 1.0) * d0 + (3.0 * s2 - 2.0 * s) * d1
        if dH > 0.0:
            s -= H / dH
            s = 0.0 if s < 0.0 else 1.0 if s > 1.0 else s
    return t + h * s


@njit(inline="always")
def regen_start(S, r, l, v0):
    """ARMED, with the trough at the first value v0 (mV)."""
    S[r + STATE, l], S[r + TROUGH, l], S[r + SMIN, l], S[r + ACCEL, l], S[r + PEAK, l], S[r + CAND, l] = 0.0, v0, np.inf, 0.0, v0, np.nan


@njit(inline="always")
def _track_slope(S, r, l, slope, accel):
    if slope < S[r + SMIN, l]:
        S[r + SMIN, l] = slope
    if slope - S[r + SMIN, l] >= accel:
        S[r + ACCEL, l] = 1.0


@njit(error_model="numpy")  # called, not inlined: keeps the lane loops of the F-I kernel small
def regen_update(S, r, l, t, h, v0, v1, f0, f1, slope, rise, accel, hermite):
    """Feed the interval [t, t+h] (V from v0 to v1 mV, slopes f0, f1 at its ends for the Hermite
    interpolant) into the state of trace l. Returns the time (ms) of a spike that this interval
    confirms (its upstroke crossed trough + rise and V has now fallen by rise from the peak, and
    the upstroke accelerated), else NaN."""
    if S[r + STATE, l] == 0.0:  # ARMED
        if v1 < S[r + TROUGH, l]:
            S[r + TROUGH, l], S[r + SMIN, l], S[r + ACCEL, l] = v1, np.inf, 0.0
            return np.nan
        _track_slope(S, r, l, slope, accel)
        level = S[r + TROUGH, l] + rise
        if v1 >= level:
            if hermite:
                S[r + CAND, l] = crossing_time(t, h, v0, v1, f0, f1, level)
            else:
                S[r + CAND, l] = t + h * (level - v0) / (v1 - v0)
            S[r + STATE, l], S[r + PEAK, l] = 1.0, v1
        return np.nan
    if v1 > S[r + PEAK, l]:  # RISING
        S[r + PEAK, l] = v1
        _track_slope(S, r, l, slope, accel)
    elif v1 <= S[r + PEAK, l] - rise:
        spike = S[r + CAND, l] if S[r + ACCEL, l] > 0.0 else np.nan
        S[r + STATE, l], S[r + TROUGH, l], S[r + SMIN, l], S[r + ACCEL, l] = 0.0, v1, np.inf, 0.0
        return spike
    return np.nan


@njit(cache=True, error_model="numpy")
def regenerative_times(t, V, rise, accel):
    """Regenerative events of one sampled trace (checked 1-D arrays): their times (ms)."""
    S = np.empty((N_ROWS, 1))
    regen_start(S, 0, 0, V[0])
    out = np.empty(V.size)
    n = 0
    for i in range(1, V.size):
        h = t[i] - t[i - 1]
        slope = (V[i] - V[i - 1]) / h
        spike = regen_update(S, 0, 0, t[i - 1], h, V[i - 1], V[i], slope, slope, slope, rise, accel, False)
        if not math.isnan(spike):
            out[n] = spike
            n += 1
    return out[:n].copy()
