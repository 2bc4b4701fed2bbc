"""The grid driver behind :func:`hh_lib.simulate`: the state on a uniform time grid.

The injected current is held constant over each grid interval and every step ends on
the grid. Methods: 0 = adaptive Dormand-Prince 5(4) (:mod:`hh_lib._kernels.dopri`, one lane),
1 = classical RK4 with the fixed step dt (:mod:`hh_lib._kernels.rk4`), 2 = the exponential Euler
scheme of Dayan & Abbott (each variable relaxes exponentially towards its instantaneous steady
state over dt). A batch is split between threads, one serial loop per trajectory.
"""

from __future__ import annotations

import math

import numpy as np

from . import dopri as dp
from ._numba import njit
from .hh import INLINE, RATES, hh_rhs_inlined, params_tuple
from .rk4 import rk4_step
from .threads import n_threads, run_parallel

METHODS = ("dopri5", "rk4", "exponential_euler")

_alpha_m, _beta_m, _alpha_h, _beta_h, _alpha_n, _beta_n = (
    RATES[name] for name in ("alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n", "beta_n")
)


@njit(**INLINE)
def _hh_state_rhs(y, args):
    """hh_rhs on a state tuple, args = (I_ext, P): the form :func:`rk4_step` takes."""
    return hh_rhs_inlined(y[0], y[1], y[2], y[3], args[0], args[1])


@njit(**INLINE)
def _relax(x, a, b, phi, h):
    """Gate x relaxing towards a/(a+b) with rate phi·(a+b) (1/ms) for a time h."""
    x_inf = a / (a + b)
    return x_inf + (x - x_inf) * math.exp(-phi * (a + b) * h)


@njit(**INLINE)
def _exp_euler_step(y, I_ext, h, P):
    V, m, g, n = y
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = P
    gna = g_Na * m**3 * g
    gk = g_K * n**4
    g_tot = gna + gk + g_L
    # V relaxes towards (I + Σ g·E) / g_tot with rate g_tot / C_m; written with
    # (1 - e^{-z}) / z so that g_tot = 0 (all channels blocked) gives V + h·I/C_m.
    z = g_tot * h / C_m
    growth = 1.0 if z < 1e-12 else -math.expm1(-z) / z
    return (
        V + h * growth * (I_ext + gna * E_Na + gk * E_K + g_L * E_L - g_tot * V) / C_m,
        _relax(m, _alpha_m(V), _beta_m(V), phi, h),
        _relax(g, _alpha_h(V), _beta_h(V), phi, h),
        _relax(n, _alpha_n(V), _beta_n(V), phi, h),
    )


@njit(**dp.JIT)
def _fixed_grid(y0, I_row, dt, n_steps, P, method, out):
    """RK4 or exponential Euler with the step dt; writes the state at t = k·dt into out[:, k]."""
    y = (y0[0], y0[1], y0[2], y0[3])
    constant = I_row.shape[0] == 1
    for step in range(n_steps):
        I_ext = I_row[0] if constant else I_row[step]
        if method == 1:
            y = rk4_step(_hh_state_rhs, y, dt, (I_ext, P))
        else:
            y = _exp_euler_step(y, I_ext, dt, P)
        for i in range(4):
            out[i, step + 1] = y[i]
    return dp.OK


@njit(**dp.JIT)
def _dopri_grid(y0, I_row, dt, n_steps, P, rtol, atol, W, out):
    """Dormand-Prince on one lane of W, every grid time reached exactly; a step clipped to the
    grid does not shrink the step the controller proposes. Returns a status."""
    constant = I_row.shape[0] == 1
    Ys, Xs, Ks, Ts, Hs, HSs, ACCs, ACCBs, EOLDs, CURs = dp.lane_rows(W)
    dp.dp_start(W, 0, y0, I_row[0], min(dt, 0.01))
    first = 0  # stage 1, f(y), is still to be computed
    for step in range(n_steps):
        if not constant and step > 0:
            CURs[0] = I_row[step]
            first = 0  # the current may have jumped
        t = 0.0
        while t < dt:
            h_free = Hs[0]
            remaining = dt - t
            last = h_free >= remaining * (1.0 - 1e-12)
            HSs[0] = remaining if last else h_free
            dp.dp_stages(Ys, Xs, Ks, HSs, CURs, 1, P, first)
            dp.dp_control(Ys, Xs, Ks, Hs, HSs, ACCs, ACCBs, EOLDs, 1, rtol, atol, dp.PI_BETA)
            if ACCs[0] > 0.0:
                t = dt if last else t + HSs[0]
                dp.dp_accept(Ys, Xs, Ks, 0)
                first = 1
                if last and HSs[0] < h_free:
                    Hs[0] = h_free
            elif Hs[0] < dp.H_MIN:
                return dp.STEP_UNDERFLOW
        for i in range(4):
            out[i, step + 1] = Ys[i, 0]
    return dp.OK


@njit(**dp.JIT)
def _grid_batch(y0, I_table, dt, n_steps, p, method, rtol, atol, states, status, first, last):
    P = params_tuple(p)
    W = np.empty((dp.N_DP_ROWS, 1))
    for b in range(first, last):
        for i in range(4):
            states[i, b, 0] = y0[i]
        if method == 0:
            status[b] = _dopri_grid(y0, I_table[b], dt, n_steps, P, rtol, atol, W, states[:, b, :])
        else:
            status[b] = _fixed_grid(y0, I_table[b], dt, n_steps, P, method, states[:, b, :])


def integrate_grid(y0, I_table, dt, n_steps, p, method, rtol, atol):
    """Integrate a batch on the grid t = k·dt, k = 0..n_steps.

    Parameters
    ----------
    y0 : (4,) initial state (V in mV, m, h, n).
    I_table : (B, 1) constant currents or (B, n_steps) currents per grid interval (µA/cm²).
    dt : grid spacing (ms); also the step of the fixed-step methods.
    p : the packed parameters (:meth:`HHParameters.as_array`).
    method : index into :data:`METHODS`.
    rtol, atol : tolerances of dopri5 (atol one number or four: V in mV, then m, h, n).

    Returns
    -------
    states : (4, B, n_steps + 1) array; status : (B,) int array (0 = ok).
    """
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    I_table = np.ascontiguousarray(I_table, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), (4,)).copy()
    B = I_table.shape[0]
    states = np.empty((4, B, n_steps + 1))
    status = np.zeros(B, dtype=np.int64)
    args = (y0, I_table, float(dt), int(n_steps), p, int(method), float(rtol), atol, states, status)
    bounds = np.linspace(0, B, min(B, n_threads()) + 1).astype(np.int64)
    run_parallel(lambda w: _grid_batch(*args, bounds[w], bounds[w + 1]), bounds.size - 1)
    return states, status
