"""What the generic compiled kernels need to know about a conductance-based model.

A model declares one :class:`ModelSpec` beside its equations (e.g. ``hh_lib.hh.equations.KERNEL``);
the kernels of :mod:`hh_lib._kernels` compile its physics functions as written and run them with
one adaptive Dormand-Prince kernel for traces and F-I counts, one fixed-step grid driver and one event
machine. No compiled
code is written per model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class ModelSpec:
    """A model's right-hand side and what its kernels are specialised on.

    Attributes
    ----------
    name : str
        Short identifier (a Python identifier, e.g. ``"hh"``); names the model's cached kernels.
    rhs : callable
        ``rhs(*state, I_ext, p) -> tuple`` of the ``n_states`` derivatives (state[0] is V in mV;
        dV/dt in mV/ms); ``I_ext`` in µA/cm²; ``p`` the tuple of ``n_params`` packed parameters.
        A plain function of the model's equations module, on numbers and numpy arrays.
    n_states, n_params : int
        Length of the state and of the packed parameter tuple.
    regen : callable, optional
        ``regen(*(state[i] for i in regen_states), p) -> float``: the quantity whose rise marks an
        action potential in the course's state rule (for HH, g_Na/(g_K + g_L)).
    regen_states : tuple of int
        Which state variables :attr:`regen` takes, in order.
    exponential_euler : callable, optional
        ``step(*state, I_ext, dt, p) -> tuple``: one exponential-Euler step of size dt (ms), if the
        model offers that method.
    """

    name: str
    rhs: Callable
    n_states: int
    n_params: int
    regen: Callable | None = None
    regen_states: tuple[int, ...] = ()
    exponential_euler: Callable | None = None

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"name must be a Python identifier, got {self.name!r}")
        if self.n_states < 1 or self.n_params < 0:
            raise ValueError(f"n_states must be >= 1 and n_params >= 0, got {self.n_states}, {self.n_params}")
        if any(not 0 <= i < self.n_states for i in self.regen_states):
            raise ValueError(f"regen_states must index the state (0..{self.n_states - 1}), got {self.regen_states}")
