"""The frozen, validated parameter sets of every model share this base class.

A subclass lists its fields as in a dataclass (it becomes a frozen dataclass by
inheriting from :class:`FrozenParameters`) and how each field is checked in ``_RULES``
(``field: (kind, unit)`` with kind one of "finite", "positive", "nonnegative" or a
``(lo, hi)`` closed range) and may add cross-field checks in ``_check``. The base
class normalises every field to a float once, and gives ``replace``, ``as_array``
(the values packed for the compiled kernels, in ``_PACKED`` order), ``default()``
and ``resolve(params)``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, TypeVar

import numpy as np
from numpy.typing import NDArray

from . import validation as check

P = TypeVar("P", bound="FrozenParameters")

_CHECKERS = {
    "finite": check.finite_scalar,
    "positive": check.positive_scalar,
    "nonnegative": check.nonnegative_scalar,
}


def membrane_rules(conductances: tuple[str, ...], potentials: tuple[str, ...]) -> dict[str, tuple[Any, str]]:
    """The ``_RULES`` of a conductance model: C_m > 0 (µF/cm²), conductances >= 0 (mS/cm²),
    reversal potentials finite (mV)."""
    rules: dict[str, tuple[Any, str]] = {"C_m": ("positive", "µF/cm²")}
    rules.update({name: ("nonnegative", "mS/cm²") for name in conductances})
    rules.update({name: ("finite", "mV") for name in potentials})
    return rules


@dataclasses.dataclass(frozen=True)
class FrozenParameters:
    """Base of HHParameters, LIFParameters, FHNParameters and IzhikevichParameters."""

    _RULES: ClassVar[dict[str, tuple[Any, str]]] = {}
    _PACKED: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[type, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True)(cls)  # in place: fields, __init__, __eq__, __hash__

    def __post_init__(self) -> None:
        for name, (kind, unit) in self._RULES.items():
            value = getattr(self, name)
            if isinstance(kind, tuple):
                value = check.scalar_in_range(name, value, *kind, unit=unit)
            else:
                value = _CHECKERS[kind](name, value, unit=unit)
            object.__setattr__(self, name, value)  # frozen: normalise to float once
        self._check()

    def _check(self) -> None:
        """Checks that involve several fields (raise ValueError naming them)."""

    def replace(self: P, **changes: float) -> P:
        """Return a copy with some fields changed (validated like the constructor)."""
        return dataclasses.replace(self, **changes)

    def as_array(self) -> NDArray[np.float64]:
        """The values packed for the compiled kernels (see the subclass for the order)."""
        return np.array([getattr(self, name) for name in self._PACKED], dtype=np.float64)

    @classmethod
    def default(cls: type[P]) -> P:
        """The default parameters (one shared instance; it is frozen)."""
        if cls not in FrozenParameters._defaults:
            FrozenParameters._defaults[cls] = cls()
        return FrozenParameters._defaults[cls]

    @classmethod
    def resolve(cls: type[P], params: Any) -> P:
        """``params`` itself, or the defaults when it is None; TypeError for anything else."""
        if params is None:
            return cls.default()
        if not isinstance(params, cls):
            raise TypeError(f"params must be a {cls.__name__} instance or None, got {type(params).__name__}")
        return params
