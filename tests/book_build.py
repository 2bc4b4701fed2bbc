"""Building the Jupyter Book for the tests: one strict build per session, plus HTML helpers.

``test_book.py`` imports the fixtures from here (``from book_build import built_book``), so
``conftest.py`` stays shared and untouched.

The strict build is the one CI runs: ``jupyter-book build . -W -n --keep-going``, with ``--all``
added so Sphinx re-reads every page (an incremental build of unchanged pages would not repeat
their warnings). jupyter-cache still skips re-executing unchanged notebooks, so a warm build
takes a few seconds; the first one executes every page (about half a minute).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
W5D1_HTML = HTML / "book" / "weeks" / "week5" / "day1-hodgkin-huxley.html"

#: Files and folders that make up the book (everything the strict build reads).
BOOK_FILES = ("_config.yml", "_toc.yml", "book", "scripts", "site_assets")

#: The one log line containing "WARNING" that is not a Sphinx warning: ipykernel's notice on
#: stderr when a kernel starts. It does not trip -W (see the toolchain notes); every other
#: line with "WARNING" counts.
KERNEL_TCP_NOTICE = re.compile(r"^\[IPKernelApp\] WARNING \| Kernel is running over TCP without encryption")

BUILD_TIMEOUT = 900  # s; a cold build takes well under a minute on two cores


@dataclass(frozen=True)
class BuildResult:
    returncode: int
    log: str
    seconds: float
    html: Path

    def warnings(self) -> list[str]:
        """Log lines that report a warning (Sphinx, MyST, myst-nb, extensions)."""
        lines = _strip_ansi(self.log).splitlines()
        return [ln for ln in lines if "WARNING" in ln and not KERNEL_TCP_NOTICE.match(ln.strip())]


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def jupyter_book_command() -> list[str]:
    """The jupyter-book CLI of the interpreter running the tests."""
    exe = Path(sys.executable).with_name("jupyter-book")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("jupyter-book")
    if found:
        return [found]
    return [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]


def build_env() -> dict[str, str]:
    """Environment of the build: the repository root on PYTHONPATH, so the executed pages can
    ``import hh_lib`` whether or not it is pip-installed (the kernels inherit this)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    # No MPLBACKEND here: ipykernel then selects the inline backend that captures the figures.
    env.pop("MPLBACKEND", None)
    return env


def run_build(source: Path, *extra: str, timeout: float = BUILD_TIMEOUT) -> BuildResult:
    """Run ``jupyter-book build <source> <extra...>`` and capture its combined output."""
    start = time.monotonic()
    proc = subprocess.run(
        [*jupyter_book_command(), "build", str(source), *extra],
        cwd=source,
        env=build_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    return BuildResult(proc.returncode, proc.stdout, time.monotonic() - start, source / "_build" / "html")


def strict_build(source: Path = ROOT) -> BuildResult:
    return run_build(source, "-W", "-n", "--keep-going", "--all")


def copy_book(dest: Path) -> Path:
    """Copy the book's configuration and pages (not its build or cache) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in BOOK_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    # literalinclude reads the library's source relative to the pages.
    shutil.copytree(ROOT / "hh_lib", dest / "hh_lib", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def main_content(page: BeautifulSoup):
    """The article body of a page (without navigation, sidebars and footers)."""
    return page.select_one("article.bd-article") or page.select_one("main") or page


def normalize(text: str) -> str:
    """Collapse whitespace and drop the permalink marks Sphinx appends to headings."""
    text = text.replace("¶", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def built_book() -> BuildResult:
    """The strict build of the repository's book, into ``_build/`` (once per test session)."""
    return strict_build(ROOT)


def drawn_fraction(png: Path) -> float:
    """Share of a figure's pixels that are not white (the site stores figures as palette PNGs,
    so the file size says little about what is drawn)."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(png).convert("L"))
    return float(np.mean(grey < 245))
