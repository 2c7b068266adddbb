"""The domain: frozen dataclasses and enums shared by every layer (imports nothing of ours)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class Rating(enum.StrEnum):
    """Where a clause value leaves a licensee; `not_addressed` is never folded into another."""

    PERMISSIVE = "permissive"
    CONDITIONAL = "conditional"
    RESTRICTIVE = "restrictive"
    NOT_ADDRESSED = "not_addressed"


class Status(enum.StrEnum):
    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"
    ANNOUNCED = "announced"


@dataclass(frozen=True, slots=True)
class Evidence:
    section: str
    quote: str
    document: str = "license"


@dataclass(frozen=True, slots=True)
class Clause:
    """One answered clause: its value, parameters (thresholds, texts, lists) and evidence."""

    name: str
    value: str
    summary: str
    evidence: tuple[Evidence, ...] = ()
    params: Mapping[str, object] = field(default_factory=dict)
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    role: str
    url: str
    scancode_key: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class License:
    id: str
    name: str
    version: str
    release_date: str
    licensor: str
    family: str
    status: Status
    supersedes: str | None
    superseded_by: str | None
    spdx_id: str
    scancode_key: str | None
    hub_license_ids: tuple[str, ...]
    hub_license_names: tuple[str, ...]
    osi_approved: bool
    documents: tuple[Document, ...]
    clauses: Mapping[str, Clause]
    notes: str | None = None

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    json_path: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        suffix = f" [{self.json_path}]" if self.json_path and self.json_path != "$" else ""
        return f"{where}: {self.message}{suffix}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What validating one file found: the licence when it is sound, and every problem."""

    path: Path
    license: License | None
    problems: tuple[Problem, ...] = ()
    unreadable: bool = False
