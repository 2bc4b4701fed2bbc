"""Read a page with the parser the site uses: myst-parser's markdown-it, and its directive parser.

A page becomes a list of top-level ``Block``s with their line numbers: Markdown (kept as its
source text, with the inline tokens the parser found in it), headings, thematic breaks, cell
breaks (``+++``), code cells and directives (name, argument, options validated against the
directive's own option spec, body). Targets ``(label)=`` and ``%`` comments are dropped.
Inline roles and links are rewritten in the source text at the places the parser found them
(``InlineRewriter``), so nothing is found by scanning the text with patterns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import mdurl
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import MarkupError, parse_directive_text
from myst_parser.parsers.mdit import create_md_parser

from .errors import GeneratorError, where

#: Must match ``parse: myst_enable_extensions`` in _config.yml (tests/tooling checks it).
EXTENSIONS = ("amsmath", "colon_fence", "deflist", "dollarmath", "substitution")
#: Plain fences rendered as directives (``myst_fence_as_directive`` in _config.yml).
FENCE_AS_DIRECTIVE = ("mermaid",)


@lru_cache(maxsize=1)
def parser():
    return create_md_parser(MdParserConfig(enable_extensions=set(EXTENSIONS)), RendererHTML)


@dataclass
class Block:
    kind: str              # markdown | heading | hr | break | target | code | directive
    line: int              # 1-based line of the block in the page
    text: str = ""         # Markdown source (markdown/heading/hr) or the body (code/directive)
    name: str = ""         # directive name
    arg: str = ""          # directive argument
    options: dict = field(default_factory=dict)
    inline: list[Token] = field(default_factory=list)   # inline tokens of a Markdown block
    gap: bool = True       # preceded by a blank line in the page
    body_line: int = 0     # 1-based line where the directive's body starts


def _group(tokens: list[Token]) -> list[list[Token]]:
    """Top-level tokens, each with the tokens nested in it."""
    groups, depth = [], 0
    for tok in tokens:
        if depth == 0:
            groups.append([tok])
        else:
            groups[-1].append(tok)
        depth += tok.nesting
    return groups


def _inline(group: list[Token]) -> list[Token]:
    return [child for tok in group if tok.type == "inline" for child in (tok.children or [])]


def read_blocks(text: str, page: str, first_line: int = 1,
                directive_class: Callable[[str, str], type] | None = None) -> list[Block]:
    """The page (or a directive body starting at ``first_line``) as top-level blocks."""
    lines = text.split("\n")
    blocks: list[Block] = []
    end_of_previous = 0
    for group in _group(parser().parse(text, {})):
        head = group[0]
        if head.map is None:
            continue
        start, end = head.map
        line = first_line + start
        block = _block(group, lines[start:end], page, line, directive_class)
        if block is not None:
            block.gap = start > end_of_previous or not blocks
            blocks.append(block)
        end_of_previous = end
    return blocks


def _block(group, source, page, line, directive_class) -> Block | None:
    head = group[0]
    kind = head.type
    if kind in ("front_matter", "myst_line_comment"):
        return None
    if kind == "myst_target":
        return Block("target", line, head.content.strip())
    if kind == "substitution_block":
        raise GeneratorError(f"{where(page, line)}: substitution {{{{ {head.content.strip()} }}}} is not supported")
    if kind == "myst_block_break":
        return Block("break", line)
    if kind == "hr":
        return Block("hr", line, "\n".join(source))
    if kind in ("fence", "colon_fence"):
        return _fence(head, source, page, line, directive_class)
    nested = [t for t in group[1:] if t.type in ("fence", "colon_fence") and t.info.strip().startswith("{")]
    if nested:
        raise GeneratorError(f"{where(page, line + nested[0].map[0] - head.map[0])}: directive "
                             f"{nested[0].info.split()[0]} inside a list or quote is not supported")
    if kind == "dl_open":
        return Block("markdown", line, definition_list(group, source, head.map[0]), inline=_inline(group))
    text = "\n".join(source)
    return Block("heading" if kind == "heading_open" else "markdown", line, text, inline=_inline(group))


def definition_list(group: list[Token], source: list[str], offset: int) -> str:
    """``term`` / ``: definition`` (not Jupyter Markdown) as a bold term and its paragraph."""
    out: list[str] = []
    for tok in group:
        if tok.type == "dt_open":
            out += ["", f"**{source[tok.map[0] - offset].strip()}**", ""]
        elif tok.type == "dd_open":
            body = [l.strip() for l in source[tok.map[0] - offset: tok.map[1] - offset]]
            body[0] = body[0].removeprefix(":").strip()
            out += [l for l in body if l]
    return "\n".join(out).strip("\n")


def _fence(tok: Token, source, page, line, directive_class) -> Block:
    info = tok.info.strip()
    if info.startswith("{") and "}" in info:
        name, _, arg = info[1:].partition("}")
        name, arg = name.strip(), arg.strip()
    elif tok.type == "fence" and info.split(" ")[0] in FENCE_AS_DIRECTIVE:
        name, arg = info.split(" ")[0], ""
    else:   # an ordinary code block (```python), copied as it is
        return Block("markdown", line, "\n".join(source))
    if directive_class is None:
        raise GeneratorError(f"{where(page, line)}: directive {{{name}}} is not supported here")
    cls = directive_class(name, where(page, line))
    try:
        parsed = parse_directive_text(cls, arg, tok.content, line=line,
                                      validate_options=name != "code-cell")
    except MarkupError as exc:
        raise GeneratorError(f"{where(page, line)}: {{{name}}}: {exc}") from exc
    if parsed.warnings:
        raise GeneratorError(f"{where(page, line)}: {{{name}}}: {parsed.warnings[0].msg}")
    kind = "code" if name == "code-cell" else "directive"
    return Block(kind, line, "\n".join(parsed.body), name=name,
                 arg=" ".join(parsed.arguments), options=dict(parsed.options),
                 body_line=line + 1 + parsed.body_offset)


class InlineRewriter:
    """Rewrites the roles and links the parser found in a block, in the block's source text.

    ``role(name, content)`` and ``link(target, image, badge)`` return the replacement; the text
    between them is kept byte for byte. A role or link the parser saw but the text does not show
    literally (reference-style links, <angle> destinations) is an error, never skipped.
    """

    def __init__(self, role: Callable[[str, str], str], link: Callable[[str, bool, bool], str],
                 badge_image: Callable[[str], str], location: str):
        self.role, self.link, self.badge_image, self.location = role, link, badge_image, location

    def rewrite(self, text: str, tokens: list[Token]) -> str:
        self.text, self.cursor, self.out = text, 0, []
        links: list[Token] = []
        for tok in tokens:
            if tok.type == "myst_role":
                name = tok.meta["name"]
                self._replace(f"{{{name}}}`{tok.content}`", self.role(name, tok.content))
            elif tok.type == "substitution_inline":
                raise GeneratorError(f"{self.location}: substitution {{{{ {tok.content} }}}} is not supported")
            elif tok.type == "image":
                src = mdurl.decode(tok.attrs["src"])
                in_badge = bool(links) and is_badge(links[-1])
                new = self.badge_image(src) if in_badge else self.link(src, True, False)
                self._replace(f"]({src}", f"]({new}")
            elif tok.type == "link_open":
                links.append(tok)
            elif tok.type == "link_close":
                self._link(links.pop())
        self.out.append(self.text[self.cursor:])
        return "".join(self.out)

    def _link(self, tok: Token) -> None:
        href = mdurl.decode(tok.attrs["href"])
        if tok.markup == "autolink" or href.startswith("#"):
            return
        self._replace(f"]({href}", f"]({self.link(href, False, is_badge(tok))}")

    def _replace(self, literal: str, new: str) -> None:
        i = self.text.find(literal, self.cursor)
        if i < 0:
            raise GeneratorError(f"{self.location}: cannot rewrite {literal!r}: write links as [text](target)")
        self.out += [self.text[self.cursor:i], new]
        self.cursor = i + len(literal)


def is_badge(link_open: Token) -> bool:
    return str(link_open.attrs.get("href", "")).startswith("https://colab.research.google.com/github/")


def front_matter(text: str) -> dict:
    """The page's YAML front matter, as the parser sees it."""
    import yaml

    tokens = parser().parse(text, {})
    if tokens and tokens[0].type == "front_matter":
        return yaml.safe_load(tokens[0].content) or {}
    return {}


def leftovers(markdown: str) -> list[str]:
    """MyST syntax that Jupyter would show as text: what the parser still finds in a notebook cell."""
    found = []
    for group in _group(parser().parse(markdown, {})):
        for tok in group:
            if tok.type in ("myst_target", "myst_block_break", "myst_line_comment", "front_matter", "substitution_block"):
                found.append(f"{tok.type} at line {tok.map[0] + 1}")
            elif tok.type in ("fence", "colon_fence") and tok.info.strip().startswith("{"):
                found.append(f"directive {tok.info.split()[0]} at line {tok.map[0] + 1}")
            elif tok.type == "colon_fence" or tok.type.startswith("dl_"):
                found.append(f"{tok.type} at line {tok.map[0] + 1}")
            for child in tok.children or []:
                if child.type in ("myst_role", "substitution_inline"):
                    found.append(f"{child.type} {child.meta.get('name', child.content)}")
    return found
