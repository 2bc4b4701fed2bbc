"""Compiled integrators for HH membranes (numba).

* ``dopri5``: the Dormand-Prince 5(4) embedded Runge-Kutta pair with
  per-trajectory step-size control (error per step below ``atol + rtol·|y|``).
  This is the default: it meets the accuracy of a tight ``solve_ivp`` reference
  at a fraction of the cost of fixed small steps.
* ``rk4``: classical fourth-order Runge-Kutta with the fixed step ``dt``.
* ``exponential_euler``: the first-order exponential Euler scheme of Dayan &
  Abbott (each variable relaxes exponentially towards its instantaneous
  steady state over ``dt``); cheap, stable, but inaccurate at dt = 0.01 ms.

Two drivers share the equations (:func:`hh_lib.model.hh_rhs`, compiled) and the
Dormand-Prince tableau.

:func:`integrate_grid` returns the state on a uniform time grid; the injected
current is held constant over each grid interval and every step ends on the
grid. It is a plain serial loop per trajectory; a batch is split between
threads.

:func:`count_spikes` only counts threshold crossings in a window (the F-I
curve), so its steps are not tied to any grid. It is built for throughput:
each thread advances several membranes ("lanes", one current each) in lock
step, every lane with its own time and step size, so that the right-hand side
is evaluated for 4 lanes per AVX2 instruction. A lane that finishes its current
takes the next one from the thread's list; when the list is empty, the last
lane moves into its place. The kernels release the GIL and run on a small pool
of Python threads, which costs nothing to compile (unlike ``parallel=True``).
"""

from __future__ import annotations

import math
import os
import threading

import numpy as np

from ._compat import intrinsic, ir, njit, types
from .model import hh_rhs_inlined, hh_rhs_kernel, params_tuple
from .rates import _alpha_h_k, _alpha_m_k, _alpha_n_k, _beta_h_k, _beta_m_k, _beta_n_k, _exp_k

METHODS = ("dopri5", "rk4", "exponential_euler")

#: Status codes returned by the kernels.
OK, STEP_UNDERFLOW = 0, 1

_H_MIN = 1e-10  # ms; a step this small means the problem is not solvable here

#: Membranes advanced together by one thread of :func:`count_spikes` (two AVX2 vectors).
LANES = 8
#: PI step-size control of :func:`count_spikes`: at equal work its spike times are about 5x more
#: accurate than with integral control (beta = 0) on the F-I benchmark (benchmarks/bench_accuracy.py).
PI_BETA = 0.08

# Compilation options. error_model="numpy" lets a division by zero give inf/nan instead of
# raising, which removes a branch per division and lets LLVM vectorise the lane loops;
# "contract" fuses a*b+c into one FMA, "arcp" turns x/10 into x*0.1, "nsz" ignores the sign
# of zero. None of them changes how NaN or inf propagate (no "nnan"/"ninf"/"reassoc").
_FLAGS = {"contract", "arcp", "nsz"}
_JIT = dict(cache=True, nogil=True, error_model="numpy", fastmath=_FLAGS)
_INLINE = dict(inline="always", error_model="numpy")  # helpers inlined into the kernels
_CALLED = dict(error_model="numpy", fastmath=_FLAGS)  # helpers called as functions

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


# --- The equations ---------------------------------------------------------------------------


# The HH equations (hh_lib.model.hh_rhs, with the compiled rates), P = (C_m, ..., phi) as a tuple:
_rhs = njit(**_CALLED)(hh_rhs_kernel)  # called (the grid driver: 7 calls per step)
_rhs_inlined = hh_rhs_inlined  # the same function, inlined (the lane loop, for SIMD)


# --- Step-size control -----------------------------------------------------------------------


def _emit_log(builder, x):
    """ln x for x > 0 (clamped to >= 1e-300), to about 1e-6: x = mant·2**e with mant in [1, 2),
    ln mant = 2 atanh(s), s = (mant - 1)/(mant + 1), by its series to s**9. For step-size control."""
    f64, i64 = ir.DoubleType(), ir.IntType(64)
    x = builder.select(builder.fcmp_ordered("<", x, ir.Constant(f64, 1e-300)), ir.Constant(f64, 1e-300), x)
    bits = builder.bitcast(x, i64)
    e = builder.sitofp(builder.sub(builder.ashr(bits, ir.Constant(i64, 52)), ir.Constant(i64, 1023)), f64)
    mant_bits = builder.or_(builder.and_(bits, ir.Constant(i64, 0xFFFFFFFFFFFFF)), ir.Constant(i64, 0x3FF0000000000000))
    mant = builder.bitcast(mant_bits, f64)
    s = builder.fdiv(builder.fsub(mant, ir.Constant(f64, 1.0)), builder.fadd(mant, ir.Constant(f64, 1.0)))
    s2 = builder.fmul(s, s)
    poly = ir.Constant(f64, 1.0 / 9.0)
    for c in (1.0 / 7.0, 0.2, 1.0 / 3.0, 1.0):
        poly = builder.fma(poly, s2, ir.Constant(f64, c))
    return builder.fma(e, ir.Constant(f64, 0.6931471805599453), builder.fmul(builder.fmul(s, ir.Constant(f64, 2.0)), poly))


@intrinsic
def _log(typingctx, x):
    """ln x for x > 0, to about 1e-6 (compiled code, float64; vectorisable); see :func:`_emit_log`."""
    if x != types.float64:
        return None
    return types.float64(types.float64), lambda context, builder, sig, args: _emit_log(builder, args[0])


@njit(**_INLINE)
def _step_factor(err, accepted_before, err_old, beta):
    """Step-size factor 0.9·err**-(0.2 - 0.75·beta)·err_old**beta from the error norm err of this
    attempt and err_old of the last accepted step: integral control for beta = 0, PI control for
    beta > 0 (Hairer, Nørsett & Wanner II.4 and IV.2; Hairer's DOPRI5 code). Grows at most 5x,
    shrinks at most 5x, does not grow right after a rejected step; NaN: shrinks 5x."""
    fac = 0.9 * _exp_k(-(0.2 - 0.75 * beta) * _log(err) + beta * _log(err_old))
    if err <= 1.0:
        cap = 5.0 if accepted_before else 1.0
        fac = cap if fac > cap else fac
    fac = 0.2 if fac < 0.2 else fac
    return fac if err == err else 0.2


# --- One Dormand-Prince step on scalars (the grid driver) -------------------------------------


@njit(**_CALLED)
def _dopri5_step(y, k1, I_ext, h, P, rtol, atol):
    """One attempted step of size h from y with k1 = f(y): (y_new, f(y_new), error norm)."""
    V, m, g, n = y
    k2 = _rhs(V + h * _A21 * k1[0], m + h * _A21 * k1[1], g + h * _A21 * k1[2], n + h * _A21 * k1[3], I_ext, P)
    k3 = _rhs(
        V + h * (_A31 * k1[0] + _A32 * k2[0]),
        m + h * (_A31 * k1[1] + _A32 * k2[1]),
        g + h * (_A31 * k1[2] + _A32 * k2[2]),
        n + h * (_A31 * k1[3] + _A32 * k2[3]),
        I_ext, P,
    )
    k4 = _rhs(
        V + h * (_A41 * k1[0] + _A42 * k2[0] + _A43 * k3[0]),
        m + h * (_A41 * k1[1] + _A42 * k2[1] + _A43 * k3[1]),
        g + h * (_A41 * k1[2] + _A42 * k2[2] + _A43 * k3[2]),
        n + h * (_A41 * k1[3] + _A42 * k2[3] + _A43 * k3[3]),
        I_ext, P,
    )
    k5 = _rhs(
        V + h * (_A51 * k1[0] + _A52 * k2[0] + _A53 * k3[0] + _A54 * k4[0]),
        m + h * (_A51 * k1[1] + _A52 * k2[1] + _A53 * k3[1] + _A54 * k4[1]),
        g + h * (_A51 * k1[2] + _A52 * k2[2] + _A53 * k3[2] + _A54 * k4[2]),
        n + h * (_A51 * k1[3] + _A52 * k2[3] + _A53 * k3[3] + _A54 * k4[3]),
        I_ext, P,
    )
    k6 = _rhs(
        V + h * (_A61 * k1[0] + _A62 * k2[0] + _A63 * k3[0] + _A64 * k4[0] + _A65 * k5[0]),
        m + h * (_A61 * k1[1] + _A62 * k2[1] + _A63 * k3[1] + _A64 * k4[1] + _A65 * k5[1]),
        g + h * (_A61 * k1[2] + _A62 * k2[2] + _A63 * k3[2] + _A64 * k4[2] + _A65 * k5[2]),
        n + h * (_A61 * k1[3] + _A62 * k2[3] + _A63 * k3[3] + _A64 * k4[3] + _A65 * k5[3]),
        I_ext, P,
    )
    y_new = (
        V + h * (_B1 * k1[0] + _B3 * k3[0] + _B4 * k4[0] + _B5 * k5[0] + _B6 * k6[0]),
        m + h * (_B1 * k1[1] + _B3 * k3[1] + _B4 * k4[1] + _B5 * k5[1] + _B6 * k6[1]),
        g + h * (_B1 * k1[2] + _B3 * k3[2] + _B4 * k4[2] + _B5 * k5[2] + _B6 * k6[2]),
        n + h * (_B1 * k1[3] + _B3 * k3[3] + _B4 * k4[3] + _B5 * k5[3] + _B6 * k6[3]),
    )
    k7 = _rhs(y_new[0], y_new[1], y_new[2], y_new[3], I_ext, P)
    acc = 0.0
    for i in range(4):
        e = h * (_E1 * k1[i] + _E3 * k3[i] + _E4 * k4[i] + _E5 * k5[i] + _E6 * k6[i] + _E7 * k7[i])
        scale = atol + rtol * max(abs(y[i]), abs(y_new[i]))
        acc += (e / scale) ** 2
    return y_new, k7, math.sqrt(0.25 * acc)


@njit(**_CALLED)
def _rk4_step(y, I_ext, h, P):
    V, m, g, n = y
    k1 = _rhs(V, m, g, n, I_ext, P)
    k2 = _rhs(V + 0.5 * h * k1[0], m + 0.5 * h * k1[1], g + 0.5 * h * k1[2], n + 0.5 * h * k1[3], I_ext, P)
    k3 = _rhs(V + 0.5 * h * k2[0], m + 0.5 * h * k2[1], g + 0.5 * h * k2[2], n + 0.5 * h * k2[3], I_ext, P)
    k4 = _rhs(V + h * k3[0], m + h * k3[1], g + h * k3[2], n + h * k3[3], I_ext, P)
    return (
        V + h / 6.0 * (k1[0] + 2.0 * k2[0] + 2.0 * k3[0] + k4[0]),
        m + h / 6.0 * (k1[1] + 2.0 * k2[1] + 2.0 * k3[1] + k4[1]),
        g + h / 6.0 * (k1[2] + 2.0 * k2[2] + 2.0 * k3[2] + k4[2]),
        n + h / 6.0 * (k1[3] + 2.0 * k2[3] + 2.0 * k3[3] + k4[3]),
    )


@njit(**_CALLED)
def _relax(x, a, b, phi, h):
    """Gate x relaxing towards a/(a+b) with rate phi·(a+b) (1/ms) for a time h."""
    x_inf = a / (a + b)
    return x_inf + (x - x_inf) * math.exp(-phi * (a + b) * h)


@njit(**_CALLED)
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
        _relax(m, _alpha_m_k(V), _beta_m_k(V), phi, h),
        _relax(g, _alpha_h_k(V), _beta_h_k(V), phi, h),
        _relax(n, _alpha_n_k(V), _beta_n_k(V), phi, h),
    )


# --- Grid driver (simulate) ------------------------------------------------------------------


@njit(**_JIT)
def _grid_one(y0, I_row, dt, n_steps, P, method, rtol, atol, out):
    """Integrate one trajectory; write the state at t = k·dt into out[:, k]. Returns a status."""
    y = (y0[0], y0[1], y0[2], y0[3])
    for i in range(4):
        out[i, 0] = y[i]
    constant = I_row.shape[0] == 1
    h_free = min(dt, 0.01)  # the step the controller wants, before clipping to the grid
    accepted_before = True
    k1 = _rhs(y[0], y[1], y[2], y[3], I_row[0], P)
    for step in range(n_steps):
        I_ext = I_row[0] if constant else I_row[step]
        if method == 0:
            if not constant and step > 0:
                k1 = _rhs(y[0], y[1], y[2], y[3], I_ext, P)  # the current may have jumped
            t = 0.0
            while t < dt:
                remaining = dt - t
                last = h_free >= remaining * (1.0 - 1e-12)
                h = remaining if last else h_free
                y_new, k7, err = _dopri5_step(y, k1, I_ext, h, P, rtol, atol)
                fac = _step_factor(err, accepted_before, 1.0, 0.0)
                if err <= 1.0:
                    t = dt if last else t + h
                    y, k1 = y_new, k7
                    if not last or h >= h_free:
                        h_free = h * fac
                    accepted_before = True
                else:
                    h_free = h * fac
                    accepted_before = False
                    if h_free < _H_MIN:
                        return STEP_UNDERFLOW
        elif method == 1:
            y = _rk4_step(y, I_ext, dt, P)
        else:
            y = _exp_euler_step(y, I_ext, dt, P)
        for i in range(4):
            out[i, step + 1] = y[i]
    return OK


@njit(**_JIT)
def _grid_batch(y0, I_table, dt, n_steps, p, method, rtol, atol, states, status, first, last):
    P = params_tuple(p)
    for b in range(first, last):
        status[b] = _grid_one(y0, I_table[b], dt, n_steps, P, method, rtol, atol, states[:, b, :])


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
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    I_table = np.ascontiguousarray(I_table, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    B = I_table.shape[0]
    states = np.empty((4, B, n_steps + 1))
    status = np.zeros(B, dtype=np.int64)
    args = (y0, I_table, float(dt), int(n_steps), p, int(method), float(rtol), float(atol), states, status)
    bounds = np.linspace(0, B, min(B, _n_threads()) + 1).astype(np.int64)
    _run_parallel(lambda w: _grid_batch(*args, bounds[w], bounds[w + 1]), bounds.size - 1)
    return states, status


# --- F-I driver (count_spikes) ---------------------------------------------------------------


@njit(**_CALLED)
def _crossing_time(t, h, v0, v1, f0, f1, threshold):
    """Time in [t, t+h] at which the cubic Hermite interpolant of V (values v0, v1, slopes f0, f1)
    reaches the threshold; v0 < threshold <= v1."""
    a, b, d0, d1 = v0 - threshold, v1 - threshold, h * f0, h * f1
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


# Stage coefficients as one table, row s = weights of stages 1..s for the input of stage s+1;
# the last row holds the 5th-order weights, whose derivative is stage 7 (first same as last).
_A = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [_A21, 0.0, 0.0, 0.0, 0.0, 0.0],
        [_A31, _A32, 0.0, 0.0, 0.0, 0.0],
        [_A41, _A42, _A43, 0.0, 0.0, 0.0],
        [_A51, _A52, _A53, _A54, 0.0, 0.0],
        [_A61, _A62, _A63, _A64, _A65, 0.0],
        [_B1, 0.0, _B3, _B4, _B5, _B6],
    ]
)
_E = np.array([_E1, 0.0, _E3, _E4, _E5, _E6, _E7])



@intrinsic
def _take_next(typingctx, counter):
    """Atomically ``counter[0] += 1``; returns the old value (threads share one list of work)."""
    if not (isinstance(counter, types.Array) and counter.dtype == types.int64 and counter.ndim == 1):
        return None

    def codegen(context, builder, sig, args):
        data = context.make_array(sig.args[0])(context, builder, args[0]).data
        return builder.atomic_rmw("add", data, ir.Constant(ir.IntType(64), 1), "monotonic")

    return types.int64(counter), codegen


# Rows of the per-thread workspace of _count_lanes (floats, then integers), allocated by the
# caller: allocating inside the kernel would compile numba's np.empty/np.zeros for each shape.
_Y, _X, _K = 0, 4, 8  # state, stage input / new state, stage derivatives K[_K + 4*s + i]
_T, _H, _HS, _ACC, _ACCB, _EOLD, _CUR, _FIRST, _LAST = range(36, 45)
_N_FLOAT_ROWS = 45
_CNT, _NA, _SLOT = 0, 1, 2
_N_INT_ROWS = 3


@njit(**_JIT)
def _count_lanes(
    y0, currents, todo, taken, lanes, t_end, t_start, threshold, p, rtol, atol, h_max, beta, counts, times, attempts,
    W, Wi,
):
    """Spike counts in [t_start, t_end) for the currents ``currents[todo]``, written to ``counts``
    (-1 marks a step-size underflow), the first and last spike times in the window to ``times``
    (left alone without spikes), and the number of attempted steps to ``attempts``.

    Runs up to ``lanes`` (<= LANES) membranes in lock step. The threads share ``todo``: each lane
    that is free takes the next entry (``taken[0]`` counts the entries taken), so a thread that
    runs faster simply does more. W (float) and Wi (int64) are workspaces of LANES columns."""
    P = params_tuple(p)
    Y, X, K = W[_Y : _Y + 4], W[_X : _X + 4], W[_K : _K + 28]
    T, H, HS, ACC, ACCB, EOLD = W[_T], W[_H], W[_HS], W[_ACC], W[_ACCB], W[_EOLD]
    CUR, FIRST, LAST = W[_CUR], W[_FIRST], W[_LAST]
    CNT, NA, SLOT = Wi[_CNT], Wi[_NA], Wi[_SLOT]
    n_todo = todo.shape[0]
    h0 = 0.01 if h_max > 0.01 else h_max
    L = 0  # lanes in use
    while L < lanes:
        nxt = _take_next(taken)
        if nxt >= n_todo:
            break
        j = todo[nxt]
        SLOT[L], CUR[L] = j, currents[j]
        for i in range(4):
            Y[i, L] = y0[i]
        T[L], H[L], CNT[L], ACCB[L], EOLD[L], NA[L] = 0.0, h0, 0, 1.0, 1e-4, 0
        L += 1
    fresh = True  # some lane starts a current: its f(y) (stage 1) is still to be computed

    while L > 0:
        for l in range(L):
            h = H[l] if H[l] < h_max else h_max
            rest = t_end - T[l]
            HS[l] = h if h < rest else rest
        # Stages 2..7 (the input of stage 7 is the 5th-order solution), and stage 1 too when a lane
        # has just started; for the others f(y) is then recomputed, bit for bit the same.
        for s in range(0 if fresh else 1, 7):
            for i in range(4):
                for l in range(L):
                    X[i, l] = Y[i, l]
            for j in range(s):
                c = _A[s, j]
                if c != 0.0:
                    for i in range(4):
                        for l in range(L):
                            X[i, l] += c * HS[l] * K[4 * j + i, l]
            r = 4 * s
            for l in range(L):
                d = _rhs_inlined(X[0, l], X[1, l], X[2, l], X[3, l], CUR[l], P)
                K[r, l] = d[0]
                K[r + 1, l] = d[1]
                K[r + 2, l] = d[2]
                K[r + 3, l] = d[3]
        for l in range(L):  # error norm and next step
            h = HS[l]
            acc = 0.0
            for i in range(4):
                e = 0.0
                for j in range(7):
                    e += _E[j] * K[4 * j + i, l]
                y_old, y_new = abs(Y[i, l]), abs(X[i, l])
                e *= h / (atol[i] + rtol * (y_old if y_old > y_new else y_new))
                acc += e * e
            err = math.sqrt(0.25 * acc)
            H[l] = h * _step_factor(err, ACCB[l] > 0.0, EOLD[l], beta)
            ok = err <= 1.0
            ACC[l] = 1.0 if ok else 0.0
            ACCB[l] = ACC[l]
            if ok:
                EOLD[l] = err if err > 1e-4 else 1e-4
        fresh = False
        l = 0
        while l < L:  # bookkeeping, lane by lane
            NA[l] += 1
            done = False
            if ACC[l] > 0.0:
                h = HS[l]
                if Y[0, l] < threshold <= X[0, l]:
                    tc = _crossing_time(T[l], h, Y[0, l], X[0, l], K[0, l], K[24, l], threshold)
                    if t_start <= tc < t_end:
                        if CNT[l] == 0:
                            FIRST[l] = tc
                        LAST[l] = tc
                        CNT[l] += 1
                T[l] = t_end if h >= t_end - T[l] else T[l] + h
                for i in range(4):
                    Y[i, l] = X[i, l]
                    K[i, l] = K[24 + i, l]
                if T[l] >= t_end:
                    counts[SLOT[l]] = CNT[l]
                    attempts[SLOT[l]] = NA[l]
                    if CNT[l] > 0:
                        times[SLOT[l], 0], times[SLOT[l], 1] = FIRST[l], LAST[l]
                    done = True
            elif H[l] < _H_MIN or T[l] + H[l] == T[l]:
                counts[SLOT[l]] = -1
                attempts[SLOT[l]] = NA[l]
                done = True
            if not done:
                l += 1
                continue
            nxt = _take_next(taken)
            if nxt < n_todo:  # start the next current in this lane
                j = todo[nxt]
                SLOT[l], CUR[l] = j, currents[j]
                for i in range(4):
                    Y[i, l] = y0[i]
                T[l], H[l], CNT[l], ACCB[l], EOLD[l], NA[l] = 0.0, h0, 0, 1.0, 1e-4, 0
                fresh = True
                l += 1
            else:  # nothing left: the last lane moves here, its step not yet booked
                L -= 1
                if l < L:
                    for row in range(_N_FLOAT_ROWS):
                        W[row, l] = W[row, L]
                    for row in range(_N_INT_ROWS):
                        Wi[row, l] = Wi[row, L]


def count_spikes(y0, currents, t_end, t_start, threshold, p, rtol, atol, h_max):
    """Spike counts in [t_start, t_end) ms for each constant current (µA/cm²); -1 marks a failure.

    ``atol`` is one number or four (V in mV, then m, h, n).
    """
    return count_spikes_detail(y0, currents, t_end, t_start, threshold, p, rtol, atol, h_max)[0]


def count_spikes_detail(y0, currents, t_end, t_start, threshold, p, rtol, atol, h_max, beta=PI_BETA):
    """:func:`count_spikes`, a (B, 2) array of the first and last spike time in the window
    (NaN without spikes) and the number of attempted steps per current (6 evaluations of the
    right-hand side each): for accuracy and cost studies. ``beta`` is the PI parameter of the
    step-size control (0: integral control).

    The threads take the currents from one shared list, in order of decreasing current (the
    costly ones, which fire most, first), so that they finish together.
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
    n_workers = max(1, min(_n_threads(), B))
    lanes = min(LANES, -(-B // n_workers))  # a small batch is shared between the threads
    args = (float(t_end), float(t_start), float(threshold), p, float(rtol), atol, float(h_max), float(beta))
    args += (counts, times, attempts)

    def work(w):
        W = np.empty((_N_FLOAT_ROWS, LANES))
        Wi = np.empty((_N_INT_ROWS, LANES), dtype=np.int64)
        _count_lanes(y0, currents, todo, taken, lanes, *args, W, Wi)

    _run_parallel(work, n_workers)
    return counts, times, attempts


# --- Threads ---------------------------------------------------------------------------------

_pool = None
_pool_lock = threading.Lock()


def _n_threads() -> int:
    """Threads to use: NUMBA_NUM_THREADS if set, else the processors this process may run on."""
    env = os.environ.get("NUMBA_NUM_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _run_parallel(task, n: int) -> None:
    """Run task(0), ..., task(n-1): task(0) in this thread, the others in the pool (the kernels
    release the GIL, so they really run in parallel)."""
    global _pool
    if n <= 1:
        task(0)
        return
    with _pool_lock:
        if _pool is None or _pool._max_workers < n - 1:
            from concurrent.futures import ThreadPoolExecutor

            _pool = ThreadPoolExecutor(max_workers=n - 1, thread_name_prefix="hh_lib")
    futures = [_pool.submit(task, w) for w in range(1, n)]
    try:
        task(0)
    finally:
        for f in futures:
            f.result()
