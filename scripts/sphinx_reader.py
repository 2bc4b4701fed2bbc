"""Sphinx extension of the course site: what a reader on a phone, in dark mode, searching in Korean needs.

Listed in ``_config.yml`` under ``sphinx: local_extensions`` (``sphinx_reader: scripts/``).

* Glossary terms get readable anchors (``glossary.html#term-활동전위``; Sphinx would number every
  Korean term ``term-0``, ``term-1`` ...), so a ``{term}`` link lands on its term and the notebook
  generator links to the same anchor (``term_anchor`` in scripts/nbgen/paths.py).
* Every mermaid diagram gets an accessible name: mermaid's own ``accTitle`` (an SVG ``<title>``
  the SVG is labelled by), from the directive's ``:alt:`` or, failing that, from its labels.
* Search: after the HTML is written, Pagefind (``pagefind[extended]``, pinned in requirements.txt)
  indexes the rendered text of the pages (no diagram source, TeX or button labels:
  :data:`NOT_INDEXED`); glossary terms weigh most, so the page that defines a term comes first.
  ``search.html?q=...`` (the theme's search field) shows Pagefind's results
  (site_templates/search.html, site_assets/course-search.js); Sphinx's own index is not loaded.
* Figures on a phone: the kernels that execute the pages run with ``HH_LIB_PHONE_PANELS`` set, so
  every multi-panel figure carries its panels as PNGs of their own (hh_lib/plotting/panels.py);
  :func:`add_phone_panels` writes them next to the figure and adds them after it, and course.css shows
  them stacked on a narrow screen (loaded lazily: a wide screen never fetches them) instead of the
  whole figure, whose text would be 3-4 px high there.
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbgen.paths import term_anchor  # noqa: E402  (one definition, shared with the notebooks)

#: hh_lib.plotting.panels.ENV_FLAG and PNG_KEY (repeated here: the build must not import hh_lib).
PANELS_FLAG, PANELS_KEY = "HH_LIB_PHONE_PANELS", "course-panels"

logger = logging.getLogger(__name__)

#: Pages Pagefind indexes (site-relative glob) and the part of each page it reads.
INDEXED_PAGES = "book/**/*.html"
INDEX_ROOT = "article.bd-article"
#: Not indexed (so never in a result snippet): diagram sources, TeX (before MathJax typesets it),
#: buttons and their labels, heading permalinks ("¶"), the labs' controls.
NOT_INDEXED = ["pre.mermaid", ".mermaid-container", ".math", "mjx-container", "script", "style", "noscript",
               "button", ".headerlink", ".toggle-button", ".copybtn", "form", "input", "label", "select"]
SEARCH_PLACEHOLDER = "이 책에서 검색…"
#: Weight of a glossary term in the index (Pagefind's maximum; an h1 weighs 7).
TERM_WEIGHT = 10


def readable_term_ids(app: Sphinx, doctree: nodes.document) -> None:
    """Rename each glossary term's id from Sphinx's ``term-N`` to :func:`term_anchor`, everywhere
    Sphinx recorded it (the node, the document's ids, the std domain's term table, the index entry)."""
    std = app.env.get_domain("std")
    renamed = {}
    for glossary in doctree.findall(addnodes.glossary):
        for term in glossary.findall(nodes.term):
            text, old = term.astext(), term["ids"][0] if term["ids"] else None
            new = term_anchor(text)
            if old is None or old == new:
                continue
            if new in doctree.ids:
                raise ExtensionError(f"{app.env.docname}: glossary term {text!r}: anchor {new!r} is taken")
            term["ids"] = [new]
            doctree.ids.pop(old, None)
            doctree.ids[new] = term
            std.objects.pop(("term", text), None)
            std._note_term(text, new, location=term)
            renamed[old] = new
            for index in term.findall(addnodes.index):
                index["entries"] = [(kind, value, new if tid == old else tid, main, key)
                                    for kind, value, tid, main, key in index["entries"]]
    # The index domain may have read the entries already (genindex.html links to them).
    entries = app.env.get_domain("index").entries.get(app.env.docname, [])
    entries[:] = [(kind, value, renamed.get(tid, tid), main, key) for kind, value, tid, main, key in entries]


def korean_search_field(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The search field's placeholder in Korean (Jupyter Book 1 sets an English one)."""
    context["theme_search_bar_text"] = SEARCH_PLACEHOLDER


def weigh_glossary_terms(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Pagefind weight on each glossary term (``<dt id="term-...">``), in the page's HTML body."""
    body = context.get("body")
    if isinstance(body, str) and '<dt id="term-' in body:
        context["body"] = body.replace('<dt id="term-', f'<dt data-pagefind-weight="{TERM_WEIGHT}" id="term-')


_LABEL = re.compile(r'\["?(.*?)"?\]|\("?(.*?)"?\)|\{"?(.*?)"?\}')


def diagram_title(code: str) -> str:
    """A short accessible name for a diagram without ``:alt:``: "다이어그램: " and its first labels."""
    labels = []
    for line in code.splitlines()[1:]:
        for match in _LABEL.finditer(line.split("%%")[0]):
            text = re.sub(r"<br\s*/?>", " ", next((g for g in match.groups() if g), ""))
            text = re.sub(r"\s+", " ", text).strip()
            if text and text not in labels:
                labels.append(text)
    shown = labels[:6] + (["…"] if len(labels) > 6 else [])
    return "다이어그램: " + ", ".join(shown) if shown else "다이어그램"


def name_diagrams(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add ``accTitle: ...`` after the diagram type line of each mermaid diagram that has none."""
    for node in doctree.traverse(lambda n: n.__class__.__name__ == "mermaid"):
        code = node.get("code", "")
        if not code.strip() or re.search(r"^\s*accTitle\s*:", code, re.M):
            continue
        title = re.sub(r"[\r\n]+", " ", node.get("alt") or diagram_title(code)).strip()
        first, _, rest = code.strip("\n").partition("\n")
        node["code"] = f"{first}\n    accTitle: {title}\n{rest}"


def figure_panels(path: Path) -> list[bytes]:
    """The panels a figure's PNG carries (hh_lib.plotting.panels), or an empty list."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            raw = getattr(im, "text", {}).get(PANELS_KEY)
    except (OSError, SyntaxError):
        return []
    return [base64.b64decode(p) for p in json.loads(raw)] if raw else []


def add_phone_panels(app: Sphinx, doctree: nodes.document) -> None:
    """After each multi-panel figure, its panels as images of their own (class ``figure-panel``,
    loaded lazily), each with the figure's alt text and its place (``1/3번째 패널: ...``).

    Runs on ``doctree-read`` after Sphinx's image collector, so it registers the new images the
    way the collector does (their candidates, the environment's image list, the dependencies)."""
    env, srcdir = app.env, Path(app.srcdir)
    for img in list(doctree.findall(nodes.image)):
        uri = img.get("uri", "")
        if not uri.endswith(".png") or "://" in uri:
            continue
        path = srcdir / uri.lstrip("/")  # myst-nb's output images: source-relative
        panels = figure_panels(path) if path.is_file() else []
        if not panels:
            continue
        box = nodes.container(classes=["figure-panels"])
        for k, data in enumerate(panels, 1):
            target = path.with_name(f"{path.stem}-panel{k}.png")
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)
            rel = target.relative_to(srcdir).as_posix()
            env.images.add_file(env.docname, rel)
            env.note_dependency(rel)
            alt = f"{k}/{len(panels)}번째 패널: {img.get('alt', '그림')}"
            box += nodes.image(uri=rel, candidates={"*": rel}, alt=alt, classes=["figure-panel"], loading="lazy")
        img["classes"] = [*img.get("classes", []), "has-panels"]
        img.parent.insert(img.parent.index(img) + 1, box)


async def _pagefind(site: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(root_selector=INDEX_ROOT, exclude_selectors=NOT_INDEXED, force_language="ko",
                         output_path=str(site / "pagefind"))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(site), glob=INDEXED_PAGES)


def build_search_index(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    try:
        asyncio.run(_pagefind(Path(app.outdir)))
    except ImportError as exc:
        raise ExtensionError("the search index needs Pagefind: pip install -r requirements.txt") from exc
    found = sorted((Path(app.outdir) / "pagefind").glob("pagefind.js"))
    if not found:
        raise ExtensionError("Pagefind wrote no pagefind/pagefind.js")
    logger.info("search index: Pagefind wrote %s", found[0].parent.relative_to(app.outdir))


def setup(app: Sphinx) -> dict:
    os.environ[PANELS_FLAG] = "1"  # for the kernels that execute the pages (they inherit it)
    app.connect("doctree-read", add_phone_panels, priority=600)  # after the image collector (500)
    app.connect("doctree-read", readable_term_ids)
    app.connect("doctree-resolved", name_diagrams)
    app.connect("html-page-context", weigh_glossary_terms)
    app.connect("html-page-context", korean_search_field)
    app.connect("build-finished", build_search_index)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
