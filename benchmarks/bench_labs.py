"""Speed of the in-page labs in headless Chromium with 4x CPU throttling (a mid-range phone).

Measures, on the built W5D1 page (``$SITE_DIR`` or ``_build/html``; build it first):

* one ``hhLab.currentClamp`` call for a 100-ms trace (samples every 0.01 ms) at 6.3 °C and at
  35 °C with 10 µA/cm², and at 20 °C with 50 µA/cm² (40 spikes, the costliest trace of interest),
  after two warm-up calls: median of 9 (target <= 16 ms, one frame at 60 Hz);
* one ``hhLab.csCurrentClamp`` call (the Connor-Stevens lab) for a 1000-ms trace with its readout,
  at the lab's default (10 µA/cm²) and with the A-current blocked (I = 0, 156 Hz, the costliest
  preset): median of 7 (target <= 400 ms);
* slider-to-paint latency of the current-clamp lab: from an ``input`` event on the current
  slider to the animation frame after the lab redrew (target <= 50 ms): median of 9;
* the bytes the labs add to a page (uPlot + the lab's JS and CSS), raw and gzipped
  (target <= 100 kB compressed).

Not a timed test (the machine's load changes the numbers): the tests check the labs' work instead,
right-hand sides against scipy's RK45 at the same tolerances (``tests/site/test_labs.py``,
``tests/site/test_cs_lab.py``). Usage::

    python benchmarks/bench_labs.py
"""
from __future__ import annotations

import gzip
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "site"))

from site_server import serve, site_dir  # noqa: E402

W5D1 = "book/weeks/week5/day1-hodgkin-huxley.html"
ASSETS = ("npm/uplot/dist/uPlot.iife.min.js", "npm/uplot/dist/uPlot.min.css", "hh-lab/hhlab.js",
          "hh-lab/hhlab-ui.js", "hh-lab/hhlab.css")

COMPUTE_JS = """([I, T]) => { const ms = [];
  for (let i = 0; i < 11; i++) { const t0 = performance.now(); hhLab.currentClamp({I, T, duration: 100}); ms.push(performance.now() - t0); }
  return ms.slice(2); }"""

COMPUTE_CS_JS = """block => { const ms = [];
  for (let i = 0; i < 9; i++) { const t0 = performance.now();
    hhLab.describeCsCurrentClamp(hhLab.csCurrentClamp({I: block ? 0 : 10, block, duration: 1000})); ms.push(performance.now() - t0); }
  return ms.slice(2); }"""

LATENCY_JS = """async () => {
  const root = document.querySelector('[data-hh-lab="current-clamp"]'), slider = root.querySelector('input[name="current"]');
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const ms = [];
  for (let i = 0; i < 9; i++) {
    await frame(); await frame();
    const n = Number(root.dataset.updates), t0 = performance.now();
    slider.value = String(10 + 0.5 * (i + 1)); slider.dispatchEvent(new Event('input', {bubbles: true}));
    // the lab redraws in an animation-frame callback; this loop's callback runs after it in the same
    // frame, whose paint follows the callbacks at once
    while (Number(root.dataset.updates) === n) await frame();
    ms.push(performance.now() - t0);
  }
  return ms; }"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    site = site_dir()
    raw = sum((site / "_static" / a).stat().st_size for a in ASSETS)
    gz = sum(len(gzip.compress((site / "_static" / a).read_bytes(), 6)) for a in ASSETS)
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + W5D1, wait_until="load")
        page.wait_for_function("() => document.querySelector('[data-hh-lab=\"current-clamp\"]').dataset.ready")
        # let MathJax and mermaid finish their work on the page first
        page.wait_for_load_state("networkidle")
        page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
        page.wait_for_timeout(1500)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        compute = {case: page.evaluate(COMPUTE_JS, list(case)) for case in ((10.0, 6.3), (50.0, 20.0), (10.0, 35.0))}
        compute_cs = {block: page.evaluate(COMPUTE_CS_JS, block) for block in (0, 1)}
        latency = page.evaluate(LATENCY_JS)
        browser.close()
    print("| measurement (4x CPU throttling) | median | min | max | target | median / target |")
    print("|---|---|---|---|---|---|")

    def row(what, ms, target, digits):
        med = statistics.median(ms)
        print(f"| {what} | {med:.{digits}f} ms | {min(ms):.{digits}f} | {max(ms):.{digits}f} | <= {target:g} ms | {med / target:.2f} |")

    for (I, T), ms in compute.items():
        row(f"currentClamp, 100 ms trace, {T:g} °C, {I:g} µA/cm²", ms, 16.0, 1)
    for block, ms in compute_cs.items():
        row("csCurrentClamp + readout, 1000 ms trace, " + ("100 % A-block, I = 0" if block else "10 µA/cm²"), ms, 400.0, 0)
    row("slider to paint, current-clamp lab", latency, 50.0, 1)
    print(f"| bytes the labs add to a page | {raw / 1e3:.0f} kB raw, {gz / 1e3:.0f} kB gzipped | | | <= 100 kB gzipped |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
