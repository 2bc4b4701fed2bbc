"""``make lecture NAME=week6/day1-cable-theory``: a new lecture page from the template, in the TOC.

Creates ``book/weeks/<NAME>.md`` (front matter, Colab badge opening its notebook on the
notebooks branch, an executed code cell, one exercise with a gated solution) and appends it
to the week's part of ``_toc.yml`` (a new part "Week N" when the week has none yet).
The notebook name (``W6D1_CableTheory``) and the title (``W6D1 - Cable Theory``) follow NAME;
``TITLE=...`` sets another title.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

import yaml

from .errors import GeneratorError
from .paths import ROOT, load_site

NAME = re.compile(r"week(?P<week>[1-9][0-9]?)/day(?P<day>[1-9])-(?P<slug>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)")
TEMPLATE = Path(__file__).resolve().parent / "templates" / "lecture.md"


def page_fields(name: str, title: str | None) -> dict:
    m = NAME.fullmatch(name)
    if not m:
        raise GeneratorError(f"NAME={name!r}: use weekN/dayM-words-with-dashes, e.g. week6/day1-cable-theory")
    week, day, slug = m["week"], m["day"], m["slug"]
    words = slug.split("-")
    return {"path": f"book/weeks/{name}.md", "week": int(week), "slug": f"w{week}d{day}-{slug}",
            "notebook": f"W{week}D{day}_" + "".join(w.capitalize() for w in words),
            "title": title or f"W{week}D{day} - " + " ".join(w.capitalize() for w in words)}


def add_to_toc(toc_file: Path, entry: str, week: int) -> None:
    """Append ``entry`` to the part of that week (or a new part after the last week's part)."""
    text = toc_file.read_text(encoding="utf-8")
    lines = text.split("\n")
    header = "".join(l + "\n" for l in lines[: next(i for i, l in enumerate(lines + [""]) if not l.startswith("#"))])
    toc = yaml.safe_load(text)
    parts = toc.setdefault("parts", [])
    prefix = f"book/weeks/week{week}/"
    files = [c.get("file", "") for p in parts for c in p.get("chapters", [])]
    if entry in files:
        raise GeneratorError(f"{entry} is already in {toc_file.name}")
    part = next((p for p in parts if any(c.get("file", "").startswith(prefix) for c in p.get("chapters", []))), None)
    if part is None:
        weeks = [i for i, p in enumerate(parts) if any(c.get("file", "").startswith("book/weeks/") for c in p.get("chapters", []))]
        part = {"caption": f"Week {week}", "chapters": []}
        parts.insert(weeks[-1] + 1 if weeks else 0, part)
    part["chapters"].append({"file": entry})
    toc_file.write_text(header + yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def create(root: Path, name: str, title: str | None = None) -> Path:
    fields = page_fields(name, title)
    page = root / fields["path"]
    if page.exists():
        raise GeneratorError(f"{fields['path']} exists already")
    site = load_site(root)
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        fields, colab_url=site.colab_url(fields["notebook"], "instructor"))
    add_to_toc(root / "_toc.yml", fields["path"][: -len(".md")], fields["week"])
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make lecture", description=__doc__.splitlines()[0])
    parser.add_argument("name", help="weekN/dayM-words, e.g. week6/day1-cable-theory")
    parser.add_argument("--title", default=None)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    try:
        page = create(args.root.resolve(), args.name, args.title or None)
    except GeneratorError as exc:
        print(f"lecture: error: {exc}", file=sys.stderr)
        return 1
    print(f"lecture: created {page.relative_to(args.root.resolve())} and added it to _toc.yml;"
          " preview with `make site` and `make serve`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
