"""Internal links of the built site: every relative href/src resolves, anchors included.

Crawls every HTML page of the built site (``$SITE_DIR`` or ``_build/html``; see
``site_server.py``) offline. External links are checked by ``make linkcheck``, not here, but the
page *resources* (scripts, stylesheets, images, frames) must all be local: a reader's browser
should ask no other host for anything.
"""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_server import resolve_site, site_pages

# Attributes holding a URL, by tag. (srcset is handled separately.)
URL_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "object": ("data",),
    "form": ("action",),
}
# Tags (and <link rel>) whose URL the browser fetches on its own: these must be local.
FETCHED_TAGS = {"script", "img", "source", "iframe", "embed", "video", "audio", "object"}
FETCHED_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "apple-touch-icon", "manifest"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.duplicate_ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.fetched: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag in {"a", "map"} else ("id",):
            if a.get(key):
                if key == "id" and a[key] in self.ids:
                    self.duplicate_ids.add(a[key])
                self.ids.add(a[key])
        for attr in URL_ATTRS.get(tag, ()):
            url = a.get(attr)
            if url is None:
                continue
            self.urls.append((tag, attr, url))
            rels = set((a.get("rel") or "").lower().split())
            if tag in FETCHED_TAGS or (tag == "link" and rels & FETCHED_LINK_RELS):
                self.fetched.append(url)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\";]+)", a.get("content") or "", flags=re.I)
            if match:  # the root index.html redirects to the first page
                self.urls.append((tag, "content", match.group(1).strip()))
        if a.get("srcset"):
            for part in a["srcset"].split(","):
                url = part.strip().split(" ")[0]
                if url:
                    self.urls.append((tag, "srcset", url))
                    self.fetched.append(url)

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(request) -> Path:
    return resolve_site(request)


@pytest.fixture(scope="module")
def parsed(site):
    return {rel: _parse(site / rel) for rel in site_pages(site)}


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def test_site_has_the_course_pages(site, parsed):
    pages = set(parsed)
    assert "index.html" in pages
    assert any(p.startswith("book/weeks/") for p in pages), sorted(pages)


@pytest.mark.every_page
def test_no_broken_internal_links(site, parsed):
    """Every relative href/src names an existing file, and every #fragment an existing id there."""
    broken = []
    for rel, page in parsed.items():
        for tag, attr, url in page.urls:
            if _is_external(url) or url.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            parts = urlsplit(url)
            path, fragment = unquote(parts.path), unquote(parts.fragment)
            if path:
                target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
                if target_rel.startswith("../"):
                    broken.append(f"{rel}: <{tag} {attr}={url!r}> leaves the site")
                    continue
                target = site / target_rel
                if target.is_dir():
                    target, target_rel = target / "index.html", posixpath.join(target_rel, "index.html")
                if not target.is_file():
                    broken.append(f"{rel}: <{tag} {attr}={url!r}> -> missing {target_rel}")
                    continue
            else:
                target_rel = rel
            if fragment and target_rel.endswith(".html"):
                ids = parsed[target_rel].ids if target_rel in parsed else _parse(site / target_rel).ids
                if fragment not in ids:
                    broken.append(f"{rel}: <{tag} {attr}={url!r}> -> no id {fragment!r} in {target_rel}")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(sorted(set(broken)))


@pytest.mark.every_page
def test_ids_are_unique(parsed):
    """An id names one element per page (a repeated id makes links to the others unreachable)."""
    dups = sorted(f"{rel}: {', '.join(sorted(page.duplicate_ids))}" for rel, page in parsed.items() if page.duplicate_ids)
    assert not dups, "ids used more than once:\n" + "\n".join(dups)


@pytest.mark.every_page
def test_page_resources_are_local(parsed):
    """No page makes the browser fetch a script, stylesheet, image or frame from another host."""
    external = sorted({f"{rel}: {url}" for rel, page in parsed.items() for url in page.fetched if _is_external(url)})
    assert not external, "resources loaded from other hosts:\n" + "\n".join(external)


@pytest.mark.every_page
def test_stylesheet_urls_resolve(site, parsed):
    """url(...) references in the site's own CSS files point at files that exist (fonts, icons)."""
    css_files = {
        posixpath.normpath(posixpath.join(posixpath.dirname(rel), urlsplit(url).path))
        for rel, page in parsed.items()
        for tag, attr, url in page.urls
        if tag == "link" and url.split("?")[0].endswith(".css") and not _is_external(url)
    }
    missing = []
    for css_rel in sorted(css_files):
        text = (site / css_rel).read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text):
            if _is_external(url) or url.startswith(("data:", "#")):
                if _is_external(url):
                    missing.append(f"{css_rel}: external url({url})")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(css_rel), unquote(urlsplit(url).path)))
            if not (site / target).is_file():
                missing.append(f"{css_rel}: url({url}) -> missing {target}")
    assert not missing, "\n".join(missing)
