"""Parameters of the Hodgkin-Huxley squid giant axon model.

Values follow Hodgkin & Huxley (1952) in the modern sign convention (resting
potential near -65 mV), as used throughout the course.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from . import _validation as check

#: Temperature (°C) at which the rate functions in :mod:`hh_lib.rates` are defined.
REFERENCE_TEMPERATURE = 6.3

#: Allowed temperature range (°C). Outside it the squid-axon model means nothing.
TEMPERATURE_RANGE = (0.0, 50.0)


@dataclass(frozen=True)
class HHParameters:
    """Membrane parameters of the Hodgkin-Huxley model (per cm² of membrane).

    Attributes
    ----------
    C_m : float
        Membrane capacitance (µF/cm²), > 0.
    g_Na, g_K, g_L : float
        Maximal Na⁺, K⁺ and leak conductances (mS/cm²), >= 0.
    E_Na, E_K, E_L : float
        Reversal potentials (mV).
    temperature : float
        Temperature (°C), in [0, 50].
    q10 : float
        Q10 temperature coefficient of the gating rates, in (0, 10].

    All gating rates are multiplied by ``phi = q10 ** ((temperature - 6.3) / 10)``;
    conductances and reversal potentials are not temperature-scaled.
    """

    C_m: float = 1.0
    g_Na: float = 120.0
    g_K: float = 36.0
    g_L: float = 0.3
    E_Na: float = 50.0
    E_K: float = -77.0
    E_L: float = -54.4
    temperature: float = REFERENCE_TEMPERATURE
    q10: float = 3.0

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen dataclass: normalise values to float once
        set_(self, "C_m", check.positive_scalar("C_m", self.C_m, unit="µF/cm²"))
        for name in ("g_Na", "g_K", "g_L"):
            set_(self, name, check.nonnegative_scalar(name, getattr(self, name), unit="mS/cm²"))
        for name in ("E_Na", "E_K", "E_L"):
            set_(self, name, check.finite_scalar(name, getattr(self, name), unit="mV"))
        set_(self, "temperature", check.scalar_in_range("temperature", self.temperature, *TEMPERATURE_RANGE, unit="°C"))
        q10 = check.positive_scalar("q10", self.q10)
        if q10 > 10.0:
            raise ValueError(f"q10 must lie in (0, 10], got {q10:g}")
        set_(self, "q10", q10)

    @property
    def phi(self) -> float:
        """Temperature factor multiplying every gating rate (dimensionless)."""
        return float(self.q10 ** ((self.temperature - REFERENCE_TEMPERATURE) / 10.0))

    def with_block(self, ttx: float = 0.0, tea: float = 0.0) -> HHParameters:
        """Return a copy with channels blocked by drugs.

        Parameters
        ----------
        ttx : float
            Fraction of Na⁺ channels blocked by tetrodotoxin, in [0, 1];
            ``g_Na`` is multiplied by ``1 - ttx``.
        tea : float
            Fraction of K⁺ channels blocked by tetraethylammonium, in [0, 1];
            ``g_K`` is multiplied by ``1 - tea``.
        """
        ttx = check.scalar_in_range("ttx", ttx, 0.0, 1.0)
        tea = check.scalar_in_range("tea", tea, 0.0, 1.0)
        return dataclasses.replace(self, g_Na=self.g_Na * (1.0 - ttx), g_K=self.g_K * (1.0 - tea))

    def replace(self, **changes: float) -> HHParameters:
        """Return a copy with some fields changed (validated like the constructor)."""
        return dataclasses.replace(self, **changes)

    def as_array(self) -> NDArray[np.float64]:
        """Packed values for the compiled kernels: C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi."""
        return np.array(
            [self.C_m, self.g_Na, self.g_K, self.g_L, self.E_Na, self.E_K, self.E_L, self.phi],
            dtype=np.float64,
        )


def resolve(params: HHParameters | None) -> HHParameters:
    """``params`` itself, or the default parameters when it is ``None``."""
    if params is None:
        return DEFAULT
    if not isinstance(params, HHParameters):
        raise TypeError(f"params must be an HHParameters instance or None, got {type(params).__name__}")
    return params


DEFAULT = HHParameters()
