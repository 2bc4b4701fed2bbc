"""Citations in notebooks: ``{cite}`` roles as readable text and ``{bibliography}`` as a Markdown list.

The site uses sphinxcontrib-bibtex; the notebooks read the same ``.bib`` files (``bibtex_bibfiles``
in ``_config.yml``) with pybtex, its parser. Each page cites with its own key prefix
(``{cite:p}`w5d1-hodgkin1948```) and lists its citations with
``{bibliography}`` ``:filter: docname in docnames`` ``:keyprefix: w5d1-``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import GeneratorError

CITE_ROLES = ("cite", "cite:p", "cite:t")
#: The only filter the generator understands: the entries cited on the page itself.
PAGE_FILTER = "docname in docnames"


@lru_cache(maxsize=None)
def load(paths: tuple[Path, ...]) -> dict:
    """Key → pybtex entry, from every file (a key defined twice is an error, as in Sphinx)."""
    from pybtex.database import parse_file

    entries: dict = {}
    for path in paths:
        if not path.is_file():
            raise GeneratorError(f"_config.yml: bibtex_bibfiles: {path} not found")
        for key, entry in parse_file(str(path), bib_format="bibtex").entries.items():
            if key in entries:
                raise GeneratorError(f"{path}: duplicate bibliography key {key!r}")
            entries[key] = entry
    return entries


def plain(text: str) -> str:
    """BibTeX field text as Markdown: \\textit{x} / \\emph{x} → *x*, protective braces dropped."""
    text = re.sub(r"\\(?:textit|emph)\{([^{}]*)\}", r"*\1*", text)
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "").replace("--", "–")).strip()


def _last(person) -> str:
    return plain(" ".join(person.prelast_names + person.last_names))


def authors_short(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last(p) for p in people]
    if not names:
        return plain(entry.fields.get("title", "?"))
    if len(names) == 1:
        return names[0]
    return f"{names[0]} & {names[1]}" if len(names) == 2 else f"{names[0]} et al."


def cite_text(kind: str, entries: list) -> str:
    """``{cite:t}`` → "Hodgkin & Huxley (1952)"; ``{cite}``/``{cite:p}`` → "(Hodgkin & Huxley 1952; ...)"."""
    if kind == "cite:t":
        return ", ".join(f"{authors_short(e)} ({e.fields.get('year', 'n.d.')})" for e in entries)
    return "(" + "; ".join(f"{authors_short(e)} {e.fields.get('year', 'n.d.')}" for e in entries) + ")"


def _person(person) -> str:
    initials = " ".join(f"{n[0]}." for n in person.first_names + person.middle_names if n)
    return f"{_last(person)}, {plain(initials)}" if initials else _last(person)


def _people(people) -> str:
    names = [_person(p) for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]


def entry_markdown(entry) -> str:
    """One reference in APA-like form, with its DOI (or URL) as a link."""
    f = {k.lower(): plain(v) for k, v in entry.fields.items()}
    out = f"{_people(entry.persons.get('author', []))} ({f.get('year', 'n.d.')}). "
    if entry.type == "article":
        out += f"{f['title']}. *{f.get('journal', '')}*"
        out += f", {f['volume']}" + (f"({f['number']})" if "number" in f else "") if "volume" in f else ""
        out += f", {f['pages']}." if "pages" in f else "."
    elif entry.type == "incollection":
        eds = entry.persons.get("editor", [])
        out += f"{f['title']}. In " + (f"{_people(eds)} (Eds.), " if eds else "") + f"*{f.get('booktitle', '')}*"
        out += (f" ({f['edition']} ed.)" if "edition" in f else "") + f". {f.get('publisher', '')}."
    else:
        out += f"*{f['title']}*" + (f" ({f['edition']} ed.)" if "edition" in f else "") + f". {f.get('publisher', '')}."
    if "doi" in f:
        out += f" [doi:{f['doi']}](https://doi.org/{f['doi']})"
    elif "url" in f:
        out += f" <{f['url']}>"
    return out


def sort_key(entry) -> tuple:
    people = entry.persons.get("author", [])
    return tuple(_last(p) for p in people) + (entry.fields.get("year", ""), plain(entry.fields.get("title", "")))


def bibliography_markdown(entries: list) -> str:
    return "\n".join(f"- {entry_markdown(e)}" for e in sorted(entries, key=sort_key))
