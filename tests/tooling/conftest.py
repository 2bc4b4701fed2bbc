"""Fixtures of the tooling tests: the notebooks generated once per session from the real pages."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """``_build/notebooks``-like output of the generator for this tree (diagrams rendered with
    Chromium, or reused from _build/notebooks/_diagrams when a previous run left them).

    The pages' glued values come from their executed notebooks (scripts/nbgen/glue.py): when the
    book is not built for this tree yet, the strict build runs first, as CI's `make site` does."""
    from scripts import nbgen
    from scripts.nbgen.errors import GeneratorError

    out = tmp_path_factory.mktemp("generated") / "notebooks"
    cached = ROOT / "_build" / "notebooks" / "_diagrams"
    if cached.is_dir():
        shutil.copytree(cached, out / "_diagrams")
    try:
        nbgen.write(ROOT, out, log=lambda msg: None)
    except GeneratorError as exc:
        if "build the site" not in str(exc) and "rebuild the site" not in str(exc):
            raise
        from book_build import strict_build

        strict_build(ROOT)
        nbgen.write(ROOT, out, log=lambda msg: None)
    return out
