"""The domain: frozen dataclasses and enums shared by every layer (imports nothing of ours)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class Rating(enum.StrEnum):
    """Where a clause value leaves a licensee; `not_addressed` is never folded into another, and
    `informational` (standard terms such as governing law) is never shown as a condition."""

    PERMISSIVE = "permissive"
    CONDITIONAL = "conditional"
    RESTRICTIVE = "restrictive"
    INFORMATIONAL = "informational"
    NOT_ADDRESSED = "not_addressed"


class Kind(enum.StrEnum):
    """What a licence was written for; the report index groups licences by it."""

    MODEL = "model"
    SOFTWARE = "software"
    CONTENT = "content"
    """Data, databases, documents, media and fonts."""


class Status(enum.StrEnum):
    """`superseded`: still governs the models released under it; `replaced`: no longer does."""

    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"
    REPLACED = "replaced"
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

    def text(self, key: str, default: str = "") -> str:
        value = self.params.get(key)
        return default if value is None else str(value)

    def number(self, key: str) -> int:
        value = self.params[key]
        if not isinstance(value, int):
            raise TypeError(f"{self.name}.{key} is not a number")
        return value

    def items(self, key: str) -> tuple[str, ...]:
        value = self.params.get(key, ())
        return tuple(map(str, value)) if isinstance(value, tuple | list) else (str(value),)


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    role: str
    url: str
    scancode_key: str | None = None
    sha256: str | None = None
    archive_url: str | None = None
    """An archived copy of the text that was read, where one exists."""


@dataclass(frozen=True, slots=True)
class License:
    id: str
    name: str
    version: str
    release_date: str
    licensor: str
    family: str
    kind: Kind
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
    reviewed: str | None = None
    """When the entry was last read against its text (YYYY-MM-DD)."""

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


class Verdict(enum.StrEnum):
    """What `check` decides for an organisation; ordered from best to worst."""

    ALLOW = "allow"
    REVIEW = "review"
    DENY = "deny"

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)


class Severity(enum.StrEnum):
    """How much one finding weighs; a finding that only informs never reads as "allow"."""

    INFO = "info"
    REVIEW = "review"
    DENY = "deny"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def verdict(self) -> Verdict:
        """The verdict a finding of this severity leaves, alone."""
        return Verdict.ALLOW if self is Severity.INFO else Verdict(self.value)


class Use(enum.StrEnum):
    COMMERCIAL_PRODUCT = "commercial_product"
    INTERNAL_USE = "internal_use"
    FINE_TUNE_AND_REDISTRIBUTE = "fine_tune_and_redistribute"
    HOSTED_SERVICE = "hosted_service"
    TRAIN_OTHER_MODELS_ON_OUTPUTS = "train_other_models_on_outputs"
    RESEARCH = "research"


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class Policy:
    """An organisation's facts, intended uses and rules."""

    name: str = "default"
    organisation: str | None = None
    monthly_active_users: int | None = None
    annual_revenue: Money | None = None
    exchange_rates: Mapping[str, float] = field(default_factory=dict)
    """1 unit of the key currency = this many units of `annual_revenue.currency`."""
    product_monthly_active_users: int | None = None
    """The largest single product's users: what licences that count per product compare."""
    domicile: str | None = None
    regions_served: tuple[str, ...] = ()
    uses: frozenset[Use] = frozenset()
    allow_licenses: frozenset[str] = frozenset()
    deny_licenses: frozenset[str] = frozenset()
    deny_clause_values: Mapping[str, frozenset[str]] = field(default_factory=dict)
    review_clause_values: Mapping[str, frozenset[str]] = field(default_factory=dict)
    unknown_license: Verdict = Verdict.REVIEW
    gated: Verdict = Verdict.ALLOW
    dropped_base_terms: Verdict = Verdict.REVIEW


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason behind a verdict, with the clause and text that back it."""

    severity: Severity
    code: str
    message: str
    license: str | None = None
    clause: str | None = None
    document: str | None = None
    section: str | None = None
    quote: str | None = None
    model: str | None = None
    signals: tuple[str, ...] = ()
    """For a suspected base: each clue, as `kind: evidence`."""


@dataclass(frozen=True, slots=True)
class Obligation:
    """A duty the organisation's uses trigger under one licence, with the text behind it."""

    license: str
    clause: str
    duty: str
    uses: tuple[str, ...] = ()
    document: str | None = None
    section: str | None = None
    quote: str | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class BaseModelRef:
    id: str
    relation: str


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What the Hub says about one model revision, as far as licensing goes."""

    id: str
    sha: str | None
    card_licenses: tuple[str, ...] = ()
    """The card's `license` (one id or a list; each may be an SPDX expression)."""
    license_name: str | None = None
    license_link: str | None = None
    tag_licenses: tuple[str, ...] = ()
    gated: str | None = None
    pipeline_tag: str | None = None
    tags: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    base_models: tuple[BaseModelRef, ...] = ()
    eu_disallowed: bool = False
    requested_id: str | None = None
    downloads: int | None = None
    model_type: str | None = None
    """`config.json` `model_type`, as the Hub reports it (architecture: a clue, never proof)."""
    architectures: tuple[str, ...] = ()
    gguf: tuple[tuple[str, str], ...] = ()
    """The Hub's GGUF metadata: `architecture` and any `general.*` text fields, sorted."""
    card_problems: tuple[str, ...] = ()
    """Card fields of the wrong type, each left unread: a review finding, never a guess."""
    path: str | None = None
    """The folder on disk the facts were read from (None: the Hub or a snapshot); its licence
    and policy files are read even without a commit."""
    folder_notes: tuple[str, ...] = ()
    """What a folder check could not read whole (links not followed, walk caps): review."""


@dataclass(frozen=True, slots=True)
class LineageNode:
    """One model in a chain of base models, with the licences its own card declares."""

    model: str
    revision: str | None
    relation: str | None
    parent: str | None
    depth: int
    declared_license: str | None
    licenses: tuple[str, ...]
    gated: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything `check` decided about one model."""

    model: str
    requested: str
    revision: str | None
    declared_license: str | None
    licenses: tuple[str, ...]
    lineage: tuple[LineageNode, ...]
    gated: str | None
    verdict: Verdict
    findings: tuple[Finding, ...]
    policy: str
    source: str
    error: str | None = None
    obligations: tuple[Obligation, ...] = ()
    unknown_licenses: tuple[str, ...] = ()
    """Licence names the card declares that the catalogue does not know, as written."""
