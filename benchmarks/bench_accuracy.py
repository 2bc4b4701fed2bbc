"""Time against accuracy on the F-I job, for hh_lib at several tolerances and for the peers.

For every setting: wall time of the whole job (201 currents, 1000 ms), the number of currents
failing the accuracy bar (reference.py), and the largest spike-time error at the end of the
counting window: |t_last - t_last_ref| for the last spike before 1000 ms, over the currents
that fire, are more than 0.25 µA/cm² from the rheobase (where the count itself is fragile) and
have the reference count (a differing count is a bar failure, counted in its own column). That error grows roughly
linearly over the 1000 ms, and the nearest spike to a window edge among the currents the bar
does not exempt lies 0.106 ms from it: an error well below that is the margin of the bar.

hh_lib is run with PI step-size control (the default) and with integral control (beta = 0),
to show what the PI controller buys. Results: a table on stdout, data/bench_accuracy_results.json
and time_vs_accuracy.png.

Usage::

    python benchmarks/bench_accuracy.py            # about 5 minutes on 2 cores
    python benchmarks/bench_accuracy.py --quick    # hh_lib and NEURON CVode only, fewer settings
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
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

PNG_PATH = os.path.join(HERE, "time_vs_accuracy.png")
RESULTS_PATH = os.path.join(HERE, "data", "bench_accuracy_results.json")


def window_spikes(times):
    times = np.asarray(times)
    return times[(times >= R.T_START) & (times < R.T_END)]


class Scorer:
    def __init__(self, ref):
        self.ref = ref
        self.I = np.asarray(ref["currents"])
        self.counts = np.asarray(ref["counts"])
        self.last = np.array([w[-1] if w.size else np.nan for w in map(window_spikes, ref["spike_times"])])
        self.scored = (self.counts > 0) & (np.abs(self.I - ref["rheobase"]) > R.RHEOBASE_MARGIN)
        d = [np.min(np.abs(np.r_[w[:1] - R.T_START, R.T_END - w[-1:]])) if w.size else np.inf
             for w in map(window_spikes, ref["spike_times"])]
        self.edge_distance = np.array(d)

    def score(self, counts, last, currents=None):
        """(failures, max spike-time error at the window's end) on ``currents`` (default: all)."""
        idx = np.arange(self.I.size) if currents is None else np.searchsorted(self.I, currents)
        counts, last = np.asarray(counts), np.asarray(last, dtype=float)
        fails = R.bar_failures(counts, self.ref, currents=self.I[idx])
        same = counts == self.counts[idx]
        err = np.abs(last - self.last[idx])
        sel = self.scored[idx] & same  # a differing count is a bar failure, shown by the x marker
        return len(fails), float(np.max(err[sel])) if sel.any() else float("nan")


def hh_lib_runs(tolerances, beta, repeats):
    from hh_lib.hh.analysis import FI_MAX_STEP
    from hh_lib._kernels.lanes import count_spikes
    from hh_lib.hh.equations import KERNEL
    from hh_lib.hh.parameters import HHParameters
    from hh_lib.hh.rates import steady_state

    y0 = np.array([-65.0, *steady_state(-65.0)])
    p = HHParameters().as_array()
    out = []
    for tol in tolerances:
        run = lambda: count_spikes(KERNEL, y0, R.CURRENTS, R.T_END, R.T_START, 0.0, p, tol, tol, FI_MAX_STEP, beta)
        run()  # warm-up (compiles on the very first call)
        walls = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            counts, times, attempts = run()
            walls.append(time.perf_counter() - t0)
        out.append(dict(tol=tol, wall=statistics.median(walls), counts=counts, last=times[:, 1],
                        evaluations=int(6 * attempts.sum())))
    return out


def plot(rows, tightest):
    """Draw time_vs_accuracy.png from the result rows."""
    from hh_lib._kernels.dopri import PI_BETA

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5.5))
    styles = {
        f"hh_lib, PI control (beta {PI_BETA:g})": ("C0", "o"), "hh_lib, integral control": ("C9", "s"),
        "NEURON CVode": ("C1", "^"), "NEURON fixed step": ("C3", "v"), "seed odeint": ("C2", "D"),
    }
    floor = 1e-7
    for group, (color, marker) in styles.items():
        pts = [r for r in rows if r["group"] == group]
        if not pts:
            continue
        x = [r["wall"] for r in pts]
        y = [max(r["err"], floor) for r in pts]
        ax.plot(x, y, marker=marker, color=color, label=group, lw=1, ms=6)
        for r, xi, yi in zip(pts, x, y):
            bad = r["failures"] not in (0, "0 / 21")
            if bad:
                ax.plot(xi, yi, marker="x", color="k", ms=9, mew=1.5)
            short = r["setting"].replace("rtol = atol = ", "").replace(" (default)", "*").replace("atol = ", "").replace(" ms", "")
            ax.annotate(short, (xi, yi), textcoords="offset points", xytext=(4, 4), fontsize=7, color=color)
    ax.axhline(tightest, color="gray", ls="--", lw=1)
    ax.text(0.98, tightest * 1.15, f"nearest non-exempt spike to a window edge ({tightest:.3f} ms)",
            fontsize=8, color="gray", ha="right", transform=ax.get_yaxis_transform())
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("wall time of the F-I job, 201 currents x 1000 ms (s)")
    ax.set_ylabel("max error of the last spike time before 1000 ms (ms)")
    ax.set_title("F-I job: time vs accuracy (x: fails the accuracy bar at some current)")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(PNG_PATH, dpi=120)


def main(argv=None):
    ap = argparse.ArgumentParser(description="time vs accuracy (see the module docstring)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--processes", type=int, default=None, help="NEURON worker processes (default: one per core)")
    ap.add_argument("--plot-only", action="store_true", help="redraw the plot from data/bench_accuracy_results.json")
    args = ap.parse_args(argv)
    if args.plot_only:
        with open(RESULTS_PATH) as f:
            saved = json.load(f)
        plot(saved["rows"], saved["tightest_edge_distance"])
        return

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    ref = R.load()
    sc = Scorer(ref)
    nonexempt = ~R.exempt_mask(ref) & (sc.counts > 0)
    tightest = float(np.min(sc.edge_distance[nonexempt]))
    from hh_lib.hh.analysis import FI_RTOL
    from hh_lib._kernels.dopri import PI_BETA

    rows = []
    tols = [1e-3, 1e-4, 1e-5, 1e-6, 1e-7] if args.quick else [1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 1e-7, 1e-8]
    for beta, label in ((PI_BETA, f"hh_lib, PI control (beta {PI_BETA:g})"), (0.0, "hh_lib, integral control")):
        if args.quick and beta == 0.0:
            continue
        log(f"{label} ...")
        for r in hh_lib_runs(tols, beta, args.repeats):
            fails, err = sc.score(r["counts"], r["last"])
            rows.append(dict(tool=label, setting=f"rtol = atol = {r['tol']:g}" + (" (default)" if beta == PI_BETA and r["tol"] == FI_RTOL else ""),
                             wall=r["wall"], failures=fails, err=err, evaluations=r["evaluations"], group=label, x=r["tol"]))

    pool = peers.NeuronPool(args.processes)
    cv = [1e-2, 1e-3, 1e-4, 1e-5] if args.quick else [1e-2, 1e-3, 1e-4, 1e-5, 1e-6]
    fixed = [] if args.quick else [0.1, 0.05, 0.025, 0.01]
    for mode, values, name in (("cvode", cv, "NEURON CVode"), ("fixed", fixed, "NEURON fixed step")):
        for v in values:
            log(f"{name} {v:g} ...")
            spikes, wall = pool.run(R.CURRENTS, mode, v)
            last = [w[-1] if w.size else np.nan for w in map(window_spikes, spikes)]
            fails, err = sc.score([R.count_in_window(s) for s in spikes], last)
            rows.append(dict(tool=f"{name} ({pool.processes} processes)", setting=(f"atol = {v:g}" if mode == "cvode" else f"dt = {v:g} ms"),
                             wall=wall, failures=fails, err=err, evaluations=None, group=name, x=v))
    pool.close()

    if not args.quick:
        every = 10
        subset = R.CURRENTS[::every]
        log(f"seed odeint loop on every {every}th current ...")
        t0 = time.perf_counter()
        counts, last = [], []
        for I in subset:
            t, sol = seed_odeint.simulate_hh(float(I))
            V = sol[:, 0]
            up = np.flatnonzero((V[:-1] < 0.0) & (V[1:] >= 0.0)) + 1
            ts = t[up - 1] - V[up - 1] / (V[up] - V[up - 1]) * (t[up] - t[up - 1])
            w = window_spikes(ts)
            counts.append(w.size)
            last.append(w[-1] if w.size else np.nan)
        wall = (time.perf_counter() - t0) * len(R.CURRENTS) / len(subset)
        fails, err = sc.score(counts, last, currents=subset)
        rows.append(dict(tool="seed odeint loop", setting=f"{len(subset)} currents timed, x{len(R.CURRENTS) / len(subset):.2f}",
                         wall=wall, failures=f"{fails} / {len(subset)}", err=err, evaluations=None, group="seed odeint", x=None))
    why_not = peers.brian2_status()
    if why_not:
        log(why_not + ": skipped")

    # table
    print("| tool | setting | wall time (s) | RHS evaluations | currents failing the bar | max spike-time error at 1000 ms (ms), currents with the reference count |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        ev = f"{r['evaluations'] / 1e6:.2f} M" if r["evaluations"] else ""
        err = f"{r['err']:.1e}"
        print(f"| {r['tool']} | {r['setting']} | {r['wall']:.3f} | {ev} | {r['failures']} | {err} |")
    print(f"\nNearest spike to a window edge among the currents the bar does not exempt: {tightest:.3f} ms.")
    if why_not:
        print(why_not + "; skipped.")

    plot(rows, tightest)
    os.makedirs(os.path.dirname(RESULTS_PATH), exist_ok=True)
    with open(RESULTS_PATH, "w") as f:
        json.dump(dict(rows=[{k: v for k, v in r.items()} for r in rows], tightest_edge_distance=tightest,
                       date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())), f, indent=1, default=float)
    log(f"wrote {os.path.relpath(PNG_PATH)} and {os.path.relpath(RESULTS_PATH)}")


if __name__ == "__main__":
    main()
