"""Multi-panel figures that a phone can read: each panel also saved as an image of its own.

A figure of two or more panels side by side is 1200-1600 px wide; shrunk to a 390-px phone its
text is 3-4 px high. When the course site is built (the Sphinx extension
``scripts/sphinx_reader.py`` sets :data:`ENV_FLAG` for the kernels it starts),
:func:`enable_phone_panels` makes every figure that a notebook displays carry, in a text chunk of
its PNG (key :data:`PNG_KEY`), one PNG per panel: the panel with its labels, title and legend,
cut out of the same drawing. The site shows those panels stacked on a narrow screen and the whole
figure elsewhere. Panels that share a place (a twin y axis) stay together; a figure of one panel
carries nothing. The site's PNGs (figure and panels) are also stored with a palette of 256 colours
(:func:`compact_png`): line plots look the same and weigh about half. Nothing changes outside
the site build (Colab, JupyterLab).
"""

from __future__ import annotations

import base64
import io
import json
import os
from functools import partial

from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image, PngImagePlugin

#: Environment variable that turns the panels on (set by the site build for its kernels).
ENV_FLAG = "HH_LIB_PHONE_PANELS"
#: PNG text key of the panels: a JSON list of base64 PNGs, left to right, top to bottom.
PNG_KEY = "course-panels"
#: Margin around each panel (inches).
PAD = 0.08
#: Widest a panel is drawn for a phone (inches): shown 330-360 px wide, its 10-pt text is then about 10 px high.
PANEL_WIDTH = 4.5


def _panel_groups(fig: Figure) -> list[list]:
    """Visible axes grouped by their place in the figure (twin axes share one), in reading order."""
    groups: dict[tuple, list] = {}
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        p = ax.get_position()
        key = (round(p.x0, 3), round(p.y0, 3), round(p.x1, 3), round(p.y1, 3))
        groups.setdefault(key, []).append(ax)
    return [groups[k] for k in sorted(groups, key=lambda k: (-round(k[3], 2), k[0]))]


def panel_pngs(fig: Figure, dpi: float | None = None) -> list[bytes]:
    """One PNG per panel of a figure with two or more panels side by side (else an empty list).

    The figure is drawn narrower for the cut (each column :data:`PANEL_WIDTH` inches at most, the
    text keeping its size), so that a panel shown 360 px wide has text about 10 px high; the other
    panels are hidden while one is cut, so no neighbour's label leaks in. The figure is left as it was.
    """
    groups = _panel_groups(fig)
    columns = len({round(g[0].get_position().x0, 2) for g in groups})
    if len(groups) < 2 or columns < 2:
        return []  # one panel, or panels only stacked: already narrow
    width, height = fig.get_size_inches()
    out = []
    try:
        fig.set_size_inches(min(width, PANEL_WIDTH * columns), height)
        renderer = fig.canvas.get_renderer()
        for group in groups:
            others = [ax for g in groups if g is not group for ax in g]
            for ax in others:
                ax.set_visible(False)
            try:
                box = Bbox.union([ax.get_tightbbox(renderer) for ax in group])
                buf = io.BytesIO()
                fig.savefig(buf, format="png", dpi=dpi or fig.dpi, facecolor=fig.get_facecolor(),
                            bbox_inches=box.transformed(fig.dpi_scale_trans.inverted()).padded(PAD))
                out.append(buf.getvalue())
            finally:
                for ax in others:
                    ax.set_visible(True)
    finally:
        fig.set_size_inches(width, height)
    return out


def compact_png(data: bytes, text: dict[str, str] | None = None) -> bytes:
    """The PNG ``data`` with a palette of 256 colours (antialiased lines and Korean text keep their
    look), optimised, with the text chunks ``text``."""
    with Image.open(io.BytesIO(data)) as im:
        small = im.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE)
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buf = io.BytesIO()
    small.save(buf, format="PNG", optimize=True, pnginfo=info)
    return buf.getvalue()


def png_with_panels(fig: Figure) -> str | None:
    """The figure as a base64 PNG (as IPython displays it), compact, carrying its panels in
    :data:`PNG_KEY`."""
    from IPython.core.pylabtools import print_figure

    data = print_figure(fig, fmt="png")
    if data is None:  # an empty figure: nothing to show
        return None
    panels = [compact_png(p) for p in panel_pngs(fig)]
    text = {PNG_KEY: json.dumps([base64.b64encode(p).decode("ascii") for p in panels])} if panels else None
    return base64.b64encode(compact_png(data, text)).decode("ascii")


def enable_phone_panels(force: bool = False) -> bool:
    """Display figures with their panels (see the module docstring) when :data:`ENV_FLAG` is set
    (or ``force``) and IPython runs; returns whether it did."""
    if not (force or os.environ.get(ENV_FLAG)):
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    try:  # let the inline backend set up its own formatters first (it does so once), then replace the PNG one
        import matplotlib_inline.backend_inline  # noqa: F401
    except ImportError:
        pass
    shell.display_formatter.formatters["image/png"].for_type(Figure, partial(png_with_panels))
    return True
