"""myst-nb ``glue`` values for the notebooks: the numbers the executed page wrote into its prose.

A page computes a result in a code cell and stores it with ``glue("name", value, display=False)``;
its prose shows it with ``{glue:text}`name:.1f``` (or ``{glue}`name```). The site renders those
roles from the executed notebook, and so does the generator: it reads the glue outputs of the
page's executed notebook (``_build/jupyter_execute/<page>.ipynb``, written by the strict build that
runs before ``make notebooks``) and puts the formatted value into the notebook's Markdown, so the
notebook shows exactly the site's numbers. No ``{glue...}`` role reaches a notebook.

The executed notebook must belong to the page as it is now: its code cells must equal the page's
(otherwise the values could be stale) — else a GeneratorError asks for a rebuild.

In the notebooks' code cells ``from myst_nb import glue`` becomes a small local definition (Colab
has no myst-nb): ``glue(name, value)`` then does nothing, since the values are already in the text.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

from .errors import GeneratorError

ROLES = ("glue", "glue:text")
EXECUTED_DIR = Path("_build") / "jupyter_execute"
IMPORT_LINE = "from myst_nb import glue"
STUB = "def glue(name, value, display=False):   # 사이트에서 값을 본문에 넣는 함수 (노트북에서는 하는 일 없음)\n    pass"


def executed_notebook(root: Path, page_path: str) -> Path:
    return root / EXECUTED_DIR / Path(page_path).with_suffix(".ipynb")


def load(root: Path, page_path: str, code_sources: list[str]) -> dict[str, str]:
    """{name: text/plain of the glued value} from the page's executed notebook."""
    nb_file = executed_notebook(root, page_path)
    if not nb_file.is_file():
        raise GeneratorError(f"{page_path}: uses {{glue}} values but {nb_file.relative_to(root)} does not exist; "
                             "build the site first (make site)")
    nb = json.loads(nb_file.read_text(encoding="utf-8"))
    cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    executed = ["".join(c.get("source", "")).strip() for c in cells]
    if executed != [src.strip() for src in code_sources]:
        raise GeneratorError(f"{page_path}: {nb_file.relative_to(root)} was executed from another version of the "
                             "page (its code cells differ); rebuild the site (make site)")
    return values_of(nb)


def values_of(nb: dict) -> dict[str, str]:
    """The glue outputs of an executed notebook (myst-nb marks them with ``metadata.scrapbook``)."""
    found: dict[str, str] = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            name = (out.get("metadata") or {}).get("scrapbook", {}).get("name")
            if name is not None:
                text = out.get("data", {}).get("text/plain", "")
                found[name] = "".join(text) if isinstance(text, list) else text
    return found


def render(values: dict[str, str], content: str, location: str) -> str:
    """The text of ``{glue:text}`name:format```, formatted as myst-nb does (format of the literal value)."""
    name, _, spec = content.strip().partition(":")
    if name not in values:
        raise GeneratorError(f"{location}: glue value {name!r} is not in the executed page "
                             f"(glued there: {', '.join(sorted(values)) or 'none'})")
    text = values[name]
    if not spec:
        return text
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise GeneratorError(f"{location}: glue value {name!r} = {text!r} is not a literal; cannot apply "
                             f"format {spec!r} (glue a Python float or int)") from None
    try:
        return format(value, spec)
    except (ValueError, TypeError) as exc:
        raise GeneratorError(f"{location}: glue value {name!r}: format {spec!r}: {exc}") from None


def code_for_notebook(source: str) -> str:
    """A code cell's source for Colab: the myst-nb import replaced by a do-nothing ``glue``."""
    lines = source.split("\n")
    return "\n".join(STUB if ln.strip() == IMPORT_LINE or ln.split("#")[0].strip() == IMPORT_LINE else ln
                     for ln in lines)
