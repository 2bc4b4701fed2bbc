"""The FitzHugh-Nagumo model: a two-variable caricature of the HH neuron.

    dv/dt = v - v³/3 - w + I
    dw/dt = ε (v + a - b w)

Everything here is **dimensionless**: ``v`` is a fast voltage-like variable,
``w`` a slow recovery variable, ``I`` the injected current and ``t`` a time in
units of the fast time scale (one unit is *not* a millisecond). The defaults
a = 0.7, b = 0.8, ε = 0.08 are FitzHugh's (1961).

For 0 < b ≤ 1 the model has exactly one fixed point for every I (see
:func:`fhn_fixed_point`), which is stable for I outside the interval between the
two Hopf currents of :func:`fhn_hopf_currents` and unstable inside it, where the
neuron oscillates (repetitive firing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kernels._numba import njit
from .._kernels.rk4 import rk4_step
from ..core import validation as check
from ..core.grid import Current, current_table, expand_currents, time_grid
from ..core.params import FrozenParameters
from ..core.spikes import spike_times

__all__ = [
    "FHNParameters",
    "FHNResult",
    "FHNStability",
    "fhn_fixed_point",
    "fhn_hopf_currents",
    "fhn_jacobian",
    "fhn_nullclines",
    "fhn_rhs",
    "fhn_stability",
    "fhn_vector_field",
    "simulate_fhn",
]

_UNIT_T = "dimensionless time"
_UNIT_I = "dimensionless current"
_UNIT_V = "dimensionless"

#: Initial values accepted for v0 and w0 (dimensionless).
STATE_RANGE = (-10.0, 10.0)


class FHNParameters(FrozenParameters):
    """Parameters of the FitzHugh-Nagumo model (all dimensionless).

    Attributes
    ----------
    a : float
        Offset of the w-nullcline w = (v + a)/b. Default 0.7.
    b : float
        Slope parameter of the recovery variable, in (0, 1]. Default 0.8. The bound
        makes the fixed point unique for every I (the cubic of
        :func:`fhn_fixed_point` is then strictly monotonic).
    epsilon : float
        Time-scale ratio of w to v, > 0. Default 0.08 (w is 12.5 times slower).
    """

    a: float = 0.7
    b: float = 0.8
    epsilon: float = 0.08

    _RULES = {"a": ("finite", _UNIT_V), "b": ("finite", _UNIT_V), "epsilon": ("positive", _UNIT_V)}
    #: Packed for the compiled kernel: a, b, epsilon.
    _PACKED = ("a", "b", "epsilon")

    def _check(self) -> None:
        if not 0.0 < self.b <= 1.0:
            raise ValueError(f"b must lie in (0, 1] (dimensionless) so that the fixed point is unique, got {self.b:g}")


def fhn_rhs(v, w, I, a, b, eps):
    """The FitzHugh-Nagumo vector field (dv/dt, dw/dt) (dimensionless; numbers or arrays)."""
    return v - v * v * v / 3.0 - w + I, eps * (v + a - b * w)


def fhn_vector_field(v: ArrayLike, w: ArrayLike, I: float = 0.0, params: FHNParameters | None = None) -> tuple[Any, Any]:
    """(dv/dt, dw/dt) at the points (v, w) for a constant current I (all dimensionless; v and w broadcast)."""
    v = check.real_array("v", v, unit=_UNIT_V)
    w = check.real_array("w", w, unit=_UNIT_V)
    I = check.finite_scalar("I", I, unit=_UNIT_I)
    p = FHNParameters.resolve(params)
    return fhn_rhs(v, w, I, p.a, p.b, p.epsilon)


# --- Geometry: nullclines, fixed point, linearisation ------------------------------------------


def fhn_nullclines(
    v: ArrayLike, I: float = 0.0, params: FHNParameters | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The two nullclines as functions of v (all dimensionless).

    Returns ``(w_v, w_w)``: the cubic v-nullcline w = v - v³/3 + I (where dv/dt = 0)
    and the straight w-nullcline w = (v + a)/b (where dw/dt = 0), shaped like v.
    """
    v = check.real_array("v", v, unit=_UNIT_V)
    I = check.finite_scalar("I", I, unit=_UNIT_I)
    p = FHNParameters.resolve(params)
    return v - v**3 / 3.0 + I, (v + p.a) / p.b


def fhn_fixed_point(I: ArrayLike = 0.0, params: FHNParameters | None = None) -> tuple[Any, Any]:
    """The unique fixed point (v*, w*) for a constant current I (dimensionless).

    Substituting the w-nullcline w = (v + a)/b into the v-nullcline gives the
    depressed cubic

        v³ + p v + q = 0,   p = 3 (1/b - 1),   q = 3 (a/b - I).

    For 0 < b ≤ 1, p ≥ 0, so the cubic is strictly increasing and has exactly one
    real root, given by Cardano's formula with D = (q/2)² + (p/3)³ ≥ 0:

        v* = cbrt(-q/2 + sqrt(D)) + cbrt(-q/2 - sqrt(D)),   w* = (v* + a)/b.

    Parameters
    ----------
    I : float or array
        Constant current (dimensionless), any shape.
    params : FHNParameters, optional

    Returns
    -------
    (v*, w*) as floats for a scalar I, otherwise as arrays shaped like I.
    """
    I = check.real_array("I", I, unit=_UNIT_I)
    prm = FHNParameters.resolve(params)
    p = 3.0 * (1.0 / prm.b - 1.0)
    q = 3.0 * (prm.a / prm.b - I)
    sqrt_d = np.sqrt((q / 2.0) ** 2 + (p / 3.0) ** 3)
    v = np.cbrt(-q / 2.0 + sqrt_d) + np.cbrt(-q / 2.0 - sqrt_d)
    # One Newton step on the cubic removes the cancellation error of Cardano's formula.
    slope = 3.0 * v**2 + p
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(slope > 0.0, v - (v**3 + p * v + q) / slope, v)
    w = (v + prm.a) / prm.b
    if v.ndim == 0:
        return float(v), float(w)
    return v, w


def fhn_jacobian(v: float, params: FHNParameters | None = None) -> NDArray[np.float64]:
    """Jacobian of (dv/dt, dw/dt) with respect to (v, w) at voltage v (dimensionless, 2×2).

        J = [[1 - v²,  -1    ],
             [ε,       -ε b  ]]

    It depends on neither w nor I (the model is linear in both).
    """
    v = check.finite_scalar("v", v, unit=_UNIT_V)
    p = FHNParameters.resolve(params)
    return np.array([[1.0 - v * v, -1.0], [p.epsilon, -p.epsilon * p.b]])


@dataclass(frozen=True)
class FHNStability:
    """Linear stability of the fixed point for one current (all dimensionless).

    Attributes
    ----------
    I : float
        The constant current.
    v, w : float
        The fixed point.
    eigenvalues : (2,) complex array
        Eigenvalues of the Jacobian there (rates per unit of dimensionless time).
    trace, determinant : float
        Of the Jacobian.
    stable : bool
        True when both eigenvalues have negative real part.
    kind : str
        "stable focus", "unstable focus", "stable node", "unstable node",
        "center" (trace exactly 0) or "saddle".
    """

    I: float
    v: float
    w: float
    eigenvalues: NDArray[np.complex128]
    trace: float
    determinant: float
    stable: bool
    kind: str

    @property
    def kind_korean(self) -> str:
        """The page's Korean name of :attr:`kind` (e.g. "안정 나선점" for "stable focus")."""
        return KIND_NAMES_KO[self.kind]


#: Korean names of the fixed-point kinds (the course's terms; used by pages and figures).
KIND_NAMES_KO = {
    "saddle": "안장점",
    "center": "중심",
    "stable focus": "안정 나선점",
    "unstable focus": "불안정 나선점",
    "stable node": "안정 마디점",
    "unstable node": "불안정 마디점",
}


def fhn_stability(I: float = 0.0, params: FHNParameters | None = None) -> FHNStability:
    """Fixed point, eigenvalues and classification for a constant current I (dimensionless)."""
    I = check.finite_scalar("I", I, unit=_UNIT_I)
    p = FHNParameters.resolve(params)
    v, w = fhn_fixed_point(I, p)
    J = fhn_jacobian(v, p)
    tr, det = float(np.trace(J)), float(np.linalg.det(J))
    eig = np.linalg.eigvals(J).astype(np.complex128)
    if det < 0:
        kind = "saddle"
    elif tr == 0.0:
        kind = "center"
    else:
        kind = ("stable " if tr < 0 else "unstable ") + ("focus" if tr * tr < 4.0 * det else "node")
    return FHNStability(
        I=I, v=v, w=w, eigenvalues=eig, trace=tr, determinant=det, stable=bool(np.all(eig.real < 0)), kind=kind
    )


def fhn_hopf_currents(params: FHNParameters | None = None) -> tuple[float, float]:
    """The two currents (dimensionless) at which the fixed point changes stability (Hopf bifurcations).

    Derivation. At the fixed point (v*, w*) the Jacobian is

        J = [[1 - v*²,  -1], [ε, -ε b]],
        tr J  = 1 - v*² - ε b,
        det J = ε (1 - b + b v*²).

    For 0 < b ≤ 1, det J > 0 always, so the eigenvalues cross the imaginary axis
    exactly where tr J = 0, i.e. at

        v* = ± sqrt(1 - ε b)          (requires ε b < 1),

    where they are ± i sqrt(det J) = ± i sqrt(ε (1 - ε b²)). The current that puts
    the fixed point there follows from the two nullclines: w* = (v* + a)/b and
    0 = v* - v*³/3 - w* + I, hence

        I_H = w* - v* + v*³/3 = (v* + a)/b - v* + v*³/3.

    Since I ↦ v* is increasing, the lower root v* = -sqrt(1 - ε b) gives the lower
    current. For a = 0.7, b = 0.8, ε = 0.08: v* = ∓0.967471, I_H ≈ 0.331279 and
    1.418721. For I_low < I < I_high the fixed point is unstable (tr J > 0).

    Returns
    -------
    (I_low, I_high) : floats

    Raises
    ------
    ValueError
        If ε b >= 1: tr J < 0 for every I and there is no Hopf bifurcation.
    """
    p = FHNParameters.resolve(params)
    disc = 1.0 - p.epsilon * p.b
    if disc <= 0.0:
        raise ValueError(
            f"no Hopf bifurcation when epsilon*b >= 1 (got epsilon*b = {p.epsilon * p.b:g}): "
            "the fixed point is stable for every current"
        )
    vs = np.array([-np.sqrt(disc), np.sqrt(disc)])
    I_h = (vs + p.a) / p.b - vs + vs**3 / 3.0
    return float(I_h[0]), float(I_h[1])


# --- Simulation ------------------------------------------------------------------------------


_fhn_rhs_k = njit(inline="always")(fhn_rhs)


@njit(inline="always")
def _state_rhs(y, args):
    return _fhn_rhs_k(y[0], y[1], args[0], args[1], args[2], args[3])


@njit(cache=True)
def _fhn_rk4(v0, w0, table, dt, n_steps, p):
    """Classical RK4 on the grid t = k·dt for a batch; the current is constant over each step."""
    a, b, eps = p[0], p[1], p[2]
    B = table.shape[0]
    constant = table.shape[1] == 1
    V = np.empty((B, n_steps + 1))
    W = np.empty((B, n_steps + 1))
    for j in range(B):
        y = (v0, w0)
        V[j, 0], W[j, 0] = v0, w0
        for k in range(n_steps):
            I = table[j, 0] if constant else table[j, k]
            y = rk4_step(_state_rhs, y, dt, (I, a, b, eps))
            V[j, k + 1], W[j, k + 1] = y
    return V, W


@dataclass(frozen=True)
class FHNResult:
    """A simulated FitzHugh-Nagumo trajectory (all dimensionless). Arrays are
    ``(n_time,)`` for one current and ``(n_amplitudes, n_time)`` for a batch.

    Attributes
    ----------
    t : (n_time,) array
        Time (dimensionless).
    v, w : arrays
        Fast (voltage-like) and slow (recovery) variables.
    I : array
        Injected current, same shape as v; the value at t[k] is held until t[k+1].
    params : FHNParameters
    """

    t: NDArray[np.float64]
    v: NDArray[np.float64]
    w: NDArray[np.float64]
    I: NDArray[np.float64]
    params: FHNParameters

    def crossing_times(self, threshold: float = 1.0) -> NDArray[np.float64] | list[NDArray[np.float64]]:
        """Times (dimensionless) at which v crosses ``threshold`` upwards ("spikes"),
        linearly interpolated, via :func:`hh_lib.core.spikes.spike_times`."""
        return spike_times(self.t, self.v, threshold)


def simulate_fhn(
    I: Current = 0.0,
    duration: float = 200.0,
    dt: float = 0.01,
    params: FHNParameters | None = None,
    v0: float | None = None,
    w0: float | None = None,
) -> FHNResult:
    """Integrate the FitzHugh-Nagumo model with classical fourth-order Runge-Kutta.

    The fixed step ``dt`` = 0.01 (dimensionless) is about 1/100 of the fastest time
    scale of v, so the RK4 error is far below anything visible (halving dt changes
    the default trajectory by < 1e-6).

    Parameters
    ----------
    I : float, 1-D array or callable
        Injected current (dimensionless). A number is applied from t = 0; a callable
        ``I(t)`` is sampled at each grid time and held over that interval; a 1-D
        array of amplitudes simulates one trajectory per amplitude (a batch).
    duration : float
        Simulated time (dimensionless), > 0.
    dt : float
        Step and sample spacing (dimensionless), 0 < dt < duration.
    params : FHNParameters, optional
    v0, w0 : float, optional
        Initial state (dimensionless, in [-10, 10]); each defaults to the
        corresponding coordinate of the resting state, the fixed point for I = 0.

    Returns
    -------
    FHNResult
    """
    t = time_grid(duration, dt, unit=_UNIT_T)
    p = FHNParameters.resolve(params)
    rest_v, rest_w = fhn_fixed_point(0.0, p)
    v0 = rest_v if v0 is None else check.scalar_in_range("v0", v0, *STATE_RANGE, unit=_UNIT_V)
    w0 = rest_w if w0 is None else check.scalar_in_range("w0", w0, *STATE_RANGE, unit=_UNIT_V)
    table, batch = current_table(I, t, name="I", unit=_UNIT_I)
    V, W = _fhn_rk4(v0, w0, table, t[1] - t[0], t.size - 1, p.as_array())
    if not (np.all(np.isfinite(V)) and np.all(np.isfinite(W))):
        raise RuntimeError("the FitzHugh-Nagumo integration diverged (non-finite state); use a smaller dt")
    currents = expand_currents(table, t.size)
    if not batch:
        V, W, currents = V[0], W[0], currents[0]
    return FHNResult(t=t, v=V, w=W, I=currents, params=p)
