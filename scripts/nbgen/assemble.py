"""Segments → an nbformat notebook: title, a note on where it comes from, a set-up cell, the page."""
from __future__ import annotations

import hashlib

import nbformat

from . import student
from .convert import Segment, details
from .errors import GeneratorError
from .myst import leftovers
from .pages import Page
from .paths import Site

GENERATOR = "scripts/nbgen"


def setup_cell(site: Site) -> str:
    return (
        "# 준비: 강의 라이브러리 hh_lib를 불러옵니다. 없으면(예: Colab) 강의 저장소에서 설치합니다.\n"
        "# 한글 그림 글꼴(koreanize-matplotlib에 든 나눔고딕)도 함께 설치합니다. 로컬에서는 설치를 건너뜁니다.\n"
        "try:\n"
        "    import hh_lib\n"
        "except ImportError:\n"
        f"    %pip install -q \"{site.pip_spec}\" koreanize-matplotlib\n"
        "    import importlib\n"
        "    importlib.invalidate_caches()\n"
        "    import hh_lib\n"
        "\n"
        "from hh_lib.plotting import use_korean_font\n"
        "\n"
        "print(\"hh_lib\", hh_lib.__version__, \"| 그림의 한글 글꼴:\", use_korean_font() or \"없음 (한글이 네모로 보일 수 있음)\")"
    )


def intro_cell(site: Site, page: Page, variant: str) -> str:
    if variant == "student":
        what = ("**학생용 노트북**입니다. 실습 문제의 풀이 코드는 `TODO` 셀로 바뀌어 있고, 각 `TODO` 셀은 "
                "직접 채우기 전까지 `NotImplementedError`를 냅니다.")
        other = f"[풀이가 들어 있는 노트북]({site.colab_url(page.name, 'instructor')})"
    else:
        what = ("실습 문제의 풀이 설명은 **풀이 보기**를 눌러야 보이고, 풀이 코드 셀은 Colab에서 접혀 있습니다"
                "(셀을 더블클릭하면 코드가 보입니다).")
        other = f"[풀이 없는 학생용 노트북]({site.colab_url(page.name, 'student')})"
    return (
        f"> 이 노트북은 강의 페이지 [{page.title}]({site.page_url(page.path)})에서 자동으로 만들어졌습니다. {what} "
        f"맨 위 셀부터 차례로 실행하세요(Colab: **런타임 → 모두 실행**). 함께 보기: {other}.\n"
        f">\n"
        f"> 수정은 노트북이 아니라 강의 페이지([`{page.path}`]({site.blob_url(page.path)}))에서 합니다."
    )


def page_imports(segments: list[Segment]) -> student.Imports:
    everywhere: set[str] = set()
    main: set[str] = set()
    solutions: dict[str, str] = {}
    for s in segments:
        tree = student.parse(s.text) if s.kind == "code" else None
        for node in tree.body if tree else []:
            names = student.imported_names(node)
            everywhere |= set(names)
            if s.region == "main":
                main |= set(names)
            else:
                for k, v in names.items():
                    solutions.setdefault(k, v)
    return student.Imports(everywhere, {k: v for k, v in solutions.items() if k not in main})


class Cells:
    """Groups segments into cells: Markdown runs split at headings and cell breaks."""

    def __init__(self):
        self.cells: list[tuple[str, str, dict]] = []
        self.buffer: list[Segment] = []

    def flush(self) -> None:
        parts: list[str] = []
        for s in self.buffer:
            parts += (["\n\n" if s.gap else "\n"] if parts else []) + [s.text]
        text = "".join(parts).strip("\n")
        if text.strip() and not all(s.kind == "hr" for s in self.buffer):
            self.cells.append(("markdown", text, {}))
        self.buffer = []

    def markdown(self, s: Segment) -> None:
        if s.kind == "heading" and any(b.kind != "heading" for b in self.buffer):
            self.flush()
        if s.kind == "hr" and not self.cells:   # the title block ends at the first rule
            self.flush()
            return
        self.buffer.append(s)

    def add(self, cell_type: str, source: str, metadata: dict) -> None:
        self.flush()
        self.cells.append((cell_type, source, metadata))


def cells_of(segments: list[Segment], variant: str) -> list[tuple[str, str, dict]]:
    imports = page_imports(segments)
    out, chunks = Cells(), {}
    for k, s in enumerate(segments):
        if s.kind == "break":
            out.flush()
        elif s.region == "main" and s.kind != "code":
            out.markdown(s)
        elif s.kind != "code":   # solution text: one <details> per run, instructors only
            if variant == "instructor":
                n = chunks[s.exercise.number] = chunks.get(s.exercise.number, 0) + 1
                summary = f"풀이 보기 — 문제 {s.exercise.number}" + (" (이어서)" if n > 1 else "")
                out.add("markdown", details(summary, s.text), {})
        elif s.region == "main":
            out.add("code", s.text, {"tags": s.metadata["tags"]} if s.metadata.get("tags") else {})
        elif variant == "instructor":
            out.add("code", student.solution_cell(s.text, s.exercise),
                    {"cellView": "form", "jupyter": {"source_hidden": True}, "tags": ["solution"]})
        else:
            later = [t.text for t in segments[k + 1:] if t.kind == "code" and (t.region == "main" or t.exercise is s.exercise)]
            out.add("code", student.todo_cell(s.text, s.exercise, later, imports, s.metadata.get("todo")),
                    {"tags": ["todo"]})
    out.flush()
    return out.cells


def merge_solution_text(segments: list[Segment]) -> list[Segment]:
    """Consecutive Markdown segments of one solution become one (one <details> each run)."""
    merged: list[Segment] = []
    for s in segments:
        prev = merged[-1] if merged else None
        if s.region == "solution" and s.kind not in ("code", "break") and prev and prev.region == "solution" \
                and prev.kind not in ("code", "break") and prev.exercise is s.exercise:
            prev.text = prev.text + ("\n\n" if s.gap else "\n") + s.text
            continue
        merged.append(Segment(s.kind, s.text, s.region, s.exercise, s.metadata, s.gap))
    return merged


def cell_id(cell_type: str, source: str, seen: dict[str, int]) -> str:
    digest = hashlib.sha256(f"{cell_type}\0{source}".encode()).hexdigest()[:12]
    n = seen.get(digest, 0)
    seen[digest] = n + 1
    return digest if n == 0 else f"{digest}-{n}"


def notebook(site: Site, page: Page, variant: str, segments: list[Segment]) -> nbformat.NotebookNode:
    cells = cells_of(merge_solution_text(segments), variant)
    if not cells or cells[0][0] != "markdown":
        raise GeneratorError(f"{page.path}: the page must start with a Markdown title")
    cells[1:1] = [("markdown", intro_cell(site, page, variant), {}), ("code", setup_cell(site), {"tags": ["setup"]})]
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "colab": {"toc_visible": True},
        "hh_course": {"generator": GENERATOR, "source": page.path, "variant": variant},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    seen: dict[str, int] = {}
    for ctype, src, meta in cells:
        cell = nbformat.v4.new_markdown_cell(src) if ctype == "markdown" else nbformat.v4.new_code_cell(src)
        cell.metadata, cell.id = meta, cell_id(ctype, src, seen)
        nb.cells.append(cell)
    return nb


def check_no_myst(nb, page: Page) -> None:
    problems = [f"cell {i}: {p}" for i, c in enumerate(nb.cells) if c.cell_type == "markdown" for p in leftovers(c.source)]
    if problems:
        raise GeneratorError(f"{page.path}: MyST syntax left in the notebook: " + "; ".join(problems))


def dumps(nb) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4).rstrip("\n") + "\n"
