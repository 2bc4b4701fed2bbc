"""The runs behind notes/cs_science.md, on the independent references only (tests/cs_reference.py for
Connor-Stevens, tests/reference.py for Hodgkin-Huxley; neither imports hh_lib).

    python notes/cs_science_runs.py [--jobs 2] > notes/cs_science_runs.txt
    python notes/cs_science_runs.py --extra >> notes/cs_science_runs.txt   # [hopf], [quarter], [high]

Every line of the output is one measured fact; the memo quotes them by their tag ([rest], [onset],
...). The F-I protocol is the course's: a constant current switched on at t = 0 with the membrane at
rest (the equilibrium at I = 0), action potentials counted by the state rule with their peak in
[200, 1000) ms, rate = count / 0.8 s. Takes about 15 minutes on one core.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

import cs_reference as CS  # noqa: E402

T0, T1 = 200.0, 1000.0


def summary(args):
    """Every event of one F-I run: (I, ga, [(t_peak, peak, trough, na_rise, by_state), ...])."""
    I, ga, t_end = args
    r = CS.run(float(I), float(t_end), float(ga))
    evs = CS.events(r)
    return I, ga, t_end, [(e.t_peak, e.peak, e.trough, e.na_rise, e.by_state) for e in evs]


def rate_of(evs, t0=T0, t1=T1):
    return sum(1 for e in evs if e[4] and t0 <= e[0] < t1) * 1000.0 / (t1 - t0)


def fi_block(pool, ga, currents, tag):
    """F-I rates on a grid, every event printed to stderr-free log lines tagged [event]."""
    out = {}
    for I, g, t_end, evs in pool.map(summary, [(float(I), ga, T1) for I in currents]):
        out[I] = evs
        spikes = [e for e in evs if e[4]]
        other = [e for e in evs if not e[4]]
        print(f"[{tag}] ga_scale={ga:g} I={I:g} rate={rate_of(evs):.2f} Hz events={len(evs)} spikes={len(spikes)}"
              f" min_rise_spike={min((e[3] for e in spikes), default=math.nan):.3f}"
              f" max_rise_other={max((e[3] for e in other), default=math.nan):.3f}"
              f" min_amp_spike={min((e[1] - e[2] for e in spikes), default=math.nan):.1f} mV")
        for e in other:
            print(f"[non-spike] ga_scale={ga:g} I={I:g} t={e[0]:.3f} ms peak={e[1]:.2f} trough={e[2]:.2f} mV rise={e[3]:.4f}")
    return out


def bisect_onset(ga, lo, hi, tol=0.01):
    lo, hi = CS.onset(lo, hi, tol, ga_scale=ga)
    print(f"[onset] ga_scale={ga:g} silent at {lo:.4f}, fires at {hi:.4f} µA/cm² (bisection to {tol:g}):"
          f" {CS.rate(hi, ga_scale=ga):.2f} Hz at {hi:.4f}")
    return hi


def near_onset(ga, I_on):
    for d in (0.0, 0.01, 0.1, 1.0):
        I = round(I_on + d, 6)
        s = CS.spike_times(CS.run(I, T1, ga))
        first = s[0] if s.size else math.nan
        isi = np.diff(s[s >= T0])
        print(f"[near-onset] ga_scale={ga:g} I={I:.4f} (onset+{d:g}) rate={CS.rate(I, ga_scale=ga):.2f} Hz"
              f" first spike at {first:.1f} ms, ISIs in window {np.round(isi, 1).tolist()}")


def lowest_rates(I_sn):
    """Steady rate from the last ISI of long runs just above the saddle-node current."""
    for d, t_end in ((0.001, 8000.0), (0.003, 6000.0), (0.01, 4000.0), (0.03, 3000.0), (0.1, 2000.0), (0.3, 2000.0),
                     (1.0, 1000.0)):
        I = I_sn + d
        T = CS.steady_period(I, t_end)
        print(f"[low-rate] I = I_SN + {d:g} = {I:.5f} µA/cm²: period {T:.2f} ms = {1000.0 / T:.3f} Hz"
              f" (last ISI of a {t_end:g}-ms run); rate x sqrt: {1000.0 / T / math.sqrt(d):.2f} Hz/sqrt(µA/cm²)")


def hh_part():
    import reference as HH  # the HH reference (tests/reference.py)

    def count(I):
        return HH.spike_counts(float(I), T0, T1, max_step=1.0)[0]

    lo, hi = 6.0, 7.0
    assert count(lo) == 0 < count(hi)
    while hi - lo > 0.01 + 1e-9:
        mid = round(0.5 * (lo + hi), 10)
        lo, hi = (lo, mid) if count(mid) > 0 else (mid, hi)
    print(f"[hh-onset] silent at {lo:.4f}, fires at {hi:.4f} µA/cm²: {count(hi) / 0.8:.2f} Hz;"
          f" at onset+0.1 {count(hi + 0.1) / 0.8:.2f} Hz, onset+1 {count(hi + 1.0) / 0.8:.2f} Hz")
    grid = [0, 2, 4, 5, 6, 6.2, 6.3, 6.5, 7, 8, 10, 12.5, 15, 20, 25, 30, 40, 50, 60, 80, 100]
    print("[hh-fi] " + " ".join(f"{I:g}:{count(I) / 0.8:.2f}" for I in grid))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    jobs = ap.parse_known_args()[0].jobs

    print(f"[rest] V_rest = {CS.resting_potential():.6f} mV; state {np.round(CS.rest_state(), 6).tolist()}")
    for ga in (1.0, 0.75, 0.5, 0.25, 0.0):
        eq = CS.equilibria(0.0, ga)
        k = CS.knee(ga)
        knee = "none (monotonic I-V curve)" if k is None else f"V = {k[0]:.4f} mV, I_SN = {k[1]:.6f} µA/cm²"
        print(f"[rest] ga_scale={ga:g}: equilibria at I=0 {np.round(eq, 4).tolist()} mV; knee {knee}")
    I_sn = CS.knee(1.0)[1]
    lowest_rates(I_sn)

    with ProcessPoolExecutor(jobs) as pool:
        fine = np.round(np.arange(8.0, 10.001, 0.1), 2)
        coarse = [10.5, 11, 12, 13, 14, 15, 17.5, 20, 25, 30, 40, 50, 60, 80, 100, 125, 150, 175, 200]
        fi_block(pool, 1.0, list(fine) + coarse, "fi")
        half = np.round(np.arange(-1.0, 4.001, 0.25), 2)
        fi_block(pool, 0.5, list(half) + [5, 6, 8, 10, 15, 20, 30], "fi")
        full = np.round(np.arange(-10.0, -2.999, 0.25), 2)
        fi_block(pool, 0.0, list(full) + [-2, 0, 2, 5, 10, 20, 30], "fi")

    I_on = bisect_onset(1.0, 8.0, 8.3)
    near_onset(1.0, I_on)
    I_half = bisect_onset(0.5, 0.0, 2.0)
    near_onset(0.5, I_half)
    I_full = bisect_onset(0.0, -8.0, -5.0)
    near_onset(0.0, I_full)
    hh_part()


if __name__ == "__main__" and "--extra" not in sys.argv:
    main()


def extra_quarter_block():
    """25 % block (ga_scale 0.75), for the exercise: equilibria and stability near the knee, onset."""
    ga = 0.75
    for I in (4.0, 5.0, 5.9, 5.96):
        eq = CS.equilibria(I, ga)
        print(f"[quarter] I={I:g}: equilibria {np.round(eq, 3).tolist()} mV; largest real part of the"
              f" eigenvalues at each {[round(max_real_eig(I, ga, V), 4) for V in eq]} 1/ms")
    lo, hi = CS.onset(2.0, 5.0, 0.01, ga_scale=ga)
    print(f"[quarter] onset: silent at {lo:.4f}, fires at {hi:.4f} µA/cm²: {CS.rate(hi, ga_scale=ga):.2f} Hz;"
          f" onset+0.1 {CS.rate(hi + 0.1, ga_scale=ga):.2f} Hz, onset+1 {CS.rate(hi + 1.0, ga_scale=ga):.2f} Hz")


def max_real_eig(I, ga, V):
    """Largest real part of the Jacobian's eigenvalues at the equilibrium V (central differences)."""
    y = np.array([V, *(float(x) for x in CS.steady_state(V))])
    f = CS._make_rhs(float(I), float(ga))
    J = np.empty((6, 6))
    for k in range(6):
        e = np.zeros(6)
        e[k] = 1e-6
        J[:, k] = (np.array(f(0.0, y + e)) - np.array(f(0.0, y - e))) / 2e-6
    return float(np.linalg.eigvals(J).real.max())


def hopf_points():
    from scipy.optimize import brentq

    for ga, lo, hi in ((0.75, 4.0, 5.0), (0.5, 0.0, 2.0), (0.0, -8.0, -6.0)):
        def g(I):
            return max_real_eig(I, ga, CS.equilibria(I, ga)[0])
        Ih = brentq(g, lo, hi, xtol=1e-6)
        print(f"[hopf] ga_scale={ga:g}: the rest loses stability at I = {Ih:.4f} µA/cm²"
              f" (V = {CS.equilibria(Ih, ga)[0]:.3f} mV)")


def high_end():
    """The top of the intact model's F-I curve: the shrinking limit cycle before depolarisation block."""
    for I in (160.0, 165.0, 170.0):
        late = [e for e in CS.events(CS.run(I, T1)) if e.t_peak >= T0]
        amp = [e.peak - e.trough for e in late]
        rise = [e.na_rise for e in late]
        print(f"[high] ga_scale=1 I={I:g} rate={CS.rate(I):.2f} Hz; events in window {len(late)}, their amplitude"
              f" {min(amp):.1f}-{max(amp):.1f} mV, peak {max(e.peak for e in late):.2f} mV,"
              f" ratio rise {min(rise):.3f}-{max(rise):.3f}")


def near_onset_trace(I=8.25):
    """The trace shown on the page near onset: spike times, and V and I_A between spikes."""
    r = CS.run(I, T1)
    s = CS.spike_times(r)
    t, y = r.sampled(0.05)
    V, a, b = y[0], y[4], y[5]
    I_A = CS.G_A * a**3 * b * (V - CS.E_A)
    sel = (t > s[1] + 5.0) & (t < s[2] - 5.0)
    rest = CS.rest_state()
    I_A_rest = CS.G_A * rest[4] ** 3 * rest[5] * (rest[0] - CS.E_A)
    print(f"[trace] I={I:g}: spikes at {np.round(s, 1).tolist()} ms, ISIs {np.round(np.diff(s), 1).tolist()} ms,"
          f" rate {CS.rate(I):.2f} Hz; between spikes 2 and 3 (5 ms off each) V in [{V[sel].min():.2f},"
          f" {V[sel].max():.2f}] mV, -60 < V < -50 for {np.mean((V[sel] > -60) & (V[sel] < -50)):.1%} of the time,"
          f" I_A in [{I_A[sel].min():.2f}, {I_A[sel].max():.2f}] µA/cm²; at rest I_A = {I_A_rest:.2f},"
          f" I_L = {CS.G_L * (rest[0] - CS.E_L):.2f} µA/cm²")
    for dt in (5.0, 20.0, 60.0, 120.0, 180.0, 205.0):
        i = int(np.searchsorted(t, s[1] + dt))
        print(f"[trace] {dt:g} ms after spike 2: V={V[i]:.2f} mV a={a[i]:.3f} b={b[i]:.3f} I_A={I_A[i]:.2f} µA/cm²"
              f" tau_a={float(CS.tau_a(V[i])):.2f} tau_b={float(CS.tau_b(V[i])):.2f} ms")
    print(f"[trace] largest tau_a = {0.3632 + 1.158:.4f} ms, largest tau_b = {1.24 + 2.678:.3f} ms (V -> -inf)")


if __name__ == "__main__" and "--extra" in sys.argv:
    near_onset_trace()
    hopf_points()
    extra_quarter_block()
    high_end()
