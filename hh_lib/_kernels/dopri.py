"""The Dormand-Prince 5(4) pair with PI step-size control, written once (compiled).

Both drivers, :mod:`hh_lib._kernels.grid` (``simulate``) and :mod:`hh_lib._kernels.fi`
(the F-I curve), advance HH membranes with the two functions below, which work on
"lanes": columns of a workspace array, one membrane each, so that the loops over lanes
vectorise (4 lanes per AVX2 instruction). The grid driver uses one lane. The kernels take the
rows of the workspace apart once per call (:func:`lane_rows`) and pass the views.

* :func:`dp_stages` evaluates the stages (the right-hand side is :func:`hh_lib.hh.equations.hh_rhs`,
  compiled); the 7th stage is f at the 5th-order solution ("first same as last").
* :func:`dp_control` measures the local error, ``max`` of ``|y|`` before and after the step in
  the scale ``atol_i + rtol·|y_i|`` (RMS over the 4 variables), accepts or rejects the step and
  proposes the next step size by PI control (Hairer, Nørsett & Wanner II.4 and IV.2).
"""

from __future__ import annotations

import math

import numpy as np

from ._numba import njit
from .hh import INLINE, hh_rhs_inlined
from .intrinsics import exp_k, log_k

#: Status codes returned by the kernels.
OK, STEP_UNDERFLOW = 0, 1

#: A step this small (ms) means the problem is not solvable here.
H_MIN = 1e-10

#: PI step-size control: at equal work the F-I spike times are about 5x more accurate than with
#: integral control (beta = 0) on the F-I benchmark (benchmarks/bench_accuracy.py).
PI_BETA = 0.08

# Compilation options. error_model="numpy" lets a division by zero give inf/nan instead of
# raising, which removes a branch per division and lets LLVM vectorise the lane loops;
# "contract" fuses a*b+c into one FMA, "arcp" turns x/10 into x*0.1, "nsz" ignores the sign
# of zero. None of them changes how NaN or inf propagate (no "nnan"/"ninf"/"reassoc").
FASTMATH = {"contract", "arcp", "nsz"}
JIT = dict(cache=True, nogil=True, error_model="numpy", fastmath=FASTMATH)

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

# Rows of the lane workspace W (float64, one column per lane).
Y, X, K = 0, 4, 8  # state, stage input / new state, stage derivatives K[K + 4*s + i]
T, H, HS, ACC, ACCB, EOLD, CUR = range(36, 43)  # time, proposed and taken step, accepted, .., current
N_DP_ROWS = 43


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
def lane_rows(W):
    """The rows of the workspace W as views (Y, X, K, T, H, HS, ACC, ACCB, EOLD, CUR), made once per
    kernel call: a view made per step would cost an atomic reference count each time."""
    return W[Y : Y + 4], W[X : X + 4], W[K : K + 28], W[T], W[H], W[HS], W[ACC], W[ACCB], W[EOLD], W[CUR]


@njit(**INLINE)
def dp_stages(Ys, Xs, Ks, HSs, CURs, L, P, first):
    """Stages ``first``..7 of one attempt for lanes 0..L-1 (stage 1 is f(y), kept from the last
    accepted step unless ``first`` is 0); the 5th-order solution is left in X."""
    for s in range(first, 7):
        for i in range(4):
            for l in range(L):
                Xs[i, l] = Ys[i, l]
        for j in range(s):
            c = A[s, j]
            if c != 0.0:
                for i in range(4):
                    for l in range(L):
                        Xs[i, l] += c * HSs[l] * Ks[4 * j + i, l]
        r = 4 * s
        for l in range(L):
            d = hh_rhs_inlined(Xs[0, l], Xs[1, l], Xs[2, l], Xs[3, l], CURs[l], P)
            Ks[r, l] = d[0]
            Ks[r + 1, l] = d[1]
            Ks[r + 2, l] = d[2]
            Ks[r + 3, l] = d[3]


@njit(**INLINE)
def dp_control(Ys, Xs, Ks, Hs, HSs, ACCs, ACCBs, EOLDs, L, rtol, atol, beta):
    """Error norm of the attempt in each lane: sets ACC (1 accepted, 0 rejected), the next
    step H and, for an accepted step, EOLD (the error of the last accepted step)."""
    for l in range(L):
        h = HSs[l]
        acc = 0.0
        for i in range(4):
            e = 0.0
            for j in range(7):
                e += E[j] * Ks[4 * j + i, l]
            y_old, y_new = abs(Ys[i, l]), abs(Xs[i, l])
            e *= h / (atol[i] + rtol * (y_old if y_old > y_new else y_new))
            acc += e * e
        err = math.sqrt(0.25 * acc)
        Hs[l] = h * step_factor(err, ACCBs[l] > 0.0, EOLDs[l], beta)
        ok = err <= 1.0
        ACCs[l] = 1.0 if ok else 0.0
        ACCBs[l] = ACCs[l]
        if ok:
            EOLDs[l] = err if err > 1e-4 else 1e-4


@njit(**INLINE)
def dp_accept(Ys, Xs, Ks, l):
    """Move lane l to the end of its accepted step: y <- y_new, f(y) <- stage 7."""
    for i in range(4):
        Ys[i, l] = Xs[i, l]
        Ks[i, l] = Ks[24 + i, l]


@njit(**INLINE)
def dp_start(W, l, y0, current, h0):
    """Put a membrane at rest into lane l of W: state y0, time 0, first step h0 (ms)."""
    for i in range(4):
        W[Y + i, l] = y0[i]
    W[T, l], W[H, l], W[ACCB, l], W[EOLD, l], W[CUR, l] = 0.0, h0, 1.0, 1e-4, current
