"""numba's on-disk cache, keyed on the library's sources (so compiled code always matches them).

numba stamps a cached kernel with the modification time and size of the one file that defines it.
The kernels here inline the physics of other files (:mod:`hh_lib.hh.rates`, :mod:`hh_lib.hh.equations`,
:mod:`hh_lib.cs.rates`, ...), so an edit there would leave a stale kernel in the cache: old physics
under new source. :class:`SourceDigestLocator` stamps every cached function defined in ``hh_lib``
with :func:`source_digest` instead, the SHA-256 of every module of the package that compiled code
can reach (all but the plotting and the labs). Any edit of those files makes every cached kernel of
the package stale, and numba recompiles it on the next call and overwrites the entry.

The cache lives where numba would put it: ``$NUMBA_CACHE_DIR`` if set, else ``__pycache__`` beside
the source, else (a read-only install) the user's cache directory.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from numba.core import caching, config

#: The package root (hh_lib/).
PACKAGE = Path(__file__).resolve().parents[1]

#: Parts of the package that compiled code never reaches: editing them keeps the cache.
NOT_COMPILED = ("plotting", "labs.py")


def digest_sources(root: Path = PACKAGE) -> list[Path]:
    """The files :func:`source_digest` hashes: every ``.py`` under ``root`` but :data:`NOT_COMPILED`."""
    files = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] not in NOT_COMPILED and "__pycache__" not in rel.parts:
            files.append(path)
    return files


@functools.lru_cache(maxsize=None)
def source_digest() -> str:
    """SHA-256 (hex) over the names and bytes of :func:`digest_sources`, computed once per process."""
    sha = hashlib.sha256()
    for path in digest_sources():
        sha.update(path.relative_to(PACKAGE).as_posix().encode())
        sha.update(b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()


def _user_cache_root() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hh_lib-numba")


class SourceDigestLocator(caching.InTreeCacheLocator):
    """numba cache locator for the functions of ``hh_lib``: stamped with :func:`source_digest`."""

    def __init__(self, py_func, py_file, cache_path: str):
        super().__init__(py_func, py_file)
        self._cache_path = cache_path

    def get_source_stamp(self):
        return source_digest()

    @classmethod
    def from_function(cls, py_func, py_file):
        try:
            Path(py_file).resolve().relative_to(PACKAGE)
        except (ValueError, OSError):
            return None  # not ours: numba's own locators take it
        subpath = cls.get_suitable_cache_subpath(py_file)
        candidates = [os.path.join(os.path.dirname(py_file), "__pycache__"),
                      os.path.join(_user_cache_root(), subpath)]
        if config.CACHE_DIR:
            candidates.insert(0, os.path.join(config.CACHE_DIR, subpath))
        for path in candidates:
            locator = cls(py_func, py_file, path)
            try:
                locator.ensure_cache_path()
            except OSError:
                continue
            return locator
        return None


def install() -> None:
    """Put :class:`SourceDigestLocator` first in numba's list of cache locators (once)."""
    classes = caching.CacheImpl._locator_classes
    if SourceDigestLocator not in classes:
        classes.insert(0, SourceDigestLocator)


install()
