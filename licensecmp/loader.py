"""Load licence files: YAML → schema and semantic checks → a License, or located problems."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from licensecmp import checks, schema, yamlsource
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
from licensecmp.problems import located, schema_problems

Locator = Callable[[Sequence[str | int]], tuple[int, int] | None]

_IDENTITY = ("id", "name", "version", "release_date", "licensor", "family")


def load_file(path: Path) -> FileResult:
    """Every problem of one file; the License only when there are none. Never raises."""
    return load_located(path)[0]


def load_located(path: Path) -> tuple[FileResult, Locator]:
    """As load_file, with a locator that turns a JSON path of this file into line and column."""
    display = str(path)
    parsed, unreadable = yamlsource.read(path, display)
    locator = functools.partial(yamlsource.locate, parsed.root)
    if parsed.problems:
        return FileResult(path, None, parsed.problems, unreadable), locator
    return check_parsed(path, display, parsed), locator


def check_parsed(path: Path, display: str, parsed: yamlsource.Parsed) -> FileResult:
    data = parsed.data
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("NoneType", "null").replace("dict", "mapping")
        return FileResult(
            path, None, (Problem(display, f"top level is a {kind}, expected a mapping", 1, 1),)
        )
    validator = schema.validator(schema.LICENSE_SCHEMA)
    problems = list(schema_problems(validator.iter_errors(data), parsed.root, display))
    if not problems:
        for json_path, message in checks.check_data(data, path.stem):
            problems.append(located(display, parsed.root, json_path, message))
    if problems:
        return FileResult(path, None, tuple(problems))
    return FileResult(path, build_license(data))


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
                d["id"], d["title"], d["role"], d["url"], d.get("scancode_key"), d.get("sha256")
            )
            for d in data["documents"]
        ),
        clauses=clauses,
        notes=data.get("notes"),
        reviewed=data.get("reviewed"),
    )
