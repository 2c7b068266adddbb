"""The user's cache of validated licence files, keyed by content (an I/O edge).

Each record is one JSON file named by its key, its first line the sha256 of the rest: a record
cut short or altered reads as absent and is rebuilt. A cache that cannot be written (read-only
home, full disk) is no error: the work is simply done again next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

ENV = "LICENSECMP_CACHE"
"""The cache root (default: the platform's user cache directory for licensecmp)."""


def root() -> Path:
    base = os.environ.get(ENV)
    if base:
        return Path(base)
    import platformdirs

    return Path(platformdirs.user_cache_dir("licensecmp", appauthor=False))


def key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class Store:
    """Records by kind and key under `<root>/catalogue/`; never raises for I/O."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else root() / "catalogue"
        self.writable = True

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Any:
        """The record, or None when absent, unreadable or corrupted."""
        try:
            raw = self._path(kind, key).read_bytes()
        except OSError:
            return None
        head, _, body = raw.partition(b"\n")
        if head.decode("ascii", "replace") != hashlib.sha256(body).hexdigest():
            return None
        try:
            return json.loads(body)
        except ValueError:
            return None

    def has(self, kind: str, key: str) -> bool:
        return self._path(kind, key).is_file()

    def put(self, kind: str, key: str, value: Any) -> None:
        """Write atomically (a reader sees the old record or the new one, never half)."""
        if not self.writable:
            return
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
                Path(tmp).replace(path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            self.writable = False  # one failed write says enough; the run goes on uncached
