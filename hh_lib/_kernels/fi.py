"""The F-I kernel behind :func:`hh_lib.fi_curve`: spike counts in a window, built for throughput.

Its steps are not tied to any grid. Each thread advances several membranes ("lanes", one
current each) in lock step with the Dormand-Prince pair of :mod:`hh_lib._kernels.dopri`,
every lane with its own time and step size, so that the right-hand side is evaluated for 4
lanes per AVX2 instruction. A lane that finishes its current takes the next one from a list
shared by the threads; when the list is empty, the last lane moves into its place.
"""

from __future__ import annotations

import numpy as np

from . import dopri as dp
from ._numba import njit
from .hh import INLINE, params_tuple
from .intrinsics import take_next
from .threads import n_threads, run_parallel

#: Membranes advanced together by one thread (two AVX2 vectors).
LANES = 8

# Rows of the workspace after the Dormand-Prince ones: first and last spike time, then the
# integer rows (spike count, attempted steps, index of the current) in a second array.
FIRST, LAST = dp.N_DP_ROWS, dp.N_DP_ROWS + 1
N_FLOAT_ROWS = dp.N_DP_ROWS + 2
CNT, NA, SLOT = 0, 1, 2
N_INT_ROWS = 3


@njit(error_model="numpy", fastmath=dp.FASTMATH)  # called, not inlined: rarely needed
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


@njit(**INLINE)
def _take_lane(W, Wi, l, y0, currents, todo, taken, h0):
    """Start the next current of the shared list in lane l; False when the list is empty."""
    nxt = take_next(taken)
    if nxt >= todo.shape[0]:
        return False
    j = todo[nxt]
    dp.dp_start(W, l, y0, currents[j], h0)
    Wi[SLOT, l], Wi[CNT, l], Wi[NA, l] = j, 0, 0
    return True


@njit(**INLINE)
def _book_step(W, Wi, l, t_start, t_end, threshold):
    """Count a spike in the accepted step of lane l and advance it; True when it reached t_end."""
    h = W[dp.HS, l]
    v0, v1 = W[dp.Y, l], W[dp.X, l]
    if v0 < threshold <= v1:
        tc = crossing_time(W[dp.T, l], h, v0, v1, W[dp.K, l], W[dp.K + 24, l], threshold)
        if t_start <= tc < t_end:
            if Wi[CNT, l] == 0:
                W[FIRST, l] = tc
            W[LAST, l] = tc
            Wi[CNT, l] += 1
    t = W[dp.T, l]
    W[dp.T, l] = t_end if h >= t_end - t else t + h
    dp.dp_accept(W, l)
    return W[dp.T, l] >= t_end


@njit(**INLINE)
def _finish(W, Wi, l, failed, counts, times, attempts):
    """Write out the result of lane l (count -1 for a step-size underflow)."""
    slot = Wi[SLOT, l]
    counts[slot] = -1 if failed else Wi[CNT, l]
    attempts[slot] = Wi[NA, l]
    if not failed and Wi[CNT, l] > 0:
        times[slot, 0], times[slot, 1] = W[FIRST, l], W[LAST, l]


@njit(**dp.JIT)
def _count_lanes(y0, currents, todo, taken, lanes, t_end, t_start, threshold, p, rtol, atol, h_max, beta,
                 counts, times, attempts, W, Wi):
    """Spike counts in [t_start, t_end) for the currents ``currents[todo]``, written to ``counts``
    (-1 marks a step-size underflow), the first and last spike times in the window to ``times``
    and the number of attempted steps to ``attempts``; up to ``lanes`` (<= LANES) membranes in
    lock step. W (float) and Wi (int64) are workspaces of LANES columns."""
    P = params_tuple(p)
    h0 = 0.01 if h_max > 0.01 else h_max
    L = 0  # lanes in use
    while L < lanes and _take_lane(W, Wi, L, y0, currents, todo, taken, h0):
        L += 1
    first = 0  # some lane starts a current: its f(y) (stage 1) is still to be computed
    while L > 0:
        for l in range(L):
            h = W[dp.H, l] if W[dp.H, l] < h_max else h_max
            rest = t_end - W[dp.T, l]
            W[dp.HS, l] = h if h < rest else rest
        # Stage 1 for all lanes when one has just started; for the others f(y) is then
        # recomputed, bit for bit the same.
        dp.dp_stages(W, L, P, first)
        dp.dp_control(W, L, rtol, atol, beta)
        first = 1
        l = 0
        while l < L:  # bookkeeping, lane by lane
            Wi[NA, l] += 1
            failed = W[dp.ACC, l] == 0.0 and (W[dp.H, l] < dp.H_MIN or W[dp.T, l] + W[dp.H, l] == W[dp.T, l])
            if not failed and not (W[dp.ACC, l] > 0.0 and _book_step(W, Wi, l, t_start, t_end, threshold)):
                l += 1
                continue
            _finish(W, Wi, l, failed, counts, times, attempts)
            if _take_lane(W, Wi, l, y0, currents, todo, taken, h0):
                first = 0
                l += 1
            else:  # nothing left: the last lane moves here, its step not yet booked
                L -= 1
                if l < L:
                    W[:, l] = W[:, L]
                    Wi[:, l] = Wi[:, L]


def count_spikes(y0, currents, t_end, t_start, threshold, p, rtol, atol, h_max, beta=dp.PI_BETA):
    """Spike counts in [t_start, t_end) ms for each constant current (µA/cm²; -1 marks a failure),
    a (B, 2) array of the first and last spike time in the window (NaN without spikes) and the
    number of attempted steps per current (6 evaluations of the right-hand side each).

    ``atol`` is one number or four (V in mV, then m, h, n); ``beta`` is the PI parameter of the
    step-size control (0: integral control). The threads take the currents from one shared list,
    in order of decreasing current (the costly ones, which fire most, first), so that they finish
    together.
    """
    currents = np.ascontiguousarray(currents, dtype=np.float64).reshape(-1)
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), (4,)).copy()
    B = currents.size
    counts = np.zeros(B, dtype=np.int64)
    times = np.full((B, 2), np.nan)
    attempts = np.zeros(B, dtype=np.int64)
    if B == 0:
        return counts, times, attempts
    todo = np.argsort(-currents, kind="stable")  # costly (high, firing) currents first
    taken = np.zeros(1, dtype=np.int64)
    n_workers = max(1, min(n_threads(), B))
    lanes = min(LANES, -(-B // n_workers))  # a small batch is shared between the threads
    args = (float(t_end), float(t_start), float(threshold), p, float(rtol), atol, float(h_max), float(beta))
    args += (counts, times, attempts)

    def work(w):
        W = np.empty((N_FLOAT_ROWS, LANES))
        Wi = np.empty((N_INT_ROWS, LANES), dtype=np.int64)
        _count_lanes(y0, currents, todo, taken, lanes, *args, W, Wi)

    run_parallel(work, n_workers)
    return counts, times, attempts
