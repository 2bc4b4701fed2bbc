"""Accessible bibliographies: docutils writes each sphinxcontrib-bibtex entry as
``<div class="citation" role="doc-biblioentry">`` inside ``<div role="list" class="citation-list">``.
A list must contain list items (axe-core: aria-required-children, critical) and ``doc-biblioentry``
is a deprecated role, so each entry becomes ``role="listitem"`` in the page's HTML body.
"""
from __future__ import annotations

ENTRY_ROLE = 'role="doc-biblioentry"'    # written only on citation entries
LIST_ITEM_ROLE = 'role="listitem"'


def fix_entry_roles(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if isinstance(body, str) and ENTRY_ROLE in body:
        context["body"] = body.replace(ENTRY_ROLE, LIST_ITEM_ROLE)


def setup(app):
    app.connect("html-page-context", fix_entry_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
