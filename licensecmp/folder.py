"""Model folders on disk (a download, a vendor's copy, the Hugging Face cache) as model facts.

A folder is read as the Hub would describe it: the card (`README.md` front matter, through the
YAML reader and its limits), `config.json`, `adapter_config.json`, GGUF metadata, the file
list, and its licence and policy files when the check asks for them. Nothing is fetched: bases
the folder names are looked up in the local Hugging Face cache, then in `bases` (a snapshot,
or the Hub when the user allows it), else reported as not found, which the check turns into
a review naming the base and how to look it up. Every read is bounded: the walk, each file's
size (`safeio`), the GGUF header (`ggufmeta`); a link is followed only inside the folder (or,
for a cache snapshot, into that repository's `blobs/`).
"""

from __future__ import annotations

import json
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licensecmp import ggufmeta, safeio, signals
from licensecmp.cardfields import CardFields
from licensecmp.errors import AnswerTooLarge, HubError, InputError, ModelNotFound, TooLarge
from licensecmp.model import BaseModelRef, ModelFacts

if TYPE_CHECKING:
    from licensecmp.checking import ModelSource

CARD = "README.md"
CONFIG = "config.json"
ADAPTER_CONFIG = "adapter_config.json"
MiB = 1024 * 1024
CARD_LIMIT = 4 * MiB
"""A model card with its prose; the YAML front matter alone is held to the YAML reader's
256 KiB."""
FILE_LIMIT = 1 * MiB
"""A licence, policy or JSON config file, as for the Hub."""
MAX_FILES = 10_000
"""Files listed per folder: real repositories hold 5 to a few hundred."""
MAX_DEPTH = 8
"""Directory levels walked."""
MAX_GGUF = 8
"""GGUF files whose metadata is read (a folder of quantisations repeats the same header)."""
SKIPPED_DIRS = frozenset({".git", ".cache"})
"""Version control and huggingface_hub's download bookkeeping: not the model's files."""
_MAX_FIELD_CHARS = 500
_MAX_ITEMS = 64
_FRONT_END = ("---", "...")


class FolderError(HubError):
    """A model folder that cannot be read: the reason names the file and place (exit 3)."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a folder is and what it is: its id, its commit when known, and whether it is a
    snapshot of the Hugging Face cache (whose files link into the repository's `blobs/`)."""

    path: Path
    repo_id: str
    revision: str | None
    blobs: Path | None


def place(path: Path, repo_id: str | None = None, revision: str | None = None) -> Place:
    """A folder's identity: given, else from the cache layout (`models--org--name/snapshots/
    <commit>/`), else its path as given."""
    resolved = path.resolve()
    if resolved.name.startswith("models--") and (resolved / "snapshots").is_dir():
        # A cached repository names its snapshot of `main` in refs/main (the cache's layout).
        try:
            commit = safeio.read_text(resolved / "refs" / "main", 1024).strip()
        except InputError:
            commit = ""
        if commit and "/" not in commit and (resolved / "snapshots" / commit).is_dir():
            path = resolved = resolved / "snapshots" / commit
    parent = resolved.parent
    cache_id = None
    if parent.name == "snapshots" and parent.parent.name.startswith("models--"):
        parts = parent.parent.name.split("--")[1:]
        if parts and all(parts):
            cache_id = "/".join(parts)
    blobs = parent.parent / "blobs" if cache_id else None
    if cache_id and repo_id is None:
        repo_id = cache_id
        revision = revision or resolved.name
    shown = str(path)
    if len(shown) > 1:
        shown = shown.rstrip("/") or shown
    return Place(path, repo_id or shown, revision, blobs)


def read_folder(path: Path, repo_id: str | None = None, revision: str | None = None) -> ModelFacts:
    """The licensing facts of the model folder at `path`.

    `repo_id` and `revision` name it (a cache snapshot knows both; a plain folder is its path
    as given). FolderError, one line naming the file and place, for a folder that is not a
    directory or whose card, configs or GGUF files cannot be read or parsed.
    """
    return _read(place(path, repo_id, revision))


def _read(where: Place) -> ModelFacts:
    try:
        info = where.path.stat()
    except OSError as exc:
        raise FolderError(where.repo_id, f"cannot read folder: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise FolderError(where.repo_id, "not a directory")
    files, notes = _walk(where.path)
    card_data = _card(where, files)
    card = CardFields(card_data)
    card_licenses = card.licenses()
    eu = card.eu_disallowed()
    tags = card.field("tags", "a list of strings", _strs) or []
    config = _json(where, CONFIG, files)
    adapter = _json(where, ADAPTER_CONFIG, files)
    gguf, gguf_notes = _gguf(where, files)
    licenses = list(card_licenses)
    for key, value in gguf:  # every declared licence applies: the card's and each GGUF's
        if key == "general.license" and value.lower() not in {c.lower() for c in licenses}:
            licenses.append(value)
    declared = card.base_models()
    pipeline = card.field("pipeline_tag", "a string", lambda v: isinstance(v, str))
    return ModelFacts(
        id=where.repo_id,
        sha=where.revision,
        card_licenses=tuple(licenses),
        license_name=card.string("license_name"),
        license_link=card.string("license_link"),
        tag_licenses=tuple(t.split(":", 1)[1] for t in tags if t.startswith("license:")),
        pipeline_tag=pipeline,
        tags=tuple(tags),
        files=tuple(files),
        base_models=declared or _named_bases(adapter, gguf),
        eu_disallowed=eu,
        model_type=_text(config.get("model_type")),
        architectures=_texts(config.get("architectures")),
        gguf=gguf,
        card_problems=tuple(card.problems),
        path=str(where.path),
        folder_notes=tuple(notes + gguf_notes),
    )


def _named_bases(
    adapter: dict[str, Any], gguf: tuple[tuple[str, str], ...]
) -> tuple[BaseModelRef, ...]:
    """Bases the folder's own metadata names when its card names none: the adapter's
    `base_model_name_or_path`, a GGUF's `general.base_model.N.repo_url` and the model it was
    converted from (`general.source.*`)."""
    out: list[BaseModelRef] = []
    base = adapter.get("base_model_name_or_path")
    if isinstance(base, str) and (hub_id := signals.hub_id_in(base)):
        out.append(BaseModelRef(hub_id, "adapter"))
    for key, value in gguf:
        relation = None
        if key.startswith("general.base_model.") and key.endswith(".repo_url"):
            relation = "finetune"
        elif key in ("general.source.repo_url", "general.source.huggingface.repository"):
            relation = "quantized"
        if relation and (hub_id := signals.hub_id_in(value)):
            out.append(BaseModelRef(hub_id, relation))
    seen: dict[str, BaseModelRef] = {}
    for ref in out:
        seen.setdefault(ref.id.lower(), ref)
    return tuple(seen.values())


# -- the walk -----------------------------------------------------------------------------------


def _walk(root: Path) -> tuple[list[str], list[str]]:
    """Relative names of every non-directory entry, breadth first and sorted, bounded; and
    notes on what was not walked. Links to directories are not followed."""
    files: list[str] = []
    notes: list[str] = []
    level: list[str] = [""]
    for depth in range(MAX_DEPTH + 1):
        below: list[str] = []
        for rel in level:
            try:
                with os.scandir(root / rel) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                notes.append(f"{rel or '.'}/ could not be listed: {exc.strerror or exc}")
                continue
            for entry in entries:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIPPED_DIRS:
                        below.append(name)
                elif entry.is_symlink() and entry.is_dir():
                    notes.append(f"{name}/ is a link to a directory: not followed")
                else:
                    files.append(name)
                if len(files) > MAX_FILES:
                    notes.append(f"more than {MAX_FILES:,} files: the rest were not listed")
                    return sorted(files[:MAX_FILES]), notes
        if not below:
            return sorted(files), notes
        if depth == MAX_DEPTH:
            notes.append(f"directories deeper than {MAX_DEPTH} levels were not listed")
        level = below
    return sorted(files), notes


def file_path(where: Place, name: str) -> Path:
    """The path to read for the folder's file `name`: InputError when it leads outside the
    folder (or, for a cache snapshot, outside its repository's blobs)."""
    candidate = where.path / name
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, a broken link, a link loop
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a link loop"
        raise InputError(name, f"cannot read file: {reason}") from None
    roots = [where.path.resolve()]
    if where.blobs is not None:
        roots.append(where.blobs.resolve())
    if not any(resolved.is_relative_to(r) for r in roots):
        raise InputError(name, "links outside the folder: not read")
    return resolved


def read_file(where: Place, name: str, limit: int = FILE_LIMIT) -> bytes:
    """A folder file's bytes, at most `limit`; InputError (TooLarge) naming it otherwise."""
    try:
        return safeio.read_bytes(file_path(where, name), limit)
    except TooLarge as exc:
        raise TooLarge(name, exc.reason) from None
    except InputError as exc:
        raise InputError(name, exc.reason) from None


# -- the files that describe the model -----------------------------------------------------------


def _card(where: Place, files: list[str]) -> dict[str, Any] | None:
    """The README's YAML front matter as data (None: no README or no front matter)."""
    from licensecmp import yamlsource  # imports yaml: only when a folder has a card

    if CARD not in files:
        return None
    try:
        raw = read_file(where, CARD, CARD_LIMIT)
    except InputError as exc:
        raise FolderError(where.repo_id, str(exc)) from None
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i, ln in enumerate(lines[1:], 1) if ln.rstrip() in _FRONT_END), None)
    if end is None:
        raise FolderError(where.repo_id, f"{CARD}:1:1: front matter opened by --- is never closed")
    front = "\n" + "\n".join(lines[1:end]) + "\n"  # from line 2: YAML's lines are the file's
    if not front.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in lines[1:end]
    ):
        return None
    if len(front.encode("utf-8")) > yamlsource.MAX_BYTES:
        raise FolderError(
            where.repo_id,
            f"{CARD}: front matter is over the {yamlsource.MAX_BYTES}-byte limit: not read",
        )
    parsed = yamlsource.parse_bytes(front.encode("utf-8"), CARD)
    if parsed.problems:
        problem = parsed.problems[0]
        line = f":{problem.line}:{problem.column or 1}" if problem.line else ""
        raise FolderError(where.repo_id, f"{CARD}{line}: front matter: {problem.message}")
    if not isinstance(parsed.data, dict):
        raise FolderError(where.repo_id, f"{CARD}:2:1: front matter is not a YAML mapping")
    return {str(k): v for k, v in parsed.data.items()}


def _json(where: Place, name: str, files: list[str]) -> dict[str, Any]:
    """A JSON object file of the folder ({} when absent); FolderError when unreadable."""
    if name not in files:
        return {}
    try:
        text = read_file(where, name).decode("utf-8")
        data = json.loads(text)
    except InputError as exc:
        raise FolderError(where.repo_id, str(exc)) from None
    except UnicodeDecodeError as exc:
        raise FolderError(where.repo_id, f"{name}: not valid UTF-8 (offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FolderError(
            where.repo_id, f"{name}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise FolderError(where.repo_id, f"{name}: not JSON: nested too deeply") from None
    except ValueError as exc:  # an integer over Python's int-string conversion limit
        raise FolderError(where.repo_id, f"{name}: not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise FolderError(where.repo_id, f"{name}:1:1: not a JSON object")
    return data


def _gguf(where: Place, files: list[str]) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """The text metadata of the folder's GGUF files (the first MAX_GGUF by name), merged."""
    names = [f for f in files if f.lower().endswith(".gguf")]
    notes = []
    if len(names) > MAX_GGUF:
        notes.append(
            f"{len(names)} GGUF files: the metadata of the first {MAX_GGUF} was read, "
            f"not of {names[MAX_GGUF]} and after"
        )
    fields: dict[tuple[str, str], None] = {}
    for name in names[:MAX_GGUF]:
        try:
            meta = ggufmeta.read(file_path(where, name))
        except InputError as exc:
            raise FolderError(where.repo_id, str(exc)) from None
        except ggufmeta.GGUFError as exc:
            raise FolderError(where.repo_id, f"{name}: {exc}") from None
        except OSError as exc:
            raise FolderError(where.repo_id, f"{name}: cannot read file: {exc.strerror}") from None
        fields.update(dict.fromkeys(meta.fields))
    return tuple(sorted(fields)), notes


def _strs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v[:_MAX_FIELD_CHARS] for v in value[:_MAX_ITEMS] if isinstance(v, str))


def _text(value: Any) -> str | None:
    return value[:_MAX_FIELD_CHARS] if isinstance(value, str) else None


# -- the source ----------------------------------------------------------------------------------


class FolderSource:
    """Model facts from folders on disk, with the bases they name looked up offline first.

    `model(repo_id)`: a folder added with `add`, else the model's snapshot in the local
    Hugging Face cache (`cache_dir`, default huggingface_hub's), else `bases` (a snapshot, or
    the Hub when the user allows it); else ModelNotFound saying how to look it up, which the
    check reports as a review (a base it could not see never allows). Thread-safe.
    """

    def __init__(
        self,
        bases: ModelSource | None = None,
        *,
        cache_dir: Path | None = None,
        use_cache: bool = True,
        offline_reason: str | None = None,
    ) -> None:
        self.bases = bases
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.offline_reason = offline_reason
        """Why `bases` does not reach the Hub (e.g. HF_HUB_OFFLINE), said when a base is
        missing."""
        self._folders: dict[tuple[str, str | None], tuple[Place, ModelFacts]] = {}
        """By (id, commit): several revisions of one model (a cache scan) are checked at once,
        and each reads its own files."""
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        where = ["the local Hugging Face cache"] if self.use_cache else []
        if self.bases is not None:
            where.append(self.bases.label)
        looked = ", then ".join(where) if where else "nowhere"
        network = "" if self.bases is not None else "; no network"
        return f"folder (bases looked up in {looked}{network})"

    def add(
        self, path: Path, repo_id: str | None = None, revision: str | None = None
    ) -> ModelFacts:
        """Read the folder at `path` and answer for it from now on; FolderError as
        read_folder."""
        where = place(path, repo_id, revision)
        facts = _read(where)
        with self._lock:
            self._folders[(facts.id, facts.sha)] = (where, facts)
        return facts

    def model(self, repo_id: str, revision: str | None = None) -> ModelFacts:
        with self._lock:
            known = self._folders.get((repo_id, revision))
        if known is not None:
            return known[1]
        partial = False
        if self.use_cache:
            from licensecmp import hub

            cached = hub.cached_folder(repo_id, revision, self.cache_dir)
            # A cache holds what was downloaded: without the card, nothing says the licence.
            partial = cached is not None and not safeio.is_regular(cached[0] / CARD)
            if cached is not None and not partial:
                with self._lock:  # the revision main points at, when already read
                    known = self._folders.get((repo_id, cached[1]))
                return known[1] if known is not None else self.add(cached[0], repo_id, cached[1])
        if self.bases is not None:
            return self.bases.model(repo_id, revision)
        raise ModelNotFound(repo_id, self._not_found(partial))

    def file_text(self, repo_id: str, filename: str, revision: str | None) -> str:
        """A folder file's text (decoded leniently, as a Hub file is); ModelNotFound or
        AnswerTooLarge naming it when it cannot be read."""
        with self._lock:
            known = self._folders.get((repo_id, revision or None))
        if known is None:
            if self.bases is None or not revision:
                raise ModelNotFound(repo_id, f"{filename}: not in a folder read by this check")
            return self.bases.file_text(repo_id, filename, revision)
        try:
            raw = read_file(known[0], filename)
        except TooLarge as exc:
            raise AnswerTooLarge(repo_id, str(exc)) from None
        except InputError as exc:
            raise ModelNotFound(repo_id, exc.reason) from None
        return raw.decode("utf-8", errors="replace")

    def _not_found(self, partial: bool) -> str:
        where = (
            f"in the local Hugging Face cache without its card ({CARD})"
            if partial
            else "not in the local Hugging Face cache"
        )
        if self.bases is not None:
            where += f" nor in {self.bases.label}"
        if self.offline_reason:
            return f"{where}, and not looked up on the Hub: {self.offline_reason}"
        if self.bases is None:
            return (
                f"{where}, and not looked up on the Hub (a folder check makes no request): "
                "rerun with --online, or --snapshot FILE from `licensecmp snapshot`"
            )
        return where
