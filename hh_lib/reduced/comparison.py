"""Comparing the Hodgkin-Huxley, LIF and Izhikevich neurons: F-I curves and computational cost.

Currents in three unit systems
------------------------------
The three models do not share a current unit, and this module does not pretend
that they do. :func:`compare_fi_curves` drives each model with the *same numbers*
and reads each number in that model's own unit:

* **HH**: µA/cm² of squid-axon membrane (C_m = 1 µF/cm², 6.3 °C).
* **LIF** (:mod:`hh_lib.reduced.lif`): also µA/cm², with C_m = tau_m/R_m = 1 µF/cm² and
  g_L = 0.1 mS/cm² by default. The unit is the same as HH's, but the LIF
  parameters are not fitted to the squid axon (HH's leak is 0.3 mS/cm²; the LIF
  threshold of -50 mV is a choice), so equal currents do not mean equal drive.
* **Izhikevich** (:mod:`hh_lib.reduced.izhikevich`): the 2003 paper's dimensionless
  "dc-current", which the library reads as mV/ms (v in mV, t in ms, capacitance
  absorbed). Formally 1 mV/ms corresponds to 1 µA/cm² on a 1 µF/cm² membrane,
  but the model was fitted to the *shape* of cortical firing patterns, not to any
  membrane area, so its current scale is arbitrary.

What can be compared is therefore the **shape** of each F-I curve (continuous
from 0 Hz, type I; or starting at a finite rate, type II) and the rate range,
not the position of the rheobase.

Computational cost
------------------
Wall-clock time depends on the machine, the compiler and the library's choice
of integrator. :func:`count_rhs_evaluations` gives a deterministic measure
instead: all three models are integrated by the *same* adaptive integrator
(scipy's Dormand-Prince RK45, the same 5(4) pair as the library's HH integrator)
at the *same* tolerances, with the LIF and Izhikevich resets handled as exact
events, and the evaluations of the right-hand side are counted. The count
reflects how fast each model's state changes (the stiffness of the spike);
the price of one evaluation (six exponentials for HH, none for Izhikevich)
comes on top. :func:`measure_wall_time` times the library's own simulators, for
illustration only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import solve_ivp

from ..core import validation as check
from ..hh import HHParameters, fi_curve, hh_derivatives, simulate, steady_state
from .izhikevich import IzhikevichParameters, izhikevich_rhs, simulate_izhikevich
from .lif import LIFParameters, simulate_lif

__all__ = [
    "CURRENT_UNITS",
    "MODELS",
    "CostReport",
    "FICurves",
    "burst_sizes",
    "compare_costs",
    "compare_fi_curves",
    "count_rhs_evaluations",
    "fi_onset",
    "measure_wall_time",
]

#: The models compared, in display order.
MODELS = ("HH", "LIF", "Izhikevich")

#: The unit in which each model reads its injected current.
CURRENT_UNITS = {"HH": "µA/cm²", "LIF": "µA/cm²", "Izhikevich": "mV/ms"}

#: Number of state variables of each model (LIF and Izhikevich also have a reset rule).
STATE_VARIABLES = {"HH": 4, "LIF": 1, "Izhikevich": 2}


def _model(name: Any) -> str:
    return check.choice("model", name, MODELS)


# --- F-I curves --------------------------------------------------------------------------------


def fi_onset(currents: ArrayLike, rates: ArrayLike) -> tuple[float, float]:
    """The first current with a non-zero rate, and that rate: ``(I_onset, f_onset)``.

    ``currents`` must be increasing; ``(nan, nan)`` when no current fires.
    """
    I = check.real_array("currents", currents, ndim=1)
    f = check.real_array("rates", rates, unit="Hz", ndim=1)
    if I.shape != f.shape:
        raise ValueError(f"currents and rates must have the same length, got {I.size} and {f.size}")
    if I.size > 1 and np.any(np.diff(I) <= 0):
        raise ValueError("currents must be strictly increasing")
    firing = np.flatnonzero(f > 0)
    if firing.size == 0:
        return float("nan"), float("nan")
    return float(I[firing[0]]), float(f[firing[0]])


@dataclass(frozen=True)
class FICurves:
    """Sustained firing rates (Hz) of the three models for the same current values.

    Attributes
    ----------
    currents : (n,) array
        The current values; each model reads them in its own unit (:data:`CURRENT_UNITS`).
    hh, lif, izhikevich : (n,) arrays
        Spike count in [transient, duration) divided by the window length (Hz).
    duration, transient : float
        Simulated time and the initial period left out (ms).
    izh_params : IzhikevichParameters
        The Izhikevich cell class used.
    """

    currents: NDArray[np.float64]
    hh: NDArray[np.float64]
    lif: NDArray[np.float64]
    izhikevich: NDArray[np.float64]
    duration: float
    transient: float
    izh_params: IzhikevichParameters

    def rates(self, model: str) -> NDArray[np.float64]:
        """The rates (Hz) of "HH", "LIF" or "Izhikevich"."""
        return {"HH": self.hh, "LIF": self.lif, "Izhikevich": self.izhikevich}[_model(model)]

    def onset(self, model: str) -> tuple[float, float]:
        """(first firing current in the model's unit, its rate in Hz); see :func:`fi_onset`."""
        return fi_onset(self.currents, self.rates(model))


def _window_rates(trains: list[NDArray[np.float64]], duration: float, transient: float) -> NDArray[np.float64]:
    window = (duration - transient) / 1000.0
    return np.array([np.count_nonzero((s >= transient) & (s < duration)) / window for s in trains])


def compare_fi_curves(
    currents: ArrayLike,
    *,
    duration: float = 1500.0,
    transient: float = 500.0,
    hh_params: HHParameters | None = None, lif_params: LIFParameters | None = None,
    izh_params: IzhikevichParameters | str = "regular_spiking",
) -> FICurves:
    """F-I curves of HH, LIF and Izhikevich for the same current values, measured the same way.

    Every model starts at rest, receives each constant current from t = 0, and its
    rate is the number of spikes in ``[transient, duration)`` divided by that
    window (the counting of :func:`hh_lib.hh.analysis.fi_curve`), so adaptation
    (Izhikevich RS) and the first spikes from rest do not enter. The 500-ms default
    transient is longer than W5D1's 200 ms because just below its rheobase the HH
    membrane can keep firing for a few hundred ms before it falls silent (at
    6.26 µA/cm² the last spike comes at 220 ms), which a short transient would
    count as a low "sustained" rate.

    Parameters
    ----------
    currents : 1-D array
        Increasing current values, read as µA/cm² (HH, LIF) and mV/ms (Izhikevich).
    duration, transient : float
        Simulated time and excluded initial period (ms).
    hh_params, lif_params : optional
        Defaults: the squid axon at 6.3 °C; tau_m = 10 ms, R_m = 10 kΩ·cm², t_ref = 2 ms.
    izh_params : IzhikevichParameters or preset name
        Default regular spiking (RS).
    """
    I = check.real_array("currents", currents, ndim=1)
    if I.size == 0:
        raise ValueError("currents must contain at least one value")
    if I.size > 1 and np.any(np.diff(I) <= 0):
        raise ValueError("currents must be strictly increasing")
    duration = check.positive_scalar("duration", duration, unit="ms")
    transient = check.nonnegative_scalar("transient", transient, unit="ms")
    if transient >= duration:
        raise ValueError(f"transient must be shorter than duration, got {transient:g} ms >= {duration:g} ms")
    izh = IzhikevichParameters.resolve(izh_params)
    hh = np.atleast_1d(fi_curve(I, duration=duration, transient=transient, params=hh_params))
    lif = simulate_lif(I, duration=duration, params=LIFParameters.resolve(lif_params))
    iz = simulate_izhikevich(I, duration=duration, params=izh)
    return FICurves(
        currents=I,
        hh=hh,
        lif=_window_rates(lif.spike_times, duration, transient),
        izhikevich=_window_rates(iz.spike_times, duration, transient),
        duration=duration,
        transient=transient,
        izh_params=izh,
    )


# --- Cost: right-hand-side evaluations ---------------------------------------------------------


@dataclass(frozen=True)
class CostReport:
    """Work of an adaptive RK45 integration of one model (deterministic counts).

    Attributes
    ----------
    model : str
        "HH", "LIF" or "Izhikevich".
    current : float
        Constant injected current, in :data:`CURRENT_UNITS` [model].
    duration : float
        Simulated time (ms).
    rhs_evaluations : int
        Evaluations of the model's right-hand side.
    steps : int
        Accepted integration steps.
    spikes : int
        Spikes in the run (upward 0-mV crossings for HH, resets for LIF and Izhikevich).
    rtol, atol : float
        Tolerances used.
    """

    model: str
    current: float
    duration: float
    rhs_evaluations: int
    steps: int
    spikes: int
    rtol: float
    atol: float

    @property
    def n_state(self) -> int:
        """Number of state variables."""
        return STATE_VARIABLES[self.model]

    @property
    def evaluations_per_second(self) -> float:
        """Right-hand-side evaluations per simulated second."""
        return self.rhs_evaluations / (self.duration / 1000.0)

    @property
    def firing_rate(self) -> float:
        """Spikes per simulated second (Hz)."""
        return self.spikes / (self.duration / 1000.0)

    @property
    def evaluations_per_spike(self) -> float:
        """Right-hand-side evaluations per spike (NaN without spikes)."""
        return self.rhs_evaluations / self.spikes if self.spikes else float("nan")


def _integrate_with_resets(
    f: Callable[[float, NDArray[np.float64]], NDArray[np.float64]],
    y0: NDArray[np.float64],
    duration: float,
    index: int,
    threshold: float,
    reset: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None,
    dead_time: float,
    rtol: float,
    atol: float,
) -> tuple[int, int, int]:
    """RK45 over [0, duration] with upward crossings of y[index] = threshold as events.

    With ``reset`` each crossing ends the segment; integration restarts ``dead_time`` ms
    later from ``reset(state)``. Without it crossings are only counted.
    Returns (rhs evaluations, accepted steps, crossings).
    """

    def event(t: float, y: NDArray[np.float64]) -> float:
        return float(y[index] - threshold)

    event.terminal = reset is not None  # type: ignore[attr-defined]
    event.direction = 1.0  # type: ignore[attr-defined]
    t, y = 0.0, np.array(y0, dtype=float)
    nfev = steps = crossings = 0
    while t < duration:
        sol = solve_ivp(f, (t, duration), y, method="RK45", rtol=rtol, atol=atol, events=event)
        if sol.status == -1:
            raise RuntimeError(f"the RK45 reference integration failed: {sol.message}")
        nfev += sol.nfev
        steps += sol.t.size - 1
        crossings += sol.t_events[0].size
        if reset is None or sol.status != 1:
            break
        t = float(sol.t_events[0][0]) + dead_time
        y = reset(sol.y_events[0][0])
    return nfev, steps, crossings


def count_rhs_evaluations(
    model: str,
    I: float = 10.0,
    duration: float = 1000.0,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    params: Any = None,
) -> CostReport:
    """Right-hand-side evaluations that scipy's RK45 needs for one model and a constant current.

    The same integrator and tolerances for all three models; the LIF and Izhikevich
    resets are located as events (dense output, no extra evaluations) and the
    integration restarts from the reset state (after t_ref for the LIF neuron).
    The counts are deterministic for a given scipy version.

    Parameters
    ----------
    model : {"HH", "LIF", "Izhikevich"}
    I : float
        Constant current, in the model's own unit (:data:`CURRENT_UNITS`).
    duration : float
        Simulated time (ms).
    rtol, atol : float
        Tolerances (atol in mV for V and v, in the units of the other variables).
    params : optional
        HHParameters, LIFParameters or IzhikevichParameters (or preset name); defaults
        as in the respective simulators (Izhikevich: regular spiking).
    """
    name = _model(model)
    I = check.finite_scalar("I", I, unit=CURRENT_UNITS[name])
    duration = check.positive_scalar("duration", duration, unit="ms")
    rtol = check.scalar_in_range("rtol", rtol, 1e-12, 0.1)
    atol = check.scalar_in_range("atol", atol, 1e-12, 1.0)
    if name == "HH":
        p = HHParameters.resolve(params).as_array()

        def f(t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
            out = np.empty(4)
            hh_derivatives(y, I, p, out)
            return out

        y0 = np.array([-65.0, *steady_state(-65.0)])
        counts = _integrate_with_resets(f, y0, duration, 0, 0.0, None, 0.0, rtol, atol)
    elif name == "LIF":
        q = LIFParameters.resolve(params)

        def f(t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.array([(-(y[0] - q.V_rest) + q.R_m * I) / q.tau_m])

        counts = _integrate_with_resets(
            f, np.array([q.V_rest]), duration, 0, q.V_th, lambda y: np.array([q.V_reset]), q.t_ref, rtol, atol
        )
    else:
        z = IzhikevichParameters.resolve(params if params is not None else "regular_spiking")

        def f(t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.array(izhikevich_rhs(y[0], y[1], I, z.a, z.b))

        counts = _integrate_with_resets(
            f,
            np.array([-65.0, z.b * -65.0]),
            duration,
            0,
            z.v_peak,
            lambda y: np.array([z.c, y[1] + z.d]),
            0.0,
            rtol,
            atol,
        )
    nfev, steps, spikes = counts
    return CostReport(
        model=name, current=I, duration=duration, rhs_evaluations=nfev, steps=steps, spikes=spikes, rtol=rtol, atol=atol
    )


def compare_costs(I: float = 10.0, duration: float = 1000.0, *, rtol: float = 1e-6, atol: float = 1e-6) -> list[CostReport]:
    """:func:`count_rhs_evaluations` for HH, LIF and Izhikevich (RS), each with the current value I."""
    return [count_rhs_evaluations(m, I, duration, rtol=rtol, atol=atol) for m in MODELS]


def measure_wall_time(model: str, I: float = 10.0, duration: float = 1000.0, *, repeats: int = 5) -> float:
    """Median wall-clock time (s) of the library's own simulator for one run (after a warm-up run).

    HH: :func:`hh_lib.simulate` (adaptive Dormand-Prince, 0.01-ms output grid); LIF:
    :func:`hh_lib.simulate_lif` (exact, 0.1-ms grid); Izhikevich: :func:`hh_lib.simulate_izhikevich`
    (RK4, 0.025 ms, RS). The result depends on the machine and its load: illustration only.
    """
    name = _model(model)
    I = check.finite_scalar("I", I, unit=CURRENT_UNITS[name])
    duration = check.positive_scalar("duration", duration, unit="ms")
    repeats = int(check.scalar_in_range("repeats", repeats, 1, 1000))
    run: Callable[[], Any]
    if name == "HH":
        run = lambda: simulate(I, duration=duration)  # noqa: E731
    elif name == "LIF":
        run = lambda: simulate_lif(I, duration=duration)  # noqa: E731
    else:
        run = lambda: simulate_izhikevich(I, duration=duration, params="regular_spiking")  # noqa: E731
    run()  # compile / warm caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


# --- Firing patterns ---------------------------------------------------------------------------


def burst_sizes(spike_times: ArrayLike, gap: float = 10.0) -> list[int]:
    """Sizes of the groups of spikes separated by at least ``gap`` ms (1 = a single spike).

    A train of bursts gives sizes > 1 (e.g. [7, 5, 5, ...] for chattering); tonic
    firing gives [1, 1, 1, ...]; no spikes give [].
    """
    s = check.real_array("spike_times", spike_times, unit="ms", ndim=1)
    gap = check.positive_scalar("gap", gap, unit="ms")
    if s.size == 0:
        return []
    if s.size > 1 and np.any(np.diff(s) < 0):
        raise ValueError("spike_times must be sorted (ms)")
    breaks = np.flatnonzero(np.diff(s) >= gap)
    return [int(k) for k in np.diff(np.concatenate([[0], breaks + 1, [s.size]]))]
