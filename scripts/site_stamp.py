"""Which sources the site in ``_build/html`` was built from, so that one build serves the tests and
the publication.

A strict build without warnings (``make site``, or the one ``make test`` runs for the tests) writes
``_build/site-build.json`` with a digest of everything the build reads: the configuration, the
pages, the Sphinx extensions and scripts, the site's assets and templates, hh_lib (the executed
pages import it) and the pinned toolchain. ``make site`` then skips its build when that digest is
the digest of the sources now and the site is there: in CI, ``make site`` after ``make test`` (and
``make notebooks`` after it) publishes the very build the tests checked. Any edit to a source
changes the digest, and ``make site`` builds again.

    python scripts/site_stamp.py check   # exit 0: _build/html is the strict build of these sources
    python scripts/site_stamp.py write   # after a successful strict build
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Files and folders the build reads (the book, its configuration, the extensions, the library).
SOURCES = ("_config.yml", "_toc.yml", "requirements.txt", "book", "scripts", "site_assets", "site_templates",
           "hh_lib")
#: Never part of the digest: caches and compiled files, hidden folders (temporary ones of the
#: vendoring), and the vendored browser libraries that the build itself fetches from the pins in
#: scripts/vendor_assets.py.
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", "_build", "npm", "node_modules"}
SKIP_SUFFIXES = (".pyc", ".nbi", ".nbc")
#: The build a stamp vouches for (the README's strict build).
COMMAND = "jupyter-book build . -W -n --keep-going"


def stamp_path(root: Path = ROOT) -> Path:
    return root / "_build" / "site-build.json"


def _files(root: Path):
    for name in SOURCES:
        top = root / name
        if top.is_file():
            yield top
        elif top.is_dir():
            for folder, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for f in sorted(files):
                    if not f.endswith(SKIP_SUFFIXES):
                        yield Path(folder) / f


def digest(root: Path = ROOT) -> str:
    """sha256 of the path and content of every source file of the build."""
    h = hashlib.sha256(COMMAND.encode())
    for path in _files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def write(root: Path = ROOT, sources: str | None = None) -> None:
    """Record that ``_build/html`` is the strict build of ``sources`` (default: the sources now)."""
    path = stamp_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"sources": sources or digest(root), "command": COMMAND}) + "\n", encoding="utf-8")


def current(root: Path = ROOT) -> bool:
    """True when ``_build/html`` holds the strict build of the sources as they are now."""
    try:
        stamp = json.loads(stamp_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return ((root / "_build" / "html" / "index.html").is_file() and stamp.get("command") == COMMAND
            and stamp.get("sources") == digest(root))


def forget(root: Path = ROOT) -> None:
    stamp_path(root).unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    if argv == ["check"]:
        return 0 if current() else 1
    if argv == ["write"]:
        write()
        return 0
    if argv == ["forget"]:
        forget()
        return 0
    print(__doc__.strip().splitlines()[-2:], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
