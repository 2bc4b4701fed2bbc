"""Mermaid diagrams as PNG images, cached by a hash of their source, mermaid version and style.

The cache is the ``_diagrams/`` folder of the output (``<key>.png`` and ``<key>.json`` with the
alt text). scripts/publish_notebooks.py fills it from the publishing branch before generating, so
an unchanged diagram keeps its published bytes and only a new or edited one is rendered.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import GeneratorError
from .mermaid import STYLE, browser, mermaid_version

KINDS = {"flowchart": "흐름도", "graph": "흐름도", "sequenceDiagram": "순서도", "stateDiagram": "상태도",
         "stateDiagram-v2": "상태도", "classDiagram": "클래스 다이어그램"}


@dataclass
class Image:
    key: str
    base64: str
    alt: str


def normalize(src: str) -> str:
    lines = [l.rstrip() for l in src.strip("\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


class DiagramCache:
    def __init__(self, folder: Path, render: bool = True):
        self.dir, self.render_allowed = folder, render
        self.version = mermaid_version()
        self.used: set[str] = set()
        self.missing: dict[str, tuple[str, str]] = {}   # key -> (source, page:line)

    def key(self, src: str) -> str:
        payload = json.dumps({"source": normalize(src), "mermaid": self.version, "style": STYLE},
                             sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def get(self, src: str, location: str) -> Image:
        """The cached image, or a placeholder recorded as missing (``render_missing`` fills it)."""
        key = self.key(src)
        self.used.add(key)
        png, meta = self.dir / f"{key}.png", self.dir / f"{key}.json"
        if png.is_file() and meta.is_file():
            alt = json.loads(meta.read_text(encoding="utf-8"))["alt"]
            return Image(key, base64.b64encode(png.read_bytes()).decode(), alt)
        self.missing.setdefault(key, (normalize(src), location))
        return Image(key, "", "")

    def render_missing(self, log=print) -> None:
        if not self.missing:
            return
        if not self.render_allowed:
            where = ", ".join(loc for _, loc in self.missing.values())
            raise GeneratorError(f"diagram(s) not rendered yet: {where}")
        self.dir.mkdir(parents=True, exist_ok=True)
        with browser() as b:
            errors = b.parse([src for src, _ in self.missing.values()])
            for (src, location), error in zip(self.missing.values(), errors):
                if error:
                    raise GeneratorError(f"{location}: mermaid syntax error: {error}")
            for key, (src, location) in self.missing.items():
                png, labels = b.render(src)
                (self.dir / f"{key}.png").write_bytes(optimize_png(png))
                meta = {"alt": alt_text(src, labels), "mermaid": self.version, "source": src, "style": STYLE}
                (self.dir / f"{key}.json").write_text(
                    json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
                log(f"nbgen: rendered the diagram at {location} ({key})")
        self.missing = {}

    def unused_files(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return sorted(p for p in self.dir.iterdir() if p.suffix in (".png", ".json") and p.stem not in self.used)


def optimize_png(png: bytes) -> bytes:
    """Smaller PNG (256-colour palette); the picture is flat colours and anti-aliased text."""
    from PIL import Image as PILImage

    img = PILImage.open(io.BytesIO(png)).convert("RGB")
    pal = img.quantize(colors=256, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
    buf = io.BytesIO()
    pal.save(buf, format="PNG", optimize=True)
    return buf.getvalue() if len(buf.getvalue()) < len(png) else png


def alt_text(src: str, labels: list[str]) -> str:
    kind = src.split(maxsplit=1)[0] if src.strip() else ""
    text = " · ".join(labels).translate({ord(c): None for c in "[]\\"})
    what = KINDS.get(kind, "다이어그램")
    return f"{what}: {text}" if text else what
