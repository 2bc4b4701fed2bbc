"""Import paths, the no_hang fixture, the shared book build and the layer markers (the
helpers themselves are in tests/helpers.py). Tests live in one folder per layer and get its marker automatically:

tests/unit      fast unit tests of hh_lib                  -m unit
tests/numerics  hh_lib against independent references     -m numerics
tests/site      the built book (HTML, browser, links, labs) and the claims on its pages   -m site
tests/tooling   notebook generator, workflows              -m tooling

``pytest -m "unit or numerics"`` runs the library's own tests alone.

Parallel runs (``make test`` runs ``pytest -n auto``, pytest-xdist, ``--dist loadgroup`` from
pyproject.toml): the book is built once per session (book_build.py) in the background while the
tests that do not need it run; the tests that read the built site come after them, the longest
kinds (notebook executions, browser visits) first; tests that share a browser in a module
(one visit of every page, then many checks of it) stay in one worker (an ``xdist_group`` per
module). The independent references are computed once and kept on disk (tests/reference.py).
New test files need nothing of this: the rules below go by the fixtures a test uses."""

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


#: Fixtures that read the built book (``_build/``): a test using one, directly or through another
#: fixture, waits for the session's build. In tests/site also the modules' ``site`` fixtures
#: (the built site) and ``glued`` (asks for ``built_book`` at run time).
BUILD_FIXTURES = frozenset({"built_book", "generated"})
SITE_BUILD_FIXTURES = frozenset({"site", "glued"})


def needs_build(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if BUILD_FIXTURES & names:
        return True
    in_site = os.path.relpath(str(item.path), TESTS).split(os.sep)[0] == "site"
    return in_site and bool(SITE_BUILD_FIXTURES & names)


def _browser_group(item) -> str | None:
    """Tests of one module that share its browser (module-scoped visits of the pages) run in one
    worker, so that the pages are visited once."""
    if "browser" in getattr(item, "fixturenames", ()):
        return "browser:" + os.path.relpath(str(item.path), ROOT).replace(os.sep, "/")
    return None


def _rank(item) -> tuple[int, int]:
    """Order of the run: first what does not wait for the book, then what does; in each, the
    longest kinds first (so no worker is left with a long test at the end)."""
    if item.get_closest_marker("notebooks"):
        weight = 0
    elif _browser_group(item):
        weight = 1
    else:
        weight = 2
    return (1 if needs_build(item) else 0, weight)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks and -m deselects
def pytest_collection_modifyitems(config, items):
    """Mark each test with the layer of the folder it lives in (tests/<layer>/...); order the run
    and keep each module's browser tests together (see the module docstring)."""
    for item in items:
        parts = os.path.relpath(str(item.path), TESTS).split(os.sep)
        layer = parts[0] if len(parts) > 1 and parts[0] in LAYERS else "tooling"
        item.add_marker(getattr(pytest.mark, layer))
        group = _browser_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=_rank)  # stable: the collection order within each rank
    page = os.environ.get("CHECK_PAGE", "").strip()
    if page:
        _keep_the_page_tests(config, items, page)


def page_keys(page: str) -> set[str]:
    """Names that tie a test to a page: its file name (``day1-hodgkin-huxley``) and, for a
    lecture, its notebook (``W5D1_HodgkinHuxley``) and that notebook's short name (``w5d1``)."""
    import re

    path = ROOT / page
    keys = {path.stem.lower()}
    match = re.search(r"^notebook:\s*([A-Za-z0-9_-]+)", path.read_text(encoding="utf-8"), re.M)
    if match:
        keys |= {match.group(1).lower(), match.group(1).split("_")[0].lower()}
    return keys


def _keep_the_page_tests(config, items, page: str) -> None:
    """``make check PAGE=...``: the tests that name the page (its checks, its notebooks) and the
    checks made of every page (marker ``every_page``, run on this page alone: site_server.site_pages)."""
    keys = page_keys(page)
    keep, drop = [], []
    for item in items:
        named = any(key in item.nodeid.lower() for key in keys)
        (keep if named or item.get_closest_marker("every_page") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Start the session's book build now, in the background, when a selected test needs it."""
    if session.config.option.collectonly or not any(needs_build(item) for item in session.items):
        return
    from book_build import start_shared_build

    start_shared_build()


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
