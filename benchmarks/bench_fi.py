"""The F-I benchmark: hh_lib against the seed's odeint loop, NEURON and (if it imports) Brian2.

The job: the seed model at 6.3 °C, 201 currents (0 to 50 µA/cm² in steps of 0.25), 1000 ms
each from rest (V0 = -65 mV, gates at steady state); rate = spikes (upward 0 mV crossings)
in [200, 1000) ms / 0.8 s. hh_lib is called with ``threshold=0.0`` (NEURON's NetCon convention,
also that of the cached references) rather than its default definition of an action potential, so
that every row counts the same thing.

Accuracy bar (see reference.py): at every current the count equals that of a tight
solve_ivp reference (benchmarks/data/reference_fi.json); a current may differ by one spike
only if its reference has a spike within 0.1 ms of a window edge or it lies within
0.25 µA/cm² of the reference rheobase.

Rows (all measured in one run of this script, wall-clock seconds):

* hh_lib, warm: ``fi_curve`` in this process after a warm-up call (median of --repeats).
* hh_lib, fresh process: ``python -c "import hh_lib; hh_lib.fi_curve(...)"`` timed from
  outside (interpreter start to exit), numba's on-disk cache warm (median of --cold-runs);
  and the first run ever, with NUMBA_CACHE_DIR pointing at an empty directory (compilation).
* seed odeint loop: the seed's code (seed_odeint.py), one current at a time, on every
  --seed-every-th current; the time is extrapolated to 201 currents (x 201 / subset size).
* NEURON, fixed step dt = 0.025 ms and CVode (global variable step, atol 1e-4): the
  currents shared by one worker process per core, set up before the clock starts
  (peers.py); also with a single process.
* Brian2 if it imports (it does not with numpy >= 2.4: skipped with a message).

Usage::

    python benchmarks/bench_fi.py            # about 3 minutes on 2 cores
    python benchmarks/bench_fi.py --quick    # fewer repeats, no single-process NEURON rows
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for _p in (ROOT, HERE):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import peers  # noqa: E402
import reference as R  # noqa: E402
import seed_odeint  # noqa: E402

CURRENTS = R.CURRENTS
RESULTS_PATH = os.path.join(HERE, "data", "bench_fi_results.json")

JOB_SNIPPET = (
    "import numpy as np, hh_lib\n"
    "r = hh_lib.fi_curve(0.25 * np.arange(201), threshold=0.0)\n"
    "print(','.join(str(int(round(x * 0.8))) for x in r))\n"
)


def counts_from_spikes(spikes) -> list[int]:
    return [R.count_in_window(s) for s in spikes]


def time_hh_lib_warm(repeats: int):
    import hh_lib

    hh_lib.fi_curve(CURRENTS, threshold=0.0)  # warm-up: loads (or compiles) the kernel, starts the threads
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        rates = hh_lib.fi_curve(CURRENTS, threshold=0.0)
        times.append(time.perf_counter() - t0)
    return times, np.rint(rates * 0.8).astype(int)


def time_fresh_process(runs: int, cache_dir: str | None):
    """Wall seconds of whole fresh processes doing import hh_lib + the job, and the counts."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    times, counts = [], None
    for _ in range(runs):
        tmp = None
        if cache_dir == "empty":
            tmp = tempfile.mkdtemp(prefix="hh_lib_numba_cache_")
            env["NUMBA_CACHE_DIR"] = tmp
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", JOB_SNIPPET], env=env, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t0)
        counts = np.array([int(x) for x in out.stdout.strip().split(",")])
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return times, counts


def time_seed(every: int):
    subset = CURRENTS[::every]
    t0 = time.perf_counter()
    counts = seed_odeint.fi_counts(subset)
    wall = time.perf_counter() - t0
    return wall, subset, np.array(counts)


def fmt_table(rows, hh_time):
    lines = [
        "| tool | wall time (s) | time / hh_lib | currents failing the bar | notes |",
        "|---|---:|---:|---:|---|",
    ]
    for r in rows:
        ratio = "" if r["wall"] is None else f"{r['wall'] / hh_time:,.0f}x" if r["wall"] / hh_time >= 10 else f"{r['wall'] / hh_time:.1f}x"
        wall = "" if r["wall"] is None else f"{r['wall']:.3f}" if r["wall"] < 10 else f"{r['wall']:.1f}"
        lines.append(f"| {r['tool']} | {wall} | {ratio} | {r['failures']} | {r['note']} |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="F-I benchmark (see the module docstring)")
    ap.add_argument("--repeats", type=int, default=15, help="warm hh_lib repetitions (median)")
    ap.add_argument("--cold-runs", type=int, default=5, help="fresh-process runs with a warm cache (median)")
    ap.add_argument("--seed-every", type=int, default=10, help="time the seed loop on every n-th current")
    ap.add_argument("--processes", type=int, default=None, help="NEURON worker processes (default: one per core)")
    ap.add_argument("--quick", action="store_true", help="fewer repeats; no single-process NEURON rows")
    ap.add_argument("--no-neuron", action="store_true")
    ap.add_argument("--no-seed", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.repeats, args.cold_runs = 5, 3

    ref = R.load()
    cores = len(os.sched_getaffinity(0))
    rows = []

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    # hh_lib ------------------------------------------------------------------------------
    log("hh_lib: warm, in this process ...")
    warm_times, hh_counts = time_hh_lib_warm(args.repeats)
    hh_time = statistics.median(warm_times)
    hh_fail = R.bar_failures(hh_counts, ref)
    from hh_lib._kernels.lanes import LANES
    from hh_lib._kernels.threads import n_threads
    from hh_lib.hh.analysis import FI_ATOL, FI_RTOL

    rows.append(dict(
        tool="hh_lib `fi_curve` (warm)", wall=hh_time, failures=f"{len(hh_fail)} / 201",
        note=f"median of {args.repeats}, min {min(warm_times):.3f} s; Dormand-Prince 5(4), PI control, "
        f"rtol = {FI_RTOL:g}, atol = {FI_ATOL:g}, {LANES} lanes x {n_threads()} threads",
    ))
    log("hh_lib: fresh processes, warm numba cache ...")
    time_fresh_process(1, None)  # make sure the on-disk cache is filled
    cold_times, cold_counts = time_fresh_process(args.cold_runs, None)
    rows.append(dict(
        tool="hh_lib, fresh process: `import hh_lib` + job", wall=statistics.median(cold_times),
        failures=f"{len(R.bar_failures(cold_counts, ref))} / 201",
        note=f"whole process incl. interpreter start, numba cache warm; median of {args.cold_runs}, "
        f"max {max(cold_times):.2f} s",
    ))
    log("hh_lib: first run ever (empty numba cache) ...")
    first_times, first_counts = time_fresh_process(1, "empty")
    rows.append(dict(
        tool="hh_lib, first run ever (empty numba cache)", wall=first_times[0],
        failures=f"{len(R.bar_failures(first_counts, ref))} / 201",
        note="whole process: import, compilation of the kernel, job",
    ))

    # seed odeint -------------------------------------------------------------------------
    if not args.no_seed:
        log(f"seed odeint loop on every {args.seed_every}th current ...")
        wall, subset, counts = time_seed(args.seed_every)
        fails = R.bar_failures(counts, ref, currents=subset)
        rows.append(dict(
            tool="seed: `odeint` loop, one current at a time", wall=wall * len(CURRENTS) / len(subset),
            failures=f"{len(fails)} / {len(subset)} timed",
            note=f"{len(subset)} of 201 currents timed ({wall:.1f} s), extrapolated x{len(CURRENTS) / len(subset):.2f}",
        ))

    # NEURON ------------------------------------------------------------------------------
    nrn_version = None
    if not args.no_neuron:
        try:
            pool = peers.NeuronPool(args.processes)
        except ImportError as exc:
            pool = None
            log(f"NEURON not available: {exc}")
            rows.append(dict(tool="NEURON", wall=None, failures="", note=f"not available: {exc}"))
        if pool is not None:
            nrn_version = pool.version
            configs = [("fixed", 0.025, "fixed step dt = 0.025 ms"), ("cvode", 1e-4, "CVode, global step, atol = 1e-4")]

            def neuron_rows(pool, suffix, note):
                for mode, value, label in configs:
                    log(f"NEURON {label}, {pool.processes} processes ...")
                    spikes, wall = pool.run(CURRENTS, mode, value)
                    fails = R.bar_failures(counts_from_spikes(spikes), ref)
                    rows.append(dict(tool=f"NEURON 9, {label}{suffix}", wall=wall, failures=f"{len(fails)} / 201", note=note))
                pool.close()

            neuron_rows(pool, "", f"{pool.processes} worker processes (cell built before timing)")
            if not args.quick:
                neuron_rows(peers.NeuronPool(1), ", 1 process", "one process, as NEURON is usually run")

    # Brian2 ------------------------------------------------------------------------------
    why_not = peers.brian2_status()
    if why_not:
        log(why_not + ": skipped")
        rows.append(dict(tool="Brian2", wall=None, failures="", note=why_not + "; skipped"))
    else:
        spikes, wall = peers.brian2_fi(CURRENTS)
        fails = R.bar_failures(counts_from_spikes(spikes), ref)
        rows.append(dict(tool="Brian2 (exponential Euler, dt = 0.01 ms)", wall=wall, failures=f"{len(fails)} / 201",
                         note="all currents as one group"))

    table = fmt_table(rows, hh_time)
    import numba
    import scipy

    machine = (
        f"{platform.processor() or platform.machine()}, {cores} cores; Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, numba {numba.__version__}"
        + (f", {nrn_version.split('(')[0].strip()}" if nrn_version else "")
    )
    print(table)
    print()
    print(machine)
    if hh_fail:
        print("hh_lib failures:", hh_fail)
    os.makedirs(os.path.dirname(RESULTS_PATH), exist_ok=True)
    with open(RESULTS_PATH, "w") as f:
        json.dump(dict(rows=rows, hh_lib_warm_times=warm_times, fresh_process_times=cold_times,
                       first_run_times=first_times, machine=machine, table=table,
                       date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())), f, indent=1)


if __name__ == "__main__":
    main()
