"""The `validate` use case: check licence files one by one and as a catalogue."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from licensecmp import cache, checks, index, safeio, texts
from licensecmp.errors import InputError
from licensecmp.loader import Locator, build_license, locator
from licensecmp.model import FileResult, License, Problem
from licensecmp.textnorm import normalise, sha256_of_normalised

LICENSE_SUFFIXES = index.LICENSE_SUFFIXES


@dataclass(frozen=True, slots=True)
class ValidationRun:
    files: tuple[FileResult, ...]
    usage_problems: tuple[Problem, ...] = ()
    quotes_checked: int = 0
    quotes_unchecked: int = 0

    @property
    def problems(self) -> list[Problem]:
        return [*self.usage_problems, *(p for f in self.files for p in f.problems)]

    @property
    def licenses(self) -> list[License]:
        return [f.license for f in self.files if f.license is not None]

    @property
    def unreadable(self) -> bool:
        return any(f.unreadable for f in self.files)


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Licence files named or found (recursively) in directories; usage problems for the rest."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            # Every entry named like a licence file, whatever it is: a FIFO, a device or a
            # symlink loop is then reported as unreadable by the loader, never read.
            found = index.list_files(path)
            if not found:
                problems.append(Problem(str(path), "directory holds no licence files (*.yaml)"))
            files.extend(found)
        elif path.exists() or path.is_symlink():  # a dangling or looping link: unreadable
            files.append(path)
        else:
            problems.append(Problem(str(path), "no such file or directory"))
    return files, problems


def run(
    paths: Sequence[Path],
    *,
    catalogue_dir: Path | None = None,
    texts_dir: Path | None = None,
) -> ValidationRun:
    """Validate `paths`; cross-file checks also see the rest of the catalogue.

    The catalogue is `catalogue_dir`, or else the directories the files sit in: a file given
    on its own (as pre-commit does) is checked for unique ids and version chains against its
    neighbours, so a hook run on one changed file still catches a clash with an unchanged one.
    The neighbours' identities come from their directory's index or the cache; every file given
    is validated in full, and its result cached for the commands that follow. A neighbour that
    cannot be read (a FIFO, a device, a symlink loop) is reported, since the cross-checks could
    not see it.
    """
    files, usage = collect(paths)
    dirs = [catalogue_dir] if catalogue_dir else sorted({p.parent for p in files})
    store = cache.Store()
    sources = index.Sources(store)
    own = [sources.validate(*_scanned(p)) for p in files]
    rest, unread = index.neighbours(dirs, files, store)
    checked = index.with_cross_problems(own, rest)
    results = [
        FileResult(
            c.file.path,
            build_license(c.data) if c.data is not None and not c.problems else None,
            c.problems,
            c.unreadable,
        )
        for c in checked
    ]
    skipped = [
        FileResult(c.file.path, None, tuple(_skipped(q) for q in c.problems), unreadable=True)
        for c in unread
    ]
    checked_quotes = unchecked = 0
    if texts_dir is not None:
        extra, checked_quotes, unchecked = _prove(checked, texts_dir)
        results = [_with(r, extra[r.path]) if r.path in extra else r for r in results]
    in_order = [replace(r, problems=_in_file_order(r.problems)) for r in results]
    return ValidationRun((*in_order, *skipped), tuple(usage), checked_quotes, unchecked)


def _prove(
    checked: Sequence[index.Checked], texts_dir: Path
) -> tuple[dict[Path, list[Problem]], int, int]:
    """Every quote looked for in the text of the document it cites, and every document's
    sha256 compared, for each file: a file with problems of its own is proven too, as far as
    its documents and quotes are readable, so one run reports everything.

    Returns the problems by file, the quotes checked, and those whose text was not there."""
    extra: dict[Path, list[Problem]] = {}
    proven = unproven = 0
    for c in checked:
        data = c.data if c.data is not None else c.read
        if data is None or not isinstance(data.get("id"), str):
            continue
        path = c.file.path
        locate = locator(path)

        def at(
            where: Sequence[str | int], message: str, path: Path = path, locate: Locator = locate
        ) -> None:
            line, col = locate(where) or (None, None)
            extra.setdefault(path, []).append(
                Problem(str(path), message, line, col, _json_path(where))
            )

        docs: dict[str, str | None] = {}
        documents = data.get("documents")
        for i, doc in enumerate(documents if isinstance(documents, list) else []):
            if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                continue
            key = doc.get("scancode_key")
            ref = texts.DocumentRef(data["id"], doc["id"], key if isinstance(key, str) else None)
            try:
                text = docs[doc["id"]] = texts.read_document(texts_dir, ref)
            except InputError as exc:
                docs[doc["id"]] = None
                at(("documents", i), f"document {doc['id']!r}: {exc}")
                continue
            sha = doc.get("sha256")
            if isinstance(sha, str) and text is not None and sha256_of_normalised(text) != sha:
                at(
                    ("documents", i, "sha256"),
                    f"document {doc['id']!r}: the text in {texts_dir} does not match sha256",
                )
        for where, doc_id, quote in checks.quotes(data):
            text = docs.get(doc_id)
            if text is None:
                unproven += 1
                continue
            proven += 1
            if normalise(quote) not in text:
                at(where, f"quote not found in document {doc_id!r}: {quote!r}")
    return extra, proven, unproven


def _in_file_order(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """A file's problems by line and column, as an editor walks them (schema, cross-file and
    text problems found in separate passes); those without a place first."""
    return tuple(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))


def _scanned(path: Path) -> tuple[index.Scanned, bytes | None]:
    """The file with the digest of the bytes read once, for validation and for the cache.
    Anything but a regular file within the size limit is left to the loader to report."""
    try:
        raw: bytes | None = safeio.read_bytes(path, index.MAX_HASHED)
    except InputError:
        raw = None
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
    return index.Scanned(path, path.name, digest), raw


def _skipped(problem: Problem) -> Problem:
    return Problem(problem.file, f"skipped: {problem.message}", problem.line)


def _json_path(path: Sequence[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _with(result: FileResult, problems: list[Problem]) -> FileResult:
    return FileResult(result.path, None, (*result.problems, *problems), result.unreadable)
