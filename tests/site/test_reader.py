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
host. The first term opens the search page; the others are typed into its field, answered in place
with the address (and Back) following. Glossary links must land on their term. Internal words (시드) must not reach a student page.

The pages are loaded once for both this module and test_browser.py (page_views.py): in light, then
dark chosen with the theme's button in that same load, and on a dark system. Screenshots (of the
viewport; ``SCREENSHOTS=full`` for whole pages) go to ``$SHOTS_DIR`` (default ``test-output/screenshots/``).
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

import page_views
from page_views import VIEWPORTS, W5D1, Look, ready, shot_path, warm_page
from site_server import PHONE, screenshot, site_pages

pytestmark = pytest.mark.browser

GLOSSARY = "book/concepts/glossary.html"
MIN_CONTRAST = 4.5
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
# In the browser: the page loads are shared with test_browser.py (page_views.py)

#: Parallel workers share the page looks (tests/shared_work.py) instead of each visiting every page.
XDIST_SHARED_FIXTURES = ("looks",)


@pytest.fixture(scope="module")
def looks(site, server, browser) -> dict[tuple[str, str, str], Look]:
    return page_views.looks(site, server, browser)


def _report(problems: list[str], what: str):
    if problems:
        raise AssertionError(f"{what}:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------------------------
# Phone, desktop, light, dark


def test_colour_mode_follows_the_system_until_the_reader_chooses(looks):
    problems = [f"{rel} [{view} {mode}]: theme {look.theme!r}, expected {'light' if mode == 'light' else 'dark'}"
                for (rel, view, mode), look in looks.items() if look.theme != ("light" if mode == "light" else "dark")]
    _report(problems, "colour mode")


def test_diagrams_are_drawn_again_when_the_reader_chooses_dark(looks):
    toggled = {key: look for key, look in looks.items() if key[2] == "dark-toggle"}
    assert toggled, "no page was looked at after choosing dark"
    problems = [f"{rel} [{view}]: {look.stale} diagram(s) still drawn in the light theme"
                for (rel, view, _), look in toggled.items() if look.stale]
    _report(problems, "diagrams not drawn again in the dark theme")


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
    page = warm_page(browser, view)
    try:
        page.goto(server + W5D1, wait_until="load")
        ready(page)
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
        page.screenshot(path=str(shot_path(W5D1, view, "figure-open")))
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
        page.close()


@pytest.mark.parametrize("page_rel", [W5D1, "book/weeks/week5/day2-neuron-models.html"])
def test_multi_panel_figures_stack_their_panels_on_a_phone(page_rel, looks):
    """At 390 px each multi-panel figure gives way to its panels, stacked, each shown at two
    thirds or more of the size it was drawn (text about 9 px or more); at 1280 px the whole
    figure shows and the panels are not even fetched (the light loads of page_views.py)."""
    # figures in a closed solution (collapsed until the reader opens it) are left out here
    figures = [f for f in looks[(page_rel, "phone", "light")].panels if not f["in_solution"]]
    assert len(figures) >= 3, f"{page_rel}: only {len(figures)} multi-panel figures carry panels"
    for fig in figures:
        assert fig["shown"] == 0, f"{fig['src']}: the whole figure still shows on the phone"
        assert len(fig["panels"]) >= 2 and all(p["visible"] and p["lazy"] == "lazy" for p in fig["panels"])
        for p in fig["panels"]:
            assert p["natural"] > 0 and p["w"] <= PHONE["width"], (fig["src"], p)
            assert p["w"] >= 0.65 * min(p["natural"], PHONE["width"] / 0.65), (fig["src"], p)
    desktop = looks[(page_rel, "desktop", "light")]
    figures = [f for f in desktop.panels if not f["in_solution"]]
    assert figures and all(f["shown"] > 600 and not any(p["visible"] for p in f["panels"]) for f in figures)
    assert not desktop.panel_requests, f"a wide screen fetched the phone panels: {desktop.panel_requests}"


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
    page = warm_page(browser, "phone")
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
        page.close()
    _report(problems, "glossary links")


# --------------------------------------------------------------------------------------------
# Search


#: The search page's own field (the header's search dialog has another).
PAGE_FIELD = "form.bd-search:has(+ #search-results) input[name=q]"


def search(page, server: str, query: str, *, typed: bool = False) -> list[dict]:
    """Results of the site's search page for ``query``: [{page (site-relative), snippet}]. The page is
    opened at search.html?q=..., or, ``typed``, the query is typed into the open search page's field
    (answered in place, site_assets/course-search.js)."""
    if typed:
        field = page.locator(PAGE_FIELD)
        field.fill(query)
        field.press("Enter")
    else:
        page.goto(f"{server}search.html?q={quote(query)}", wait_until="load")
    page.wait_for_function("""(q) => { const r = document.getElementById('search-results');
        return r && r.dataset.query === q && !r.hasAttribute('aria-busy'); }""", arg=query, timeout=20000)
    error = page.evaluate("document.getElementById('search-results').dataset.error")
    assert not error, f"search for {query!r}: the page could not read the index: {error}"
    results = page.evaluate("""() => [...document.querySelectorAll('#search-results ul.search > li')].map(li => ({
        href: li.querySelector('a').href, snippet: (li.querySelector('.context') || {}).textContent || ''}))""")
    return [{"page": urlsplit(r["href"]).path.removeprefix(urlsplit(server).path), "snippet": r["snippet"]}
            for r in results]


@pytest.fixture(scope="module")
def searched(site, server, browser):
    """Every glossary term asked of the search page: (usage, {term: results}, requests made, history).

    The first term opens search.html?q=...; the others are typed into the page's search field, as a
    reader searching again does. ``history``: the address after the last search, then the query and
    address shown after going Back once."""
    usage = term_usage(site)
    requests: list[str] = []
    page = warm_page(browser, "desktop")
    page.on("request", lambda r: requests.append(r.url))
    record: list[str] = []   # what the browser saw go wrong, for the message when a search fails
    page.on("console", lambda m: record.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("requestfailed", lambda r: record.append(f"request failed: {r.url} {r.failure}"))
    page.on("response", lambda r: record.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        try:
            results = {term: search(page, server, term, typed=i > 0) for i, term in enumerate(usage)}
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nthe browser's record of the search page: {record}") from exc
        screenshot(page, shot_path("search-results", "desktop", "light"))  # search.html is shot empty by page_views
        history = {"last": page.url}
        page.go_back()
        page.wait_for_function("document.getElementById('search-results').dataset.query !== undefined")
        history |= {"back": page.url,
                    "back_query": page.evaluate("document.getElementById('search-results').dataset.query"),
                    "back_field": page.locator(PAGE_FIELD).input_value()}
    finally:
        page.close()
    return usage, results, requests, history


def test_search_finds_every_page_using_a_term_in_any_form(searched):
    usage, results, _, _ = searched
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
    _, results, _, _ = searched
    problems = [f"{term!r}: first result {r[0]['page'] if r else None}" for term, r in results.items()
                if term not in COMMON_TERMS and (not r or r[0]["page"] != GLOSSARY)]
    _report(problems, "the defining page (the glossary) is not the first result")


def test_search_snippets_show_rendered_text_only(searched):
    _, results, _, _ = searched
    raw = re.compile(r"\\[(\[)]|\\[a-zA-Z]+\{|\$\$|-->|flowchart|subgraph|accTitle|classDef|"
                     r"표시하려면 클릭|Copy|복사|\bstyle\b")
    problems = [f"{term!r} → {r['page']}: {r['snippet'][:100]!r}" for term, rs in results.items() for r in rs
                if raw.search(r["snippet"])]
    assert any(r["snippet"] for rs in results.values() for r in rs), "no snippet at all"
    _report(problems, "result snippets with markup, diagram source or button text")


def test_search_stays_on_the_site(searched, server):
    _, _, requests, _ = searched
    external = sorted({u for u in requests if not u.startswith(server) and urlsplit(u).scheme in ("http", "https")})
    _report(external, "the search page asked another host")


def test_a_search_on_the_search_page_is_kept_in_the_address_and_history(searched, server):
    usage, _, _, history = searched
    *_, before, last = list(usage)
    assert parse_qs(urlsplit(history["last"]).query) == {"q": [last]}, history
    assert parse_qs(urlsplit(history["back"]).query) == {"q": [before]}, history
    assert history["back_query"] == history["back_field"] == before, history


def test_term_pattern_finds_inflected_forms_only_at_word_start():
    text = "막전위가 오르면 활동전위의 정점은 휴지 전위보다 높다. 전위차와 역전위"
    assert [m.group(0) for m in term_pattern("전위").finditer(text)] == ["전위보다", "전위차와"]
    assert [m.group(0) for m in term_pattern("휴지 전위").finditer(text)] == ["휴지 전위보다"]
    assert [m.group(0) for m in term_pattern("활동전위").finditer(text)] == ["활동전위의"]
