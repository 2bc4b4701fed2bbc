"""Every page of the built site in headless Chromium, as a reader's browser shows it.

The site (``$SITE_DIR`` or ``_build/html``) is served on 127.0.0.1 at a random port. Each page is
opened once on a desktop viewport (fresh browser context: a first visit, empty cache) and once on
a phone viewport; everything observed is collected first and the tests below assert on it, so a
failure names every page and problem at once:

* no console error, uncaught exception, failed request or HTTP error;
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
``test-output/screenshots/`` (gitignored). Without ``/usr/bin/chromium``
the browser tests skip locally; with ``CI=true`` they fail instead, so CI can never skip them.
"""
from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_server import DESKTOP, PHONE, ROOT, SERIOUS, resolve_site, screenshot, site_dir, site_pages

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-output" / "screenshots"
MIN_DIAGRAM_SCALE = 0.6  # of mermaid's 16px labels: about 10px on the phone
W5D1 = "book/weeks/week5/day1-hodgkin-huxley.html"
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
# Visiting the pages


@dataclass
class Visit:
    url: str
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    bytes_total: int = 0
    bytes_by_type: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    axe: list[dict] = field(default_factory=list)
    missing_glyphs: list[str] = field(default_factory=list)
    phone: dict = field(default_factory=dict)
    # While axe runs, its own requests (it re-fetches stylesheets and resolves their @import
    # relative to the page, a 404 no reader causes) are kept apart; their hosts are still checked.
    bytes_gzip: int = 0  # W5D1 only: the same bodies gzip-compressed where a web server would
    responses: list = field(default_factory=list)
    phase: str = "page"
    axe_noise: list[str] = field(default_factory=list)


WAIT_READY_JS = """async () => {
  // mermaid: every block processed (sphinxcontrib-mermaid renders on window load)
  const deadline = Date.now() + 20000;
  while (document.querySelectorAll('pre.mermaid:not([data-processed="true"])').length) {
    if (Date.now() > deadline) break;
    await new Promise(r => setTimeout(r, 100));
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  // images: scroll through the page so lazy ones load, then wait for each
  for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 20));
  }
  window.scrollTo(0, 0);
  // (images not displayed, e.g. the lazy phone panels on a wide screen or a lazy figure in a closed
  // solution, never load: wait for those with a size)
  const loaded = Promise.all([...document.images].filter(img => img.getBoundingClientRect().width > 0).map(img => img.complete ? null :
      new Promise(r => { img.onload = img.onerror = r; })));
  await Promise.race([loaded, new Promise(r => setTimeout(r, 15000))]);  // an image that never loads fails the image check
  await document.fonts.ready;
}"""

FACTS_JS = """() => {
  const article = document.querySelector('main') || document.body;
  const text = (el) => {  // visible text, without code blocks and MathJax's own output
    const clone = el.cloneNode(true);
    clone.querySelectorAll('pre, code, script, style, mjx-container, mjx-assistive-mml, .mermaid')
         .forEach(e => e.remove());
    return clone.textContent;
  };
  const mermaid = [...document.querySelectorAll('pre.mermaid')].map(pre => {
    const svg = pre.querySelector('svg');
    return {svg: !!svg, text: svg ? svg.textContent : '', processed: pre.dataset.processed === 'true'};
  });
  const images = [...document.images].filter(img => img.getBoundingClientRect().width > 0).map(img => ({
    src: img.currentSrc || img.src, alt: img.getAttribute('alt'), ok: img.complete && img.naturalWidth > 0}));
  const solutions = [...document.querySelectorAll('.solution.dropdown')].map(s => s.id);
  return {
    title: document.title,
    lang: document.documentElement.lang,
    mermaid, images, solutions,
    mjx: document.querySelectorAll('mjx-container').length,
    merror: document.querySelectorAll('mjx-merror, mjx-container [data-mjx-error]').length,
    rawMath: (text(article).match(/\\$\\$|\\\\\\(|\\\\\\)|\\\\\\[|\\\\\\]/g) || []).length,
    colab: [...document.querySelectorAll('a[href*="colab.research.google.com"]')].map(a => a.href),
    scripts: [...document.scripts].map(s => s.src).filter(Boolean),
  };
}"""

MARK_TEXT_JS = """() => {
  // Mark each element whose own text has a non-ASCII character (Hangul, Na⁺, μ, ...).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const els = new Set();
  while (walker.nextNode()) {
    const t = walker.currentNode, p = t.parentElement;
    if (!p || !/[^\\x00-\\x7f]/.test(t.data)) continue;
    if (p.closest('script, style, mjx-container, mjx-assistive-mml, [aria-hidden="true"]')) continue;
    const s = getComputedStyle(p);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    els.add(p);
  }
  let i = 0;
  els.forEach(e => e.setAttribute('data-glyph-check', String(i++)));
  return [...els].map(e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join(''));
}"""

OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = (el) => { // inside a container that scrolls sideways (wide table, code, diagram)
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll' || o === 'hidden') && p.getBoundingClientRect().right <= vw + 1) return true;
    }
    return false;
  };
  // The page's own content (the theme's sidebars slide in from off-screen on a phone)
  const main = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const sticking = [];
  for (const el of main.querySelectorAll('p, li, h1, h2, h3, h4, table, pre, img, svg, .mermaid, mjx-container[display="true"], .admonition')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || scrolls(el) || !el.checkVisibility()) continue;
    sticking.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
  }
  const diagrams = [...document.querySelectorAll('pre.mermaid svg')].map(svg => {
    const r = svg.getBoundingClientRect(), c = svg.closest('.mermaid-container') || svg.parentElement;
    const vb = svg.viewBox && svg.viewBox.baseVal;
    return {width: Math.round(r.width), height: Math.round(r.height),
            fits: r.right <= vw + 1 || scrolls(svg), container: Math.round(c.getBoundingClientRect().width),
            scale: vb && vb.width ? r.width / vb.width : 1};
  });
  return {viewport: vw, scrollWidth: document.documentElement.scrollWidth, sticking, diagrams};
}"""


@lru_cache(maxsize=None)
def _font_cmap(postscript_name: str, family: str) -> frozenset[int] | None:
    """Code points a system font covers, found through fontconfig (None if unknown)."""
    from fontTools.ttLib import TTCollection, TTFont

    if not shutil.which("fc-list"):
        return None
    for pattern in (f":postscriptname={postscript_name}", f":family={family}"):
        out = subprocess.run(["fc-list", pattern, "--format", "%{file}\t%{index}\n"],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            path, _, index = line.partition("\t")
            index = int(index or 0)
            if path.lower().endswith((".ttc", ".otc")):
                font = TTCollection(path, lazy=True).fonts[index]
            else:
                font = TTFont(path, lazy=True, fontNumber=index)
            cmap = font.getBestCmap() or {}
            return frozenset(cmap)
    return None


def _missing_glyphs(page, texts: list[str]) -> list[str]:
    """Characters of the marked elements that none of the fonts Chromium used for them covers."""
    if not shutil.which("fc-list"):
        return ["fc-list (fontconfig) is not installed: cannot check which glyphs the fonts cover"]
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    missing = []
    for index, text in enumerate(texts):
        ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": f'[data-glyph-check="{index}"]'})["nodeIds"]
        if not ids:
            continue
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": ids[0]})["fonts"]
        if not fonts:  # not laid out (in a closed menu, off-canvas): nothing drawn
            continue
        covered: set[int] = set()
        custom = False
        for font in fonts:
            if font.get("isCustomFont"):
                custom = True  # a web font (theme icons): not checked here
                continue
            cmap = _font_cmap(font.get("postScriptName", ""), font["familyName"])
            if cmap is None:
                custom = True
            else:
                covered |= cmap
        if custom:
            continue
        lost = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered and ord(ch) > 0x7F
                       and not (0xFE00 <= ord(ch) <= 0xFE0F)})  # variation selectors draw nothing
        if lost:
            used = ", ".join(sorted({f["familyName"] for f in fonts}))
            missing.append(f"{''.join(lost)!r} (U+{', U+'.join(f'{ord(c):04X}' for c in lost)}) "
                           f"in {text.strip()[:40]!r} [fonts: {used}]")
    cdp.detach()
    return missing


def _record(page, visit: Visit) -> None:
    def on_console(msg):
        if visit.phase == "axe":
            if msg.type == "error":
                visit.axe_noise.append(msg.text)
        elif msg.type == "error":
            visit.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")
        elif msg.type == "warning":
            visit.console_warnings.append(msg.text)

    def on_finished(request):
        visit.requests.append(request.url)
        try:
            size = request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 (a cancelled or cached request has no sizes)
            size = 0
        visit.bytes_total += size
        kind = request.resource_type
        visit.bytes_by_type[kind] = visit.bytes_by_type.get(kind, 0) + size

    page.on("console", on_console)
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
    page.on("request", lambda r: None if r.url in visit.requests else visit.requests.append(r.url))
    page.on("requestfinished", on_finished)

    def on_failed(request):
        (visit.axe_noise if visit.phase == "axe" else visit.failed_requests).append(f"{request.url}: {request.failure}")

    def on_response(response):
        if visit.phase == "page":
            visit.responses.append(response)
        if response.status >= 400:
            (visit.axe_noise if visit.phase == "axe" else visit.http_errors).append(f"{response.status} {response.url}")

    page.on("requestfailed", on_failed)
    page.on("response", on_response)


EMPTY_FACTS = {"mermaid": [], "images": [], "solutions": [], "mjx": 0, "merror": 0, "rawMath": 0,
               "colab": [], "scripts": []}


@lru_cache(maxsize=None)
def _redirect_target(rel: str) -> str | None:
    """Where a redirect-only page (``<meta http-equiv="refresh">``) sends the reader, site-relative."""
    html = (site_dir() / rel).read_text(encoding="utf-8")
    m = re.search(r'<meta[^>]+http-equiv="?refresh"?[^>]+content="\d+;\s*url=([^"]+)"', html, flags=re.I)
    if not m:
        return None
    return str(Path(rel).parent / m.group(1)).removeprefix("./")


def _gzip_size(responses) -> int:
    """Bytes the responses would take with gzip on text types (as GitHub Pages serves them)."""
    total = 0
    for response in responses:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 (no body: redirect, aborted)
            continue
        kind = response.headers.get("content-type", "")
        if kind.startswith("text/") or any(t in kind for t in ("javascript", "json", "svg", "xml")):
            total += len(gzip.compress(body, 6))
        else:
            total += len(body)
    return total


def _shot_name(rel: str, suffix: str) -> Path:
    return SCREENSHOTS / (rel.removesuffix(".html").replace("/", "__") + f"--{suffix}.png")


def _visit_desktop(browser, base: str, rel: str) -> Visit:
    from axe_playwright_python.sync_playwright import Axe

    visit = Visit(url=base + rel)
    context = browser.new_context(viewport=DESKTOP, locale="ko-KR")
    try:
        page = context.new_page()
        _record(page, visit)
        page.goto(visit.url, wait_until="load")
        if _redirect_target(rel):  # the root index.html only forwards to the first page
            page.wait_for_url(base + _redirect_target(rel), wait_until="load")
            page.wait_for_load_state("networkidle")
            visit.facts = {"redirect": page.url, **EMPTY_FACTS}
            # Leaving the page at once cancels what it had started (its icon): expected here only.
            visit.failed_requests = [f for f in visit.failed_requests if not f.endswith("net::ERR_ABORTED")]
            return visit
        page.evaluate(WAIT_READY_JS)
        page.wait_for_load_state("networkidle")
        if rel == W5D1:
            visit.bytes_gzip = _gzip_size(visit.responses)
        visit.facts = page.evaluate(FACTS_JS)
        texts = page.evaluate(MARK_TEXT_JS)
        visit.missing_glyphs = _missing_glyphs(page, texts)
        screenshot(page, _shot_name(rel, "desktop"))
        visit.phase = "axe"
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        visit.axe = results.response.get("violations", [])
    finally:
        context.close()
    return visit


def _visit_phone(browser, base: str, rel: str, visit: Visit) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="ko-KR")
    try:
        page = context.new_page()
        phone = Visit(url=visit.url)
        _record(page, phone)
        page.goto(visit.url, wait_until="load")
        if _redirect_target(rel):
            return
        page.evaluate(WAIT_READY_JS)
        visit.phone = page.evaluate(OVERFLOW_JS)
        facts = page.evaluate(FACTS_JS)
        visit.phone["rendered"] = {"mjx": facts["mjx"], "svg": sum(m["svg"] for m in facts["mermaid"])}
        for name in ("console_errors", "page_errors", "failed_requests", "http_errors"):
            getattr(visit, name).extend(f"[phone] {m}" for m in getattr(phone, name))
        visit.requests += [u for u in phone.requests if u not in visit.requests]
        screenshot(page, _shot_name(rel, "phone"))
    finally:
        context.close()


@pytest.fixture(scope="module")
def visits(site, server, browser) -> dict[str, Visit]:
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    out = {}
    for rel in site_pages(site):
        visit = _visit_desktop(browser, server, rel)
        _visit_phone(browser, server, rel, visit)
        out[rel] = visit
    return out


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
def test_no_request_leaves_the_local_server(visits, server):
    hosts: dict[str, set[str]] = {}
    for rel, v in visits.items():
        for url in v.requests:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            host = f"{parts.scheme}://{parts.netloc}"
            hosts.setdefault(host, set()).add(url if host + "/" != server else "")
    print("hosts contacted:", ", ".join(sorted(hosts)))
    external = sorted(url for host, urls in hosts.items() if host + "/" != server for url in urls)
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
    context = browser.new_context(viewport=DESKTOP, locale="ko-KR")
    try:
        page = context.new_page()
        page.goto(server + W5D1, wait_until="load")
        page.evaluate(WAIT_READY_JS)
        for sol_id in solutions:
            box = page.locator(f"#{sol_id}")
            body = box.locator(":scope > section, :scope > :not(.admonition-title):not(button)").first
            assert body.count() == 1, f"#{sol_id}: no solution body"
            assert not body.is_visible(), f"#{sol_id}: the solution is visible before any click"
            box.locator(".admonition-title").first.click()
            body.wait_for(state="visible", timeout=5000)
            assert body.is_visible(), f"#{sol_id}: the solution stays hidden after a click on its title"
        page.evaluate(WAIT_READY_JS)  # figures and math inside the opened solutions
        broken = page.evaluate("() => [...document.querySelectorAll('.solution img')]"
                               ".filter(i => i.getBoundingClientRect().width > 0 && !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        assert not broken, f"images in the opened solutions did not load: {broken}"
        screenshot(page, _shot_name(W5D1, "solutions-open"))
        results = Axe().run(page, context=".solution", options={"resultTypes": ["violations"]})
        serious = [f"[{v['impact']}] {v['id']}: {v['help']}" for v in results.response.get("violations", [])
                   if v.get("impact") in SERIOUS]
        assert not serious, "accessibility violations inside the opened solutions:\n" + "\n".join(serious)
    finally:
        context.close()


@pytest.mark.every_page
def test_outputs_show_no_error_or_missing_glyph_warning(request):
    """No executed output shows a traceback or stderr, and matplotlib never warned that a glyph
    is "missing from font" (a figure with boxes instead of Hangul)."""
    site = resolve_site(request)
    problems = []
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
