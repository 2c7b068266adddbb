"""Find and read the source text of a licence's documents in a directory of texts."""

from __future__ import annotations

from pathlib import Path

from licensecmp.model import Document, License
from licensecmp.textnorm import normalise, strip_front_matter

_SUFFIXES = (".txt", ".md", ".LICENSE")


def candidates(texts_dir: Path, lic: License, doc: Document) -> list[Path]:
    """Where a document's text may be: `<licence-id>.<doc-id>.*` or a ScanCode `<key>.LICENSE`."""
    paths = [texts_dir / f"{lic.id}.{doc.id}{suffix}" for suffix in _SUFFIXES]
    if doc.scancode_key:
        paths.append(texts_dir / f"{doc.scancode_key}.LICENSE")
    return paths


def read_document(texts_dir: Path, lic: License, doc: Document) -> str | None:
    """The normalised text of `doc`, or None when the directory does not hold it."""
    for path in candidates(texts_dir, lic, doc):
        if path.is_file():
            raw = path.read_text(encoding="utf-8", errors="replace")
            return normalise(strip_front_matter(raw))
    return None
