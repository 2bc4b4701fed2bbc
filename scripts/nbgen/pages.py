"""The book's pages: which make notebooks, their titles, and the labels ``{ref}`` can name."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docutils.nodes import make_id

from .errors import GeneratorError
from .myst import Block, front_matter, read_blocks
from .paths import BOOK_DIR, term_anchor


@dataclass
class Page:
    path: str            # repository path of the .md page
    name: str | None     # notebook name (front matter ``notebook:``), None: no notebook
    text: str
    meta: dict
    blocks: list[Block]

    @property
    def title(self) -> str:
        if self.meta.get("title"):
            return str(self.meta["title"])
        heading = next((b for b in self.blocks if b.kind == "heading"), None)
        return heading.text.lstrip("#").strip() if heading else self.path


@dataclass(frozen=True)
class Target:
    page: str
    anchor: str
    title: str


def read_pages(root: Path) -> list[Page]:
    """Every page under book/ (hidden and _folders skipped), parsed; unknown directives fail here."""
    from .directives import directive_class

    pages, names = [], {}
    for md in sorted((root / BOOK_DIR).rglob("*.md")):
        rel = md.relative_to(root).as_posix()
        if any(part.startswith((".", "_")) for part in rel.split("/")[:-1]):
            continue
        text = md.read_text(encoding="utf-8")
        meta = front_matter(text)
        name = meta.get("notebook")
        if name is not None and not (str(name).replace("_", "").replace("-", "").isalnum()
                                     and str(name)[0].isalpha()):
            raise GeneratorError(f"{rel}: front matter notebook: {name!r} is not a plain name like W5D1_Title")
        if name is not None and name in names:
            raise GeneratorError(f"{rel} and {names[name]} both declare notebook: {name}")
        names[name] = rel
        pages.append(Page(rel, str(name) if name else None, text, meta,
                          read_blocks(text, rel, directive_class=directive_class)))
    return pages


def collect_targets(pages: list[Page]) -> dict[str, Target]:
    """``(label)=`` targets (titled by the heading after them) and ``:label:`` options of directives."""
    targets: dict[str, Target] = {}
    for page in pages:
        for i, block in enumerate(page.blocks):
            if block.kind == "target":
                nxt = page.blocks[i + 1] if i + 1 < len(page.blocks) else None
                title = nxt.text.lstrip("#").strip() if nxt and nxt.kind == "heading" else block.text
                targets[block.text] = Target(page.path, make_id(block.text), title)
            elif block.kind == "directive" and block.name == "glossary":
                for term in glossary_terms(block.text):
                    targets[f"term:{term.lower()}"] = Target(page.path, term_anchor(term), term)
            elif block.kind == "directive" and block.options.get("label"):
                label = str(block.options["label"])
                targets[label] = Target(page.path, make_id(label), block.arg or label)
    return targets


def glossary_terms(text: str) -> list[str]:
    """The terms of a ``{glossary}`` body: its unindented lines (definitions are indented)."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line[0].isspace()]
