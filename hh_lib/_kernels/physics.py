"""A model's physics in compiled code: the very functions of its rates and equations modules.

Nothing is rewritten. :func:`compiled` takes a physics function (e.g.
:func:`hh_lib.hh.equations.hh_rhs`) and compiles the same code object with its global names
rebound: the two primitives of the rate functions (``_exp``, ``_x_over_1_minus_exp_neg``) to
LLVM intrinsics, and every other function of ``hh_lib`` that it calls to that function's own
compiled twin, recursively (a public, argument-checking rate is replaced by its body,
``__wrapped__``). What the kernels run is therefore what the source says; numba's on-disk cache
is keyed on the sources (:mod:`hh_lib._kernels.cache`), so an edit is compiled on the next import.

Run-time replacement is different: the bindings are taken once, when a model's kernels are built.
Assigning a new function to a module attribute afterwards (``hh_lib.hh.rates.beta_m = ...``) would
reach numpy code but not compiled code, a silent mixture of two models. :func:`check_physics`
refuses that: every kernel entry point calls it and raises ``RuntimeError`` naming the replaced
function.
"""

from __future__ import annotations

import sys
import types
from typing import Callable

from ._numba import njit
from .intrinsics import exp_k, x_over_1_minus_exp_neg_k

#: Compilation options of small helpers inlined into the kernel that calls them.
INLINE = dict(inline="always", error_model="numpy")

#: The primitives of the rate functions and their compiled versions.
PRIMITIVES = {"_exp": exp_k, "_x_over_1_minus_exp_neg": x_over_1_minus_exp_neg_k}

_twins: dict[Callable, Callable] = {}
#: (namespace, name, object) for every binding taken from a module: check_physics compares them.
_bindings: list[tuple[dict, str, object]] = []


def _is_library_function(value: object) -> bool:
    return isinstance(value, types.FunctionType) and (value.__module__ or "").startswith("hh_lib.")


def _global_names(code: types.CodeType) -> set[str]:
    """Names a code object (and the code objects nested in it) may look up as globals."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _record(namespace: dict, name: str) -> None:
    if name in namespace:
        _bindings.append((namespace, name, namespace[name]))


def plain(func: Callable) -> Callable:
    """The Python function behind ``func``: its body if it is an argument-checking wrapper."""
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    if not isinstance(func, types.FunctionType):
        raise TypeError(f"expected a Python function of hh_lib's physics, got {type(func).__name__}")
    return func


def source_version(func: Callable, **bindings: Callable) -> Callable:
    """``func``'s code with its library calls bound to compiled twins (plain Python, to be compiled
    with ``njit`` by the caller); ``bindings`` override names explicitly."""
    func = plain(func)
    namespace = dict(func.__globals__)
    for name in _global_names(func.__code__):
        if name in bindings:
            continue
        if name in PRIMITIVES:
            namespace[name] = PRIMITIVES[name]
        elif _is_library_function(func.__globals__.get(name)):
            _record(func.__globals__, name)
            namespace[name] = compiled(func.__globals__[name])
    namespace.update(bindings)
    clone = types.FunctionType(func.__code__, namespace, func.__name__, func.__defaults__, func.__closure__)
    clone.__qualname__, clone.__doc__, clone.__module__ = func.__qualname__, func.__doc__, func.__module__
    return clone


def compiled(func: Callable) -> Callable:
    """The compiled twin of a physics function of ``hh_lib`` (inlined where it is called); made once."""
    func = plain(func)
    if func not in _twins:
        module = sys.modules.get(func.__module__)
        if module is not None:
            _record(vars(module), func.__name__)
        _twins[func] = njit(**INLINE)(source_version(func))
    return _twins[func]


def check_physics() -> None:
    """Raise ``RuntimeError`` if a physics function that compiled code uses was replaced at run time."""
    for namespace, name, original in _bindings:
        if namespace.get(name) is not original:
            module = namespace.get("__name__", "?")
            raise RuntimeError(
                f"{module}.{name} was replaced at run time. The compiled integrators run the physics as written "
                "in the source files (compiled once and cached by the sources' hash), so they would ignore the "
                f"replacement while numpy code used it. To change the model, edit {module.replace('.', '/')}.py "
                "(the next import recompiles) or change the parameters; restore the original function to go on."
            )
