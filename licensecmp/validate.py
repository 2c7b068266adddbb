"""The `validate` use case: check licence files one by one and as a catalogue."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from licensecmp import checks, evidence, texts
from licensecmp.errors import InputError
from licensecmp.loader import Locator, load_file, load_located
from licensecmp.model import FileResult, License, Problem
from licensecmp.problems import json_path
from licensecmp.textnorm import sha256_of_normalised

LICENSE_SUFFIXES = (".yaml", ".yml")


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
            found = sorted(
                p for p in path.rglob("*") if p.suffix in LICENSE_SUFFIXES and not p.is_dir()
            )
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
    """
    files, usage = collect(paths)
    dirs = [catalogue_dir] if catalogue_dir else sorted({p.parent for p in files})
    loaded = [load_located(p) for p in files]
    locators = {r.path: loc for r, loc in loaded}
    results = [r for r, _ in loaded]
    rest, skipped = _rest_of(dirs, files)
    extra = _cross_problems(results, rest, locators)
    checked = unchecked = 0
    if texts_dir is not None:
        for r in results:
            if r.license is None:
                continue
            docs: dict[str, str | None] = {}
            for i, doc in enumerate(r.license.documents):
                try:
                    docs[doc.id] = texts.read_document(texts_dir, r.license, doc)
                except InputError as exc:
                    docs[doc.id] = None
                    extra.setdefault(r.path, []).append(
                        _at(r.path, locators, ("documents", i), f"document {doc.id!r}: {exc}")
                    )
            for i, doc in enumerate(r.license.documents):
                text = docs[doc.id]
                if doc.sha256 and text is not None and sha256_of_normalised(text) != doc.sha256:
                    extra.setdefault(r.path, []).append(
                        _at(
                            r.path,
                            locators,
                            ("documents", i, "sha256"),
                            f"document {doc.id!r}: the text in {texts_dir} does not match sha256",
                        )
                    )
            for q in evidence.check_quotes(r.license, docs):
                if q.found is None:
                    unchecked += 1
                    continue
                checked += 1
                if not q.found:
                    extra.setdefault(r.path, []).append(
                        _at(
                            r.path,
                            locators,
                            q.path,
                            f"quote not found in document {q.document!r}: {q.quote!r}",
                        )
                    )
    results = [_with(r, extra[r.path]) if r.path in extra else r for r in results]
    return ValidationRun((*results, *skipped), tuple(usage), checked, unchecked)


def _rest_of(dirs: list[Path], given: list[Path]) -> tuple[list[License], list[FileResult]]:
    """Valid licences in `dirs` other than the files given (those are checked as given), and
    the neighbours that could not be read (a FIFO, a device, a symlink loop): those are never
    read, and reported, since the cross-checks could not see them."""
    seen = {_real(p) for p in given}
    rest = [
        p
        for d in dirs
        if d.is_dir()
        for p in sorted(d.glob("*.y*ml"))
        if p.suffix in LICENSE_SUFFIXES and _real(p) not in seen
    ]
    licenses: list[License] = []
    skipped: list[FileResult] = []
    for p in rest:
        result = load_file(p)
        if result.license is not None:
            licenses.append(result.license)
        elif result.unreadable:
            skipped.append(
                FileResult(p, None, tuple(_skipped(q) for q in result.problems), unreadable=True)
            )
    return licenses, skipped


def _real(path: Path) -> str:
    """The path with symlinks resolved; a symlink loop resolves to itself (Path.resolve raises)."""
    return os.path.realpath(path)


def _skipped(problem: Problem) -> Problem:
    return Problem(problem.file, f"skipped: {problem.message}", problem.line)


def _cross_problems(
    results: list[FileResult], rest: list[License], locators: dict[Path, Locator]
) -> dict[Path, list[Problem]]:
    mine = {r.license.id: r.path for r in results if r.license is not None}
    extra: dict[Path, list[Problem]] = {}
    licenses = [*rest, *(r.license for r in results if r.license is not None)]
    for lic_id, path, message in checks.check_catalogue(licenses):
        if lic_id in mine:  # a clash inside the untouched rest of the catalogue is not this run's
            extra.setdefault(mine[lic_id], []).append(_at(mine[lic_id], locators, path, message))
    return extra


def _at(file: Path, locators: dict[Path, Locator], path: Sequence[str | int], msg: str) -> Problem:
    line, col = locators[file](path) or (None, None)
    return Problem(str(file), msg, line, col, json_path(path))


def _with(result: FileResult, problems: list[Problem]) -> FileResult:
    return FileResult(result.path, None, (*result.problems, *problems), result.unreadable)
