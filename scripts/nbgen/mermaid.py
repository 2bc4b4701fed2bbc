"""The site's pinned mermaid in headless Chromium: render a diagram to PNG, or only parse it.

Used by the notebook generator (diagrams become PNG images, since Colab renders no mermaid) and
by the Sphinx build (scripts/sphinx_mermaid_check.py: a diagram with a syntax error fails the
build, naming page and line). Both load the same vendored ESM build (scripts/vendor_assets.py)
from a fake origin served by Playwright, so nothing is fetched from the network.
"""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager

from .errors import GeneratorError
from .paths import SCRIPTS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ORIGIN = "https://mermaid.invalid/"

# Bump when the rendering of diagrams changes (theme, font, scale): every cached PNG is redone.
STYLE = {
    "theme": "default",
    "fontFamily": '"Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", sans-serif',
    "padding": 12,
    "max_scale": 1.5,
    "max_width": 900,
    "max_height": 1000,
}

HTML = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<style>html,body{margin:0;background:#fff}#out{display:inline-block;background:#fff;padding:%(padding)dpx}</style>
</head><body><div id="out"></div>
<script type="module">
import mermaid from "./dist/mermaid.esm.min.mjs";
mermaid.initialize({startOnLoad: false, theme: %(theme)s, securityLevel: "strict",
                    fontFamily: %(font)s, themeVariables: {fontFamily: %(font)s}});
window.parseDiagram = async (source) => {
  try { await mermaid.parse(source); return null; } catch (e) { return String(e && e.message || e); }
};
window.renderDiagram = async (source) => {
  const out = document.getElementById("out");
  out.innerHTML = "";
  const {svg} = await mermaid.render("diagram", source);
  out.innerHTML = svg;
  const el = out.querySelector("svg");
  const vb = el.viewBox.baseVal;
  el.removeAttribute("style");
  el.setAttribute("width", Math.ceil(vb.width));
  el.setAttribute("height", Math.ceil(vb.height));
  await document.fonts.ready;
  // Labels for the alt text in reading order: along the flow (top-down or left-right), edges last.
  const horizontal = /^\\s*(flowchart|graph)\\s+(LR|RL)\\b/.test(source);
  const labels = [];
  for (const selector of [".cluster-label, .node .nodeLabel, .node text", ".edgeLabel"]) {
    const found = [];
    for (const node of el.querySelectorAll(selector)) {
      const copy = node.cloneNode(true);
      for (const br of copy.querySelectorAll("br")) br.replaceWith(" ");
      const t = copy.textContent.replace(/\\s+/g, " ").trim();
      const r = node.getBoundingClientRect();
      const x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
      if (t) found.push({t, key: horizontal ? [x, y] : [y, x]});
    }
    found.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]);
    for (const {t} of found) if (!labels.includes(t)) labels.push(t);
  }
  const box = out.getBoundingClientRect();
  return {labels, width: box.width, height: box.height};
};
window.mermaidReady = true;
</script></body></html>
"""


def vendor_assets():
    """The site's own pin of mermaid (scripts/vendor_assets.py)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    import vendor_assets as module

    return module


def mermaid_version() -> str:
    return next(p.version for p in vendor_assets().PACKAGES if p.name == "mermaid")


class Browser:
    """One headless Chromium with the vendored mermaid loaded: one page per scale, loaded once and
    reused for every diagram (mermaid's ESM build is the bulk of a page's cost)."""

    def __init__(self, browser, mermaid_dir):
        self.browser, self.mermaid_dir = browser, mermaid_dir
        self.html = HTML % {"padding": STYLE["padding"], "theme": json.dumps(STYLE["theme"]),
                            "font": json.dumps(STYLE["fontFamily"])}
        self._pages: dict[float, tuple] = {}  # scale -> (context, page)

    def _serve(self, route) -> None:
        rel = route.request.url[len(ORIGIN):].split("?")[0]
        if rel in ("", "index.html"):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.html)
            return
        path = (self.mermaid_dir / rel).resolve()
        if self.mermaid_dir.resolve() not in path.parents or not path.is_file():
            route.fulfill(status=404, body="not found")
            return
        route.fulfill(status=200, content_type="text/javascript; charset=utf-8", body=path.read_bytes())

    def page(self, scale: float = 1.0):
        """The page that draws at ``scale`` (device pixels per CSS pixel), mermaid loaded."""
        if scale not in self._pages:
            ctx = self.browser.new_context(device_scale_factor=scale, viewport={"width": 2400, "height": 2400})
            page = ctx.new_page()
            page.route(ORIGIN + "**", self._serve)
            page.goto(ORIGIN + "index.html")
            page.wait_for_function("window.mermaidReady === true", timeout=30000)
            if not any(page.evaluate(f"document.fonts.check('16px \"{f}\"', '가')")
                       for f in ("Noto Sans CJK KR", "NanumGothic")):
                ctx.close()
                raise GeneratorError("no Korean font for the diagrams: install fonts-noto-cjk")
            self._pages[scale] = (ctx, page)
        return self._pages[scale][1]

    def close(self) -> None:
        for ctx, _ in self._pages.values():
            ctx.close()
        self._pages.clear()

    def parse(self, sources: list[str]) -> list[str | None]:
        """mermaid's own syntax check of each source: None, or its error message."""
        page = self.page()
        return [page.evaluate("src => window.parseDiagram(src)", src) for src in sources]

    def _draw(self, src: str, scale: float) -> tuple[dict, object]:
        page = self.page(scale)
        errors: list[str] = []
        listener = lambda e: errors.append(str(e))  # noqa: E731
        page.on("pageerror", listener)
        try:
            info = page.evaluate("src => window.renderDiagram(src)", src)
        finally:
            page.remove_listener("pageerror", listener)
        if errors:
            raise GeneratorError(f"mermaid failed: {errors[0]}")
        return info, page

    def render(self, src: str) -> tuple[bytes, list[str]]:
        """PNG of one diagram (scaled to fit STYLE's bounds) and its labels in reading order:
        measured at 1x, then drawn at the chosen scale."""
        info, _ = self._draw(src, 1.0)
        scale = min(STYLE["max_scale"], STYLE["max_width"] / info["width"], STYLE["max_height"] / info["height"])
        info, page = self._draw(src, max(1.0, round(scale, 2)))
        png = page.locator("#out").screenshot(type="png", animations="disabled")
        return png, info["labels"]


@contextmanager
def browser():
    """A ``Browser`` (vendors mermaid first); a clear error when Chromium or Playwright is missing."""
    assets = vendor_assets()
    assets.vendor(log=lambda msg: None)
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        raise GeneratorError("mermaid diagrams need Playwright and Chromium: run "
                             "`bash scripts/setup.sh site` (installs both)") from exc
    if not os.path.exists(CHROMIUM):
        raise GeneratorError(f"mermaid diagrams need Chromium at {CHROMIUM} (set CHROMIUM=...): "
                             "run `bash scripts/setup.sh site`")
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Error as exc:
            raise GeneratorError(f"cannot start Chromium ({CHROMIUM}): {exc}") from exc
        drawer = Browser(chromium, assets.VENDOR_DIR / "mermaid")
        try:
            yield drawer
        finally:
            drawer.close()
            chromium.close()
