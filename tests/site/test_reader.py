"""The site as a student reads it: on a phone and a desktop, light and dark, searching in Korean.

Every page of the built site is opened in headless Chromium at 390 px (a phone) and 1280 px, in
three colour modes: the system's light preference, its dark preference (``prefers-color-scheme``,
no choice made on the site), and dark chosen with the theme's button on a light system. In each
the tests check, and print every problem at once:

* the page is not wider than the screen;
* every text of every diagram has a contrast of at least 4.5:1 against what is behind it
  (computed colours, alpha blended; no CSS filter may change them afterwards);
* Korean words are not broken across lines (computed ``word-break: keep-all`` on the text, and
  no Hangul word whose first and last letter sit on different lines);
* every diagram has an accessible name;

and, once per viewport, that a figure opens enlarged (click and keyboard). The search page
(``search.html?q=...``) is asked for every glossary term: it must list every page that uses the
term in any inflected form (뉴런 → 뉴런의, 뉴런은 ...), the glossary first, as links, with snippets
of rendered text only (no TeX, no diagram source, no button label), and without asking another
host. Glossary links must land on their term. Internal words (시드) must not reach a student page.

Screenshots (of the viewport; ``SCREENSHOTS=full`` for whole pages) go to ``$SHOTS_DIR`` (default
``test-output/reader/``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from site_server import DESKTOP, PHONE, ROOT, screenshot, site_pages

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR") or ROOT / "test-output" / "reader")
GLOSSARY = "book/concepts/glossary.html"
W5D1 = "book/weeks/week5/day1-hodgkin-huxley.html"
MIN_CONTRAST = 4.5
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
MODES = ("light", "dark-os", "dark-toggle")
HANGUL = "가-힣"
#: Common words of the course searched too (recall only: they have no glossary entry to rank first).
COMMON_TERMS = ("뉴런", "온도", "전압", "전류", "게이트", "스파이크", "채널", "발화율", "문턱", "위상 평면")
#: Words that belong to the authors' workflow, not on a student page.
INTERNAL_WORDS = ("시드",)



# --------------------------------------------------------------------------------------------
# What the pages say (the built HTML)


def _soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def reader_text(site: Path, rel: str, code: bool = False) -> str:
    """The text a reader sees in a page's article: no diagram source, TeX, buttons; code only if asked."""
    article = _soup(site, rel).select_one("article.bd-article")
    if article is None:
        return ""
    for el in article.select(("pre.mermaid" if code else "pre") + ", .math, script, style, button, .headerlink, form"):
        el.decompose()
    return re.sub(r"\s+", " ", article.get_text(" "))


def lecture_pages(site: Path) -> list[str]:
    return [rel for rel in site_pages(site) if rel.startswith("book/")]


def glossary_terms(site: Path) -> list[str]:
    terms = []
    for dt in _soup(site, GLOSSARY).select("dl.glossary > dt"):
        for a in dt.select("a.headerlink"):
            a.decompose()
        terms.append(re.sub(r"\s+", " ", dt.get_text()).strip())
    return terms


def term_pattern(term: str) -> re.Pattern:
    """The term at the start of a word, in any inflected form: 활동전위 matches 활동전위의, 활동전위가
    but not the inside of another word (전위 does not match 막전위)."""
    words = [re.escape(w) for w in term.split()]
    return re.compile(rf"(?<![{HANGUL}A-Za-z0-9])" + r"\s+".join(words) + rf"[{HANGUL}]*", re.I)


def term_usage(site: Path) -> dict[str, dict[str, set[str]]]:
    """term → page → the inflected forms of the term on that page (glossary and common terms)."""
    texts = {rel: reader_text(site, rel) for rel in lecture_pages(site)}
    usage: dict[str, dict[str, set[str]]] = {}
    for term in [*glossary_terms(site), *COMMON_TERMS]:
        pattern = term_pattern(term)
        usage[term] = {rel: {re.sub(r"\s+", " ", m.group(0)) for m in pattern.finditer(text)}
                       for rel, text in texts.items() if pattern.search(text)}
    return usage


# --------------------------------------------------------------------------------------------
# In the browser

READY_JS = """async () => {
  const deadline = Date.now() + 20000;
  while (document.querySelectorAll('pre.mermaid:not([data-processed="true"])').length && Date.now() < deadline)
    await new Promise(r => setTimeout(r, 100));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {  // lazy figures load when near
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 20));
  }
  window.scrollTo(0, 0);
  const loaded = Promise.all([...document.images].filter(i => i.getBoundingClientRect().width > 0)  // shown ones: a hidden lazy one never loads
    .map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  await Promise.race([loaded, new Promise(r => setTimeout(r, 15000))]);  // a missing image fails its own test, not a hang
  await document.fonts.ready;
  await new Promise(r => setTimeout(r, 300));   // a re-render after a theme change
}"""

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

NAMES_JS = """() => [...document.querySelectorAll('pre.mermaid svg')].map(svg => {
  const by = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
  return by || (svg.getAttribute('aria-label') || '').trim();
})"""


@dataclass
class Look:
    theme: str = ""
    width: int = 0
    viewport: int = 0
    contrast: list = field(default_factory=list)
    breaks: dict = field(default_factory=dict)
    names: list = field(default_factory=list)


def _shot(rel: str, view: str, mode: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / (rel.removesuffix(".html").replace("/", "__") + f"--{view}-{mode}.png")


def _new_page(browser, view: str, scheme: str):
    context = browser.new_context(viewport=VIEWPORTS[view], color_scheme=scheme, locale="ko-KR",
                                  device_scale_factor=2 if view == "phone" else 1,
                                  is_mobile=view == "phone", has_touch=view == "phone")
    return context, context.new_page()


def _choose_dark(page) -> None:
    """Click the theme's colour-mode button until the reader has chosen dark."""
    for _ in range(3):
        if page.evaluate("document.documentElement.dataset.mode") == "dark":
            return
        page.evaluate("document.querySelector('.theme-switch-button').click()")
    assert page.evaluate("document.documentElement.dataset.mode") == "dark", "the theme button never chose dark"


#: Parallel workers share the page looks (tests/shared_work.py) instead of each visiting every page.
XDIST_SHARED_FIXTURES = ("looks",)


def _look(browser, server, rel: str, view: str, mode: str) -> Look:
    context, page = _new_page(browser, view, "dark" if mode == "dark-os" else "light")
    try:
        page.goto(server + rel, wait_until="load")
        page.evaluate(READY_JS)
        if mode == "dark-toggle":
            _choose_dark(page)
            page.evaluate(READY_JS)
        look = Look(theme=page.evaluate("document.documentElement.dataset.theme"),
                    width=page.evaluate("document.documentElement.scrollWidth"),
                    viewport=VIEWPORTS[view]["width"])
        look.contrast = page.evaluate(CONTRAST_JS)
        look.breaks = page.evaluate(BREAKS_JS)
        look.names = page.evaluate(NAMES_JS)
        screenshot(page, _shot(rel, view, mode))
        return look
    finally:
        context.close()


@pytest.fixture(scope="module")
def looks(site, server, browser) -> dict[tuple[str, str, str], Look]:
    from dataclasses import asdict

    from shared_work import shared_units

    units = [(rel, view, mode) for rel in lecture_pages(site) for view in VIEWPORTS for mode in MODES]
    return shared_units("reader-looks", units, lambda unit: _look(browser, server, *unit),
                        encode=asdict, decode=lambda d: Look(**d))


def _report(problems: list[str], what: str):
    if problems:
        raise AssertionError(f"{what}:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------------------------
# Phone, desktop, light, dark


def test_colour_mode_follows_the_system_until_the_reader_chooses(looks):
    problems = [f"{rel} [{view} {mode}]: theme {look.theme!r}, expected {'light' if mode == 'light' else 'dark'}"
                for (rel, view, mode), look in looks.items() if look.theme != ("light" if mode == "light" else "dark")]
    _report(problems, "colour mode")


def test_no_page_is_wider_than_the_screen(looks):
    problems = [f"{rel} [{view} {mode}]: {look.width} px wide on a {look.viewport} px screen"
                for (rel, view, mode), look in looks.items() if look.width > look.viewport + 1]
    _report(problems, "horizontal overflow")


def test_every_diagram_text_has_enough_contrast(looks):
    problems, checked = [], 0
    for (rel, view, mode), look in looks.items():
        for t in look.contrast:
            checked += 1
            if t["filtered"]:
                problems.append(f"{rel} [{view} {mode}] diagram {t['diagram']}: a CSS filter ({t['filtered']}) "
                                "changes the drawn colours")
            elif t["ratio"] < MIN_CONTRAST:
                problems.append(f"{rel} [{view} {mode}] diagram {t['diagram']} {t['kind']} {t['text']!r}: "
                                f"{t['ratio']:.2f}:1")
    assert checked, "no diagram text found on any page"
    _report(sorted(set(problems)), f"diagram texts under {MIN_CONTRAST}:1")


def test_korean_words_are_not_broken_across_lines(looks):
    problems = []
    for (rel, view, mode), look in looks.items():
        if mode != "light":
            continue
        problems += [f"{rel} [{view}]: {s}" for s in look.breaks["styles"]]
        problems += [f"{rel} [{view}]: broken word {w!r}" for w in look.breaks["broken"]]
    _report(problems, "Korean words broken mid-word")


def test_every_diagram_has_an_accessible_name(looks):
    problems = []
    for (rel, view, mode), look in looks.items():
        problems += [f"{rel} [{view} {mode}]: diagram {i} has no accessible name"
                     for i, name in enumerate(look.names, 1) if not name]
    _report(sorted(set(problems)), "diagrams without a name")


@pytest.mark.parametrize("view", list(VIEWPORTS))
def test_a_figure_opens_enlarged(view, site, server, browser):
    context, page = _new_page(browser, view, "light")
    try:
        page.goto(server + W5D1, wait_until="load")
        page.evaluate(READY_JS)
        links = page.locator("article.bd-article a.figure-zoom:visible")
        assert links.count() >= 5, f"{W5D1}: only {links.count()} figures can be opened"
        first = links.first
        first.scroll_into_view_if_needed()
        shown = first.locator("img").bounding_box()["width"]
        natural = first.locator("img").evaluate("i => i.naturalWidth")
        first.click()
        dialog = page.locator("dialog.figure-zoom-dialog[open]")
        dialog.wait_for(state="visible", timeout=5000)
        big = dialog.locator(".figure-zoom-view img").bounding_box()["width"]
        page.screenshot(path=str(_shot(W5D1, view, "figure-open")))
        assert big >= natural - 1 > shown, f"opened at {big:.0f} px (shown {shown:.0f}, natural {natural})"
        if view == "phone":
            scroll = dialog.locator(".figure-zoom-view").evaluate("v => v.scrollWidth > v.clientWidth")
            assert scroll, "on the phone the enlarged figure must scroll sideways"
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden", timeout=5000)
        # keyboard: focus the second figure's link and press Enter
        links.nth(1).focus()
        page.keyboard.press("Enter")
        page.locator("dialog.figure-zoom-dialog[open]").wait_for(state="visible", timeout=5000)
    finally:
        context.close()


PANELS_JS = """() => [...document.querySelectorAll('article.bd-article img.has-panels')].map(img => {
  const box = (img.closest('a.figure-zoom') || img).nextElementSibling;
  const panels = box && box.classList.contains('figure-panels') ? [...box.querySelectorAll('img.figure-panel')] : [];
  return {src: img.getAttribute('src'), shown: img.getBoundingClientRect().width, in_solution: !!img.closest('.solution'),
          panels: panels.map(p => ({w: p.getBoundingClientRect().width, natural: p.naturalWidth,
                                    lazy: p.loading, visible: p.getBoundingClientRect().width > 0}))};
})"""


@pytest.mark.parametrize("page_rel", [W5D1, "book/weeks/week5/day2-neuron-models.html"])
def test_multi_panel_figures_stack_their_panels_on_a_phone(page_rel, server, browser):
    """At 390 px each multi-panel figure gives way to its panels, stacked, each shown at two
    thirds or more of the size it was drawn (text about 9 px or more); at 1280 px the whole
    figure shows and the panels are not even fetched."""
    context, page = _new_page(browser, "phone", "light")
    try:
        page.goto(server + page_rel, wait_until="load")
        page.evaluate(READY_JS)
        page.evaluate("async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
                      " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 20)); } }")
        page.wait_for_load_state("networkidle")
        # figures in a closed solution (collapsed until the reader opens it) are left out here
        figures = [f for f in page.evaluate(PANELS_JS) if not f["in_solution"]]
        assert len(figures) >= 3, f"{page_rel}: only {len(figures)} multi-panel figures carry panels"
        for fig in figures:
            assert fig["shown"] == 0, f"{fig['src']}: the whole figure still shows on the phone"
            assert len(fig["panels"]) >= 2 and all(p["visible"] and p["lazy"] == "lazy" for p in fig["panels"])
            for p in fig["panels"]:
                assert p["natural"] > 0 and p["w"] <= PHONE["width"], (fig["src"], p)
                assert p["w"] >= 0.65 * min(p["natural"], PHONE["width"] / 0.65), (fig["src"], p)
    finally:
        context.close()
    context, page = _new_page(browser, "desktop", "light")
    fetched = []
    try:
        page.on("request", lambda r: fetched.append(r.url))
        page.goto(server + page_rel, wait_until="networkidle")
        figures = [f for f in page.evaluate(PANELS_JS) if not f["in_solution"]]
        assert figures and all(f["shown"] > 600 and not any(p["visible"] for p in f["panels"]) for f in figures)
        assert not [u for u in fetched if "-panel" in u], "a wide screen fetched the phone panels"
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# Clean student pages


def test_no_internal_words_on_student_pages(site):
    problems = [f"{rel}: {word!r} in {m.group(0)!r}" for rel in lecture_pages(site)
                for word in INTERNAL_WORDS for m in re.finditer(rf".{{0,20}}{word}.{{0,20}}", reader_text(site, rel, code=True))]
    _report(problems, "internal words on student pages")


def test_bibliography_shows_no_raw_tex(site):
    problems = [f"{rel}: {m.group(0)!r}" for rel in lecture_pages(site)
                for m in re.finditer(r".{0,30}\\(textit|emph|it|em)\b.{0,30}", reader_text(site, rel))]
    _report(problems, "raw TeX in the text")


def test_figures_on_a_page_have_distinct_alt_texts(site):
    problems = []
    for rel in lecture_pages(site):
        alts = [img.get("alt", "") for img in _soup(site, rel).select("article.bd-article img")]
        problems += [f"{rel}: {alts.count(a)} figures share the alt text {a[:60]!r}"
                     for a in sorted(set(alts)) if a and alts.count(a) > 1]
    _report(problems, "figures with the same alt text")


def test_glossary_links_land_on_their_term(site, server, browser):
    targets = {dt.get("id"): re.sub(r"\s+|¶", " ", dt.get_text()).strip()
               for dt in _soup(site, GLOSSARY).select("dl.glossary > dt")}
    problems, links = [], []
    for rel in lecture_pages(site):
        for a in _soup(site, rel).select("a[href]"):
            url = urlsplit(a["href"])
            if not url.path.endswith("glossary.html") or not url.fragment:
                continue
            anchor = unquote(url.fragment)
            links.append((rel, a["href"], anchor))
            if anchor not in targets:
                problems.append(f"{rel}: link {a.get_text()!r} → #{anchor}: no such term")
    assert len(links) >= 5, f"only {len(links)} links to glossary terms"
    # In the browser: the term is the target, shown at the top of the screen.
    context, page = _new_page(browser, "phone", "light")
    try:
        for rel, href, anchor in links[:8]:
            page.goto(server + rel, wait_until="load")
            page.locator(f'a[href="{href}"]').first.click()
            page.wait_for_load_state("load")
            at = page.evaluate("""() => { const t = document.querySelector(':target');
                return t ? {tag: t.tagName, id: t.id, top: t.getBoundingClientRect().top} : null; }""")
            if not at or at["tag"] != "DT" or at["id"] != anchor or not (-5 <= at["top"] < 300):
                problems.append(f"{rel}: {href} landed on {at}")
    finally:
        context.close()
    _report(problems, "glossary links")


# --------------------------------------------------------------------------------------------
# Search


def search(page, server: str, query: str) -> list[dict]:
    """Results of the site's search page for ``query``: [{page (site-relative), snippet}]."""
    page.goto(f"{server}search.html?q={quote(query)}", wait_until="load")
    page.wait_for_function("""() => { const r = document.getElementById('search-results');
        return r && !r.hasAttribute('aria-busy') && r.querySelector('.search-summary') &&
               !/검색 중/.test(r.querySelector('.search-summary').textContent); }""", timeout=20000)
    results = page.evaluate("""() => [...document.querySelectorAll('#search-results ul.search > li')].map(li => ({
        href: li.querySelector('a').href, snippet: (li.querySelector('.context') || {}).textContent || ''}))""")
    return [{"page": urlsplit(r["href"]).path.removeprefix(urlsplit(server).path), "snippet": r["snippet"]}
            for r in results]


@pytest.fixture(scope="module")
def searched(site, server, browser):
    """Every glossary term asked of the search page: (usage, {term: results}, requests made)."""
    usage = term_usage(site)
    requests: list[str] = []
    context, page = _new_page(browser, "desktop", "light")
    page.on("request", lambda r: requests.append(r.url))
    try:
        results = {term: search(page, server, term) for term in usage}
        screenshot(page, _shot("search", "desktop", "light"))
    finally:
        context.close()
    return usage, results, requests


def test_search_finds_every_page_using_a_term_in_any_form(searched):
    usage, results, _ = searched
    wanted = found = 0
    problems = []
    for term, pages in usage.items():
        hits = {r["page"] for r in results[term]}
        wanted += len(pages)
        found += len(set(pages) & hits)
        problems += [f"{term!r}: misses {rel} (uses {sorted(forms)})" for rel, forms in pages.items() if rel not in hits]
    print(f"search recall over {len(usage)} terms (glossary and common): {found}/{wanted} pages = {found / max(wanted, 1):.0%}")
    assert len(usage) >= 30, f"only {len(usage)} glossary terms"
    _report(problems, "pages the search does not find")


def test_search_ranks_the_glossary_first_for_its_terms(searched):
    _, results, _ = searched
    problems = [f"{term!r}: first result {r[0]['page'] if r else None}" for term, r in results.items()
                if term not in COMMON_TERMS and (not r or r[0]["page"] != GLOSSARY)]
    _report(problems, "the defining page (the glossary) is not the first result")


def test_search_snippets_show_rendered_text_only(searched):
    _, results, _ = searched
    raw = re.compile(r"\\[(\[)]|\\[a-zA-Z]+\{|\$\$|-->|flowchart|subgraph|accTitle|classDef|"
                     r"표시하려면 클릭|Copy|복사|\bstyle\b")
    problems = [f"{term!r} → {r['page']}: {r['snippet'][:100]!r}" for term, rs in results.items() for r in rs
                if raw.search(r["snippet"])]
    assert any(r["snippet"] for rs in results.values() for r in rs), "no snippet at all"
    _report(problems, "result snippets with markup, diagram source or button text")


def test_search_stays_on_the_site(searched, server):
    _, _, requests = searched
    external = sorted({u for u in requests if not u.startswith(server) and urlsplit(u).scheme in ("http", "https")})
    _report(external, "the search page asked another host")


def test_term_pattern_finds_inflected_forms_only_at_word_start():
    text = "막전위가 오르면 활동전위의 정점은 휴지 전위보다 높다. 전위차와 역전위"
    assert [m.group(0) for m in term_pattern("전위").finditer(text)] == ["전위보다", "전위차와"]
    assert [m.group(0) for m in term_pattern("휴지 전위").finditer(text)] == ["휴지 전위보다"]
    assert [m.group(0) for m in term_pattern("활동전위").finditer(text)] == ["활동전위의"]
