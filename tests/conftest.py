"""Import paths, the no_hang fixture, the shared book build and the layer markers (the
helpers themselves are in tests/helpers.py). Tests live in one folder per layer and get its marker automatically:

tests/unit      fast unit tests of hh_lib                  -m unit
tests/numerics  hh_lib against independent references     -m numerics
tests/site      the built book (HTML, browser, links, labs) and the claims on its pages   -m site
tests/tooling   notebook generator, workflows              -m tooling

``pytest -m "unit or numerics"`` runs the library's own tests alone."""

from __future__ import annotations

import os
import sys

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
for _p in (ROOT, TESTS):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from helpers import deadline  # noqa: E402  (shared helpers: tests import them from `helpers`)


LAYERS = ("unit", "numerics", "site", "tooling")


def pytest_collection_modifyitems(config, items):
    """Mark each test with the layer of the folder it lives in (tests/<layer>/...)."""
    for item in items:
        parts = os.path.relpath(str(item.path), TESTS).split(os.sep)
        layer = parts[0] if len(parts) > 1 and parts[0] in LAYERS else "tooling"
        item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture
def no_hang():
    """``with no_hang(5): ...`` fails the test if the body runs longer than 5 s."""
    return deadline


# One strict build of the book per test session, shared by every module that needs the site.
from book_build import built_book  # noqa: E402,F401


@pytest.fixture(autouse=True, scope="session")
def _korean_figure_font():
    """Figures are drawn with the Korean font, as on the pages (their text is Korean)."""
    import matplotlib

    matplotlib.use("Agg")
    from hh_lib.plotting import use_korean_font

    use_korean_font()
