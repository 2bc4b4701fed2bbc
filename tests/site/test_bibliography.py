"""References on the built site (sphinxcontrib-bibtex): each page's bibliography lists the entries it
cites, with DOI links, and every citation resolves to an entry on the same page.

Reuses the session's strict build (fixture ``built_book`` from ``book_build.py``) and reads
``_build/html``. Run only these: ``python -m pytest tests/site/test_bibliography.py``.
"""

from __future__ import annotations

import re

import pytest

from book_build import HTML, main_content, normalize, soup

pytestmark = pytest.mark.book

WEEK5 = HTML / "book" / "weeks" / "week5"
PAGES = {
    "w5d1": WEEK5 / "day1-hodgkin-huxley.html",
    "w5d2": WEEK5 / "day2-neuron-models.html",
    "glossary": HTML / "book" / "concepts" / "glossary.html",
}
HH1952_DOI = "https://doi.org/10.1113/jphysiol.1952.sp004764"


@pytest.fixture(scope="module")
def pages(built_book):  # noqa: F811
    missing = [name for name, path in PAGES.items() if not path.is_file()]
    assert not missing, f"not built: {missing}\n{built_book.log[-5000:]}"
    return {name: main_content(soup(path)) for name, path in PAGES.items()}


def _entries(page) -> list:
    # scripts/sphinx_bibliography.py gives each entry role="listitem" (docutils writes doc-biblioentry).
    entries = page.select("div.citation-list > div.citation")
    assert all(e.get("role") == "listitem" for e in entries), [e.get("role") for e in entries]
    return entries


def test_w5d1_bibliography_lists_hh1952_with_its_doi_link(pages):
    hh = [e for e in _entries(pages["w5d1"]) if "A quantitative description of membrane current" in e.get_text()]
    assert len(hh) == 1, [normalize(e.get_text()) for e in _entries(pages["w5d1"])]
    text = normalize(hh[0].get_text())
    assert "Hodgkin" in text and "Huxley" in text and "117" in text and "500–544" in text and "1952" in text
    assert HH1952_DOI in [a.get("href") for a in hh[0].find_all("a")]


@pytest.mark.parametrize("name", list(PAGES))
def test_every_citation_resolves_to_an_entry_on_its_page(pages, name):
    page = pages[name]
    text = page.get_text()
    assert "??" not in text and "{cite" not in text
    # One link per key of each {cite} role written in the page source (counted there, not in the HTML).
    source = (HTML.parents[1] / "book" / PAGES[name].relative_to(HTML / "book").with_suffix(".md")).read_text(encoding="utf-8")
    keys = [k for roles in re.findall(r"\{cite(?::[pt])?\}`([^`]*)`", source) for k in roles.split(",")]
    assert keys, f"{name} cites nothing"
    links = [a for cite in page.select("span.bibtex-citation") for a in cite.find_all("a")]
    assert len(links) == len(keys), [normalize(c.get_text()) for c in page.select("span.bibtex-citation")]
    ids = {e.get("id") for e in _entries(page)}
    for a in links:
        assert a.get("href", "").lstrip("#") in ids, f"{name}: {normalize(a.get_text())} → {a.get('href')}"
    assert {a.get("href").lstrip("#") for a in links} == ids   # every listed entry is cited


def test_each_page_lists_only_what_it_cites(pages):
    w5d2 = " ".join(normalize(e.get_text()) for e in _entries(pages["w5d2"]))
    assert "FitzHugh" in w5d2 and "Nagumo" in w5d2 and "Tetrodotoxin" not in w5d2
    glossary = [normalize(e.get_text()) for e in _entries(pages["glossary"])]
    assert len(glossary) == 1 and "repetitive action in a non-medullated axon" in glossary[0]
    assert len(_entries(pages["w5d1"])) == 11   # the 11 sources of the page's former reference list
