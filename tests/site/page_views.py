"""What headless Chromium shows of every page: one set of page loads that the browser tests
(test_browser.py) and the reader tests (test_reader.py) both read.

Every page is loaded on a desktop (1280 px) and on a phone (390 px), with the system in light mode.
The desktop load is a first visit (a fresh browser context, empty cache: the page weight, every
request). The phone and dark-system loads come from a reader moving between pages: a tab in a
context each worker keeps per viewport and colour scheme (cache and compiled scripts warm), whose
stored choices (localStorage: the colour mode) are cleared at every load. In that one load the browser
records everything test_browser.py checks (console, requests, rendered diagrams and math, fonts
used for every character, axe-core on the desktop, sideways overflow on the phone) and what
test_reader.py checks of the page in light (theme, width, diagram text contrast, Korean line
breaks, diagram names); then the reader chooses dark with the theme's button and the page is
looked at again ("dark-toggle"), as the reader who clicks it sees it. A lecture page (``book/``) is
also loaded once per viewport on a system in dark mode, with no choice made ("dark-os"). The
console, page errors and requests of every load count, the dark ones too.

Parallel workers share the loads (tests/shared_work.py). Results are stored without the local
server's address (it differs between workers): a request to the site is kept as its path, ``/...``.
Screenshots of the viewport (``SCREENSHOTS=full``: whole pages) go to ``$SHOTS_DIR``, by default
``test-output/screenshots/`` (gitignored).
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from site_server import DESKTOP, PHONE, ROOT, screenshot, site_dir, site_pages

SHOTS = Path(os.environ.get("SHOTS_DIR") or ROOT / "test-output" / "screenshots")
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
MODES = ("light", "dark-os", "dark-toggle")
W5D1 = "book/weeks/week5/day1-hodgkin-huxley.html"

# Ready to be looked at: every mermaid block drawn (an SVG in it), MathJax done, the lazy figures fetched, fonts
# loaded; then ``settle`` ms more (on a first load: the theme may still set its colour mode from the system). A lazy
# image is fetched when a drawn frame finds it near the screen (IntersectionObserver), so the page is scrolled to each
# image the reader could see (CSS-visible, whatever its laid-out width: a lazy phone panel is 0 px wide until it
# arrives) that has not loaded and has not yet been on the screen at an earlier stop, and a frame is drawn at each
# stop; then every such image is waited for. An image in a closed solution (hidden, or laid out as a lazy 16 px
# placeholder in dark mode) never loads and is not waited for.
READY_JS = """async (settle) => {
  const deadline = Date.now() + 20000;
  // drawn: processed, an SVG in it (a re-run clears it first) that is not one drawn before the reader changed the
  // colour mode (choose_dark marks those), and what the SVG names as its label (aria-labelledby) in the document;
  // a diagram without a name, or not drawn again for the new mode, still fails its test after the deadline. And the
  // page's diagram code done with them (their full-screen buttons added): only then does it watch the colour mode, so
  // a mode chosen earlier leaves the diagrams in the old one (a reader who clicks within ~0.1 s of the load).
  // Before this wait, the colour-mode test clicked too early on a short page and waited in vain for a new drawing.
  const drawn = p => { const svg = p.dataset.processed === 'true' && p.querySelector('svg');
    const done = p.parentElement.classList.contains('mermaid-container') && p.parentElement.querySelector('.mermaid-fullscreen-btn');
    return svg && done && !svg.dataset.beforeToggle && (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean).every(id => document.getElementById(id)); };
  while ([...document.querySelectorAll('pre.mermaid')].some(p => !drawn(p)) && Date.now() < deadline)
    await new Promise(r => setTimeout(r, 100));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  // A lazy image has no size until it has loaded, so an image counts by its CSS visibility, not its width.
  const shown = i => i.checkVisibility({visibilityProperty: true});
  // (a frame, or 200 ms: a background tab draws none, and the wait must not hang there)
  const frame = () => new Promise(r => { const t = setTimeout(r, 200); requestAnimationFrame(() => { clearTimeout(t); setTimeout(r, 20); }); });
  const seen = new Set();
  const onScreen = i => { const b = i.getBoundingClientRect(); return b.bottom >= 0 && b.top <= window.innerHeight; };
  for (let stop = 0; stop < 1000; stop++) {  // each stop puts at least one more image on the screen
    const next = [...document.images].find(i => shown(i) && !i.complete && !seen.has(i));
    if (!next) break;
    next.scrollIntoView({block: 'center'});
    await frame();
    seen.add(next);
    for (const i of document.images) if (onScreen(i)) seen.add(i);
  }
  window.scrollTo(0, 0);
  const loaded = Promise.all([...document.images].filter(shown)
    .map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  await Promise.race([loaded, new Promise(r => setTimeout(r, 15000))]);  // a missing image fails its own test, not a hang
  await document.fonts.ready;
  if (settle) await new Promise(r => setTimeout(r, settle));
}"""


def ready(page, settle: int = 0) -> None:
    """Wait until ``page`` is ready to be looked at (READY_JS)."""
    page.evaluate(READY_JS, settle)


# --- What test_browser.py reads of a page ---------------------------------------------------

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
  const shown = i => i.getBoundingClientRect().width > 0 && i.checkVisibility({visibilityProperty: true});
  const images = [...document.images].filter(shown).map(img => ({
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

# Each element whose own text has a non-ASCII character (Hangul, Na⁺, μ, ...), numbered in document
# order (the order DOM.querySelectorAll returns them in); returns their texts in that order, each with its font
# setting (the computed font properties and the language, which choose the fonts a letter is drawn with).
MARK_TEXT_JS = """() => {
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
  const ordered = [...els].sort((a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  ordered.forEach((e, i) => e.setAttribute('data-glyph-check', String(i)));
  const font = (e) => { const s = getComputedStyle(e);
    return [s.fontFamily, s.fontWeight, s.fontStyle, s.fontStretch, s.fontVariant, s.fontFeatureSettings,
            (e.closest('[lang]') || document.documentElement).lang].join('|'); };
  return ordered.map(e => ({text: [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join(''), font: font(e)}));
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


def _missing_glyphs(page, marked: list[dict]) -> list[str]:
    """Characters of the marked elements (MARK_TEXT_JS) that none of the fonts Chromium used for them covers.

    Chromium picks the font of a letter by the letter and the font setting alone, so an element is not asked about
    when every one of its letters was already drawn, in an element of the same font setting, with a font that has
    it (about 4 s of a lecture page's desktop load were these questions, one per element)."""
    if not shutil.which("fc-list"):
        return ["fc-list (fontconfig) is not installed: cannot check which glyphs the fonts cover"]
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyph-check]"})["nodeIds"]
    if len(ids) != len(marked):
        cdp.detach()
        return [f"{len(marked)} marked texts but {len(ids)} marked elements: the page changed while it was checked"]
    missing = []
    drawn: dict[str, set[str]] = {}  # font setting -> letters seen drawn with a font that has them
    for node, mark in zip(ids, marked):
        text, setting = mark["text"], mark["font"]
        letters = {ch for ch in text if not ch.isspace() and ord(ch) > 0x7F
                   and not (0xFE00 <= ord(ch) <= 0xFE0F)}  # variation selectors draw nothing
        if letters <= drawn.get(setting, set()):
            continue
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
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
        lost = sorted(ch for ch in letters if ord(ch) not in covered)
        if not lost:
            drawn.setdefault(setting, set()).update(letters)
        else:
            used = ", ".join(sorted({f["familyName"] for f in fonts}))
            missing.append(f"{''.join(lost)!r} (U+{', U+'.join(f'{ord(c):04X}' for c in lost)}) "
                           f"in {text.strip()[:40]!r} [fonts: {used}]")
    cdp.detach()
    return missing


@dataclass
class Visit:
    """What the browser recorded of a page's loads (test_browser.py)."""

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
    bytes_gzip: int = 0  # W5D1 only: the same bodies gzip-compressed where a web server would
    # While axe runs, its own requests (it re-fetches stylesheets and resolves their @import
    # relative to the page, a 404 no reader causes) are kept apart; their hosts are still checked.
    axe_noise: list[str] = field(default_factory=list)

    def absorb(self, other: "Visit", label: str) -> None:
        """Add the problems and requests of another load of the page (``label``: which one)."""
        for name in ("console_errors", "page_errors", "failed_requests", "http_errors"):
            getattr(self, name).extend(f"[{label}] {m}" for m in getattr(other, name))
        self.console_warnings += [m for m in other.console_warnings if m not in self.console_warnings]
        self.requests += [u for u in other.requests if u not in self.requests]


class _Recorder:
    """Listens to a page's console, errors and requests for a Visit; ``phase`` tells whose they are."""

    def __init__(self, page, visit: Visit) -> None:
        self.visit, self.phase, self.responses = visit, "page", []
        page.on("console", self.console)
        page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
        page.on("request", lambda r: None if r.url in visit.requests else visit.requests.append(r.url))
        page.on("requestfinished", self.finished)
        page.on("requestfailed", self.failed)
        page.on("response", self.response)

    def console(self, msg) -> None:
        if self.phase == "axe":
            if msg.type == "error":
                self.visit.axe_noise.append(msg.text)
        elif msg.type == "error":
            self.visit.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")
        elif msg.type == "warning":
            self.visit.console_warnings.append(msg.text)

    def finished(self, request) -> None:
        if self.phase != "page":  # the page weight is that of the first visit alone
            return
        try:
            size = request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 (a cancelled or cached request has no sizes)
            size = 0
        self.visit.bytes_total += size
        kind = request.resource_type
        self.visit.bytes_by_type[kind] = self.visit.bytes_by_type.get(kind, 0) + size

    def failed(self, request) -> None:
        (self.visit.axe_noise if self.phase == "axe" else self.visit.failed_requests).append(
            f"{request.url}: {request.failure}")

    def response(self, response) -> None:
        if self.phase == "page":
            self.responses.append(response)
        if response.status >= 400:
            (self.visit.axe_noise if self.phase == "axe" else self.visit.http_errors).append(
                f"{response.status} {response.url}")


EMPTY_FACTS = {"mermaid": [], "images": [], "solutions": [], "mjx": 0, "merror": 0, "rawMath": 0,
               "colab": [], "scripts": []}


@lru_cache(maxsize=None)
def redirect_target(rel: str) -> str | None:
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


# --- What test_reader.py reads of a page ----------------------------------------------------

# Contrast of every text in every diagram. Each text's colour is blended over what lies behind it:
# its own boxes' backgrounds, then the shape of its node, edge label or cluster, then the page.
CONTRAST_JS = r"""() => {
  const parse = (c) => {
    const m = (c || '').match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, under) => {
    const a = top.a + under.a * (1 - top.a);
    if (!a) return {r: 0, g: 0, b: 0, a: 0};
    const mix = k => (top[k] * top.a + under[k] * under.a * (1 - top.a)) / a;
    return {r: mix('r'), g: mix('g'), b: mix('b'), a};
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const pageBg = () => {
    let bg = {r: 255, g: 255, b: 255, a: 1};
    const layers = [document.documentElement, document.body, document.querySelector('main'),
                    document.querySelector('article.bd-article')].filter(Boolean);
    for (const el of layers) { const c = parse(getComputedStyle(el).backgroundColor); if (c && c.a) bg = over(c, bg); }
    return bg;
  };
  const shapeFill = (g) => {
    const shape = g && g.querySelector(':scope > rect, :scope > polygon, :scope > path, :scope > circle, :scope > ellipse, :scope > g > rect, :scope > g > path');
    if (!shape) return null;
    const st = getComputedStyle(shape);
    const c = parse(st.fill);
    if (!c) return null;
    c.a *= Number(st.fillOpacity || 1) * Number(st.opacity || 1);
    return c;
  };
  const out = [];
  document.querySelectorAll('pre.mermaid svg').forEach((svg, d) => {
    let filtered = null;
    for (let el = svg; el; el = el.parentElement) {
      const f = getComputedStyle(el).filter;
      if (f && f !== 'none') { filtered = f; break; }
    }
    const items = [...svg.querySelectorAll('foreignObject span, foreignObject div, foreignObject p, text, tspan')]
      .filter(el => !el.querySelector('span, div, p, tspan') && el.textContent.trim());
    for (const el of items) {
      let bg = pageBg();
      const group = el.closest('g.node, g.edgeLabel, g.cluster, g.label');
      const node = el.closest('g.node') || el.closest('g.cluster');
      const fill = node ? shapeFill(node) : (el.closest('g.edgeLabel') ? shapeFill(el.closest('g.edgeLabel')) : null);
      if (fill) bg = over(fill, bg);
      const chain = [];
      for (let p = el; p && p !== svg && !(p instanceof SVGElement && p.tagName === 'g'); p = p.parentElement) chain.push(p);
      for (const p of chain.reverse()) { const c = parse(getComputedStyle(p).backgroundColor); if (c && c.a) bg = over(c, bg); }
      const st = getComputedStyle(el);
      let fg = parse(el instanceof SVGElement ? st.fill : st.color) || parse(st.color);
      fg = over(fg, bg);
      out.push({diagram: d + 1, text: el.textContent.trim().slice(0, 30), ratio: ratio(fg, bg), filtered,
                kind: group ? group.getAttribute('class').split(' ')[0] : 'other'});
    }
  });
  return out;
}"""

# Korean words broken across lines: the first and last letter of a Hangul word on different lines.
BREAKS_JS = r"""() => {
  const article = document.querySelector('article.bd-article');
  if (!article) return {broken: [], styles: []};
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {acceptNode: (t) => {
    const p = t.parentElement;
    if (!p || p.closest('pre, code, mjx-container, .mermaid, script, style, .figure-zoom-dialog')) return NodeFilter.FILTER_REJECT;
    return /[가-힣]{2}/.test(t.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
  }});
  const broken = [], styles = new Set(), range = document.createRange();
  const top = (node, i) => { range.setStart(node, i); range.setEnd(node, i + 1); const r = range.getClientRects(); return r.length ? r[0] : null; };
  while (walker.nextNode()) {
    const t = walker.currentNode, st = getComputedStyle(t.parentElement);
    if (t.parentElement.getClientRects().length === 0) continue;  // not shown (a closed menu)
    if (st.wordBreak !== 'keep-all') styles.add(`${t.parentElement.tagName.toLowerCase()}.${t.parentElement.className}: word-break ${st.wordBreak}`);
    for (const m of t.data.matchAll(/[가-힣]{2,}/g)) {
      const a = top(t, m.index), b = top(t, m.index + m[0].length - 1);
      if (a && b && b.top > a.top + a.height / 2) broken.push(m[0]);
    }
  }
  return {broken, styles: [...styles].slice(0, 5)};
}"""

# Multi-panel figures (scripts/sphinx_reader.py): how wide the whole figure and each of its phone
# panels are shown, how big the panels were drawn, and whether they load lazily.
PANELS_JS = """() => [...document.querySelectorAll('article.bd-article img.has-panels')].map(img => {
  const box = (img.closest('a.figure-zoom') || img).nextElementSibling;
  const panels = box && box.classList.contains('figure-panels') ? [...box.querySelectorAll('img.figure-panel')] : [];
  return {src: img.getAttribute('src'), shown: img.getBoundingClientRect().width, in_solution: !!img.closest('.solution'),
          panels: panels.map(p => ({w: p.getBoundingClientRect().width, natural: p.naturalWidth,
                                    lazy: p.loading, visible: p.getBoundingClientRect().width > 0}))};
})"""


NAMES_JS = """() => [...document.querySelectorAll('pre.mermaid svg')].map(svg => {
  const by = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
  return by || (svg.getAttribute('aria-label') || '').trim();
})"""


@dataclass
class Look:
    """What a reader sees of a page in one viewport and colour mode (test_reader.py)."""

    theme: str = ""
    width: int = 0
    viewport: int = 0
    contrast: list = field(default_factory=list)
    breaks: dict = field(default_factory=dict)
    names: list = field(default_factory=list)
    panels: list = field(default_factory=list)  # light only (PANELS_JS)
    panel_requests: list = field(default_factory=list)  # light desktop only: phone panels it fetched
    stale: int = 0  # dark-toggle: diagrams still as drawn before the reader chose dark (choose_dark marks them)


def shot_path(rel: str, view: str, what: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / (rel.removesuffix(".html").replace("/", "__") + f"--{view}-{what}.png")


def _context(browser, view: str, scheme: str):
    return browser.new_context(viewport=VIEWPORTS[view], color_scheme=scheme, locale="ko-KR",
                               device_scale_factor=2 if view == "phone" else 1,
                               is_mobile=view == "phone", has_touch=view == "phone")


def new_page(browser, view: str, scheme: str = "light"):
    """A fresh context (a first visit) in ``view`` ("phone" or "desktop") on a system in ``scheme``."""
    context = _context(browser, view, scheme)
    return context, context.new_page()


_WARM: dict = {}


def warm_page(browser, view: str, scheme: str = "light"):
    """A new tab in this worker's reused context for ``view`` and ``scheme`` (its cache warm, as for a reader
    moving between pages); the site's stored choices (localStorage) are cleared at every page load. Close the
    tab, not the context (the browser closes it). One tab at a time (asserted): of two open tabs one is in the
    background, where no frame is drawn, so neither requestAnimationFrame nor lazy images run; a page kept
    open needs new_page. (The first version left the context's first, blank tab open: lazy phone panels
    then failed to load in some suite runs, and a wait on a frame hung.)"""
    key = (id(browser), view, scheme)
    if key not in _WARM:
        _WARM[key] = _context(browser, view, scheme)
        _WARM[key].add_init_script("try { localStorage.clear(); } catch (e) {}")
    stale = _WARM[key].pages
    assert not stale, f"a tab of the reused {view}/{scheme} context is still open: {[p.url for p in stale]}"
    page = _WARM[key].new_page()
    page.bring_to_front()
    return page


def choose_dark(page) -> None:
    """Click the theme's colour-mode button until the reader has chosen dark. The diagrams drawn until then are
    marked: the page draws them again in the dark theme, and ``ready`` waits for the new ones."""
    page.evaluate("document.querySelectorAll('pre.mermaid svg').forEach(s => { s.dataset.beforeToggle = '1'; })")
    for _ in range(3):
        if page.evaluate("document.documentElement.dataset.mode") == "dark":
            return
        page.evaluate("document.querySelector('.theme-switch-button').click()")
    assert page.evaluate("document.documentElement.dataset.mode") == "dark", "the theme button never chose dark"


def _look(page, rel: str, view: str, mode: str) -> dict:
    look = Look(theme=page.evaluate("document.documentElement.dataset.theme"),
                width=page.evaluate("document.documentElement.scrollWidth"),
                viewport=VIEWPORTS[view]["width"], contrast=page.evaluate(CONTRAST_JS),
                breaks=page.evaluate(BREAKS_JS), names=page.evaluate(NAMES_JS),
                stale=page.evaluate("document.querySelectorAll('pre.mermaid svg[data-before-toggle]').length"))
    screenshot(page, shot_path(rel, view, mode))
    return asdict(look)


# --- The loads --------------------------------------------------------------------------------

def is_lecture(rel: str) -> bool:
    return rel.startswith("book/")


def _load_light(browser, base: str, rel: str, view: str) -> dict:
    """A page on a light system: the browser's record of it, its light look, then its dark-toggle look."""
    from axe_playwright_python.sync_playwright import Axe

    visit = Visit(url=base + rel)
    context, page = new_page(browser, view) if view == "desktop" else (None, warm_page(browser, view))
    looks = {}
    try:
        record = _Recorder(page, visit)
        page.goto(visit.url, wait_until="load")
        if redirect_target(rel):  # the root index.html only forwards to the first page (desktop only: _units)
            page.wait_for_url(base + redirect_target(rel), wait_until="load")
            page.wait_for_load_state("networkidle")
            visit.facts = {"redirect": page.url, **EMPTY_FACTS}
            # Leaving the page at once cancels what it had started (its icon): expected here only.
            visit.failed_requests = [f for f in visit.failed_requests if not f.endswith("net::ERR_ABORTED")]
            return {"visit": asdict(visit), "looks": {}}
        ready(page, settle=300 if is_lecture(rel) else 0)
        if view == "desktop":
            page.wait_for_load_state("networkidle")
            if rel == W5D1:
                visit.bytes_gzip = _gzip_size(record.responses)
        facts = page.evaluate(FACTS_JS)
        if view == "desktop":
            visit.facts = facts
            visit.missing_glyphs = _missing_glyphs(page, page.evaluate(MARK_TEXT_JS))
        else:
            visit.phone = page.evaluate(OVERFLOW_JS)
            visit.phone["rendered"] = {"mjx": facts["mjx"], "svg": sum(m["svg"] for m in facts["mermaid"])}
        if is_lecture(rel):
            looks["light"] = _look(page, rel, view, "light") | {"panels": page.evaluate(PANELS_JS)}
        else:
            screenshot(page, shot_path(rel, view, "light"))
        if view == "desktop":
            record.phase = "axe"
            visit.axe = Axe().run(page, options={"resultTypes": ["violations"]}).response.get("violations", [])
            record.phase = "toggle"
        if is_lecture(rel):
            choose_dark(page)
            ready(page)  # waits for the diagrams drawn again in the dark theme (choose_dark marks the old ones)
            looks["dark-toggle"] = _look(page, rel, view, "dark-toggle")
        if view == "desktop" and "light" in looks:
            looks["light"]["panel_requests"] = [u for u in visit.requests if "-panel" in u]
    finally:
        (context or page).close()
    return {"visit": asdict(visit), "looks": looks}


def _load_dark_os(browser, base: str, rel: str, view: str) -> dict:
    """A lecture page on a dark system, no choice made: its look, and the browser's record of the load."""
    visit = Visit(url=base + rel)
    page = warm_page(browser, view, "dark")
    try:
        _Recorder(page, visit)
        page.goto(visit.url, wait_until="load")
        ready(page, settle=300)
        return {"visit": asdict(visit), "looks": {"dark-os": _look(page, rel, view, "dark-os")}}
    finally:
        page.close()


def _units(site: Path) -> list[tuple[str, str, str]]:
    """The loads: every page on both viewports, a lecture page also on a dark system; a redirect-only page
    (the root index.html) on the desktop alone, where its redirect is followed. (Its phone load recorded
    nothing, and closing the tab while it was forwarding once hung a whole suite run: page.close never
    returned.)"""
    return [(rel, view, scheme) for rel in site_pages(site) for view in VIEWPORTS
            if view == "desktop" or not redirect_target(rel)
            for scheme in (("light", "dark") if is_lecture(rel) else ("light",))]


def page_loads(site: Path, server: str, browser) -> dict[tuple[str, str, str], dict]:
    """Every load of every page, ``(rel, view, scheme) → {"visit": Visit fields, "looks": {mode: Look fields}}``,
    computed once per test session by whichever workers ask (tests/shared_work.py)."""
    from shared_work import shared_units

    def load(unit):
        rel, view, scheme = unit
        out = (_load_light if scheme == "light" else _load_dark_os)(browser, server, rel, view)
        # The server's address differs between workers: keep requests to it as site paths ("/...").
        return json.loads(json.dumps(out).replace(json.dumps(server)[1:-1], "/"))

    return shared_units("page-loads", _units(site), load)


def visits(site: Path, server: str, browser) -> dict[str, Visit]:
    """Per page: the desktop load's record, with the problems and requests of its other loads."""
    loads = page_loads(site, server, browser)
    out = {}
    for rel in site_pages(site):
        visit = Visit(**loads[(rel, "desktop", "light")]["visit"])
        for (page, view, scheme), load in loads.items():
            if page != rel or (view, scheme) == ("desktop", "light"):
                continue
            other = Visit(**load["visit"])
            visit.absorb(other, view if scheme == "light" else f"{view} dark-os")
            if view == "phone" and scheme == "light":
                visit.phone = other.phone
        out[rel] = visit
    return out


def looks(site: Path, server: str, browser) -> dict[tuple[str, str, str], Look]:
    """``(rel, view, mode) → Look`` for every lecture page, both viewports and the three colour modes."""
    out = {}
    for (rel, view, _), load in page_loads(site, server, browser).items():
        out.update({(rel, view, mode): Look(**look) for mode, look in load["looks"].items()})
    return dict(sorted(out.items(), key=lambda kv: (kv[0][0], kv[0][1], MODES.index(kv[0][2]))))
