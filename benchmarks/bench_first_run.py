"""The wait before a student's first figure: the first ``simulate`` and the first ``fi_curve`` in a
fresh process with an empty compile cache (what a new Colab runtime does).

Each run copies ``hh_lib`` to a temporary directory without any ``__pycache__`` (so numba finds no
cached kernel) and times, inside a fresh interpreter, ``import hh_lib``, then
``simulate(10.0, duration=50.0)`` and ``fi_curve([5.0, 10.0, 20.0])`` (wall clock, and the process's
CPU time). With ``--baseline DIR`` (another checkout, e.g. a git worktree of an older commit) the two
trees are run alternately, A B A B ..., and the table gives the ratio of the medians.

Usage::

    python benchmarks/bench_first_run.py                       # this checkout, 5 runs
    python benchmarks/bench_first_run.py --baseline ../before --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROBE = """
import json, time
c0, w0 = time.process_time(), time.perf_counter()
import hh_lib
c1, w1 = time.process_time(), time.perf_counter()
hh_lib.simulate(10.0, duration=50.0)
c2, w2 = time.process_time(), time.perf_counter()
hh_lib.fi_curve([5.0, 10.0, 20.0])
c3, w3 = time.process_time(), time.perf_counter()
print(json.dumps({"import": w1 - w0, "simulate": w2 - w1, "fi_curve": w3 - w2, "both": w3 - w1,
                  "both_cpu": c3 - c1}))
"""


def one_run(tree: str) -> dict:
    """Time the probe once on a cache-free copy of ``tree``'s hh_lib."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(os.path.join(tree, "hh_lib"), os.path.join(tmp, "hh_lib"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
        env = dict(os.environ, PYTHONPATH=tmp, NUMBA_CACHE_DIR=os.path.join(tmp, "numba-cache"))
        out = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp, env=env, capture_output=True, text=True,
                             check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="another checkout to compare with (its hh_lib/)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    trees = {"this checkout": ROOT}
    if args.baseline:
        trees["baseline"] = os.path.abspath(args.baseline)
    results: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            results[name].append(one_run(tree))
    print(f"| tree | import (s) | first simulate (s) | first fi_curve (s) | both (s) | both, CPU (s) | runs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    medians = {}
    for name, runs in results.items():
        med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        medians[name] = med
        print(f"| {name} ({trees[name]}) | {med['import']:.2f} | {med['simulate']:.2f} | {med['fi_curve']:.2f} | "
              f"{med['both']:.2f} (max {max(r['both'] for r in runs):.2f}) | {med['both_cpu']:.2f} | {len(runs)} |")
    if args.baseline:
        ratio = medians["this checkout"]["both"] / medians["baseline"]["both"]
        print(f"\nfirst simulate + first fi_curve: {ratio:.2f}x the baseline's time (medians)")


if __name__ == "__main__":
    main()
