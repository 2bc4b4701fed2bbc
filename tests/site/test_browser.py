"""Every page of the built site in headless Chromium, as a reader's browser shows it.

The site (``$SITE_DIR`` or ``_build/html``) is served on 127.0.0.1 at a random port. Each page is
opened on a desktop viewport (fresh browser context: a first visit, empty cache) and on a phone
viewport (a reader moving between pages: cache warm), in the loads it shares with test_reader.py (page_views.py: light, dark chosen with the
theme's button, dark system); everything observed is collected first and the tests below assert on
it, so a failure names every page and problem at once:

* no console error, uncaught exception, failed request or HTTP error, in any of those loads;
* no request to any host but the local server (mermaid, MathJax, the Colab badge, the fonts are
  all served by the site);
* every mermaid block became an SVG showing the Korean labels of its source;
* math typeset by MathJax (``mjx-container``; no raw ``$$`` or ``\\(`` left, no TeX errors);
* mermaid (and MathJax) load only on pages with diagrams (math);
* every image loaded and has a real alt text (not myst-nb's default, the file name); every
  character of the Korean (and other non-ASCII) text is covered by a font the browser actually
  used for it (no missing-glyph boxes; checked through Chrome DevTools and fontconfig);
* axe-core (bundled with axe-playwright-python, injected from disk) finds no serious or critical
  accessibility violation;
* on a 390 px wide phone the text does not overflow sideways, diagrams fit or scroll in their box
  at a readable size, and the page shows the same diagrams and math as on the desktop;
* the W5D1 lecture's exercise solutions start closed and open on click, its Colab badge and launch
  button open ``notebooks/<name>.ipynb``, which exists in the repository, and its first visit stays
  under the page-weight budget.

Screenshots (of the viewport; ``SCREENSHOTS=full`` for whole pages, site_server.screenshot) go to
``$SHOTS_DIR`` or ``test-output/screenshots/`` (gitignored). Without ``/usr/bin/chromium``
the browser tests skip locally; with ``CI=true`` they fail instead, so CI can never skip them.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import page_views
from page_views import W5D1, Visit, ready, shot_path, warm_page
from site_server import PHONE, ROOT, SERIOUS, screenshot, site_pages

pytestmark = pytest.mark.browser

MIN_DIAGRAM_SCALE = 0.6  # of mermaid's 16px labels: about 10px on the phone
#: The generated notebooks live on the repository's ``notebooks`` branch (scripts/publish_notebooks.py).
COLAB_PREFIX = "https://colab.research.google.com/github/yujinmin2/yujin_research/blob/notebooks/"

# Page weight: the bytes a first visit (empty cache) to the W5D1 lecture transfers, summed over
# every response body as served (uncompressed: the test server does not gzip; GitHub Pages gzips
# text, which the test prints as an estimate). Measured at 5.6 MB (about 2.4 MB gzipped): the theme
# 2.7 MB (fontawesome.js alone 1.5 MB, CSS 0.55 MB, icon fonts 0.27 MB), MathJax 1.2 MB (script +
# 3 fonts), mermaid 0.86 MB (entry + 26 of its 103 chunks), the 8 executed figures 0.84 MB, the
# HTML 0.12 MB. The budget leaves ~15 % headroom, room for one or two more figures, and fails on
# the regressions that matter: every mermaid chunk loaded (+2.8 MB), a second MathJax, figures
# saved at print resolution, a library pulled onto the page twice.
PAGE_WEIGHT_BUDGET = 6_500_000

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")


# --------------------------------------------------------------------------------------------
# What the built HTML says each page should show (read from the files, not the browser)


class _Source(HTMLParser):
    """Mermaid sources, math element count and image count of a built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.mermaid: list[str] = []
        self.math = 0
        self.images = 0
        self._in_mermaid = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "pre" and "mermaid" in classes:
            self._in_mermaid = True
            self.mermaid.append("")
        if "math" in classes and tag in {"span", "div"}:
            self.math += 1
        if tag == "img":
            self.images += 1

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_mermaid = False

    def handle_data(self, data):
        if self._in_mermaid:
            self.mermaid[-1] += data


def _source(site: Path, rel: str) -> _Source:
    parser = _Source()
    parser.feed((site / rel).read_text(encoding="utf-8"))
    return parser


_LABEL = re.compile(r'\["?(.*?)"?\]|\("?(.*?)"?\)|\{"?(.*?)"?\}|\|"?(.*?)"?\||^\s*subgraph\s+(?:\S+\s*\["?(.*?)"?\]|(\S+))\s*$')


def mermaid_labels(source: str) -> list[str]:
    """The Korean words a mermaid flowchart source displays (node, edge and subgraph labels)."""
    words = []
    for line in source.splitlines():
        line = line.split("%%")[0]
        for match in _LABEL.finditer(line):
            text = next((g for g in match.groups() if g), "")
            words += HANGUL.findall(text)
    return words


# --------------------------------------------------------------------------------------------
# Visiting the pages: the loads are shared with test_reader.py (page_views.py)

#: Parallel workers share the page loads (tests/shared_work.py) instead of each visiting every page.
XDIST_SHARED_FIXTURES = ("visits",)


@pytest.fixture(scope="module")
def visits(site, server, browser) -> dict[str, Visit]:
    return page_views.visits(site, server, browser)


def _report(problems: list[str], what: str):
    assert not problems, f"{what}:\n  " + "\n  ".join(problems)


# --------------------------------------------------------------------------------------------
# Tests


def test_every_page_was_visited(site, visits):
    assert set(visits) == set(site_pages(site))
    assert W5D1 in visits, f"{W5D1} is not in the built site"


@pytest.mark.every_page
def test_no_console_errors_or_page_errors(visits):
    problems = []
    for rel, v in visits.items():
        problems += [f"{rel}: console error: {m}" for m in v.console_errors]
        problems += [f"{rel}: uncaught exception: {m}" for m in v.page_errors]
        problems += [f"{rel}: request failed: {m}" for m in v.failed_requests]
        problems += [f"{rel}: HTTP {m}" for m in v.http_errors]
    warnings = sorted({f"{rel}: {m}" for rel, v in visits.items() for m in v.console_warnings})
    if warnings:
        print("console warnings (not failures):\n  " + "\n  ".join(warnings))
    _report(problems, "errors in the browser")


@pytest.mark.every_page
def test_no_request_leaves_the_local_server(visits):
    """Requests to the local server are kept as site paths (``/...``, page_views.py); any other URL
    with a host is a request to another host."""
    hosts: dict[str, set[str]] = {}
    for rel, v in visits.items():
        for url in v.requests:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            local = not parts.scheme and not parts.netloc and url.startswith("/")
            host = "the local server" if local else f"{parts.scheme}://{parts.netloc}"
            hosts.setdefault(host, set()).add("" if local else url)
    print("hosts contacted:", ", ".join(sorted(hosts)))
    external = sorted(url for host, urls in hosts.items() if host != "the local server" for url in urls)
    _report(external, "requests to other hosts")


def test_mermaid_diagrams_render_with_their_korean_labels(site, visits):
    problems, diagrams = [], 0
    for rel, v in visits.items():
        sources = _source(site, rel).mermaid
        rendered = v.facts["mermaid"]
        if len(rendered) != len(sources):
            problems.append(f"{rel}: {len(sources)} mermaid blocks in the HTML, {len(rendered)} in the page")
            continue
        for i, (src, out) in enumerate(zip(sources, rendered), 1):
            diagrams += 1
            if not out["svg"]:
                problems.append(f"{rel}: diagram {i} did not become an SVG")
                continue
            shown = re.sub(r"\s+", "", out["text"])
            missing = [w for w in mermaid_labels(src) if w not in shown]
            if not mermaid_labels(src):
                problems.append(f"{rel}: diagram {i} has no Korean label to check")
            if missing:
                problems.append(f"{rel}: diagram {i} lacks labels {missing}")
    assert diagrams > 0, "no mermaid diagram anywhere in the site"
    _report(problems, "mermaid problems")


def test_math_is_typeset(site, visits):
    problems, typeset = [], 0
    for rel, v in visits.items():
        expected = _source(site, rel).math
        f = v.facts
        typeset += f["mjx"]
        if expected and f["mjx"] < expected:
            problems.append(f"{rel}: {expected} math elements, only {f['mjx']} typeset (mjx-container)")
        if f["merror"]:
            problems.append(f"{rel}: {f['merror']} TeX errors")
        if f["rawMath"]:
            problems.append(f"{rel}: {f['rawMath']} raw TeX delimiters ($$, \\(, \\[) left in the text")
        if not expected and any("mathjax" in s for s in f["scripts"]):
            problems.append(f"{rel}: loads MathJax but has no math")
    assert typeset > 0, "no typeset math anywhere in the site"
    _report(problems, "math problems")


@pytest.mark.every_page
def test_mermaid_loads_only_where_needed(site, visits):
    problems = []
    for rel, v in visits.items():
        loads = any("/npm/mermaid/" in url for url in v.requests)
        needs = bool(_source(site, rel).mermaid)
        if loads != needs:
            problems.append(f"{rel}: {'loads' if loads else 'does not load'} mermaid, "
                            f"{'has' if needs else 'has no'} diagrams")
    _report(problems, "mermaid loaded on the wrong pages")


@pytest.mark.every_page
def test_no_page_loads_sphinx_search_scripts(visits):
    """The search is Pagefind's (search.html): Sphinx's index and search scripts, which the theme would
    put in the head of every page (site_templates/layout.html), are loaded by no page."""
    unused = ("/searchindex.js", "/_static/searchtools.js", "/_static/language_data.js")
    problems = [f"{rel}: loads {url}" for rel, v in visits.items() for url in v.requests
                if urlsplit(url).path.endswith(unused)]
    _report(problems, "pages loading Sphinx's unused search index or scripts")


@pytest.mark.every_page
def test_images_load_and_have_alt_text(visits):
    problems = [f"{rel}: image did not load: {img['src']}"
                for rel, v in visits.items() for img in v.facts["images"] if not img["ok"]]
    problems += [f"{rel}: image without alt attribute: {img['src']}"
                 for rel, v in visits.items() for img in v.facts["images"] if img["alt"] is None]
    # myst-nb uses the file name as the alt text of a figure unless the cell says otherwise
    # (cell metadata ``mystnb: image: alt: ...``); a screen reader would read out a hash.
    problems += [f"{rel}: alt text is a file name, not a description: {img['alt']!r}"
                 for rel, v in visits.items() for img in v.facts["images"]
                 if img["alt"] and re.search(r"(_images/|\.(png|jpe?g|gif|svg|webp)$)", img["alt"], re.I)]
    _report(problems, "image problems")


@pytest.mark.every_page
def test_text_has_no_missing_glyphs(visits):
    problems = [f"{rel}: {m}" for rel, v in visits.items() for m in v.missing_glyphs]
    _report(problems, "characters no installed font covers (shown as boxes)")


@pytest.mark.every_page
def test_accessibility_axe(visits):
    problems, minor = [], []
    for rel, v in visits.items():
        for violation in v.axe:
            targets = [", ".join(map(str, n.get("target", []))) for n in violation.get("nodes", [])][:5]
            line = f"{rel}: [{violation.get('impact')}] {violation['id']}: {violation['help']} -> {targets}"
            (problems if violation.get("impact") in SERIOUS else minor).append(line)
    if minor:
        print("axe minor/moderate findings (not failures):\n  " + "\n  ".join(minor))
    _report(problems, "serious or critical accessibility violations (axe-core)")


@pytest.mark.every_page
def test_phone_layout_has_no_sideways_overflow(visits):
    problems = []
    for rel, v in visits.items():
        p = v.phone
        if not p:  # a redirect-only page
            continue
        if p["scrollWidth"] > p["viewport"] + 1:
            problems.append(f"{rel}: page is {p['scrollWidth']} px wide on a {p['viewport']} px screen")
        problems += [f"{rel}: sticks out: {s}" for s in p["sticking"]]
        want = {"mjx": v.facts["mjx"], "svg": sum(m["svg"] for m in v.facts["mermaid"])}
        if p["rendered"] != want:
            problems.append(f"{rel}: rendered {p['rendered']} on the phone, {want} on the desktop")
        problems += [f"{rel}: diagram {i} ({d['width']} px) neither fits nor scrolls in its {d['container']} px box"
                     for i, d in enumerate(p["diagrams"], 1) if not d["fits"]]
        # mermaid draws its labels at 16px; shrunk below 60 % they are too small to read on a phone
        problems += [f"{rel}: diagram {i} shrunk to {d['scale']:.0%}: its labels are too small to read"
                     for i, d in enumerate(p["diagrams"], 1) if d["scale"] < MIN_DIAGRAM_SCALE]
    _report(problems, f"phone ({PHONE['width']}x{PHONE['height']}) layout problems")


def test_page_weight_of_the_lecture(visits):
    v = visits[W5D1]
    by_type = ", ".join(f"{k} {b / 1e6:.2f} MB" for k, b in sorted(v.bytes_by_type.items(), key=lambda kv: -kv[1]))
    print(f"page weight of a first visit to {W5D1}: {v.bytes_total:,} bytes as served in {len(v.requests)} "
          f"requests (budget {PAGE_WEIGHT_BUDGET:,}); about {v.bytes_gzip:,} bytes with gzip; {by_type}")
    assert v.bytes_total > 0
    assert v.bytes_total <= PAGE_WEIGHT_BUDGET, (
        f"{W5D1} transfers {v.bytes_total:,} bytes on a first visit, over the {PAGE_WEIGHT_BUDGET:,} budget")


def test_colab_links_open_a_notebook_of_the_repository(visits):
    """The badge and the header's launch button both open <name>.ipynb on the notebooks branch,
    where <name> is the notebook a page of the book declares (front matter ``notebook:``)."""
    links = visits[W5D1].facts["colab"]
    assert len(links) >= 2, f"expected the Colab badge and the launch button on {W5D1}, found {links}"
    declared = {m.group(1) for md in (ROOT / "book").rglob("*.md")
                for m in [re.search(r"^notebook:\s*([A-Za-z0-9_-]+)", md.read_text(encoding="utf-8"), re.M)] if m}
    problems = []
    for rel, v in visits.items():
        for href in v.facts["colab"]:
            if not href.startswith(COLAB_PREFIX):
                problems.append(f"{rel}: Colab link outside the repository's notebooks branch: {href}")
                continue
            path = href[len(COLAB_PREFIX):]
            match = re.fullmatch(r"(?:student/)?([^/]+)\.ipynb", path)
            if not match:
                problems.append(f"{rel}: Colab link does not open <name>.ipynb: {href}")
            elif match.group(1) not in declared:
                problems.append(f"{rel}: Colab link opens {path}, which no page of the book declares")
    _report(problems, "Colab links")


def test_exercise_solutions_start_closed_and_open_on_click(visits, browser, server):
    from axe_playwright_python.sync_playwright import Axe

    solutions = visits[W5D1].facts["solutions"]
    assert len(solutions) >= 3, f"expected 3 exercise solutions on {W5D1}, found {solutions}"
    page = warm_page(browser, "desktop")
    try:
        page.goto(server + W5D1, wait_until="load")
        ready(page)
        for sol_id in solutions:
            box = page.locator(f"#{sol_id}")
            body = box.locator(":scope > section, :scope > :not(.admonition-title):not(button)").first
            assert body.count() == 1, f"#{sol_id}: no solution body"
            assert not body.is_visible(), f"#{sol_id}: the solution is visible before any click"
            box.locator(".admonition-title").first.click()
            body.wait_for(state="visible", timeout=5000)
            assert body.is_visible(), f"#{sol_id}: the solution stays hidden after a click on its title"
        ready(page)  # figures and math inside the opened solutions
        broken = page.evaluate("() => [...document.querySelectorAll('.solution img')]"
                               ".filter(i => i.getBoundingClientRect().width > 0 && !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        assert not broken, f"images in the opened solutions did not load: {broken}"
        screenshot(page, shot_path(W5D1, "desktop", "solutions-open"))
        results = Axe().run(page, context=".solution", options={"resultTypes": ["violations"]})
        serious = [f"[{v['impact']}] {v['id']}: {v['help']}" for v in results.response.get("violations", [])
                   if v.get("impact") in SERIOUS]
        assert not serious, "accessibility violations inside the opened solutions:\n" + "\n".join(serious)
    finally:
        page.close()


@pytest.mark.every_page
def test_outputs_show_no_error_or_missing_glyph_warning(built_site):
    """No executed output shows a traceback or stderr, and matplotlib never warned that a glyph
    is "missing from font" (a figure with boxes instead of Hangul)."""
    site, problems = built_site, []
    for rel in site_pages(site):
        text = (site / rel).read_text("utf-8")
        if re.search(r"missing from (current )?font", text):
            problems.append(f"{rel}: a figure warned about missing glyphs")
        for kind in re.findall(r'class="output (traceback|error|stderr)\b', text):
            problems.append(f"{rel}: an output cell shows {kind}")
    _report(problems, "executed outputs a reader should not see")


def test_mermaid_labels_parser():
    src = 'flowchart TB\n  subgraph 전류흐름\n    A[외부 전류 I] -->|흐름| B("막<br/>전위")\n  end\n  subgraph s1["1. 휴지 상태"]\n  end\n'
    assert mermaid_labels(src) == ["전류흐름", "외부", "전류", "흐름", "막", "전위", "휴지", "상태"]
