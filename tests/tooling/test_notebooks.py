"""The Colab notebooks generated from the lecture pages (scripts/make_notebooks.py).

Fast checks: the committed notebooks are exactly what the generator makes now (no browser needed:
diagram renders are cached in notebooks/_diagrams/), they carry no outputs and no MyST syntax,
the set-up cell comes first, links are absolute, the student version differs only in the
solutions; and the converter handles every construct on a sample page in a scratch repository.

Slow checks (``-m notebooks``): every instructor notebook runs top to bottom in a fresh kernel,
and every student notebook runs up to its TODO cells, each of which raises NotImplementedError.

Regenerate after a page changes: ``python scripts/make_notebooks.py``.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_notebooks.py"

_spec = importlib.util.spec_from_file_location("make_notebooks", SCRIPT)
mk = importlib.util.module_from_spec(_spec)
sys.modules["make_notebooks"] = mk
_spec.loader.exec_module(mk)

#: MyST syntax that Jupyter and Colab do not understand (data: URIs are taken out first).
MYST = [
    (re.compile(r"```\s*\{"), "directive fence ```{"),
    (re.compile(r":::\s*\{"), "colon fence :::{"),
    (re.compile(r"\{doc\}`"), "{doc} role"),
    (re.compile(r"\{ref\}`"), "{ref} role"),
    (re.compile(r"\{[a-z][\w-]*\}`"), "role"),
    (re.compile(r"^\s*\([\w:.-]+\)=\s*$", re.M), "(label)= target"),
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATA_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def _notebooks(variant: str | None = None) -> list[Path]:
    dirs = {"instructor": [ROOT / "notebooks"], "student": [ROOT / "notebooks" / "student"]}
    wanted = dirs[variant] if variant else dirs["instructor"] + dirs["student"]
    return sorted(p for d in wanted for p in d.glob("*.ipynb"))


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _without_images(text: str) -> str:
    return DATA_PNG.sub("data:image/png;base64,", text)


ALL = _notebooks()
INSTRUCTOR = _notebooks("instructor")
STUDENT = _notebooks("student")


# ------------------------------------------------------------------------------------------
# The committed notebooks
# ------------------------------------------------------------------------------------------


def test_committed_notebooks_are_what_the_generator_makes_now():
    problems = mk.check(ROOT)
    assert not problems, ("notebooks/ is stale; run `python scripts/make_notebooks.py`:\n"
                          + "\n".join(problems))


def test_check_command_exits_zero():
    assert mk.main(["--check"]) == 0


def test_every_lecture_page_with_a_badge_has_both_notebooks():
    site = mk.load_site(ROOT)
    pages = mk.find_pages(ROOT, site)
    names = {p.name for p in pages}
    assert "W5D1_HodgkinHuxley" in names, f"no page makes notebooks/W5D1_HodgkinHuxley.ipynb: {names}"
    for page in pages:
        for variant in ("instructor", "student"):
            assert (ROOT / mk.notebook_path(page.name, variant)).is_file(), (page.path, variant)


def test_notebooks_exist():
    assert (ROOT / "notebooks" / "W5D1_HodgkinHuxley.ipynb").is_file()
    assert (ROOT / "notebooks" / "student" / "W5D1_HodgkinHuxley.ipynb").is_file()
    assert len(INSTRUCTOR) == len(STUDENT) >= 1


@pytest.mark.parametrize("path", ALL, ids=_rel)
def test_notebook_is_valid_and_has_no_outputs(path):
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.nbformat == 4 and nb.nbformat_minor >= 5
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs"
            assert cell.execution_count is None, f"cell {i} has an execution count"
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids)), "cell ids repeat"
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=1, ensure_ascii=False) + "\n", \
        "not written with sorted keys"
    for key in ("execution", "widgets", "papermill"):
        assert key not in nb.metadata


@pytest.mark.parametrize("path", ALL, ids=_rel)
def test_notebook_has_no_myst_syntax(path):
    nb = _read(path)
    problems = []
    for i, cell in enumerate(nb.cells):
        text = _without_images(cell.source)
        for pattern, what in MYST:
            for m in pattern.finditer(text):
                problems.append(f"cell {i}: {what}: {text[max(0, m.start() - 30):m.end() + 30]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ALL, ids=_rel)
def test_first_code_cell_installs_hh_lib_and_sets_the_korean_font(path):
    site = mk.load_site(ROOT)
    nb = _read(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = code[0].source
    assert "import hh_lib" in first.split("except ImportError")[0]
    install = next(l for l in first.splitlines() if "%pip install" in l)
    assert f"git+https://github.com/{site.owner_repo}@{site.branch}" in install
    assert "koreanize-matplotlib" in install
    assert "use_korean_font()" in first
    # the pip requirement is well formed and names this repository's package
    from packaging.requirements import Requirement

    spec = re.search(r'"([^"]+)"', install).group(1)
    req = Requirement(spec)
    name = re.search(r'^name\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert req.name == name and req.url.startswith(site.repo_url.replace("https://", "git+https://"))


@pytest.mark.parametrize("path", ALL, ids=_rel)
def test_links_are_absolute_and_the_badge_opens_this_notebook(path):
    site = mk.load_site(ROOT)
    nb = _read(path)
    rel = _rel(path)
    md = "\n".join(_without_images(c.source) for c in nb.cells if c.cell_type == "markdown")
    targets = re.findall(r"\]\(([^)\s]+)", md) + re.findall(r'(?:href|src)="([^"]+)"', md)
    relative = [t for t in targets if not re.match(r"(https?:|data:|#)", t)]
    assert not relative, f"relative links: {relative}"
    badge = re.search(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]+)\)", md)
    assert badge, "no Open in Colab badge"
    assert badge.group(1) == site.colab_url(rel)
    for url in re.findall(r"https://yujinmin2\.github\.io/[^)\s\"]+", md):
        assert url.startswith(site.base_url)
        page = url[len(site.base_url):].split("#")[0]
        assert page.endswith(".html") and (ROOT / page.replace(".html", ".md")).is_file(), url


@pytest.mark.parametrize("path", ALL, ids=_rel)
def test_diagrams_are_embedded_pngs_from_the_cache(path):
    nb = _read(path)
    source_page = ROOT / nb.metadata["hh_course"]["source"]
    page_text = source_page.read_text(encoding="utf-8")
    n_diagrams = len(re.findall(r"^(```+\{mermaid\}|```+mermaid\s*$)", page_text, re.M))
    images = [m.group(1) for c in nb.cells if c.cell_type == "markdown" for m in DATA_PNG.finditer(c.source)]
    assert len(images) == n_diagrams
    cached = {p.read_bytes() for p in (ROOT / mk.DIAGRAM_DIR).glob("*.png")}
    for b64 in images:
        png = base64.b64decode(b64)
        assert png.startswith(PNG_SIGNATURE)
        assert png in cached
    for c in nb.cells:
        for m in re.finditer(r"!\[([^\]]*)\]\(data:image/png", c.source):
            assert m.group(1).startswith(("흐름도", "다이어그램")), "diagram without alt text"


@pytest.mark.parametrize("path", INSTRUCTOR, ids=_rel)
def test_instructor_solutions_are_hidden_until_asked_for(path):
    nb = _read(path)
    details = [c for c in nb.cells if c.cell_type == "markdown" and "<summary>풀이 보기" in c.source]
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    page_text = (ROOT / nb.metadata["hh_course"]["source"]).read_text(encoding="utf-8")
    if "{solution" not in page_text:
        pytest.skip("no exercise solutions on this page")
    assert details and solutions
    for c in details:
        assert re.search(r"\A<details>\n<summary>[^<]+</summary>\n\n.*\n\n</details>\Z", c.source, re.S)
    for c in solutions:
        first = c.source.splitlines()[0]
        assert re.fullmatch(r'# @title 풀이 코드 — 문제 \d+.*\{ display-mode: "form" \}', first), first
        assert c.metadata["cellView"] == "form" and c.metadata["jupyter"]["source_hidden"] is True
    headings = re.findall(r"^### 문제 (\d+)", "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"), re.M)
    assert headings == [str(i) for i in range(1, len(headings) + 1)] and headings


@pytest.mark.parametrize("name", [p.stem for p in INSTRUCTOR])
def test_student_version_differs_only_in_the_solutions(name):
    inst = _read(ROOT / "notebooks" / f"{name}.ipynb")
    stud = _read(ROOT / "notebooks" / "student" / f"{name}.ipynb")

    def common(nb):
        return [(c.cell_type, c.id, c.source) for c in nb.cells
                if "solution" not in c.metadata.get("tags", []) and "todo" not in c.metadata.get("tags", [])
                and "<summary>풀이 보기" not in c.source]

    a, b = common(inst), common(stud)
    # The title cell (its badge opens the notebook itself) and the note under it differ by design.
    assert [x[0] for x in a] == [x[0] for x in b]
    differing = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    assert differing == [0, 1], f"cells other than the title and the note differ: {differing}"
    n_sol = sum("solution" in c.metadata.get("tags", []) for c in inst.cells)
    todos = [c for c in stud.cells if "todo" in c.metadata.get("tags", [])]
    assert len(todos) == n_sol
    for c in todos:
        assert c.source.startswith("# TODO — 문제 ")
        assert re.search(r'^raise NotImplementedError\("문제 \d+', c.source, re.M)
    # the student version gives no solution away
    assert not any("<summary>풀이 보기" in c.source for c in stud.cells)
    sol_code = {c.source.split("\n", 1)[1] for c in inst.cells if "solution" in c.metadata.get("tags", [])}
    assert not sol_code & {c.source for c in stud.cells}


def test_generation_is_deterministic():
    first, _ = mk.generate(ROOT, render=False)
    second, _ = mk.generate(ROOT, render=False)
    assert first == second
    for text in first.values():
        assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:", _without_images(text)), "timestamp in a notebook"


# ------------------------------------------------------------------------------------------
# The converter, on a sample page in a scratch repository
# ------------------------------------------------------------------------------------------

SAMPLE_MERMAID = "flowchart LR\n    A[자극] --> B[막전위 V]\n"
ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

SAMPLE_PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
title: "W9D9 - 견본"
notebook: W9D9_Sample
---

# W9D9: 견본 페이지

[![Open In Colab](../../_images/open-in-colab.svg)](https://colab.research.google.com/github/someone/course/blob/main/notebooks/W9D9_Sample.ipynb)
[![학생용](../../_images/open-in-colab.svg)](https://colab.research.google.com/github/someone/course/blob/main/notebooks/student/W9D9_Sample.ipynb)

---

## 개요

(sec-overview)=
### 그림

```{mermaid}
flowchart LR
    A[자극] --> B[막전위 V]
```

```mermaid
flowchart LR
    A[자극] --> B[막전위 V]
```

% 이 줄은 MyST 주석이라 사라집니다.

:::{note}
참고 내용과 수식 $V = IR$, 그리고 [개념 페이지](../concepts/other.md#part).
:::

```{warning}
경고 본문.
```

```{admonition} 직접 붙인 제목
:class: dropdown

숨겨진 본문.
```

용어
: 정의입니다.

{doc}`../concepts/other`와 {doc}`다른 쪽 <../concepts/other>`, {ref}`sec-overview`, {ref}`연습 <ex-two>`.
코드 `[a](b.md)`는 그대로입니다. [라이브러리](../../../lib/mod.py), 페이지 안 링크 [위로](#개요).

```{literalinclude} ../../../lib/mod.py
:language: python
:pyobject: double
```

```{literalinclude} ../../../lib/mod.py
:lines: 1-2
```

$$
C_m \\frac{dV}{dt} = I
$$

```{code-cell} ipython3
x = 2
```

## 문제

```{exercise} 두 배
:label: ex-one

`x`를 두 배로 하세요.
```

````{solution-start} ex-one
:class: dropdown
````

풀이 설명 $y = 2x$.

```{code-cell} ipython3
y = 2 * x
```

더 보기.

```{code-cell} ipython3
:todo: y를 출력하세요
print(y)
```

````{solution-end}
````

```{exercise-start} 세 배
:label: ex-two
```

`x`를 세 배로 하세요.

```{exercise-end}
```

```{solution} ex-two
:class: dropdown

중첩 풀이: `3 * x`.
```

```{code-cell} ipython3
print(x)
```

```{button-ref} other-page
:ref-type: doc
:color: primary

다음 →
```
"""


@pytest.fixture
def scratch(tmp_path):
    """A small repository: config, the sample page, a linked page, a module, the mermaid pin."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "vendor_assets.py", tmp_path / "scripts" / "vendor_assets.py")
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/someone/course\n  branch: main\n  path_to_book: ''\n",
        encoding="utf-8")
    week = tmp_path / "book" / "weeks" / "w9"
    week.mkdir(parents=True)
    (week / "sample.md").write_text(SAMPLE_PAGE, encoding="utf-8")
    (week / "other-page.md").write_text("# 다음 페이지\n", encoding="utf-8")
    concepts = tmp_path / "book" / "weeks" / "concepts"
    concepts.mkdir(parents=True)
    (concepts / "other.md").write_text("---\ntitle: 다른 개념\n---\n# 다른 개념\n", encoding="utf-8")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "mod.py").write_text(
        "import math\nPI = math.pi\n\n\ndef double(x):\n    return 2 * x\n\n\ndef triple(x):\n    return 3 * x\n",
        encoding="utf-8")
    cache = mk.DiagramCache(tmp_path, render=False)
    key = cache.key(SAMPLE_MERMAID)
    (tmp_path / mk.DIAGRAM_DIR).mkdir(parents=True)
    (tmp_path / mk.DIAGRAM_DIR / f"{key}.png").write_bytes(ONE_PIXEL_PNG)
    (tmp_path / mk.DIAGRAM_DIR / f"{key}.json").write_text('{"alt": "흐름도: 자극 · 막전위 V"}', encoding="utf-8")
    return tmp_path


def test_sample_page_converts_every_construct(scratch):
    out, _ = mk.generate(scratch, render=False)
    assert set(out) == {"notebooks/W9D9_Sample.ipynb", "notebooks/student/W9D9_Sample.ipynb"}
    inst = nbformat.reads(out["notebooks/W9D9_Sample.ipynb"], as_version=4)
    stud = nbformat.reads(out["notebooks/student/W9D9_Sample.ipynb"], as_version=4)
    md = "\n\n".join(c.source for c in inst.cells if c.cell_type == "markdown")
    site = "https://someone.github.io/course/"
    expect = [
        # badge opens this very notebook
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/someone/course/blob/main/notebooks/W9D9_Sample.ipynb)",
        # another Colab badge keeps its target
        "[![학생용](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/someone/course/blob/main/notebooks/student/W9D9_Sample.ipynb)",
        # both mermaid forms become the cached PNG with its alt text
        "![흐름도: 자극 · 막전위 V](data:image/png;base64," + base64.b64encode(ONE_PIXEL_PNG).decode() + ")",
        # admonitions
        "> **참고**\n>\n> 참고 내용과 수식 $V = IR$, 그리고 [개념 페이지]"
        f"({site}book/weeks/concepts/other.html#part).",
        "> **주의**\n>\n> 경고 본문.",
        "<details>\n<summary>직접 붙인 제목</summary>\n\n숨겨진 본문.\n\n</details>",
        # definition list
        "**용어**\n\n정의입니다.",
        # roles
        f"[다른 개념]({site}book/weeks/concepts/other.html)와 [다른 쪽]({site}book/weeks/concepts/other.html)",
        f"[그림]({site}book/weeks/w9/sample.html#sec-overview)",
        f"[연습]({site}book/weeks/w9/sample.html#ex-two)",
        "코드 `[a](b.md)`는 그대로입니다.",
        "[라이브러리](https://github.com/someone/course/blob/main/lib/mod.py)",
        "[위로](#개요)",
        # literalinclude
        "```python\ndef double(x):\n    return 2 * x\n```",
        "```python\nimport math\nPI = math.pi\n```",
        # math stays
        "$$\nC_m \\frac{dV}{dt} = I\n$$",
        # exercises
        "## 문제",
        "### 문제 1: 두 배\n\n`x`를 두 배로 하세요.",
        "### 문제 2: 세 배\n\n`x`를 세 배로 하세요.",
        "<details>\n<summary>풀이 보기 — 문제 1</summary>\n\n풀이 설명 $y = 2x$.\n\n</details>",
        "<details>\n<summary>풀이 보기 — 문제 1 (이어서)</summary>\n\n더 보기.\n\n</details>",
        "<details>\n<summary>풀이 보기 — 문제 2</summary>\n\n중첩 풀이: `3 * x`.\n\n</details>",
        # button-ref
        f"**[다음 →]({site}book/weeks/w9/other-page.html)**",
    ]
    for piece in expect:
        assert piece in md, f"missing from the notebook:\n{piece}\n--- got ---\n{_without_images(md)}"
    assert "MyST 주석" not in md and "(sec-overview)=" not in md
    code = [c for c in inst.cells if c.cell_type == "code"]
    assert "setup" in code[0].metadata["tags"]
    assert [c.source for c in code[1:]] == [
        "x = 2",
        '# @title 풀이 코드 — 문제 1: 두 배 (먼저 직접 풀어 보세요) { display-mode: "form" }\ny = 2 * x',
        '# @title 풀이 코드 — 문제 1: 두 배 (먼저 직접 풀어 보세요) { display-mode: "form" }\nprint(y)',
        "print(x)",
    ]
    scode = [c for c in stud.cells if c.cell_type == "code"]
    assert scode[2].source.startswith("# TODO — 문제 1 (두 배): 이 셀의 코드를 직접 작성하세요.")
    assert "#   뒤의 셀에서 쓸 변수: y" in scode[2].source
    assert scode[3].source.startswith("# TODO — 문제 1 (두 배): y를 출력하세요")
    assert all('raise NotImplementedError("문제 1 (두 배): TODO를 완성하세요")' in c.source for c in scode[2:4])
    smd = "\n".join(c.source for c in stud.cells if c.cell_type == "markdown")
    assert "풀이 보기" not in smd and "중첩 풀이" not in smd
    assert "notebooks/student/W9D9_Sample.ipynb" in smd


def test_sample_student_notebook_raises_only_in_todo_cells(scratch):
    out, _ = mk.generate(scratch, render=False)
    stud = nbformat.reads(out["notebooks/student/W9D9_Sample.ipynb"], as_version=4)
    ns: dict = {}
    for cell in stud.cells[1:]:   # the set-up cell needs hh_lib; the rest is plain Python
        if cell.cell_type != "code" or "setup" in cell.metadata.get("tags", []):
            continue
        if "todo" in cell.metadata.get("tags", []):
            with pytest.raises(NotImplementedError):
                exec(cell.source, ns)
        else:
            exec(cell.source, ns)


def test_write_then_check_then_detect_staleness(scratch, capsys):
    assert mk.main(["--root", str(scratch)]) == 0
    assert mk.main(["--root", str(scratch), "--check"]) == 0
    page = scratch / "book" / "weeks" / "w9" / "sample.md"
    page.write_text(page.read_text(encoding="utf-8").replace("경고 본문.", "바뀐 경고."), encoding="utf-8")
    assert mk.main(["--root", str(scratch), "--check"]) == 1
    assert "stale: notebooks/W9D9_Sample.ipynb" in capsys.readouterr().err
    assert mk.main(["--root", str(scratch)]) == 0
    assert mk.main(["--root", str(scratch), "--check"]) == 0
    # a hand edit of a generated notebook is caught too
    nb_path = scratch / "notebooks" / "student" / "W9D9_Sample.ipynb"
    nb_path.write_text(nb_path.read_text(encoding="utf-8").replace("TODO", "todo", 1), encoding="utf-8")
    assert mk.main(["--root", str(scratch), "--check"]) == 1
    # a new diagram is reported (and never rendered) by --check
    page.write_text(page.read_text(encoding="utf-8").replace("B[막전위 V]", "B[막전위 V2]", 1), encoding="utf-8")
    assert mk.main(["--root", str(scratch), "--check"]) == 1
    assert "not rendered yet" in capsys.readouterr().err


def test_unknown_directive_or_role_is_an_error(scratch):
    page = scratch / "book" / "weeks" / "w9" / "sample.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("## 개요", "## 개요\n\n```{glue:figure} fig\n```"), encoding="utf-8")
    with pytest.raises(mk.GeneratorError, match=r"directive \{glue:figure\} is not supported"):
        mk.generate(scratch, render=False)
    page.write_text(text.replace("## 개요", "## 개요\n\n{eq}`my-eq`"), encoding="utf-8")
    with pytest.raises(mk.GeneratorError, match=r"role \{eq\} is not supported"):
        mk.generate(scratch, render=False)
    page.write_text(text.replace("../concepts/other.md#part", "../concepts/missing.md"), encoding="utf-8")
    with pytest.raises(mk.GeneratorError, match="does not exist"):
        mk.generate(scratch, render=False)


def test_badge_for_another_repository_is_an_error(scratch):
    page = scratch / "book" / "weeks" / "w9" / "sample.md"
    page.write_text(page.read_text(encoding="utf-8").replace("github/someone/course/blob/main",
                                                             "github/other/course/blob/main"), encoding="utf-8")
    with pytest.raises(mk.GeneratorError, match="Colab badge points at other/course@main"):
        mk.generate(scratch, render=False)


def test_site_address_comes_from_the_config(scratch):
    site = mk.load_site(scratch)
    assert site.base_url == "https://someone.github.io/course/"
    cfg = scratch / "_config.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "html:\n  baseurl: https://course.example.org\n",
                   encoding="utf-8")
    assert mk.load_site(scratch).base_url == "https://course.example.org/"


# ------------------------------------------------------------------------------------------
# Execution (slow)
# ------------------------------------------------------------------------------------------


def _client(nb, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    # hh_lib from the working tree, as an editable install would give it; run outside the repo
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(tmp_path)}})


@pytest.mark.notebooks
@pytest.mark.parametrize("path", INSTRUCTOR, ids=_rel)
def test_instructor_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    nb = _read(path)
    start = time.monotonic()
    _client(nb, tmp_path, monkeypatch).execute()
    elapsed = time.monotonic() - start
    print(f"{_rel(path)}: ran in {elapsed:.1f} s")
    errors = [(i, o.ename) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert not errors
    outputs = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "missing from" not in outputs, "a figure lacks glyphs (Korean font)"
    assert "그림의 한글 글꼴: 없음" not in outputs


@pytest.mark.notebooks
@pytest.mark.parametrize("path", STUDENT, ids=_rel)
def test_student_notebook_runs_up_to_each_todo(path, tmp_path, monkeypatch):
    from nbclient.exceptions import CellExecutionError

    nb = _read(path)
    client = _client(nb, tmp_path, monkeypatch)
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
                assert re.match(r"문제 \d+", exc.evalue)
                raised.append(index)
                continue
            assert not is_todo, f"TODO cell {index} did not raise NotImplementedError"
    assert len(raised) == todo_cells
