"""Parameters of the Hodgkin-Huxley squid giant axon model.

Values follow Hodgkin & Huxley (1952) in the modern sign convention (resting
potential near -65 mV), as used throughout the course.
"""

from __future__ import annotations

from ..core import validation as check
from ..core.params import FrozenParameters, membrane_rules

#: Temperature (°C) at which the rate functions in :mod:`hh_lib.hh.rates` are defined.
REFERENCE_TEMPERATURE = 6.3

#: Allowed temperature range (°C). Outside it the squid-axon model means nothing.
TEMPERATURE_RANGE = (0.0, 50.0)

class HHParameters(FrozenParameters):
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

    _RULES = {
        **membrane_rules(("g_Na", "g_K", "g_L"), ("E_Na", "E_K", "E_L")),
        "temperature": (TEMPERATURE_RANGE, "°C"),
        "q10": ("positive", ""),
    }
    #: Packed for the compiled kernels: C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, phi.
    _PACKED = ("C_m", "g_Na", "g_K", "g_L", "E_Na", "E_K", "E_L", "phi")

    def _check(self) -> None:
        if self.q10 > 10.0:
            raise ValueError(f"q10 must lie in (0, 10], got {self.q10:g}")

    @property
    def phi(self) -> float:
        """Temperature factor multiplying every gating rate (dimensionless)."""
        return float(self.q10 ** ((self.temperature - REFERENCE_TEMPERATURE) / 10.0))

    def as_tuple(self) -> tuple[float, ...]:
        """The packed values (see :meth:`as_array`) as the tuple that :func:`hh_lib.hh.equations.hh_rhs` unpacks."""
        return tuple(float(x) for x in self.as_array())

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
        return self.replace(g_Na=self.g_Na * (1.0 - ttx), g_K=self.g_K * (1.0 - tea))
