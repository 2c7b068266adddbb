"""Load licence files: YAML → schema and semantic checks → a License, or located problems.

The YAML reader and the schema validator are imported on first use: building a License from
data already validated (a compiled index, the cache) needs neither.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
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
    """As load_file, with the validated document itself (for the index and the cache); `raw`
    is the file's content when the caller has already read it (to hash it)."""
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
    if not problems:
        for json_path, message in checks.check_data(data, path.stem):
            problems.append(located(display, parsed.root, json_path, message))
    if problems:
        return FileResult(path, None, tuple(problems)), None
    return FileResult(path, build_license(data)), data


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
