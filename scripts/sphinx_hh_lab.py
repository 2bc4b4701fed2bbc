"""Sphinx extension of the course site: the ``hh-lab`` directive, a live experiment on the page.

Listed in ``_config.yml`` under ``sphinx: local_extensions`` (``sphinx_hh_lab: scripts/``).
An instructor places a lab in three lines::

    ```{hh-lab} current-clamp
    :temperature: 6.3
    ```

KIND is one of the labs of ``hh_lib/labs.json`` (read through ``hh_lib.labs.LABS``: ``current-clamp``, ``voltage-clamp``,
``fhn-phase-plane``, ``izhikevich``, ``cs-current-clamp``). Options, each optional:

* ``:<knob>: VALUE`` sets a slider's default (``:current: 10``, ``:ttx: 50``);
* ``:<knob>-range: MIN MAX STEP`` sets its range (``:current-range: 0 50 0.5``);
* ``:title: TEXT`` replaces the lab's heading; ``:name: ID`` gives it an anchor.

A default must lie on its slider's grid (MIN + k·STEP): a browser would silently snap it. An
unknown KIND, an option the KIND does not take or a bad value stops the build with the page and
line (a ``HHLabError``).

The HTML is ``<div class="hh-lab" data-hh-lab="KIND" data-knobs="JSON" data-presets="JSON">``
with the lab's guide (``Lab.guide``: what to try, what to notice; a list shown with or without
JavaScript) and a short note for readers without JavaScript (the static figure next to the lab stays on
the page). The lab's script, stylesheet and the vendored uPlot (``scripts/vendor_assets.py``)
are added only to pages that have a lab. Other builders (LaTeX, text) leave the lab out.
"""
from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent

#: Page assets of a lab, relative to the site's _static/ (site_assets/ is in html_static_path).
LAB_JS = ("npm/uplot/dist/uPlot.iife.min.js", "hh-lab/hhlab.js", "hh-lab/hhlab-ui.js")
LAB_CSS = ("npm/uplot/dist/uPlot.min.css", "hh-lab/hhlab.css")

NOSCRIPT_NOTE = ("이 자리의 실험은 브라우저에서 JavaScript로 실행됩니다. "
                 "JavaScript가 꺼져 있으면 가까이 있는 그림이 같은 모델의 결과를 보여 줍니다.")


if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from hh_lib import labs  # noqa: E402  the table of labs (hh_lib/labs.json) and its checks


class HHLabError(SphinxError):
    category = "hh-lab directive error"


class hh_lab(nodes.General, nodes.Element):
    """A lab's placeholder; attributes kind, knobs (list of dicts), presets, guide (lines), title."""


def _text(value):
    return value


class _AnyOption(dict):
    """Accepts every option key, so the directive itself can name the page, line and the options
    this KIND takes (MyST's own message would list every option of every kind). It must not be
    empty: MyST parses a directive's options only when its option_spec is truthy."""

    def __missing__(self, key):
        return _text


class HHLabDirective(SphinxDirective):
    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec = _AnyOption({"title": _text, "name": _text})

    def fail(self, message: str):
        source, line = self.get_source_info()
        raise HHLabError(f"{source}:{line}: hh-lab: {message}")

    def run(self):
        kind = self.arguments[0].strip()
        if kind not in labs.LABS:
            self.fail(f"unknown lab {kind!r}; known: {', '.join(labs.LABS)}")
        spec = labs.LABS[kind]
        knobs = {k.name: k for k in spec.knobs}
        allowed = sorted([*knobs, *(f"{n}-range" for n in knobs), "title", "name"])
        for key in self.options:
            if key not in allowed:
                self.fail(f"option {key!r} is not an option of the {kind} lab; it takes {', '.join(allowed)}")
        try:
            for name, knob in list(knobs.items()):
                if f"{name}-range" in self.options:
                    parts = str(self.options[f"{name}-range"] or "").split()
                    if len(parts) != 3:
                        raise ValueError(f"{name}-range must be 'MIN MAX STEP', got {self.options[f'{name}-range']!r}")
                    knob = knob.with_range(*map(float, parts))
                value = self.options.get(name)
                knobs[name] = knob.with_value(float(value) if value not in (None, "") else knob.value)
        except ValueError as exc:
            self.fail(str(exc))
        node = hh_lab(
            kind=kind,
            title=str(self.options.get("title") or spec.title),
            knobs=[dict(name=k.name, label=k.label, unit=k.unit, value=k.value, min=k.min, max=k.max, step=k.step)
                   for k in knobs.values()],
            presets=[{"label": label, "values": values} for label, values in spec.presets],
            guide=list(spec.guide),
        )
        self.set_source_info(node)
        node["ids"].append(self.options.get("name") or f"hh-lab-{kind}-{self.env.new_serialno('hh-lab')}")
        if self.options.get("name"):
            self.add_name(node)
        return [node]


def visit_hh_lab_html(self, node: hh_lab) -> None:
    attrs = {
        "class": "hh-lab",
        "id": node["ids"][0],
        "data-hh-lab": node["kind"],
        "data-title": node["title"],
        "data-knobs": json.dumps(node["knobs"], ensure_ascii=False),
        "data-presets": json.dumps(node["presets"], ensure_ascii=False),
        "role": "region",
        "aria-label": node["title"],
    }
    parts = " ".join(f'{k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items())
    guide = "".join(f"<li>{html.escape(line)}</li>" for line in node.get("guide", []))
    self.body.append(f"<div {parts}>\n<p class=\"hh-lab-title\">{html.escape(node['title'])}</p>\n"
                     + (f"<ul class=\"hh-lab-guide\">{guide}</ul>\n" if guide else "")
                     + f"<p class=\"hh-lab-fallback\">{html.escape(NOSCRIPT_NOTE)}</p>\n</div>\n")
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode


def add_lab_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Add uPlot and the lab's script and stylesheet to this page only, when it has a lab."""
    if doctree is None or not any(True for _ in doctree.findall(hh_lab)):
        return
    for css in LAB_CSS:
        app.add_css_file(css)
    for js in LAB_JS:
        app.add_js_file(js, defer="defer")


def setup(app: Sphinx) -> dict:
    app.add_node(hh_lab, html=(visit_hh_lab_html, None), latex=(skip, None), text=(skip, None),
                 man=(skip, None), texinfo=(skip, None))
    app.add_directive("hh-lab", HHLabDirective)
    app.connect("html-page-context", add_lab_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
