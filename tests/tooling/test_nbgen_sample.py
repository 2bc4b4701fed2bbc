"""The generator on a sample page in a scratch repository: every construct the book uses, the
hh-lab directive, and bad input failing with page and line."""
from __future__ import annotations

import ast
import base64
from pathlib import Path

import nbformat
import pytest

from scripts import nbgen
from scripts.nbgen import GeneratorError
from scripts.nbgen.diagrams import DiagramCache

ROOT = Path(__file__).resolve().parents[2]
PAGE = "book/weeks/w9/sample.md"
SAMPLE_MERMAID = "flowchart LR\n    A[자극] --> B[막전위 V]\n"
ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
BRANCH = "https://colab.research.google.com/github/someone/course/blob/notebooks/"
SITE = "https://someone.github.io/course/"

SAMPLE_PAGE = """---
title: "W9D9 - 견본"
notebook: W9D9_Sample
---

# W9D9: 견본 페이지

[![Open In Colab](../../_images/open-in-colab.svg)](https://colab.research.google.com/github/someone/course/blob/notebooks/W9D9_Sample.ipynb)
[![학생용](../../_images/open-in-colab.svg)](https://colab.research.google.com/github/someone/course/blob/notebooks/student/W9D9_Sample.ipynb)

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

```{math}
:label: eq-one
I = C \\dot V
```

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
    """A small repository: config, the sample page, linked pages, a module, a cached diagram."""
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/someone/course\n  branch: main\n  path_to_book: ''\n", encoding="utf-8")
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
    out = tmp_path / "out"
    cache = DiagramCache(out / "_diagrams", render=False)
    (out / "_diagrams").mkdir(parents=True)
    (out / "_diagrams" / f"{cache.key(SAMPLE_MERMAID)}.png").write_bytes(ONE_PIXEL_PNG)
    (out / "_diagrams" / f"{cache.key(SAMPLE_MERMAID)}.json").write_text('{"alt": "흐름도: 자극 · 막전위 V"}', encoding="utf-8")
    return tmp_path


def _generate(root: Path) -> dict[str, nbformat.NotebookNode]:
    files = nbgen.generate(root, root / "out", render=False)
    return {rel: nbformat.reads(text, as_version=4) for rel, text in files.items() if rel.endswith(".ipynb")}


def _edit(root: Path, old: str, new: str) -> None:
    page = root / PAGE
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(root: Path, needle: str) -> int:
    lines = (root / PAGE).read_text(encoding="utf-8").split("\n")
    return next(i for i, l in enumerate(lines, 1) if needle in l)


EXPECTED = [
    # the badge opens this very notebook on the notebooks branch; the student badge keeps its target
    f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({BRANCH}W9D9_Sample.ipynb)",
    f"[![학생용](https://colab.research.google.com/assets/colab-badge.svg)]({BRANCH}student/W9D9_Sample.ipynb)",
    "![흐름도: 자극 · 막전위 V](data:image/png;base64," + base64.b64encode(ONE_PIXEL_PNG).decode() + ")",
    f"> **참고**\n>\n> 참고 내용과 수식 $V = IR$, 그리고 [개념 페이지]({SITE}book/weeks/concepts/other.html#part).",
    "> **주의**\n>\n> 경고 본문.",
    "<details>\n<summary>직접 붙인 제목</summary>\n\n숨겨진 본문.\n\n</details>",
    "**용어**\n\n정의입니다.",
    f"[다른 개념]({SITE}book/weeks/concepts/other.html)와 [다른 쪽]({SITE}book/weeks/concepts/other.html)",
    f"[그림]({SITE}book/weeks/w9/sample.html#sec-overview)",
    f"[연습]({SITE}book/weeks/w9/sample.html#ex-two)",
    "코드 `[a](b.md)`는 그대로입니다.",
    "[라이브러리](https://github.com/someone/course/blob/main/lib/mod.py)",
    "[위로](#개요)",
    "```python\ndef double(x):\n    return 2 * x\n```",
    "```python\nimport math\nPI = math.pi\n```",
    "$$\nC_m \\frac{dV}{dt} = I\n$$",
    "$$\nI = C \\dot V\n$$",
    "### 문제 1: 두 배\n\n`x`를 두 배로 하세요.",
    "### 문제 2: 세 배\n\n`x`를 세 배로 하세요.",
    "<details>\n<summary>풀이 보기 — 문제 1</summary>\n\n풀이 설명 $y = 2x$.\n\n</details>",
    "<details>\n<summary>풀이 보기 — 문제 1 (이어서)</summary>\n\n더 보기.\n\n</details>",
    f"**[다음 →]({SITE}book/weeks/w9/other-page.html)**",
]


def test_sample_page_converts_every_construct(scratch):
    out = _generate(scratch)
    assert set(out) == {"W9D9_Sample.ipynb", "student/W9D9_Sample.ipynb"}
    inst, stud = out["W9D9_Sample.ipynb"], out["student/W9D9_Sample.ipynb"]
    md = "\n\n".join(c.source for c in inst.cells if c.cell_type == "markdown")
    for piece in EXPECTED:
        assert piece in md, f"missing from the notebook:\n{piece}\n--- got ---\n{md}"
    assert "MyST 주석" not in md and "(sec-overview)=" not in md and "eq-one" not in md
    code = [c.source for c in inst.cells if c.cell_type == "code"]
    assert code[1:] == [
        "x = 2",
        '# @title 풀이 코드 — 문제 1: 두 배 (먼저 직접 풀어 보세요) { display-mode: "form" }\ny = 2 * x',
        '# @title 풀이 코드 — 문제 1: 두 배 (먼저 직접 풀어 보세요) { display-mode: "form" }\nprint(y)',
        "print(x)",
    ]
    scode = [c.source for c in stud.cells if c.cell_type == "code"]
    assert scode[2].startswith("# TODO — 문제 1 (두 배): 이 셀의 코드를 직접 작성하세요.")
    assert "#   뒤의 셀에서 쓸 변수: y" in scode[2]
    assert scode[3].startswith("# TODO — 문제 1 (두 배): y를 출력하세요")
    smd = "\n".join(c.source for c in stud.cells if c.cell_type == "markdown")
    assert "풀이 보기" not in smd and f"{BRANCH}student/W9D9_Sample.ipynb" in smd


def test_sample_student_notebook_raises_only_in_todo_cells(scratch):
    stud = _generate(scratch)["student/W9D9_Sample.ipynb"]
    ns: dict = {}
    for cell in stud.cells:   # the set-up cell needs hh_lib; the rest is plain Python
        if cell.cell_type != "code" or "setup" in cell.metadata.get("tags", []):
            continue
        if "todo" in cell.metadata.get("tags", []):
            with pytest.raises(NotImplementedError):
                exec(cell.source, ns)
        else:
            exec(cell.source, ns)


def test_lab_directive_becomes_a_show_lab_cell(scratch):
    _edit(scratch, "## 문제", "```{hh-lab} current-clamp\n:current: 10\n:temperature: 6.3\n:ttx: 0\n"
                              ":duration: 100\n```\n\n## 문제")
    for rel, nb in _generate(scratch).items():
        (cell,) = [c for c in nb.cells if "show_lab" in c.source]
        tree = ast.parse(cell.source)
        assert ast.unparse(tree.body[0]) == "from hh_lib.labs import show_lab"
        call = tree.body[1].value
        assert call.func.id == "show_lab" and [a.value for a in call.args] == ["current-clamp"]
        kwargs = {k.arg: k.value.value for k in call.keywords}
        assert kwargs == {"current": 10.0, "temperature": 6.3, "ttx": 0.0, "duration": 100.0}
        assert all(type(v) is float for v in kwargs.values())


@pytest.mark.parametrize("old, new, needle, message", [
    ("## 개요", "## 개요\n\n```{glue:figure} fig\n```", "{glue:figure}", r"directive \{glue:figure\} is not supported"),
    ("## 개요", "## 개요\n\n{eq}`my-eq`", "{eq}", r"role \{eq\} is not supported"),
    ("## 개요", "## 개요\n\n```{solution} ex-one\n본문\n```", "{solution}", r"directive \{solution\} is not supported"),
    ("../concepts/other.md#part", "../concepts/missing.md", "missing.md", "does not exist"),
    (":pyobject: double", ":pyobject: double\n:colour: red", "{literalinclude}", "colour"),
    ("## 개요", "## 개요\n\n```{hh-lab} space-clamp\n:current: 1\n```", "space-clamp", "must be one of"),
    ("## 개요", "## 개요\n\n```{hh-lab} current-clamp\n:mode: fast\n```", "current-clamp", "no knob 'mode'"),
    ("## 개요", "## 개요\n\n- 목록\n\n  ```{note}\n  안\n  ```", "```{note}", "inside a list"),
    ("## 개요", "## 개요\n\n{{ 치환 }}", "{{", "substitution"),
    ("github/someone/course/blob/notebooks/W9D9", "github/someone/course/blob/main/notebooks/W9D9", "Open In Colab",
     "this page's notebook is https://colab.research.google.com/github/someone/course/blob/notebooks/W9D9_Sample.ipynb"),
])
def test_bad_input_fails_naming_page_and_line(scratch, old, new, needle, message):
    _edit(scratch, old, new)
    line = _line_of(scratch, needle)
    with pytest.raises(GeneratorError, match=message) as info:
        _generate(scratch)
    assert str(info.value).startswith(f"{PAGE}:{line}:"), str(info.value)


def test_a_new_diagram_is_rendered_only_when_allowed(scratch):
    _edit(scratch, "B[막전위 V]\n```\n\n```mermaid", "B[막전위 V2]\n```\n\n```mermaid")
    with pytest.raises(GeneratorError, match=f"not rendered yet: {PAGE}:{_line_of(scratch, '```{mermaid}')}"):
        nbgen.generate(scratch, scratch / "out", render=False)


def test_site_address_comes_from_the_config(scratch):
    from scripts.nbgen.paths import load_site

    assert load_site(scratch).base_url == SITE
    cfg = scratch / "_config.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "html:\n  baseurl: https://course.example.org\n", encoding="utf-8")
    assert load_site(scratch).base_url == "https://course.example.org/"
    cfg.write_text("repository:\n  url: https://gitlab.com/a/b\n  branch: main\n", encoding="utf-8")
    with pytest.raises(GeneratorError, match="repository.url"):
        load_site(scratch)
