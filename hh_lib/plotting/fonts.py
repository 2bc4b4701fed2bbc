"""Hangul in matplotlib figures.

matplotlib's default font (DejaVu Sans) has no Hangul: Korean labels come out as
empty boxes. :func:`use_korean_font` puts the first Korean font it finds in
front of the sans-serif list, keeping DejaVu Sans behind it for symbols.
"""

from __future__ import annotations

import glob
import importlib.util
import os

import matplotlib as mpl
from matplotlib import font_manager

#: Families tried in order: Debian/Ubuntu (fonts-noto-cjk, fonts-nanum), Google Fonts, Windows, macOS.
KOREAN_FAMILIES = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
    "NanumBarunGothic",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
    "UnDotum",
)

#: pip packages that ship a Korean font file, registered without apt (e.g. on Colab).
_FONT_PACKAGES = ("koreanize_matplotlib",)


def _installed_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def _register_packaged_fonts() -> None:
    """Add font files shipped inside pip packages, found without importing those packages."""
    for package in _FONT_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            for path in glob.glob(os.path.join(root, "**", "*.tt[fc]"), recursive=True):
                font_manager.fontManager.addfont(path)


def use_korean_font() -> str | None:
    """Configure matplotlib to draw Hangul; return the chosen family, or None if none is installed.

    Also sets ``axes.unicode_minus = False`` (CJK fonts often lack U+2212, the minus sign).
    """
    mpl.rcParams["axes.unicode_minus"] = False
    installed = _installed_families()
    family = next((f for f in KOREAN_FAMILIES if f in installed), None)
    if family is None:
        _register_packaged_fonts()
        installed = _installed_families()
        family = next((f for f in KOREAN_FAMILIES if f in installed), None)
    if family is None:
        return None
    # A list of families (not the generic "sans-serif") enables per-glyph fallback:
    # Hangul from the Korean font, symbols such as ⁺ or ∞ from DejaVu Sans.
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]
    return family
