"""Where the test suite's time goes: wall time, and CPU seconds by kind of process and by test.

The repository is copied into a fresh temporary folder (as a fresh clone: no ``_build``, no numba
cache, no reference runs; benchmarks/bench_ci.py's copy) and the whole suite runs there as ``make
test`` runs it (``pytest -n auto --dist loadgroup --no-loadscope-reorder``, ``CI=true``): first cold,
then (``--runs 2``) again in the same tree, warm (the book, the executed pages, the kernels and the
reference runs cached). Every process of the run is accounted for (benchmarks/cpu_account.py: headless
Chromium too, which ``getrusage`` misses) and charged to the test its worker was running.

The last line compares the CPU time with what the cores can give in the wall-time target
(``--target``, default 180 s: issue "Feedback in minutes"): a suite whose CPU time exceeds cores x
target cannot meet it on this machine however its tests are spread over the workers.

    python benchmarks/bench_suite.py            # cold, then warm
    python benchmarks/bench_suite.py --runs 1   # cold only
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_account  # noqa: E402
from bench_ci import clean_env, copy_repository, suite_command  # noqa: E402


def table(title: str, counter, total: float, top: int) -> str:
    lines = [f"| {title} | CPU (s) | share |", "|---|---:|---:|"]
    for name, seconds in counter.most_common(top):
        lines.append(f"| {name} | {seconds:.1f} | {100 * seconds / total:.0f} % |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=2, help="1: cold only; 2: cold, then warm in the same tree")
    ap.add_argument("--workers", default="auto")
    ap.add_argument("--target", type=float, default=180.0, help="wall-time target of the suite (s)")
    ap.add_argument("--top", type=int, default=10, help="rows of the per-module and per-test tables")
    ap.add_argument("--keep", action="store_true", help="keep the temporary tree (its logs)")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    repo = copy_repository(tmp / "repo")
    cores = os.cpu_count() or 1
    failed = False
    for run in range(args.runs):
        label = "cold" if run == 0 else "warm"
        tests_dir = tmp / f"current-{label}"
        tests_dir.mkdir()
        env = clean_env(repo, CI="true", CPU_ACCOUNT_DIR=str(tests_dir))
        env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(repo)])   # and the plugin (cpu_account)
        rc, acc = cpu_account.run([*suite_command(args.workers), "-p", "cpu_account"], cwd=repo, env=env,
                                  log=tmp / f"{label}.log", tests_dir=tests_dir)
        tail = (tmp / f"{label}.log").read_text(errors="replace").strip().splitlines()[-1:]
        failed |= rc != 0
        print(f"\n## {label} run: {acc.wall:.0f} s wall, {acc.cpu:.0f} CPU s "
              f"({100 * acc.cpu / (cores * acc.wall):.0f} % of {cores} cores); {tail[0] if tail else rc}\n")
        print(table("kind of process", acc.by_kind, acc.cpu, 12), "\n")
        print(table("test module", acc.by_module(), acc.cpu, args.top), "\n")
        print(table("test", acc.by_test, acc.cpu, args.top), "\n")
        budget = cores * args.target
        print(f"CPU {acc.cpu:.0f} s against {budget:.0f} s ({cores} cores x {args.target:.0f} s): "
              + (f"at least {acc.cpu / cores:.0f} s of wall time on this machine, {acc.cpu / budget:.1f}x the target"
                 if acc.cpu > budget else "within reach if the workers stay busy"))
    if args.keep:
        print(f"\nkept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
