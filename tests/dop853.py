"""SciPy's ``solve_ivp(method="DOP853", dense_output=True, events=...)``, compiled with numba, for
the independent references (tests/reference.py, tests/cs_reference.py).

The same algorithm step for step as scipy 1.17's ``scipy.integrate._ivp.rk.DOP853``: the published
Dormand-Prince 8(5,3) tableau (read from scipy's ``dop853_coefficients``, the coefficients of Hairer's
``dop853.f``), the initial step of ``select_initial_step``, the step-size control (safety 0.9, factor
in [0.2, 10], exponent -1/8, ``max_step``), the combined 5th/3rd-order error norm, the 7th-order dense
output of every step (three extra stages) and event location by ``brentq`` on that dense output
(``xtol = rtol = 4 eps``). Only the loop runs in compiled code instead of Python, so a run of 10⁵
steps takes milliseconds instead of tens of seconds; it knows nothing of hh_lib (whose integrators are
an RK4 and a Dormand-Prince 5(4)).

``integrate(rhs, p, t0, t1, y0, rtol, atol, max_step)`` takes a right-hand side compiled with
``numba.njit(cache=True)`` as ``rhs(t, y, p, out)`` (``p`` a float64 array of parameters, ``out`` the derivative
to fill) and returns a :class:`Dense` solution. tests/numerics/test_reference_integrator.py checks it against scipy itself.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from scipy.integrate._ivp import dop853_coefficients as _coef
from scipy.optimize import brentq

N_STAGES = 12
A = np.ascontiguousarray(_coef.A[:N_STAGES, :N_STAGES])
B = np.ascontiguousarray(_coef.B)
C = np.ascontiguousarray(_coef.C[:N_STAGES])
E3 = np.ascontiguousarray(_coef.E3)
E5 = np.ascontiguousarray(_coef.E5)
D = np.ascontiguousarray(_coef.D)
A_EXTRA = np.ascontiguousarray(_coef.A[N_STAGES + 1:])
C_EXTRA = np.ascontiguousarray(_coef.C[N_STAGES + 1:])
N_EXTENDED = _coef.N_STAGES_EXTENDED  # 16
POWER = _coef.INTERPOLATOR_POWER  # 7

SAFETY, MIN_FACTOR, MAX_FACTOR = 0.9, 0.2, 10.0
ERROR_EXPONENT = -1.0 / 8.0  # -1 / (error estimator order 7 + 1)
EPS = np.finfo(float).eps

#: The type of a right-hand side ``rhs(t, y, p, out)``. The integrator takes it as a function pointer
#: of this type, so that numba's disk cache of the integrator serves every model (a plain dispatcher
#: argument would be a new type in each process, compiled again every time).
RHS_SIGNATURE = types.void(types.float64, types.float64[::1], types.float64[::1], types.float64[::1])
_RHS = types.FunctionType(RHS_SIGNATURE)


@njit(cache=True)
def _rms(x):
    return math.sqrt(np.sum(x * x) / x.size)


@njit(cache=True)
def _stage(rhs, p, t, y, K, s, a, c, h, out):
    """K[s] = f(t + c h, y + h sum_j a[j] K[j]) for j < s."""
    n = y.size
    ys = np.empty(n)
    for i in range(n):
        acc = 0.0
        for j in range(s):
            acc += K[j, i] * a[j]
        ys[i] = y[i] + acc * h
    rhs(t + c * h, ys, p, out)
    K[s, :] = out


_INTEGRATE_SIGNATURE = types.Tuple((types.float64[::1], types.float64[:, ::1], types.float64[:, :, ::1]))(
    _RHS, types.float64[::1], types.float64, types.float64, types.float64[::1], types.float64, types.float64,
    types.float64)


@njit(cache=True)
def _integrate(rhs, p, t0, t1, y0, rtol, atol, max_step):
    n = y0.size
    cap = 1024
    ts = np.empty(cap)
    ys = np.empty((cap, n))
    Fs = np.empty((cap, POWER, n))
    K = np.empty((N_EXTENDED, n))
    f = np.empty(n)
    out = np.empty(n)
    y = y0.copy()
    t = t0
    rhs(t, y, p, f)
    # select_initial_step (order = 7, direction = +1)
    interval = abs(t1 - t0)
    scale = atol + np.abs(y) * rtol
    d0 = _rms(y / scale)
    d1 = _rms(f / scale)
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    h0 = min(h0, interval)
    f1 = np.empty(n)
    rhs(t0 + h0, y + h0 * f, p, f1)
    d2 = _rms((f1 - f) / scale) / h0
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1.0 / 8.0)
    h_abs = min(100 * h0, h1, interval, max_step)

    k = 0
    ts[0] = t
    ys[0] = y
    y_new = np.empty(n)
    while t < t1:
        min_step = 10 * abs(np.nextafter(t, np.inf) - t)
        if h_abs > max_step:
            h_abs = max_step
        elif h_abs < min_step:
            h_abs = min_step
        accepted = False
        rejected = False
        h = 0.0
        while not accepted:
            if h_abs < min_step:
                raise RuntimeError("DOP853: required step size is less than spacing between numbers")
            t_new = t + h_abs
            if t_new - t1 > 0:
                t_new = t1
            h = t_new - t
            h_abs = abs(h)
            K[0, :] = f
            for s in range(1, N_STAGES):
                _stage(rhs, p, t, y, K, s, A[s], C[s], h, out)
            for i in range(n):
                acc = 0.0
                for j in range(N_STAGES):
                    acc += K[j, i] * B[j]
                y_new[i] = y[i] + h * acc
            rhs(t + h, y_new, p, out)
            K[N_STAGES, :] = out
            e5 = 0.0
            e3 = 0.0
            for i in range(n):
                sc = atol + max(abs(y[i]), abs(y_new[i])) * rtol
                a5 = 0.0
                a3 = 0.0
                for j in range(N_STAGES + 1):
                    a5 += K[j, i] * E5[j]
                    a3 += K[j, i] * E3[j]
                e5 += (a5 / sc) ** 2
                e3 += (a3 / sc) ** 2
            if e5 == 0.0 and e3 == 0.0:
                err = 0.0
            else:
                err = abs(h) * e5 / math.sqrt((e5 + 0.01 * e3) * n)
            if err < 1:
                if err == 0:
                    factor = MAX_FACTOR
                else:
                    factor = min(MAX_FACTOR, SAFETY * err ** ERROR_EXPONENT)
                if rejected:
                    factor = min(1.0, factor)
                h_abs *= factor
                accepted = True
            else:
                h_abs *= max(MIN_FACTOR, SAFETY * err ** ERROR_EXPONENT)
                rejected = True
        # dense output of the step (t, y) -> (t_new, y_new)
        for e in range(A_EXTRA.shape[0]):
            _stage(rhs, p, t, y, K, N_STAGES + 1 + e, A_EXTRA[e], C_EXTRA[e], h, out)
        if k + 1 >= cap:
            cap *= 2
            ts2 = np.empty(cap)
            ys2 = np.empty((cap, n))
            Fs2 = np.empty((cap, POWER, n))
            ts2[: k + 1] = ts[: k + 1]
            ys2[: k + 1] = ys[: k + 1]
            Fs2[:k] = Fs[:k]
            ts, ys, Fs = ts2, ys2, Fs2
        f_new = K[N_STAGES]
        for i in range(n):
            dy = y_new[i] - y[i]
            Fs[k, 0, i] = dy
            Fs[k, 1, i] = h * K[0, i] - dy
            Fs[k, 2, i] = 2 * dy - h * (f_new[i] + K[0, i])
            for r in range(D.shape[0]):
                acc = 0.0
                for j in range(N_EXTENDED):
                    acc += D[r, j] * K[j, i]
                Fs[k, 3 + r, i] = h * acc
        k += 1
        t = t_new
        y[:] = y_new
        f[:] = f_new
        ts[k] = t
        ys[k] = y
    return ts[: k + 1].copy(), ys[: k + 1].copy(), Fs[:k].copy()


class Dense:
    """The dense output of a run, as scipy's ``OdeSolution`` of ``Dop853DenseOutput`` pieces:
    ``sol(t)`` is the (n,) state at a number t, or the (n, len(t)) states at an array of times."""

    def __init__(self, ts, ys, Fs):
        self.ts, self.ys, self.Fs = ts, ys, Fs
        self.t_min, self.t_max = float(ts[0]), float(ts[-1])

    @property
    def n_steps(self) -> int:
        return self.ts.size - 1

    def __call__(self, t):
        t = np.asarray(t, dtype=float)
        scalar = t.ndim == 0
        tt = np.atleast_1d(t)
        seg = np.clip(np.searchsorted(self.ts, tt, side="left") - 1, 0, self.ts.size - 2)
        t_old = self.ts[seg]
        x = ((tt - t_old) / (self.ts[seg + 1] - t_old))[:, None]
        F = self.Fs[seg]  # (m, 7, n)
        y = np.zeros((tt.size, self.ys.shape[1]))
        for i in range(POWER):
            y += F[:, POWER - 1 - i, :]
            y *= x if i % 2 == 0 else 1.0 - x
        y += self.ys[seg]
        return y[0] if scalar else y.T


_compiled: set = set()


def _compile(rhs) -> None:
    """Compile (or load from numba's disk cache) the integrator and ``rhs`` once per process, under a
    file lock: parallel test workers on a fresh checkout then compile once, the others load."""
    if rhs in _compiled:
        return
    import fcntl
    import os

    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "dop853.compile.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _INTEGRATE_SIGNATURE.args not in _integrate.overloads:
                _integrate.compile(_INTEGRATE_SIGNATURE)
                _integrate.disable_compile()
            rhs.compile(RHS_SIGNATURE.args)
            rhs.disable_compile()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    _compiled.add(rhs)


def integrate(rhs, p, t0: float, t1: float, y0, rtol: float, atol: float, max_step: float = math.inf) -> Dense:
    _compile(rhs)
    ts, ys, Fs = _integrate(rhs, np.asarray(p, dtype=float), float(t0), float(t1),
                            np.array(y0, dtype=float), float(rtol), float(atol), float(max_step))
    return Dense(ts, ys, Fs)


def upward_crossings(sol: Dense, component: int = 0, level: float = 0.0) -> np.ndarray:
    """Times where ``y[component] - level`` crosses zero upward, as solve_ivp's events with
    ``direction = 1`` find them: a step whose end values go from <= 0 to >= 0, then ``brentq`` on the
    dense output of the run (xtol = rtol = 4 eps)."""
    g = sol.ys[:, component] - level
    steps = np.flatnonzero((g[:-1] <= 0) & (g[1:] >= 0))
    return np.array([brentq(lambda s: float(sol(s)[component]) - level, sol.ts[i], sol.ts[i + 1],
                            xtol=4 * EPS, rtol=4 * EPS) for i in steps])
