"""Rules for the library source itself: plot functions return figures and never display them."""

from __future__ import annotations

import ast
import pathlib

from conftest import ROOT

LIBRARY = pathlib.Path(ROOT) / "hh_lib"

#: The one exception: hh_lib.labs.show_lab is a notebook UI (ipywidgets.interact); each redraw
#: ends with plt.show() so figures do not stack up. Only inside that function.
UI_FUNCTIONS = {("labs.py", "show_lab")}


def test_library_never_displays_or_blocks_on_figures():
    """No call of pyplot's show/pause/waitforbuttonpress anywhere in hh_lib (a page or a student
    decides when to show a figure; inside the library it would block scripts and tests)."""
    offenders = []
    for path in sorted(LIBRARY.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and (path.name, f.name) in UI_FUNCTIONS
                   for n in ast.walk(f)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and id(node) not in allowed:
                if node.func.attr in {"show", "pause", "waitforbuttonpress"}:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert len(list(LIBRARY.glob("*.py"))) > 10
    assert offenders == []
