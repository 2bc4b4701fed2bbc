"""hh_lib.voltage_clamp against the closed form and against integrated gate equations.

The expected values are computed here from tests/reference.py (which does not import hh_lib):
with V held, each gate relaxes exponentially from its steady state at V_hold to the one at
V_clamp with time constant 1/(φ(α+β)).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import reference as R
from hh_lib import HHParameters, voltage_clamp

STEPS = np.array([-60.0, -40.0, -20.0, 0.0, 20.0, 40.0])  # mV


def closed_form(V, t, V_hold=-65.0, T=6.3):
    """(m, h, n) from the reference rates, written out gate by gate."""
    phi = R.phi_of(T)
    out = []
    for alpha, beta in ((R.alpha_m, R.beta_m), (R.alpha_h, R.beta_h), (R.alpha_n, R.beta_n)):
        x0 = alpha(V_hold) / (alpha(V_hold) + beta(V_hold))
        a, b = float(alpha(V)), float(beta(V))
        x_inf, tau = a / (a + b), 1.0 / (phi * (a + b))
        out.append(x_inf + (x0 - x_inf) * np.exp(-t / tau))
    return out


@pytest.mark.parametrize("V", STEPS)
def test_gates_and_currents_match_the_closed_form(V):
    res = voltage_clamp(V, duration=20.0, dt=0.01)
    m, h, n = closed_form(V, res.t)
    for got, want in ((res.m, m), (res.h, h), (res.n, n)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    I_Na, I_K, I_L = R.ionic_currents(V, m, h, n)
    np.testing.assert_allclose(res.I_Na, I_Na, rtol=1e-11, atol=1e-10)
    np.testing.assert_allclose(res.I_K, I_K, rtol=1e-11, atol=1e-10)
    np.testing.assert_allclose(res.I_L, I_L, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(res.g_Na, R.G_NA * m**3 * h, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(res.g_K, R.G_K * n**4, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(res.I_ion, I_Na + I_K + I_L, rtol=1e-11, atol=1e-10)


def test_gates_match_the_integrated_gate_equations_at_fixed_V():
    """Integrate dx/dt = α(1-x) - βx at V = -10 mV with solve_ivp (no closed form used)."""
    V, T = -10.0, 16.3
    phi = R.phi_of(T)
    x0 = [float(x) for x in R.steady_state(-80.0)]
    rates = [(float(a(V)), float(b(V))) for a, b in ((R.alpha_m, R.beta_m), (R.alpha_h, R.beta_h), (R.alpha_n, R.beta_n))]

    def rhs(t, x):
        return [phi * (a * (1 - xi) - b * xi) for (a, b), xi in zip(rates, x)]

    res = voltage_clamp(V, duration=10.0, dt=0.05, V_hold=-80.0, params=HHParameters(temperature=T))
    sol = solve_ivp(rhs, (0.0, 10.0), x0, t_eval=res.t, method="DOP853", rtol=1e-12, atol=1e-14)
    for k, got in enumerate((res.m, res.h, res.n)):
        np.testing.assert_allclose(got, sol.y[k], atol=1e-10)


def test_family_is_the_stack_of_single_steps():
    fam = voltage_clamp(STEPS, duration=5.0)
    assert fam.I_Na.shape == (STEPS.size, fam.t.size) and fam.I_L.shape == fam.I_Na.shape
    for k, V in enumerate(STEPS):
        one = voltage_clamp(V, duration=5.0)
        np.testing.assert_array_equal(fam.m[k], one.m)
        np.testing.assert_allclose(fam.I_K[k], one.I_K, rtol=1e-14)


def test_temperature_rescales_time_only():
    """At φ = 3 the gates reach at t the values they reach at 3t at 6.3 °C; steady states are unchanged."""
    warm = voltage_clamp(STEPS, duration=10.0, dt=0.01, params=HHParameters(temperature=16.3))
    cold = voltage_clamp(STEPS, duration=30.0, dt=0.03, params=HHParameters())
    assert cold.t.size == warm.t.size
    np.testing.assert_allclose(cold.t, 3.0 * warm.t, rtol=1e-12, atol=1e-12)
    for a, b in ((warm.m, cold.m), (warm.h, cold.h), (warm.n, cold.n), (warm.I_ion, cold.I_ion)):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def test_hallmarks_of_the_1952_records():
    """Na⁺ conductance rises then inactivates; K⁺ conductance rises with a delay and is sustained."""
    res = voltage_clamp(0.0, duration=20.0)
    k_peak = int(np.argmax(res.g_Na))
    assert 0.2 < res.t[k_peak] < 1.5 and res.g_Na[-1] < 0.05 * res.g_Na[k_peak]
    assert res.I_Na.min() < -500.0  # a large inward Na⁺ current at 0 mV (µA/cm²)
    # sigmoidal start: g_K ∝ n⁴ has zero slope at t = 0, g_Na ∝ m³ too
    assert res.g_K[1] - res.g_K[0] < 1e-3 * (res.g_K[-1] - res.g_K[0])
    assert res.g_K[-1] > 0.98 * R.G_K * float(R.steady_state(0.0)[2]) ** 4


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        (dict(V_clamp="0"), TypeError, "V_clamp"),
        (dict(V_clamp=[[0.0, 10.0]]), ValueError, "V_clamp"),
        (dict(V_clamp=[]), ValueError, "V_clamp"),
        (dict(V_clamp=np.nan), ValueError, "V_clamp"),
        (dict(V_clamp=500.0), ValueError, "V_clamp"),
        (dict(V_clamp=0.0, V_hold=float("inf")), ValueError, "V_hold"),
        (dict(V_clamp=0.0, duration=-1.0), ValueError, "duration"),
        (dict(V_clamp=0.0, dt=0.0), ValueError, "dt"),
        (dict(V_clamp=0.0, params="squid"), TypeError, "params"),
    ],
)
def test_bad_input_names_the_argument(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        voltage_clamp(**kwargs)


def test_clamp_figures_label_units_and_reject_a_single_step():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hh_lib.plotting import use_korean_font

    use_korean_font()  # Hangul labels (otherwise matplotlib warns about missing glyphs)

    from hh_lib.plotting import plot_clamp_family, plot_drug_separation, plot_equivalent_circuit

    fig = plot_clamp_family(voltage_clamp(STEPS, duration=5.0))
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert len(fig.axes) == 3 and "µA/cm²" in labels[0] and all("mS/cm²" in lab for lab in labels[1:])
    assert all(ax.get_xlabel() == "시간 (ms)" for ax in fig.axes)
    with pytest.raises(TypeError, match="family"):
        plot_clamp_family(voltage_clamp(0.0, duration=5.0))
    fig2 = plot_drug_separation(0.0, duration=5.0)
    ttx_line = fig2.axes[0].get_lines()[1].get_ydata()
    assert ttx_line.min() > 0  # with TTX the clamp current at 0 mV never turns inward
    with pytest.raises(ValueError, match="V_step"):
        plot_drug_separation(500.0)
    fig3 = plot_equivalent_circuit()
    texts = " ".join(t.get_text() for t in fig3.axes[0].texts)
    assert all(k in texts for k in ("$C_m$", "$g_{Na}$ (가변)", "$E_K$", "세포 안", "세포 밖"))
    plt.close("all")
