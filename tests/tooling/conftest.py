"""Fixtures of the tooling tests: the notebooks generated once per session from the real pages."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The session's generated notebooks, shared by the parallel workers (made by the first one).
SHARED = ROOT / "_build" / ".test-notebooks"


@pytest.fixture(scope="session")
def generated() -> Path:
    """``_build/notebooks``-like output of the generator for this tree (diagrams rendered with
    Chromium, or reused from _build/notebooks/_diagrams or from the previous test session when
    a previous run left them).

    The pages' glued values come from their executed notebooks (scripts/nbgen/glue.py): they are
    generated after the session's strict build (book_build.py), as CI's `make site` runs first.
    Generated once per session; parallel workers share the output folder."""
    from book_build import session_id, shared_build

    shared_build()
    SHARED.mkdir(parents=True, exist_ok=True)
    out = SHARED / "notebooks"
    marker = SHARED / "session.json"
    with open(SHARED / "lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                done = json.loads(marker.read_text(encoding="utf-8")).get("session") == session_id()
            except (OSError, ValueError):
                done = False
            if not done:
                _generate(out)
                marker.write_text(json.dumps({"session": session_id()}), encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return out


def _generate(out: Path) -> None:
    from scripts import nbgen

    # Diagram renders are keyed on their mermaid source: reuse those of `make notebooks` or of
    # the previous session; everything else is generated afresh.
    diagrams = SHARED / "_diagrams"
    if (out / "_diagrams").is_dir():
        shutil.rmtree(diagrams, ignore_errors=True)
        os.replace(out / "_diagrams", diagrams)
    shutil.rmtree(out, ignore_errors=True)
    cached = ROOT / "_build" / "notebooks" / "_diagrams"
    for source in (cached, diagrams):
        if source.is_dir():
            shutil.copytree(source, out / "_diagrams", dirs_exist_ok=True)
    shutil.rmtree(diagrams, ignore_errors=True)
    nbgen.write(ROOT, out, log=lambda msg: None)
