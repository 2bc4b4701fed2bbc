"""Compiled integrators for batches of HH membranes (numba).

* ``dopri5``: the Dormand-Prince 5(4) embedded Runge-Kutta pair with
  per-trajectory step-size control (error per step below ``atol + rtol·|y|``).
  This is the default: it meets the accuracy of a tight ``solve_ivp`` reference
  at a fraction of the cost of fixed small steps.
* ``rk4``: classical fourth-order Runge-Kutta with the fixed step ``dt``.
* ``exponential_euler``: the first-order exponential Euler scheme of Dayan &
  Abbott (each variable relaxes exponentially towards its instantaneous
  steady state over ``dt``); cheap, stable, but inaccurate at dt = 0.01 ms.

Two drivers share the steppers. :func:`integrate_grid` returns the state on a
uniform time grid; the injected current is held constant over each grid
interval. :func:`count_spikes` only counts threshold crossings in a window
(the F-I curve), so its steps are not tied to any grid.
Both run the trajectories of a batch in parallel.
"""

from __future__ import annotations

import math

import numpy as np

from ._compat import njit, prange
from .model import hh_derivatives
from .rates import alpha_h_s, alpha_m_s, alpha_n_s, beta_h_s, beta_m_s, beta_n_s

METHODS = ("dopri5", "rk4", "exponential_euler")

#: Status codes returned by the kernels.
OK, STEP_UNDERFLOW = 0, 1

_H_MIN = 1e-10  # ms; a step this small means the problem is not solvable here

# Dormand-Prince 5(4) tableau.
_A21 = 1.0 / 5.0
_A31, _A32 = 3.0 / 40.0, 9.0 / 40.0
_A41, _A42, _A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
_A51, _A52, _A53, _A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
_A61, _A62, _A63, _A64, _A65 = 9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0
_B1, _B3, _B4, _B5, _B6 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
# Difference between the 5th- and 4th-order weights (error estimate).
_E1, _E3, _E4, _E5, _E6, _E7 = (
    71.0 / 57600.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0,
)


@njit(cache=True)
def _dopri5_step(y, k, I_ext, h, p, rtol, atol, ynew, tmp):
    """Attempt one Dormand-Prince step of size h from y, with k[0] = f(y).

    Writes the 5th-order solution to ``ynew`` and f(ynew) to ``k[6]``; returns
    the RMS error norm (accept the step when it is <= 1).
    """
    for i in range(4):
        tmp[i] = y[i] + h * _A21 * k[0, i]
    hh_derivatives(tmp, I_ext, p, k[1])
    for i in range(4):
        tmp[i] = y[i] + h * (_A31 * k[0, i] + _A32 * k[1, i])
    hh_derivatives(tmp, I_ext, p, k[2])
    for i in range(4):
        tmp[i] = y[i] + h * (_A41 * k[0, i] + _A42 * k[1, i] + _A43 * k[2, i])
    hh_derivatives(tmp, I_ext, p, k[3])
    for i in range(4):
        tmp[i] = y[i] + h * (_A51 * k[0, i] + _A52 * k[1, i] + _A53 * k[2, i] + _A54 * k[3, i])
    hh_derivatives(tmp, I_ext, p, k[4])
    for i in range(4):
        tmp[i] = y[i] + h * (
            _A61 * k[0, i] + _A62 * k[1, i] + _A63 * k[2, i] + _A64 * k[3, i] + _A65 * k[4, i]
        )
    hh_derivatives(tmp, I_ext, p, k[5])
    for i in range(4):
        ynew[i] = y[i] + h * (
            _B1 * k[0, i] + _B3 * k[2, i] + _B4 * k[3, i] + _B5 * k[4, i] + _B6 * k[5, i]
        )
    hh_derivatives(ynew, I_ext, p, k[6])
    acc = 0.0
    for i in range(4):
        e = h * (
            _E1 * k[0, i] + _E3 * k[2, i] + _E4 * k[3, i] + _E5 * k[4, i] + _E6 * k[5, i] + _E7 * k[6, i]
        )
        scale = atol + rtol * max(abs(y[i]), abs(ynew[i]))
        acc += (e / scale) ** 2
    return math.sqrt(acc / 4.0)


@njit(cache=True)
def _next_step(h, err, accepted_before):
    """Step-size update (Hairer, Nørsett & Wanner, II.4) from the error norm."""
    if not (err == err):  # NaN: shrink hard
        return 0.2 * h
    if err == 0.0:
        fac = 5.0
    else:
        fac = 0.9 * err ** -0.2
    if err > 1.0:
        return h * max(0.2, fac)
    fac = min(5.0, max(0.2, fac))
    if not accepted_before:
        fac = min(1.0, fac)
    return h * fac


@njit(cache=True)
def _rk4_step(y, I_ext, h, p, k, ynew, tmp):
    hh_derivatives(y, I_ext, p, k[0])
    for i in range(4):
        tmp[i] = y[i] + 0.5 * h * k[0, i]
    hh_derivatives(tmp, I_ext, p, k[1])
    for i in range(4):
        tmp[i] = y[i] + 0.5 * h * k[1, i]
    hh_derivatives(tmp, I_ext, p, k[2])
    for i in range(4):
        tmp[i] = y[i] + h * k[2, i]
    hh_derivatives(tmp, I_ext, p, k[3])
    for i in range(4):
        ynew[i] = y[i] + h / 6.0 * (k[0, i] + 2.0 * k[1, i] + 2.0 * k[2, i] + k[3, i])


@njit(cache=True)
def _relax(x, x_inf, rate, h):
    """x relaxing towards x_inf with the given rate (1/ms) for a time h."""
    return x_inf + (x - x_inf) * math.exp(-rate * h)


@njit(cache=True)
def _exp_euler_step(y, I_ext, h, p, ynew):
    V, m, h_gate, n = y[0], y[1], y[2], y[3]
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
    gna = g_Na * m**3 * h_gate
    gk = g_K * n**4
    g_tot = gna + gk + g_L
    # V relaxes towards (I + Σ g·E) / g_tot with rate g_tot / C_m; written with
    # (1 - e^{-z}) / z so that g_tot = 0 (all channels blocked) gives V + h·I/C_m.
    z = g_tot * h / C_m
    growth = 1.0 if z < 1e-12 else -math.expm1(-z) / z
    ynew[0] = V + h * growth * (I_ext + gna * E_Na + gk * E_K + g_L * E_L - g_tot * V) / C_m
    a, b = alpha_m_s(V), beta_m_s(V)
    ynew[1] = _relax(m, a / (a + b), phi * (a + b), h)
    a, b = alpha_h_s(V), beta_h_s(V)
    ynew[2] = _relax(h_gate, a / (a + b), phi * (a + b), h)
    a, b = alpha_n_s(V), beta_n_s(V)
    ynew[3] = _relax(n, a / (a + b), phi * (a + b), h)


@njit(cache=True)
def _grid_one(y0, I_row, dt, n_steps, p, method, rtol, atol, out):
    """Integrate one trajectory; write the state at t = k·dt into out[:, k]."""
    y = y0.copy()
    ynew = np.empty(4)
    tmp = np.empty(4)
    k = np.empty((7, 4))
    for i in range(4):
        out[i, 0] = y[i]
    constant = I_row.shape[0] == 1
    h = min(dt, 0.01)
    h_free = h  # the step the controller wants, before clipping to the grid
    accepted_before = False
    if method == 0:
        hh_derivatives(y, I_row[0], p, k[0])
    for step in range(n_steps):
        I_ext = I_row[0] if constant else I_row[step]
        if method == 0:
            if not constant and step > 0:
                hh_derivatives(y, I_ext, p, k[0])  # the current may have jumped
            t = 0.0
            while t < dt:
                remaining = dt - t
                h = min(h_free, remaining)
                last = h >= remaining * (1.0 - 1e-12)
                if last:
                    h = remaining
                err = _dopri5_step(y, k, I_ext, h, p, rtol, atol, ynew, tmp)
                if err <= 1.0:
                    t = dt if last else t + h
                    for i in range(4):
                        y[i] = ynew[i]
                        k[0, i] = k[6, i]
                    if not last or h >= h_free:
                        h_free = _next_step(h, err, accepted_before)
                    accepted_before = True
                else:
                    h_free = _next_step(h, err, accepted_before)
                    accepted_before = False
                    if h_free < _H_MIN:
                        return STEP_UNDERFLOW
        elif method == 1:
            _rk4_step(y, I_ext, dt, p, k, ynew, tmp)
            y[:] = ynew
        else:
            _exp_euler_step(y, I_ext, dt, p, ynew)
            y[:] = ynew
        for i in range(4):
            out[i, step + 1] = y[i]
    return OK


@njit(cache=True, parallel=True)
def integrate_grid(y0, I_table, dt, n_steps, p, method, rtol, atol):
    """Integrate a batch on the grid t = k·dt, k = 0..n_steps.

    Parameters
    ----------
    y0 : (4,) initial state (V in mV, m, h, n).
    I_table : (B, 1) constant currents or (B, n_steps) currents per grid interval (µA/cm²).
    dt : grid spacing (ms); also the step of the fixed-step methods.
    method : 0 = dopri5, 1 = rk4, 2 = exponential_euler.

    Returns
    -------
    states : (4, B, n_steps + 1) array; status : (B,) int array (0 = ok).
    """
    B = I_table.shape[0]
    states = np.empty((4, B, n_steps + 1))
    status = np.zeros(B, dtype=np.int64)
    for b in prange(B):
        status[b] = _grid_one(y0, I_table[b], dt, n_steps, p, method, rtol, atol, states[:, b, :])
    return states, status


@njit(cache=True)
def _count_one(y0, I_ext, t_end, t_start, threshold, p, rtol, atol, h_max):
    """Spikes (upward crossings of threshold, time linearly interpolated) in [t_start, t_end)."""
    y = y0.copy()
    ynew = np.empty(4)
    tmp = np.empty(4)
    k = np.empty((7, 4))
    hh_derivatives(y, I_ext, p, k[0])
    t = 0.0
    h = 0.01
    count = 0
    accepted_before = False
    while t < t_end:
        h = min(h, h_max, t_end - t)
        err = _dopri5_step(y, k, I_ext, h, p, rtol, atol, ynew, tmp)
        if err <= 1.0:
            if y[0] < threshold <= ynew[0]:
                t_cross = t + h * (threshold - y[0]) / (ynew[0] - y[0])
                if t_start <= t_cross < t_end:
                    count += 1
            t += h
            for i in range(4):
                y[i] = ynew[i]
                k[0, i] = k[6, i]
            h = _next_step(h, err, accepted_before)
            accepted_before = True
        else:
            h = _next_step(h, err, accepted_before)
            accepted_before = False
            if h < _H_MIN:
                return -1
    return count


@njit(cache=True, parallel=True)
def count_spikes(y0, currents, t_end, t_start, threshold, p, rtol, atol, h_max):
    """Spike counts in [t_start, t_end) ms for each constant current (µA/cm²); -1 marks a failure."""
    B = currents.shape[0]
    counts = np.empty(B, dtype=np.int64)
    for b in prange(B):
        counts[b] = _count_one(y0, currents[b], t_end, t_start, threshold, p, rtol, atol, h_max)
    return counts
