"""Open a licence directory without validating again what was validated before.

Three sources, tried in order, each used only while it provably matches the files:

1. The directory's compiled index, `index.json` (written by `licensecmp compile`; the bundled
   catalogue ships one): every entry validated and normalised, with the sha256 of every file and
   the digest of the rules that judged them. Any mismatch and it is ignored, never used stale.
2. The user's cache (`cache.Store`): each file's result under a key of its content, name and
   the rules, and each directory's outcome (identities, cross-file problems, digest) under the
   key of all its files. An unchanged catalogue opens from one record; a changed file is
   validated alone.
3. Validation, whose results then fill the cache.

Files are listed with one `stat` each; a file is read and hashed again only when its size,
times or inode changed since it was last hashed, or when it had changed less than a second
before that hashing (racily clean, as git's index calls it). Licences are built lazily: a
catalogue opened here reads an entry only when a command asks for that licence.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from licensecmp import __version__, cache, checks, loader, safeio
from licensecmp.catalogue import IDENTITY_FIELDS, Catalogue, Identity, digest_of
from licensecmp.errors import CatalogueError, InputError
from licensecmp.model import License, Problem, Status

INDEX_NAME = "index.json"
FORMAT_VERSION = 1
LICENSE_SUFFIXES = (".yaml", ".yml")
#: What decides whether a file is valid and what it holds: any change invalidates every record.
RULE_SOURCES = (
    "data/schemas/license.schema.json",
    "checks.py",
    "loader.py",
    "yamlsource.py",
    "textnorm.py",
)
MAX_HASHED = 256 * 1024
"""Files larger are not read here (the reader refuses them unparsed: yamlsource.MAX_BYTES)."""
_RACY_NS = 1_000_000_000


@functools.cache
def rules() -> str:
    """Digest of the index format, the tool version, the schema and the validating code."""
    digest = hashlib.sha256(f"index {FORMAT_VERSION}; licensecmp {__version__}\n".encode())
    for name in RULE_SOURCES:
        try:
            digest.update(files("licensecmp").joinpath(name).read_bytes())
        except OSError:
            digest.update(f"missing {name}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Scanned:
    """One licence file found: its path (as reported), name in its directory, content digest."""

    path: Path
    name: str
    sha256: str | None
    """None: over the size limit or unreadable, so validated (and reported) every time."""


@dataclass(frozen=True, slots=True)
class Checked:
    """One file's result: the validated document, or its problems (cross-file ones included)."""

    file: Scanned
    data: dict[str, Any] | None
    problems: tuple[Problem, ...] = ()
    unreadable: bool = False
    read: dict[str, Any] | None = None
    """The document as read even when invalid (validated this run, not from a cache): the
    cross-file checks and quote proofs still run on it, so one run reports every problem."""

    @property
    def identity(self) -> Identity | None:
        if self.data is not None:
            return Identity.from_data(self.data)
        return None if self.read is None else _partial_identity(self.read)


def list_files(directory: Path, recursive: bool = True) -> list[Path]:
    """Entries named like licence files in `directory` (and below), in path order, symlinked
    directories not followed: what `validate` checks."""
    found: list[tuple[tuple[str, ...], Path]] = []

    def walk(folder: Path, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if recursive and entry.is_dir(follow_symlinks=False):
                walk(folder / entry.name, (*parts, entry.name))
            elif Path(entry.name).suffix in LICENSE_SUFFIXES and not _is_dir(entry):
                # whatever it is (a FIFO, a symlink loop): the loader reports it, never reads it
                found.append(((*parts, entry.name), folder / entry.name))

    walk(directory, ())
    return [path for _, path in sorted(found)]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: not a directory
        return False


def scan(directory: Path, paths: Sequence[Path], store: cache.Store) -> list[Scanned]:
    """Each file's sha256, reusing the digests recorded for files whose stat is unchanged."""
    where = cache.key("stats", str(directory.resolve()), rules())
    known = store.get("stats", where)
    known = known if isinstance(known, dict) else {}
    now = time.time_ns()
    out: list[Scanned] = []
    fresh, changed = dict(known), False
    for path in paths:
        name = path.relative_to(directory).as_posix()
        try:
            st = path.stat()
        except OSError:
            out.append(Scanned(path, name, None))
            continue
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        recorded = known.get(name)
        if isinstance(recorded, list) and recorded[:4] == stamp:
            out.append(Scanned(path, name, recorded[4]))
            continue
        digest = _hash(path, st.st_size)
        out.append(Scanned(path, name, digest))
        # A file changed within the clock's granularity of now could change again unseen with
        # the same stat: it is not recorded (hashed again next time), as git does.
        racy = now - max(st.st_mtime_ns, st.st_ctime_ns) < _RACY_NS
        if digest is not None and not racy:
            fresh[name] = [*stamp, digest]
            changed = True
        elif fresh.pop(name, None) is not None:
            changed = True
    if changed:
        store.put("stats", where, fresh)
    return out


def _hash(path: Path, size: int) -> str | None:
    """The sha256 of a regular file within the size limit; None for anything else (left to the
    loader to report, and never cached)."""
    if size > MAX_HASHED:
        return None
    try:
        return hashlib.sha256(safeio.read_bytes(path, MAX_HASHED)).hexdigest()
    except InputError:
        return None


def open_directory(
    directory: Path, store: cache.Store | None = None
) -> tuple[Catalogue, list[Problem]]:
    """The directory's valid licences (lazily loaded), and the problems of the files that are
    not, from the compiled index, else the cache, else validation (which fills the cache)."""
    store = store or cache.Store()
    paths = list_files(directory)
    if not paths:
        return Catalogue(), [Problem(str(directory), "directory holds no licence files (*.yaml)")]
    scanned = scan(directory, paths, store)
    compiled = read_index(directory, scanned)
    if compiled is not None:
        return compiled, []
    key = _catalogue_key(scanned)
    if key is not None:
        opened = _from_record(store.get("catalogues", key), scanned, store)
        if opened is not None:
            return opened
    checked = check_all(directory, scanned, Sources(store))
    licenses = {
        i: loader.build_license(c.data)
        for i, c in enumerate(checked)
        if c.data is not None and not c.problems
    }
    digest = digest_of(licenses.values())
    if key is not None:
        store.put(
            "catalogues",
            key,
            {
                "digest": digest,
                "files": [
                    {
                        "name": c.file.name,
                        "identity": _identity_record(c.data) if i in licenses else None,
                        "problems": [_problem_record(p) for p in c.problems],
                    }
                    for i, c in enumerate(checked)
                ],
            },
        )
    by_id = {lic.id: lic for lic in licenses.values()}
    return Catalogue.lazy(
        (Identity.of(lic) for lic in by_id.values()), by_id.__getitem__, digest
    ), [p for c in checked for p in c.problems]


def _from_record(
    record: Any, scanned: list[Scanned], store: cache.Store
) -> tuple[Catalogue, list[Problem]] | None:
    try:
        entries = record["files"]
        if [e["name"] for e in entries] != [s.name for s in scanned]:
            return None
        problems = [
            _problem_from(s.path, p)
            for s, e in zip(scanned, entries, strict=True)
            for p in e["problems"]
        ]
        found = {
            Identity.from_data(e["identity"]): s
            for s, e in zip(scanned, entries, strict=True)
            if e["identity"] is not None
        }
        digest = str(record["digest"])
    except (KeyError, TypeError, ValueError):
        return None  # an old or damaged record: rebuilt
    by_id = {i.id: s for i, s in found.items()}
    sources = Sources(store)

    def load(license_id: str) -> License:
        checked = sources.check(by_id[license_id])
        if checked.data is None or checked.problems:
            raise CatalogueError(
                f"{checked.file.path}: changed while in use; run the command again"
            )
        return loader.build_license(checked.data)

    return Catalogue.lazy(found, load, digest), problems


def _catalogue_key(scanned: Iterable[Scanned]) -> str | None:
    parts = [rules()]
    for s in scanned:
        if s.sha256 is None:
            return None
        parts += [s.name, s.sha256]
    return cache.key("catalogue", *parts)


class Sources:
    """Where one file's result comes from: a fresh compiled index, the cache, or validation."""

    def __init__(self, store: cache.Store, compiled: Mapping[str, Any] | None = None) -> None:
        self.store = store
        self.compiled = compiled

    def check(self, file: Scanned) -> Checked:
        """One file's own result (no cross-file checks); validated only when nothing knows it."""
        if file.sha256 is None:
            return self.validate(file)
        if self.compiled is not None and self.compiled["files"].get(file.name) == file.sha256:
            data = self.compiled["by_name"].get(file.name)
            if isinstance(data, dict):
                return Checked(file, data)
        key = _entry_key(file)
        record = self.store.get("entries", key)
        try:
            if record is not None:
                return Checked(
                    file,
                    record["data"],
                    tuple(_problem_from(file.path, p) for p in record["problems"]),
                )
        except (KeyError, TypeError, ValueError):
            pass  # damaged: validated again below, and rewritten
        return self.validate(file)

    def validate(self, file: Scanned, raw: bytes | None = None) -> Checked:
        """Validate the file now and cache its result (when its content is known)."""
        if raw is None and file.sha256 is not None:
            try:
                raw = safeio.read_bytes(file.path, MAX_HASHED)
            except InputError:
                raw = None
        result, read = loader.load(file.path, raw)
        data = None if result.problems else read
        if raw is not None and hashlib.sha256(raw).hexdigest() != file.sha256:
            file = Scanned(file.path, file.name, hashlib.sha256(raw).hexdigest())
        checked = Checked(file, data, result.problems, result.unreadable, read)
        if file.sha256 is not None and (data is None or _round_trips(data)):
            self.store.put(
                "entries",
                _entry_key(file),
                {"data": data, "problems": [_problem_record(p) for p in result.problems]},
            )
        return checked


def _partial_identity(data: dict[str, Any]) -> Identity | None:
    """What a document that failed validation still says about its identity: the fields of
    the right shape (others blank), or None without a usable id."""
    if not isinstance(data.get("id"), str):
        return None

    def text(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else ""

    def optional(name: str) -> str | None:
        value = data.get(name)
        return value if isinstance(value, str) else None

    def strings(name: str) -> tuple[str, ...]:
        value = data.get(name)
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    status = data.get("status")
    if status not in set(Status):  # reported already; this one raises no status problem
        status = Status.SUPERSEDED if optional("superseded_by") else Status.IN_FORCE
    return Identity(
        id=data["id"],
        name=text("name"),
        version=text("version"),
        release_date=text("release_date"),
        licensor=text("licensor"),
        family=text("family"),
        status=Status(status),
        supersedes=optional("supersedes"),
        superseded_by=optional("superseded_by"),
        spdx_id=text("spdx_id"),
        hub_license_ids=strings("hub_license_ids"),
        hub_license_names=strings("hub_license_names"),
    )


def _entry_key(file: Scanned) -> str:
    assert file.sha256 is not None
    return cache.key("entry", rules(), Path(file.name).stem, file.sha256)


def _round_trips(data: Mapping[str, Any]) -> bool:
    """JSON keeps this document whole (YAML can say more: integer keys, sets)."""
    try:
        return bool(json.loads(json.dumps(data)) == data)
    except (TypeError, ValueError):
        return False


def check_all(directory: Path, scanned: Sequence[Scanned], sources: Sources) -> list[Checked]:
    """Every file's own result, then the cross-file checks among the valid ones."""
    own = [sources.check(s) for s in scanned]
    _remember_identities(directory, own, sources.store)
    return with_cross_problems(own, [])


def with_cross_problems(checked: list[Checked], rest: Sequence[Identity]) -> list[Checked]:
    """Add the problems of unique ids and version chains, seen with `rest` (unchanged
    neighbours, whose own clashes are not reported), to the files they belong to.

    A file refused for problems of its own is checked too, with the fields it has of the right
    shape, against the valid files alone (it claims nothing from them, as an invalid neighbour
    never does); a cross-file problem where its own is already reported is not repeated."""
    valid = {
        c.data["id"]: i for i, c in enumerate(checked) if c.data is not None and not c.problems
    }
    identities = [*rest, *(checked[i].identity for i in valid.values())]
    known = [i for i in identities if i]
    found: list[tuple[int, str, tuple[str | int, ...], str]] = [
        (valid[lic_id], lic_id, path, message)
        for lic_id, path, message in checks.check_catalogue(known)
        if lic_id in valid  # a clash inside the untouched rest is not this run's
    ]
    for i, c in enumerate(checked):
        refused = c.identity if c.data is None and not c.unreadable else None
        if refused is None:
            continue
        found += [
            (i, lic_id, path, message)
            for lic_id, path, message in dict.fromkeys(checks.check_catalogue([*known, refused]))
            if lic_id == refused.id and (lic_id not in valid or _names_other(message, lic_id))
        ]
    extra: dict[int, list[Problem]] = {}
    locators: dict[int, loader.Locator] = {}
    for i, _lic_id, json_path, message in found:
        path = checked[i].file.path
        where = _json_path(json_path)
        if loader.covered(where, [p.json_path or "$" for p in checked[i].problems]):
            continue
        locate = locators.setdefault(i, loader.locator(path))
        line, col = locate(json_path) or (None, None)
        extra.setdefault(i, []).append(Problem(str(path), message, line, col, where))
    return [
        Checked(c.file, None, (*c.problems, *extra[i]), c.unreadable, c.read) if i in extra else c
        for i, c in enumerate(checked)
    ]


def _names_other(message: str, lic_id: str) -> bool:
    """A refused file sharing its id with a valid one: keep only the clash itself, not the
    valid file's own chain problems that the shared id would attribute to it."""
    return message.startswith(f"id {lic_id!r} is used by another file too")


def neighbours(
    dirs: Iterable[Path], given: Iterable[Path], store: cache.Store
) -> tuple[list[Identity], list[Checked]]:
    """Identities of the valid licences in `dirs` other than the files given: from the
    identities last seen in the directory for the same content, else the directory's index or
    the cache; only a neighbour that none of them knows is validated. Also the neighbours that
    could not be read (a FIFO, a device, a symlink loop): never read, and to be reported."""
    seen = {os.path.realpath(p) for p in given}
    out: list[Identity] = []
    unread: list[Checked] = []
    for directory in dirs:
        if not directory.is_dir():
            continue
        rest = [
            p for p in list_files(directory, recursive=False) if os.path.realpath(p) not in seen
        ]
        if not rest:
            continue
        where = _identities_key(directory)
        known = store.get("identities", where)
        known = known if isinstance(known, dict) else {}
        sources: Sources | None = None
        unknown: list[Checked] = []
        for file in scan(directory, rest, store):
            recorded = known.get(file.name)
            if (
                file.sha256 is not None
                and isinstance(recorded, list)
                and recorded[0] == file.sha256
            ):
                if recorded[1] is not None:
                    out.append(Identity.from_data(recorded[1]))
                continue
            sources = sources or Sources(store, _compiled_entries(directory))
            checked = sources.check(file)
            unknown.append(checked)
            if checked.data is not None and not checked.problems:
                out.append(Identity.from_data(checked.data))
            elif checked.unreadable:
                unread.append(checked)
        if unknown:
            _remember_identities(directory, unknown, store, known)
    return out, unread


def _identities_key(directory: Path) -> str:
    return cache.key("identities", str(directory.resolve()), rules())


def _remember_identities(
    directory: Path,
    own: Iterable[Checked],
    store: cache.Store,
    known: Mapping[str, Any] | None = None,
) -> None:
    """Each file's identity when valid on its own (null when not), by name and content: what
    a check of one changed file reads for its neighbours in a single record."""
    where = _identities_key(directory)
    if known is None:
        known = store.get("identities", where)
        known = known if isinstance(known, dict) else {}
    record = dict(known)
    for c in own:
        if c.file.sha256 is not None:
            valid = c.data is not None and not c.problems
            record[c.file.name] = [c.file.sha256, _identity_record(c.data) if valid else None]
    if record != known:
        store.put("identities", where, record)


def _read_index_file(directory: Path) -> dict[str, Any] | None:
    try:
        index = json.loads((directory / INDEX_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(index, dict):
        return None
    if index.get("format_version") != FORMAT_VERSION or index.get("rules") != rules():
        return None
    return index


def _compiled_entries(directory: Path) -> dict[str, Any] | None:
    """The index's per-file digests and documents, for files checked one by one."""
    index = _read_index_file(directory)
    try:
        if index is None:
            return None
        by_id = index["licenses"]
        names = {Path(name).stem: name for name in index["files"]}
        return {
            "files": index["files"],
            "by_name": {names[lic_id]: data for lic_id, data in by_id.items() if lic_id in names},
        }
    except (KeyError, TypeError, AttributeError):
        return None


def read_index(directory: Path, scanned: Sequence[Scanned]) -> Catalogue | None:
    """The catalogue from the directory's compiled index, when it matches every file."""
    index = _read_index_file(directory)
    if index is None or index.get("files") != {s.name: s.sha256 for s in scanned}:
        return None
    try:
        entries: dict[str, dict[str, Any]] = index["licenses"]
        identities = [Identity.from_data(data) for data in entries.values()]
        digest = str(index["digest"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return Catalogue.lazy(identities, lambda i: loader.build_license(entries[i]), digest)


def compile_index(directory: Path) -> tuple[str | None, list[Problem]]:
    """The text of the directory's `index.json`, validating every file from scratch (no
    cache); or None and the problems when a file is not valid."""
    paths = list_files(directory)
    if not paths:
        return None, [Problem(str(directory), "directory holds no licence files (*.yaml)")]
    scanned = [Scanned(p, p.relative_to(directory).as_posix(), _hash(p, 0)) for p in paths]
    sources = Sources(cache.Store())
    checked = with_cross_problems([sources.validate(s) for s in scanned], [])
    problems = [p for c in checked for p in c.problems]
    if problems:
        return None, problems
    documents = {c.data["id"]: c.data for c in checked if c.data is not None}
    for c in checked:
        if c.data is not None and not _round_trips(c.data):
            return None, [Problem(str(c.file.path), "cannot be stored as JSON (keys must be text)")]
    index = {
        "format_version": FORMAT_VERSION,
        "generated_by": "licensecmp compile: do not edit",
        "rules": rules(),
        "digest": digest_of(loader.build_license(d) for d in documents.values()),
        "files": {c.file.name: c.file.sha256 for c in checked},
        "licenses": documents,
    }
    return json.dumps(index, ensure_ascii=False, indent=1) + "\n", []


def _identity_record(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if data is None else {name: data[name] for name in IDENTITY_FIELDS}


def _problem_record(p: Problem) -> list[Any]:
    return [p.message, p.line, p.column, p.json_path]


def _problem_from(path: Path, record: Any) -> Problem:
    message, line, column, json_path = record
    return Problem(str(path), str(message), line, column, json_path)


def _json_path(path: Sequence[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
