"""One page's blocks → notebook segments (Markdown and code), for one variant.

Markdown keeps the page's text; only MyST-only syntax is rewritten for Jupyter and Colab:
roles and relative links become absolute links, directives become Markdown (diagram images,
included code, block quotes, <details>) or code cells, exercises become numbered sections and
their solutions <details> + folded code (instructor) or TODO cells (student).
"""
from __future__ import annotations

import types
from dataclasses import dataclass, field

from . import bib, glue
from .diagrams import DiagramCache
from .directives import ADMONITIONS, ROLES, directive_class, lab_call
from .errors import GeneratorError, where
from .myst import Block, InlineRewriter, parser, read_blocks
from .pages import Page, Target
from .paths import Site
from .student import Exercise

COLAB_BADGE_IMG = "https://colab.research.google.com/assets/colab-badge.svg"
#: Directives that become Markdown and may sit inside an admonition.
MARKDOWN_DIRECTIVES = ("glossary", "mermaid", "literalinclude", "math", "button-ref", "figure", "image", "bibliography",
                       *ADMONITIONS)


@dataclass
class Segment:
    kind: str                       # markdown | heading | hr | code | break
    text: str
    region: str = "main"            # main | solution
    exercise: Exercise | None = None
    metadata: dict = field(default_factory=dict)
    gap: bool = True


class Converter:
    def __init__(self, site: Site, page: Page, variant: str, diagrams: DiagramCache,
                 targets: dict[str, Target], titles: dict[str, str]):
        self.site, self.page, self.variant = site, page, variant
        self.diagrams, self.targets, self.titles = diagrams, targets, titles
        self.exercises: dict[str, Exercise] = {}
        self.segments: list[Segment] = []
        self.region, self.current = "main", None
        self.line = 1
        # Citations: the key prefixes of the page's {bibliography} directives, and the (prefix, key)
        # pairs cited so far, in order.
        self.key_prefixes = sorted({str(b.options.get("keyprefix") or "") for b in page.blocks
                                    if b.kind == "directive" and b.name == "bibliography"}, key=len, reverse=True)
        self.cited: dict[tuple[str, str], None] = {}
        self._glue: dict[str, str] | None = None   # the executed page's glue values, read when first used

    @property
    def here(self) -> str:
        return where(self.page.path, self.line)

    def fail(self, msg: str) -> GeneratorError:
        return GeneratorError(f"{self.here}: {msg}")

    # ---- the page --------------------------------------------------------------------------
    def run(self) -> list[Segment]:
        for block in self.page.blocks:
            self.line = block.line
            if block.kind == "code":
                self.code(block.text, block.options)
            elif block.kind == "directive" and block.name not in MARKDOWN_DIRECTIVES:
                self.structural(block)
            elif block.kind == "break":
                self.add("break", "")
            elif block.kind != "target":
                self.add(block.kind if block.kind in ("heading", "hr") else "markdown",
                         self.markdown(block), gap=block.gap)
        if self.region != "main":
            raise self.fail("{solution-start} without {solution-end}")
        return self.segments

    def add(self, kind: str, text: str, metadata: dict | None = None, gap: bool = True) -> None:
        self.segments.append(Segment(kind, text, self.region, self.current, metadata or {}, gap))

    def code(self, source: str, options: dict) -> None:
        tags = [t for t in options.get("tags") or [] if t == "raises-exception"]
        meta = {"tags": tags} if tags else {}
        if options.get("todo"):
            meta["todo"] = str(options["todo"])
        self.add("code", glue.code_for_notebook(source), meta)

    def structural(self, block: Block) -> None:
        name = block.name
        if name == "hh-lab":
            if block.text.strip():
                self.add("markdown", self.markdown_of(self.nested(block)))
            self.add("code", lab_call(block.arg, block.options, self.here))
        elif name in ("exercise", "exercise-start"):
            self.exercise(block)
        elif name == "exercise-end":
            return
        elif name == "solution-start":
            if self.region != "main":
                raise self.fail("{solution-start} inside another solution")
            self.region, self.current = "solution", self.exercise_for(block.arg)
        elif name == "solution-end":
            if self.region != "solution":
                raise self.fail("{solution-end} without {solution-start}")
            self.region, self.current = "main", None

    def exercise(self, block: Block) -> None:
        number = len(self.exercises) + 1
        label = str(block.options.get("label") or f"exercise-{number}")
        ex = Exercise(number, label, self.inline(block.arg.strip()))
        self.exercises[label] = ex
        # The page usually has its own heading "### 문제 N: ..." just before: keep it, add none.
        previous = self.segments[-1] if self.segments else None
        own = previous and previous.kind == "heading" and \
            previous.text.lstrip("#").split(":")[0].strip().endswith(f"문제 {number}")
        if not own:
            self.add("heading", f"### {ex.heading()}")
        if block.name == "exercise" and block.text.strip():
            self.add("markdown", self.markdown_of(self.nested(block)))

    def exercise_for(self, label: str) -> Exercise:
        if label.strip() not in self.exercises:
            raise self.fail(f"solution for unknown exercise {label!r} (the exercise must come first)")
        return self.exercises[label.strip()]

    # ---- Markdown ------------------------------------------------------------------------
    def nested(self, block: Block) -> list[Block]:
        return read_blocks(block.text, self.page.path, block.body_line, directive_class=directive_class)

    def markdown_of(self, blocks: list[Block]) -> str:
        """Blocks inside a directive, as Markdown (no code cells or exercises there)."""
        parts: list[str] = []
        for block in blocks:
            self.line = block.line
            if block.kind in ("code", "break") or (block.kind == "directive" and block.name not in MARKDOWN_DIRECTIVES):
                raise self.fail(f"{block.name or block.kind} is not supported inside another directive")
            if block.kind != "target":
                parts += (["\n\n" if block.gap and parts else "\n"] if parts else []) + [self.markdown(block)]
        return "".join(parts)

    def markdown(self, block: Block) -> str:
        if block.kind == "directive":
            handler = getattr(self, "d_" + block.name.replace("-", "_"), None) or self.admonition
            return handler(block)
        return self.rewriter().rewrite(block.text, block.inline)

    def inline(self, text: str) -> str:
        tokens = [c for t in parser().parseInline(text, {}) for c in (t.children or [])]
        return self.rewriter().rewrite(text, tokens)

    def rewriter(self) -> InlineRewriter:
        return InlineRewriter(self.role, self.link, lambda src: COLAB_BADGE_IMG, self.here)

    # ---- roles and links ---------------------------------------------------------------------
    def role(self, name: str, content: str) -> str:
        if name not in ROLES:
            raise self.fail(f"role {{{name}}} is not supported by the notebook generator "
                            f"(scripts/nbgen/directives.py); supported: {', '.join(ROLES)}")
        if name == "math":
            return f"${content}$"
        if name in glue.ROLES:
            return glue.render(self.glue_values(), content, self.here)
        if name in bib.CITE_ROLES:
            return self.cite(name, content)
        text, target = None, content.strip()
        if target.endswith(">") and "<" in target:
            text, target = target[: target.rindex("<")].strip(), target[target.rindex("<") + 1: -1].strip()
        if name == "term":
            if f"term:{target.lower()}" not in self.targets:
                raise self.fail(f"{{term}} {target!r}: not a term of the glossary")
            t = self.targets[f"term:{target.lower()}"]
            return f"[{text or target}]({self.site.page_url(t.page, t.anchor)})"
        url, default = self.resolve(target, name)
        return f"[{text or default}]({url})"

    def glue_values(self) -> dict[str, str]:
        if self._glue is None:
            sources = [b.text for b in self.page.blocks if b.kind == "code"]
            self._glue = glue.load(self.site.root, self.page.path, sources)
        return self._glue

    # ---- citations -------------------------------------------------------------------------
    def bib_entries(self) -> dict:
        if not self.site.bibfiles:
            raise self.fail("a citation, but _config.yml has no bibtex_bibfiles")
        return bib.load(tuple(self.site.root / self.site.book_root / f for f in self.site.bibfiles))

    def cite(self, name: str, content: str) -> str:
        """A citation as text; every key must be in the .bib under one of the page's key prefixes."""
        entries = self.bib_entries()
        found = []
        for key in (k.strip() for k in content.split(",")):
            prefix = next((p for p in self.key_prefixes if key.startswith(p) and key[len(p):] in entries), None)
            if prefix is None:
                raise self.fail(f"{{{name}}} key {key!r}: not in the bibliography (prefixes of this page's "
                                f"{{bibliography}} directives: {self.key_prefixes or 'none'})")
            self.cited[(prefix, key[len(prefix):])] = None
            found.append(entries[key[len(prefix):]])
        return bib.cite_text(name, found)

    def resolve(self, target: str, kind: str) -> tuple[str, str]:
        """Address and default text of a {doc}/{ref}/{button-ref} target."""
        if kind in ("doc", "any"):
            path, _, anchor = target.partition("#")
            found = self.site.find_page(self.page.path, path, self.here)
            if found:
                return self.site.page_url(found, anchor), self.titles.get(found, found)
            if kind == "doc":
                raise self.fail(f"{{doc}} target {target!r}: no such page")
        if target not in self.targets:
            raise self.fail(f"unknown reference target {target!r}")
        t = self.targets[target]
        text = f"문제 {self.exercises[target].number}" if target in self.exercises else t.title
        return self.site.page_url(t.page, t.anchor), text

    def link(self, target: str, image: bool, badge: bool) -> str:
        if badge:
            return self.badge(target)
        return self.site.link(self.page.path, target, self.here, image=image)

    def badge(self, url: str) -> str:
        """A Colab badge must open this page's notebook on the publishing branch."""
        name = self.page.name
        own = {self.site.colab_url(name, v): v for v in ("instructor", "student")} if name else {}
        if url not in own:
            expected = self.site.colab_url(name, "instructor") if name else "(add notebook: <Name> to the front matter)"
            raise self.fail(f"the Colab badge opens {url}, but this page's notebook is {expected}")
        return self.site.colab_url(name, self.variant) if own[url] == "instructor" else url

    # ---- Markdown directives ----------------------------------------------------------------
    def d_mermaid(self, block: Block) -> str:
        image = self.diagrams.get(block.text, self.here)
        return f"![{image.alt}](data:image/png;base64,{image.base64})"

    def d_bibliography(self, block: Block) -> str:
        """The entries this page cited (with this directive's key prefix), as a Markdown list."""
        flt = str(block.options.get("filter") or "").strip()
        if flt != bib.PAGE_FILTER:
            raise self.fail(f"{{bibliography}} needs ':filter: {bib.PAGE_FILTER}' (got {flt!r})")
        prefix = str(block.options.get("keyprefix") or "")
        entries = self.bib_entries()
        cited = [entries[k] for p, k in self.cited if p == prefix]
        if not cited:
            raise self.fail("{bibliography} before any citation on the page: it would be empty")
        return bib.bibliography_markdown(cited)

    def d_glossary(self, block: Block) -> str:
        """A glossary as a list: its terms (unindented lines) in bold, then their definition."""
        entries: list[tuple[list[str], list[str]]] = []
        for line in filter(str.strip, block.text.splitlines()):
            if not line[0].isspace():
                if not entries or entries[-1][1]:
                    entries.append(([], []))
                entries[-1][0].append(line.strip())
            elif entries:
                entries[-1][1].append(line.strip())
        return "\n".join(f"- {', '.join(f'**{t}**' for t in terms)}: {self.inline(' '.join(body))}"
                         for terms, body in entries)

    def d_math(self, block: Block) -> str:
        return f"$$\n{block.text.strip()}\n$$"

    def d_button_ref(self, block: Block) -> str:
        url, default = self.resolve(block.arg.strip(), str(block.options.get("ref-type", "any")))
        text = " ".join(l.strip() for l in block.text.split("\n") if l.strip())
        return f"**[{self.inline(text) if text else default}]({url})**"

    def d_figure(self, block: Block) -> str:
        src = self.site.link(self.page.path, block.arg.strip(), self.here, image=True)
        out = f"![{block.options.get('alt', '')}]({src})"
        caption = self.markdown_of(self.nested(block)) if block.name == "figure" and block.text.strip() else ""
        return out + (f"\n\n*{caption}*" if caption else "")

    d_image = d_figure

    def d_literalinclude(self, block: Block) -> str:
        from sphinx.directives.code import LiteralIncludeReader

        repo_path = self.site.resolve(self.page.path, block.arg.strip(), self.here)
        path = self.site.root / repo_path
        if not path.is_file():
            raise self.fail(f"literalinclude: {block.arg} not found ({repo_path})")
        reader = LiteralIncludeReader(str(path), dict(block.options), types.SimpleNamespace(source_encoding="utf-8-sig"))
        try:
            text, _ = reader.read()
        except (ValueError, OSError) as exc:
            raise self.fail(f"literalinclude {block.arg}: {exc}") from exc
        language = block.options.get("language") or ("python" if path.suffix == ".py" else "")
        what = f"`{block.options['pyobject']}` — " if block.options.get("pyobject") else ""
        caption = f"*{what}[`{repo_path}`]({self.site.blob_url(repo_path)})에서 가져온 코드*"
        return f"{caption}\n\n```{language}\n{text.rstrip()}\n```"

    def admonition(self, block: Block) -> str:
        title = block.arg or ADMONITIONS[block.name]
        body = self.markdown_of(self.nested(block))
        if "dropdown" in (block.options.get("class") or []):
            return details(self.inline(title or "펼치기"), body)
        lines = ([f"**{self.inline(title)}**", ""] if title else []) + body.split("\n")
        return "\n".join(f"> {l}" if l.strip() else ">" for l in lines)


def details(summary: str, body: str) -> str:
    return f"<details>\n<summary>{summary}</summary>\n\n{body.strip()}\n\n</details>"
