"""Tight reference spike counts for the F-I benchmark (independent of hh_lib).

The HH model of the course seed is integrated here with scipy's ``solve_ivp``
(DOP853, rtol 1e-10, atol 1e-12, max_step 0.01 ms); spikes are upward 0-mV
crossings located by ``solve_ivp`` events (root finding on the dense output).
Nothing is imported from ``hh_lib``: the rates and the right-hand side come from
the tests' independent reference model (tests/reference.py), so that hh_lib is
compared with something that can disagree with it.

The job: 201 currents, 0 to 50 µA/cm² in steps of 0.25, 1000 ms each from rest
(V0 = -65 mV, gates at their steady state), spikes counted in [200, 1000) ms.
One current costs about a minute (max_step = 0.01 ms means 10⁵ steps of
solve_ivp's Python loop), so the whole grid takes about 1.5-2 h on two worker
processes. Finished currents are appended to ``data/reference_fi.partial.jsonl``
as they come, so an interrupted run resumes where it stopped. At the end the
reference rheobase (onset of firing in the window) is bisected to 0.005 µA/cm²
and everything goes to ``data/reference_fi.json``.

Usage::

    nohup python benchmarks/reference.py > benchmarks/data/reference.log 2>&1 &
    python benchmarks/reference.py --temperature 18.5 --max-step 0.1 --currents 8 8.5 9   # a quick look
    python benchmarks/reference.py --temperature 18.5 --max-step 1 --grid   # data/reference_fi_18.5C.json

The accuracy bar (:func:`bar_failures`): at every current the count must equal
the reference count; a current may differ by one spike only if its reference
has a spike within 0.1 ms of a window edge or it lies within 0.25 µA/cm² of
the reference rheobase.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import platform
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp

HERE = os.path.dirname(os.path.abspath(__file__))

if "reference_model" not in sys.modules:  # tests/reference.py, loaded under its own name
    _spec = importlib.util.spec_from_file_location(
        "reference_model", os.path.join(os.path.dirname(HERE), "tests", "reference.py")
    )
    sys.modules["reference_model"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["reference_model"])
DATA = os.path.join(HERE, "data")
JSON_PATH = os.path.join(DATA, "reference_fi.json")
PARTIAL_PATH = os.path.join(DATA, "reference_fi.partial.jsonl")

# The seed model (squid axon; mV, ms, µA/cm², mS/cm², µF/cm²) is the tests' independent
# reference model (tests/reference.py: no hh_lib import), shared here, not written twice.
from reference_model import C_M, E_K, E_L, E_NA, G_K, G_L, G_NA, Q10, T_REF, phi_of  # noqa: E402
from reference_model import _make_rhs, steady_state  # noqa: E402

V_REST0 = -65.0

# The job.
CURRENTS = 0.25 * np.arange(201)  # µA/cm²
T_END, T_START = 1000.0, 200.0  # ms
THRESHOLD = 0.0  # mV

# The reference integrator.
RTOL, ATOL, MAX_STEP = 1e-10, 1e-12, 0.01

# The bar's exemptions.
EDGE_MARGIN = 0.1  # ms
RHEOBASE_MARGIN = 0.25  # µA/cm²
RHEOBASE_TOL = 0.005  # µA/cm²


def rest_state(V0: float = V_REST0) -> np.ndarray:
    """(V0, m_inf, h_inf, n_inf): the start of every run."""
    return np.array([V0, *(float(x) for x in steady_state(V0))])


def make_rhs(I: float, phi: float):
    return _make_rhs(I, phi, G_NA, G_K)


def _upcross(t, y):
    return y[0] - THRESHOLD


_upcross.direction = 1.0


def spike_times(I: float, temperature: float = T_REF, t_end: float = T_END, max_step: float = MAX_STEP) -> np.ndarray:
    """Times (ms) of all upward threshold crossings in [0, t_end) for a constant current I from rest."""
    res = solve_ivp(
        make_rhs(float(I), phi_of(temperature)),
        (0.0, t_end),
        rest_state(),
        method="DOP853",
        rtol=RTOL,
        atol=ATOL,
        max_step=max_step,
        t_eval=[t_end],
        events=_upcross,
    )
    if not res.success:
        raise RuntimeError(f"reference failed at I={I}: {res.message}")
    return np.asarray(res.t_events[0])


def count_in_window(times, t_start: float = T_START, t_end: float = T_END) -> int:
    times = np.asarray(times)
    return int(np.sum((times >= t_start) & (times < t_end)))


def near_edge(times, t_start: float = T_START, t_end: float = T_END, margin: float = EDGE_MARGIN) -> list[float]:
    """The spike times within ``margin`` ms of either window edge."""
    times = np.asarray(times)
    sel = (np.abs(times - t_start) <= margin) | (np.abs(times - t_end) <= margin)
    return [float(x) for x in times[sel]]


def _job(args):
    I, temperature, max_step = args
    t0 = time.perf_counter()
    times = spike_times(I, temperature, max_step=max_step)
    return {"I": float(I), "spike_times": [float(x) for x in times], "seconds": time.perf_counter() - t0}


def run_many(currents, temperature=T_REF, max_step=MAX_STEP, workers=2, on_result=None):
    """Reference spike times for each current, computed by ``workers`` processes."""
    jobs = [(float(I), float(temperature), float(max_step)) for I in currents]
    out = {}
    if workers <= 1 or len(jobs) == 1:
        results = map(_job, jobs)
        for r in results:
            out[r["I"]] = r
            if on_result:
                on_result(r)
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for r in pool.imap_unordered(_job, jobs, chunksize=1):
                out[r["I"]] = r
                if on_result:
                    on_result(r)
    return out


def bisect_rheobase(lo, hi, temperature=T_REF, max_step=MAX_STEP, workers=2, tol=RHEOBASE_TOL, log=print):
    """Onset of firing in the window: count(lo) == 0 < count(hi); each round probes ``workers`` points."""
    while hi - lo > tol:
        probes = list(np.linspace(lo, hi, workers + 2)[1:-1])
        res = run_many(probes, temperature, max_step, workers)
        counts = [count_in_window(res[float(p)]["spike_times"]) for p in probes]
        log(f"  rheobase bracket [{lo:.5f}, {hi:.5f}]: probes {', '.join(f'{p:.5f}->{c}' for p, c in zip(probes, counts))}")
        firing = [p for p, c in zip(probes, counts) if c > 0]
        silent = [p for p, c in zip(probes, counts) if c == 0]
        new_hi = min(firing) if firing else hi
        below = [p for p in silent if p < new_hi]
        new_lo = max(below) if below else lo
        lo, hi = new_lo, new_hi
    return lo, hi


def load(path: str = JSON_PATH) -> dict:
    """A cached reference: the default 6.3 °C one, or ``load(json_path(T))``."""
    with open(path) as f:
        return json.load(f)


def exempt_mask(ref: dict, currents=None) -> np.ndarray:
    """Currents allowed to differ by one spike: a reference spike near a window edge, or near the rheobase."""
    currents = np.asarray(ref["currents"] if currents is None else currents, dtype=float)
    by_I = {float(I): e for I, e in zip(ref["currents"], ref["edge_spikes"])}
    rb = ref["rheobase"]
    near_rb = np.abs(currents - rb) <= ref["bar"]["rheobase_margin"] + 1e-12
    edge = np.array([len(by_I.get(float(I), [])) > 0 for I in currents])
    return near_rb | edge


def bar_failures(counts, ref: dict | None = None, currents=None) -> list[tuple[float, int, int]]:
    """(I, count, reference count) for every current that fails the accuracy bar."""
    ref = load() if ref is None else ref
    currents = np.asarray(ref["currents"] if currents is None else currents, dtype=float)
    by_I = {float(I): c for I, c in zip(ref["currents"], ref["counts"])}
    ref_counts = np.array([by_I[float(I)] for I in currents])
    counts = np.asarray(counts)
    exempt = exempt_mask(ref, currents)
    diff = np.abs(counts - ref_counts)
    bad = (diff > 1) | ((diff == 1) & ~exempt)
    return [(float(I), int(c), int(r)) for I, c, r in zip(currents[bad], counts[bad], ref_counts[bad])]


def json_path(temperature: float = T_REF) -> str:
    """Where the reference for a temperature is cached (6.3 °C: reference_fi.json)."""
    return JSON_PATH if temperature == T_REF else os.path.join(DATA, f"reference_fi_{temperature:g}C.json")


def build_grid(workers: int, log=print, temperature: float = T_REF, max_step: float = MAX_STEP) -> dict:
    """The full reference over CURRENTS at one temperature, resuming from the partial file."""
    os.makedirs(DATA, exist_ok=True)
    partial_path = PARTIAL_PATH if temperature == T_REF else json_path(temperature).replace(".json", ".partial.jsonl")
    done = {}
    if os.path.exists(partial_path):
        with open(partial_path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    done[r["I"]] = r
        log(f"resuming: {len(done)} currents already in {os.path.relpath(partial_path)}")
    todo = [float(I) for I in CURRENTS if float(I) not in done]
    t_start = time.perf_counter()
    with open(partial_path, "a") as partial:

        def on_result(r):
            partial.write(json.dumps(r) + "\n")
            partial.flush()
            done[r["I"]] = r
            el = time.perf_counter() - t_start
            log(f"I={r['I']:6.2f}  count={count_in_window(r['spike_times']):3d}  {r['seconds']:6.1f} s  "
                f"[{len(done)}/{len(CURRENTS)}, {el / 60:.1f} min]")

        run_many(todo, temperature, max_step, workers, on_result)

    currents = [float(I) for I in CURRENTS]
    counts = [count_in_window(done[I]["spike_times"]) for I in currents]
    firing = [i for i, c in enumerate(counts) if c > 0]
    if not firing:
        raise RuntimeError("no current fires in the window")
    i1 = firing[0]
    log(f"first firing grid current: {currents[i1]} µA/cm² (count {counts[i1]}); bisecting the rheobase")
    lo, hi = bisect_rheobase(currents[i1 - 1], currents[i1], temperature, max_step, workers=workers, log=log)
    non_monotone = [currents[i] for i in range(i1, len(currents)) if counts[i] == 0]
    return {
        "description": (
            f"Reference F-I spike counts of the HH seed model at {temperature:g} °C: solve_ivp DOP853, rtol 1e-10, "
            f"atol 1e-12, max_step {max_step:g} ms; upward 0 mV crossings located by solve_ivp events; counted in "
            "[200, 1000) ms. The rheobase is bisected between the last silent and the first firing grid current; "
            "within about 1e-3 µA/cm² of the onset the count is not monotonic (a transient train of about ten "
            "spikes can reach past 200 ms), so it is the onset only to about 0.01 µA/cm²."
        ),
        "model": {
            "C_m": C_M, "g_Na": G_NA, "g_K": G_K, "g_L": G_L, "E_Na": E_NA, "E_K": E_K, "E_L": E_L,
            "temperature": temperature, "q10": Q10, "V0": V_REST0, "gates": "steady state at V0",
        },
        "integrator": {"method": "DOP853", "rtol": RTOL, "atol": ATOL, "max_step": max_step, "events": "V = 0 upward"},
        "window": [T_START, T_END],
        "threshold": THRESHOLD,
        "currents": currents,
        "counts": counts,
        "edge_spikes": [near_edge(done[I]["spike_times"]) for I in currents],
        "spike_times": [done[I]["spike_times"] for I in currents],
        "rheobase": hi,
        "rheobase_bracket": [lo, hi],
        "silent_above_rheobase": non_monotone,
        "bar": {"edge_margin_ms": EDGE_MARGIN, "rheobase_margin": RHEOBASE_MARGIN, "max_difference": 1},
        "seconds_per_current": [done[I]["seconds"] for I in currents],
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--temperature", type=float, default=None, help="another temperature (°C)")
    ap.add_argument("--grid", action="store_true", help="with --temperature: the whole grid, cached as JSON")
    ap.add_argument("--max-step", type=float, default=MAX_STEP)
    ap.add_argument("--currents", type=float, nargs="*", default=None, help="quick look at these currents (prints only)")
    args = ap.parse_args(argv)

    def log(msg):
        print(msg, flush=True)

    if args.currents is not None or (args.temperature is not None and not args.grid):
        T = T_REF if args.temperature is None else args.temperature
        currents = args.currents if args.currents else [float(I) for I in CURRENTS]
        res = run_many(currents, T, args.max_step, args.workers)
        for I in currents:
            s = res[float(I)]["spike_times"]
            log(f"T={T} I={I:g}: count={count_in_window(s)} edge={near_edge(s)} ({res[float(I)]['seconds']:.1f} s)")
        return
    t0 = time.perf_counter()
    T = T_REF if args.temperature is None else args.temperature
    ref = build_grid(args.workers, log, T, args.max_step)
    ref["elapsed_seconds"] = time.perf_counter() - t0
    path = json_path(T)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(ref, f, indent=1)
    os.replace(tmp, path)
    log(f"wrote {os.path.relpath(path)}: rheobase {ref['rheobase']:.4f} µA/cm², "
        f"{sum(1 for e in ref['edge_spikes'] if e)} currents with a spike near a window edge")


if __name__ == "__main__":
    sys.exit(main())
