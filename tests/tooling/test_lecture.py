"""``make lecture NAME=...`` in a temporary copy of the repository: the page, the TOC entry,
its notebooks (and, slow, that the new instructor notebook runs and the student one raises
only in its TODO)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def make(copy: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(["make", "--no-print-directory", "lecture", *args], cwd=copy, capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.fixture
def copy(tmp_path, generated) -> Path:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    dest = tmp_path / "repo"
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    shutil.copytree(generated / "_diagrams", dest / "_build" / "notebooks" / "_diagrams")
    # The executed pages (their glued numbers); `generated` built the book when they were missing.
    shutil.copytree(ROOT / "_build" / "jupyter_execute", dest / "_build" / "jupyter_execute")
    return dest


def test_make_lecture_creates_the_page_and_adds_it_to_the_toc(copy):
    from sphinx_external_toc.parsing import parse_toc_yaml

    res = make(copy, "NAME=week6/day1-cable-theory")
    assert res.returncode == 0, res.stderr
    page = copy / "book" / "weeks" / "week6" / "day1-cable-theory.md"
    text = page.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "W6D1 - Cable Theory" and meta["notebook"] == "W6D1_CableTheory"
    assert ("https://colab.research.google.com/github/yujinmin2/yujin_research/blob/notebooks/W6D1_CableTheory.ipynb"
            in text)
    toc_text = (copy / "_toc.yml").read_text(encoding="utf-8")
    assert toc_text.startswith("# Table of contents"), "the TOC's comment was lost"
    toc = parse_toc_yaml(copy / "_toc.yml")   # the parser Jupyter Book uses
    assert "book/weeks/week6/day1-cable-theory" in toc
    assert list(toc).index("book/weeks/week6/day1-cable-theory") > list(toc).index("book/weeks/week5/day2-neuron-models")
    parts = yaml.safe_load(toc_text)["parts"]
    assert [p["caption"] for p in parts][:2] == ["Week 5: 뉴런 모델", "Week 6"]

    assert make(copy, "NAME=week6/day2-synapses", "TITLE=W6D2 - 시냅스").returncode == 0
    parts = yaml.safe_load((copy / "_toc.yml").read_text(encoding="utf-8"))["parts"]
    assert [c["file"] for c in parts[1]["chapters"]] == ["book/weeks/week6/day1-cable-theory", "book/weeks/week6/day2-synapses"]
    assert 'title: "W6D2 - 시냅스"' in (copy / "book/weeks/week6/day2-synapses.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    ([], "usage: make lecture NAME="),
    (["NAME=Week6/Day1"], "use weekN/dayM-words"),
    (["NAME=week5/day1-hodgkin-huxley"], "exists already"),
])
def test_make_lecture_refuses_bad_names(copy, args, message):
    toc = (copy / "_toc.yml").read_text(encoding="utf-8")
    res = make(copy, *args)
    assert res.returncode != 0 and message in res.stderr, res.stderr
    assert (copy / "_toc.yml").read_text(encoding="utf-8") == toc


@pytest.mark.notebooks
def test_the_new_lecture_gives_notebooks_that_run(copy, tmp_path, monkeypatch):
    from notebook_client import notebook_client
    from scripts import nbgen

    from test_notebooks import run_student

    assert make(copy, "NAME=week6/day1-cable-theory").returncode == 0
    out = copy / "_build" / "notebooks"
    nbgen.write(copy, out, render=False, log=lambda m: None)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    inst = nbformat.read(out / "W6D1_CableTheory.ipynb", as_version=4)
    notebook_client(inst, tmp_path).execute()
    stud = nbformat.read(out / "student" / "W6D1_CableTheory.ipynb", as_version=4)
    raised, todos = run_student(stud, notebook_client(stud, tmp_path))
    assert len(raised) == todos == 1
