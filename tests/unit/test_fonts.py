"""use_korean_font: picks an installed Korean family, sets the fallback list, and Hangul then
renders without missing-glyph warnings."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from hh_lib.plotting import fonts, use_korean_font  # noqa: E402


@pytest.fixture(autouse=True)
def _restore_rc():
    saved = mpl.rcParams.copy()
    yield
    mpl.rcParams.update(saved)
    plt.close("all")


def test_no_korean_font_installed_returns_none_and_leaves_the_family(monkeypatch):
    monkeypatch.setattr(fonts, "_installed_families", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(fonts, "_register_packaged_fonts", lambda: None)
    before = list(mpl.rcParams["font.family"])
    assert use_korean_font() is None
    assert list(mpl.rcParams["font.family"]) == before
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_the_first_installed_family_in_order_is_chosen_with_dejavu_as_fallback(monkeypatch):
    monkeypatch.setattr(fonts, "_installed_families", lambda: {"NanumGothic", "Noto Sans KR", "DejaVu Sans"})
    assert use_korean_font() == "Noto Sans KR"  # listed before NanumGothic
    assert list(mpl.rcParams["font.family"]) == ["Noto Sans KR", "DejaVu Sans"]


def test_packaged_fonts_are_tried_when_nothing_is_installed(monkeypatch):
    calls = []
    installed = [set(), {"NanumGothic"}]
    monkeypatch.setattr(fonts, "_installed_families", lambda: installed[len(calls)])
    monkeypatch.setattr(fonts, "_register_packaged_fonts", lambda: calls.append(1))
    assert use_korean_font() == "NanumGothic"
    assert calls == [1]


def test_hangul_renders_without_missing_glyphs_when_a_korean_font_is_installed():
    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not any(f in installed for f in fonts.KOREAN_FAMILIES):
        pytest.skip("no Korean font installed (Debian: fonts-noto-cjk)")
    family = use_korean_font()
    assert family in fonts.KOREAN_FAMILIES
    fig, ax = plt.subplots()
    ax.set_title("막전위 V (mV), Na⁺ 전류 −")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig.canvas.draw()
