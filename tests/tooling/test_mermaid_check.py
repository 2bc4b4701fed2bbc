"""A mermaid diagram with a syntax error fails the strict site build, naming page and line
(scripts/sphinx_mermaid_check.py), on a two-page book built in a temporary folder."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = "```{mermaid}\nflowchart LR\n    A[자극] --> B[막전위]\n```\n"
BROKEN = "```mermaid\nflowchart LR\n    A[ok] --> B\n    B --> --> C\n```\n"


def build(book: Path, chromium: str | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe)] if exe.exists() else [shutil.which("jupyter-book") or "jupyter-book"]
    env = dict(os.environ, NO_COLOR="1")
    if chromium:
        env["CHROMIUM"] = chromium
    return subprocess.run([*cmd, "build", str(book), "-W", "-n", "--keep-going"], capture_output=True,
                          text=True, env=env, timeout=600)


@pytest.fixture
def book(tmp_path) -> Path:
    (tmp_path / "_config.yml").write_text(
        "title: mini\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
        "sphinx:\n  local_extensions:\n"
        f"    sphinx_mermaid_check: {ROOT / 'scripts'}/\n"
        "  extra_extensions:\n    - sphinxcontrib.mermaid\n"
        "  config:\n    myst_fence_as_directive: [mermaid]\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: page\n", encoding="utf-8")
    (tmp_path / "intro.md").write_text(f"# 소개\n\n{GOOD}", encoding="utf-8")
    (tmp_path / "page.md").write_text(f"# 페이지\n\n{GOOD}\n본문.\n\n{BROKEN}", encoding="utf-8")
    return tmp_path


def test_a_broken_diagram_fails_the_build_at_its_line_and_once_fixed_is_not_checked_again(book):
    """One book through the author's steps (one build fewer than a fresh book per step): the broken
    diagram fails the build naming page and line; fixed, the build passes; then every diagram is
    known to be valid and a rebuild needs no browser, until a new diagram appears."""
    res = build(book)
    log = res.stdout + res.stderr
    assert res.returncode != 0, log[-3000:]
    page = book / "page.md"
    bad_line = page.read_text(encoding="utf-8").split("\n").index("    B --> --> C") + 1
    assert f"page.md:{bad_line}: WARNING: mermaid syntax error: Parse error on line 3" in log, log[-3000:]
    assert log.count("mermaid syntax error") == 1, "the valid diagrams were reported too"

    page.write_text(page.read_text(encoding="utf-8").replace("B --> --> C", "B --> C"), encoding="utf-8")
    res = build(book)
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    res = build(book, chromium="/nonexistent/chromium")
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    page.write_text(page.read_text(encoding="utf-8") + "\n```mermaid\nflowchart TB\n    X --> Y\n```\n", encoding="utf-8")
    res = build(book, chromium="/nonexistent/chromium")
    assert res.returncode != 0 and "cannot check the mermaid diagrams" in res.stdout + res.stderr
