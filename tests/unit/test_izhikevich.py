"""Tests of the Izhikevich (2003) neuron: integrator accuracy and the published firing patterns.

Units: v in mV, t in ms, u and I in mV/ms.

Protocol for the patterns (Izhikevich 2003, Fig. 2): constant I = 10 from
v = -65 mV, u = b·v, for 300 ms at the default dt = 0.025 ms. The measured spike
trains (RK4 with exact cut-off; they agree with a DOP853 event-driven reference
to < 1e-5 ms) are:

    RS   8 spikes, ISIs 23.1, then 44.8 ms (adapts: ratio 1.94, ~22 Hz)
    FS  42 spikes, ISIs 4.3, 5.9, 7.0, then 7.3 ms (~137 Hz; settles within 4 ISIs)
    CH  28 spikes, bursts of 7 then 5 spikes (ISIs 1.4-4.8 ms) every ~60 ms (gaps 46-48 ms)
    IB  12 spikes, an initial burst of 3 (ISIs 2.3, 4.2 ms), then single spikes every 31.2 ms
    LTS 26 spikes, ISIs 2.9 ... 13.4 ms (strong adaptation: ratio 4.6)

The accepted ranges (below) bracket these with some slack, and were checked to
reject plausible mistakes: c and d swapped (a runaway, RuntimeError), and every
single-parameter confusion between the presets (RS with d = 2 or 4, c = -55,
a = 0.1 or b = 0.25; FS with a = 0.02 or d = 8; CH with c = -55 or -65, d = 4 or
8, a = 0.1; IB with c = -50 or -65, d = 2 or 8); see ``WRONG``.

Note that the 2003 paper's own 1-ms scheme (two 0.5-ms Euler half-steps for v)
gives quite different counts for the same protocol (e.g. FS 19 and CH 14
spikes instead of 42 and 28), so these ranges are for the converged ODE.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from helpers import assert_korean_figure  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy.integrate import solve_ivp  # noqa: E402

from hh_lib.reduced.izhikevich import (  # noqa: E402
    IZHIKEVICH_PRESETS,
    IzhikevichParameters,
    IzhikevichResult,
    simulate_izhikevich,
)
from hh_lib.plotting import plot_izhikevich_patterns  # noqa: E402

P = IzhikevichParameters
I_STEP, DURATION = 10.0, 300.0
BURST_GAP = 10.0  # ms; spikes closer than this belong to one burst


def train(params) -> np.ndarray:
    return simulate_izhikevich(I_STEP, duration=DURATION, params=params).spike_times


def bursts(s: np.ndarray) -> list[int]:
    """Sizes of the groups of spikes separated by less than BURST_GAP."""
    breaks = np.flatnonzero(np.diff(s) >= BURST_GAP)
    return list(np.diff(np.concatenate([[0], breaks + 1, [s.size]])))


# --- Pattern criteria (each returns True only for its own class) --------------------------------


def is_regular_spiking(s):
    isi = np.diff(s)
    return (
        6 <= s.size <= 10  # ~22 Hz steady state
        and isi.min() > 15.0  # single spikes, no burst
        and isi[-1] / isi[0] > 1.5  # spike-frequency adaptation
    )


def is_fast_spiking(s):
    isi = np.diff(s)
    return (
        35 <= s.size <= 50
        and 1000.0 / isi[-1] > 100.0  # sustained > 100 Hz
        and isi.max() < 10.0  # never a pause
        and isi[-1] / isi[0] < 2.0  # weak adaptation ...
        and isi[-1] / isi[3] < 1.1  # ... that is over within 4 spikes
    )


def is_chattering(s):
    isi = np.diff(s)
    sizes = bursts(s)
    return (
        24 <= s.size <= 32
        and len(sizes) >= 4
        and min(sizes[:-1]) >= 4  # repeated high-frequency bursts, not doublets (the last may be cut off)
        and np.all((isi < 6.0) | (isi > 40.0))  # bimodal ISIs
    )


def is_intrinsically_bursting(s):
    isi = np.diff(s)
    return (
        10 <= s.size <= 14
        and np.all(isi[:2] < 6.0)  # initial burst of 3 spikes ...
        and np.all(isi[2:] > 25.0)  # ... then tonic single spikes
    )


def is_low_threshold_spiking(s):
    isi = np.diff(s)
    return 22 <= s.size <= 30 and isi[0] < 4.0 and isi[-1] / isi[0] > 3.0 and isi.max() < 20.0


CRITERIA = {
    "regular_spiking": is_regular_spiking,
    "fast_spiking": is_fast_spiking,
    "chattering": is_chattering,
    "intrinsically_bursting": is_intrinsically_bursting,
    "low_threshold_spiking": is_low_threshold_spiking,
}


@pytest.fixture(scope="module")
def trains():
    return {name: train(name) for name in IZHIKEVICH_PRESETS}


# --- Presets ------------------------------------------------------------------------------------


def test_preset_values_from_the_paper():
    assert IZHIKEVICH_PRESETS == {
        "regular_spiking": (0.02, 0.2, -65.0, 8.0),
        "intrinsically_bursting": (0.02, 0.2, -55.0, 4.0),
        "chattering": (0.02, 0.2, -50.0, 2.0),
        "fast_spiking": (0.1, 0.2, -65.0, 2.0),
        "low_threshold_spiking": (0.02, 0.25, -65.0, 2.0),
    }
    assert P.preset("RS") == P.regular_spiking() == P() == P(0.02, 0.2, -65, 8)
    assert P.preset("FS") == P.fast_spiking() == P(0.1, 0.2, -65, 2)
    assert P.preset("CH") == P.chattering() == P(0.02, 0.2, -50, 2)
    assert P.preset("IB") == P.intrinsically_bursting() == P(0.02, 0.2, -55, 4)
    assert P.preset("LTS") == P.low_threshold_spiking() == P(0.02, 0.25, -65, 2)
    assert P().v_peak == 30.0


@pytest.mark.parametrize("name", list(CRITERIA))
def test_each_preset_shows_its_published_pattern_and_no_other(trains, name):
    for other, criterion in CRITERIA.items():
        assert criterion(trains[name]) == (other == name), (name, other, np.round(np.diff(trains[name]), 1))


def test_pattern_details(trains):
    rs, fs, ch, ib = (trains[k] for k in ("regular_spiking", "fast_spiking", "chattering", "intrinsically_bursting"))
    # RS: every later ISI is longer than the first
    assert np.all(np.diff(rs)[1:] > np.diff(rs)[0])
    # FS fires > 4x as often as RS
    assert fs.size > 4 * rs.size
    # CH: bursts of >= 4 spikes; IB: exactly one initial burst of 3
    assert bursts(ch)[0] >= 5
    assert bursts(ib)[0] == 3 and set(bursts(ib)[1:]) == {1}


WRONG = [
    ("regular_spiking", P(0.02, 0.2, -65, 2)),  # d from CH/LTS/FS
    ("regular_spiking", P(0.02, 0.2, -65, 4)),  # d from IB
    ("regular_spiking", P(0.02, 0.2, -55, 8)),  # c from IB
    ("regular_spiking", P(0.1, 0.2, -65, 8)),  # a from FS
    ("regular_spiking", P(0.02, 0.25, -65, 8)),  # b from LTS
    ("fast_spiking", P(0.02, 0.2, -65, 2)),  # a from RS
    ("fast_spiking", P(0.1, 0.2, -65, 8)),  # d from RS
    ("chattering", P(0.02, 0.2, -55, 2)),  # c from IB
    ("chattering", P(0.02, 0.2, -65, 2)),  # c from RS
    ("chattering", P(0.02, 0.2, -50, 4)),  # d from IB
    ("chattering", P(0.02, 0.2, -50, 8)),  # d from RS
    ("chattering", P(0.1, 0.2, -50, 2)),  # a from FS
    ("intrinsically_bursting", P(0.02, 0.2, -50, 4)),  # c from CH
    ("intrinsically_bursting", P(0.02, 0.2, -65, 4)),  # c from RS
    ("intrinsically_bursting", P(0.02, 0.2, -55, 2)),  # d from CH
    ("intrinsically_bursting", P(0.02, 0.2, -55, 8)),  # d from RS
]


@pytest.mark.parametrize("name, wrong", WRONG)
def test_wrong_parameters_fail_the_pattern(name, wrong):
    assert not CRITERIA[name](train(wrong))


@pytest.mark.parametrize("name", list(IZHIKEVICH_PRESETS))
def test_swapped_reset_parameters_run_away(name):
    a, b, c, d = IZHIKEVICH_PRESETS[name]
    with pytest.raises(RuntimeError, match="c and d swapped"):
        train(P(a, b, d, c))


# --- Integrator accuracy ------------------------------------------------------------------------


def reference_spikes(p: IzhikevichParameters, I: float, T: float, v0: float = -65.0) -> np.ndarray:
    """Event-driven DOP853 (rtol 1e-12) with the reset applied at each located crossing."""

    def f(t, y):
        v, u = y
        return [0.04 * v * v + 5 * v + 140 - u + I, p.a * (p.b * v - u)]

    def peak(t, y):
        return y[0] - p.v_peak

    peak.terminal, peak.direction = True, 1
    t, y, out = 0.0, [v0, p.b * v0], []
    while True:
        sol = solve_ivp(f, (t, T), y, method="DOP853", rtol=1e-12, atol=1e-10, events=peak)
        if sol.status != 1:
            return np.array(out)
        t = sol.t_events[0][0]
        out.append(t)
        y = [p.c, sol.y_events[0][0][1] + p.d]


@pytest.mark.parametrize("name", ["regular_spiking", "chattering"])
def test_spike_times_match_dop853_reference(trains, name):
    ref = reference_spikes(P.preset(name), I_STEP, DURATION)
    assert ref.size == trains[name].size
    np.testing.assert_allclose(trains[name], ref, rtol=0, atol=1e-4)  # measured < 2e-6 ms


def test_spike_times_converge_with_dt(trains):
    coarse = simulate_izhikevich(I_STEP, duration=DURATION, dt=0.1, params="FS").spike_times
    np.testing.assert_allclose(coarse, trains["fast_spiking"], atol=2e-3)  # measured 3e-4 ms


def test_rest_and_reset():
    p = P()  # RS rest: 0.04 v² + 4.8 v + 140 = 0 -> v = -70 mV, u = b v = -14 mV/ms
    rest = simulate_izhikevich(0.0, duration=100.0, v0=-70.0)
    assert rest.spike_count == 0
    np.testing.assert_allclose(rest.v, -70.0, atol=1e-9)
    np.testing.assert_allclose(rest.u, -14.0, atol=1e-9)
    res = simulate_izhikevich(10.0, duration=200.0, dt=0.01)
    k = np.searchsorted(res.t, res.spike_times)  # first sample after each spike
    # v was reset to c inside that step; u jumped by d
    assert np.all(res.v[k] < p.c + 1.0)
    np.testing.assert_allclose(res.u[k] - res.u[k - 1], p.d, atol=0.05)
    assert res.v.max() < p.v_peak


def test_batch_callable_and_result_shapes():
    I = np.array([0.0, 5.0, 10.0])
    batch = simulate_izhikevich(I, duration=100.0, params="CH")
    assert isinstance(batch, IzhikevichResult)
    assert batch.v.shape == batch.u.shape == batch.I_ext.shape == (3, batch.t.size)
    assert list(batch.spike_count) == [len(s) for s in batch.spike_times]
    np.testing.assert_array_equal(batch.spike_times[2], simulate_izhikevich(10.0, duration=100.0, params="CH").spike_times)
    step = simulate_izhikevich(lambda t: 10.0 if t >= 50.0 else 0.0, duration=100.0)
    assert step.spike_count > 0 and step.spike_times[0] > 50.0


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(a=0.0), ValueError, "a"),
        (dict(a=-0.02), ValueError, "a"),
        (dict(b=float("nan")), ValueError, "b"),
        (dict(c=40.0), ValueError, "c"),
        (dict(d="8"), TypeError, "d"),
        (dict(v_peak=float("inf")), ValueError, "v_peak"),
    ],
)
def test_bad_parameters(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        P(**kwargs)


@pytest.mark.parametrize("name", ["regular", "rs", "", None, 3])
def test_unknown_preset(name):
    with pytest.raises(ValueError, match="name must be one of"):
        P.preset(name)


@pytest.mark.parametrize(
    "args, kwargs, exc, match",
    [
        ((10.0,), dict(duration=-1.0), ValueError, "duration"),
        ((10.0,), dict(dt=0.0), ValueError, "dt"),
        ((10.0,), dict(dt=1.0), ValueError, "dt"),
        ((float("nan"),), {}, ValueError, "I_ext"),
        ((np.ones((3, 1)),), {}, ValueError, "I_ext"),
        ((10.0,), dict(params="bursting"), ValueError, "params is not a known preset: name must be one of"),
        ((10.0,), dict(params=(0.02, 0.2, -65, 8)), TypeError, "params"),
        ((10.0,), dict(v0=30.0), ValueError, "v0"),
        ((10.0,), dict(u0=float("nan")), ValueError, "u0"),
    ],
)
def test_bad_simulate_arguments(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        simulate_izhikevich(*args, **kwargs)


# --- Plot ---------------------------------------------------------------------------------------


def test_patterns_plot():
    fig = plot_izhikevich_patterns(duration=100.0)
    assert isinstance(fig, Figure)
    visible = [a for a in fig.axes if a.get_visible()]
    assert len(visible) == 4
    assert all("(ms)" in a.get_xlabel() and "(mV)" in a.get_ylabel() for a in visible)
    assert_korean_figure(fig)
    plt.close(fig)
    fig, axes = plt.subplots(1, 2)
    assert plot_izhikevich_patterns(axes, names=("RS", "LTS"), duration=50.0) is fig
    with pytest.raises(ValueError, match="axes"):
        plot_izhikevich_patterns(axes, duration=50.0)  # 4 names, 2 axes
    with pytest.raises(ValueError, match="name"):
        plot_izhikevich_patterns(names=("XX",))
    with pytest.raises(ValueError, match="t_on"):
        plot_izhikevich_patterns(duration=50.0, t_on=60.0)
    plt.close("all")
