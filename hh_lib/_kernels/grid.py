"""The grid entry of ``simulate``: the state on a uniform time grid, for any model.

The injected current is held constant over each grid interval and every step ends on the grid.
Methods: 0 = adaptive Dormand-Prince 5(4) (:mod:`hh_lib._kernels.dopri`), run by the lanes kernel
of :mod:`hh_lib._kernels.lanes` (the F-I curve's, so that the first figure compiles one kernel);
1 = classical RK4 with the fixed step dt (:mod:`hh_lib._kernels.rk4`); 2 = the model's exponential
Euler step (for HH, Dayan & Abbott's scheme: each variable relaxes exponentially towards its
instantaneous steady state over dt; :func:`hh_lib.hh.equations.exponential_euler_step`). Each
fixed-step method is its own kernel, compiled only when first used; a batch is split between
threads, one serial loop per trajectory.
"""

from __future__ import annotations

import numpy as np

from ..core.model import ModelSpec
from . import dopri as dp
from .lanes import integrate_lanes
from .model import LOAD, PACK, STEP, STORE, entry, specialize
from .threads import n_threads, run_parallel

METHODS = ("dopri5", "rk4", "exponential_euler")


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
    if method == 0:  # (the lanes kernel's entry checks the physics)
        return integrate_lanes(spec, y0, I_table, dt, n_steps, p, rtol, atol)
    cm = entry(spec)
    step = cm.tuple_rk4 if method == 1 else cm.tuple_exp_euler
    if step is None:
        raise ValueError(f"method {METHODS[method]!r} is not available for the {spec.name} model")
    kernel = specialize(_fixed_batch, spec, METHODS[method], STEP=step)
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    I_table = np.ascontiguousarray(I_table, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    B = I_table.shape[0]
    states = np.empty((spec.n_states, B, n_steps + 1))
    status = np.zeros(B, dtype=np.int64)
    bounds = np.linspace(0, B, min(B, n_threads()) + 1).astype(np.int64)
    run_parallel(lambda w: kernel(y0, I_table, float(dt), int(n_steps), p, states, status, bounds[w], bounds[w + 1]),
                 bounds.size - 1)
    return states, status
