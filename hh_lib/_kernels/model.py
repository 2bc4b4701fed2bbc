"""A model's kernels: the generic drivers specialised on one :class:`~hh_lib.core.model.ModelSpec`.

The drivers (:mod:`~hh_lib._kernels.grid`, :mod:`~hh_lib._kernels.lanes`) are written once, with a few
free global names for the model's part: ``N`` (state length), ``PACK`` (parameter array -> tuple),
``LANE_RHS``, ``LANE_REGEN``, ``LOAD``, ``STORE`` and ``STEP`` (placeholders below). :func:`specialize` compiles a driver with those names bound to
one model's compiled functions, under a name of its own (``_run_lanes.hh.state``), so that numba caches
each model's kernel separately. The small adapters between the kernels' arrays and the physics
functions' scalar arguments are generated here from the lengths in the spec (like :mod:`rk4`'s tuple
helpers), so a model supplies only its equations.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass
from typing import Callable

from ..core.model import ModelSpec
from ._numba import CALLED_ONLY, njit
from .dopri import LOOPS as dp_loops
from .dopri import dp_attempt, dp_attempt_signature
from .physics import INLINE, check_physics, compiled
from .rk4 import rk4_step

#: Compilation options of the top-level kernels: cached on disk (keyed on the sources).
FASTMATH = {"contract", "arcp", "nsz"}
JIT = dict(cache=True, nogil=True, error_model="numpy", fastmath=FASTMATH, no_cfunc_wrapper=True)  # called from Python only


def _generate(name: str, args: str, body: str, options: dict = INLINE, **namespace: object) -> Callable:
    """Compile the function ``def name(args): body`` with the given globals (inlined where called)."""
    source = f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body.splitlines())
    exec(compile(source, f"<hh_lib generated {name}>", "exec"), namespace)  # noqa: S102 - from lengths only
    return njit(**options)(namespace[name])


@dataclass(frozen=True)
class CompiledModel:
    """A model's physics compiled, with the adapters the drivers call (all inlined where used).

    pack(p) -> P                        the parameter array as the tuple the physics unpacks
    lane_rhs(X, l, I, P, K, r)          K[r + i, l] = d(state_i)/dt at the state in column l of X
    lane_regen(X, l, P)                 the regeneration measure at column l (NaN without one)
    tuple_rk4(y, I, h, P) -> y          one RK4 step on a state tuple
    tuple_exp_euler(y, I, h, P) -> y    one exponential-Euler step (None if the model has none)
    load(a) -> y; store(A, k, y)        state tuple from a 1-D array; into column k of a 2-D array
    array_rhs(y, I, p, dydt)            dy/dt of a state array, parameters as an array (for scipy)
    """

    spec: ModelSpec
    pack: Callable
    lane_rhs: Callable
    lane_regen: Callable
    tuple_rk4: Callable
    tuple_exp_euler: Callable | None
    load: Callable
    store: Callable
    array_rhs: Callable


@functools.lru_cache(maxsize=None)
def compile_model(spec: ModelSpec) -> CompiledModel:
    """The compiled physics and adapters of one model (built once per process, compiled lazily)."""
    n, rhs = spec.n_states, compiled(spec.rhs)
    cols = ", ".join(f"X[{i}, l]" for i in range(n))
    items = ", ".join(f"y[{i}]" for i in range(n))
    stores = "\n".join(f"K[r + {i}, l] = d[{i}]" for i in range(n))
    pack = _generate("pack", "p", "return (" + "".join(f"p[{i}], " for i in range(spec.n_params)) + ")")
    lane_rhs = _generate("lane_rhs", "X, l, I, P, K, r", f"d = RHS({cols}, I, P)\n{stores}", RHS=rhs)
    if spec.regen is None:
        lane_regen = _generate("lane_regen", "X, l, P", "return NAN", NAN=float("nan"))
    else:
        regen_cols = "".join(f"X[{i}, l], " for i in spec.regen_states)
        lane_regen = _generate("lane_regen", "X, l, P", f"return REGEN({regen_cols}P)", REGEN=compiled(spec.regen))
    tuple_rhs = _generate("tuple_rhs", "y, args", f"return RHS({items}, args[0], args[1])", RHS=rhs)
    tuple_rk4 = _generate("tuple_rk4", "y, I, h, P", "return RK4(RHS, y, h, (I, P))", RK4=rk4_step, RHS=tuple_rhs)
    tuple_exp_euler = None
    if spec.exponential_euler is not None:
        tuple_exp_euler = _generate("tuple_exp_euler", "y, I, h, P", f"return STEP({items}, I, h, P)",
                                    STEP=compiled(spec.exponential_euler))
    load = _generate("load", "a", "return (" + "".join(f"a[{i}], " for i in range(n)) + ")")
    store = _generate("store", "A, k, y", "\n".join(f"A[{i}, k] = y[{i}]" for i in range(n)))
    array_rhs = _generate("array_rhs", "y, I, p, dydt", f"store(dydt.reshape(({n}, 1)), 0, RHS({items}, I, pack(p)))",
                          options=dict(error_model="numpy"), RHS=rhs, load=load, store=store, pack=pack)
    return CompiledModel(spec, pack, lane_rhs, lane_regen, tuple_rk4, tuple_exp_euler, load, store, array_rhs)


def _unbound(*args):
    raise RuntimeError("a driver template runs only as specialised by hh_lib._kernels.model.specialize")


# The free names of the driver templates (placeholders here; specialize binds them per model).
N = 0
PACK = LANE_RHS = LANE_REGEN = LOAD = STORE = STEP = DP_ATTEMPT = _unbound

_specialized: dict[tuple, Callable] = {}


def in_library(spec: ModelSpec) -> bool:
    """Whether all of a model's physics is in hh_lib (so in the digest that keys the disk cache)."""
    funcs = (spec.rhs, spec.regen, spec.exponential_euler)
    return all((f.__module__ or "").startswith("hh_lib.") for f in funcs if f is not None)


def specialize(template: Callable, spec: ModelSpec, variant: str = "", options: dict | None = None,
               signature=None, **bindings: Callable) -> Callable:
    """``template`` (a driver written with the free names above) compiled for one model; by default
    with :data:`JIT`, cached on disk as ``<template>.<model>[.<variant>]``. ``bindings`` bind further
    names (e.g. STEP for a variant); ``options`` other compilation options (a helper that the cached
    kernels call: it is compiled into them), ``signature`` the one signature to compile it for (then
    at once). Made once per process; compiled on its first call.

    The model's functions are bound as globals, never passed as arguments to a compiled function
    that is not inlined: numba would then embed the address of a Python object, and such a kernel
    cannot be cached."""
    key = (template, spec, variant)
    if key not in _specialized:
        cm = compile_model(spec)
        namespace = dict(template.__globals__, N=spec.n_states, PACK=cm.pack, LANE_RHS=cm.lane_rhs,
                         LANE_REGEN=cm.lane_regen, LOAD=cm.load, STORE=cm.store)
        if template is not dp_attempt:
            namespace["DP_ATTEMPT"] = specialize(dp_attempt, spec, options=dict(dp_loops, cache=True, **CALLED_ONLY),
                                                 signature=dp_attempt_signature(spec.n_params))
        namespace.update(bindings)
        clone = types.FunctionType(template.__code__, namespace, template.__name__, template.__defaults__)
        suffix = f".{spec.name}" + (f".{variant}" if variant else "")
        clone.__qualname__, clone.__doc__ = template.__qualname__ + suffix, template.__doc__
        opts = JIT if options is None else options
        if not in_library(spec):  # its physics is not in the source digest: never cache it on disk
            opts = dict(opts, cache=False)
        _specialized[key] = njit(signature, **opts)(clone) if signature is not None else njit(**opts)(clone)
    return _specialized[key]


def entry(spec: ModelSpec) -> CompiledModel:
    """The compiled model, after checking that its physics was not replaced at run time
    (:func:`hh_lib._kernels.physics.check_physics`): what every kernel entry point calls first."""
    cm = compile_model(spec)
    check_physics()
    return cm
