"""Every path and address the generator needs, resolved in one place.

A page refers to other files relative to itself (``../../hh_lib/rates.py``), to pages without a
suffix (``../../concepts/neuron``) or from the book root (``/concepts/neuron``). The notebooks
refer to the same things by absolute addresses: the published site for pages, GitHub for other
files, Colab for the notebooks on the publishing branch. ``Site`` turns one into the other.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import GeneratorError

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
BOOK_DIR = "book"
#: The branch the notebooks are published to (scripts/publish_notebooks.py); its tree is the
#: generator's output: <Name>.ipynb, student/<Name>.ipynb, _diagrams/, README.md.
NOTEBOOK_BRANCH = "notebooks"
STUDENT_DIR = "student"
DIAGRAM_DIR = "_diagrams"
COLAB = "https://colab.research.google.com"
PAGE_SUFFIXES = (".md", ".ipynb")
VARIANTS = ("instructor", "student")


def term_anchor(term: str) -> str:
    """The anchor of a glossary term on the site: ``활동전위`` → ``term-활동전위``, ``F-I 곡선`` →
    ``term-f-i-곡선`` (scripts/sphinx_reader.py gives the glossary's terms these ids)."""
    return "term-" + re.sub(r"[^\w]+", "-", term.strip().lower()).strip("-")


def notebook_path(name: str, variant: str) -> str:
    """Path of a notebook in the output folder (= in the publishing branch)."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    return f"{STUDENT_DIR}/{name}.ipynb" if variant == "student" else f"{name}.ipynb"


@dataclass(frozen=True)
class Site:
    root: Path
    owner_repo: str   # owner/name on GitHub
    branch: str       # the source branch (main)
    base_url: str     # the published site, ending with /
    book_root: str    # the book root inside the repository ("" = repository root)
    bibfiles: tuple[str, ...] = ()   # bibtex_bibfiles, relative to the book root

    # ---- addresses ---------------------------------------------------------------------
    def colab_url(self, name: str, variant: str) -> str:
        return f"{COLAB}/github/{self.owner_repo}/blob/{NOTEBOOK_BRANCH}/{notebook_path(name, variant)}"

    def blob_url(self, repo_path: str, anchor: str = "") -> str:
        kind = "tree" if (self.root / repo_path).is_dir() else "blob"
        url = f"https://github.com/{self.owner_repo}/{kind}/{self.branch}/{repo_path}"
        return url + (f"#{anchor}" if anchor else "")

    def raw_url(self, repo_path: str) -> str:
        return f"https://raw.githubusercontent.com/{self.owner_repo}/{self.branch}/{repo_path}"

    def page_url(self, repo_path: str, anchor: str = "") -> str:
        rel = posixpath.relpath(repo_path, self.book_root) if self.book_root else repo_path
        rel = posixpath.splitext(rel)[0] + ".html"
        return self.base_url + rel + (f"#{anchor}" if anchor else "")

    @property
    def pip_spec(self) -> str:
        return f"hh_lib @ git+https://github.com/{self.owner_repo}@{self.branch}"

    # ---- resolution --------------------------------------------------------------------
    def resolve(self, page: str, target: str, where: str) -> str:
        """Repository path of ``target`` written on ``page`` (relative, or /absolute from the book root)."""
        if target.startswith("/"):
            path = posixpath.join(self.book_root or ".", target.lstrip("/"))
        else:
            path = posixpath.join(posixpath.dirname(page), target)
        path = posixpath.normpath(path)
        if path == ".." or path.startswith("../"):
            raise GeneratorError(f"{where}: {target!r} leaves the repository")
        return path

    def find_page(self, page: str, target: str, where: str) -> str | None:
        """Repository path of the page ``target`` names (with or without .md), or None."""
        path = self.resolve(page, target, where)
        stem = path[: -len(posixpath.splitext(path)[1])] if path.endswith(PAGE_SUFFIXES) else path
        for suffix in PAGE_SUFFIXES:
            candidate = self.root / (stem + suffix)
            if candidate.is_file() and (self.root / BOOK_DIR) in candidate.resolve().parents:
                return stem + suffix
        return None

    def link(self, page: str, target: str, where: str, image: bool = False) -> str:
        """The absolute address a notebook uses for a link (or image) written on ``page``."""
        if urlsplit(target).scheme or target.startswith(("#", "//")):
            return target
        path, _, anchor = target.partition("#")
        if not image:
            found = self.find_page(page, path, where)
            if found:
                return self.page_url(found, anchor)
        repo_path = self.resolve(page, path, where)
        if not (self.root / repo_path).exists():
            raise GeneratorError(f"{where}: link target {target!r} does not exist ({repo_path})")
        return self.raw_url(repo_path) if image else self.blob_url(repo_path, anchor)


def load_site(root: Path = ROOT) -> Site:
    """The repository, branch and published address, from ``_config.yml``."""
    cfg = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repo = cfg.get("repository") or {}
    url, branch = str(repo.get("url") or ""), repo.get("branch")
    parts = urlsplit(url)
    owner_repo = parts.path.strip("/").removesuffix(".git")
    if parts.netloc != "github.com" or owner_repo.count("/") != 1 or not branch:
        raise GeneratorError("_config.yml: repository.url must be https://github.com/<owner>/<name> "
                             f"and repository.branch set (got {url!r}, {branch!r})")
    base = str((cfg.get("html") or {}).get("baseurl") or "").strip()
    if not base:
        owner, name = owner_repo.split("/")
        base = f"https://{owner.lower()}.github.io/{name}/"
    book_root = posixpath.normpath(str(repo.get("path_to_book") or ".")).strip("/")
    return Site(root=root, owner_repo=owner_repo, branch=str(branch),
                base_url=base if base.endswith("/") else base + "/",
                book_root="" if book_root == "." else book_root,
                bibfiles=tuple(str(b) for b in cfg.get("bibtex_bibfiles") or ()))
