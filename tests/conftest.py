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
#: fixture, waits for the session's build. In tests/site also the ``site`` and ``built_site`` fixtures
#: (the built site) and ``glued`` (asks for ``built_book`` at run time).
BUILD_FIXTURES = frozenset({"built_book", "generated"})
SITE_BUILD_FIXTURES = frozenset({"site", "built_site", "glued"})


def needs_build(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if BUILD_FIXTURES & names:
        return True
    in_site = os.path.relpath(str(item.path), TESTS).split(os.sep)[0] == "site"
    return in_site and bool(SITE_BUILD_FIXTURES & names)


def _fixturedef(item, name):
    defs = item._fixtureinfo.name2fixturedefs.get(name)
    return defs[-1] if defs else None


def _uses_browser(item, name, seen=None) -> bool:
    seen = set() if seen is None else seen
    if name == "browser":
        return True
    fixdef = _fixturedef(item, name)
    if fixdef is None or name in seen:
        return False
    seen.add(name)
    return any(_uses_browser(item, arg, seen) for arg in fixdef.argnames)


def browser_group(item) -> str | None:
    """The tests of a module that share one of its module-scoped browser fixtures (a visit of
    every page, an open lab page) run in one worker, so that the pages are visited once: their
    xdist group is the module and those fixtures. A module lists in ``XDIST_SHARED_FIXTURES`` the
    fixtures that parallel workers compute together instead (tests/shared_work.py)."""
    module = getattr(item, "module", None)
    shared = set(getattr(module, "XDIST_SHARED_FIXTURES", ()))
    module_id = item.nodeid.split("::")[0]
    names = []
    for name in getattr(item, "fixturenames", ()):
        fixdef = _fixturedef(item, name)
        if (fixdef is not None and fixdef.scope == "module" and fixdef.baseid == module_id and name not in shared
                and _uses_browser(item, name)):
            names.append(name)
    return f"{module_id}:{'+'.join(sorted(names))}" if names else None


#: Seconds each test took in the last run (pytest's cache), for the order of the next run.
DURATIONS_KEY = "hh_course/durations"


def _order(config, items) -> None:
    """Order of the run: first what does not wait for the book, then what does; in each, the
    longest units first (an xdist group or a module, from the last run's durations kept in pytest's
    cache; without them: notebook executions, then browser groups, then the rest), and in a module
    its longest tests first, so that no worker is left with a long one at the end."""
    known = config.cache.get(DURATIONS_KEY, {}) if getattr(config, "cache", None) else {}
    unit_of, cost, weight, first = {}, {}, {}, {}
    for i, item in enumerate(items):
        unit = browser_group(item) or item.nodeid.split("::")[0]
        unit_of[item.nodeid] = unit
        cost[unit] = cost.get(unit, 0.0) + float(known.get(item.nodeid, 0.0))
        w = 0 if item.get_closest_marker("notebooks") else 1 if "browser" in item.fixturenames else 2
        weight[unit] = min(weight.get(unit, 2), w)
        first.setdefault(unit, i)

    def key(item):
        unit = unit_of[item.nodeid]
        return (needs_build(item), 0 if known else weight[unit], -cost[unit], first[unit],
                -float(known.get(item.nodeid, 0.0)))

    items.sort(key=key)


def pytest_runtest_logreport(report):
    """Durations of this run (setup + call + teardown) by test, kept by the process that writes the
    cache at the end (the controller of an xdist run, or the only process)."""
    nodeid = report.nodeid.split("@")[0]  # without the xdist group
    _DURATIONS[nodeid] = _DURATIONS.get(nodeid, 0.0) + float(getattr(report, "duration", 0.0) or 0.0)


_DURATIONS: dict[str, float] = {}


def pytest_sessionfinish(session):
    import kernel_warmup

    kernel_warmup.reap()
    config = session.config
    if hasattr(config, "workerinput") or not _DURATIONS or getattr(config, "cache", None) is None:
        return
    known = config.cache.get(DURATIONS_KEY, {})
    known.update({k: round(v, 3) for k, v in _DURATIONS.items()})
    config.cache.set(DURATIONS_KEY, known)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that reads the built book waits for the session's build (tests/book_build.py)."""
    if needs_build(item):
        from book_build import shared_build

        shared_build()


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks and -m deselects
def pytest_collection_modifyitems(config, items):
    """Mark each test with the layer of the folder it lives in (tests/<layer>/...); order the run
    and keep each module's browser tests together (see the module docstring)."""
    for item in items:
        parts = os.path.relpath(str(item.path), TESTS).split(os.sep)
        layer = parts[0] if len(parts) > 1 and parts[0] in LAYERS else "tooling"
        item.add_marker(getattr(pytest.mark, layer))
        group = browser_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    _order(config, items)
    page = os.environ.get("CHECK_PAGE", "").strip()
    if page:
        _keep_the_page_tests(config, items, page)


def page_keys(page: str) -> set[str]:
    """Names that tie a test to a page: its file name (``day1-hodgkin-huxley``) and, for a
    lecture, its notebook (``W5D1_HodgkinHuxley``) and that notebook's short name (``w5d1``)."""
    import re

    from pathlib import Path

    path = Path(ROOT) / page
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


def pytest_sessionstart(session):
    """The controller of the run (or the only process) compiles hh_lib's kernels into numba's disk
    cache in the background while the workers start and collect (tests/kernel_warmup.py), when the
    run covers whole test folders (not one file or test)."""
    config = session.config
    if hasattr(config, "workerinput") or config.option.collectonly:
        return
    args = [a for a in config.args if not a.startswith("-")]
    if all(os.path.isdir(a.split("::")[0]) for a in args):
        import kernel_warmup

        kernel_warmup.start()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Wait for the kernel warm-up (it makes the kernels the tests and the build use); then start the
    session's book build, in the background, when a selected test needs it."""
    if session.config.option.collectonly:
        return
    import kernel_warmup

    kernel_warmup.wait()
    if not any(needs_build(item) for item in session.items):
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
