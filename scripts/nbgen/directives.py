"""The directives and roles the book uses, with the option specs the site itself validates.

Options are parsed by myst-parser against each directive's own class (the one Sphinx runs), so
an option the site would reject fails here too. Anything not listed is an error naming the page
and line: add a directive here (and a rendering in convert.py) before using it on a page.
"""
from __future__ import annotations

from functools import lru_cache

from docutils.parsers.rst.directives.misc import TestDirective

from .bib import CITE_ROLES
from .errors import GeneratorError

ROLES = ("doc", "ref", "math", "term", "glue", "glue:text", *CITE_ROLES)

#: Admonitions, shown as a block quote with this Korean title (or a <details> with :class: dropdown).
ADMONITIONS = {"note": "참고", "tip": "팁", "hint": "힌트", "important": "중요", "warning": "주의",
               "caution": "주의", "attention": "주목", "danger": "위험", "error": "오류",
               "seealso": "함께 보기", "admonition": None}


class CodeCell(TestDirective):
    """myst-nb's code cell: its options are free YAML (tags, mystnb, todo ...)."""
    optional_arguments = 1


class HHLab(TestDirective):
    """The site's interactive lab: ```{hh-lab} KIND with :key: value options (numbers or words)."""
    required_arguments = 1
    optional_arguments = 0


@lru_cache(maxsize=1)
def registry() -> dict[str, type]:
    from docutils.parsers.rst.directives import admonitions, images
    from sphinx.directives.code import LiteralInclude
    from sphinx.directives.patches import MathDirective
    from sphinx.domains.std import Glossary
    from sphinx_design.badges_buttons import ButtonRefDirective
    from sphinx_exercise import directive as ex
    from sphinxcontrib.bibtex.directives import BibliographyDirective
    from sphinxcontrib.mermaid import Mermaid

    found = {
        "code-cell": CodeCell, "hh-lab": HHLab, "mermaid": Mermaid, "literalinclude": LiteralInclude,
        "math": MathDirective, "button-ref": ButtonRefDirective, "figure": images.Figure, "image": images.Image,
        "exercise": ex.ExerciseDirective, "exercise-start": ex.ExerciseStartDirective,
        "exercise-end": ex.ExerciseEndDirective, "solution-start": ex.SolutionStartDirective,
        "solution-end": ex.SolutionEndDirective, "bibliography": BibliographyDirective,
        "glossary": Glossary,
    }
    for name in ADMONITIONS:
        found[name] = getattr(admonitions, name.capitalize(), admonitions.Note)
    found["admonition"] = admonitions.Admonition
    return found


def directive_class(name: str, location: str) -> type:
    try:
        return registry()[name]
    except KeyError:
        raise GeneratorError(
            f"{location}: directive {{{name}}} is not supported by the notebook generator "
            f"(scripts/nbgen/directives.py); supported: {', '.join(sorted(registry()))}") from None


def lab_call(kind: str, options: dict, location: str) -> str:
    """The code cell an ``{hh-lab}`` becomes: ``show_lab("KIND", knob=value, ...)``.

    The lab kinds and their knobs are defined once, in :mod:`hh_lib.labs` (the site's directive
    reads the same table); a wrong kind, knob or value fails here with the page and line.
    """
    from hh_lib.labs import notebook_code

    try:
        return notebook_code(kind, {k: str(v if v is not None else "") for k, v in options.items()})
    except (ValueError, TypeError) as exc:
        raise GeneratorError(f"{location}: {{hh-lab}} {kind}: {exc}") from None
