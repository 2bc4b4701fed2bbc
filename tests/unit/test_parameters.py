"""HHParameters: seed defaults, temperature factor, drug block, validation of copies."""

from __future__ import annotations

import dataclasses
import os
import re

import numpy as np
import pytest

import reference as R
from hh_lib import HHParameters

SEED = "/work/shared/seed/W5D1_HodgkinHuxley.md"

# Values printed in the seed (W5D1_HodgkinHuxley.md, "H-H 파라미터 (오징어 거대 축삭, 6.3°C)")
SEED_VALUES = {"C_m": 1.0, "g_Na": 120.0, "g_K": 36.0, "g_L": 0.3, "E_Na": 50.0, "E_K": -77.0, "E_L": -54.4}


@pytest.mark.skipif(not os.path.exists(SEED), reason="course seed not available")
def test_seed_file_still_says_what_the_tests_assume():
    text = open(SEED, encoding="utf-8").read()
    for name, value in SEED_VALUES.items():
        m = re.search(rf"^{name}\s*=\s*(-?[0-9.]+)", text, flags=re.M)
        assert m, name
        assert float(m.group(1)) == value, name
    # the reference model uses the same numbers
    assert (R.C_M, R.G_NA, R.G_K, R.G_L, R.E_NA, R.E_K, R.E_L) == tuple(SEED_VALUES.values())


def test_defaults_equal_seed_values():
    p = HHParameters()
    for name, value in SEED_VALUES.items():
        assert getattr(p, name) == value, name
    assert p.temperature == 6.3
    assert p.q10 == 3.0
    assert p.phi == 1.0


def test_fields_normalised_to_float():
    p = HHParameters(C_m=2, g_Na=np.int64(100), g_K=np.float32(30.0), temperature=np.array(10))
    for f in dataclasses.fields(p):
        assert type(getattr(p, f.name)) is float, f.name
    assert p.g_Na == 100.0 and p.temperature == 10.0


@pytest.mark.parametrize(
    "T, q10, phi",
    [(6.3, 3.0, 1.0), (16.3, 3.0, 3.0), (26.3, 3.0, 9.0), (26.3, 2.0, 4.0), (0.0, 3.0, 3.0 ** -0.63), (36.3, 2.5, 2.5**3)],
)
def test_phi(T, q10, phi):
    assert HHParameters(temperature=T, q10=q10).phi == pytest.approx(phi, rel=1e-14)


def test_as_array_order():
    p = HHParameters(C_m=1.5, g_Na=100.0, g_K=30.0, g_L=0.2, E_Na=55.0, E_K=-80.0, E_L=-50.0, temperature=16.3)
    np.testing.assert_allclose(p.as_array(), [1.5, 100.0, 30.0, 0.2, 55.0, -80.0, -50.0, 3.0], rtol=1e-15)
    assert p.as_array().dtype == np.float64


def test_ttx_half_block_halves_g_na_only():
    p = HHParameters()
    b = p.with_block(ttx=0.5)
    assert b.g_Na == 60.0
    assert b.g_K == 36.0
    assert b.g_L == 0.3
    assert p.g_Na == 120.0  # original untouched


def test_tea_scales_g_k_only():
    b = HHParameters().with_block(tea=0.25)
    assert b.g_K == pytest.approx(27.0, rel=1e-15)
    assert b.g_Na == 120.0


def test_block_both_and_keeps_other_fields():
    p = HHParameters(temperature=20.0, q10=2.0, E_L=-60.0)
    b = p.with_block(ttx=0.9, tea=0.1)
    assert b.g_Na == pytest.approx(12.0, rel=1e-14)
    assert b.g_K == pytest.approx(32.4, rel=1e-14)
    assert (b.temperature, b.q10, b.E_L, b.C_m) == (20.0, 2.0, -60.0, 1.0)


@pytest.mark.parametrize("frac", [0.0, 1.0])
def test_block_fraction_endpoints_allowed(frac):
    b = HHParameters().with_block(ttx=frac, tea=frac)
    assert b.g_Na == 120.0 * (1 - frac)
    assert b.g_K == 36.0 * (1 - frac)


@pytest.mark.parametrize("kw", [{"ttx": 1.0001}, {"ttx": -0.01}, {"tea": 1.5}, {"tea": -1.0}])
def test_block_fraction_out_of_range_raises(kw):
    (name,) = kw
    with pytest.raises(ValueError, match=name):
        HHParameters().with_block(**kw)


def test_frozen():
    p = HHParameters()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.g_Na = 1.0  # type: ignore[misc]


def test_replace_changes_and_validates():
    p = HHParameters().replace(g_L=0.5, temperature=16.3)
    assert p.g_L == 0.5 and p.phi == pytest.approx(3.0, rel=1e-15)
    with pytest.raises(ValueError, match="temperature"):
        HHParameters().replace(temperature=100.0)
    with pytest.raises(ValueError, match="g_L"):
        HHParameters().replace(g_L=-0.1)


@pytest.mark.parametrize("T", [0.0, 50.0])
def test_temperature_range_endpoints_allowed(T):
    assert HHParameters(temperature=T).temperature == T


def test_q10_upper_limit():
    assert HHParameters(q10=10.0).q10 == 10.0
    with pytest.raises(ValueError, match="q10"):
        HHParameters(q10=10.5)


def test_zero_conductances_allowed():
    p = HHParameters(g_Na=0.0, g_K=0.0, g_L=0.0)
    assert (p.g_Na, p.g_K, p.g_L) == (0.0, 0.0, 0.0)
