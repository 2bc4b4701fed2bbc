"""Fixtures of the browser tests: the built site, a local server for it, one headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_server import CHROMIUM, LAUNCH_ARGS, require_browser, resolve_site, serve


@pytest.fixture(scope="module")
def site(request) -> Path:
    require_browser()
    return resolve_site(request)


@pytest.fixture(scope="module")
def built_site(request) -> Path:
    """The built site, for a test that reads its files (no browser needed)."""
    return resolve_site(request)


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
