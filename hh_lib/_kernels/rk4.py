"""One classical fourth-order Runge-Kutta step for every model (compiled).

The state is a tuple of floats of any length and the right-hand side a compiled function
``rhs(y, args) -> dy/dt`` (a tuple of the same length); ``args`` carries the current and
the parameters. numba specialises :func:`rk4_step` for each right-hand side and inlines it.
"""

from __future__ import annotations

from ._numba import njit, overload, types


def _tuple_code(name: str, n: int, args: str, term: str) -> object:
    """Compile ``def name(args): return (term(0), ..., term(n-1),)`` for a tuple of length n."""
    body = ", ".join(term.format(i=i) for i in range(n))
    namespace: dict = {}
    exec(f"def {name}({args}):\n    return ({body},)\n", namespace)  # noqa: S102 - generated from constants
    return namespace[name]


def axpy(y, h, k):
    """y + h·k element by element, for tuples (a numba overload generates the code per length)."""
    return tuple(a + h * b for a, b in zip(y, k))


def rk4_combine(y, h, k1, k2, k3, k4):
    """y + h/6·(k1 + 2 k2 + 2 k3 + k4) element by element, for tuples."""
    return tuple(a + h / 6.0 * (b + 2.0 * c + 2.0 * d + e) for a, b, c, d, e in zip(y, k1, k2, k3, k4))


@overload(axpy, inline="always")
def _axpy(y, h, k):
    if isinstance(y, types.BaseTuple):
        return _tuple_code("axpy", len(y), "y, h, k", "y[{i}] + h * k[{i}]")
    return None


@overload(rk4_combine, inline="always")
def _rk4_combine(y, h, k1, k2, k3, k4):
    if isinstance(y, types.BaseTuple):
        term = "y[{i}] + h / 6.0 * (k1[{i}] + 2.0 * k2[{i}] + 2.0 * k3[{i}] + k4[{i}])"
        return _tuple_code("rk4_combine", len(y), "y, h, k1, k2, k3, k4", term)
    return None


@njit(inline="always")
def rk4_step(rhs, y, h, args):
    """One RK4 step of size h from the state tuple y for ``dy/dt = rhs(y, args)``."""
    k1 = rhs(y, args)
    k2 = rhs(axpy(y, 0.5 * h, k1), args)
    k3 = rhs(axpy(y, 0.5 * h, k2), args)
    k4 = rhs(axpy(y, h, k3), args)
    return rk4_combine(y, h, k1, k2, k3, k4)
