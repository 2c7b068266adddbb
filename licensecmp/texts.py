"""Find and read the source text of a licence's documents in a directory of texts."""

from __future__ import annotations

import os
from pathlib import Path

from licensecmp import safeio
from licensecmp.model import Document, License
from licensecmp.textnorm import normalise, strip_front_matter

_SUFFIXES = (".txt", ".md", ".LICENSE")
MAX_BYTES = 1024 * 1024
"""Largest licence text read (the longest in ScanCode's LicenseDB is ~100 KiB)."""


def candidates(texts_dir: Path, lic: License, doc: Document) -> list[Path]:
    """Where a document's text may be: `<licence-id>.<doc-id>.*` or a ScanCode `<key>.LICENSE`."""
    paths = [texts_dir / f"{lic.id}.{doc.id}{suffix}" for suffix in _SUFFIXES]
    if doc.scancode_key:
        paths.append(texts_dir / f"{doc.scancode_key}.LICENSE")
    return paths


def read_raw(texts_dir: Path, lic: License, doc: Document) -> str | None:
    """The document's text as written, or None when `texts_dir` does not hold it.

    InputError when the first candidate present is not a regular file or is over MAX_BYTES.
    """
    for path in candidates(texts_dir, lic, doc):
        if os.path.lexists(path):
            return safeio.read_text(path, MAX_BYTES, errors="replace")
    return None


def read_document(texts_dir: Path, lic: License, doc: Document) -> str | None:
    """The normalised text of `doc`, or None when the directory does not hold it."""
    raw = read_raw(texts_dir, lic, doc)
    return None if raw is None else normalise(strip_front_matter(raw))
