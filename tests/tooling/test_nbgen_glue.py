"""myst-nb glue in the notebooks: ``{glue:text}`` roles are rendered from the executed page.

A sample page glues values in its code cells and shows them in its prose; a fake executed notebook
(what the strict build writes to ``_build/jupyter_execute``) holds the glue outputs. The generated
notebooks must show the formatted values, keep no ``{glue`` role anywhere, and turn the myst-nb
import into a local do-nothing ``glue``; a missing or stale executed notebook, or an unknown name,
fails naming the page. On the real lecture pages (when built), no ``{glue`` reaches a notebook.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from scripts import nbgen
from scripts.nbgen import glue as G
from scripts.nbgen.errors import GeneratorError

ROOT = Path(__file__).resolve().parents[2]
PAGE = "book/weeks/w9/glued.md"
CELL_1 = 'from myst_nb import glue\nx = 2.0 / 3.0\nglue("x", x, display=False)'
CELL_2 = 'glue("n", 7, display=False)\nglue("label", "활동전위", display=False)'
PAGE_TEXT = f"""---
kernelspec:
  display_name: Python 3
  language: python
  name: python3
notebook: W9D9_Glued
---

# W9D9: 값 넣기

## 본문

```{{code-cell}} ipython3
{CELL_1}
```

값은 {{glue:text}}`x:.3f`이고, 개수는 {{glue:text}}`n`, 이름은 {{glue}}`label`입니다.

```{{code-cell}} ipython3
{CELL_2}
```
"""


def _glue_output(name, text):
    return {"output_type": "display_data", "metadata": {"scrapbook": {"name": name, "mime_prefix": ""}},
            "data": {"text/plain": text}}


def _executed(cells):
    return {"cells": [{"cell_type": "code", "source": src, "metadata": {}, "outputs": outs, "execution_count": 1}
                      for src, outs in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def scratch(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/someone/course\n  branch: main\n  path_to_book: ''\n", encoding="utf-8")
    page = tmp_path / PAGE
    page.parent.mkdir(parents=True)
    page.write_text(PAGE_TEXT, encoding="utf-8")
    ex = G.executed_notebook(tmp_path, PAGE)
    ex.parent.mkdir(parents=True)
    ex.write_text(json.dumps(_executed([
        (CELL_1, [_glue_output("x", "0.6666666666666666")]),
        (CELL_2, [_glue_output("n", "7"), _glue_output("label", "'활동전위'")]),
    ])), encoding="utf-8")
    return tmp_path


def _notebooks(root):
    files = nbgen.generate(root, root / "out", render=False)
    return {rel: nbformat.reads(text, as_version=4) for rel, text in files.items() if rel.endswith(".ipynb")}


def test_glue_values_are_rendered_and_no_role_is_left(scratch):
    nbs = _notebooks(scratch)
    assert nbs, "no notebook generated"
    for rel, nb in nbs.items():
        text = "\n".join(c.source for c in nb.cells)
        assert "{glue" not in text, rel
        md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "값은 0.667이고, 개수는 7, 이름은 '활동전위'입니다." in md, rel
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "from myst_nb import glue" not in code and "def glue(name, value, display=False)" in code


def test_generated_glue_stub_runs_without_myst_nb(scratch):
    nb = _notebooks(scratch)["W9D9_Glued.ipynb"]
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "glue" in cell.source:
            exec(compile(cell.source, "<cell>", "exec"), namespace)  # noqa: S102 - our own generated cell
    assert namespace["x"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("change, message", [
    ("missing", "does not exist; build the site first"),
    ("stale", "was executed from another version of the page"),
    ("unknown", "glue value 'y' is not in the executed page"),
])
def test_missing_stale_or_unknown_glue_fails(scratch, change, message):
    if change == "missing":
        G.executed_notebook(scratch, PAGE).unlink()
    elif change == "stale":
        page = scratch / PAGE
        page.write_text(page.read_text(encoding="utf-8").replace("x = 2.0 / 3.0", "x = 0.5"), encoding="utf-8")
    else:
        page = scratch / PAGE
        page.write_text(page.read_text(encoding="utf-8").replace("`x:.3f`", "`y:.3f`"), encoding="utf-8")
    with pytest.raises(GeneratorError, match=message) as info:
        _notebooks(scratch)
    assert str(info.value).startswith(PAGE), str(info.value)


def test_format_follows_myst_nb():
    values = {"a": "np.float64(1.5)", "b": "1.23456"}
    assert G.render(values, "b:.2f", "p:1") == "1.23" and G.render(values, "b", "p:1") == "1.23456"
    with pytest.raises(GeneratorError, match="not a literal"):
        G.render(values, "a:.1f", "p:1")   # numpy scalars must be glued as Python floats


def test_real_lecture_notebooks_have_no_glue_role(generated):
    """The real pages' notebooks (generated from the built book): every {glue} role is replaced by
    its value, e.g. the first peak of §3.1 as the page prints it."""
    texts = {nb.relative_to(generated).as_posix(): nb.read_text(encoding="utf-8") for nb in generated.rglob("*.ipynb")}
    assert texts and not [rel for rel, text in texts.items() if "{glue" in text]
    first_peak = json.loads(texts["W5D1_HodgkinHuxley.ipynb"])
    prose = "".join("".join(c["source"]) for c in first_peak["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"첫 정점은 2\.14 ms", prose), "the glued first peak (2.14 ms) is in the notebook's text"