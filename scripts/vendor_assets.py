#!/usr/bin/env python3
"""Fetch the site's browser libraries (mermaid, MathJax, uPlot) at pinned versions from the npm registry.

The course site serves mermaid, MathJax and uPlot itself instead of loading them from a CDN, so a page
makes no request to any other host. This script puts them in ``site_assets/npm/`` (gitignored),
which the book lists in ``html_static_path``; Sphinx copies it to ``_build/html/_static/npm/``
(not ``_static/vendor/``, which is the pydata theme's).

    python3 scripts/vendor_assets.py           # fetch if missing or changed, else do nothing (fast)
    python3 scripts/vendor_assets.py --check   # exit 1 unless the vendored files match the pins
    python3 scripts/vendor_assets.py --force   # fetch again

Each package is downloaded as its registry tarball with ``npm pack`` (npm's own cache makes a
rebuild work offline), or straight from the registry when npm is not installed. The tarball's
sha512 must equal the ``integrity`` pinned below (the same value ``npm view <pkg>@<v> dist.integrity``
and a package-lock.json record), so a changed or tampered file fails the build. Only the files the
site needs are extracted; ``MANIFEST.json`` records their sha256 so a later run can verify them
without the network.

To move to a new version: change ``version``, set ``integrity`` to the output of
``npm view <name>@<version> dist.integrity``, run this script, rebuild and run the browser tests.

The book's Sphinx build runs this too (``scripts/sphinx_site_assets.py``), so ``jupyter-book build``
alone gives a complete site.
"""
from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "site_assets" / "npm"
MANIFEST = "MANIFEST.json"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # Subresource Integrity of the registry tarball (npm's dist.integrity)
    files: tuple[str, ...]  # fnmatch patterns, relative to the package root ("package/" stripped)

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


PACKAGES = (
    # The ESM build: sphinxcontrib-mermaid's template does `import mermaid from ...`. The entry
    # module imports its chunks by relative URL, so they keep their place under dist/. A flowchart
    # page loads only the chunks it needs. Source maps are left out.
    Package(
        name="mermaid",
        version="11.17.2",
        integrity="sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
        files=(
            "LICENSE",
            "dist/mermaid.esm.min.mjs",
            "dist/chunks/mermaid.esm.min/*.mjs",
        ),
    ),
    # MathJax 3 (the version Sphinx 7 loads by default), CommonHTML output. MathJax finds its other
    # files relative to the script: the woff fonts, the TeX extensions it autoloads (\color, \cancel,
    # mhchem, ...) and the accessibility components the right-click menu can switch on.
    Package(
        name="mathjax",
        version="3.2.2",
        integrity="sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        files=(
            "LICENSE",
            "es5/tex-mml-chtml.js",
            "es5/output/chtml/fonts/woff-v2/*.woff",
            "es5/input/tex/extensions/*.js",
            "es5/a11y/*.js",
            "es5/sre/mathmaps/*.json",
        ),
    ),
    # uPlot (MIT), the small canvas charting library of the in-page labs (scripts/sphinx_hh_lab.py
    # adds it only to pages with a lab): the IIFE build defines window.uPlot; 51 kB, 22 kB gzipped.
    Package(
        name="uplot",
        version="1.6.32",
        integrity="sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw==",
        files=(
            "LICENSE",
            "dist/uPlot.iife.min.js",
            "dist/uPlot.min.css",
        ),
    ),
)


class VendorError(RuntimeError):
    pass


def _sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pins() -> dict:
    return {p.name: {"version": p.version, "integrity": p.integrity, "files": list(p.files)} for p in PACKAGES}


def _download(pkg: Package) -> bytes:
    """The package's registry tarball, through npm when it is installed."""
    npm = shutil.which("npm")
    if npm:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [npm, "pack", pkg.spec, "--json", "--ignore-scripts", "--prefer-offline",
                   "--pack-destination", tmp, "--loglevel=error"]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
            if proc.returncode != 0:
                raise VendorError(f"`{' '.join(cmd)}` failed:\n{proc.stderr.strip()}")
            info = json.loads(proc.stdout)[0]
            if info.get("integrity") != pkg.integrity:
                raise VendorError(f"{pkg.spec}: npm reports integrity {info.get('integrity')}, "
                                  f"expected {pkg.integrity}")
            return (Path(tmp) / info["filename"]).read_bytes()
    registry = os.environ.get("npm_config_registry", REGISTRY).rstrip("/")
    url = f"{registry}/{pkg.name}/-/{pkg.name.split('/')[-1]}-{pkg.version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as resp:  # noqa: S310 (fixed https URL)
        return resp.read()


def _extract(pkg: Package, tarball: bytes, dest: Path) -> list[str]:
    """Extract the wanted files of a verified tarball into dest; return their relative paths."""
    got = _sri_sha512(tarball)
    if got != pkg.integrity:
        raise VendorError(f"{pkg.spec}: tarball integrity {got} does not match the pin {pkg.integrity}")
    written = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith("package/"):
                continue
            rel = member.name[len("package/"):]
            if not any(fnmatch.fnmatchcase(rel, pat) and rel.count("/") == pat.count("/") for pat in pkg.files):
                continue
            target = dest / rel
            if dest.resolve() not in target.resolve().parents:
                raise VendorError(f"{pkg.spec}: unsafe path in tarball: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src:  # type: ignore[union-attr]
                target.write_bytes(src.read())
            written.append(rel)
    for pat in pkg.files:
        if not any(fnmatch.fnmatchcase(rel, pat) for rel in written):
            raise VendorError(f"{pkg.spec}: no file in the tarball matches {pat!r}")
    return sorted(written)


def check(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Problems with the vendored files (empty when they match the pins and the manifest)."""
    manifest_path = vendor_dir / MANIFEST
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing: run python3 scripts/vendor_assets.py"]
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("pins") != _pins():
        return ["the vendored packages do not match the pins in scripts/vendor_assets.py"]
    problems = []
    for rel, digest in manifest["files"].items():
        path = vendor_dir / rel
        if not path.is_file():
            problems.append(f"missing: {path}")
        elif _sha256_file(path) != digest:
            problems.append(f"changed: {path}")
    return problems


def vendor(vendor_dir: Path = VENDOR_DIR, force: bool = False, log=print) -> bool:
    """Make vendor_dir hold exactly the pinned files. Returns True if it fetched anything."""
    if not force and not check(vendor_dir):
        return False
    vendor_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".vendor-", dir=vendor_dir.parent))
    try:
        files = {}
        for pkg in PACKAGES:
            log(f"vendor_assets: fetching {pkg.spec} from the npm registry")
            for rel in _extract(pkg, _download(pkg), staging / pkg.name):
                rel = f"{pkg.name}/{rel}"
                files[rel] = _sha256_file(staging / rel)
        manifest = {"pins": _pins(), "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        if vendor_dir.exists():
            shutil.rmtree(vendor_dir)
        staging.rename(vendor_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    total = sum((vendor_dir / rel).stat().st_size for rel in files)
    log(f"vendor_assets: {len(files)} files, {total / 1e6:.1f} MB in {vendor_dir.relative_to(ROOT)}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="verify only; exit 1 on any mismatch")
    group.add_argument("--force", action="store_true", help="fetch even if up to date")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for p in problems:
            print(f"vendor_assets: {p}", file=sys.stderr)
        return 1 if problems else 0
    try:
        if not vendor(force=args.force):
            print("vendor_assets: up to date")
    except (VendorError, OSError, subprocess.SubprocessError) as exc:
        print(f"vendor_assets: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
