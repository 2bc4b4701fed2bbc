"""The Dormand-Prince 5(4) pair with PI step-size control, written once (compiled).

The driver, :mod:`hh_lib._kernels.lanes` (``simulate`` with dopri5, and the F-I curve), advances
membranes of any model with the functions below, which work on "lanes": columns of a workspace
array, one membrane each, so that the loops over lanes vectorise (4 lanes per AVX2 instruction).
The driver takes the rows of the workspace apart once per call (:func:`lane_rows`) and passes the
views. :func:`dp_attempt` makes one attempt in every lane:

* it evaluates the stages (the model's right-hand side, e.g. :func:`hh_lib.hh.equations.hh_rhs`
  compiled); the 7th stage is f at the 5th-order solution ("first same as last");
* it measures the local error, ``max`` of ``|y|`` before and after the step in the scale
  ``atol_i + rtol·|y_i|`` (RMS over the n variables), accepts or rejects the step and proposes the
  next step size by PI control (Hairer, Nørsett & Wanner II.4 and IV.2).

It is compiled once per model, for one signature, and shared by the driver's variants (it holds
the lane loops, so calling it costs nothing measurable).
"""

from __future__ import annotations

import math

import numpy as np

from ._numba import njit, types
from .intrinsics import exp_k, log_k
from .physics import INLINE

LANE_RHS, N = None, 0  # bound per model by hh_lib._kernels.model.specialize

#: Status codes returned by the kernels.
OK, STEP_UNDERFLOW = 0, 1

#: A step this small (ms) means the problem is not solvable here.
H_MIN = 1e-10

#: PI step-size control: at equal work the F-I spike times are about 5x more accurate than with
#: integral control (beta = 0) on the F-I benchmark (benchmarks/bench_accuracy.py).
PI_BETA = 0.08

# Compilation options of the lane loops (the driver's own are in model.JIT).
# error_model="numpy" lets a division by zero give inf/nan instead of raising, which removes a
# branch per division and lets LLVM vectorise the lane loops; "contract" fuses a*b+c into one FMA,
# "arcp" turns x/10 into x*0.1, "nsz" ignores the sign of zero. None of them changes how NaN or
# inf propagate (no "nnan"/"ninf"/"reassoc").
FASTMATH = {"contract", "arcp", "nsz"}
LOOPS = dict(error_model="numpy", fastmath=FASTMATH)

# The lane loops are compiled for one signature, given here: left to itself numba would compile
# them again for every call site that passes a constant (first = 0).
ROWS, ROW = types.float64[:, ::1], types.float64[::1]


def dp_attempt_signature(n_params: int):
    """The one signature of :func:`dp_attempt` for a model with n_params packed parameters."""
    return types.void(ROWS, ROWS, ROWS, ROW, ROW, ROW, ROW, ROW, ROW, types.int64,
                      types.UniTuple(types.float64, n_params), types.int64, types.float64, ROW, types.float64)


# The tableau: row s holds the weights of stages 1..s for the input of stage s+1; the last row
# holds the 5th-order weights, whose derivative is stage 7 (first same as last).
A = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1 / 5, 0.0, 0.0, 0.0, 0.0, 0.0],
        [3 / 40, 9 / 40, 0.0, 0.0, 0.0, 0.0],
        [44 / 45, -56 / 15, 32 / 9, 0.0, 0.0, 0.0],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0.0, 0.0],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656, 0.0],
        [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
    ]
)
#: 5th- minus 4th-order weights (the error estimate).
E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])

# Rows of the lane workspace W (float64, one column per lane) for a state of n variables: the state
# Y (n rows), the stage input / new state X (n), the stage derivatives K (7n: K[n*s + i] for stage s),
# then time, proposed and taken step, accepted, accepted before, last error, current.
N_SCALAR_ROWS = 7
CUR = 6  # the current's row, counted from 9n


@njit(inline="always")
def n_dp_rows(n):
    """Rows of the Dormand-Prince part of the workspace for n state variables."""
    return 9 * n + N_SCALAR_ROWS


@njit(**INLINE)
def step_factor(err, accepted_before, err_old, beta):
    """Step-size factor 0.9·err**-(0.2 - 0.75·beta)·err_old**beta from the error norm err of this
    attempt and err_old of the last accepted step (PI control; integral control for beta = 0).
    Grows at most 5x, shrinks at most 5x, does not grow right after a rejected step; NaN: shrinks 5x."""
    fac = 0.9 * exp_k(-(0.2 - 0.75 * beta) * log_k(err) + beta * log_k(err_old))
    if err <= 1.0:
        cap = 5.0 if accepted_before else 1.0
        fac = cap if fac > cap else fac
    fac = 0.2 if fac < 0.2 else fac
    return fac if err == err else 0.2


@njit(**INLINE)
def lane_rows(W, n):
    """The rows of the workspace W as views (Y, X, K, T, H, HS, ACC, ACCB, EOLD, CUR) for n state
    variables, made once per kernel call: a view made per step would cost an atomic reference count."""
    s = 9 * n
    return (W[0:n], W[n : 2 * n], W[2 * n : s], W[s], W[s + 1], W[s + 2], W[s + 3], W[s + 4], W[s + 5],
            W[s + CUR])


def dp_attempt(Ys, Xs, Ks, Hs, HSs, ACCs, ACCBs, EOLDs, CURs, L, P, first, rtol, atol, beta):
    """One attempted step of size HS in each of the lanes 0..L-1. A template: the model's right-hand
    side on a column, LANE_RHS, and the state length N are bound by
    :func:`hh_lib._kernels.model.specialize`, which compiles it for each model (DP_ATTEMPT in the driver).

    Stages ``first``..7 (stage 1 is f(y), kept from the last accepted step unless ``first`` is 0); the
    5th-order solution is left in X. Then the error norm of the attempt in each lane: sets ACC (1
    accepted, 0 rejected), the next step H and, for an accepted step, EOLD (the error of the last
    accepted step)."""
    n = N
    for s in range(first, 7):
        for i in range(n):
            for l in range(L):
                Xs[i, l] = Ys[i, l]
        for j in range(s):
            c = A[s, j]
            if c != 0.0:
                for i in range(n):
                    for l in range(L):
                        Xs[i, l] += c * HSs[l] * Ks[n * j + i, l]
        for l in range(L):
            LANE_RHS(Xs, l, CURs[l], P, Ks, n * s)
    for l in range(L):
        h = HSs[l]
        acc = 0.0
        for i in range(n):
            e = 0.0
            for j in range(7):
                e += E[j] * Ks[n * j + i, l]
            y_old, y_new = abs(Ys[i, l]), abs(Xs[i, l])
            e *= h / (atol[i] + rtol * (y_old if y_old > y_new else y_new))
            acc += e * e
        err = math.sqrt(acc / n)
        Hs[l] = h * step_factor(err, ACCBs[l] > 0.0, EOLDs[l], beta)
        ok = err <= 1.0
        ACCs[l] = 1.0 if ok else 0.0
        ACCBs[l] = ACCs[l]
        if ok:
            EOLDs[l] = err if err > 1e-4 else 1e-4


@njit(**INLINE)
def dp_accept(Ys, Xs, Ks, l):
    """Move lane l to the end of its accepted step: y <- y_new, f(y) <- stage 7."""
    n = Ys.shape[0]
    for i in range(n):
        Ys[i, l] = Xs[i, l]
        Ks[i, l] = Ks[6 * n + i, l]


@njit(**INLINE)
def dp_start(W, l, y0, current, h0):
    """Put a membrane into lane l of W: state y0, time 0, first step h0 (ms)."""
    n = y0.shape[0]
    for i in range(n):
        W[i, l] = y0[i]
    s = 9 * n
    W[s, l], W[s + 1, l], W[s + 4, l], W[s + 5, l], W[s + CUR, l] = 0.0, h0, 1.0, 1e-4, current
