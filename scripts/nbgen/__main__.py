"""``python3 -m scripts.nbgen [--out DIR]``: write the Colab notebooks (see the package docstring)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import ROOT, GeneratorError, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m scripts.nbgen",
                                     description="Generate the Colab notebooks from the lecture pages.")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this one)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: _build/notebooks)")
    parser.add_argument("--no-render", action="store_true", help="fail instead of rendering a new diagram")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    out = (args.out or root / "_build" / "notebooks").resolve()
    try:
        changed = write(root, out, render=not args.no_render)
    except GeneratorError as exc:
        print(f"nbgen: error: {exc}", file=sys.stderr)
        return 1
    for c in changed:
        print(f"nbgen: {c}")
    print(f"nbgen: {len(changed)} file(s) changed in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
