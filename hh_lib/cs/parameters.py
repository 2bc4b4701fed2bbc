"""Parameters of the Connor-Stevens model (Na⁺, delayed-rectifier K⁺, A-type K⁺ and leak).

Values follow Dayan & Abbott, *Theoretical Neuroscience* (MIT Press, 2001), section 6.2
("The Connor-Stevens Model"), converted from their per-mm² units to per cm² (x 100):

========  ==================  ==============
field     Dayan & Abbott      here
========  ==================  ==============
C_m       10 nF/mm²           1.0 µF/cm²
g_Na      1.2 mS/mm²          120 mS/cm²
g_K       0.2 mS/mm²          20 mS/cm²
g_A       0.477 mS/mm²        47.7 mS/cm²
g_L       0.003 mS/mm²        0.3 mS/cm²
E_Na      55 mV               55 mV
E_K       -72 mV              -72 mV
E_A       -75 mV              -75 mV
E_L       -17 mV              -17 mV
========  ==================  ==============

Their model has no temperature factor (the rates of the appendix of their chapter 6 already hold
the factor 3.8 that Connor, Walter & McKown (1977) applied to the squid-axon rates), so none is
added here. The A-current's reversal potential is its own field, as in the book.
"""

from __future__ import annotations

from ..core import validation as check
from ..core.params import FrozenParameters, membrane_rules


class CSParameters(FrozenParameters):
    """Membrane parameters of the Connor-Stevens model (per cm² of membrane).

    Attributes
    ----------
    C_m : float
        Membrane capacitance (µF/cm²), > 0.
    g_Na, g_K, g_A, g_L : float
        Maximal Na⁺, delayed-rectifier K⁺, A-type K⁺ and leak conductances (mS/cm²), >= 0.
    E_Na, E_K, E_A, E_L : float
        Reversal potentials (mV).
    """

    C_m: float = 1.0
    g_Na: float = 120.0
    g_K: float = 20.0
    g_A: float = 47.7
    g_L: float = 0.3
    E_Na: float = 55.0
    E_K: float = -72.0
    E_A: float = -75.0
    E_L: float = -17.0

    _RULES = membrane_rules(("g_Na", "g_K", "g_A", "g_L"), ("E_Na", "E_K", "E_A", "E_L"))
    #: Packed for the compiled kernels: C_m, g_Na, g_K, g_A, g_L, E_Na, E_K, E_A, E_L.
    _PACKED = ("C_m", "g_Na", "g_K", "g_A", "g_L", "E_Na", "E_K", "E_A", "E_L")

    def as_tuple(self) -> tuple[float, ...]:
        """The packed values (see :meth:`as_array`) as the tuple that :func:`hh_lib.cs.equations.cs_rhs` unpacks."""
        return tuple(float(x) for x in self.as_array())

    def with_block(self, a_current: float = 0.0) -> CSParameters:
        """Return a copy with part of the A-type K⁺ channels blocked (e.g. by 4-aminopyridine).

        Parameters
        ----------
        a_current : float
            Fraction of A-type channels blocked, in [0, 1]; ``g_A`` is multiplied by
            ``1 - a_current``. 1 removes the A-current altogether.
        """
        a_current = check.scalar_in_range("a_current", a_current, 0.0, 1.0)
        return self.replace(g_A=self.g_A * (1.0 - a_current))
