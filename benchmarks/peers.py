"""The F-I job on other simulators, for bench_fi.py and bench_accuracy.py.

NEURON: one single-compartment section with the built-in ``hh`` mechanism set to the
seed model (``el_hh = -54.4`` mV instead of NEURON's -54.3, ``celsius = 6.3``, rate
tables off with ``usetable_hh = 0``, ``ena = 50``, ``ek = -77``, ``cm = 1``), the
current injected by an ``IClamp`` (nA = µA/cm² × area), spikes recorded by a
``NetCon`` with threshold 0 mV. One current at a time (``finitialize(-65)`` then
``continuerun(1000)``, with ``h.dt`` reset first), either with the fixed step ``dt`` or with
CVode (global variable step, ``atol``). The currents are shared between worker processes (one per
core by default) that are started and set up before the clock starts, so that
NEURON, like hh_lib, uses both cores and the timing covers the simulations only.

Brian2: optional; with numpy 2.4 Brian2 2.9 does not import (it uses
``np.ndarray.ptp``, removed in numpy 2.4), so the benchmarks skip it with a message.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

T_END, T_START = 1000.0, 200.0

_nrn = {}


def _neuron_setup():
    """Build the cell once per worker process."""
    from neuron import h

    h.load_file("stdrun.hoc")
    sec = h.Section(name="soma")
    sec.L = sec.diam = 10.0  # µm; any size: the current is scaled by the area
    sec.nseg = 1
    sec.cm = 1.0
    sec.insert("hh")
    for seg in sec:
        seg.hh.gnabar = 0.12  # S/cm²
        seg.hh.gkbar = 0.036
        seg.hh.gl = 0.0003
        seg.hh.el = -54.4  # NEURON's default is -54.3
    sec.ena = 50.0
    sec.ek = -77.0
    h.usetable_hh = 0  # exact rate functions, no lookup tables
    h.celsius = 6.3
    stim = h.IClamp(sec(0.5))
    stim.delay = 0.0
    stim.dur = 1e9
    nc = h.NetCon(sec(0.5)._ref_v, None, sec=sec)
    nc.threshold = 0.0
    rec = h.Vector()
    nc.record(rec)
    _nrn.update(h=h, sec=sec, stim=stim, nc=nc, rec=rec, area_um2=sec(0.5).area())
    return h.nrnversion()


def _neuron_run(task):
    """Spike times (all, ms) for each current of the task, with the given integrator."""
    currents, mode, value = task
    if not _nrn:
        _neuron_setup()
    h, stim, rec = _nrn["h"], _nrn["stim"], _nrn["rec"]
    cv = h.CVode()
    if mode == "cvode":
        cv.active(1)
        cv.atol(value)
    else:
        cv.active(0)
    out = []
    for I in currents:
        stim.amp = I * _nrn["area_um2"] * 1e-5  # µA/cm² · µm² · 1e-8 cm²/µm² · 1e3 nA/µA
        # CVode leaves its last step in h.dt (up to ~70 ms after a silent run), and the next run
        # starts from it: without this reset a count depends on the current simulated before.
        h.dt = value if mode == "fixed" else 0.025
        h.finitialize(-65.0)
        h.continuerun(T_END)
        out.append(np.array(rec.to_python()))
    return out


def _warm(_):
    return _neuron_setup() if not _nrn else "ready"


class NeuronPool:
    """Worker processes with the NEURON cell built, ready to run batches of currents."""

    def __init__(self, processes: int | None = None):
        self.processes = processes or len(os.sched_getaffinity(0))
        # spawn: a fresh interpreter per worker, NEURON imported there only
        self.pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"))
        versions = list(self.pool.map(_warm, range(self.processes)))
        self.version = versions[0]

    def run(self, currents, mode: str, value: float):
        """(list of spike-time arrays in the order of ``currents``, wall seconds)."""
        currents = np.asarray(currents, dtype=float)
        order = np.argsort(-currents, kind="stable")  # costly (high) currents first, dealt in turn
        chunks = [order[w :: self.processes] for w in range(self.processes)]
        tasks = [([float(currents[i]) for i in idx], mode, value) for idx in chunks]
        t0 = time.perf_counter()
        results = list(self.pool.map(_neuron_run, tasks))
        wall = time.perf_counter() - t0
        spikes = [None] * currents.size
        for idx, res in zip(chunks, results):
            for i, s in zip(idx, res):
                spikes[i] = s
        return spikes, wall

    def close(self):
        self.pool.shutdown()


def brian2_status() -> str | None:
    """None if Brian2 imports, else why not (one line)."""
    try:
        import brian2  # noqa: F401
    except Exception as exc:  # ImportError, or AttributeError with numpy >= 2.4
        return f"Brian2 not available ({type(exc).__name__}: {str(exc).splitlines()[0][:90]})"
    return None


def brian2_fi(currents):
    """Spike times per current with Brian2 (exact HH equations, exponential Euler dt = 0.01 ms,
    all currents as one group of independent neurons). Returns (spikes, wall seconds)."""
    import brian2 as b2

    b2.prefs.codegen.target = "cython"
    b2.start_scope()
    eqs = """
    dv/dt = (I - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) - gL*(v - EL)) / Cm : volt
    dm/dt = alpha_m*(1 - m) - beta_m*m : 1
    dh/dt = alpha_h*(1 - h) - beta_h*h : 1
    dn/dt = alpha_n*(1 - n) - beta_n*n : 1
    alpha_m = 1/exprel(-(v + 40*mV)/(10*mV))/ms : Hz
    beta_m = 4*exp(-(v + 65*mV)/(18*mV))/ms : Hz
    alpha_h = 0.07*exp(-(v + 65*mV)/(20*mV))/ms : Hz
    beta_h = 1/(1 + exp(-(v + 35*mV)/(10*mV)))/ms : Hz
    alpha_n = 0.1/exprel(-(v + 55*mV)/(10*mV))/ms : Hz
    beta_n = 0.125*exp(-(v + 65*mV)/(80*mV))/ms : Hz
    I : amp/meter**2
    """
    ns = dict(
        Cm=1 * b2.ufarad / b2.cm**2, gNa=120 * b2.msiemens / b2.cm**2, gK=36 * b2.msiemens / b2.cm**2,
        gL=0.3 * b2.msiemens / b2.cm**2, ENa=50 * b2.mV, EK=-77 * b2.mV, EL=-54.4 * b2.mV,
    )
    G = b2.NeuronGroup(len(currents), eqs, threshold="v > 0*mV", refractory="v > 0*mV",
                       method="exponential_euler", namespace=ns, dt=0.01 * b2.ms)
    G.v = -65 * b2.mV
    am, bm = 0.1 * 25 / (np.exp(2.5) - 1), 4.0
    ah, bh = 0.07, 1 / (np.exp(3.0) + 1)
    an, bn = 0.01 * 10 / (np.exp(1.0) - 1), 0.125
    G.m, G.h, G.n = am / (am + bm), ah / (ah + bh), an / (an + bn)
    G.I = np.asarray(currents) * b2.uamp / b2.cm**2
    mon = b2.SpikeMonitor(G)
    t0 = time.perf_counter()
    b2.run(T_END * b2.ms)
    wall = time.perf_counter() - t0
    trains = mon.spike_trains()
    return [np.asarray(trains[i] / b2.ms) for i in range(len(currents))], wall
