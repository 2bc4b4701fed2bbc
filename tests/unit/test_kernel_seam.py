"""The seam between the models and the compiled kernels (issue 23).

* The compiled code always matches the source: an edit of a physics module in a copy of the
  package is what the next process runs, although numba's cache still holds the old kernels.
* A physics function replaced at run time is refused, never silently ignored by compiled code.
* The kernels are generic: a model that is not HH (a two-variable linear membrane defined here)
  runs through the same Dormand-Prince lanes kernel (traces and F-I counts) and RK4, and matches its
  closed form.
* Every ``hh_lib.x.y`` and ``tests/...py`` named in the library's text exists.
"""

from __future__ import annotations

import importlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from helpers import ROOT

import hh_lib
from hh_lib._kernels import cache, physics
from hh_lib._kernels.lanes import count_spikes
from hh_lib._kernels.grid import integrate_grid
from hh_lib.core.model import ModelSpec
from hh_lib.hh import equations, rates

LIBRARY = pathlib.Path(ROOT) / "hh_lib"

# One fresh process: simulate 10 µA/cm² for 20 ms, report spikes, V(20 ms) and whether the
# grid kernel came from numba's cache.
PROBE = """
import json, hh_lib
from hh_lib._kernels import cache, lanes, model
from hh_lib.hh.equations import KERNEL
r = hh_lib.simulate(10.0, duration=20.0)
k = model._specialized[(lanes._run_lanes, KERNEL, "state")]
print(json.dumps({"spikes": len(r.spike_times), "V_end": float(r.V[-1]), "beta_m": hh_lib.beta_m(-65.0),
                  "hits": sum(k.stats.cache_hits.values()), "digest": cache.source_digest()}))
"""


def _copy_package_of(tree: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """A copy of ``tree``'s hh_lib in ``dest``, without any compiled cache."""
    shutil.copytree(tree / "hh_lib", dest / "hh_lib", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _probe(tree: pathlib.Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["PYTHONPATH"] = str(tree)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_an_edited_physics_module_is_what_the_next_process_runs(tmp_path):
    """The issue's reproduction: double beta_m in rates.py of a copy whose numba cache is warm."""
    tree = _copy_package_of(pathlib.Path(ROOT), tmp_path / "edited")
    first = _probe(tree)
    warm = _probe(tree)
    assert warm["hits"] >= 1, "the second process must load the kernel from numba's cache"
    assert (warm["spikes"], warm["V_end"]) == (first["spikes"], first["V_end"])
    assert first["spikes"] == 2 and first["beta_m"] == pytest.approx(4.0)

    rates_py = tree / "hh_lib" / "hh" / "rates.py"
    source = rates_py.read_text()
    assert source.count("return 4.0 * _exp(-(V + 65.0) / 18.0)") == 1
    rates_py.write_text(source.replace("return 4.0 * _exp(-(V + 65.0) / 18.0)", "return 8.0 * _exp(-(V + 65.0) / 18.0)"))
    edited = _probe(tree)  # the old kernels are still in the tree's __pycache__

    assert edited["beta_m"] == pytest.approx(8.0)
    assert edited["digest"] != first["digest"]
    assert edited["hits"] == 0, "a kernel compiled from the old source must not be loaded"
    # What the edited physics gives, from the tests' own rates with beta_m doubled (scipy, not hh_lib); the old
    # kernel would give the unedited trace, two spikes and a V_end more than 5 mV away.
    assert edited["spikes"] == 0 and abs(edited["V_end"] - first["V_end"]) > 5.0  # the issue: 0 spikes, -60.86 mV
    assert edited["V_end"] == pytest.approx(_reference_V_end(I=10.0, duration=20.0, beta_m_factor=2.0), abs=0.01)


def _reference_V_end(I: float, duration: float, beta_m_factor: float) -> float:
    """V (mV) after ``duration`` ms at a constant ``I`` (µA/cm²) from rest at -65 mV (gates at their steady state
    there), with beta_m multiplied by ``beta_m_factor``: scipy's DOP853 on tests/reference.py's right-hand side,
    plus the edit's one extra term in dm/dt, -(factor - 1) beta_m m (6.3 °C: no temperature factor)."""
    from scipy.integrate import solve_ivp

    import reference as ref

    unedited = ref._make_rhs(I, 1.0, ref.G_NA, ref.G_K)

    def rhs(t, y):
        d = unedited(t, y)
        d[1] -= (beta_m_factor - 1.0) * ref.beta_m(y[0]) * y[1]
        return d

    am, bm = ref.alpha_m(-65.0), beta_m_factor * ref.beta_m(-65.0)
    _, h0, n0 = ref.steady_state(-65.0)
    sol = solve_ivp(rhs, (0.0, duration), [-65.0, am / (am + bm), h0, n0], method="DOP853", rtol=1e-10, atol=1e-10)
    assert sol.success, sol.message
    return float(sol.y[0, -1])


def test_the_digest_covers_the_physics_and_not_the_figures():
    hashed = {p.relative_to(LIBRARY).as_posix() for p in cache.digest_sources()}
    assert {"hh/rates.py", "hh/equations.py", "_kernels/lanes.py", "_kernels/dopri.py", "core/model.py"} <= hashed
    assert not any(name.startswith("plotting/") for name in hashed) and "labs.py" not in hashed
    assert re.fullmatch(r"[0-9a-f]{64}", cache.source_digest())


@pytest.mark.parametrize(
    "module, name, call",
    [
        (rates, "beta_m", lambda: hh_lib.simulate(10.0, duration=5.0)),
        (equations, "alpha_m", lambda: hh_lib.simulate(10.0, duration=5.0)),
        (equations, "hh_rhs", lambda: hh_lib.fi_curve([10.0], duration=50.0, transient=10.0)),
        (equations, "na_conductance_ratio", lambda: hh_lib.fi_curve([10.0], duration=50.0, transient=10.0)),
    ],
)
def test_a_physics_function_replaced_at_run_time_is_refused(monkeypatch, module, name, call):
    call()  # compiled before the replacement
    monkeypatch.setattr(module, name, lambda *args: 0.0)
    with pytest.raises(RuntimeError, match=rf"{module.__name__}\.{name} was replaced at run time"):
        call()
    monkeypatch.undo()
    call()  # restored: runs again


def test_replacing_a_rate_used_by_the_reduced_model_is_refused(monkeypatch):
    monkeypatch.setattr(rates, "alpha_m", lambda V: 1.0)
    with pytest.raises(RuntimeError, match="alpha_m was replaced"):
        hh_lib.reduced.reduction.simulate_reduced_hh(5.0, duration=5.0)


# --- A model that is not HH, through the same kernels ------------------------------------------
# Two passive compartments: C dV/dt = I - g (V - E) - c (V - W), C dW/dt = -g (W - E) - c (W - V).
# Its regeneration measure rises with V, so an event of 20 mV counts as an "action potential".


def _linear_rhs(V, W, I_ext, p):
    C, g, E, c = p
    return (I_ext - g * (V - E) - c * (V - W)) / C, (-g * (W - E) - c * (W - V)) / C


def _linear_regen(V, p):
    return (V - p[2]) / 20.0


LINEAR = ModelSpec(name="test_linear", rhs=_linear_rhs, n_states=2, n_params=4, regen=_linear_regen, regen_states=(0,))


def _linear_exact(t, I, p, V0=-70.0):
    """Closed form from rest (V = W = E = V0): modes V+W (rate g/C) and V-W (rate (g+2c)/C)."""
    C, g, E, c = p
    s = I / g * (1.0 - np.exp(-g * t / C))
    d = I / (g + 2.0 * c) * (1.0 - np.exp(-(g + 2.0 * c) * t / C))
    return E + (s + d) / 2.0, E + (s - d) / 2.0


def test_a_two_variable_model_runs_through_the_generic_grid_driver():
    p = np.array([1.0, 0.1, -70.0, 0.3])
    t = np.arange(0.0, 50.0 + 1e-9, 0.5)
    table = np.array([[0.5], [2.0]])
    V_exact = np.array([_linear_exact(t, I, p)[0] for I in table[:, 0]])
    for method, tol in ((0, 1e-6), (1, 2e-4)):  # RK4 at h = 0.5 ms, h·(g+2c)/C = 0.35: error ~1e-4
        states, status = integrate_grid(LINEAR, np.array([-70.0, -70.0]), table, 0.5, t.size - 1, p, method, 1e-9, 1e-9)
        assert states.shape == (2, 2, t.size) and np.all(status == 0)
        np.testing.assert_allclose(states[0], V_exact, atol=tol)
    with pytest.raises(ValueError, match="exponential_euler.*test_linear"):
        integrate_grid(LINEAR, np.array([-70.0, -70.0]), table, 0.5, 10, p, 2, 1e-6, 1e-6)


def test_the_generic_fi_kernel_counts_events_of_a_model_that_is_not_hh():
    """A constant current drives the passive V to E + I·(g+c)/(g(g+2c)): one rise, no event (it never
    falls back), for every current; with a crossing level, the crossing time of the closed form."""
    p = np.array([1.0, 0.1, -70.0, 0.3])
    currents = np.array([0.5, 2.0, 4.0])
    counts, times, _ = count_spikes(LINEAR, np.array([-70.0, -70.0]), currents, 200.0, 0.0, None, p, 1e-8, 1e-8, 1.0)
    assert counts.tolist() == [0, 0, 0]
    counts, times, _ = count_spikes(LINEAR, np.array([-70.0, -70.0]), currents, 200.0, 0.0, -60.0, p, 1e-10, 1e-10, 1.0)
    V_inf = -70.0 + currents * (0.1 + 0.3) / (0.1 * 0.7)
    assert counts.tolist() == [int(v > -60.0) for v in V_inf]
    t = np.linspace(0.0, 200.0, 2_000_001)
    for k, I in enumerate(currents):
        if V_inf[k] > -60.0:
            V = _linear_exact(t, I, p)[0]
            assert times[k, 0] == pytest.approx(t[np.argmax(V >= -60.0)], abs=2e-4)


def test_models_outside_the_library_are_not_cached_on_disk():
    """Their physics is not in the source digest, so a cached kernel could outlive an edit."""
    from hh_lib._kernels import lanes, model

    integrate_grid(LINEAR, np.array([-70.0, -70.0]), np.array([[1.0]]), 0.5, 4, np.array([1.0, 0.1, -70.0, 0.3]), 0, 1e-6, 1e-6)
    hh_lib.simulate(10.0, duration=1.0)
    assert type(model._specialized[(lanes._run_lanes, LINEAR, "state")]._cache).__name__ == "NullCache"
    assert type(model._specialized[(lanes._run_lanes, equations.KERNEL, "state")]._cache).__name__ == "FunctionCache"


# --- Names in the library's text ---------------------------------------------------------------

DOTTED = re.compile(r"(?<![\w./\"'])(hh_lib(?:\.[A-Za-z_]\w*)+)")
PATHS = re.compile(r"(?<![\w/])((?:tests|benchmarks|scripts)/[\w/]+\.py)")


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def test_every_module_and_file_the_library_names_exists():
    stale = []
    for path in sorted(LIBRARY.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stale += [f"{path.name}:{number} {m.group(1)}" for m in DOTTED.finditer(line) if not _resolves(m.group(1))]
            stale += [f"{path.name}:{number} {m.group(1)}" for m in PATHS.finditer(line) if not (pathlib.Path(ROOT) / m.group(1)).exists()]
    assert stale == []
    assert not _resolves("hh_lib.lif.simulate_lif") and _resolves("hh_lib.reduced.lif.simulate_lif")  # the check can fail
