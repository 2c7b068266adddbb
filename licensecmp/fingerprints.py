"""Build, store and load the catalogue's licence-text fingerprints (the I/O edge of identify).

The stored file keeps sampled shingle hashes and a sha256 per document, never the texts, so the
catalogue can ship without redistributing licence texts.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from pathlib import Path

from licensecmp import safeio
from licensecmp.catalogue import Catalogue
from licensecmp.errors import CatalogueError, InputError
from licensecmp.identify import SHINGLE_WORDS, Fingerprint, make_fingerprint
from licensecmp.resources import bundled_licenses
from licensecmp.texts import DocumentRef, read_raw

FILE_NAME = "fingerprints.json"
MAX_BYTES = 16 * 1024 * 1024
"""Largest fingerprint file read (the bundled one is ~100 KiB)."""
# Bump when shingling, hashing or normalisation change: old files then fail to load loudly
# instead of matching nothing.
FORMAT_VERSION = 1
ALGORITHM = f"blake2b-32 of casefolded word {SHINGLE_WORDS}-grams, kept when hash % modulus == 0"


def build(catalogue: Catalogue, texts_dir: Path) -> list[Fingerprint]:
    """A fingerprint for every catalogue document whose text `texts_dir` holds, sorted.

    Texts are found as validate finds them: `<licence-id>.<doc-id>.txt|.md|.LICENSE`, else the
    document's ScanCode `<key>.LICENSE` (front matter is dropped). Documents without a text
    are left out.
    """
    out = []
    for lic in catalogue:
        for doc in lic.documents:
            # as written: texts.read_document normalises, losing lines identification drops
            text = read_raw(texts_dir, DocumentRef.of(lic, doc))
            if text is not None:
                out.append(make_fingerprint(lic.id, doc.id, text))
    return sorted(out, key=lambda fp: (fp.license_id, fp.document_id))


def dumps(fingerprints: Iterable[Fingerprint]) -> str:
    """Deterministic compact JSON: sorted entries, hashes as base64 of sorted big-endian uint32."""
    entries = [
        {
            "license": fp.license_id,
            "document": fp.document_id,
            "sha256": fp.sha256,
            "canonical_sha256": fp.canonical_sha256,
            "modulus": fp.modulus,
            "hashes": _pack(fp.hashes),
        }
        for fp in sorted(fingerprints, key=lambda fp: (fp.license_id, fp.document_id))
    ]
    # One document per line: compact, and a rebuilt document shows as a diff of one line.
    lines = ",\n".join(json.dumps(e, sort_keys=True, separators=(",", ":")) for e in entries)
    return (
        f'{{"algorithm": {json.dumps(ALGORITHM)}, "format_version": {FORMAT_VERSION},\n'
        f'"documents": [\n{lines}\n]}}\n'
    )


def loads(text: str, source: str = FILE_NAME) -> list[Fingerprint]:
    """Fingerprints from `dumps` output; CatalogueError names what is wrong with it."""
    try:
        data = json.loads(text)
        if data.get("format_version") != FORMAT_VERSION or data.get("algorithm") != ALGORITHM:
            raise CatalogueError(
                f"{source}: fingerprint format {data.get('format_version')!r} is not "
                f"{FORMAT_VERSION}; regenerate it with `licensecmp fingerprint --texts DIR`"
            )
        return [
            Fingerprint(
                license_id=str(e["license"]),
                document_id=str(e["document"]),
                sha256=str(e["sha256"]),
                canonical_sha256=str(e["canonical_sha256"]),
                modulus=int(e["modulus"]),
                hashes=_unpack(str(e["hashes"])),
            )
            for e in data["documents"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise CatalogueError(f"{source}: not a fingerprint file: {exc}") from exc


def save(fingerprints: Iterable[Fingerprint], path: Path) -> None:
    safeio.write_atomic(path, dumps(fingerprints))


def load(path: Path) -> list[Fingerprint]:
    """The fingerprints stored at `path`; CatalogueError when missing, unreadable or stale."""
    try:
        text = safeio.read_text(path, MAX_BYTES)
    except InputError as exc:
        raise CatalogueError(f"{path}: cannot read fingerprints: {exc.reason}") from None
    return loads(text, str(path))


def bundled() -> list[Fingerprint]:
    """The fingerprints shipped beside the bundled catalogue."""
    return load(bundled_licenses() / FILE_NAME)


def refresh(catalogue: Catalogue, texts_dir: Path, out_path: Path) -> int:
    """Rebuild the fingerprints from `texts_dir` into `out_path`; returns how many documents."""
    if not texts_dir.is_dir():
        raise CatalogueError(f"{texts_dir}: licence texts directory not found")
    fingerprints = build(catalogue, texts_dir)
    save(fingerprints, out_path)
    return len(fingerprints)


def _pack(hashes: Iterable[int]) -> str:
    return base64.b64encode(b"".join(h.to_bytes(4, "big") for h in sorted(hashes))).decode()


def _unpack(packed: str) -> frozenset[int]:
    raw = base64.b64decode(packed, validate=True)
    if len(raw) % 4:
        raise ValueError("hashes are not a whole number of 32-bit values")
    return frozenset(int.from_bytes(raw[i : i + 4], "big") for i in range(0, len(raw), 4))
