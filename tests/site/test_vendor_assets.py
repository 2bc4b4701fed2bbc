"""scripts/vendor_assets.py: pinned, integrity-checked extraction of the site's browser libraries.

Offline: synthetic tarballs stand in for the npm registry's.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import sys
import json
import re
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "scripts" / "vendor_assets.py")
va = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("vendor_assets", va)  # dataclasses look the module up while it loads
_spec.loader.exec_module(va)


def _tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


FILES = {
    "LICENSE": b"MIT",
    "dist/lib.esm.min.mjs": b"export default 1;",
    "dist/lib.esm.min.mjs.map": b"{}",
    "dist/chunks/lib.esm.min/a.mjs": b"export const a = 1;",
    "dist/chunks/lib.esm.min/deeper/b.mjs": b"export const b = 2;",
    "README.md": b"# not wanted",
}
PATTERNS = ("LICENSE", "dist/lib.esm.min.mjs", "dist/chunks/lib.esm.min/*.mjs")


def test_pins_are_exact_versions_with_sha512_integrity():
    for pkg in va.PACKAGES:
        assert re.fullmatch(r"\d+\.\d+\.\d+", pkg.version), pkg
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", pkg.integrity), pkg
        assert pkg.files and "LICENSE" in pkg.files, "ship the library's license with it"


def test_extract_takes_only_the_listed_files(tmp_path):
    data = _tarball(FILES)
    pkg = va.Package("lib", "1.0.0", _sri(data), PATTERNS)
    got = va._extract(pkg, data, tmp_path)
    assert got == ["LICENSE", "dist/chunks/lib.esm.min/a.mjs", "dist/lib.esm.min.mjs"]
    assert (tmp_path / "dist/lib.esm.min.mjs").read_bytes() == b"export default 1;"
    assert not (tmp_path / "README.md").exists()  # Sphinx would read a Markdown file as a page


def test_extract_refuses_a_tarball_that_does_not_match_the_pin(tmp_path):
    data = _tarball(FILES)
    pkg = va.Package("lib", "1.0.0", _sri(data + b"x"), PATTERNS)
    with pytest.raises(va.VendorError, match="does not match the pin"):
        va._extract(pkg, data, tmp_path)
    assert not any(tmp_path.iterdir())


def test_extract_fails_when_a_listed_file_is_missing(tmp_path):
    data = _tarball({"LICENSE": b"MIT"})
    pkg = va.Package("lib", "1.0.0", _sri(data), PATTERNS)
    with pytest.raises(va.VendorError, match="no file in the tarball matches"):
        va._extract(pkg, data, tmp_path)


def test_vendor_is_idempotent_and_notices_changed_files(tmp_path, monkeypatch):
    data = _tarball(FILES)
    pkg = va.Package("lib", "1.0.0", _sri(data), PATTERNS)
    monkeypatch.setattr(va, "PACKAGES", (pkg,))
    monkeypatch.setattr(va, "ROOT", tmp_path)
    fetched = []
    monkeypatch.setattr(va, "_download", lambda p: fetched.append(p.spec) or data)
    vendor_dir = tmp_path / "site_assets" / "npm"

    assert va.vendor(vendor_dir, log=lambda *_: None) is True
    manifest = json.loads((vendor_dir / va.MANIFEST).read_text())
    assert set(manifest["files"]) == {"lib/LICENSE", "lib/dist/lib.esm.min.mjs", "lib/dist/chunks/lib.esm.min/a.mjs"}
    assert va.check(vendor_dir) == []
    assert va.vendor(vendor_dir, log=lambda *_: None) is False  # up to date: no download
    assert fetched == ["lib@1.0.0"]

    (vendor_dir / "lib/dist/lib.esm.min.mjs").write_text("tampered")
    assert va.check(vendor_dir) and "changed" in va.check(vendor_dir)[0]
    assert va.vendor(vendor_dir, log=lambda *_: None) is True  # fetched again, repaired
    assert va.check(vendor_dir) == []
    assert not [p for p in vendor_dir.parent.iterdir() if p.name.startswith(".vendor-")]


def test_a_changed_pin_triggers_a_new_fetch(tmp_path, monkeypatch):
    data = _tarball(FILES)
    monkeypatch.setattr(va, "ROOT", tmp_path)
    monkeypatch.setattr(va, "_download", lambda p: data)
    vendor_dir = tmp_path / "site_assets" / "npm"
    monkeypatch.setattr(va, "PACKAGES", (va.Package("lib", "1.0.0", _sri(data), PATTERNS),))
    va.vendor(vendor_dir, log=lambda *_: None)
    monkeypatch.setattr(va, "PACKAGES", (va.Package("lib", "1.0.1", _sri(data), PATTERNS),))
    assert va.check(vendor_dir) == ["the vendored packages do not match the pins in scripts/vendor_assets.py"]
