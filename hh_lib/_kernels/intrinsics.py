"""Small functions written directly as LLVM instructions (numba intrinsics).

numba compiles ``np.exp`` and ``math.log`` to calls of the C library, which stops LLVM
from vectorising the loops of the F-I kernel (4 membranes per AVX2 instruction). The
versions here use arithmetic, fused multiply-adds and bit casts only; this also keeps
the numba front end out of them, which compiles faster.

* :func:`exp_k`: e**x, accurate to about 2 units in the last place.
* :func:`x_over_1_minus_exp_neg_k`: x / (1 - e**-x) with its limit 1 at x = 0, same accuracy.
* :func:`log_k`: ln x to about 1e-6, for the step-size control.
* :func:`take_next`: an atomic counter shared by threads.
"""

from __future__ import annotations

import math

from ._numba import intrinsic, ir, types

_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln 2 split in two: k·_LN2_HI is exact for |k| < 2**11
_LN2_LO = 1.90821492927058770002e-10
_ROUND = 6755399441055744.0  # 1.5·2**52: adding it rounds a float to an integer
_EXP_TAYLOR = tuple(1.0 / math.factorial(j) for j in range(13, -1, -1))  # 1/13!, ..., 1/1!, 1/0!
# x / (1 - exp(-x)) = sum of B_j (-x)**j / j! (Bernoulli numbers) = 1 + x/2 + x²/12 - x⁴/720 + ...
_BERNOULLI_SERIES = (1.0 / 47900160.0, -1.0 / 1209600.0, 1.0 / 30240.0, -1.0 / 720.0, 1.0 / 12.0)
# ln mant = 2 atanh(s) = 2 (s + s³/3 + s⁵/5 + s⁷/7 + s⁹/9), s = (mant - 1)/(mant + 1)
_ATANH_SERIES = (1.0 / 9.0, 1.0 / 7.0, 0.2, 1.0 / 3.0, 1.0)

_F64, _I64 = ir.DoubleType(), ir.IntType(64)


def _f(value: float) -> ir.Constant:
    return ir.Constant(_F64, value)


def _i(value: int) -> ir.Constant:
    return ir.Constant(_I64, value)


def emit_exp(builder: ir.IRBuilder, x: ir.Value) -> ir.Value:
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
    two_k = builder.bitcast(builder.shl(builder.add(k_int, _i(1023)), _i(52)), _F64)
    return builder.fmul(p, two_k)


def emit_x_over_1_minus_exp_neg(builder: ir.IRBuilder, x: ir.Value) -> ir.Value:
    """x / (1 - e**-x) without a branch: its series for |x| < 0.2 (first omitted term < 3e-18),
    the quotient elsewhere (there |1 - e**-x| >= 0.18, so no cancellation to speak of)."""
    x2 = builder.fmul(x, x)
    s = _f(_BERNOULLI_SERIES[0])
    for c in _BERNOULLI_SERIES[1:]:
        s = builder.fma(s, x2, _f(c))
    series = builder.fma(x2, s, builder.fma(x, _f(0.5), _f(1.0)))
    quotient = builder.fdiv(x, builder.fsub(_f(1.0), emit_exp(builder, builder.fneg(x))))
    small = builder.and_(builder.fcmp_ordered("<", x, _f(0.2)), builder.fcmp_ordered(">", x, _f(-0.2)))
    return builder.select(small, series, quotient)


def emit_log(builder: ir.IRBuilder, x: ir.Value) -> ir.Value:
    """ln x for x > 0 (clamped to >= 1e-300), to about 1e-6: x = mant·2**e with mant in [1, 2),
    ln mant = 2 atanh(s) by its series to s**9."""
    x = builder.select(builder.fcmp_ordered("<", x, _f(1e-300)), _f(1e-300), x)
    bits = builder.bitcast(x, _I64)
    e = builder.sitofp(builder.sub(builder.ashr(bits, _i(52)), _i(1023)), _F64)
    mant = builder.bitcast(builder.or_(builder.and_(bits, _i(0xFFFFFFFFFFFFF)), _i(0x3FF0000000000000)), _F64)
    s = builder.fdiv(builder.fsub(mant, _f(1.0)), builder.fadd(mant, _f(1.0)))
    s2 = builder.fmul(s, s)
    poly = _f(_ATANH_SERIES[0])
    for c in _ATANH_SERIES[1:]:
        poly = builder.fma(poly, s2, _f(c))
    return builder.fma(e, _f(0.6931471805599453), builder.fmul(builder.fmul(s, _f(2.0)), poly))


def _unary(emit):
    """A float64 -> float64 intrinsic whose body ``emit(builder, x)`` writes."""

    def typer(typingctx, x):
        if x != types.float64:
            return None
        return types.float64(types.float64), lambda context, builder, sig, args: emit(builder, args[0])

    typer.__name__ = emit.__name__.replace("emit_", "") + "_k"
    typer.__doc__ = f"Compiled code only (float64); see :func:`{emit.__name__}`."
    return intrinsic(typer)


exp_k = _unary(emit_exp)
x_over_1_minus_exp_neg_k = _unary(emit_x_over_1_minus_exp_neg)
log_k = _unary(emit_log)


@intrinsic
def take_next(typingctx, counter):
    """Atomically ``counter[0] += 1``; returns the old value (threads share one list of work)."""
    if not (isinstance(counter, types.Array) and counter.dtype == types.int64 and counter.ndim == 1):
        return None

    def codegen(context, builder, sig, args):
        data = context.make_array(sig.args[0])(context, builder, args[0]).data
        return builder.atomic_rmw("add", data, _i(1), "monotonic")

    return types.int64(counter), codegen
