"""Bibliographies: italics, and entries screen readers see as a list.

Italics: pybtex keeps ``\\textit{Loligo}`` (or ``\\emph``) in a .bib field as the text
``\\textit `` followed by a protected ``Loligo``, which the page showed raw; the ``course`` style
(pybtex's ``alpha`` plus :func:`latex_italics`; ``bibtex_default_style`` in _config.yml) makes it
``<em>Loligo</em>``. The notebooks render the same markup as ``*Loligo*`` (scripts/nbgen/bib.py).

Accessible bibliographies: docutils writes each sphinxcontrib-bibtex entry as
``<div class="citation" role="doc-biblioentry">`` inside ``<div role="list" class="citation-list">``.
A list must contain list items (axe-core: aria-required-children, critical) and ``doc-biblioentry``
is a deprecated role, so each entry becomes ``role="listitem"`` in the page's HTML body.
"""
from __future__ import annotations

import re

from pybtex.plugin import find_plugin, register_plugin
from pybtex.richtext import BaseMultipartText, Protected, String, Tag
from pybtex.style import FormattedEntry

ENTRY_ROLE = 'role="doc-biblioentry"'    # written only on citation entries
LIST_ITEM_ROLE = 'role="listitem"'


def fix_entry_roles(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if isinstance(body, str) and ENTRY_ROLE in body:
        context["body"] = body.replace(ENTRY_ROLE, LIST_ITEM_ROLE)


ITALIC_COMMAND = re.compile(r"\\(?:textit|emph)\s*$")


def latex_italics(text):
    """Rich text with each ``\\textit``/``\\emph`` + protected group turned into an ``em`` tag."""
    if not isinstance(text, BaseMultipartText):
        return text
    out = []
    for part in map(latex_italics, text.parts):
        if isinstance(part, Protected) and out and isinstance(out[-1], String) and ITALIC_COMMAND.search(out[-1].value):
            head = ITALIC_COMMAND.sub("", out[-1].value)
            out[-1:] = [String(head)] if head else []
            part = Tag("em", *part.parts)
        out.append(part)
    return text._create_similar(out)


class CourseStyle(find_plugin("pybtex.style.formatting", "alpha")):
    def format_entry(self, label, entry, bib_data=None):
        formatted = super().format_entry(label, entry, bib_data=bib_data)
        return FormattedEntry(formatted.key, latex_italics(formatted.text), formatted.label)


register_plugin("pybtex.style.formatting", "course", CourseStyle)


def setup(app):
    app.connect("html-page-context", fix_entry_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
