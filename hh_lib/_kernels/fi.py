"""The F-I kernel behind :func:`hh_lib.fi_curve`: spike counts in a window, built for throughput.

Spikes are either action potentials by the course's state rule (:mod:`hh_lib._kernels.spikes`,
fed with V, the exact dV/dt and g_Na/(g_K+g_L) at every accepted step, dated at their peak; an
event still open at the end of the window is followed for at most ``resolve`` ms more) or upward
crossings of a fixed threshold. Both are located on the cubic Hermite interpolant of the step.

The driver is written once for every model (:class:`hh_lib.core.model.ModelSpec`): the state
rule reads the model's own regeneration measure (``LANE_REGEN``; for HH g_Na/(g_K+g_L)), and
:func:`hh_lib._kernels.model.specialize` compiles it per model.

Its steps are not tied to any grid. Each thread advances several membranes ("lanes", one
current each) in lock step with the Dormand-Prince pair of :mod:`hh_lib._kernels.dopri`,
every lane with its own time and step size, so that the right-hand side is evaluated for 4
lanes per AVX2 instruction. A lane that finishes its current takes the next one from a list
shared by the threads; when the list is empty, the last lane moves into its place.
"""

from __future__ import annotations

import numpy as np

from ..core.model import ModelSpec
from . import dopri as dp
from . import spikes as rg
from ._numba import jit_once, prepare, types
from .intrinsics import take_next
from .model import DP_CONTROL, DP_STAGES, LANE_REGEN, N, PACK, entry, specialize

BY_STATE = True  # bound per variant by specialize: count action potentials (True) or threshold crossings
from .threads import n_threads, run_parallel

#: Membranes advanced together by one thread (two AVX2 vectors).
LANES = 8

# Rows of the workspace after the Dormand-Prince ones (which start at row 0, for n state variables):
# first and last spike time, where the lane stops (ms), then the state of the event detector
# (hh_lib._kernels.spikes); the integer rows (spike count, attempted steps, index of the current)
# are a second array.
FIRST, LAST, STOP, RG = 0, 1, 2, 3  # offsets from dp.n_dp_rows(n)
CNT, NA, SLOT = 0, 1, 2
N_INT_ROWS = 3


def n_float_rows(n: int) -> int:
    """Rows of the float workspace for n state variables."""
    return 9 * n + dp.N_SCALAR_ROWS + RG + rg.N_ROWS


# Called when a lane finishes a current (rarely): not inlined, compiled once for one signature.
_ROWS, _IROWS, _ROW, _IROW, _I, _F = (types.float64[:, ::1], types.int64[:, ::1], types.float64[::1], types.int64[::1],
                                      types.int64, types.float64)


@jit_once(types.boolean(_ROWS, _IROWS, _I, _ROW, _ROW, _IROW, _IROW, _F, _F, _F, _I, types.boolean, _IROW, _ROWS,
                        _IROW), cache=True, error_model="numpy")
def _next_lane(W, Wi, l, y0, currents, todo, taken, h0, t_end, ratio0, o, finish, counts, times, attempts):
    """Write out the result of lane l if ``finish`` (its count, unless already marked -1 for a
    failure), then start the next current of the shared list there (o: the first row after the
    Dormand-Prince ones; ratio0: the regeneration measure at y0); False when the list is empty."""
    if finish:
        slot = Wi[SLOT, l]
        attempts[slot] = Wi[NA, l]
        if counts[slot] >= 0:
            counts[slot] = Wi[CNT, l]
            if Wi[CNT, l] > 0:
                times[slot, 0], times[slot, 1] = W[o + FIRST, l], W[o + LAST, l]
    nxt = take_next(taken)
    if nxt >= todo.shape[0]:
        return False
    j = todo[nxt]
    dp.dp_start(W, l, y0, currents[j], h0)
    rg.regen_start(W, o + RG, l, y0[0], ratio0)  # the state is rows 0..n-1 of W
    W[o + STOP, l] = t_end
    Wi[SLOT, l], Wi[CNT, l], Wi[NA, l] = j, 0, 0
    return True


def _count_lanes(y0, currents, todo, taken, lanes, t_end, t_start, threshold, rise, ratio_min, resolve, p, rtol, atol,
                 h_max, beta, counts, times, attempts, W, Wi):
    """Spike counts in [t_start, t_end) for the currents ``currents[todo]``, written to ``counts``
    (-1 marks a step-size underflow), the first and last spike (peak) times in the window to
    ``times`` and the number of attempted steps to ``attempts``; up to ``lanes`` (<= LANES)
    membranes in lock step. Spikes: action potentials by the state rule (``ratio_min``) if
    BY_STATE (bound per variant: numba prunes the other branch, so each variant compiles only its own
    rule), else the upward crossings of ``threshold``. A lane stops at STOP: t_end, or up to
    t_end + resolve while an event that opened before t_end waits for its fall. W (float) and Wi
    (int64) are workspaces of LANES columns. A template (:func:`hh_lib._kernels.model.specialize`)."""
    P = PACK(p)
    o = dp.n_dp_rows(N)
    n_rows = o + RG + rg.N_ROWS
    Ys, Xs, Ks, Ts, Hs, HSs, ACCs, ACCBs, EOLDs, CURs = dp.lane_rows(W, N)
    STOPs = W[o + STOP]
    h0 = 0.01 if h_max > 0.01 else h_max
    L = 0  # lanes in use
    for i in range(N):
        W[i, 0] = y0[i]
    ratio0 = LANE_REGEN(W, 0, P)  # the same for every lane: each starts at y0
    while L < lanes and _next_lane(W, Wi, L, y0, currents, todo, taken, h0, t_end, ratio0, o, False, counts, times,
                                   attempts):
        L += 1
    first = 0  # some lane starts a current: its f(y) (stage 1) is still to be computed
    while L > 0:
        for l in range(L):
            h = Hs[l] if Hs[l] < h_max else h_max
            rest = STOPs[l] - Ts[l]
            HSs[l] = h if h < rest else rest
        # Stage 1 for all lanes when one has just started; for the others f(y) is then
        # recomputed, bit for bit the same.
        DP_STAGES(Ys, Xs, Ks, HSs, CURs, L, P, first)
        DP_CONTROL(Ys, Xs, Ks, Hs, HSs, ACCs, ACCBs, EOLDs, L, rtol, atol, beta)
        first = 1
        l = 0
        while l < L:  # bookkeeping, lane by lane (written out: helpers here cost 15 % of the time)
            Wi[NA, l] += 1
            done = False
            if ACCs[l] > 0.0:
                h, t, v0, v1, f0, f1 = HSs[l], Ts[l], Ys[0, l], Xs[0, l], Ks[0, l], Ks[6 * N, l]
                if BY_STATE:
                    ratio = LANE_REGEN(Xs, l, P)
                    code = rg.regen_update(W, o + RG, l, t, h, v0, v1, f0, f1, f1, ratio, rise, 0.0, 0.0, ratio_min,
                                           True)
                    tc = W[o + RG + rg.OUT_T, l] if code == rg.SPIKE else np.nan
                elif v0 < threshold <= v1:
                    tc = rg.crossing_time(t, h, v0, v1, f0, f1, threshold)
                else:
                    tc = np.nan
                if t_start <= tc < t_end:
                    if Wi[CNT, l] == 0:
                        W[o + FIRST, l] = tc
                    W[o + LAST, l] = tc
                    Wi[CNT, l] += 1
                Ts[l] = STOPs[l] if h >= STOPs[l] - t else t + h  # the step was clipped to STOP
                dp.dp_accept(Ys, Xs, Ks, l)
                pending = BY_STATE and W[o + RG + rg.STATE, l] > 0.0  # an open event: follow it
                STOPs[l] = t_end + resolve if pending else t_end
                done = Ts[l] >= STOPs[l]
            elif Hs[l] < dp.H_MIN or Ts[l] + Hs[l] == Ts[l]:
                counts[Wi[SLOT, l]] = -1
                done = True
            if not done:
                l += 1
                continue
            if _next_lane(W, Wi, l, y0, currents, todo, taken, h0, t_end, ratio0, o, True, counts, times, attempts):
                first = 0
                l += 1
            else:  # nothing left: the last lane moves here, its step not yet booked
                L -= 1
                if l < L:
                    for row in range(n_rows):
                        W[row, l] = W[row, L]
                    for row in range(N_INT_ROWS):
                        Wi[row, l] = Wi[row, L]


def count_spikes(spec: ModelSpec, y0, currents, t_end, t_start, threshold, p, rtol, atol, h_max, beta=dp.PI_BETA,
                 rise=20.0, ratio_min=0.5, resolve=50.0):
    """Spike counts of the model ``spec`` in [t_start, t_end) ms for each constant current (µA/cm²; -1 marks a failure),
    a (B, 2) array of the first and last spike time in the window (NaN without spikes) and the
    number of attempted steps per current (6 evaluations of the right-hand side each).

    ``threshold`` None counts action potentials by the state rule (events of ``rise`` mV in which
    the model's regeneration measure (HH: g_Na/(g_K+g_L)) rises by at least ``ratio_min`` from its
    value at the trough; dated at their
    peak; an event open at t_end is followed for at most ``resolve`` ms); a number counts its
    upward crossings (mV).
    ``atol`` is one number or one per state variable (V in mV, then the gates); ``beta`` is the PI parameter of the
    step-size control (0: integral control). The threads take the currents from one shared list,
    in order of decreasing current (the costly ones, which fire most, first), so that they finish
    together.
    """
    entry(spec)
    prepare(_next_lane, *((rg.regen_update,) if threshold is None else ()))
    by_state = threshold is None
    kernel = specialize(_count_lanes, spec, "state" if by_state else "crossings", BY_STATE=by_state)
    n = spec.n_states
    currents = np.ascontiguousarray(currents, dtype=np.float64).reshape(-1)
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), (n,)).copy()
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
    level = np.nan if threshold is None else float(threshold)
    args = (float(t_end), float(t_start), level, float(rise), float(ratio_min), float(resolve))
    args += (p, float(rtol), atol, float(h_max), float(beta))
    args += (counts, times, attempts)

    def work(w):
        W = np.empty((n_float_rows(n), LANES))
        Wi = np.empty((N_INT_ROWS, LANES), dtype=np.int64)
        kernel(y0, currents, todo, taken, lanes, *args, W, Wi)

    run_parallel(work, n_workers)
    return counts, times, attempts
