"""Voltage-dependent opening (α) and closing (β) rates of the HH gates.

Rates are in 1/ms at the reference temperature of 6.3 °C, with V in mV.
Each rate is written once, as a small function of V built from two primitives,
:func:`_exp` and :func:`_x_over_1_minus_exp_neg`. The public functions of the
same name evaluate that body with numpy on numbers or arrays (no compilation,
so ``import hh_lib`` stays fast); the compiled integrators inline the *same*
body, in which the two primitives are bound to compiled versions that LLVM can
vectorise (:func:`_exp_k`, :func:`_x_over_1_minus_exp_neg_k`).

Two rates have the form ``a·x / (1 - exp(-x))``, which is 0/0 at x = 0
(V = -40 mV for α_m, V = -55 mV for α_n). :func:`_x_over_1_minus_exp_neg`
evaluates it with its limit, so the rates are finite and smooth there.
"""

from __future__ import annotations

import math
import types
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as check
from ._compat import intrinsic, ir, njit
from ._compat import types as nbtypes
from .parameters import HHParameters, resolve

FloatOrArray = float | NDArray[np.float64]


def _exp(x):
    """e**x of a number or an array (numpy; compiled code uses :func:`_exp_k`)."""
    return np.exp(x)


def _x_over_1_minus_exp_neg(x):
    """x / (1 - exp(-x)), continuous at x = 0 where it equals 1.

    Works on numbers and arrays alike. ``-expm1(-x)`` is ``1 - exp(-x)``
    without cancellation for small x, and it is 0 only at x = 0; there
    1 is added to the numerator and the denominator: the limit 1/1.
    """
    d = -np.expm1(-x)
    at_zero = d == 0.0
    return (x + at_zero) / (d + at_zero)


def _alpha_m(V):
    # = 0.1 (V+40) / (1 - e^{-(V+40)/10})
    return 1.0 * _x_over_1_minus_exp_neg((V + 40.0) / 10.0)


def _beta_m(V):
    return 4.0 * _exp(-(V + 65.0) / 18.0)


def _alpha_h(V):
    return 0.07 * _exp(-(V + 65.0) / 20.0)


def _beta_h(V):
    return 1.0 / (1.0 + _exp(-(V + 35.0) / 10.0))


def _alpha_n(V):
    # = 0.01 (V+55) / (1 - e^{-(V+55)/10})
    return 0.1 * _x_over_1_minus_exp_neg((V + 55.0) / 10.0)


def _beta_n(V):
    return 0.125 * _exp(-(V + 65.0) / 80.0)


# Scalar versions for the compiled integrators: see kernel_version below.


# --- The two primitives in compiled code --------------------------------------------------
# numba compiles np.exp to a call of the C library, which stops LLVM from vectorising the
# loops of the F-I kernel (4 membranes per AVX2 instruction). The compiled versions below are
# written directly as LLVM instructions (numba intrinsics): arithmetic, fused multiply-adds and
# bit casts only. This also keeps the numba front end out of them, which compiles faster.
# Both are accurate to about 2 units in the last place.

_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln 2 split in two: k·_LN2_HI is exact for |k| < 2**11
_LN2_LO = 1.90821492927058770002e-10
_ROUND = 6755399441055744.0  # 1.5·2**52: adding it rounds a float to an integer
_EXP_TAYLOR = tuple(1.0 / math.factorial(j) for j in range(13, -1, -1))  # 1/13!, ..., 1/1!, 1/0!
# x / (1 - exp(-x)) = sum of B_j (-x)**j / j! (Bernoulli numbers) = 1 + x/2 + x²/12 - x⁴/720 + ...
_BERNOULLI_SERIES = (1.0 / 47900160.0, -1.0 / 1209600.0, 1.0 / 30240.0, -1.0 / 720.0, 1.0 / 12.0)

_F64, _I64 = ir.DoubleType(), ir.IntType(64)


def _f(value: float) -> ir.Constant:
    return ir.Constant(_F64, value)


def _emit_exp(builder: ir.IRBuilder, x: ir.Value) -> ir.Value:
    """e**x: x = k·ln2 + r with |r| <= ln2/2; e**r by its Taylor series to r**13 (the omitted
    term is below 5e-18); 2**k built from its bits. x is clamped to ±708 (NaN passes through)."""
    x = builder.select(builder.fcmp_ordered("<", x, _f(-708.0)), _f(-708.0), x)
    x = builder.select(builder.fcmp_ordered(">", x, _f(708.0)), _f(708.0), x)
    t = builder.fma(x, _f(_LOG2E), _f(_ROUND))  # k + 1.5·2**52: k = round(x / ln 2) in the low bits
    k = builder.fsub(t, _f(_ROUND))
    r = builder.fma(k, _f(-_LN2_HI), x)
    r = builder.fma(k, _f(-_LN2_LO), r)
    p = _f(_EXP_TAYLOR[0])
    for c in _EXP_TAYLOR[1:]:  # Horner
        p = builder.fma(p, r, _f(c))
    k_int = builder.sub(builder.bitcast(t, _I64), builder.bitcast(_f(_ROUND), _I64))
    two_k = builder.bitcast(builder.shl(builder.add(k_int, ir.Constant(_I64, 1023)), ir.Constant(_I64, 52)), _F64)
    return builder.fmul(p, two_k)


def _emit_x_over_1_minus_exp_neg(builder: ir.IRBuilder, x: ir.Value) -> ir.Value:
    """x / (1 - e**-x) without a branch: its series for |x| < 0.2 (first omitted term < 3e-18),
    the quotient elsewhere (there |1 - e**-x| >= 0.18, so no cancellation to speak of)."""
    x2 = builder.fmul(x, x)
    s = _f(_BERNOULLI_SERIES[0])
    for c in _BERNOULLI_SERIES[1:]:
        s = builder.fma(s, x2, _f(c))
    series = builder.fma(x2, s, builder.fma(x, _f(0.5), _f(1.0)))
    quotient = builder.fdiv(x, builder.fsub(_f(1.0), _emit_exp(builder, builder.fneg(x))))
    small = builder.and_(builder.fcmp_ordered("<", x, _f(0.2)), builder.fcmp_ordered(">", x, _f(-0.2)))
    return builder.select(small, series, quotient)


@intrinsic
def _exp_k(typingctx, x):
    """e**x in compiled code (float64 only); see :func:`_emit_exp`."""
    if x != nbtypes.float64:
        return None
    return nbtypes.float64(nbtypes.float64), lambda context, builder, sig, args: _emit_exp(builder, args[0])


@intrinsic
def _x_over_1_minus_exp_neg_k(typingctx, x):
    """x / (1 - exp(-x)) in compiled code (float64 only); see :func:`_emit_x_over_1_minus_exp_neg`."""
    if x != nbtypes.float64:
        return None
    return nbtypes.float64(nbtypes.float64), lambda context, builder, sig, args: _emit_x_over_1_minus_exp_neg(
        builder, args[0]
    )


_INLINE = dict(inline="always", error_model="numpy")  # inlined into the kernel that calls it


def kernel_version(func: Callable, **bindings: Callable) -> Callable:
    """The same function (same code object) with some of its global names bound to other objects.

    By default the two primitives are bound to their compiled versions; ``bindings`` adds more
    (:mod:`hh_lib.integrators` binds the rates of :func:`hh_lib.model.hh_rhs` this way). The
    result is plain Python, to be compiled with ``njit``.
    """
    namespace = dict(func.__globals__, _exp=_exp_k, _x_over_1_minus_exp_neg=_x_over_1_minus_exp_neg_k)
    namespace.update(bindings)
    clone = types.FunctionType(func.__code__, namespace, func.__name__)
    clone.__qualname__, clone.__doc__ = func.__qualname__, func.__doc__
    return clone


# For the kernels (inlined where they are called, so that LLVM can vectorise the loop around them).
_alpha_m_k, _beta_m_k, _alpha_h_k, _beta_h_k, _alpha_n_k, _beta_n_k = (
    njit(**_INLINE)(kernel_version(f)) for f in (_alpha_m, _beta_m, _alpha_h, _beta_h, _alpha_n, _beta_n)
)
# Callable compiled scalar versions (compiled on first use), e.g. for hh_lib.model and hh_lib.reduction.
alpha_m_s, beta_m_s, alpha_h_s, beta_h_s, alpha_n_s, beta_n_s = (
    njit(cache=True)(kernel_version(f)) for f in (_alpha_m, _beta_m, _alpha_h, _beta_h, _alpha_n, _beta_n)
)


# --- Public functions ------------------------------------------------------------------------


def _public(body: Callable, name: str, doc: str) -> Callable[[ArrayLike], FloatOrArray]:
    def rate(V: ArrayLike) -> FloatOrArray:
        arr = check.real_array("V", V, unit="mV")
        with np.errstate(over="ignore"):  # e.g. α_h at V = -20000 mV is inf, as it should be
            out = body(arr)
        return float(out) if np.ndim(out) == 0 else out

    rate.__name__ = rate.__qualname__ = name
    rate.__doc__ = (
        f"{doc}\n\n    Parameters\n    ----------\n    V : float or array\n        Membrane potential (mV).\n\n"
        "    Returns\n    -------\n    float or ndarray\n        Rate (1/ms) at 6.3 °C; a float for a scalar V.\n"
    )
    return rate


alpha_m = _public(_alpha_m, "alpha_m", "Opening rate of the Na⁺ activation gate m.")
beta_m = _public(_beta_m, "beta_m", "Closing rate of the Na⁺ activation gate m.")
alpha_h = _public(_alpha_h, "alpha_h", "Rate of recovery from Na⁺ inactivation (h gate opening).")
beta_h = _public(_beta_h, "beta_h", "Rate of Na⁺ inactivation (h gate closing).")
alpha_n = _public(_alpha_n, "alpha_n", "Opening rate of the K⁺ activation gate n.")
beta_n = _public(_beta_n, "beta_n", "Closing rate of the K⁺ activation gate n.")

_GATES = ((alpha_m, beta_m), (alpha_h, beta_h), (alpha_n, beta_n))


def steady_state(V: ArrayLike) -> tuple[FloatOrArray, FloatOrArray, FloatOrArray]:
    """Steady-state open fractions ``x_inf = α / (α + β)`` of the m, h and n gates.

    Parameters
    ----------
    V : float or array
        Membrane potential (mV).

    Returns
    -------
    (m_inf, h_inf, n_inf)
        Dimensionless, in [0, 1]; independent of temperature (φ cancels).
    """
    out = []
    for alpha, beta in _GATES:
        a, b = alpha(V), beta(V)
        out.append(a / (a + b))
    return out[0], out[1], out[2]


def time_constants(
    V: ArrayLike, params: HHParameters | None = None
) -> tuple[FloatOrArray, FloatOrArray, FloatOrArray]:
    """Time constants ``tau_x = 1 / (φ (α + β))`` of the m, h and n gates (ms).

    Parameters
    ----------
    V : float or array
        Membrane potential (mV).
    params : HHParameters, optional
        Supplies the temperature factor φ; defaults to 6.3 °C (φ = 1).
    """
    phi = resolve(params).phi
    out = []
    for alpha, beta in _GATES:
        out.append(1.0 / (phi * (alpha(V) + beta(V))))
    return out[0], out[1], out[2]
