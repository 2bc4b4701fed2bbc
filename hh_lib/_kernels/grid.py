"""The grid driver behind ``simulate``: the state on a uniform time grid, for any model.

The injected current is held constant over each grid interval and every step ends on
the grid. Methods: 0 = adaptive Dormand-Prince 5(4) (:mod:`hh_lib._kernels.dopri`, one lane),
1 = classical RK4 with the fixed step dt (:mod:`hh_lib._kernels.rk4`), 2 = the model's exponential
Euler step (for HH, Dayan & Abbott's scheme: each variable relaxes exponentially towards its
instantaneous steady state over dt; :func:`hh_lib.hh.equations.exponential_euler_step`). Each method
is its own kernel, compiled only when first used. A batch is split between threads, one serial
loop per trajectory.
"""

from __future__ import annotations

import numpy as np

from ..core.model import ModelSpec
from . import dopri as dp
from .model import DP_CONTROL, DP_STAGES, LOAD, N, PACK, STEP, STORE, entry, specialize
from .threads import n_threads, run_parallel

METHODS = ("dopri5", "rk4", "exponential_euler")


def _dopri_batch(y0, I_table, dt, n_steps, p, rtol, atol, states, status, W, first, last):
    """Template (see :func:`hh_lib._kernels.model.specialize`): trajectories first..last-1 with
    Dormand-Prince on one lane of W (this thread's workspace), every grid time reached exactly; a
    step clipped to the grid does not shrink the step the controller proposes. Writes a status
    per trajectory."""
    P = PACK(p)
    Ys, Xs, Ks, Ts, Hs, HSs, ACCs, ACCBs, EOLDs, CURs = dp.lane_rows(W, N)
    for b in range(first, last):
        I_row, out = I_table[b], states[:, b, :]
        constant = I_row.shape[0] == 1
        for i in range(N):
            out[i, 0] = y0[i]
        dp.dp_start(W, 0, y0, I_row[0], min(dt, 0.01))
        first_stage = 0  # stage 1, f(y), is still to be computed
        status[b] = dp.OK
        for step in range(n_steps):
            if not constant and step > 0:
                CURs[0] = I_row[step]
                first_stage = 0  # the current may have jumped
            t = 0.0
            while t < dt and status[b] == dp.OK:
                h_free = Hs[0]
                remaining = dt - t
                last_step = h_free >= remaining * (1.0 - 1e-12)
                HSs[0] = remaining if last_step else h_free
                DP_STAGES(Ys, Xs, Ks, HSs, CURs, 1, P, first_stage)
                DP_CONTROL(Ys, Xs, Ks, Hs, HSs, ACCs, ACCBs, EOLDs, 1, rtol, atol, dp.PI_BETA)
                if ACCs[0] > 0.0:
                    t = dt if last_step else t + HSs[0]
                    dp.dp_accept(Ys, Xs, Ks, 0)
                    first_stage = 1
                    if last_step and HSs[0] < h_free:
                        Hs[0] = h_free
                elif Hs[0] < dp.H_MIN:
                    status[b] = dp.STEP_UNDERFLOW
            if status[b] != dp.OK:
                break
            for i in range(N):
                out[i, step + 1] = Ys[i, 0]


def _fixed_batch(y0, I_table, dt, n_steps, p, states, status, first, last):
    """Template: trajectories first..last-1 with the fixed step STEP (RK4 or exponential Euler) of size dt."""
    P = PACK(p)
    for b in range(first, last):
        I_row = I_table[b]
        constant = I_row.shape[0] == 1
        out = states[:, b, :]
        y = LOAD(y0)
        STORE(out, 0, y)
        for step in range(n_steps):
            y = STEP(y, I_row[0] if constant else I_row[step], dt, P)
            STORE(out, step + 1, y)
        status[b] = dp.OK


def integrate_grid(spec: ModelSpec, y0, I_table, dt, n_steps, p, method, rtol, atol):
    """Integrate a batch of one model on the grid t = k·dt, k = 0..n_steps.

    Parameters
    ----------
    spec : the model (:class:`hh_lib.core.model.ModelSpec`).
    y0 : (n,) initial state (V in mV first).
    I_table : (B, 1) constant currents or (B, n_steps) currents per grid interval (µA/cm²).
    dt : grid spacing (ms); also the step of the fixed-step methods.
    p : the packed parameters (the parameter class's ``as_array()``).
    method : index into :data:`METHODS`.
    rtol, atol : tolerances of dopri5 (atol one number or n: V in mV, then the others).

    Returns
    -------
    states : (n, B, n_steps + 1) array; status : (B,) int array (0 = ok).
    """
    cm = entry(spec)
    n = spec.n_states
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    I_table = np.ascontiguousarray(I_table, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    B = I_table.shape[0]
    states = np.empty((n, B, n_steps + 1))
    status = np.zeros(B, dtype=np.int64)
    if method == 0:
        kernel = specialize(_dopri_batch, spec)
        atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), (n,)).copy()
        args = (y0, I_table, float(dt), int(n_steps), p, float(rtol), atol, states, status)
    else:
        step = cm.tuple_rk4 if method == 1 else cm.tuple_exp_euler
        if step is None:
            raise ValueError(f"method {METHODS[method]!r} is not available for the {spec.name} model")
        kernel = specialize(_fixed_batch, spec, METHODS[method], STEP=step)
        args = (y0, I_table, float(dt), int(n_steps), p, states, status)
    bounds = np.linspace(0, B, min(B, n_threads()) + 1).astype(np.int64)
    if method == 0:
        work = lambda w: kernel(*args, np.empty((9 * n + dp.N_SCALAR_ROWS, 1)), bounds[w], bounds[w + 1])  # noqa: E731
    else:
        work = lambda w: kernel(*args, bounds[w], bounds[w + 1])  # noqa: E731
    run_parallel(work, bounds.size - 1)
    return states, status
