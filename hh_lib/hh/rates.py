"""Voltage-dependent opening (α) and closing (β) rates of the HH gates.

Rates are in 1/ms at the reference temperature of 6.3 °C, with V in mV. Each rate
is written once, below, from two primitives: ``_exp(x)``, e**x, and
:func:`_x_over_1_minus_exp_neg`. The functions work on numbers and numpy arrays;
the compiled integrators run the same bodies with the two primitives swapped for
compiled versions (:mod:`hh_lib._kernels`).

Two rates have the form ``a·x / (1 - exp(-x))``, which is 0/0 at x = 0
(V = -40 mV for α_m, V = -55 mV for α_n). :func:`_x_over_1_minus_exp_neg`
evaluates it with its limit, so the rates are finite and smooth there.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
from numpy import exp as _exp
from numpy.typing import ArrayLike, NDArray

from ..core import validation as check
from .parameters import HHParameters

FloatOrArray = float | NDArray[np.float64]


def _x_over_1_minus_exp_neg(x):
    """x / (1 - exp(-x)), continuous at x = 0 where it equals 1.

    Works on numbers and arrays alike. ``-expm1(-x)`` is ``1 - exp(-x)``
    without cancellation for small x, and it is 0 only at x = 0; there
    1 is added to the numerator and the denominator: the limit 1/1.
    """
    d = -np.expm1(-x)
    at_zero = d == 0.0
    return (x + at_zero) / (d + at_zero)


def rate_function(body: Callable) -> Callable[[ArrayLike], FloatOrArray]:
    """Checks V (mV) and returns a float for a number; the body itself is ``rate.__wrapped__``."""

    @functools.wraps(body)
    def rate(V: ArrayLike) -> FloatOrArray:
        arr = check.real_array("V", V, unit="mV")
        with np.errstate(over="ignore"):  # e.g. α_h at V = -20000 mV is inf, as it should be
            out = body(arr)
        return float(out) if np.ndim(out) == 0 else out

    rate.__doc__ = (
        f"{body.__doc__}\n\n    Parameters\n    ----------\n    V : float or array\n        Membrane potential (mV).\n\n"
        "    Returns\n    -------\n    float or ndarray\n        Rate (1/ms) at 6.3 °C; a float for a scalar V.\n"
    )
    return rate


@rate_function
def alpha_m(V):
    """Opening rate of the Na⁺ activation gate m.

    0.1 (V+40) / (1 - e^{-(V+40)/10}), finite at V = -40 mV (limit 1/ms).
    """
    return 1.0 * _x_over_1_minus_exp_neg((V + 40.0) / 10.0)


@rate_function
def beta_m(V):
    """Closing rate of the Na⁺ activation gate m."""
    return 4.0 * _exp(-(V + 65.0) / 18.0)


@rate_function
def alpha_h(V):
    """Rate of recovery from Na⁺ inactivation (h gate opening)."""
    return 0.07 * _exp(-(V + 65.0) / 20.0)


@rate_function
def beta_h(V):
    """Rate of Na⁺ inactivation (h gate closing)."""
    return 1.0 / (1.0 + _exp(-(V + 35.0) / 10.0))


@rate_function
def alpha_n(V):
    """Opening rate of the K⁺ activation gate n.

    0.01 (V+55) / (1 - e^{-(V+55)/10}), finite at V = -55 mV (limit 0.1/ms).
    """
    return 0.1 * _x_over_1_minus_exp_neg((V + 55.0) / 10.0)


@rate_function
def beta_n(V):
    """Closing rate of the K⁺ activation gate n."""
    return 0.125 * _exp(-(V + 65.0) / 80.0)


#: (α, β) of the m, h and n gates.
GATES = ((alpha_m, beta_m), (alpha_h, beta_h), (alpha_n, beta_n))


def relax(x, alpha, beta, phi, t):
    """A gate at x relaxing for a time t (ms) at fixed V, towards
    x∞ = α/(α+β) with time constant τ = 1/(φ(α+β)): dx/dt = φ(α(1 - x) - βx)
    solved exactly (numbers or arrays; rates in 1/ms)."""
    x_inf = alpha / (alpha + beta)
    return x_inf + (x - x_inf) * _exp(-phi * (alpha + beta) * t)


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
    for alpha, beta in GATES:
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
    phi = HHParameters.resolve(params).phi
    out = []
    for alpha, beta in GATES:
        out.append(1.0 / (phi * (alpha(V) + beta(V))))
    return out[0], out[1], out[2]
