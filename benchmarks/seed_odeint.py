"""The course seed's way of computing an F-I curve: scipy.integrate.odeint, one current at a time.

The right-hand side and rate functions are copied from the seed (W5D1, section 3.1): plain
Python/numpy, ``odeint(hodgkin_huxley, y0, t, args=(I_ext,))`` on ``t = np.arange(0, 1000, 0.01)``,
spikes = upward 0 mV crossings of the sampled V, counted in [200, 1000) ms.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import odeint

# H-H parameters (squid giant axon, 6.3 °C), as in the seed
C_m = 1.0
g_Na = 120.0
g_K = 36.0
g_L = 0.3
E_Na = 50.0
E_K = -77.0
E_L = -54.4


def alpha_m(V):
    return 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))


def beta_m(V):
    return 4.0 * np.exp(-(V + 65) / 18)


def alpha_h(V):
    return 0.07 * np.exp(-(V + 65) / 20)


def beta_h(V):
    return 1.0 / (1 + np.exp(-(V + 35) / 10))


def alpha_n(V):
    return 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10))


def beta_n(V):
    return 0.125 * np.exp(-(V + 65) / 80)


def steady_state(V):
    m_inf = alpha_m(V) / (alpha_m(V) + beta_m(V))
    h_inf = alpha_h(V) / (alpha_h(V) + beta_h(V))
    n_inf = alpha_n(V) / (alpha_n(V) + beta_n(V))
    return m_inf, h_inf, n_inf


def hodgkin_huxley(y, t, I_ext):
    V, m, h, n = y
    I_Na = g_Na * m**3 * h * (V - E_Na)
    I_K = g_K * n**4 * (V - E_K)
    I_L = g_L * (V - E_L)
    dVdt = (I_ext - I_Na - I_K - I_L) / C_m
    dmdt = alpha_m(V) * (1 - m) - beta_m(V) * m
    dhdt = alpha_h(V) * (1 - h) - beta_h(V) * h
    dndt = alpha_n(V) * (1 - n) - beta_n(V) * n
    return [dVdt, dmdt, dhdt, dndt]


def simulate_hh(I_ext, duration=1000, dt=0.01):
    t = np.arange(0, duration, dt)
    V0 = -65.0
    m0, h0, n0 = steady_state(V0)
    y0 = [V0, m0, h0, n0]
    solution = odeint(hodgkin_huxley, y0, t, args=(I_ext,))
    return t, solution


def spike_count(I_ext, t_start=200.0, t_end=1000.0, threshold=0.0):
    t, sol = simulate_hh(I_ext, duration=t_end)
    V = sol[:, 0]
    up = np.flatnonzero((V[:-1] < threshold) & (V[1:] >= threshold)) + 1
    ts = t[up - 1] + (threshold - V[up - 1]) / (V[up] - V[up - 1]) * (t[up] - t[up - 1])
    return int(np.sum((ts >= t_start) & (ts < t_end)))


def fi_counts(currents):
    return [spike_count(float(I)) for I in currents]
