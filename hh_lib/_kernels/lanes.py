"""The adaptive driver behind ``simulate`` (method dopri5) and :func:`hh_lib.fi_curve`, written once.

Each thread advances several membranes ("lanes", one job each) in lock step with the
Dormand-Prince pair of :mod:`hh_lib._kernels.dopri`, every lane with its own time and step size,
so that the right-hand side is evaluated for 4 lanes per AVX2 instruction. A lane that finishes
its job takes the next one from a list shared by the threads; when the list is empty, the last
lane moves into its place. A job is one of two kinds, chosen per call:

* **a trace on a grid** (``record``): the state at every t = k·dt, k = 0..n_steps, each step ending
  exactly on the grid where it would cross it; the current is held over each grid interval (one
  column of the current table per interval, or one for all). A step clipped to the grid does not
  shrink the step that the controller proposed.
* **a spike count** in [t_start, t_end): action potentials by the course's state rule
  (:mod:`hh_lib._kernels.spikes`, fed with V, the exact dV/dt and the model's regeneration measure
  at every accepted step, dated at their peak; an event still open at t_end is followed for at most
  ``resolve`` ms more) or upward crossings of a fixed threshold, both located on the cubic Hermite
  interpolant of the step. Its steps are not tied to any grid.

One kernel for both, so that a student's first ``simulate`` and first ``fi_curve`` compile it once.
The driver is written for any model (:class:`hh_lib.core.model.ModelSpec`): the state rule reads
the model's own regeneration measure (``LANE_REGEN``; for HH g_Na/(g_K+g_L)), and
:func:`hh_lib._kernels.model.specialize` compiles it per model and per counting rule.
"""

from __future__ import annotations

import numpy as np

from ..core.model import ModelSpec
from . import dopri as dp
from . import spikes as rg
from ._numba import jit_once, prepare, types
from .intrinsics import take_next
from .model import DP_ATTEMPT, LANE_REGEN, N, PACK, entry, specialize
from .threads import n_threads, run_parallel

BY_STATE = True  # bound per variant by specialize: count action potentials (True) or threshold crossings

#: Membranes advanced together by one thread (two AVX2 vectors).
LANES = 8

# Rows of the workspace after the Dormand-Prince ones (which start at row 0, for n state variables):
# first and last spike time, where the lane stops (ms: the next grid time, or t_end), the free step
# before a step was clipped to the stop (0: not clipped), then the state of the event detector
# (hh_lib._kernels.spikes); the integer rows (spike count, attempted steps, the job, grid intervals
# done) are a second array.
FIRST, LAST, STOP, FREE, RG = 0, 1, 2, 3, 4  # offsets from dp.n_dp_rows(n)
CNT, NA, SLOT, K = 0, 1, 2, 3
N_INT_ROWS = 4

#: Written to ``codes`` for a job whose step size underflowed.
FAILED = -1


def n_float_rows(n: int) -> int:
    """Rows of the float workspace for n state variables."""
    return 9 * n + dp.N_SCALAR_ROWS + RG + rg.N_ROWS


# Called when a lane finishes a job (rarely): not inlined, compiled once for one signature.
_ROWS, _IROWS, _ROW, _IROW, _I, _F, _B = (types.float64[:, ::1], types.int64[:, ::1], types.float64[::1],
                                          types.int64[::1], types.int64, types.float64, types.boolean)


#: What :func:`_next_lane` did: nothing left to start; started a new job or changed the current (stage 1
#: is to be computed again).
NONE, NEW = 0, 1


@jit_once(_I(_ROWS, _IROWS, _I, _ROW, _ROWS, _IROW, _IROW, _F, _F, _F, _I, _B, _B, _I, _F, types.float64[:, :, ::1],
             _IROW, _ROWS, _IROW), cache=True, error_model="numpy")
def _next_lane(W, Wi, l, y0, I_table, todo, taken, h0, stop, ratio0, o, finish, record, n_steps, dt, states, codes,
               times, attempts):
    """Lane l has reached its stop (if ``finish``): a trace that is not done sets the current of its next
    grid interval (NEW); a finished job writes its spike count and times (unless FAILED). Then the
    next job of the shared list starts there (NEW; o: the first row after the Dormand-Prince ones;
    ratio0: the regeneration measure at y0; stop: the first grid time or t_end), or NONE when the list
    is empty."""
    n = y0.shape[0]
    if finish:
        slot = Wi[SLOT, l]
        k = Wi[K, l]
        if record and codes[slot] != FAILED and k < n_steps:  # the current of the next grid interval
            W[9 * n + dp.CUR, l] = I_table[slot, k]
            return NEW
        attempts[slot] = Wi[NA, l]
        if codes[slot] != FAILED and not record:
            codes[slot] = Wi[CNT, l]
            if Wi[CNT, l] > 0:
                times[slot, 0], times[slot, 1] = W[o + FIRST, l], W[o + LAST, l]
    nxt = take_next(taken)
    if nxt >= todo.shape[0]:
        return NONE
    j = todo[nxt]
    dp.dp_start(W, l, y0, I_table[j, 0], h0)
    rg.regen_start(W, o + RG, l, y0[0], ratio0)  # the state is rows 0..n-1 of W
    W[o + STOP, l] = stop
    Wi[SLOT, l], Wi[CNT, l], Wi[NA, l], Wi[K, l] = j, 0, 0, 0
    if record:
        for i in range(n):
            states[i, j, 0] = y0[i]
    return NEW


def _run_lanes(y0, I_table, todo, taken, lanes, record, dt, n_steps, t_end, t_start, threshold, rise, ratio_min,
               resolve, ratio0, p, rtol, atol, h_max, beta, states, codes, times, attempts, W, Wi):
    """The jobs ``todo`` (rows of ``I_table``), up to ``lanes`` (<= LANES) membranes in lock step from y0
    (see the module's text): traces into ``states[:, job, k]`` if ``record``, else spike counts into
    ``codes`` and times into ``times``. A template (:func:`hh_lib._kernels.model.specialize`)."""
    P = PACK(p)
    o = dp.n_dp_rows(N)
    n_rows = o + RG + rg.N_ROWS
    Ys, Xs, Ks, Ts, Hs, HSs, ACCs, ACCBs, EOLDs, CURs = dp.lane_rows(W, N)
    STOPs, FREEs = W[o + STOP], W[o + FREE]
    h0, stop0, L = (0.01 if h_max > 0.01 else h_max), (dt if record else t_end), 0  # L: lanes in use
    while L < lanes and _next_lane(W, Wi, L, y0, I_table, todo, taken, h0, stop0, ratio0, o, False, record, n_steps,
                                   dt, states, codes, times, attempts) != NONE:
        L += 1
    first = 0  # stage 1, f(y), is still to be computed for some lane (a new job, a new current)
    while L > 0:
        for l in range(L):
            h = Hs[l] if Hs[l] < h_max else h_max
            rest = STOPs[l] - Ts[l]
            clip = h >= rest * (1.0 - 1e-12)  # this step ends on the stop
            HSs[l] = rest if clip else h
            FREEs[l] = h if clip else 0.0
        if L == 1:  # a constant: LLVM then folds the lane loops (a single trace runs 1.5x faster)
            DP_ATTEMPT(Ys, Xs, Ks, Hs, HSs, ACCs, ACCBs, EOLDs, CURs, 1, P, first, rtol, atol, beta)
        else:  # first = 0: f(y) recomputed for all lanes, bit for bit the same for the others
            DP_ATTEMPT(Ys, Xs, Ks, Hs, HSs, ACCs, ACCBs, EOLDs, CURs, L, P, first, rtol, atol, beta)
        first = 1
        l = 0
        while l < L:  # bookkeeping, lane by lane (written out: helpers here cost 15 % of the time)
            Wi[NA, l] += 1
            done = False
            if ACCs[l] > 0.0:
                h, t, v0, v1, f0, f1 = HSs[l], Ts[l], Ys[0, l], Xs[0, l], Ks[0, l], Ks[6 * N, l]
                tc = np.nan  # a spike to count in this step (record: none; threshold is NaN)
                if BY_STATE:  # (a constant: numba compiles one branch)
                    if not record:
                        code = rg.regen_update(W, o + RG, l, t, h, v0, v1, f0, f1, f1, LANE_REGEN(Xs, l, P), rise, 0.0,
                                               0.0, ratio_min, True)
                        tc = W[o + RG + rg.OUT_T, l] if code == rg.SPIKE else tc
                elif v0 < threshold <= v1:
                    tc = rg.crossing_time(t, h, v0, v1, f0, f1, threshold)
                if t_start <= tc < t_end:
                    if Wi[CNT, l] == 0:
                        W[o + FIRST, l] = tc
                    W[o + LAST, l] = tc
                    Wi[CNT, l] += 1
                dp.dp_accept(Ys, Xs, Ks, l)
                free = FREEs[l]  # > 0: the step ended on the stop
                Ts[l] = STOPs[l] if free > 0.0 else t + h
                if h < free:  # a step clipped to the stop does not shrink the next one
                    Hs[l] = free
                if record:
                    if free > 0.0:  # a grid time: record the state (the next job or current: _next_lane)
                        k = Wi[K, l] + 1
                        Wi[K, l] = k
                        for i in range(N):
                            states[i, Wi[SLOT, l], k] = Ys[i, l]
                        STOPs[l] = (k + 1) * dt
                        done = k == n_steps or I_table.shape[1] > 1
                else:
                    pending = BY_STATE and W[o + RG + rg.STATE, l] > 0.0  # an open event: follow it
                    STOPs[l] = t_end + resolve if pending else t_end
                    done = Ts[l] >= STOPs[l]
            elif Hs[l] < dp.H_MIN or Ts[l] + Hs[l] == Ts[l]:
                codes[Wi[SLOT, l]] = FAILED
                done = True
            if not done:
                l += 1
            elif _next_lane(W, Wi, l, y0, I_table, todo, taken, h0, stop0, ratio0, o, True, record, n_steps, dt, states,
                            codes, times, attempts) != NONE:
                first = 0
                l += 1
            else:  # nothing left: the last lane moves here, its step not yet booked
                L -= 1
                if l < L:
                    for row in range(n_rows):
                        W[row, l] = W[row, L]
                    for row in range(N_INT_ROWS):
                        Wi[row, l] = Wi[row, L]


def _launch(spec: ModelSpec, rule: str, y0, I_table, order, record, dt, n_steps, t_end, t_start, threshold, rise,
            ratio_min, resolve, p, rtol, atol, h_max, beta, states):
    """Run the jobs (rows of I_table, in the given order) on the threads; returns (codes, times, attempts)."""
    entry(spec)
    prepare(_next_lane, *((rg.regen_update,) if rule == "state" else ()))
    kernel = specialize(_run_lanes, spec, rule, BY_STATE=rule == "state")
    n = spec.n_states
    B = I_table.shape[0]
    codes = np.zeros(B, dtype=np.int64)
    times = np.full((B, 2), np.nan)
    attempts = np.zeros(B, dtype=np.int64)
    if B == 0:
        return codes, times, attempts
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    I_table = np.ascontiguousarray(I_table, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), (n,)).copy()
    taken = np.zeros(1, dtype=np.int64)
    n_workers = max(1, min(n_threads(), B))
    lanes = min(LANES, -(-B // n_workers))  # a small batch is shared between the threads
    ratio0 = np.nan  # the regeneration measure at y0: only the state rule's count reads it
    if rule == "state" and not record and spec.regen is not None:
        ratio0 = float(spec.regen(*y0[list(spec.regen_states)], tuple(p)))
    args = (bool(record), float(dt), int(n_steps), float(t_end), float(t_start), float(threshold), float(rise),
            float(ratio_min), float(resolve), ratio0, p, float(rtol), atol, float(h_max), float(beta), states, codes, times,
            attempts)

    def work(w):
        W = np.empty((n_float_rows(n), LANES))
        Wi = np.empty((N_INT_ROWS, LANES), dtype=np.int64)
        kernel(y0, I_table, order, taken, lanes, *args, W, Wi)

    run_parallel(work, n_workers)
    return codes, times, attempts


def integrate_lanes(spec: ModelSpec, y0, I_table, dt, n_steps, p, rtol, atol):
    """The dopri5 traces of a batch on the grid t = k·dt (see :func:`hh_lib._kernels.grid.integrate_grid`):
    ``(states (n, B, n_steps + 1), status (B,))``, status 0 or :data:`hh_lib._kernels.dopri.STEP_UNDERFLOW`.
    Compiles the same kernel as the F-I curve's (rule "state"), which then does not count."""
    B = I_table.shape[0]
    states = np.empty((spec.n_states, B, n_steps + 1))
    codes, _, _ = _launch(spec, "state", y0, I_table, np.arange(B, dtype=np.int64), True, dt, n_steps, n_steps * dt,
                          0.0, np.nan, 20.0, 0.5, 0.0, p, rtol, atol, np.inf, dp.PI_BETA, states)
    return states, np.where(codes == FAILED, dp.STEP_UNDERFLOW, dp.OK)


def count_spikes(spec: ModelSpec, y0, currents, t_end, t_start, threshold, p, rtol, atol, h_max, beta=dp.PI_BETA,
                 rise=20.0, ratio_min=0.5, resolve=50.0):
    """Spike counts of the model ``spec`` in [t_start, t_end) ms for each constant current (µA/cm²; -1 marks a failure),
    a (B, 2) array of the first and last spike time in the window (NaN without spikes) and the
    number of attempted steps per current (6 evaluations of the right-hand side each).

    ``threshold`` None counts action potentials by the state rule (events of ``rise`` mV in which
    the model's regeneration measure (HH: g_Na/(g_K+g_L)) rises by at least ``ratio_min`` from its
    value at the trough; dated at their peak; an event open at t_end is followed for at most
    ``resolve`` ms); a number counts its upward crossings (mV).
    ``atol`` is one number or one per state variable (V in mV, then the gates); ``beta`` is the PI parameter of the
    step-size control (0: integral control). The threads take the currents from one shared list,
    in order of decreasing current (the costly ones, which fire most, first), so that they finish
    together.
    """
    currents = np.ascontiguousarray(currents, dtype=np.float64).reshape(-1)
    order = np.argsort(-currents, kind="stable")  # costly (high, firing) currents first
    rule = "state" if threshold is None else "crossings"
    level = np.nan if threshold is None else float(threshold)
    no_states = np.empty((spec.n_states, 0, 0))
    return _launch(spec, rule, y0, currents.reshape(-1, 1), order, False, t_end, 0, t_end, t_start, level, rise,
                   ratio_min, resolve, p, rtol, atol, h_max, beta, no_states)
