"""hh_lib.plotting.panels: the phone panels of a multi-panel figure."""

from __future__ import annotations

import base64
import io
import json

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from hh_lib.plotting import panels


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def _ink_columns(png: bytes) -> int:
    """Columns of the image with any non-white pixel (how much of the width is drawn)."""
    a = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return int(np.count_nonzero((a < 250).any(axis=0)))


def test_one_png_per_panel_narrower_than_the_figure_and_the_figure_unchanged():
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    for k, ax in enumerate(axes):
        ax.plot([0, 1], [k, k + 1], label=f"line {k}")
        ax.set(title=f"panel {k}", xlabel="t (ms)", ylabel="V (mV)")
        ax.legend()
    pngs = panels.panel_pngs(fig, dpi=100)
    assert len(pngs) == 3
    for png in pngs:
        w, h = _size(png)
        assert w < panels.PANEL_WIDTH * 100 + 30 and h > 300  # about one 5-in column, full height
    assert tuple(fig.get_size_inches()) == (15.0, 4.0) and all(ax.get_visible() for ax in axes)
    plt.close(fig)


def _red_pixels(png: bytes) -> int:
    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int(np.count_nonzero((a[..., 0] > 200) & (a[..., 1] < 60) & (a[..., 2] < 60)))


def test_a_panel_carries_no_neighbour():
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4))
    a.plot([0, 1], [0, 1], color="tab:blue")
    b.imshow(np.tile([1.0, 0.0, 0.0], (10, 10, 1)), aspect="auto")  # a red panel
    b.set_ylabel("a long label that reaches to the left")
    left, right = panels.panel_pngs(fig, dpi=80)
    assert _red_pixels(left) == 0 and _red_pixels(right) > 10_000
    plt.close(fig)


def test_twin_axes_stay_with_their_panel_and_single_panels_carry_nothing():
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4))
    b.twinx().plot([0, 1], [1, 0])
    assert len(panels.panel_pngs(fig)) == 2
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(12, 4))
    assert panels.panel_pngs(fig) == []
    plt.close(fig)
    fig, (a, b) = plt.subplots(2, 1, figsize=(6, 8))  # already a column
    assert panels.panel_pngs(fig) == []
    plt.close(fig)


def test_the_displayed_png_carries_the_panels_in_a_text_chunk():
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax in axes:
        ax.plot([0, 1], [0, 1])
    data = base64.b64decode(panels.png_with_panels(fig))
    im = Image.open(io.BytesIO(data))
    stored = [base64.b64decode(p) for p in json.loads(im.text[panels.PNG_KEY])]
    assert len(stored) == 2 and all(_ink_columns(p) > 100 for p in stored)
    assert im.size[0] > max(_size(p)[0] for p in stored)  # the whole figure is wider than a panel
    plt.close(fig)


def test_enabled_only_for_the_site_build(monkeypatch):
    monkeypatch.delenv(panels.ENV_FLAG, raising=False)
    assert panels.enable_phone_panels() is False  # not in the site build
    monkeypatch.setenv(panels.ENV_FLAG, "1")
    assert panels.enable_phone_panels() is False  # no IPython shell in a test process


def test_compact_png_keeps_the_look_and_the_text_at_a_fraction_of_the_bytes():
    fig, ax = plt.subplots(figsize=(8, 4))
    t = np.linspace(0, 50, 2000)
    for k in range(4):
        ax.plot(t, np.sin(t / (k + 1)), label=f"trace {k}")
    ax.legend()
    ax.set(title="compact", xlabel="t (ms)", ylabel="V (mV)")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    full = buf.getvalue()
    small = panels.compact_png(full, {"key": "value"})
    assert len(small) < 0.6 * len(full)
    a = np.asarray(Image.open(io.BytesIO(full)).convert("RGB")).astype(float)
    im = Image.open(io.BytesIO(small))
    b = np.asarray(im.convert("RGB")).astype(float)
    assert a.shape == b.shape and np.abs(a - b).mean() < 2.0  # 0-255 scale: the same picture
    assert im.text["key"] == "value"
