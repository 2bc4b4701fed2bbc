"""Work that parallel test workers (pytest-xdist) share instead of each doing all of it.

``shared_units(name, units, compute)`` returns ``{unit: compute(unit)}`` for every unit, computed once
per test session among all the workers that ask: each worker takes the units nobody has started yet
(a lock per unit, not waited for), then waits for the units the others are computing and reads
their results. A module fixture that visits many pages with a browser then costs each of two
workers about half the time when both need it, and never more than computing it alone.

Results travel as JSON (``encode``/``decode`` convert them), in ``_build/.test-shared/<name>/``;
they belong to one session (book_build.session_id) and are cleared by the next one. A unit's
result never depends on which worker computed it (no server URL or port may be in it).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Callable, Hashable, Iterable

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "_build" / ".test-shared"


def _session_folder(name: str) -> Path:
    from book_build import session_id

    folder = SHARED / name
    folder.mkdir(parents=True, exist_ok=True)
    with open(SHARED / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            marker = folder / "session"
            if not marker.is_file() or marker.read_text() != session_id():
                for old in folder.iterdir():
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
                    else:
                        old.unlink(missing_ok=True)
                marker.write_text(session_id())
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def shared_units(name: str, units: Iterable[Hashable], compute: Callable, encode: Callable = lambda x: x,
                 decode: Callable = lambda x: x) -> dict:
    units = list(units)
    folder = _session_folder(name)
    out: dict = {}
    waiting = []

    def paths(unit):
        slug = hashlib.sha256(repr(unit).encode()).hexdigest()[:20]
        return folder / f"{slug}.json", folder / f"{slug}.lock"

    def read(path: Path):
        try:
            return True, decode(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return False, None

    def make(unit, path: Path):
        value = encode(compute(unit))
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        return decode(json.loads(json.dumps(value)))  # the same types a reader gets

    for unit in units:
        path, lock_path = paths(unit)
        fh = open(lock_path, "a")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another worker is computing it: come back later
            waiting.append((unit, fh))
            continue
        try:
            ok, value = read(path)
            out[unit] = value if ok else make(unit, path)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()
    for unit, fh in waiting:
        path, _ = paths(unit)
        try:
            fcntl.flock(fh, fcntl.LOCK_EX)
            ok, value = read(path)
            out[unit] = value if ok else make(unit, path)  # the other worker failed: do it here
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()
    return {unit: out[unit] for unit in units}
