"""What one more lecture costs the build and the test suite (issue: feedback in minutes).

For each count N of synthetic lectures (default 0, 1, 2, 4, 8) the repository is copied into a
fresh temporary folder (tracked and untracked files that git does not ignore: no ``_build``, no
executed-page cache, no numba cache, no reference runs), a lecture page is copied N times as new
lectures with distinct names (own file, title, notebook name, labels and citation prefix; its
live labs left out, since a lab kind lives on one page), listed in ``_toc.yml``, and then

* **cold build**: ``jupyter-book build . -W -n --keep-going`` (every page executed, kernels compiled);
* **tests**: the whole suite as ``make test`` runs it (``pytest -n auto --dist loadgroup --no-loadscope-reorder``), after
  that build (its own strict build re-reads every page; the executed pages come from the cache;
  the reference runs, which no lecture changes, from this tree's cache unless --fresh-references).

It prints each total and the marginal seconds per added lecture (least-squares slope over N, and
between consecutive counts), in wall-clock seconds and in CPU seconds (user + system of the whole
process tree, headless Chromium included: benchmarks/cpu_account.py; a figure that another load on a
shared machine changes less; with C cores the wall time cannot be below CPU / C). The synthetic
lectures go through every per-page check: the site tests find pages in the built site and the
notebook tests find lectures in the pages.

    python benchmarks/bench_ci.py                          # N = 0 1 2 4 8, lecture W5D1
    python benchmarks/bench_ci.py --counts 0 2 --lecture book/weeks/week5/day2-neuron-models.md
    python benchmarks/bench_ci.py --no-tests               # the cold build only
    python benchmarks/bench_ci.py --test-counts 0 4        # the suite only for N = 0 and 4

The machine's other load shows in the numbers: run it on a quiet machine, and read the slope.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cpu_account  # noqa: E402


def copy_repository(dest: Path) -> Path:
    """The working tree as git sees it (tracked + untracked, without ignored files), plus the
    vendored browser libraries (fetched by the build from pinned versions; not timed here)."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    npm = ROOT / "site_assets" / "npm"
    if npm.is_dir():
        shutil.copytree(npm, dest / "site_assets" / "npm", dirs_exist_ok=True)
    # A repository of its own, as a clone is (tests/tooling/test_lecture.py lists its files with git).
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench_ci copy"]):
        subprocess.run([*git, *args], cwd=dest, check=True, capture_output=True)
    return dest


def _labels(text: str) -> set[str]:
    found = set(re.findall(r"^:label:\s*(\S+)", text, re.M))
    found |= set(re.findall(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$", text, re.M))
    found |= set(re.findall(r"^:name:\s*(\S+)", text, re.M))
    return found


def _drop_labs(text: str) -> str:
    """Leave out the ```{hh-lab} blocks (each lab kind is tested on its own page)."""
    return re.sub(r"^```\{hh-lab\}[^\n]*\n(?:.*?\n)?```\n", "", text, flags=re.M | re.S)


def synthetic_lecture(text: str, k: int, notebook: str) -> str:
    """Lecture number k from a page's text: own title, notebook, labels and citation prefix."""
    new_name = f"S{k}D1_Synthetic{k}"
    prefix = re.search(r"\{cite:[pt]\}`([a-z0-9]+)-", text)
    out = _drop_labs(text).replace(notebook, new_name)
    out = re.sub(r'^title:\s*".*"$', f'title: "S{k}D1 - Synthetic lecture {k}"', out, count=1, flags=re.M)
    out = re.sub(r"^# .*$", f"# S{k}D1: Synthetic lecture {k}", out, count=1, flags=re.M)
    if prefix:
        out = out.replace(f"{prefix.group(1)}-", f"s{k}d1-")
    for label in sorted(_labels(text), key=len, reverse=True):
        out = re.sub(rf"(?<![\w-]){re.escape(label)}(?![\w-])", f"{label}-s{k}", out)
    # Code of its own, as a new lecture has: jupyter-cache keys an executed page on its code, and
    # would otherwise reuse the first copy's execution for every other copy.
    out = re.sub(r"^(```\{code-cell\}[^\n]*\n(?::[^\n]*\n)*)", rf"\1# synthetic lecture {k}\n", out, count=1,
                 flags=re.M)
    return out


def add_lectures(repo: Path, lecture: str, n: int) -> list[str]:
    """Copy ``lecture`` n times next to it and list the copies in _toc.yml after it."""
    import yaml

    page = repo / lecture
    text = page.read_text(encoding="utf-8")
    notebook = re.search(r"^notebook:\s*([A-Za-z0-9_-]+)", text, re.M).group(1)
    added = []
    for k in range(1, n + 1):
        rel = Path(lecture).with_name(f"synthetic{k}-{Path(lecture).stem}.md")
        (repo / rel).write_text(synthetic_lecture(text, k, notebook), encoding="utf-8")
        added.append(rel.with_suffix("").as_posix())
    toc_path = repo / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    entry = Path(lecture).with_suffix("").as_posix()
    for part in toc["parts"]:
        files = [c["file"] for c in part["chapters"]]
        if entry in files:
            at = files.index(entry) + 1
            part["chapters"][at:at] = [{"file": f} for f in added]
            break
    else:
        raise SystemExit(f"{entry} is not in _toc.yml")
    toc_path.write_text("# Table of contents (with synthetic lectures for benchmarks/bench_ci.py)\n"
                        + yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return added


def clean_env(cwd: Path, **extra: str) -> dict[str, str]:
    """This environment for a run in the copy ``cwd``: its sources first on the path, and none of the
    variables that would point the build or the tests at another tree, page or cache."""
    env = dict(os.environ, PYTHONPATH=str(cwd), **extra)
    for var in ("CHECK_PAGE", "SITE_DIR", "HH_REFERENCE_CACHE", "NUMBA_CACHE_DIR"):
        env.pop(var, None)
    return env


def suite_command(workers: str = "auto") -> list[str]:
    """The whole suite as ``make test`` runs it (pytest-xdist, the Makefile's XDIST)."""
    return [sys.executable, "-m", "pytest", "-n", workers, "--dist", "loadgroup", "--no-loadscope-reorder", "-q"]


def timed(cmd: list[str], cwd: Path, log: Path, references: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the whole process tree, Chromium included: cpu_account.py) and exit
    code of ``cmd``."""
    env = clean_env(cwd)
    if references is not None:
        env["HH_REFERENCE_CACHE"] = str(references)
    rc, account = cpu_account.run(cmd, cwd=cwd, env=env, log=log)
    return account.wall, account.cpu, rc


def jupyter_book() -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    return [str(exe)] if exe.exists() else [shutil.which("jupyter-book") or "jupyter-book"]


def slope(xs, ys) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--counts", type=int, nargs="+", default=[0, 1, 2, 4, 8])
    ap.add_argument("--lecture", default="book/weeks/week5/day1-hodgkin-huxley.md")
    ap.add_argument("--no-tests", action="store_true", help="time the cold build only")
    ap.add_argument("--test-counts", type=int, nargs="+", help="run the suite only for these counts")
    ap.add_argument("--workers", default="auto", help="pytest-xdist workers (make test: auto)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary trees (their logs)")
    ap.add_argument("--fresh-references", action="store_true",
                    help="compute the tests' reference runs afresh for every count (by default they come from "
                         "this tree's _build/.reference_cache: they do not depend on the lectures)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "data" / "bench_ci_results.json")
    args = ap.parse_args(argv)

    rows = []
    for n in args.counts:
        tmp = Path(tempfile.mkdtemp(prefix=f"bench-ci-{n}-"))
        repo = copy_repository(tmp / "repo")
        add_lectures(repo, args.lecture, n)
        build_s, build_cpu, build_rc = timed([*jupyter_book(), "build", ".", "-W", "-n", "--keep-going"], repo,
                                             tmp / "build.log")
        row = {"lectures_added": n, "build_s": round(build_s, 1), "build_cpu": round(build_cpu, 1),
               "build_ok": build_rc == 0}
        if not args.no_tests and (args.test_counts is None or n in args.test_counts):
            tests_s, tests_cpu, tests_rc = timed([*suite_command(args.workers), "-p", "no:cacheprovider"], repo,
                                                 tmp / "tests.log",
                                                 None if args.fresh_references else ROOT / "_build" / ".reference_cache")
            tail = (tmp / "tests.log").read_text(errors="replace").strip().splitlines()[-1:]
            row |= {"tests_s": round(tests_s, 1), "tests_cpu": round(tests_cpu, 1), "tests_ok": tests_rc == 0,
                    "tests_summary": tail[0] if tail else ""}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if args.keep:
            print(f"  kept {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    names = {"build_s": "cold build (s)", "build_cpu": "cold build (CPU s)", "tests_s": "tests (s)",
             "tests_cpu": "tests (CPU s)"}
    print()
    for cols in (["build_s", "build_cpu"], ["tests_s", "tests_cpu"]):
        sub = [r for r in rows if cols[0] in r]
        if not sub:
            continue
        xs = [r["lectures_added"] for r in sub]
        print("| lectures added | " + " | ".join(names[c] for c in cols) + " |")
        print("|---:|" + "---:|" * len(cols))
        for i, r in enumerate(sub):
            cells = []
            for c in cols:
                step = ""
                if i and xs[i] != xs[i - 1]:
                    step = f" (+{(r[c] - sub[i - 1][c]) / (xs[i] - xs[i - 1]):.1f}/lecture)"
                cells.append(f"{r[c]:.1f}{step}")
            print(f"| {xs[i]} | " + " | ".join(cells) + " |")
        if len(set(xs)) > 1:
            print("| **marginal s per added lecture** (least squares) | "
                  + " | ".join(f"**{slope(xs, [r[c] for r in sub]):.1f}**" for c in cols) + " |")
        print()
    built = [r for r in rows]
    tested = [r for r in rows if "tests_s" in r]
    if len({r["lectures_added"] for r in built}) > 1 and len({r["lectures_added"] for r in tested}) > 1:
        marg = {c: slope([r["lectures_added"] for r in (tested if c.startswith("tests") else built)],
                         [r[c] for r in (tested if c.startswith("tests") else built)])
                for c in ("build_s", "build_cpu", "tests_s", "tests_cpu")}
        print(f"build + tests, per added lecture: {marg['build_s'] + marg['tests_s']:.1f} s wall, "
              f"{marg['build_cpu'] + marg['tests_cpu']:.1f} CPU s (at least "
              f"{(marg['build_cpu'] + marg['tests_cpu']) / (os.cpu_count() or 1):.1f} s on {os.cpu_count()} idle cores)")
    failed = [r for r in rows if not r["build_ok"] or not r.get("tests_ok", True)]
    if failed:
        print(f"\nnot all runs passed: {failed}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"lecture": args.lecture, "rows": rows}, indent=1, ensure_ascii=False) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
