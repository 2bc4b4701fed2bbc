"""Building the Jupyter Book for the tests: one strict build per session, plus HTML helpers.

``test_book.py`` imports the fixtures from here (``from book_build import built_book``), so
``conftest.py`` stays shared and untouched.

The strict build is the one CI runs: ``jupyter-book build . -W -n --keep-going``, with ``--all``
added so Sphinx re-reads every page (an incremental build of unchanged pages would not repeat
their warnings). jupyter-cache still skips re-executing unchanged notebooks, so a warm build
takes a few seconds; the first one executes every page (a few minutes).

One build per test session, shared by the parallel workers (pytest-xdist): the first worker that
needs it starts it (in a background thread, as soon as its tests are collected, so that the
library tests run meanwhile) under a file lock in ``_build/``; the others wait for the lock and
read its result. A successful build also writes ``_build/site-build.json`` (scripts/site_stamp.py),
so that ``make site`` after ``make test`` publishes the very site the tests checked instead of
building it again.

``CHECK_PAGE=book/...md`` (``make check``) builds incrementally instead, with that page re-read:
the author's quick loop.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import Future
from dataclasses import asdict, dataclass
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


#: Builds running now (the session waits for them at exit; see _finish_running).
_running: set[subprocess.Popen] = set()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def _finish_running() -> None:
    """At exit: let a build started in the background finish (an interrupted build can leave
    half-written output behind), then stop it if it still runs after its timeout."""
    for proc in list(_running):
        try:
            proc.wait(timeout=BUILD_TIMEOUT)
        except BaseException:  # noqa: BLE001 - timeout or a second Ctrl-C: stop it
            _kill(proc)


atexit.register(_finish_running)


def run_build(source: Path, *extra: str, timeout: float = BUILD_TIMEOUT) -> BuildResult:
    """Run ``jupyter-book build <source> <extra...>`` and capture its combined output."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [*jupyter_book_command(), "build", str(source), *extra],
        cwd=source,
        env=build_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the kernels go with it if it is killed
    )
    _running.add(proc)
    try:
        log, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        raise
    finally:
        _running.discard(proc)
    return BuildResult(proc.returncode, log, time.monotonic() - start, source / "_build" / "html")


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


# --- One build per session, shared by the xdist workers ------------------------------------------

SHARED = ROOT / "_build" / ".test-build"
_PROCESS_RUN = uuid.uuid4().hex
_started: Future | None = None
_start_lock = threading.Lock()


def session_id() -> str:
    """The same for every worker of one pytest-xdist run; one per process otherwise."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or _PROCESS_RUN


def check_page() -> str | None:
    """The page of ``make check`` (``CHECK_PAGE``, relative to the repository), or None."""
    page = os.environ.get("CHECK_PAGE", "").strip()
    return page or None


def _build_once() -> BuildResult:
    """The session's build: made here if no other worker made it for this session yet."""
    import fcntl

    SHARED.mkdir(parents=True, exist_ok=True)
    result_file = SHARED / "result.json"
    with open(SHARED / "lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                stored = json.loads(result_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stored = {}
            if stored.get("session") == session_id():
                stored["result"]["html"] = Path(stored["result"]["html"])
                return BuildResult(**stored["result"])
            result = _session_build()
            data = asdict(result) | {"html": str(result.html)}
            tmp = result_file.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps({"session": session_id(), "result": data}), encoding="utf-8")
            os.replace(tmp, result_file)
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _session_build() -> BuildResult:
    from scripts import site_stamp

    digest = site_stamp.digest(ROOT)  # of the sources as the build reads them
    site_stamp.forget(ROOT)  # _build/html is about to change
    page = check_page()
    if page:
        # make check: Sphinx re-reads the edited page (and what changed), not every page;
        # touching the page makes it re-read and repeat its warnings even when unchanged.
        os.utime(ROOT / page)
        result = run_build(ROOT, "-W", "-n", "--keep-going")
    else:
        result = strict_build(ROOT)
        if result.returncode == 0 and not result.warnings():
            site_stamp.write(ROOT, digest)
    return result


def start_shared_build() -> Future:
    """Start (once per process) waiting for, or making, the session's build in a thread."""
    global _started
    with _start_lock:
        if _started is None:
            future: Future = Future()

            def work():
                try:
                    future.set_result(_build_once())
                except BaseException as exc:  # noqa: BLE001 - handed to the test that waits
                    future.set_exception(exc)

            threading.Thread(target=work, name="book-build", daemon=True).start()
            _started = future
        return _started


def shared_build() -> BuildResult:
    """The session's strict build of the repository's book (made once, by whichever worker is first)."""
    return start_shared_build().result(timeout=2 * BUILD_TIMEOUT)


@pytest.fixture(scope="session")
def built_book() -> BuildResult:
    """The strict build of the repository's book, into ``_build/`` (once per test session, shared by
    the parallel workers)."""
    return shared_build()


def drawn_fraction(png: Path) -> float:
    """Share of a figure's pixels that are not white (the site stores figures as palette PNGs,
    so the file size says little about what is drawn)."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(png).convert("L"))
    return float(np.mean(grey < 245))
