"""Sphinx extension: a mermaid diagram that mermaid cannot parse fails the build, naming page and line.

Without it a broken diagram builds and the reader sees mermaid's "Syntax error in text" bomb.
The ``mermaid`` directive (also used by plain ```` ```mermaid ```` fences through
``myst_fence_as_directive``) is wrapped to record each diagram's page and line; once per build,
after all pages are read, the diagrams not yet known to be valid are parsed by the site's own
pinned mermaid (``mermaid.parse``) in headless Chromium (scripts/nbgen/mermaid.py, the same
harness that renders them for the notebooks). An error is a warning at ``page:line``, which the
strict build (``-W``) turns into a failure. Valid diagrams are remembered by a hash of their
source and the mermaid version in ``_build/.doctrees/mermaid-valid.json``, so a rebuild
without diagram changes starts no browser.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbgen.errors import GeneratorError  # noqa: E402
from nbgen.mermaid import browser, mermaid_version  # noqa: E402

logger = logging.getLogger(__name__)
CACHE = "mermaid-valid.json"


def _store(env) -> dict:
    if not hasattr(env, "hh_mermaid"):
        env.hh_mermaid = {}
    return env.hh_mermaid


def checked_directive():
    from sphinxcontrib.mermaid import Mermaid

    class CheckedMermaid(Mermaid):
        def run(self, **kwargs):
            code = self.get_mm_code()
            if isinstance(code, str) and code.strip():
                env = self.state.document.settings.env
                _store(env).setdefault(env.docname, []).append((self.lineno, code))
            return super().run(**kwargs)

    return CheckedMermaid


def purge(app: Sphinx, env, docname: str) -> None:
    _store(env).pop(docname, None)


def merge(app: Sphinx, env, docnames, other) -> None:
    for docname in docnames:
        _store(env)[docname] = _store(other).get(docname, [])


def key(code: str) -> str:
    return hashlib.sha256(f"{mermaid_version()}\0{code.strip()}".encode()).hexdigest()[:24]


def page_line(fence_line: int, error: str) -> int:
    """mermaid says "Parse error on line N:" (N counts from the diagram's first line)."""
    after = error.partition("on line ")[2].partition(":")[0]
    return fence_line + int(after) if after.isdigit() else fence_line


def check(app: Sphinx, env) -> None:
    cache_file = Path(app.doctreedir) / CACHE
    valid = set(json.loads(cache_file.read_text())) if cache_file.is_file() else set()
    todo = [(doc, line, code) for doc, items in sorted(_store(env).items()) for line, code in items
            if key(code) not in valid]
    if not todo:
        return
    try:
        with browser() as b:
            errors = b.parse([code for _, _, code in todo])
    except GeneratorError as exc:
        raise ExtensionError(f"cannot check the mermaid diagrams: {exc}") from exc
    for (doc, line, code), error in zip(todo, errors):
        if error:
            first = " ".join(error.split())[:300]
            logger.warning(f"mermaid syntax error: {first}", location=(doc, page_line(line, error)),
                           type="mermaid", subtype="syntax")
        else:
            valid.add(key(code))
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(sorted(valid)))


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_directive("mermaid", checked_directive(), override=True)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-updated", check)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
