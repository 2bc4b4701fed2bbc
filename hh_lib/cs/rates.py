"""Gating functions of the Connor-Stevens model, V in mV.

From the appendix of chapter 6 of Dayan & Abbott (2001), "Connor-Stevens model": the Na⁺ gates m,
h and the delayed-rectifier gate n by their opening (α) and closing (β) rates in 1/ms; the A-type
gates a (activation) and b (inactivation) directly by their steady states a∞, b∞ (dimensionless)
and time constants τ_a, τ_b (ms). There is no temperature factor.

Every rate is written once, below, from the two primitives of :mod:`hh_lib.hh.rates`: ``_exp(x)``,
e**x, and ``_x_over_1_minus_exp_neg(x)``, x / (1 - e**-x) with its limit 1 at x = 0. The compiled
integrators run these same bodies (``rate.__wrapped__``) with the two primitives swapped for
compiled versions, so no other exponential appears here. Two rates are 0/0 at one voltage:
α_m at V = -29.7 mV (limit 3.8/ms) and α_n at V = -45.7 mV (limit 0.2/ms).

a∞ is the cube root of a positive quantity; it is written with the two exponentials combined,
0.0761 e^{0.0314(V+94.22) - 0.0346(V+1.17)} / (e^{-0.0346(V+1.17)} + 1), which equals the book's
0.0761 e^{0.0314(V+94.22)} / (1 + e^{0.0346(V+1.17)}) and stays finite for any V (the book's form
is inf/inf above about +20000 mV).
"""

from __future__ import annotations

from collections.abc import Callable

from numpy.typing import ArrayLike

from ..hh.rates import FloatOrArray, _exp, _x_over_1_minus_exp_neg, rate_function

_DOC_TAIL = (
    "\n\n    Parameters\n    ----------\n    V : float or array\n        Membrane potential (mV).\n\n"
    "    Returns\n    -------\n    float or ndarray\n        {what}; a float for a scalar V.\n"
)


def _gate_function(what: str) -> Callable[[Callable], Callable[[ArrayLike], FloatOrArray]]:
    """:func:`hh_lib.hh.rates.rate_function` (checks V, body in ``.__wrapped__``) with the
    returned quantity and its unit in the docstring."""

    def decorate(body: Callable) -> Callable[[ArrayLike], FloatOrArray]:
        public = rate_function(body)
        public.__doc__ = f"{body.__doc__}{_DOC_TAIL.format(what=what)}"
        return public

    return decorate


_RATE = "Rate (1/ms)"


@_gate_function(_RATE)
def alpha_m(V):
    """Opening rate of the Na⁺ activation gate m.

    0.38 (V+29.7) / (1 - e^{-0.1(V+29.7)}), finite at V = -29.7 mV (limit 3.8/ms).
    """
    return 3.8 * _x_over_1_minus_exp_neg(0.1 * (V + 29.7))


@_gate_function(_RATE)
def beta_m(V):
    """Closing rate of the Na⁺ activation gate m: 15.2 e^{-0.0556(V+54.7)}."""
    return 15.2 * _exp(-0.0556 * (V + 54.7))


@_gate_function(_RATE)
def alpha_h(V):
    """Rate of recovery from Na⁺ inactivation (h gate opening): 0.266 e^{-0.05(V+48)}."""
    return 0.266 * _exp(-0.05 * (V + 48.0))


@_gate_function(_RATE)
def beta_h(V):
    """Rate of Na⁺ inactivation (h gate closing): 3.8 / (1 + e^{-0.1(V+18)})."""
    return 3.8 / (1.0 + _exp(-0.1 * (V + 18.0)))


@_gate_function(_RATE)
def alpha_n(V):
    """Opening rate of the delayed-rectifier K⁺ gate n: 0.02 (V+45.7) / (1 - e^{-0.1(V+45.7)}) (limit 0.2/ms at -45.7 mV)."""
    return 0.2 * _x_over_1_minus_exp_neg(0.1 * (V + 45.7))


@_gate_function(_RATE)
def beta_n(V):
    """Closing rate of the delayed-rectifier K⁺ gate n: 0.25 e^{-0.0125(V+55.7)}."""
    return 0.25 * _exp(-0.0125 * (V + 55.7))


@_gate_function("Steady-state open fraction (dimensionless)")
def a_inf(V):
    """Steady state of the A-type activation gate a.

    (0.0761 e^{0.0314(V+94.22)} / (1 + e^{0.0346(V+1.17)}))^{1/3}. The book's fit exceeds 1
    slightly above +40 mV (largest value 1.0127 near +65 mV) and falls back to 0 far above;
    it is kept as written.
    """
    u = 0.0346 * (V + 1.17)
    return (0.0761 * _exp(0.0314 * (V + 94.22) - u) / (_exp(-u) + 1.0)) ** (1.0 / 3.0)


@_gate_function("Time constant (ms)")
def tau_a(V):
    """Time constant of the A-type activation gate a: 0.3632 + 1.158 / (1 + e^{0.0497(V+55.96)})."""
    return 0.3632 + 1.158 / (1.0 + _exp(0.0497 * (V + 55.96)))


@_gate_function("Steady-state open fraction (dimensionless, in [0, 1])")
def b_inf(V):
    """Steady state of the A-type inactivation gate b: (1 / (1 + e^{0.0688(V+53.3)}))^4."""
    s = 1.0 / (1.0 + _exp(0.0688 * (V + 53.3)))
    return (s * s) * (s * s)


@_gate_function("Time constant (ms)")
def tau_b(V):
    """Time constant of the A-type inactivation gate b: 1.24 + 2.678 / (1 + e^{0.0624(V+50)})."""
    return 1.24 + 2.678 / (1.0 + _exp(0.0624 * (V + 50.0)))


#: (α, β) of the m, h and n gates.
RATE_GATES = ((alpha_m, beta_m), (alpha_h, beta_h), (alpha_n, beta_n))
#: (x∞, τ_x) of the a and b gates.
RELAXATION_GATES = ((a_inf, tau_a), (b_inf, tau_b))


def steady_state(V: ArrayLike) -> tuple[FloatOrArray, ...]:
    """Steady-state open fractions (m∞, h∞, n∞, a∞, b∞) at V (mV), dimensionless.

    All lie in [0, 1] except a∞, which overshoots 1 by up to 1.3 % above +40 mV (see :func:`a_inf`).

    ``x∞ = α / (α + β)`` for m, h and n; a∞ and b∞ as given.
    """
    out = []
    for alpha, beta in RATE_GATES:
        a, b = alpha(V), beta(V)
        out.append(a / (a + b))
    return (*out, a_inf(V), b_inf(V))


def time_constants(V: ArrayLike) -> tuple[FloatOrArray, ...]:
    """Time constants (τ_m, τ_h, τ_n, τ_a, τ_b) at V (mV), in ms.

    ``τ_x = 1 / (α + β)`` for m, h and n; τ_a and τ_b as given.
    """
    out = [1.0 / (alpha(V) + beta(V)) for alpha, beta in RATE_GATES]
    return (*out, tau_a(V), tau_b(V))


__all__ = ["alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n", "beta_n", "a_inf", "tau_a", "b_inf",
           "tau_b", "steady_state", "time_constants", "RATE_GATES", "RELAXATION_GATES"]
