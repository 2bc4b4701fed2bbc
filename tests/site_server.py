"""The built site, and a local HTTP server for it, shared by the link and browser tests.

``SITE_DIR`` (environment) points the tests at any built site; by default it is
``_build/html`` of this repository. ES modules (mermaid) need HTTP, not ``file://``, so the
browser tests serve the site on 127.0.0.1 at a random free port, from a thread.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def site_dir() -> Path:
    """The built HTML site the tests look at (``$SITE_DIR`` or ``_build/html``)."""
    return Path(os.environ.get("SITE_DIR") or ROOT / "_build" / "html").resolve()


def resolve_site(request) -> Path:
    """The site a test module checks, from a pytest fixture request.

    ``$SITE_DIR`` wins (any built site, e.g. a trial build elsewhere). Otherwise, when the session
    has a ``built_book`` fixture (``book_build.py``: the strict build into ``_build/``), it is
    used, so ``pytest`` on a fresh clone builds once and every test reads that build. Failing
    that, an existing ``_build/html`` (from ``make site``) is checked.
    """
    import pytest

    if not os.environ.get("SITE_DIR"):
        try:
            result = request.getfixturevalue("built_book")
        except pytest.FixtureLookupError:
            pass
        else:
            if getattr(result, "returncode", 0) != 0:
                pytest.fail("the strict book build failed; see test_book.py")
    site = site_dir()
    if not (site / "index.html").is_file():
        pytest.fail(f"no built site at {site}: run `make site` (or set SITE_DIR to a built site)")
    return site


def site_pages(site: Path) -> list[str]:
    """Every reader-facing HTML page of the site, as paths relative to the site root (posix).

    Leaves out the theme's template fragments under ``_static/`` and Sphinx's ``_sources``.
    Under ``make check PAGE=book/...md`` (``CHECK_PAGE``): that page alone.
    """
    page = os.environ.get("CHECK_PAGE", "").strip()
    if page:
        return [Path(page).with_suffix(".html").as_posix()]
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.split("/")[0] in {"_static", "_sources", "_images"}:
            continue
        pages.append(rel)
    return pages


class _Server(http.server.ThreadingHTTPServer):
    # socketserver's default listen backlog is 5; a page starting ~30 module requests at once
    # (mermaid's chunks) could then see a refused connection, a flaky failure no reader has.
    request_queue_size = 128
    daemon_threads = True


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real web server
    # Browsers need the right type for ES modules; Python < 3.12 does not know ".mjs".
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".svg": "image/svg+xml",
        ".json": "application/json",
    }

    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on http://127.0.0.1:<random port>/ until the block ends; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- Headless Chromium (Debian's /usr/bin/chromium driven by Playwright) --------------------------

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"  # or another Chromium/Chrome binary
#: As root, without a sandbox; no background traffic (the machine's network is closed).
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # a current iPhone's CSS viewport
SERIOUS = {"serious", "critical"}  # axe impact levels that fail a page


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() not in {"", "0", "false", "no", "off"}


def screenshot(page, path) -> None:
    """Save what the reader sees of ``page`` (the viewport) to ``path``, for people to look at (no test
    reads it). ``SCREENSHOTS=full`` takes the whole page instead: about 5 s of Chromium's time per
    lecture page (30 000 px tall) against 0.1-0.5 s, which over the 40 shots of a run is minutes."""
    page.screenshot(path=str(path), full_page=os.environ.get("SCREENSHOTS", "").strip().lower() == "full")


def require_browser() -> None:
    """Skip (locally) or fail (in CI) when Chromium, Playwright or axe is missing."""
    import pytest

    problem = None
    if not Path(CHROMIUM).is_file():
        problem = f"{CHROMIUM} not found (Debian: apt-get install chromium; `make test` does this)"
    else:
        try:
            import axe_playwright_python  # noqa: F401
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            problem = f"{exc.name} is not installed (pip install -r requirements-dev.txt)"
    if problem:
        if truthy(os.environ.get("CI")):
            pytest.fail(f"browser tests cannot run in CI: {problem}")
        pytest.skip(f"browser tests skipped: {problem}")
