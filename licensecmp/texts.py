"""Find and read the source text of a licence's documents in a directory of texts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from licensecmp import safeio
from licensecmp.model import Document, License
from licensecmp.textnorm import normalise, strip_front_matter

_SUFFIXES = (".txt", ".md", ".LICENSE")
MAX_BYTES = 1024 * 1024
"""Largest licence text read (the longest in ScanCode's LicenseDB is ~100 KiB)."""


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """What finds a document's text: its licence's id, its own id and its ScanCode key (all
    a licence file that failed validation may still state)."""

    license_id: str
    document_id: str
    scancode_key: str | None = None

    @classmethod
    def of(cls, lic: License, doc: Document) -> DocumentRef:
        return cls(lic.id, doc.id, doc.scancode_key)


def candidates(texts_dir: Path, ref: DocumentRef) -> list[Path]:
    """Where a document's text may be: `<licence-id>.<doc-id>.*` or a ScanCode `<key>.LICENSE`."""
    paths = [texts_dir / f"{ref.license_id}.{ref.document_id}{suffix}" for suffix in _SUFFIXES]
    if ref.scancode_key:
        paths.append(texts_dir / f"{ref.scancode_key}.LICENSE")
    return paths


def read_raw(texts_dir: Path, ref: DocumentRef) -> str | None:
    """The document's text as written, or None when `texts_dir` does not hold it.

    InputError when the first candidate present is not a regular file or is over MAX_BYTES.
    """
    for path in candidates(texts_dir, ref):
        if os.path.lexists(path):
            return safeio.read_text(path, MAX_BYTES, errors="replace")
    return None


def read_document(texts_dir: Path, ref: DocumentRef) -> str | None:
    """The normalised text of a document, or None when the directory does not hold it."""
    raw = read_raw(texts_dir, ref)
    return None if raw is None else normalise(strip_front_matter(raw))
