#!/usr/bin/env python3
"""Publish the generated Colab notebooks to the ``notebooks`` branch: one commit when they change.

    python3 scripts/publish_notebooks.py                 # generate, commit, push to origin
    python3 scripts/publish_notebooks.py --no-push       # commit on the local branch only

Run by the ``site`` workflow after every push to main (``make publish-notebooks``), from a clone
of main. It

1. fetches the ``notebooks`` branch and seeds the diagram cache from its ``_diagrams/``, so an
   unchanged diagram keeps its published bytes and Chromium renders only new ones;
2. generates every notebook (scripts/nbgen) into a fresh temporary folder;
3. writes that folder as a git tree (a private index, no checkout) and compares it with the
   branch's tree: equal → no commit; different → one commit whose parent is the branch tip,
   pushed without force. main is never written to.

The commit message names the source commit (``Source-commit: <sha>``). A run whose source is an
ancestor of the one already published (an older push finishing late) publishes nothing.
With ``GITHUB_TOKEN`` in the environment, git authenticates to github.com with it for this
command only (the token is never written to .git/config).
"""
from __future__ import annotations

import argparse
import base64
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbgen import NOTEBOOK_BRANCH, GeneratorError, write  # noqa: E402
from nbgen.paths import DIAGRAM_DIR  # noqa: E402

BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
TRAILER = "Source-commit:"


class PublishError(RuntimeError):
    pass


def git(repo: Path, *args: str, env: dict | None = None, data: bytes | None = None, check: bool = True) -> str:
    auth = []
    token = os.environ.get("GITHUB_TOKEN")
    if token and args[0] in ("fetch", "push", "ls-remote"):
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        auth = ["-c", f"http.https://github.com/.extraheader=AUTHORIZATION: basic {basic}"]
    res = subprocess.run(["git", *auth, *args], cwd=repo, input=data, capture_output=True,
                         env={**os.environ, **(env or {})})
    if check and res.returncode != 0:
        raise PublishError(f"git {args[0]} failed: {res.stderr.decode(errors='replace').strip()}")
    return res.stdout.decode(errors="replace").strip() if res.returncode == 0 else ""


def fetch_branch(repo: Path, remote: str, branch: str) -> str | None:
    """The published tip (fetched into refs/remotes/<remote>/<branch>), or None if there is none yet."""
    if not git(repo, "ls-remote", "--heads", remote, f"refs/heads/{branch}"):
        return None
    git(repo, "fetch", "--no-tags", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    return git(repo, "rev-parse", f"refs/remotes/{remote}/{branch}")


def seed_diagrams(repo: Path, tip: str, out: Path) -> int:
    """Copy the published diagram renders into the output folder (the generator's cache)."""
    if not git(repo, "ls-tree", "--name-only", tip, DIAGRAM_DIR):
        return 0
    tar = subprocess.run(["git", "archive", "--format=tar", tip, DIAGRAM_DIR], cwd=repo, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        members = [m for m in archive.getmembers() if m.isfile() and "/" in m.name and ".." not in m.name]
        archive.extractall(out, members=members, filter="data")
    return len(members)


def published_source(repo: Path, tip: str) -> str | None:
    for line in git(repo, "log", "-1", "--format=%B", tip).splitlines():
        if line.startswith(TRAILER):
            return line[len(TRAILER):].strip()
    return None


def is_older(repo: Path, head: str, published: str | None) -> bool:
    """True when ``head`` is a strict ancestor of the source already published."""
    if not published or published == head or not git(repo, "cat-file", "-t", published, check=False):
        return False
    res = subprocess.run(["git", "merge-base", "--is-ancestor", head, published], cwd=repo, capture_output=True)
    return res.returncode == 0


def tree_of(repo: Path, folder: Path) -> str:
    """Write ``folder`` as a git tree object (a private index; the work tree is not touched)."""
    git_dir = git(repo, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_DIR": git_dir, "GIT_WORK_TREE": str(folder), "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git(folder, "add", "--all", "--force", ".", env=env)
        return git(folder, "write-tree", env=env)


def commit(repo: Path, tree: str, parent: str | None, head: str) -> str:
    subject = git(repo, "log", "-1", "--format=%s", head)
    message = f"Notebooks from {head[:12]}: {subject}\n\n{TRAILER} {head}\n"
    name, email = BOT
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    args = ["commit-tree", tree] + (["-p", parent] if parent else [])
    return git(repo, *args, env=env, data=message.encode())


def publish(repo: Path, remote: str = "origin", branch: str = NOTEBOOK_BRANCH, push: bool = True,
            log=print) -> str | None:
    """Generate and publish; the new commit's sha, or None when nothing changed."""
    head = git(repo, "rev-parse", "HEAD")
    tip = fetch_branch(repo, remote, branch)
    if tip and is_older(repo, head, published_source(repo, tip)):
        log(f"publish: {head[:12]} is older than the published {published_source(repo, tip)[:12]}; nothing to do")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "notebooks"
        out.mkdir()
        seeded = seed_diagrams(repo, tip, out) if tip else 0
        log(f"publish: {seeded} diagram file(s) reused from {branch}")
        write(repo, out, log=log)
        tree = tree_of(repo, out)
    if tip and tree == git(repo, "rev-parse", f"{tip}^{{tree}}"):
        log(f"publish: the notebooks on {branch} are up to date")
        return None
    new = commit(repo, tree, tip, head)
    git(repo, "update-ref", f"refs/heads/{branch}", new)
    if push:
        git(repo, "push", "--quiet", remote, f"{new}:refs/heads/{branch}")
    log(f"publish: {branch} ← {new[:12]}" + (" (pushed)" if push else " (not pushed)"))
    return new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--remote", default="origin")
    parser.add_argument("--branch", default=NOTEBOOK_BRANCH)
    parser.add_argument("--no-push", dest="push", action="store_false")
    args = parser.parse_args(argv)
    try:
        publish(args.repo.resolve(), args.remote, args.branch, args.push)
    except (GeneratorError, PublishError) as exc:
        print(f"publish: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
