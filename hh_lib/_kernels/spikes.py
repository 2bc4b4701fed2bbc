"""The event state machine of :mod:`hh_lib.core.spikes` and :mod:`hh_lib.core.state_rule`, compiled,
written once for sampled traces and for the F-I kernel (:mod:`hh_lib._kernels.lanes`).

An *event* opens when V rises ``rise`` mV above the trough and closes when V has fallen ``rise``
mV below its peak; it is then classified as an action potential or not:

* the **state rule** (``ratio_min`` a number): g_Na/(g_K + g_L) rose by at least ``ratio_min``
  from its value at the trough to its largest value before the close (the membrane's own Na⁺
  conductance regenerated; a rise, so that the decaying g_Na of the previous spike does not count);
* the **voltage rule** (``ratio_min`` NaN): the upstroke accelerated (dV/dt rose by ``accel`` mV/ms
  above its smallest value since the trough, while V rose) and the amplitude peak - trough is at
  least ``amp`` mV.

The time of an event is its peak, on the cubic Hermite interpolant of each interval (``hermite``:
exact slopes at both ends, from the integrator or from the model's state) or at the highest
sample (refined afterwards by :func:`parabola_vertex` for bare voltage traces).

The state of one trace is a column ``l`` of :data:`N_ROWS` rows of a float array S, from row ``r``
on (row names below). :func:`regen_update` feeds it one interval.
"""

from __future__ import annotations

import math

import numpy as np

from ._numba import CALLED_ONLY, jit_once, njit, prepare, types

# Rows of the state: ARMED (0) or RISING (1); the trough since the last event (mV); the smallest
# slope since the trough (mV/ms); whether the slope rose by >= accel above it; the peak (mV) and
# its time (ms); the largest g_Na/(g_K+g_L) since the trough, and its value at the trough. Then
# the last closed event: its peak time, peak, trough and the rise of the ratio.
STATE, TROUGH, SMIN, ACCEL, PEAK, PEAKT, RMAX, RTR, OUT_T, OUT_V, OUT_TROUGH, OUT_R = range(12)
N_ROWS = 12

#: Return values of :func:`regen_update`.
NOTHING, SPIKE, REJECTED = 0, 1, 2


@njit(error_model="numpy", fastmath={"contract", "arcp", "nsz"}, **CALLED_ONLY)  # called, not inlined: rarely needed
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


@njit(error_model="numpy", **CALLED_ONLY)
def hermite_max(t, h, v0, v1, f0, f1):
    """(time, value) of the maximum of the cubic Hermite interpolant on [t, t+h] whose slope
    falls from f0 > 0 to f1 <= 0: the root of its quadratic derivative in [0, 1]."""
    d0, d1, c = h * f0, h * f1, v0 - v1
    A = 6.0 * c + 3.0 * d0 + 3.0 * d1  # dH/ds = A s² + B s + d0: d0 > 0 at s = 0, d1 <= 0 at s = 1
    B = -6.0 * c - 4.0 * d0 - 2.0 * d1
    s = 1.0  # the first root in [0, 1] is where the slope turns from + to -
    if A == 0.0:
        if B != 0.0:
            s = -d0 / B
    else:
        disc = B * B - 4.0 * A * d0
        if disc >= 0.0:
            q = -0.5 * (B + math.copysign(math.sqrt(disc), B))  # the roots q/A and d0/q, without cancellation
            for root in (q / A, d0 / q if q != 0.0 else 2.0):
                if 0.0 <= root < s:
                    s = root
    s = 0.0 if s < 0.0 else 1.0 if s > 1.0 else s
    s2_, s3_ = s * s, s * s * s
    v = (2.0 * s3_ - 3.0 * s2_ + 1.0) * v0 + (s3_ - 2.0 * s2_ + s) * d0 + (3.0 * s2_ - 2.0 * s3_) * v1 + (s3_ - s2_) * d1
    return t + h * s, v


@njit(inline="always")
def regen_start(S, r, l, v0, ratio0):
    """ARMED, with the trough at the first value v0 (mV) and ratio ``ratio0``."""
    S[r + STATE, l], S[r + TROUGH, l], S[r + SMIN, l], S[r + ACCEL, l] = 0.0, v0, np.inf, 0.0
    S[r + PEAK, l], S[r + PEAKT, l], S[r + RMAX, l], S[r + RTR, l] = v0, np.nan, ratio0, ratio0
    S[r + OUT_T, l], S[r + OUT_V, l], S[r + OUT_TROUGH, l], S[r + OUT_R, l] = np.nan, np.nan, np.nan, np.nan


# Called, not inlined (keeps the lane loops of the F-I kernel small); one signature, so that the
# callers' constants (hermite=True) do not make numba compile it twice.
@jit_once(types.int64(types.float64[:, ::1], types.int64, types.int64, *(types.float64,) * 12, types.boolean),
          cache=True, error_model="numpy")
def regen_update(S, r, l, t, h, v0, v1, f0, f1, slope, ratio, rise, accel, amp, ratio_min, hermite):
    """Feed the interval [t, t+h] (V from v0 to v1 mV; slopes f0, f1 at its ends for the Hermite
    interpolant; ``slope`` for the acceleration test; ``ratio`` = g_Na/(g_K+g_L) at its end) into
    the state of trace l. Returns SPIKE or REJECTED when this interval closes an event (its peak
    time, peak, trough and the rise of the ratio are then in rows OUT_*), else NOTHING."""
    if ratio > S[r + RMAX, l]:
        S[r + RMAX, l] = ratio
    armed = S[r + STATE, l] == 0.0
    if armed and v1 < S[r + TROUGH, l]:  # a new trough
        S[r + TROUGH, l], S[r + SMIN, l], S[r + ACCEL, l], S[r + RMAX, l] = v1, np.inf, 0.0, ratio
        S[r + RTR, l] = ratio
        return NOTHING
    rising = armed or v1 > S[r + PEAK, l]
    if rising:  # the acceleration test: the slope rose by accel above its smallest value since the trough
        if slope < S[r + SMIN, l]:
            S[r + SMIN, l] = slope
        if slope - S[r + SMIN, l] >= accel:
            S[r + ACCEL, l] = 1.0
    if armed:
        if v1 < S[r + TROUGH, l] + rise:
            return NOTHING
        S[r + STATE, l], S[r + PEAK, l], S[r + PEAKT, l] = 1.0, v1, t + h  # an event opens
    # the peak: the highest point of the interval (the Hermite maximum where the slope turns)
    if v1 > S[r + PEAK, l]:
        S[r + PEAK, l], S[r + PEAKT, l] = v1, t + h
    if hermite and f0 > 0.0 and f1 <= 0.0:
        tp, vp = hermite_max(t, h, v0, v1, f0, f1)
        if vp > S[r + PEAK, l]:
            S[r + PEAK, l], S[r + PEAKT, l] = vp, tp
    if not rising and v1 <= S[r + PEAK, l] - rise:  # the event closes
        trough, rise_na = S[r + TROUGH, l], S[r + RMAX, l] - S[r + RTR, l]
        if ratio_min == ratio_min:
            spike = rise_na >= ratio_min
        else:
            spike = S[r + ACCEL, l] > 0.0 and S[r + PEAK, l] - trough >= amp
        S[r + OUT_T, l], S[r + OUT_V, l], S[r + OUT_TROUGH, l], S[r + OUT_R, l] = S[r + PEAKT, l], S[r + PEAK, l], trough, rise_na
        S[r + STATE, l], S[r + TROUGH, l], S[r + SMIN, l], S[r + ACCEL, l], S[r + RMAX, l] = 0.0, v1, np.inf, 0.0, ratio
        S[r + RTR, l] = ratio
        return SPIKE if spike else REJECTED
    return NOTHING


@njit(error_model="numpy", **CALLED_ONLY)
def parabola_vertex(t0, t1, t2, v0, v1, v2):
    """(time, value) of the vertex of the parabola through three samples, v1 the highest."""
    a, b = t1 - t0, t1 - t2
    den = a * (v1 - v2) - b * (v1 - v0)
    if den == 0.0:
        return t1, v1
    ts = t1 - 0.5 * (a * a * (v1 - v2) - b * b * (v1 - v0)) / den
    # The parabola through the three points, evaluated at ts (Lagrange form).
    v = (v0 * (ts - t1) * (ts - t2) / ((t0 - t1) * (t0 - t2)) + v1 * (ts - t0) * (ts - t2) / ((t1 - t0) * (t1 - t2))
         + v2 * (ts - t0) * (ts - t1) / ((t2 - t0) * (t2 - t1)))
    return ts, v


def trace_events(t, V, F0, F1, R, rise, accel, amp, ratio_min):
    """Closed events of one sampled trace: see :func:`_trace_events` (compiled)."""
    prepare(regen_update)
    return _trace_events(t, V, F0, F1, R, rise, accel, amp, ratio_min)


@njit(cache=True, error_model="numpy")
def _trace_events(t, V, F0, F1, R, rise, accel, amp, ratio_min):
    """Closed events of one sampled trace (checked 1-D arrays t, V).

    ``F0[i]``, ``F1[i]``: exact dV/dt (mV/ms) at the start and end of interval i (length
    V.size - 1), or empty arrays for a bare voltage trace (slopes of the intervals; peaks refined
    on the parabola through the highest sample and its neighbours). ``R``: g_Na/(g_K+g_L) at each
    sample, or an empty array (then ``ratio_min`` must be NaN: the voltage rule).

    Returns an (n_events, 5) array: peak time (ms), peak (mV), trough (mV), rise of the ratio
    from the trough to its largest value (NaN without R), 1.0 for an action potential else 0.0.
    """
    hermite = F0.size > 0
    with_ratio = R.size > 0
    S = np.empty((N_ROWS, 1))
    regen_start(S, 0, 0, V[0], R[0] if with_ratio else np.nan)
    out = np.empty((V.size // 2 + 1, 5))
    n = 0
    for i in range(1, V.size):
        h = t[i] - t[i - 1]
        slope = (V[i] - V[i - 1]) / h
        f0, f1 = (F0[i - 1], F1[i - 1]) if hermite else (slope, slope)
        ratio = R[i] if with_ratio else np.nan
        code = regen_update(S, 0, 0, t[i - 1], h, V[i - 1], V[i], f0, f1, slope, ratio, rise, accel, amp,
                            ratio_min, hermite)
        if code == NOTHING:
            continue
        tp, vp = S[OUT_T, 0], S[OUT_V, 0]
        if not hermite:  # the peak is a sample: refine it on the parabola through its neighbours
            k = np.searchsorted(t, tp)
            if 0 < k < i:
                tp, vp = parabola_vertex(t[k - 1], t[k], t[k + 1], V[k - 1], V[k], V[k + 1])
        out[n, 0], out[n, 1], out[n, 2], out[n, 3] = tp, vp, S[OUT_TROUGH, 0], S[OUT_R, 0]
        out[n, 4] = 1.0 if code == SPIKE else 0.0
        n += 1
    return out[:n].copy()
