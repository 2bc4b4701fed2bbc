"""The HH physics (:mod:`hh_lib.hh.rates`, :mod:`hh_lib.hh.equations`) in compiled code.

Nothing is rewritten here: :func:`kernel_version` takes the very same Python function
and binds some of its global names to compiled objects, the two primitives of the rate
functions to the LLVM intrinsics and the rates and currents to their compiled versions.
"""

from __future__ import annotations

import types
from typing import Callable

from ..hh import equations, rates
from ._numba import njit
from .intrinsics import exp_k, x_over_1_minus_exp_neg_k

#: Compilation options of small helpers inlined into the kernel that calls them.
INLINE = dict(inline="always", error_model="numpy")


def kernel_version(func: Callable, **bindings: Callable) -> Callable:
    """The same function (same code object) with some of its global names bound to other objects.

    The two primitives of the rate functions are always bound to their compiled versions.
    The result is plain Python, to be compiled with ``njit``.
    """
    namespace = dict(func.__globals__, _exp=exp_k, _x_over_1_minus_exp_neg=x_over_1_minus_exp_neg_k)
    namespace.update(bindings)
    clone = types.FunctionType(func.__code__, namespace, func.__name__)
    clone.__qualname__, clone.__doc__ = func.__qualname__, func.__doc__
    return clone


def _inlined(func: Callable, **bindings: Callable) -> Callable:
    return njit(**INLINE)(kernel_version(func, **bindings))


#: The six rates, compiled (the bodies of the public functions, without their argument check).
RATES = {f.__name__: _inlined(f.__wrapped__) for f in (rates.alpha_m, rates.beta_m, rates.alpha_h,
                                                       rates.beta_h, rates.alpha_n, rates.beta_n)}
_conductances = _inlined(equations.conductances)
_ionic_currents = _inlined(equations.ionic_currents, conductances=_conductances)
#: :func:`hh_lib.hh.equations.na_conductance_ratio`, compiled (the state rule of the F-I kernel).
na_conductance_ratio = _inlined(equations.na_conductance_ratio, conductances=_conductances)

#: :func:`hh_lib.hh.equations.hh_rhs` with the compiled rates and currents: plain Python, to be
#: compiled with the options each caller needs; and compiled to be inlined where it is called.
hh_rhs_kernel = kernel_version(equations.hh_rhs, ionic_currents=_ionic_currents, **RATES)
hh_rhs_inlined = njit(**INLINE)(hh_rhs_kernel)


@njit(inline="always")
def params_tuple(p):
    """The parameter array ``p`` as the tuple that :func:`hh_rhs` unpacks (compiled code)."""
    return (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])


@njit(cache=True)
def hh_derivatives(y, I_ext, p, dydt):
    """Compiled :func:`hh_lib.hh.equations.hh_rhs` on a state array: writes dy/dt of
    ``y = (V, m, h, n)`` (mV, dimensionless) into ``dydt`` for the current ``I_ext`` (µA/cm²)."""
    d = hh_rhs_inlined(y[0], y[1], y[2], y[3], I_ext, params_tuple(p))
    for i in range(4):
        dydt[i] = d[i]
