"""The Colab notebooks the generator (scripts/nbgen) makes from the lecture pages.

On the real pages (generated once per session into a temporary folder, as CI does): every page
is read, each lecture gives an instructor and a student notebook, generation is deterministic,
the notebooks are valid nbformat with no outputs and no MyST left, links are absolute, the badge
opens the notebook on the `notebooks` branch, diagrams are embedded PNGs, the student version
differs only in the solutions. On a sample page in a scratch repository: every construct the
book uses converts as expected, and bad input fails naming page and line.

Slow (``-m notebooks``): every instructor notebook runs top to bottom in a fresh kernel, and
every student notebook runs up to its TODO cells, each of which raises NotImplementedError.
"""
from __future__ import annotations

import base64
import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from scripts import nbgen
from scripts.nbgen import myst
from scripts.nbgen.pages import read_pages

ROOT = Path(__file__).resolve().parents[2]
COLAB = "https://colab.research.google.com/github/yujinmin2/yujin_research/blob/notebooks/"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LECTURES = {p.name: p for p in read_pages(ROOT) if p.name}
NOTEBOOKS = [f"{name}.ipynb" for name in LECTURES] + [f"student/{name}.ipynb" for name in LECTURES]


def _read(out: Path, rel: str) -> nbformat.NotebookNode:
    return nbformat.read(out / rel, as_version=4)


def _links(markdown: str) -> list[tuple[str, str]]:
    """(kind, target) of every link and image the Markdown parser sees (data: URIs shortened)."""
    found = []
    for tok in myst.parser().parse(markdown, {}):
        for child in tok.children or []:
            if child.type == "link_open":
                found.append(("link", child.attrs["href"]))
            elif child.type == "image":
                src = child.attrs["src"]
                found.append(("image", src[:40] if src.startswith("data:") else src))
    return found


# ------------------------------------------------------------------------------------------
# The real pages
# ------------------------------------------------------------------------------------------


def test_every_page_is_read_and_every_lecture_gives_two_notebooks(generated):
    pages = sorted(p for p in (ROOT / "book").rglob("*.md") if not any(
        part.startswith((".", "_")) for part in p.relative_to(ROOT).parts[:-1]))
    assert [p.path for p in read_pages(ROOT)] == [p.relative_to(ROOT).as_posix() for p in pages]
    assert {"W5D1_HodgkinHuxley", "W5D2_NeuronModels"} <= set(LECTURES)
    written = {p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file()
               and not p.relative_to(generated).as_posix().startswith("_diagrams/")}
    assert written == set(NOTEBOOKS) | {"README.md"}
    for page in pages:   # a page with a Colab badge declares its notebook
        text = page.read_text(encoding="utf-8")
        if "colab.research.google.com/github/" in text:
            assert yaml.safe_load(text.split("---")[1]).get("notebook"), page


def test_generation_is_deterministic(generated, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(generated / "_diagrams", again / "_diagrams")
    files = nbgen.generate(ROOT, again, render=False)
    for rel, text in files.items():
        assert (generated / rel).read_text(encoding="utf-8") == text, rel
        assert time.strftime("%Y-%m-%d") not in text, f"{rel}: a timestamp"
    assert nbgen.write(ROOT, generated, render=False) == [], "a second run changed files"


def test_the_parser_is_configured_like_the_site():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert sorted(cfg["parse"]["myst_enable_extensions"]) == sorted(myst.EXTENSIONS)
    assert cfg["sphinx"]["config"]["myst_fence_as_directive"] == list(myst.FENCE_AS_DIRECTIVE)


@pytest.mark.parametrize("rel", NOTEBOOKS)
def test_notebook_is_valid_and_has_no_outputs(generated, rel):
    nb = _read(generated, rel)
    nbformat.validate(nb)
    assert nb.nbformat == 4 and nb.nbformat_minor >= 5 and nb.metadata["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"cell {i} has outputs"
    assert len({c.id for c in nb.cells}) == len(nb.cells), "cell ids repeat"
    text = (generated / rel).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    assert not {"execution", "widgets", "papermill"} & set(nb.metadata)


@pytest.mark.parametrize("rel", NOTEBOOKS)
def test_notebook_has_no_myst_syntax(generated, rel):
    nb = _read(generated, rel)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        assert not myst.leftovers(cell.source), (i, myst.leftovers(cell.source))
        for literal in ("```{", ":::{", "{doc}`", "{ref}`", "{math}`", "{eq}`", "+++", "{{"):
            assert literal not in cell.source, f"cell {i}: {literal!r} left"


@pytest.mark.parametrize("rel", NOTEBOOKS)
def test_first_code_cell_installs_hh_lib_and_sets_the_korean_font(generated, rel):
    code = [c for c in _read(generated, rel).cells if c.cell_type == "code"]
    first = code[0].source
    assert "import hh_lib" in first.split("except ImportError")[0]
    install = next(l for l in first.splitlines() if "%pip install" in l)
    from packaging.requirements import Requirement

    req = Requirement(install.split('"')[1])
    assert req.name == "hh_lib" and req.url == "git+https://github.com/yujinmin2/yujin_research@main"
    assert "koreanize-matplotlib" in install and "use_korean_font()" in first


@pytest.mark.parametrize("rel", NOTEBOOKS)
def test_links_are_absolute_and_the_badge_opens_this_notebook(generated, rel):
    nb = _read(generated, rel)
    md = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    links = _links(md)
    relative = [t for _, t in links if not t.startswith(("https://", "data:image/png;base64,", "#"))]
    assert not relative, f"relative links: {relative}"
    title_links = _links(nb.cells[0].source)
    assert [k for k, t in title_links if t.startswith("https://colab.research.google.com/assets/")] == ["image"]
    assert ("link", COLAB + rel) in title_links, title_links
    for _, url in links:
        if url.startswith("https://yujinmin2.github.io/yujin_research/"):
            page = url.removeprefix("https://yujinmin2.github.io/yujin_research/").split("#")[0]
            assert page.endswith(".html") and (ROOT / page.replace(".html", ".md")).is_file(), url


@pytest.mark.parametrize("rel", NOTEBOOKS)
def test_diagrams_are_embedded_pngs(generated, rel):
    nb = _read(generated, rel)
    page = LECTURES[Path(rel).stem]
    fences = [t for t in myst.parser().parse(page.text, {}) if t.type == "fence"
              and t.info.strip() in ("{mermaid}", "mermaid")]
    images = [(c.source, t) for c in nb.cells if c.cell_type == "markdown"
              for k, t in _links(c.source) if k == "image" and t.startswith("data:image/png")]
    assert len(images) == len(fences) > 0
    for source, _ in images:
        b64 = source.split("data:image/png;base64,")[1].split(")")[0]
        assert base64.b64decode(b64).startswith(PNG_SIGNATURE)
        alt = source.split("![")[1].split("](data:")[0]
        assert alt.startswith(("흐름도: ", "다이어그램")), alt


@pytest.mark.parametrize("name", sorted(LECTURES))
def test_instructor_solutions_are_hidden_until_asked_for(generated, name):
    nb = _read(generated, f"{name}.ipynb")
    details = [c for c in nb.cells if c.cell_type == "markdown" and "<summary>풀이 보기" in c.source]
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert details and solutions
    for c in details:
        assert c.source.startswith("<details>\n<summary>풀이 보기 — 문제 ") and c.source.endswith("\n\n</details>")
    for c in solutions:
        first = c.source.splitlines()[0]
        assert first.startswith("# @title 풀이 코드 — 문제 ") and first.endswith('{ display-mode: "form" }')
        assert c.metadata["cellView"] == "form" and c.metadata["jupyter"]["source_hidden"] is True
    headings = [l for c in nb.cells if c.cell_type == "markdown" for l in c.source.splitlines() if l.startswith("### 문제 ")]
    assert [h.split(":")[0] for h in headings] == [f"### 문제 {i}" for i in range(1, len(headings) + 1)]


@pytest.mark.parametrize("name", sorted(LECTURES))
def test_student_version_differs_only_in_the_solutions(generated, name):
    inst, stud = _read(generated, f"{name}.ipynb"), _read(generated, f"student/{name}.ipynb")

    def common(nb):
        return [(c.cell_type, c.id, c.source) for c in nb.cells if not {"solution", "todo"} & set(c.metadata.get("tags", []))
                and "<summary>풀이 보기" not in c.source]

    a, b = common(inst), common(stud)
    assert [x[0] for x in a] == [x[0] for x in b]
    assert [i for i, (x, y) in enumerate(zip(a, b)) if x != y] == [0, 1], "only the title and the note differ"
    todos = [c for c in stud.cells if "todo" in c.metadata.get("tags", [])]
    assert len(todos) == sum("solution" in c.metadata.get("tags", []) for c in inst.cells) > 0
    for c in todos:
        assert c.source.startswith("# TODO — 문제 ") and "\nraise NotImplementedError(\"문제 " in c.source
    assert not any("<summary>풀이 보기" in c.source for c in stud.cells)
    sol_code = {c.source.split("\n", 1)[1] for c in inst.cells if "solution" in c.metadata.get("tags", [])}
    assert not sol_code & {c.source for c in stud.cells}


def test_built_page_badge_and_launch_button_open_the_published_notebook(built_book):  # noqa: F811
    from bs4 import BeautifulSoup

    html = built_book.html / "book" / "weeks" / "week5" / "day1-hodgkin-huxley.html"
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    colab = {a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("https://colab.research.google.com/")}
    assert colab == {COLAB + "W5D1_HodgkinHuxley.ipynb"}, colab
    buttons = [a for a in soup.select(".dropdown-launch-buttons a, a.btn") if "colab" in a.get("href", "")]
    assert buttons, "no Colab launch button in the header"


# ------------------------------------------------------------------------------------------
# Execution (slow)
# ------------------------------------------------------------------------------------------


def _client(nb, tmp_path, monkeypatch):
    from notebook_client import notebook_client

    monkeypatch.setenv("PYTHONPATH", str(ROOT))   # hh_lib of this tree, as an editable install gives it
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return notebook_client(nb, tmp_path)


def run_student(nb, client) -> tuple[list[int], int]:
    """Run a student notebook cell by cell: (indices of the cells that raised, number of TODOs)."""
    from nbclient.exceptions import CellExecutionError

    raised, todo_cells = [], 0
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            is_todo = "todo" in cell.metadata.get("tags", [])
            todo_cells += is_todo
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as exc:
                assert is_todo, f"cell {index} (not a TODO) failed:\n{exc}"
                assert exc.ename == "NotImplementedError", f"TODO cell {index} raised {exc.ename}: {exc.evalue}"
                assert exc.evalue.startswith("문제 ")
                raised.append(index)
                continue
            assert not is_todo, f"TODO cell {index} did not raise NotImplementedError"
    return raised, todo_cells


@pytest.mark.notebooks
@pytest.mark.parametrize("name", sorted(LECTURES))
def test_instructor_notebook_runs_top_to_bottom(generated, name, tmp_path, monkeypatch):
    nb = _read(generated, f"{name}.ipynb")
    start = time.monotonic()
    _client(nb, tmp_path, monkeypatch).execute()
    print(f"{name}: ran in {time.monotonic() - start:.1f} s")
    errors = [(i, o.ename) for i, c in enumerate(nb.cells) if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    outputs = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "missing from" not in outputs and "그림의 한글 글꼴: 없음" not in outputs


@pytest.mark.notebooks
@pytest.mark.parametrize("name", sorted(LECTURES))
def test_student_notebook_raises_only_in_its_todo_cells(generated, name, tmp_path, monkeypatch):
    nb = _read(generated, f"student/{name}.ipynb")
    raised, todo_cells = run_student(nb, _client(nb, tmp_path, monkeypatch))
    assert len(raised) == todo_cells > 0


@pytest.mark.notebooks
def test_a_lost_execute_reply_costs_seconds_and_still_reports_the_error(tmp_path, monkeypatch):
    """The notebook runner (tests/notebook_client.py) with the shell replies of two cells thrown away,
    as the kernel sometimes delays them after an ipywidgets cell: the run goes on after LATE_REPLY
    seconds instead of nbclient's 600, an ``ok`` cell stays ok and a raising cell still raises."""
    from nbclient.exceptions import CellExecutionError

    import notebook_client

    monkeypatch.setattr(notebook_client, "LATE_REPLY", 1.0)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 6 * 7  # lost"),
                                         nbformat.v4.new_code_cell("print(x)"),
                                         nbformat.v4.new_code_cell("raise ValueError('문제 1')  # lost")])
    client = notebook_client.notebook_client(nb, tmp_path)
    with client.setup_kernel():
        channel = client.kc.shell_channel
        get_msg = channel.get_msg
        lost = set()

        async def get_msg_losing(*args, **kwargs):
            while True:
                msg = await get_msg(*args, **kwargs)
                if msg["msg_type"] != "execute_reply" or msg["parent_header"]["msg_id"] not in lost:
                    return msg

        channel.get_msg = get_msg_losing
        execute = client.kc.execute

        def execute_noting(code, **kwargs):
            msg_id = execute(code, **kwargs)
            if "# lost" in code:
                lost.add(msg_id)
            return msg_id

        client.kc.execute = execute_noting
        start = time.monotonic()
        client.execute_cell(nb.cells[0], 0)
        client.execute_cell(nb.cells[1], 1)
        with pytest.raises(CellExecutionError, match="문제 1"):
            client.execute_cell(nb.cells[2], 2)
        assert time.monotonic() - start < 30.0
    assert nb.cells[1].outputs[0].text == "42\n"
