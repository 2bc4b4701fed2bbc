"""Voltage-dependent opening (α) and closing (β) rates of the HH gates.

Rates are in 1/ms at the reference temperature of 6.3 °C, with V in mV.
Each rate is written once, as a small scalar function that the compiled
integrators call directly; the public functions of the same name apply it
element-wise to numbers or arrays.

Two rates have the form ``a·x / (1 - exp(-x))``, which is 0/0 at x = 0
(V = -40 mV for α_m, V = -55 mV for α_n). :func:`_x_over_1_minus_exp_neg`
evaluates it with its limit, so the rates are finite and smooth there.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as check
from ._compat import njit, vectorize
from .parameters import HHParameters, resolve

FloatOrArray = float | NDArray[np.float64]


@njit(cache=True)
def _x_over_1_minus_exp_neg(x: float) -> float:
    """x / (1 - exp(-x)), continuous at x = 0 where it equals 1."""
    if abs(x) < 1e-6:
        return 1.0 + 0.5 * x  # Taylor series; the next term, x²/12, is below 1e-13
    return x / -math.expm1(-x)


def _alpha_m(V: float) -> float:
    return 1.0 * _x_over_1_minus_exp_neg((V + 40.0) / 10.0)  # = 0.1 (V+40) / (1 - e^{-(V+40)/10})


def _beta_m(V: float) -> float:
    return 4.0 * math.exp(-(V + 65.0) / 18.0)


def _alpha_h(V: float) -> float:
    return 0.07 * math.exp(-(V + 65.0) / 20.0)


def _beta_h(V: float) -> float:
    return 1.0 / (1.0 + math.exp(-(V + 35.0) / 10.0))


def _alpha_n(V: float) -> float:
    return 0.1 * _x_over_1_minus_exp_neg((V + 55.0) / 10.0)  # = 0.01 (V+55) / (1 - e^{-(V+55)/10})


def _beta_n(V: float) -> float:
    return 0.125 * math.exp(-(V + 65.0) / 80.0)


# Scalar versions for the compiled integrators.
alpha_m_s = njit(cache=True)(_alpha_m)
beta_m_s = njit(cache=True)(_beta_m)
alpha_h_s = njit(cache=True)(_alpha_h)
beta_h_s = njit(cache=True)(_beta_h)
alpha_n_s = njit(cache=True)(_alpha_n)
beta_n_s = njit(cache=True)(_beta_n)


def _public(kernel: Callable[[float], float], name: str, doc: str) -> Callable[[ArrayLike], FloatOrArray]:
    ufunc = vectorize(["float64(float64)"], cache=True)(kernel)

    def rate(V: ArrayLike) -> FloatOrArray:
        arr = check.real_array("V", V, unit="mV")
        out = ufunc(arr)
        return float(out) if out.ndim == 0 else out

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
