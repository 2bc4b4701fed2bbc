"""Independent reference implementation of the Hodgkin-Huxley model for the tests.

Written from the course seed (``W5D1_HodgkinHuxley.md``) and deliberately
**not** importing ``hh_lib``: the rate functions, the right-hand side, the
steady state and the integrator (scipy's ``solve_ivp`` 8th-order DOP853 method
with very tight tolerances, run step for step in compiled code by the sibling
module ``dop853``, with the right-hand side ``_rhs_compiled``, written once) are
all re-derived here, so that the tests compare hh_lib against something that can
disagree with it.

Units: mV, ms, µA/cm², mS/cm², µF/cm², °C.

Conventions
-----------
* All six α/β rates are multiplied by ``phi = q10 ** ((T - 6.3) / 10)``.
* A current is *piecewise constant*, given as a tuple of ``(t_start, amplitude)``
  pairs sorted by time, the first starting at 0: ``((0, 0), (5, 10), (6, 0))`` is a
  10 µA/cm² pulse on [5, 6) ms. Each constant piece is integrated by its own
  DOP853 run, so the discontinuities are honoured exactly.
* Spikes are upward crossings of 0 mV, located as ``solve_ivp`` events are
  (root-finding on the DOP853 dense output, far more precise than 1e-6 ms).

Each run is computed once: kept in memory for the process and on disk in
``_build/.reference_cache/<key>/`` (``$HH_REFERENCE_CACHE`` names another folder; ``off``
turns the disk cache off), where ``<key>`` hashes this file's source with the versions of
Python, numpy and scipy, so that editing the reference or upgrading scipy computes every run
afresh. Parallel test workers share it: the first to need a run computes it under a file lock,
the others wait and load it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import os
import pickle
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit
from scipy.optimize import brentq

if str(Path(__file__).resolve().parent) not in sys.path:  # also when loaded by path (benchmarks/)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from dop853 import integrate, upward_crossings  # sibling test module: scipy's DOP853, compiled

# --- Seed parameters (squid giant axon, 6.3 °C) --------------------------------
C_M = 1.0  # µF/cm²
G_NA = 120.0  # mS/cm²
G_K = 36.0  # mS/cm²
G_L = 0.3  # mS/cm²
E_NA = 50.0  # mV
E_K = -77.0  # mV
E_L = -54.4  # mV
T_REF = 6.3  # °C
Q10 = 3.0

RTOL, ATOL, MAX_STEP = 1e-10, 1e-12, 0.01


def phi_of(T: float, q10: float = Q10) -> float:
    """Temperature factor of the gating rates."""
    return q10 ** ((T - T_REF) / 10.0)


# --- Rate functions (seed formulas) ---------------------------------------------
# The seed writes alpha_m = 0.1 (V+40) / (1 - exp(-(V+40)/10)); with u = V + 40 this is
# 0.1 u / (-expm1(-u/10)). expm1 keeps full relative precision for tiny u, so only
# the exact 0/0 point needs its limit (0.1 * 10 = 1.0; likewise alpha_n -> 0.1).


def _ratio(a: float, u, scale: float):
    """a * u / (1 - exp(-u/scale)) evaluated with expm1, limit a*scale at u = 0."""
    u = np.asarray(u, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(u == 0.0, a * scale, a * u / -np.expm1(-u / scale))
    return out


def alpha_m(V):
    return _ratio(0.1, np.asarray(V, dtype=float) + 40.0, 10.0)


def beta_m(V):
    return 4.0 * np.exp(-(np.asarray(V, dtype=float) + 65.0) / 18.0)


def alpha_h(V):
    return 0.07 * np.exp(-(np.asarray(V, dtype=float) + 65.0) / 20.0)


def beta_h(V):
    return 1.0 / (1.0 + np.exp(-(np.asarray(V, dtype=float) + 35.0) / 10.0))


def alpha_n(V):
    return _ratio(0.01, np.asarray(V, dtype=float) + 55.0, 10.0)


def beta_n(V):
    return 0.125 * np.exp(-(np.asarray(V, dtype=float) + 65.0) / 80.0)


def steady_state(V):
    """(m_inf, h_inf, n_inf) = alpha / (alpha + beta)."""
    return (
        alpha_m(V) / (alpha_m(V) + beta_m(V)),
        alpha_h(V) / (alpha_h(V) + beta_h(V)),
        alpha_n(V) / (alpha_n(V) + beta_n(V)),
    )


def time_constants(V, phi: float = 1.0):
    """(tau_m, tau_h, tau_n) = 1 / (phi (alpha + beta)) in ms."""
    return (
        1.0 / (phi * (alpha_m(V) + beta_m(V))),
        1.0 / (phi * (alpha_h(V) + beta_h(V))),
        1.0 / (phi * (alpha_n(V) + beta_n(V))),
    )


def ionic_currents(V, m, h, n, g_Na=G_NA, g_K=G_K, g_L=G_L):
    """(I_Na, I_K, I_L) in µA/cm², positive outward."""
    V, m, h, n = (np.asarray(a, dtype=float) for a in (V, m, h, n))
    return g_Na * m**3 * h * (V - E_NA), g_K * n**4 * (V - E_K), g_L * (V - E_L)


# --- Scalar right-hand side (compiled: the integrator calls it; solve_ivp through _make_rhs) -------


@njit(cache=True)
def _rhs_compiled(t, y, p, out):
    """dy/dt of the HH membrane into ``out`` (the seed's formulas), for the compiled integrator;
    ``p = (I, phi, g_Na, g_K)``: current (µA/cm²), temperature factor, maximal conductances (mS/cm²)."""
    I, phi, g_Na, g_K = p[0], p[1], p[2], p[3]
    V, m, h, n = y[0], y[1], y[2], y[3]
    u = V + 40.0
    am = 1.0 if u == 0.0 else 0.1 * u / -math.expm1(-u / 10.0)
    bm = 4.0 * math.exp(-(V + 65.0) / 18.0)
    ah, bh = 0.07 * math.exp(-(V + 65.0) / 20.0), 1.0 / (1.0 + math.exp(-(V + 35.0) / 10.0))
    w = V + 55.0
    an = 0.1 if w == 0.0 else 0.01 * w / -math.expm1(-w / 10.0)
    bn = 0.125 * math.exp(-(V + 65.0) / 80.0)
    I_ion = g_Na * m * m * m * h * (V - E_NA) + g_K * n * n * n * n * (V - E_K) + G_L * (V - E_L)
    out[0] = (I - I_ion) / C_M
    out[1] = phi * (am * (1.0 - m) - bm * m)
    out[2] = phi * (ah * (1.0 - h) - bh * h)
    out[3] = phi * (an * (1.0 - n) - bn * n)


def _make_rhs(I: float, phi: float, g_Na: float, g_K: float):
    """``rhs(t, y)`` for scipy's solve_ivp and for finite differences: the source of :func:`_rhs_compiled`
    run as Python with these parameters (not its compiled form: this module is also loaded under
    another name, benchmarks/reference.py's, and a compiled call from Python would be cached on disk
    under that name)."""
    p = (float(I), float(phi), float(g_Na), float(g_K))

    def rhs(t, y):
        out = np.empty(4)
        _rhs_compiled.py_func(float(t), np.asarray(y, dtype=np.float64).tolist(), p, out)
        return out

    return rhs


@dataclass(frozen=True)
class RefRun:
    """One reference run: piece start times, dense solutions (or None) and spike times."""

    starts: tuple
    t_end: float
    sols: tuple
    spike_times: np.ndarray
    y_end: np.ndarray
    g_Na: float = G_NA
    g_K: float = G_K

    def state(self, t) -> np.ndarray:
        """(4, len(t)) array of V, m, h, n at the times t (needs a dense run)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        out = np.empty((4, t.size))
        idx = np.searchsorted(np.asarray(self.starts), t, side="right") - 1
        for k, sol in enumerate(self.sols):
            sel = idx == k
            if np.any(sel):
                out[:, sel] = sol(t[sel])
        return out

    def count(self, t_start: float, t_end: float) -> int:
        s = self.spike_times
        return int(np.sum((s >= t_start) & (s < t_end)))


@functools.lru_cache(maxsize=64)
def run(
    pieces: tuple,
    t_end: float,
    *,
    T: float = T_REF,
    q10: float = Q10,
    gna_scale: float = 1.0,
    gk_scale: float = 1.0,
    V0: float = -65.0,
    max_step: float = MAX_STEP,
    dense: bool = True,
) -> RefRun:
    """Integrate the HH model from rest at V0 under a piecewise-constant current.

    ``pieces`` is a number (constant current) or a tuple of (t_start, I) pairs.
    Uses DOP853 (solve_ivp's, compiled: tests/dop853.py), rtol=1e-10, atol=1e-12, max_step, on each piece.
    Computed once per argument set (see the module docstring: memory, then the disk cache).
    """
    if not isinstance(pieces, tuple):
        pieces = ((0.0, float(pieces)),)
    pieces = tuple((float(t0), float(I)) for t0, I in pieces)
    args = (pieces, float(t_end), float(T), float(q10), float(gna_scale), float(gk_scale), float(V0),
            float(max_step), bool(dense))
    return _cached(args)


def _integrate(pieces, t_end, T, q10, gna_scale, gk_scale, V0, max_step, dense) -> RefRun:
    assert pieces[0][0] == 0.0
    phi = phi_of(T, q10)
    y = np.array([V0, *(float(x) for x in steady_state(V0))])
    starts = [p[0] for p in pieces]
    ends = starts[1:] + [t_end]
    sols, spikes = [], []
    for (t0, I), t1 in zip(pieces, ends):
        if t1 <= t0:
            continue
        sol = integrate(_rhs_compiled, (float(I), phi, G_NA * gna_scale, G_K * gk_scale), t0, t1, y,
                        RTOL, ATOL, max_step)
        sols.append(sol if dense else None)
        spikes.extend(upward_crossings(sol))
        y = sol.ys[-1].copy()
    return RefRun(tuple(starts), t_end, tuple(sols), np.array(spikes), y, G_NA * gna_scale, G_K * gk_scale)


# --- The disk cache of reference runs ------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _source_key() -> str:
    """What a cached run depends on besides its arguments: this file and the numerical stack."""
    import scipy

    import numba

    here = Path(__file__).resolve().parent
    h = hashlib.sha256(Path(__file__).read_bytes() + (here / "dop853.py").read_bytes())
    h.update(repr((sys.version_info[:2], platform.machine(), np.__version__, scipy.__version__,
                   numba.__version__)).encode())
    return h.hexdigest()[:20]


@functools.lru_cache(maxsize=1)
def _cache_dir() -> Path | None:
    where = os.environ.get("HH_REFERENCE_CACHE", "")
    if where.strip().lower() in {"off", "0", "no", "false"}:
        return None
    base = Path(where) if where else Path(__file__).resolve().parents[1] / "_build" / ".reference_cache"
    folder = base / _source_key()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for other in base.iterdir():  # runs of an older reference or scipy are never read again
            if other.is_dir() and other.name != folder.name:
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return None
    return folder


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on ``path`` (other processes wait), a no-op where fcntl is missing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux/macOS
        yield
        return
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _cached(args: tuple) -> RefRun:
    folder = _cache_dir()
    if folder is None:
        return _integrate(*args)
    name = hashlib.sha256(repr(args).encode()).hexdigest()[:24]
    path = folder / f"{name}.pickle"
    with _locked(folder / f"{name}.lock"):
        try:
            with open(path, "rb") as fh:
                stored_args, result = pickle.load(fh)
            if stored_args == args:
                return result
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            pass
        result = _integrate(*args)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump((args, result), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return result


def trajectory(pieces, duration: float, dt: float, **kw) -> tuple[np.ndarray, np.ndarray]:
    """Time grid k*dt (k = 0..round(duration/dt)) and the (4, n_time) reference state on it."""
    n = int(round(duration / dt))
    t = dt * np.arange(n + 1)
    return t, run(pieces, float(duration), **kw).state(t)


def spike_counts(I: float, t_start: float = 200.0, t_end: float = 1000.0, **kw) -> tuple[int, np.ndarray]:
    """Number of upward 0-mV crossings in [t_start, t_end) for a constant current, and all spike times."""
    r = run(float(I), float(t_end), dense=False, **kw)
    return r.count(t_start, t_end), r.spike_times


# --- Resting potential ------------------------------------------------------------


def steady_current(V: float, I: float = 0.0) -> float:
    """Net membrane current I_ion(V, x_inf(V)) - I at the steady state of the gates."""
    m, h, n = (float(x) for x in steady_state(V))
    I_Na, I_K, I_L = ionic_currents(V, m, h, n)
    return float(I_Na + I_K + I_L) - I


def resting_potential() -> float:
    """V where the steady-state currents balance with I = 0 (root in [-70, -60] mV)."""
    return brentq(steady_current, -70.0, -60.0, xtol=1e-13, rtol=1e-15)


# --- Action potentials (issue 21), on the dense output ------------------------------------


def ap_events(r: RefRun, until: float | None = None, dt: float = 0.005):
    """Closed events of a dense reference run up to ``until`` ms (default its end), by the
    independent implementation of the course's rules in tests/spike_reference.py (not hh_lib's),
    applied to the dense output read every ``dt`` ms; each peak is then located on the dense
    output itself (bounded scalar minimisation of -V). Returns spike_reference.Event objects."""
    from spike_reference import events, refine_peaks  # a sibling test module, no hh_lib import

    end = r.t_end if until is None else until
    grid = np.arange(0.0, end + 0.5 * dt, dt)
    grid = grid[grid <= end]
    V, m, h, n = r.state(grid)
    ratio = r.g_Na * m**3 * h / (r.g_K * n**4 + G_L)
    return refine_peaks(events(grid, V, ratio), lambda t: float(r.state(t)[0, 0]), dt)


def action_potentials(r: RefRun, until: float | None = None, rule: str = "state") -> np.ndarray:
    """Peak times (ms) of the action potentials of a reference run by the state or voltage rule."""
    return np.array([e.t_peak for e in ap_events(r, until) if (e.by_state if rule == "state" else e.by_voltage)])
