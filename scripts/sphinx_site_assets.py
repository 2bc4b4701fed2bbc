"""Sphinx extension of the course site: self-hosted browser libraries, loaded only where needed.

Listed in ``_config.yml`` under ``sphinx: local_extensions`` (``sphinx_site_assets: scripts/``).

* On ``config-inited`` (before Sphinx checks ``html_static_path``) it runs ``scripts/vendor_assets.py`` so ``site_assets/npm/`` holds the
  pinned mermaid and MathJax files (a no-op when they are already there and intact; a mismatch
  with the pinned checksums stops the build).
* On every HTML page it drops scripts the page cannot use (see ``trim_page_scripts``).
* It points the theme's Colab launch button at the page's own notebook (see ``colab_launch_button``).
* It writes the site's root ``index.html`` as a complete page (see ``write_root_redirect``).
* It gives sphinx-exercise's exercise and solution bodies unique ids (see ``unique_exercise_ids``).
* It empties the executed-notebook cache when ``hh_lib`` changed (see ``forget_stale_executions``):
  jupyter-cache keys a page on its code alone, so a page whose code is unchanged would otherwise
  keep figures and glued numbers computed by an older library.
"""
from __future__ import annotations

import hashlib
import html
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vendor_assets  # noqa: E402

logger = logging.getLogger(__name__)


def ensure_vendored(app: Sphinx, config=None) -> None:
    try:
        vendor_assets.vendor(log=logger.info)
    except (vendor_assets.VendorError, OSError) as exc:
        raise ExtensionError(f"could not vendor the site's browser libraries: {exc}") from exc


def _body(script) -> str:
    return str(getattr(script, "attributes", {}).get("body", "") or "")


def _filename(asset) -> str:
    """The file name of a page asset (Sphinx 7.4's _JavaScript/_CascadingStyleSheet, or a str)."""
    return str(getattr(asset, "filename", asset) or "")


def trim_page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Remove scripts a page does not use, from this page only.

    * sphinxcontrib-mermaid adds its module (which imports mermaid) to every page *without* a
      doctree too (``search``, ``genindex``): they have no diagram, so it is dropped there.
    * sphinx-thebe registers its inline config script twice (once through the registry, once on the
      builder), which declares ``const THEBE_JS_URL`` twice and logs a SyntaxError on every page.
      Thebe is switched off (``launch_buttons: thebe: false``), so when no page enables it its
      scripts and stylesheet are dropped altogether; otherwise only the duplicate is.
    """
    scripts = context.get("script_files")
    if scripts is None:
        return
    thebe_on = bool(app.config.html_theme_options.get("launch_buttons", {}).get("thebe")) or bool(
        (app.config.thebe_config or {}).get("always_load") if hasattr(app.config, "thebe_config") else False
    )
    kept, seen = [], set()
    for script in scripts:
        body = _body(script)
        if doctree is None and "import mermaid from" in body:
            continue
        if not thebe_on and ("THEBE_JS_URL" in body or _filename(script).endswith("sphinx-thebe.js")):
            continue
        key = (_filename(script), body)
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    scripts[:] = kept
    if not thebe_on and context.get("css_files") is not None:
        context["css_files"][:] = [c for c in context["css_files"] if not _filename(c).endswith("sphinx-thebe.css")]


def colab_launch_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Make the header's Colab launch button open the page's notebook, or remove it.

    sphinx-book-theme links the button to ``<page>.md`` in the repository, which Colab cannot open
    (it does so unless a same-named ``.ipynb`` sits next to the page). The lecture pages carry an
    "Open in Colab" badge linking to their generated notebook on the ``notebooks`` branch
    (``blob/notebooks/<name>.ipynb``, published by scripts/publish_notebooks.py; scripts/nbgen
    fails when a badge points anywhere else): the button gets that same URL, so the two cannot
    disagree. A page without such a badge has no notebook, so its Colab button (a dead end) is removed.
    """
    colab_url = (app.config.html_theme_options.get("launch_buttons", {}).get("colab_url") or "").rstrip("/")
    if not colab_url or "header_buttons" not in context:
        return
    notebook_url = None
    if doctree is not None:
        for ref in doctree.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if uri.startswith(colab_url + "/github/") and uri.endswith(".ipynb"):
                notebook_url = uri
                break
    for group in list(context["header_buttons"]):
        if group.get("label") != "launch-buttons":
            continue
        buttons = []
        for button in group.get("buttons", []):
            if str(button.get("url", "")).startswith(colab_url + "/"):
                if notebook_url is None:
                    continue
                button = {**button, "url": notebook_url}
            buttons.append(button)
        if buttons:
            group["buttons"] = buttons
        else:
            context["header_buttons"].remove(group)


def write_root_redirect(app: Sphinx, exception) -> None:
    """Write ``index.html`` at the site root: a small Korean page that forwards to the first page.

    sphinx-external-toc writes a bare ``<meta http-equiv="Refresh">`` line there (no language, title
    or icon; the browser then asks for ``/favicon.ico`` and gets a 404), and only when the file does
    not exist yet. This runs first and rewrites it on every build, so it follows the TOC's root.
    """
    if exception is not None or app.builder.name not in {"html", "dirhtml"}:
        return
    root = str(app.config.master_doc)
    if root == "index":
        return
    target = f"{root}/index.html" if app.builder.name == "dirhtml" else f"{root}.html"
    title = html.escape(str(app.config.html_title or app.config.project))
    lang = html.escape(str(app.config.language or "en"))
    icon = ""
    if app.config.html_favicon and "://" not in app.config.html_favicon:
        icon = f'  <link rel="icon" href="_static/{html.escape(Path(app.config.html_favicon).name)}">\n'
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n'
        '  <meta charset="utf-8">\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"  <title>{title}</title>\n"
        f'  <meta http-equiv="refresh" content="0; url={target}">\n'
        f'  <link rel="canonical" href="{target}">\n'
        f"{icon}"
        "</head>\n<body>\n"
        f'  <main><p><a href="{target}">{title}</a></p></main>\n'
        "</body>\n</html>\n"
    )
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def unique_exercise_ids(app: Sphinx, doctree, docname: str) -> None:
    """Name each exercise/solution body after its exercise or solution.

    sphinx-exercise gives every body the same id (``exercise-content``, ``solution-content``), so a
    page with three exercises repeats each id three times: invalid HTML, and a link to one of them
    could only ever reach the first. The body becomes ``<label>-content`` and keeps the old name as
    a class.
    """
    for section in doctree.findall(nodes.section):
        ids = section.get("ids", [])
        if ids not in (["exercise-content"], ["solution-content"]):
            continue
        owner = section.parent
        while owner is not None and not owner.get("ids"):
            owner = owner.parent
        if owner is None:
            continue
        section["ids"] = [f"{owner['ids'][0]}-content"]
        section["classes"] = [*section.get("classes", []), ids[0]]


#: What the executed pages depend on besides their own code (hh_lib; the build's kernel settings).
LIBRARY = Path(__file__).resolve().parents[1] / "hh_lib"
STAMP = "hh_lib.sha256"


def library_digest() -> str:
    """sha256 of every hh_lib source file (path and content), in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(LIBRARY.rglob("*.py")):
        digest.update(path.relative_to(LIBRARY).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def forget_stale_executions(app: Sphinx, config) -> None:
    """Empty the jupyter-cache folder when hh_lib differs from the one its executions ran with."""
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if not cache.is_absolute():
        cache = Path(app.confdir) / cache
    stamp, digest = cache / STAMP, library_digest()
    if cache.is_dir() and (not stamp.is_file() or stamp.read_text().strip() != digest):
        logger.info("hh_lib changed since the cached executions: executing every page again")
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", forget_stale_executions)
    app.connect("config-inited", ensure_vendored)
    app.connect("doctree-resolved", unique_exercise_ids)
    # After sphinxcontrib-mermaid's and Sphinx's own html-page-context handlers (priority 500).
    app.connect("html-page-context", trim_page_scripts, priority=900)
    # After sphinx-book-theme's add_launch_buttons (priority 501).
    app.connect("html-page-context", colab_launch_button, priority=900)
    # Before sphinx-external-toc's own redirect writer (priority 500), which then leaves it alone.
    app.connect("build-finished", write_root_redirect, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
