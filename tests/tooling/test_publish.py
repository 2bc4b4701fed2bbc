"""scripts/publish_notebooks.py against a bare repository in a temporary folder (no GitHub).

A small project (config, two lecture pages, the generator) is pushed to a bare "origin" whose
``notebooks`` branch already holds a render of the one diagram (as after an earlier run, so no
browser is needed). Then, each time from a fresh clone as CI does: the first run publishes
every notebook; after one page changes on main, a run adds exactly one commit that touches that
page's two notebooks and nothing else; a run with nothing changed adds no commit; a run from an
older commit publishes nothing; main never receives a commit from the script.
"""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.nbgen.diagrams import DiagramCache

ROOT = Path(__file__).resolve().parents[2]
DIAGRAM = "flowchart LR\n    A[자극] --> B[막전위]\n"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
BADGE = "[![Open In Colab](https://example.org/b.svg)](https://colab.research.google.com/github/someone/course/blob/notebooks/{}.ipynb)"


def page(name: str, body: str) -> str:
    return f"---\nnotebook: {name}\n---\n\n# {name}\n\n{BADGE.format(name)}\n\n---\n\n{body}\n"


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "강사", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "강사", "GIT_COMMITTER_EMAIL": "t@example.org"}
    env.pop("GITHUB_TOKEN", None)
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout.strip()


@pytest.fixture
def origin(tmp_path) -> Path:
    src = tmp_path / "src"
    (src / "scripts").mkdir(parents=True)
    shutil.copytree(ROOT / "scripts" / "nbgen", src / "scripts" / "nbgen", ignore=shutil.ignore_patterns("__pycache__"))
    for f in ("vendor_assets.py", "publish_notebooks.py"):
        shutil.copy(ROOT / "scripts" / f, src / "scripts" / f)
    (src / "_config.yml").write_text("repository:\n  url: https://github.com/someone/course\n  branch: main\n", encoding="utf-8")
    (src / "book").mkdir()
    (src / "book" / "a.md").write_text(page("A_Lecture", f"## 그림\n\n```mermaid\n{DIAGRAM}```\n"), encoding="utf-8")
    (src / "book" / "b.md").write_text(page("B_Lecture", "## 본문\n\n```{code-cell} ipython3\nx = 1\n```\n"), encoding="utf-8")
    git(src, "init", "-q", "-b", "main")
    git(src, "add", "-A")
    git(src, "commit", "-qm", "pages")
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(src, "remote", "add", "origin", str(bare))
    git(src, "push", "-q", "origin", "main")
    # an earlier publication: the notebooks branch with the diagram's render
    seed = tmp_path / "seed"
    git(tmp_path, "init", "-q", "-b", "notebooks", str(seed))
    key = DiagramCache(seed, render=False).key(DIAGRAM)
    (seed / "_diagrams").mkdir()
    (seed / "_diagrams" / f"{key}.png").write_bytes(PNG)
    (seed / "_diagrams" / f"{key}.json").write_text('{"alt": "흐름도: 자극 · 막전위"}\n', encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "seed")
    git(seed, "push", "-q", str(bare), "notebooks")
    return bare


def publish(bare: Path, tmp_path: Path, name: str, rev: str | None = None) -> subprocess.CompletedProcess:
    """A fresh clone of main (at ``rev``), then the publish script, as the CI job runs it."""
    clone = tmp_path / name
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    if rev:
        git(clone, "checkout", "-q", rev)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    env["CHROMIUM"] = "/nonexistent/chromium"   # proves no diagram is rendered
    return subprocess.run([sys.executable, "scripts/publish_notebooks.py"], cwd=clone, capture_output=True,
                          text=True, env=env, timeout=300)


def tip(bare: Path, ref: str = "notebooks") -> str:
    return git(bare, "rev-parse", ref)


def test_publish_commits_once_per_change_and_never_to_main(origin, tmp_path):
    seed = tip(origin)
    first = publish(origin, tmp_path, "c1")
    assert first.returncode == 0, first.stderr
    published = tip(origin)
    assert git(origin, "rev-list", "--count", f"{seed}..{published}") == "1"
    files = set(git(origin, "ls-tree", "-r", "--name-only", published).splitlines())
    assert {"A_Lecture.ipynb", "student/A_Lecture.ipynb", "B_Lecture.ipynb", "student/B_Lecture.ipynb",
            "README.md"} < files
    assert git(origin, "diff", "--name-only", seed, published, "--", "_diagrams") == "", "the diagram was re-rendered"
    assert f"Source-commit: {tip(origin, 'main')}" in git(origin, "log", "-1", "--format=%B", published)

    # an instructor edits one page on main
    work = tmp_path / "instructor"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    b = work / "book" / "b.md"
    b.write_text(b.read_text(encoding="utf-8").replace("x = 1", "x = 2"), encoding="utf-8")
    git(work, "commit", "-qam", "b: x = 2")
    git(work, "push", "-q", "origin", "main")
    main_after_edit = tip(origin, "main")

    second = publish(origin, tmp_path, "c2")
    assert second.returncode == 0, second.stderr
    new = tip(origin)
    assert git(origin, "rev-list", "--count", f"{published}..{new}") == "1"
    assert git(origin, "rev-parse", f"{new}^") == published, "not a fast-forward of the branch"
    assert git(origin, "diff", "--name-only", published, new).splitlines() == ["B_Lecture.ipynb", "student/B_Lecture.ipynb"]
    assert "x = 2" in git(origin, "show", f"{new}:B_Lecture.ipynb")

    third = publish(origin, tmp_path, "c3")
    assert third.returncode == 0, third.stderr
    assert tip(origin) == new and "up to date" in third.stdout

    older = publish(origin, tmp_path, "c4", rev="HEAD~1")
    assert older.returncode == 0, older.stderr
    assert tip(origin) == new and "older than the published" in older.stdout

    assert tip(origin, "main") == main_after_edit
    assert git(origin, "log", "--format=%an", "main").splitlines() == ["강사", "강사"], "a bot commit on main"
    assert set(git(origin, "for-each-ref", "--format=%(refname)").splitlines()) == {
        "refs/heads/main", "refs/heads/notebooks"}


def test_a_bad_page_publishes_nothing(origin, tmp_path):
    work = tmp_path / "instructor"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    b = work / "book" / "b.md"
    b.write_text(b.read_text(encoding="utf-8") + "\n```{youtube} abc\n```\n", encoding="utf-8")
    git(work, "commit", "-qam", "b: video")
    git(work, "push", "-q", "origin", "main")
    before = tip(origin)
    res = publish(origin, tmp_path, "c1")
    assert res.returncode == 1
    line = b.read_text(encoding="utf-8").split("\n").index("```{youtube} abc") + 1
    assert f"book/b.md:{line}: directive {{youtube}} is not supported" in res.stderr
    assert tip(origin) == before
