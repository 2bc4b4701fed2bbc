"""Colab notebooks from the lecture pages (MyST Markdown), read with the parser the site uses.

    python3 -m scripts.nbgen                 # write _build/notebooks/ (renders new diagrams)
    python3 -m scripts.nbgen --out DIR       # somewhere else

Every page under ``book/`` is read (an unknown directive or role anywhere fails, naming the page
and line); each page whose front matter says ``notebook: <Name>`` gives two notebooks:

* ``<Name>.ipynb``          instructor version: solutions behind "풀이 보기" and in folded form cells;
* ``student/<Name>.ipynb``  student version: each solution code cell is a Korean TODO scaffold
  that raises ``NotImplementedError``; the solution explanations are left out.

The output folder is exactly the tree of the ``notebooks`` branch, which
scripts/publish_notebooks.py commits to on every push to main (the pages' Colab badges open
``blob/notebooks/<Name>.ipynb``). Output is deterministic: no outputs, no timestamps, cell ids
from the contents, so regenerating an unchanged page changes no byte.

Modules: paths (every address, one place), myst (the parser: pages → blocks, inline rewriting),
directives (what the book may use), convert (blocks → segments), student (TODO scaffolds),
diagrams + mermaid (PNG renders in headless Chromium with the site's pinned mermaid),
assemble (segments → nbformat), lecture (``make lecture``).
"""
from __future__ import annotations

import json
from pathlib import Path

from .assemble import GENERATOR, check_no_myst, dumps, notebook
from .convert import Converter
from .diagrams import DiagramCache, Image
from .errors import GeneratorError
from .pages import collect_targets, read_pages
from .paths import DIAGRAM_DIR, NOTEBOOK_BRANCH, ROOT, VARIANTS, load_site, notebook_path

__all__ = ["GENERATOR", "GeneratorError", "NOTEBOOK_BRANCH", "ROOT", "generate", "notebook_path", "write"]


class NoDiagrams:
    """For pages that make no notebook: their diagrams are checked by the site build, not drawn."""

    def get(self, src: str, location: str) -> Image:
        return Image("", "", "")


def generate(root: Path = ROOT, out: Path | None = None, render: bool = True, log=print) -> dict[str, str]:
    """Every generated file as {path in the output folder: text}; diagrams cached in ``out``."""
    return _generate(root, out or root / "_build" / "notebooks", render, log)[0]


def _generate(root: Path, out: Path, render: bool, log) -> tuple[dict[str, str], DiagramCache]:
    site = load_site(root)
    pages = read_pages(root)
    targets = collect_targets(pages)
    titles = {p.path: p.title for p in pages}
    diagrams = DiagramCache(out / DIAGRAM_DIR, render)
    for _ in range(2):   # a second pass once the new diagrams are rendered
        notebooks = {}
        for page in pages:
            for variant in VARIANTS if page.name else ("instructor",):
                segments = Converter(site, page, variant, diagrams if page.name else NoDiagrams(),
                                     targets, titles).run()
                if page.name:
                    notebooks[notebook_path(page.name, variant)] = (page, notebook(site, page, variant, segments))
        if not diagrams.missing:
            break
        diagrams.render_missing(log=log)
    for page, nb in notebooks.values():
        check_no_myst(nb, page)
    files = {path: dumps(nb) for path, (_, nb) in sorted(notebooks.items())}
    files["README.md"] = branch_readme(site, [p for p in pages if p.name])
    return files, diagrams


def branch_readme(site, pages) -> str:
    rows = "\n".join(f"| [{p.title}]({site.page_url(p.path)}) | [`{p.name}.ipynb`]({site.colab_url(p.name, 'instructor')}) "
                     f"| [`student/{p.name}.ipynb`]({site.colab_url(p.name, 'student')}) |" for p in pages)
    return (
        "# Colab notebooks (generated — do not edit)\n\n"
        f"This branch is written by the `site` workflow on every push to `{site.branch}`: "
        f"`{GENERATOR}` turns each lecture page into an instructor notebook (solutions folded) and a "
        "student notebook (TODO cells), and `scripts/publish_notebooks.py` commits them here when they "
        f"change. Edit the page on `{site.branch}`, never these files.\n\n"
        "| Page | Instructor (Colab) | Student (Colab) |\n|---|---|---|\n" + rows + "\n\n"
        f"`{DIAGRAM_DIR}/` holds the rendered mermaid diagrams, reused while a diagram is unchanged.\n"
    )


def generated_files(out: Path) -> list[Path]:
    """Notebooks in ``out`` written by this generator (per their metadata)."""
    found = []
    for p in sorted(out.rglob("*.ipynb")) if out.is_dir() else []:
        try:
            meta = json.loads(p.read_text(encoding="utf-8")).get("metadata", {})
        except (ValueError, OSError):
            continue
        if meta.get("hh_course", {}).get("generator") == GENERATOR:
            found.append(p)
    return found


def write(root: Path = ROOT, out: Path | None = None, render: bool = True, log=print) -> list[str]:
    """Write the notebooks into ``out``; delete notebooks and diagrams no page makes any more."""
    out = out or root / "_build" / "notebooks"
    wanted, diagrams = _generate(root, out, render, log)
    changed = []
    for rel, text in wanted.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    stale = [p for p in generated_files(out) if p.relative_to(out).as_posix() not in wanted]
    for p in stale + diagrams.unused_files():
        p.unlink()
        changed.append(f"deleted {p.relative_to(out).as_posix()}")
    return changed
