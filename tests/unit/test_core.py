"""hh_lib.core: the frozen-parameter base class shared by every model, and the time grid."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from hh_lib import FHNParameters, HHParameters, IzhikevichParameters, LIFParameters
from hh_lib.core import FrozenParameters, time_grid

ALL = (HHParameters, LIFParameters, FHNParameters, IzhikevichParameters)


@pytest.mark.parametrize("cls", ALL)
def test_every_parameter_set_uses_the_base_class(cls):
    assert issubclass(cls, FrozenParameters)
    p = cls.default()
    assert p is cls.default() and p == cls()
    assert cls.resolve(None) is p
    q = cls()
    assert cls.resolve(q) is q
    with pytest.raises(TypeError, match="params must be"):
        cls.resolve(3.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.__setattr__(dataclasses.fields(cls)[0].name, 1.0)


@pytest.mark.parametrize("cls", ALL)
def test_fields_are_normalised_to_float_and_replace_validates(cls):
    first = dataclasses.fields(cls)[0].name
    p = cls(**{first: 1})
    assert type(getattr(p, first)) is float
    with pytest.raises(TypeError, match=first):
        p.replace(**{first: "x"})


def test_as_array_packs_in_the_documented_order():
    p = HHParameters(C_m=2.0, g_Na=100.0, temperature=16.3)
    np.testing.assert_allclose(p.as_array(), [2.0, 100.0, 36.0, 0.3, 50.0, -77.0, -54.4, 3.0])
    assert p.as_tuple() == tuple(p.as_array())
    np.testing.assert_array_equal(LIFParameters().as_array(), [10.0, 10.0, -65.0, -50.0, -65.0, 2.0])
    np.testing.assert_array_equal(FHNParameters().as_array(), [0.7, 0.8, 0.08])
    np.testing.assert_array_equal(IzhikevichParameters().as_array(), [0.02, 0.2, -65.0, 8.0, 30.0])


def test_cross_field_checks_name_the_fields():
    with pytest.raises(ValueError, match="q10"):
        HHParameters(q10=11.0)
    with pytest.raises(ValueError, match="V_reset"):
        LIFParameters(V_reset=-40.0)
    with pytest.raises(ValueError, match="b must lie"):
        FHNParameters(b=1.5)
    with pytest.raises(ValueError, match="c must be < v_peak"):
        IzhikevichParameters(c=40.0)


def test_izhikevich_resolve_takes_preset_names():
    assert IzhikevichParameters.resolve("FS") == IzhikevichParameters.preset("fast_spiking")
    with pytest.raises(ValueError, match="preset"):
        IzhikevichParameters.resolve("nope")


def test_time_grid():
    t = time_grid(1.0, 0.25)
    np.testing.assert_allclose(t, [0.0, 0.25, 0.5, 0.75, 1.0])
    assert time_grid(1.0, 0.3)[-1] == pytest.approx(0.9)
    with pytest.raises(ValueError, match="dt must be smaller"):
        time_grid(1.0, 1.0)
    with pytest.raises(ValueError, match="duration"):
        time_grid(-1.0, 0.1)
