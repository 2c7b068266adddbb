"""Load licence files: YAML → schema and semantic checks → a License, or located problems.

The YAML reader and the schema validator are imported on first use: building a License from
data already validated (a compiled index, the cache) needs neither.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licensecmp import checks
from licensecmp.model import (
    Clause,
    Document,
    Evidence,
    FileResult,
    Kind,
    License,
    Problem,
    Status,
)

if TYPE_CHECKING:
    from licensecmp import yamlsource

Locator = Callable[[Sequence[str | int]], tuple[int, int] | None]

_IDENTITY = ("id", "name", "version", "release_date", "licensor", "family")


def load_file(path: Path) -> FileResult:
    """Every problem of one file; the License only when there are none. Never raises."""
    return load(path)[0]


def load(path: Path, raw: bytes | None = None) -> tuple[FileResult, dict[str, Any] | None]:
    """As load_file, with the document as read (for the index, the cache and the cross-file
    checks; valid only when the result has no problems); `raw` is the file's content when the
    caller has already read it (to hash it)."""
    from licensecmp import yamlsource

    display = str(path)
    if raw is None or len(raw) > yamlsource.MAX_BYTES:  # the reader words the size limit
        parsed, unreadable = yamlsource.read(path, display)
    else:
        parsed, unreadable = yamlsource.parse_bytes(raw, display), False
    if parsed.problems:
        return FileResult(path, None, parsed.problems, unreadable), None
    return _checked(path, display, parsed)


def locator(path: Path) -> Locator:
    """Line and column of JSON paths in `path`, parsing it again.

    Node trees are not kept for every file of a run: at a thousand files, keeping them costs
    more in garbage collection than parsing again the few files whose problems need a line.
    """
    from licensecmp import yamlsource

    parsed, _ = yamlsource.read(path, str(path))
    return functools.partial(yamlsource.locate, parsed.root)


def _checked(
    path: Path, display: str, parsed: yamlsource.Parsed
) -> tuple[FileResult, dict[str, Any] | None]:
    from licensecmp import schema
    from licensecmp.problems import located, schema_problems

    data = parsed.data
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("NoneType", "null").replace("dict", "mapping")
        problem = Problem(display, f"top level is a {kind}, expected a mapping", 1, 1)
        return FileResult(path, None, (problem,)), None
    validator = schema.validator(schema.LICENSE_SCHEMA)
    problems = list(schema_problems(validator.iter_errors(data), parsed.root, display))
    refused = [p.json_path or "$" for p in problems]
    for path_, message in checks.check_data(data, path.stem):
        found = located(display, parsed.root, path_, message)
        if not covered(found.json_path or "$", refused):  # the schema has said it already
            problems.append(found)
    if problems:
        return FileResult(path, None, tuple(problems)), data
    return FileResult(path, build_license(data)), data


def covered(json_path: str, reported: Iterable[str]) -> bool:
    """Whether a problem at `json_path` is at, or inside, a place already reported."""
    return any(
        json_path == r or (r != "$" and json_path.startswith((r + ".", r + "["))) for r in reported
    )


def build_license(data: Mapping[str, Any]) -> License:
    """A License from schema-valid data."""
    clauses = {
        name: Clause(
            name=name,
            value=c["value"],
            summary=c["summary"],
            evidence=tuple(
                Evidence(e["section"], e["quote"], e.get("document", "license"))
                for e in c.get("evidence", ())
            ),
            params={
                k: (tuple(v) if isinstance(v, list) else v)
                for k, v in c.items()
                if k not in ("value", "summary", "evidence", "notes")
            },
            notes=c.get("notes"),
        )
        for name, c in data["clauses"].items()
    }
    return License(
        **{k: data[k] for k in _IDENTITY},
        kind=Kind(data["kind"]),
        status=Status(data["status"]),
        supersedes=data["supersedes"],
        superseded_by=data["superseded_by"],
        spdx_id=data["spdx_id"],
        scancode_key=data["scancode_key"],
        hub_license_ids=tuple(data["hub_license_ids"]),
        hub_license_names=tuple(data["hub_license_names"]),
        osi_approved=data["osi_approved"],
        documents=tuple(
            Document(
                d["id"],
                d["title"],
                d["role"],
                d["url"],
                d.get("scancode_key"),
                d.get("sha256"),
                d.get("archive_url"),
            )
            for d in data["documents"]
        ),
        clauses=clauses,
        notes=data.get("notes"),
        reviewed=data.get("reviewed"),
    )
