"""Snapshot files: Hub facts captured once, for offline, repeatable checks and reports."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from licensecmp import jsonpos, safeio, schema, urls
from licensecmp.errors import InputError, ModelNotFound, OutputError, SnapshotError
from licensecmp.model import BaseModelRef, ModelFacts
from licensecmp.problems import json_path

SNAPSHOT_SCHEMA = "snapshot.schema.json"
FORMAT = "licensecmp-snapshot"
FORMAT_VERSION = 1
MAX_BYTES = 256 * 1024 * 1024
"""A snapshot of 100,000 models is ~100 MB; beyond this it is not a snapshot we wrote."""


@dataclass(frozen=True, slots=True)
class LicenseUsage:
    """How one catalogue licence is used on the Hub: its most-downloaded models."""

    hub_ids: tuple[str, ...]
    models: tuple[str, ...]
    listed: int
    gated: int
    derivatives: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    endpoint: str
    taken_at: str
    tool: str
    models: Mapping[str, ModelFacts]
    aliases: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    licenses: Mapping[str, LicenseUsage] = field(default_factory=dict)

    @property
    def date(self) -> str:
        return self.taken_at[:10]


def dumps(snap: Snapshot) -> str:
    """Deterministic JSON: the same snapshot gives the same bytes."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "endpoint": snap.endpoint,
        "taken_at": snap.taken_at,
        "tool": snap.tool,
        "models": {mid: _facts_out(f) for mid, f in snap.models.items()},
        "aliases": dict(snap.aliases),
        "files": {m: {r: dict(fs) for r, fs in revs.items()} for m, revs in snap.files.items()},
        "licenses": {lid: _usage_out(u) for lid, u in snap.licenses.items()},
    }
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def save(snap: Snapshot, path: Path) -> None:
    """Write atomically: an interrupted run leaves any previous file whole. The directory is
    created if missing (`enrich` writes to reports/ by default)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
    safeio.write_atomic(path, dumps(snap))


def load(path: Path) -> Snapshot:
    """Read and validate a snapshot; SnapshotError (one line per problem) names file, line
    and column. One parse and one validation pass: a bad field is located by walking the text
    to it, never by parsing the whole file again."""
    try:
        raw = safeio.read_bytes(path, MAX_BYTES)
        text = raw.decode("utf-8")
    except InputError as exc:
        raise SnapshotError(f"{path}: cannot read snapshot: {exc.reason}") from None
    except UnicodeDecodeError as exc:
        raise SnapshotError(
            f"{path}: not a JSON snapshot: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at "
            f"offset {exc.start})"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            f"{path}:{exc.lineno}:{exc.colno}: not a JSON snapshot: {exc.msg}"
        ) from None
    except RecursionError:
        raise SnapshotError(f"{path}: not a JSON snapshot: nested too deeply") from None
    except ValueError as exc:  # an integer over Python's int-string conversion limit
        raise SnapshotError(f"{path}: not a JSON snapshot: {exc}") from None
    errors = list(itertools.islice(_validator().iter_errors(data), _SHOWN + 1))
    if errors:
        shown = sorted(_located_error(path, text, e) for e in errors[:_SHOWN])
        more = ["… and more"] if len(errors) > _SHOWN else []
        raise SnapshotError("invalid snapshot:\n" + "\n".join([*(s for *_, s in shown), *more]))
    return from_data(data)


_SHOWN = 20


@functools.cache
def _validator() -> Any:
    """The snapshot schema compiled by jsonschema-rs: a 16 MB snapshot is validated in a
    twentieth of a second, where the pure-Python validator licence files use takes 20 s."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema.load(SNAPSHOT_SCHEMA))


def _located_error(path: Path, text: str, error: Any) -> tuple[int, int, str]:
    """(line, column, message line) of one schema error, placed by walking the text to it."""
    steps = list(error.instance_path)
    offset = jsonpos.offset(text, steps)
    line, col = jsonpos.line_col(text, offset) if offset is not None else (0, 0)
    where = f":{line}:{col}" if offset is not None else ""
    suffix = f" [{json_path(steps)}]" if steps else ""
    return line, col, f"{path}{where}: {_short(error.message)}{suffix}"


def _short(message: str, limit: int = 200) -> str:
    """A message quotes the offending value whole; a hostile one may be megabytes long."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


def from_data(data: Mapping[str, Any]) -> Snapshot:
    return Snapshot(
        endpoint=data["endpoint"],
        taken_at=data["taken_at"],
        tool=data["tool"],
        models={mid: _facts_in(m) for mid, m in data["models"].items()},
        aliases=dict(data.get("aliases", {})),
        files=data.get("files", {}),
        licenses={lid: _usage_in(u) for lid, u in data.get("licenses", {}).items()},
    )


class SnapshotSource:
    """Model facts from a snapshot: no network at all."""

    def __init__(self, snap: Snapshot, name: str) -> None:
        self.snap = snap
        self.name = name

    @property
    def label(self) -> str:
        endpoint = urls.without_credentials(self.snap.endpoint)
        return f"snapshot {self.name} (taken {self.snap.taken_at} from {endpoint})"

    def model(self, repo_id: str, revision: str | None = None) -> ModelFacts:
        facts = self.snap.models.get(self.snap.aliases.get(repo_id, repo_id))
        if facts is None:
            raise ModelNotFound(repo_id, f"not in snapshot {self.name} (taken {self.snap.date})")
        if revision and revision not in (facts.sha, "main"):
            raise ModelNotFound(
                repo_id,
                f"revision {revision} not in snapshot {self.name} "
                f"(which holds {facts.sha}, taken {self.snap.date})",
            )
        if facts.id != repo_id:
            return _with_requested(facts, repo_id)
        return facts

    def file_text(self, repo_id: str, filename: str, revision: str) -> str:
        text = self.snap.files.get(repo_id, {}).get(revision, {}).get(filename)
        if text is None:
            raise ModelNotFound(repo_id, f"{filename} not in snapshot {self.name}")
        return text


class RecordingSource:
    """Wraps a live source and keeps what it answered, to be saved as a snapshot."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.models: dict[str, ModelFacts] = {}
        self.aliases: dict[str, str] = {}
        self.files: dict[str, dict[str, dict[str, str]]] = {}

    @property
    def label(self) -> str:
        return str(self.inner.label)

    def model(self, repo_id: str, revision: str | None = None) -> ModelFacts:
        facts: ModelFacts = self.inner.model(repo_id, revision)
        self.models[facts.id] = _with_requested(facts, None)
        if facts.id != repo_id:
            self.aliases[repo_id] = facts.id
        return facts

    def file_text(self, repo_id: str, filename: str, revision: str) -> str:
        text: str = self.inner.file_text(repo_id, filename, revision)
        self.files.setdefault(repo_id, {}).setdefault(revision, {})[filename] = text
        return text


def _with_requested(facts: ModelFacts, requested: str | None) -> ModelFacts:
    data = asdict(facts)
    data["base_models"] = facts.base_models
    data["requested_id"] = requested
    return ModelFacts(**data)


def _facts_out(f: ModelFacts) -> dict[str, Any]:
    out = asdict(f)
    out.pop("requested_id")
    out.pop("path")  # where a folder was read: this machine's business, not the snapshot's
    out.pop("folder_notes")
    if not out["card_problems"]:  # absent when empty: snapshots of sound cards keep their bytes
        del out["card_problems"]
    out["base_models"] = [{"id": b.id, "relation": b.relation} for b in f.base_models]
    out["gguf"] = dict(f.gguf)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def _facts_in(m: Mapping[str, Any]) -> ModelFacts:
    return ModelFacts(
        id=m["id"],
        sha=m["sha"],
        card_licenses=_card_licenses(m),
        license_name=m.get("license_name"),
        license_link=m.get("license_link"),
        tag_licenses=tuple(m.get("tag_licenses", ())),
        gated=m.get("gated"),
        pipeline_tag=m.get("pipeline_tag"),
        tags=tuple(m.get("tags", ())),
        files=tuple(m.get("files", ())),
        base_models=tuple(BaseModelRef(b["id"], b["relation"]) for b in m.get("base_models", ())),
        eu_disallowed=bool(m.get("eu_disallowed", False)),
        downloads=m.get("downloads"),
        model_type=m.get("model_type"),
        architectures=tuple(m.get("architectures", ())),
        gguf=tuple(sorted(m.get("gguf", {}).items())),
        card_problems=tuple(m.get("card_problems", ())),
    )


def _card_licenses(m: Mapping[str, Any]) -> tuple[str, ...]:
    """Every licence the card named; snapshots written before 0.2 kept only the first."""
    if "card_licenses" in m:
        return tuple(m["card_licenses"])
    legacy = m.get("card_license")
    return (legacy,) if legacy else ()


def _usage_out(u: LicenseUsage) -> dict[str, Any]:
    out = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(u).items()}
    if out["error"] is None:
        del out["error"]
    return out


def _usage_in(u: Mapping[str, Any]) -> LicenseUsage:
    return LicenseUsage(
        tuple(u["hub_ids"]),
        tuple(u["models"]),
        u["listed"],
        u["gated"],
        u["derivatives"],
        u.get("error"),
    )
