#!/usr/bin/env python3
"""Turn the lecture pages (MyST Markdown notebooks) into Colab notebooks that run top to bottom.

    python scripts/make_notebooks.py           # (re)generate notebooks/ (renders new diagrams)
    python scripts/make_notebooks.py --check   # exit 1 if a committed notebook is stale

Which pages: every page under ``book/`` whose front matter has ``notebook: <Name>``, or, failing
that, whose "Open in Colab" badge links to ``notebooks/<Name>.ipynb`` in this repository. Each
gives two notebooks:

* ``notebooks/<Name>.ipynb``          instructor version: exercise solutions included (the
  explanation text inside ``<details>``, the solution code in cells hidden as a Colab form);
* ``notebooks/student/<Name>.ipynb``  student version: each solution code cell replaced by a
  Korean TODO scaffold that raises ``NotImplementedError``; the hidden explanations are left out.

The notebooks are deterministic (cell ids derived from content, sorted keys, no outputs, no
timestamps), so ``--check`` compares them byte for byte. The repository URL and branch come from
``_config.yml`` (``repository.url``, ``repository.branch``); the published site from
``html.baseurl`` there, or else the GitHub Pages address of the repository.

MyST-only syntax is rewritten for Jupyter and Colab: mermaid diagrams become PNG images embedded
as ``data:`` URIs (Colab shows neither mermaid fences nor cell attachments), rendered once with
headless Chromium and the site's own pinned mermaid (``scripts/vendor_assets.py``) and cached in
``notebooks/_diagrams/`` by a hash of the diagram source, so ``--check`` needs no browser;
``{literalinclude}`` becomes the included code; ``{doc}``/``{ref}`` roles, ``{button-ref}`` and
relative links become absolute links to the published site (or to GitHub for other files);
admonitions become block quotes; math stays as ``$``/``$$``. Anything the generator does not know
is an error, never copied through.
"""
from __future__ import annotations

import argparse
import ast
import base64
import difflib
import hashlib
import io
import json
import os
import posixpath
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK_DIR = "book"
NOTEBOOK_DIR = "notebooks"
STUDENT_DIR = "notebooks/student"
DIAGRAM_DIR = "notebooks/_diagrams"
GENERATOR = "scripts/make_notebooks.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
COLAB_BADGE_IMG = "https://colab.research.google.com/assets/colab-badge.svg"

# Bump when the rendering of diagrams changes (theme, font, scale): every cached PNG is redone.
DIAGRAM_STYLE = {
    "theme": "default",
    "fontFamily": '"Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", sans-serif',
    "padding": 12,
    "max_scale": 1.5,
    "max_width": 900,
    "max_height": 1000,
}

ADMONITIONS = {
    "note": "참고", "tip": "팁", "hint": "힌트", "important": "중요", "warning": "주의",
    "caution": "주의", "attention": "주목", "danger": "위험", "error": "오류", "seealso": "함께 보기",
    "admonition": None, "margin": None, "sidebar": None, "epigraph": None, "pull-quote": None,
    "highlights": None, "topic": None,
}

MYST_LEFTOVERS = [  # (pattern, what) that must not appear in a generated notebook
    (re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*\{", re.M), "MyST directive fence"),
    (re.compile(r"\{[a-zA-Z][\w:.-]*\}`"), "MyST role"),
    (re.compile(r"^\s*\([\w:.-]+\)=\s*$", re.M), "MyST target"),
    (re.compile(r"^\+\+\+", re.M), "MyST cell break"),
    (re.compile(r"\{\{[^}]*\}\}"), "MyST substitution"),
]


class GeneratorError(RuntimeError):
    pass


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    repo_url: str    # https://github.com/owner/name
    branch: str
    base_url: str    # https://owner.github.io/name/   (ends with /)
    book_root: str   # path of the book root inside the repository ("" = repository root)

    @property
    def owner_repo(self) -> str:
        m = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)(?:\.git)?/?", self.repo_url)
        if not m:
            raise GeneratorError(f"_config.yml repository.url is not a GitHub repository: {self.repo_url}")
        return m.group(1)

    def colab_url(self, repo_path: str) -> str:
        return f"https://colab.research.google.com/github/{self.owner_repo}/blob/{self.branch}/{repo_path}"

    def blob_url(self, repo_path: str) -> str:
        return f"https://github.com/{self.owner_repo}/blob/{self.branch}/{repo_path}"

    def tree_url(self, repo_path: str) -> str:
        return f"https://github.com/{self.owner_repo}/tree/{self.branch}/{repo_path}"

    def raw_url(self, repo_path: str) -> str:
        return f"https://raw.githubusercontent.com/{self.owner_repo}/{self.branch}/{repo_path}"

    def page_url(self, repo_path: str, anchor: str = "") -> str:
        rel = repo_path
        if self.book_root:
            rel = posixpath.relpath(repo_path, self.book_root)
        rel = re.sub(r"\.(md|ipynb)$", "", rel) + ".html"
        return self.base_url + rel + (f"#{anchor}" if anchor else "")

    @property
    def pip_spec(self) -> str:
        return f"hh_lib @ git+https://github.com/{self.owner_repo}@{self.branch}"


def load_site(root: Path) -> Site:
    cfg = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repo = cfg.get("repository") or {}
    url, branch = repo.get("url"), repo.get("branch")
    if not url or not branch:
        raise GeneratorError("_config.yml needs repository.url and repository.branch")
    book_root = (repo.get("path_to_book") or "").strip("/").removeprefix("./").strip(".")
    base = ((cfg.get("html") or {}).get("baseurl") or "").strip()
    if not base:  # GitHub Pages address of the repository
        m = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?", url)
        if not m:
            raise GeneratorError("set html.baseurl in _config.yml (the published site's address)")
        base = f"https://{m.group(1).lower()}.github.io/{m.group(2)}/"
    if not base.endswith("/"):
        base += "/"
    return Site(repo_url=url.rstrip("/"), branch=str(branch), base_url=base, book_root=book_root)


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)
BADGE_LINK = re.compile(r"https://colab\.research\.google\.com/github/([^/\s)]+/[^/\s)]+)/blob/([^/\s)]+)/([^\s)\"']+\.ipynb)")


def front_matter(text: str) -> dict:
    m = FRONT_MATTER.match(text)
    return (yaml.safe_load(m.group(1)) or {}) if m else {}


@dataclass
class Page:
    path: str            # repository path of the .md page
    name: str            # notebook base name (W5D1_HodgkinHuxley)
    text: str
    meta: dict


def find_pages(root: Path, site: Site) -> list[Page]:
    pages = []
    for md in sorted((root / BOOK_DIR).rglob("*.md")):
        if any(part.startswith((".", "_")) for part in md.relative_to(root).parts[:-1]):
            continue
        text = md.read_text(encoding="utf-8")
        meta = front_matter(text)
        rel = md.relative_to(root).as_posix()
        name = meta.get("notebook")
        badge = None
        for m in BADGE_LINK.finditer(text):
            target = m.group(3)
            if target.startswith(f"{NOTEBOOK_DIR}/") and "/" not in target[len(NOTEBOOK_DIR) + 1:]:
                badge = target[len(NOTEBOOK_DIR) + 1:-len(".ipynb")]
                if m.group(1) != site.owner_repo or m.group(2) != site.branch:
                    raise GeneratorError(
                        f"{rel}: the Colab badge points at {m.group(1)}@{m.group(2)}, but _config.yml "
                        f"says {site.owner_repo}@{site.branch}")
        if name and badge and name != badge:
            raise GeneratorError(f"{rel}: front matter notebook: {name} but the Colab badge opens {badge}.ipynb")
        name = name or badge
        if not name:
            continue
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", str(name)):
            raise GeneratorError(f"{rel}: bad notebook name {name!r}")
        pages.append(Page(path=rel, name=str(name), text=text, meta=meta))
    seen: dict[str, str] = {}
    for p in pages:
        if p.name in seen:
            raise GeneratorError(f"{p.path} and {seen[p.name]} both make notebooks/{p.name}.ipynb")
        seen[p.name] = p.path
    return pages


@dataclass
class Target:
    page: str        # repository path of the page
    anchor: str
    title: str


def page_title(text: str, meta: dict) -> str:
    if meta.get("title"):
        return str(meta["title"])
    m = re.search(r"^#\s+(.+?)\s*$", FRONT_MATTER.sub("", text, count=1), re.M)
    return m.group(1) if m else ""


def make_id(label: str) -> str:
    """The HTML id docutils gives a label (docutils.nodes.make_id, without the unicode folding)."""
    ident = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return ident or label


def collect_targets(root: Path) -> tuple[dict[str, Target], dict[str, str]]:
    """Labels defined anywhere in the book ((label)= targets and :label: options) and page titles."""
    labels: dict[str, Target] = {}
    titles: dict[str, str] = {}
    for md in sorted((root / BOOK_DIR).rglob("*.md")):
        rel = md.relative_to(root).as_posix()
        text = md.read_text(encoding="utf-8")
        titles[rel] = page_title(text, front_matter(text))
        lines = text.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^\s*\(([\w:.-]+)\)=\s*$", line)
            if m:
                nxt = next((l for l in lines[i + 1:] if l.strip()), "")
                title = re.sub(r"^#+\s*", "", nxt).strip() if nxt.lstrip().startswith("#") else m.group(1)
                labels[m.group(1)] = Target(rel, make_id(m.group(1)), title)
                continue
            m = re.match(r"^\s*:label:\s*(\S+)\s*$", line)
            if m:
                # the directive line is the nearest fence line above
                j = i - 1
                while j >= 0 and not re.match(r"^\s*(`{3,}|:{3,})\{", lines[j]):
                    j -= 1
                title = ""
                if j >= 0:
                    dm = re.match(r"^\s*(?:`{3,}|:{3,})\{[^}]+\}\s*(.*)$", lines[j])
                    title = dm.group(1).strip() if dm else ""
                labels[m.group(1)] = Target(rel, make_id(m.group(1)), title or m.group(1))
    return labels, titles


# --------------------------------------------------------------------------------------------
# Markdown conversion
# --------------------------------------------------------------------------------------------

FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE_INFO = re.compile(r"^\s*\{(?P<name>[a-zA-Z][\w:-]*)\}\s*(?P<arg>.*?)\s*$")


@dataclass
class Directive:
    name: str
    arg: str
    options: dict
    body: list[str]
    fence: str


def parse_options(lines: list[str], where: str) -> tuple[dict, list[str]]:
    """Split a directive's content into its options (``:key: value`` lines or a --- YAML block) and body."""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise GeneratorError(f"{where}: unterminated option block")
        opts = yaml.safe_load("\n".join(lines[1:end])) or {}
        return dict(opts), lines[end + 1:]
    opts: dict = {}
    i = 0
    while i < len(lines):
        m = re.match(r"^\s*:([\w-]+):(.*)$", lines[i])
        if not m:
            break
        raw = m.group(2).strip()
        try:
            value = yaml.safe_load(raw) if raw else None
        except yaml.YAMLError:
            value = raw
        if isinstance(value, (dict, list)) and not raw.startswith(("[", "{")):
            value = raw
        opts[m.group(1)] = value
        i += 1
    body = lines[i:]
    while body and not body[0].strip():
        body = body[1:]
    return opts, body


def split_fence(lines: list[str], start: int) -> tuple[str, str, list[str], int] | None:
    """If lines[start] opens a fence, return (fence, info, content lines, index after the close)."""
    m = FENCE_OPEN.match(lines[start])
    if not m:
        return None
    fence, info = m.group("fence"), m.group("info")
    if fence[0] == "`" and "`" in info:
        return None
    char, n = fence[0], len(fence)
    close = re.compile(r"^ {0,3}" + re.escape(char) + "{" + str(n) + r",}\s*$")
    for j in range(start + 1, len(lines)):
        if close.match(lines[j]):
            return fence, info, lines[start + 1:j], j + 1
    if fence[0] == ":":
        return None  # a stray ::: line is text
    return fence, info, lines[start + 1:], len(lines)  # unclosed: runs to the end (CommonMark)


@dataclass
class Exercise:
    number: int
    label: str
    title: str


@dataclass
class Segment:
    kind: str                 # "markdown" | "code"
    text: str
    region: str = "main"      # "main" | "solution"
    exercise: Exercise | None = None
    metadata: dict = field(default_factory=dict)


class Converter:
    """Rewrites one page's MyST into Jupyter Markdown, cell by cell, keeping exercise state."""

    def __init__(self, root: Path, site: Site, page: Page, variant: str, diagrams: "DiagramCache",
                 labels: dict[str, Target], titles: dict[str, str]):
        self.root, self.site, self.page, self.variant = root, site, page, variant
        self.diagrams, self.labels, self.titles = diagrams, labels, titles
        self.page_dir = posixpath.dirname(page.path)
        self.exercises: dict[str, Exercise] = {}
        self.segments: list[Segment] = []
        self.region = "main"
        self.current: Exercise | None = None   # exercise whose solution we are in
        self.pending: list[str] = []           # markdown lines of the current region
        self.diagram_count = 0

    # ---- output -------------------------------------------------------------------------
    def flush(self) -> None:
        text = "\n".join(self.pending).strip("\n")
        if text.strip():
            self.segments.append(Segment("markdown", text, self.region, self.current))
        self.pending = []

    def emit(self, lines: list[str]) -> None:
        self.pending.extend(lines)

    def code(self, source: str, metadata: dict) -> None:
        self.flush()
        self.segments.append(Segment("code", source, self.region, self.current, metadata))

    # ---- errors -------------------------------------------------------------------------
    def fail(self, msg: str) -> GeneratorError:
        return GeneratorError(f"{self.page.path}: {msg}")

    # ---- markdown ---------------------------------------------------------------------------
    def markdown(self, text: str) -> None:
        self.emit(self.convert_lines(text.split("\n"), top=True))

    def convert_lines(self, lines: list[str], top: bool = False) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            fenced = split_fence(lines, i)
            if fenced:
                fence, info, content, nxt = fenced
                dm = DIRECTIVE_INFO.match(info)
                if dm:
                    opts, body = parse_options(content, f"{self.page.path}: {{{dm.group('name')}}}")
                    d = Directive(dm.group("name"), dm.group("arg"), opts, body, fence)
                    out.extend(self.directive(d, out, top))
                elif info.strip().split(" ")[0] == "mermaid" and fence[0] != ":":
                    out.extend(self.mermaid(content))
                else:   # ordinary code block: copied as is
                    out.extend(lines[i:nxt])
                i = nxt
                continue
            if re.match(r"^\s*\([\w:.-]+\)=\s*$", line):      # (label)= target
                i += 1
                continue
            if re.match(r"^\s*%", line) and not line.lstrip().startswith("%%"):   # MyST comment
                i += 1
                continue
            if re.match(r"^: ", line) and out and out[-1].strip():   # definition list item
                term = out.pop()
                out.append(f"**{term.strip()}**")
                out.append("")
                out.append(self.inline(line[2:].strip()))
                i += 1
                while i < len(lines) and re.match(r"^ {2,}\S", lines[i]):
                    out.append(self.inline(lines[i].strip()))
                    i += 1
                continue
            out.append(self.inline(line))
            i += 1
        return out

    # ---- directives --------------------------------------------------------------------
    def directive(self, d: Directive, out: list[str], top: bool) -> list[str]:
        name = d.name
        if name in ("mermaid",):
            return self.mermaid(d.body)
        if name == "literalinclude":
            return self.literalinclude(d)
        if name in ("code-block", "code", "sourcecode"):
            return ["```" + (d.arg or ""), *d.body, "```"]
        if name == "math":
            return ["$$", *d.body, "$$"]
        if name == "button-ref":
            return self.button_ref(d)
        if name == "button-link":
            text = " ".join(l.strip() for l in d.body if l.strip()) or d.arg
            return [f"**[{self.inline(text)}]({d.arg})**"]
        if name in ("image", "figure"):
            return self.figure(d)
        if name == "raw":
            if d.arg.strip() != "html":
                return []
            return d.body
        if name == "dropdown":
            return self.details(self.inline(d.arg or "펼치기"), self.convert_lines(d.body))
        if name in ADMONITIONS:
            title = ADMONITIONS[name]
            if name in ("admonition", "topic") or d.arg:
                title = d.arg or title
            body = self.convert_lines(d.body)
            if "dropdown" in str(d.options.get("class", "")):
                return self.details(self.inline(title or "펼치기"), body)
            return self.blockquote(self.inline(title) if title else None, body)
        if name in ("exercise", "exercise-start"):
            return self.exercise(d, out, gated=(name == "exercise-start"))
        if name == "exercise-end":
            return []
        if name == "solution":
            ex = self.exercise_for(d.arg)
            if self.variant == "student":
                return []
            return self.details(f"풀이 보기 — 문제 {ex.number}", self.convert_lines(d.body))
        if name == "solution-start":
            if not top:
                raise self.fail("{solution-start} must not be nested in another directive")
            ex = self.exercise_for(d.arg)
            self.emit(out[:])
            out.clear()
            self.flush()
            self.region, self.current = "solution", ex
            return []
        if name == "solution-end":
            if self.region != "solution":
                raise self.fail("{solution-end} without {solution-start}")
            self.emit(out[:])
            out.clear()
            self.flush()
            self.region, self.current = "main", None
            return []
        if name in ("tab-set", "grid"):
            return self.convert_lines(d.body)
        if name in ("tab-item", "grid-item", "card"):
            head = [f"**{self.inline(d.arg)}**", ""] if d.arg else []
            return head + self.convert_lines(d.body)
        raise self.fail(f"directive {{{name}}} is not supported by {GENERATOR}; add it there")

    def blockquote(self, title: str | None, body: list[str]) -> list[str]:
        lines = ([f"**{title}**", ""] if title else []) + body
        return [("> " + l) if l.strip() else ">" for l in lines]

    def details(self, summary: str, body: list[str]) -> list[str]:
        return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>"]

    def exercise_for(self, label: str) -> Exercise:
        label = label.strip()
        if label not in self.exercises:
            raise self.fail(f"solution for unknown exercise {label!r} (the exercise must come first)")
        return self.exercises[label]

    def exercise(self, d: Directive, out: list[str], gated: bool) -> list[str]:
        number = len(self.exercises) + 1
        label = str(d.options.get("label") or f"exercise-{number}")
        title = self.inline(d.arg.strip())
        ex = Exercise(number, label, title)
        self.exercises[label] = ex
        # The page usually has its own heading "### 문제 N: ..." just before: keep it, add none.
        previous = next((l for l in reversed(self.pending + out) if l.strip()), "")
        lines: list[str] = []
        if not (previous.lstrip().startswith("#") and re.search(rf"문제\s*{number}(?!\d)", previous)):
            lines += [f"### 문제 {number}" + (f": {title}" if title else ""), ""]
        lines += self.convert_lines(d.body)
        return lines

    def button_ref(self, d: Directive) -> list[str]:
        text = " ".join(l.strip() for l in d.body if l.strip())
        url, default = self.resolve_ref(d.arg.strip(), str(d.options.get("ref-type", "any")))
        return [f"**[{self.inline(text or default)}]({url})**"]

    def figure(self, d: Directive) -> list[str]:
        src = self.link_target(d.arg.strip(), image=True)
        alt = str(d.options.get("alt", ""))
        lines = [f"![{alt}]({src})"]
        caption = [l for l in d.body if l.strip()]
        if d.name == "figure" and caption:
            lines += ["", *[f"*{self.inline(l.strip())}*" for l in caption]]
        return lines

    def literalinclude(self, d: Directive) -> list[str]:
        from sphinx.directives.code import LiteralIncludeReader

        rel = d.arg.strip()
        repo_path = posixpath.normpath(posixpath.join(self.page_dir, rel)) if not rel.startswith("/") \
            else posixpath.normpath(posixpath.join(self.site.book_root or ".", rel.lstrip("/")))
        path = self.root / repo_path
        if not path.is_file():
            raise self.fail(f"literalinclude: {rel} not found ({repo_path})")
        opts = {k: v for k, v in d.options.items()}
        for key in ("lineno-start", "tab-width"):
            if key in opts:
                opts[key] = int(opts[key])
        if "dedent" in opts:
            opts["dedent"] = int(opts["dedent"]) if opts["dedent"] not in (None, "") else None
        for key in ("start-at", "start-after", "end-at", "end-before", "pyobject", "lines", "prepend", "append"):
            if key in opts and opts[key] is not None:
                opts[key] = str(opts[key])
        reader = LiteralIncludeReader(str(path), opts, types.SimpleNamespace(source_encoding="utf-8-sig"))
        try:
            text, _ = reader.read()
        except (ValueError, OSError) as exc:
            raise self.fail(f"literalinclude {rel}: {exc}") from exc
        language = opts.get("language") or {".py": "python"}.get(path.suffix, "")
        what = f"`{opts['pyobject']}` — " if opts.get("pyobject") else ""
        caption = f"*{what}[`{repo_path}`]({self.site.blob_url(repo_path)})에서 가져온 코드*"
        return [caption, "", f"```{language}", *text.rstrip("\n").split("\n"), "```"]

    def mermaid(self, body: list[str]) -> list[str]:
        self.diagram_count += 1
        src = "\n".join(body)
        image = self.diagrams.get(src)
        return [f"![{image.alt}](data:image/png;base64,{image.base64})"]

    # ---- links and roles ----------------------------------------------------------------
    def resolve_ref(self, target: str, ref_type: str = "any") -> tuple[str, str]:
        """URL and default text for a {doc}/{ref}/{button-ref} target."""
        if ref_type in ("doc", "any"):
            doc = target.split("#")[0]
            base = posixpath.normpath(posixpath.join(self.page_dir, doc)) if not doc.startswith("/") \
                else posixpath.normpath(posixpath.join(self.site.book_root or ".", doc.lstrip("/")))
            base = re.sub(r"\.(md|ipynb)$", "", base)
            for ext in (".md", ".ipynb"):
                if (self.root / (base + ext)).is_file():
                    anchor = target.split("#", 1)[1] if "#" in target else ""
                    return self.site.page_url(base + ext, anchor), self.titles.get(base + ext, base)
            if ref_type == "doc":
                raise self.fail(f"no page {target!r} (from {self.page_dir})")
        label = target
        if label in self.labels:
            t = self.labels[label]
            if label in self.exercises:
                return self.site.page_url(t.page, t.anchor), f"문제 {self.exercises[label].number}"
            return self.site.page_url(t.page, t.anchor), t.title
        raise self.fail(f"unknown reference target {target!r}")

    def role(self, m: re.Match) -> str:
        name, content = m.group(1), m.group(2)
        explicit = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", content)
        text, target = (explicit.group(1), explicit.group(2)) if explicit else (None, content)
        if name in ("doc", "ref", "any", "numref"):
            url, default = self.resolve_ref(target.strip(), "doc" if name == "doc" else ("ref" if name != "any" else "any"))
            return f"[{text or default}]({url})"
        if name == "math":
            return f"${content}$"
        if name == "download":
            return f"[{text or posixpath.basename(target)}]({self.link_target(target)})"
        if name in ("sub", "sup", "kbd"):
            return f"<{name}>{content}</{name}>"
        if name in ("abbr",):
            return re.sub(r"\s*\(.*\)$", "", content)
        if name in ("term", "guilabel", "menuselection", "file", "samp", "code", "command", "program"):
            return f"`{content}`" if name in ("file", "samp", "code", "command", "program") else content
        raise self.fail(f"role {{{name}}} is not supported by {GENERATOR}; add it there")

    def link_target(self, target: str, image: bool = False) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "//")):
            return target
        path, _, anchor = target.partition("#")
        if not path:
            return target
        repo_path = posixpath.normpath(posixpath.join(self.page_dir, path)) if not path.startswith("/") \
            else posixpath.normpath(posixpath.join(self.site.book_root or ".", path.lstrip("/")))
        if repo_path.startswith("../"):
            raise self.fail(f"link {target!r} leaves the repository")
        full = self.root / repo_path
        if image:
            if not full.is_file():
                raise self.fail(f"image {target!r} not found")
            return self.site.raw_url(repo_path)
        book = self.root / BOOK_DIR
        for candidate in (repo_path, repo_path + ".md", repo_path + ".ipynb"):
            c = self.root / candidate
            if c.is_file() and c.suffix in (".md", ".ipynb") and book in c.resolve().parents:
                return self.site.page_url(candidate, anchor)
        if full.is_file():
            return self.site.blob_url(repo_path) + (f"#{anchor}" if anchor else "")
        if full.is_dir():
            return self.site.tree_url(repo_path)
        raise self.fail(f"link target {target!r} does not exist")

    def inline(self, line: str) -> str:
        # Colab badge: same image as Colab's own, linking to this very notebook.
        # Any other Colab badge (e.g. one for the student notebook) keeps its target.
        def badge(m: re.Match) -> str:
            own = m.group(2) == self.site.colab_url(notebook_path(self.page.name, "instructor"))
            return f"[![{m.group(1)}]({COLAB_BADGE_IMG})]({self.self_colab_url if own else m.group(2)})"

        line = re.sub(r"\[!\[([^\]]*)\]\([^)]*\)\]\((https://colab\.research\.google\.com/github/[^)\s]*)\)", badge, line)
        line = re.sub(r"\{([a-zA-Z][\w:.-]*)\}`([^`]+)`", self.role, line)
        # code spans are left alone: park them while the links are rewritten
        spans: list[str] = []

        def park(m: re.Match) -> str:
            spans.append(m.group(0))
            return f"\x00{len(spans) - 1}\x00"

        line = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", park, line)

        def md_link(m: re.Match) -> str:
            bang, text, target, title = m.group(1), m.group(2), m.group(3), m.group(4) or ""
            if target.startswith("data:"):
                return m.group(0)
            return f"{bang}[{text}]({self.link_target(target, image=bool(bang))}{title})"

        line = re.sub(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)(\s+\"[^\"]*\")?\)", md_link, line)
        line = re.sub(r'(<a\s[^>]*href=")([^"]+)(")', lambda m: m.group(1) + self.link_target(m.group(2)) + m.group(3), line)
        line = re.sub(r'(<img\s[^>]*src=")([^"]+)(")',
                      lambda m: m.group(1) + (m.group(2) if m.group(2).startswith("data:") else self.link_target(m.group(2), image=True)) + m.group(3), line)
        line = re.sub(r"^(\s*\[[^\]]+\]:\s*)(\S+)", lambda m: m.group(1) + self.link_target(m.group(2)), line)
        line = re.sub(r"(\$\$)\s*\(([\w:.-]+)\)\s*$", r"\1", line)   # $$ ... $$ (label)
        return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], line)

    @property
    def self_colab_url(self) -> str:
        return self.site.colab_url(notebook_path(self.page.name, self.variant))


# --------------------------------------------------------------------------------------------
# Diagrams
# --------------------------------------------------------------------------------------------


@dataclass
class DiagramImage:
    key: str
    base64: str
    alt: str


def mermaid_version(root: Path) -> str:
    sys.path.insert(0, str(root / "scripts"))
    try:
        import vendor_assets  # the site's own pin
    finally:
        sys.path.pop(0)
    return next(p.version for p in vendor_assets.PACKAGES if p.name == "mermaid")


def normalize_diagram(src: str) -> str:
    lines = [l.rstrip() for l in src.strip("\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


class DiagramCache:
    """PNG renders of mermaid diagrams in notebooks/_diagrams/<key>.png (+ <key>.json: alt text)."""

    def __init__(self, root: Path, render: bool):
        self.root = root
        self.dir = root / DIAGRAM_DIR
        self.render_allowed = render
        self.version = mermaid_version(root)
        self.used: set[str] = set()
        self.missing: dict[str, str] = {}

    def key(self, src: str) -> str:
        payload = json.dumps({"source": normalize_diagram(src), "mermaid": self.version, "style": DIAGRAM_STYLE},
                             sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def get(self, src: str) -> DiagramImage:
        key = self.key(src)
        self.used.add(key)
        png, meta = self.dir / f"{key}.png", self.dir / f"{key}.json"
        if png.is_file() and meta.is_file():
            info = json.loads(meta.read_text(encoding="utf-8"))
            return DiagramImage(key, base64.b64encode(png.read_bytes()).decode(), info["alt"])
        self.missing[key] = normalize_diagram(src)
        return DiagramImage(key, "", "")

    def render_missing(self) -> None:
        if not self.missing:
            return
        if not self.render_allowed:
            raise GeneratorError(f"{len(self.missing)} diagram(s) not rendered yet: run python {GENERATOR}")
        self.dir.mkdir(parents=True, exist_ok=True)
        results = render_mermaid(self.root, list(self.missing.values()))
        for (key, src), (png, alt) in zip(self.missing.items(), results):
            (self.dir / f"{key}.png").write_bytes(png)
            meta = {"alt": alt, "mermaid": self.version, "source": src, "style": DIAGRAM_STYLE}
            (self.dir / f"{key}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                                  encoding="utf-8")
            print(f"make_notebooks: rendered diagram {key}")
        self.missing = {}

    def unused_files(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return sorted(p for p in self.dir.iterdir()
                      if p.suffix in (".png", ".json") and p.stem not in self.used)


RENDER_HTML = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<style>html,body{margin:0;background:#fff}#out{display:inline-block;background:#fff;padding:%(padding)dpx}</style>
</head><body><div id="out"></div>
<script type="module">
import mermaid from "./dist/mermaid.esm.min.mjs";
mermaid.initialize({startOnLoad: false, theme: %(theme)s, securityLevel: "strict",
                    fontFamily: %(font)s, themeVariables: {fontFamily: %(font)s}});
window.renderDiagram = async (source) => {
  const out = document.getElementById("out");
  out.innerHTML = "";
  const {svg} = await mermaid.render("diagram", source);
  out.innerHTML = svg;
  const el = out.querySelector("svg");
  const vb = el.viewBox.baseVal;
  el.removeAttribute("style");
  el.setAttribute("width", Math.ceil(vb.width));
  el.setAttribute("height", Math.ceil(vb.height));
  await document.fonts.ready;
  // Labels for the alt text in reading order: along the flow (top-down or left-right), edges last.
  const horizontal = /^\\s*(flowchart|graph)\\s+(LR|RL)\\b/.test(source);
  const labels = [];
  for (const selector of [".cluster-label, .node .nodeLabel, .node text", ".edgeLabel"]) {
    const found = [];
    for (const node of el.querySelectorAll(selector)) {
      const copy = node.cloneNode(true);
      for (const br of copy.querySelectorAll("br")) br.replaceWith(" ");
      const t = copy.textContent.replace(/\\s+/g, " ").trim();
      const r = node.getBoundingClientRect();
      const x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
      if (t) found.push({t, key: horizontal ? [x, y] : [y, x]});
    }
    found.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]);
    for (const {t} of found) if (!labels.includes(t)) labels.push(t);
  }
  const box = out.getBoundingClientRect();
  return {labels, width: box.width, height: box.height};
};
window.mermaidReady = true;
</script></body></html>
"""


def render_mermaid(root: Path, sources: list[str]) -> list[tuple[bytes, str]]:
    """Render mermaid sources to PNG with headless Chromium and the site's vendored mermaid."""
    sys.path.insert(0, str(root / "scripts"))
    try:
        import vendor_assets
    finally:
        sys.path.pop(0)
    vendor_assets.vendor(log=lambda msg: print(msg))
    mermaid_dir = vendor_assets.VENDOR_DIR / "mermaid"
    from playwright.sync_api import sync_playwright

    html = RENDER_HTML % {"padding": DIAGRAM_STYLE["padding"], "theme": json.dumps(DIAGRAM_STYLE["theme"]),
                          "font": json.dumps(DIAGRAM_STYLE["fontFamily"])}
    origin = "https://mermaid.invalid/"

    def serve(route) -> None:
        rel = route.request.url[len(origin):].split("?")[0]
        if rel in ("", "index.html"):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            return
        path = (mermaid_dir / rel).resolve()
        if mermaid_dir.resolve() not in path.parents or not path.is_file():
            route.fulfill(status=404, body="not found")
            return
        route.fulfill(status=200, content_type="text/javascript; charset=utf-8", body=path.read_bytes())

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for src in sources:
                info, png = None, b""
                scale = 1.0
                for attempt in range(2):   # measure at 1x, then render at the chosen scale
                    ctx = browser.new_context(device_scale_factor=scale, viewport={"width": 2400, "height": 2400})
                    page = ctx.new_page()
                    errors: list[str] = []
                    page.on("pageerror", lambda e: errors.append(str(e)))
                    page.route(origin + "**", serve)
                    page.goto(origin + "index.html")
                    page.wait_for_function("window.mermaidReady === true", timeout=30000)
                    if not page.evaluate("document.fonts.check('16px \"Noto Sans CJK KR\"', '가')") and \
                            not page.evaluate("document.fonts.check('16px \"NanumGothic\"', '가')"):
                        raise GeneratorError("no Korean font for the diagrams: install fonts-noto-cjk")
                    info = page.evaluate("src => window.renderDiagram(src)", src)
                    if errors:
                        raise GeneratorError(f"mermaid failed: {errors[0]}\n{src}")
                    if attempt == 0:
                        scale = min(DIAGRAM_STYLE["max_scale"], DIAGRAM_STYLE["max_width"] / info["width"],
                                    DIAGRAM_STYLE["max_height"] / info["height"])
                        scale = max(1.0, round(scale, 2))
                        ctx.close()
                        continue
                    png = page.locator("#out").screenshot(type="png", animations="disabled")
                    ctx.close()
                results.append((optimize_png(png), diagram_alt(src, info["labels"])))
        finally:
            browser.close()
    return results


def optimize_png(png: bytes) -> bytes:
    """Smaller PNG (256-colour palette); the picture is flat colours and anti-aliased text."""
    try:
        from PIL import Image
    except ImportError:
        return png
    img = Image.open(io.BytesIO(png)).convert("RGB")
    pal = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    pal.save(buf, format="PNG", optimize=True)
    return buf.getvalue() if len(buf.getvalue()) < len(png) else png


def diagram_alt(src: str, labels: list[str]) -> str:
    kind = src.strip().split()[0] if src.strip() else ""
    what = {"flowchart": "흐름도", "graph": "흐름도", "sequenceDiagram": "순서도", "stateDiagram": "상태도",
            "stateDiagram-v2": "상태도", "classDiagram": "클래스 다이어그램"}.get(kind, "다이어그램")
    text = " · ".join(labels)
    text = re.sub(r"[\[\]\\]", "", text)
    return f"{what}: {text}" if text else what


# --------------------------------------------------------------------------------------------
# Notebook assembly
# --------------------------------------------------------------------------------------------


def notebook_path(name: str, variant: str) -> str:
    return f"{STUDENT_DIR}/{name}.ipynb" if variant == "student" else f"{NOTEBOOK_DIR}/{name}.ipynb"


def setup_cell(site: Site) -> str:
    return (
        "# 준비: 강의 라이브러리 hh_lib를 불러옵니다. 없으면(예: Colab) 강의 저장소에서 설치합니다.\n"
        "# 한글 그림 글꼴(koreanize-matplotlib에 든 나눔고딕)도 함께 설치합니다. 로컬에서는 설치를 건너뜁니다.\n"
        "try:\n"
        "    import hh_lib\n"
        "except ImportError:\n"
        f"    %pip install -q \"{site.pip_spec}\" koreanize-matplotlib\n"
        "    import importlib\n"
        "    importlib.invalidate_caches()\n"
        "    import hh_lib\n"
        "\n"
        "from hh_lib.plotting import use_korean_font\n"
        "\n"
        "print(\"hh_lib\", hh_lib.__version__, \"| 그림의 한글 글꼴:\", use_korean_font() or \"없음 (한글이 네모로 보일 수 있음)\")"
    )


def intro_cell(site: Site, page: Page, variant: str) -> str:
    url = site.page_url(page.path)
    title = page_title(page.text, page.meta)
    if variant == "student":
        what = ("**학생용 노트북**입니다. 실습 문제의 풀이 코드는 `TODO` 셀로 바뀌어 있고, 각 `TODO` 셀은 "
                "직접 채우기 전까지 `NotImplementedError`를 냅니다.")
        other = f"[풀이가 들어 있는 노트북]({site.colab_url(notebook_path(page.name, 'instructor'))})"
    else:
        what = ("실습 문제의 풀이 설명은 **풀이 보기**를 눌러야 보이고, 풀이 코드 셀은 Colab에서 접혀 있습니다"
                "(셀을 더블클릭하면 코드가 보입니다).")
        other = f"[풀이 없는 학생용 노트북]({site.colab_url(notebook_path(page.name, 'student'))})"
    return (
        f"> 이 노트북은 강의 페이지 [{title}]({url})에서 자동으로 만들어졌습니다. {what} "
        f"맨 위 셀부터 차례로 실행하세요(Colab: **런타임 → 모두 실행**). 함께 보기: {other}.\n"
        f">\n"
        f"> 수정은 노트북이 아니라 강의 페이지(`{page.path}`)에서 합니다."
    )


def split_title(text: str) -> tuple[str, str]:
    """Split the first markdown cell after its title block (heading, subtitle, badge)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i > 0 and (re.match(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$", line) or re.match(r"^#{1,6}\s", line)):
            return "\n".join(lines[:i]).strip("\n"), "\n".join(lines[i:]).strip("\n")
    return text, ""


def tidy(text: str) -> str:
    """Collapse runs of blank lines outside code fences (left by removed targets and comments)."""
    out, fence = [], None
    for line in text.split("\n"):
        m = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if m:
            if fence is None:
                fence = m.group(1)
            elif line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
        if fence is None and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.rstrip() if fence is None and not line.strip() else line)
    return "\n".join(out).strip("\n")


def split_headings(text: str) -> list[str]:
    """Split markdown at headings (outside code fences) so each section starts a cell."""
    cells, current, fence = [], [], None
    for line in text.split("\n"):
        m = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if m:
            if fence is None:
                fence = m.group(1)
            elif line.strip().startswith(fence[0] * len(fence)) and line.strip().strip(fence[0]) == "":
                fence = None
        body = [l for l in current if l.strip() and not re.match(r"^#{1,6}\s", l)]
        if fence is None and re.match(r"^#{1,6}\s", line) and body:   # a heading with no text yet stays
            cells.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    if any(l.strip() for l in current):
        cells.append("\n".join(current).strip("\n"))
    # a cell that is only a thematic break (--- after a code cell) is dropped: cells separate anyway
    return [c for c in cells if c.strip() and not re.fullmatch(r"\s*(-{3,}|\*{3,}|_{3,})\s*", c)]


def _strip_magics(source: str) -> str:
    return "\n".join("" if l.lstrip().startswith(("%", "!")) else l for l in source.split("\n"))


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(_strip_magics(source))
    except SyntaxError:
        return None


def _used_before_assigned(source: str) -> set[str]:
    """Names a cell reads that it has not assigned earlier at its top level (roughly: its inputs)."""
    tree = _parse(source)
    if tree is None:
        return set()
    assigned: set[str] = set()
    used: set[str] = set()
    for stmt in tree.body:
        loads = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        used |= loads - assigned
        assigned |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            assigned |= {(a.asname or a.name).split(".")[0] for a in stmt.names}
    return used


def todo_cell(source: str, ex: Exercise, later_sources: list[str], imported: set[str],
              solution_imports: dict[str, str], hint: str | None) -> str:
    """The student scaffold for one solution code cell: imports, hints, and a NotImplementedError."""
    tree = _parse(source)
    imports, called, assigned = [], [], []
    if tree is not None:
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(ast.get_source_segment(_strip_magics(source), node))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported \
                    and node.func.id not in called:
                called.append(node.func.id)
        for node in tree.body:
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name) and n.id not in assigned:
                        assigned.append(n.id)
    later_names: set[str] = set()
    for later in later_sources:
        later_names |= _used_before_assigned(later)
    needed = [n for n in assigned if n in later_names]
    title = f"문제 {ex.number}" + (f" ({ex.title})" if ex.title else "")
    lines = [f"# TODO — {title}: " + (hint.strip() if hint else "이 셀의 코드를 직접 작성하세요.")]
    if called:
        lines.append("#   사용할 함수: " + ", ".join(f"{c}()" for c in called))
    if needed:
        lines.append("#   뒤의 셀에서 쓸 변수: " + ", ".join(needed))
    lines.append("#   다 작성했으면 아래의 raise 줄을 지우세요.")
    # names this cell uses that only another solution cell imports (that cell is a TODO too)
    own = {(a.asname or a.name).split(".")[0] for stmt in (tree.body if tree else [])
           if isinstance(stmt, (ast.Import, ast.ImportFrom)) for a in stmt.names}
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} if tree else set()
    borrowed = sorted({solution_imports[n] for n in used if n in solution_imports and n not in own})
    lines += borrowed + imports
    lines.append("")
    lines.append(f"raise NotImplementedError(\"{title}: TODO를 완성하세요\")")
    return "\n".join(lines)


def solution_code(source: str, ex: Exercise) -> str:
    title = f"문제 {ex.number}" + (f": {ex.title}" if ex.title else "")
    return f"# @title 풀이 코드 — {title} (먼저 직접 풀어 보세요) {{ display-mode: \"form\" }}\n{source}"


def cell_id(cell_type: str, source: str, seen: dict[str, int]) -> str:
    digest = hashlib.sha256(f"{cell_type}\0{source}".encode()).hexdigest()[:12]
    n = seen.get(digest, 0)
    seen[digest] = n + 1
    return digest if n == 0 else f"{digest}-{n}"


def build_notebook(root: Path, site: Site, page: Page, variant: str, diagrams: DiagramCache,
                   labels: dict[str, Target], titles: dict[str, str]) -> nbformat.NotebookNode:
    import jupytext

    source_nb = jupytext.reads(page.text, fmt="md:myst")
    conv = Converter(root, site, page, variant, diagrams, labels, titles)
    for cell in source_nb.cells:
        if cell.cell_type == "markdown":
            conv.markdown(cell.source)
            conv.flush()
        elif cell.cell_type == "code":
            conv.code(cell.source, dict(cell.metadata or {}))
        else:   # raw cells are dropped (they are not Python)
            continue
    conv.flush()
    if conv.region != "main":
        raise conv.fail("{solution-start} without {solution-end}")

    imported: set[str] = set()                 # names imported by any cell of the page
    main_imported: set[str] = set()            # ... by the cells a student notebook keeps
    solution_imports: dict[str, str] = {}      # name -> import statement, from solution cells
    for s in conv.segments:
        if s.kind == "code":
            tree = _parse(s.text)
            if tree is None:
                continue
            for node in ast.walk(tree):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                for a in node.names:
                    name = (a.asname or a.name).split(".")[0]
                    imported.add(name)
                    if s.region == "main":
                        main_imported.add(name)
                    elif isinstance(node, ast.ImportFrom) and node.level == 0:
                        alias = f" as {a.asname}" if a.asname else ""
                        solution_imports.setdefault(name, f"from {node.module} import {a.name}{alias}")
                    elif isinstance(node, ast.Import):
                        solution_imports.setdefault(name, f"import {a.name}" + (f" as {a.asname}" if a.asname else ""))
    solution_imports = {k: v for k, v in solution_imports.items() if k not in main_imported}

    cells: list[tuple[str, str, dict]] = []   # (type, source, metadata)
    chunk_count: dict[int, int] = {}
    segments = conv.segments
    for k, s in enumerate(segments):
        if s.kind == "markdown":
            if s.region == "solution":
                if variant == "student":
                    continue
                n = chunk_count.get(s.exercise.number, 0)
                chunk_count[s.exercise.number] = n + 1
                summary = f"풀이 보기 — 문제 {s.exercise.number}" + (" (이어서)" if n else "")
                cells.append(("markdown", "\n".join(conv.details(summary, s.text.split("\n"))), {}))
            else:
                for part in split_headings(s.text):
                    cells.append(("markdown", part, {}))
            continue
        tags = [t for t in (s.metadata.get("tags") or []) if t == "raises-exception"]
        if s.region == "solution":
            if variant == "student":
                # inputs of the later cells of the same solution, and of every later ordinary cell
                later = [t.text for t in segments[k + 1:] if t.kind == "code"
                         and (t.region == "main" or t.exercise is s.exercise)]
                hint = s.metadata.get("todo")
                cells.append(("code", todo_cell(s.text, s.exercise, later, imported, solution_imports,
                                                str(hint) if hint else None),
                              {"tags": ["todo"]}))
            else:
                cells.append(("code", solution_code(s.text, s.exercise),
                              {"cellView": "form", "jupyter": {"source_hidden": True}, "tags": ["solution"]}))
        else:
            cells.append(("code", s.text, {"tags": tags} if tags else {}))

    # title block, then a note on where the notebook comes from, then the set-up cell
    if not cells or cells[0][0] != "markdown":
        raise conv.fail("the page must start with a Markdown title")
    head, rest = split_title(cells[0][1])
    cells[0:1] = [("markdown", head, {}), ("markdown", intro_cell(site, page, variant), {}),
                  ("code", setup_cell(site), {"tags": ["setup"]})] + [("markdown", r, {}) for r in split_headings(rest)]

    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "colab": {"toc_visible": True},
        "hh_course": {"generator": GENERATOR, "source": page.path, "variant": variant},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    seen: dict[str, int] = {}
    for ctype, src, meta in cells:
        if ctype == "markdown":
            src = tidy(src)
            cell = nbformat.v4.new_markdown_cell(src)
        else:
            cell = nbformat.v4.new_code_cell(src)
        cell.metadata = meta
        cell.id = cell_id(ctype, src, seen)
        nb.cells.append(cell)
    problems = myst_leftovers(nb) if not diagrams.missing else []
    if problems:
        raise conv.fail("MyST syntax left in the notebook:\n  " + "\n  ".join(problems))
    return nb


def myst_leftovers(nb) -> list[str]:
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", cell.source)
        for pattern, what in MYST_LEFTOVERS:
            for m in pattern.finditer(text):
                line = text[:m.start()].count("\n")
                problems.append(f"cell {i}: {what}: {text.splitlines()[line][:80]!r}")
    return problems


def dumps(nb) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def generate(root: Path = ROOT, render: bool = True) -> tuple[dict[str, str], DiagramCache]:
    """All notebooks as {repository path: text}."""
    site = load_site(root)
    pages = find_pages(root, site)
    labels, titles = collect_targets(root)
    diagrams = DiagramCache(root, render=render)
    notebooks = {}
    for attempt in range(2):   # a second pass once new diagrams are rendered
        notebooks = {notebook_path(page.name, variant): build_notebook(root, site, page, variant, diagrams, labels, titles)
                     for page in pages for variant in ("instructor", "student")}
        if not diagrams.missing:
            break
        diagrams.render_missing()   # raises when rendering is not allowed (--check)
    return {rel: dumps(nb) for rel, nb in notebooks.items()}, diagrams


def generated_files(root: Path) -> list[Path]:
    """Notebooks in notebooks/ and notebooks/student/ written by this script (per their metadata)."""
    found = []
    for d in (root / NOTEBOOK_DIR, root / STUDENT_DIR):
        for p in sorted(d.glob("*.ipynb")) if d.is_dir() else []:
            try:
                meta = json.loads(p.read_text(encoding="utf-8")).get("metadata", {})
            except (ValueError, OSError):
                continue
            if meta.get("hh_course", {}).get("generator") == GENERATOR:
                found.append(p)
    return found


def check(root: Path = ROOT) -> list[str]:
    """Problems that make the committed notebooks differ from what would be generated now."""
    try:
        wanted, diagrams = generate(root, render=False)
    except GeneratorError as exc:
        return [str(exc)]
    problems = []
    for rel, text in wanted.items():
        path = root / rel
        if not path.is_file():
            problems.append(f"missing: {rel}")
            continue
        have = path.read_text(encoding="utf-8")
        if have != text:
            diff = list(difflib.unified_diff(have.splitlines(), text.splitlines(), rel, rel + " (now)", lineterm="", n=1))
            shown = "\n".join(l[:160] for l in diff[:12])
            problems.append(f"stale: {rel}\n{shown}")
    for p in generated_files(root):
        rel = p.relative_to(root).as_posix()
        if rel not in wanted:
            problems.append(f"no page makes {rel} any more: run python {GENERATOR} to delete it")
    for p in diagrams.unused_files():
        problems.append(f"unused diagram render: {p.relative_to(root).as_posix()}")
    return problems


def write(root: Path = ROOT) -> list[str]:
    wanted, diagrams = generate(root, render=True)
    changed = []
    for rel, text in wanted.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    for p in generated_files(root):
        rel = p.relative_to(root).as_posix()
        if rel not in wanted:
            p.unlink()
            changed.append(f"deleted {rel}")
    for p in diagrams.unused_files():
        p.unlink()
        changed.append(f"deleted {p.relative_to(root).as_posix()}")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed notebook differs from what would be generated")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.check:
        problems = check(root)
        for p in problems:
            print(f"make_notebooks: {p}", file=sys.stderr)
        if problems:
            print(f"make_notebooks: notebooks are stale; run: python {GENERATOR}", file=sys.stderr)
            return 1
        print("make_notebooks: notebooks are up to date")
        return 0
    try:
        changed = write(root)
    except GeneratorError as exc:
        print(f"make_notebooks: error: {exc}", file=sys.stderr)
        return 1
    for c in changed:
        print(f"make_notebooks: {c}")
    if not changed:
        print("make_notebooks: notebooks are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
