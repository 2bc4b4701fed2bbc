"""Rules for the library source itself (issue 18): plot functions never display figures, no
function is longer than 80 lines, imports sit at the top of modules, and the hh_lib that the
tests import is this checkout's."""

from __future__ import annotations

import ast
import importlib
import pathlib
import pkgutil
import sys

from helpers import ROOT

import hh_lib

LIBRARY = pathlib.Path(ROOT) / "hh_lib"
SOURCES = sorted(LIBRARY.rglob("*.py"))
MAX_FUNCTION_LINES = 80
#: Imports allowed inside functions: heavy or optional dependencies loaded only when needed.
LAZY_IMPORTS = {"scipy.optimize", "scipy.integrate", "schemdraw", "schemdraw.elements",
                # hh_lib.plotting.panels: only inside an IPython kernel of the site build
                "IPython", "IPython.core.pylabtools", "matplotlib_inline.backend_inline"}
#: Modules whose imports are all lazy by design: hh_lib.labs is read by the site build for its
#: table of labs, and imports numpy, matplotlib and the simulators only when a figure is made.
LAZY_MODULES = {"labs.py"}


def _trees():
    return [(path.relative_to(LIBRARY), ast.parse(path.read_text(encoding="utf-8"))) for path in SOURCES]


def test_the_library_has_its_layers():
    packages = {p.parent.name for p in SOURCES if p.name == "__init__.py"}
    assert {"core", "hh", "_kernels", "reduced", "plotting"} <= packages
    assert len(SOURCES) > 20


def test_library_never_displays_or_blocks_on_figures():
    """No call of pyplot's show/pause/waitforbuttonpress anywhere in hh_lib (a page or a student
    decides when to show a figure; inside the library it would block scripts and tests)."""
    offenders = []
    for name, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in {"show", "pause", "waitforbuttonpress"}:
                    offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_no_function_is_longer_than_80_lines():
    long = []
    for name, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if node.end_lineno - start + 1 > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name} ({node.end_lineno - start + 1} lines)")
    assert long == []


def test_imports_sit_at_module_level_and_all_is_written_once():
    inside, augmented = [], []
    for name, tree in _trees():
        for func in ast.walk(tree) if str(name) not in LAZY_MODULES else ():
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(func):
                    if isinstance(node, ast.ImportFrom) and node.module not in LAZY_IMPORTS:
                        inside.append(f"{name}:{node.lineno} from {node.module}")
                    elif isinstance(node, ast.Import) and any(a.name not in LAZY_IMPORTS for a in node.names):
                        inside.append(f"{name}:{node.lineno} import")
        for node in ast.walk(tree):
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
                augmented.append(f"{name}:{node.lineno}")
    assert inside == []
    assert augmented == []


def test_every_module_imported_comes_from_this_checkout():
    """An editable install of another checkout would silently supply modules that were moved
    away here: every hh_lib module must load from ROOT/hh_lib."""
    for info in pkgutil.walk_packages(hh_lib.__path__, "hh_lib."):
        importlib.import_module(info.name)
    foreign = [
        name for name, module in sys.modules.items()
        if name.split(".")[0] == "hh_lib" and getattr(module, "__file__", None)
        and not pathlib.Path(module.__file__).resolve().is_relative_to(LIBRARY.resolve())
    ]
    assert foreign == []
