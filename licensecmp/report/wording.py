"""The words reports use in every format: ratings, statuses, terms for people, safe links."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from licensecmp import clauses
from licensecmp.catalogue import Catalogue
from licensecmp.clauses import RatingWords
from licensecmp.hubusage import HubUsage, LicenseHub
from licensecmp.model import (
    CheckResult,
    Clause,
    Finding,
    Kind,
    License,
    Rating,
    Severity,
    Status,
    Verdict,
)

RATINGS: Mapping[Rating, RatingWords] = clauses.RATINGS
"""Icon, word and meaning per rating, from the vocabulary: never told by colour alone."""
VERDICTS: dict[Verdict, tuple[str, str]] = {
    Verdict.ALLOW: ("✓", "Allow"),
    Verdict.REVIEW: ("◐", "Review"),
    Verdict.DENY: ("✕", "Deny"),
}
UNDECIDED = ("?", "Could not decide")
"""A model whose verdict could not be reached: said the same way in every format."""
#: A finding's severity: an `info` finding informs, it never reads as a verdict.
SEVERITIES: dict[Severity, tuple[str, str]] = {
    Severity.INFO: ("i", "Note"),
    Severity.REVIEW: ("◐", "Review"),
    Severity.DENY: ("✕", "Deny"),
}
#: The index's sections, in order: what each kind of licence was written for.
KINDS: dict[Kind, str] = {
    Kind.MODEL: "Model licences",
    Kind.SOFTWARE: "Software licences",
    Kind.CONTENT: "Data and content licences",
}


@dataclass(frozen=True, slots=True)
class KindGroup:
    """One section of the index: a kind, its title, and its licences' positions."""

    kind: Kind
    title: str
    rows: tuple[int, ...]
    """Indices into the licences the index was given, in their order."""


def by_kind(licenses: Sequence[License]) -> list[KindGroup]:
    """Licences grouped by kind so an index of 100+ stays readable; empty kinds left out."""
    return [
        KindGroup(kind, title, rows)
        for kind, title in KINDS.items()
        if (rows := tuple(i for i, lic in enumerate(licenses) if lic.kind is kind))
    ]


STATUSES: Mapping[Status, str] = {s: w.word for s, w in clauses.STATUSES.items()}
STATUS_MEANINGS: Mapping[Status, str] = {s: w.meaning for s, w in clauses.STATUSES.items()}
NOT_ADVICE = (
    "It summarises licence texts in the project's own words; every verdict cites the section "
    "and a verbatim quote of the official text it rests on. Read that text, and take legal "
    "advice, before relying on a verdict."
)

_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Fact:
    """One term of a clause as people read it; `url` is set only for an http(s) address."""

    label: str
    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Terms:
    headline: tuple[Fact, ...]
    details: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    section: str
    quote: str
    title: str
    url: str | None


def safe_url(url: object) -> str | None:
    """`url` when it is an http(s) address without spaces or control characters, else None."""
    return url if isinstance(url, str) and _URL.fullmatch(url) else None


def relative_path(path: str) -> str:
    """A link between pages of one report set; anything else (a scheme, `..`) is refused.

    Raises ValueError: such paths are built by the caller, never read from licence files.
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", path) or ".." in path:
        raise ValueError(f"not a relative report path: {path!r}")
    return path


def words(name: str) -> str:
    """An identifier that is not a clause value (a document role) as a reader reads it."""
    return name.replace("_", " ").capitalize()


def status_meaning(status: Status) -> str:
    """The status and what it means: "superseded" must never read as "no longer applies"."""
    return f"{STATUSES[status]}: {STATUS_MEANINGS[status]}"


def value_label(clause: str, value: str) -> str:
    """A clause value in the vocabulary's words ("General IP grant, patents not named")."""
    return clauses.value_label(clause, value)


def rated(clause: str, value: str) -> str:
    """A value as every format shows it: the rating's icon and word, then the value's label
    unless it only repeats the word ("◐ Conditional: Applies", "✓ Permissive")."""
    rating = RATINGS[clauses.rating(clause, value)]
    label = clauses.value_label(clause, value)
    shown = f"{rating.icon} {rating.word}"
    return shown if label.lower() == rating.word.lower() else f"{shown}: {label}"


def definition(clause: str, value: str) -> str:
    """What a clause value means, from the vocabulary."""
    return clauses.SPECS[clause].value(value).definition


@dataclass(frozen=True, slots=True)
class Meaning:
    label: str
    rating: Rating
    definition: str


def glossary(names: Iterable[str]) -> list[tuple[str, list[Meaning]]]:
    """Each clause's title and the meaning of every value it may take, in vocabulary order."""
    wanted = set(names)
    return [
        (spec.title, [Meaning(v.label, v.rating, v.definition) for v in spec.values])
        for spec in clauses.CLAUSES
        if spec.name in wanted
    ]


def column_titles(licenses: Sequence[License]) -> list[str]:
    """Each licence's name, with its version where two share a name."""
    names = [lic.name for lic in licenses]
    return [
        f"{lic.name} ({lic.version})" if names.count(lic.name) > 1 else lic.name for lic in licenses
    ]


def terms(clause: Clause) -> Terms:
    """The clause's parameters for people: numbers grouped, enums in words, lists joined."""
    params = clause.params
    spec = clauses.SPECS[clause.name]
    headline = [p.name for p in spec.params if p.headline]
    head = [_fact(clause.name, key, params) for key in headline if key in params]
    rest = [
        _fact(clause.name, key, params)
        for key in params
        if key not in headline and not (key == "currency" and "amount" in params)
    ]
    if len(clause.items("categories")) > 1:
        rest.insert(0, Fact("Categories", ", ".join(clause.items("categories"))))
    return Terms(tuple(head), tuple(rest))


def changed_labels(old: Clause, new: Clause) -> frozenset[str]:
    """The labels of the terms that read differently in `new` than in `old`."""
    a = {f.label: f.text for f in (*terms(old).headline, *terms(old).details)}
    b = {f.label: f.text for f in (*terms(new).headline, *terms(new).details)}
    return frozenset(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def _fact(clause: str, key: str, params: Mapping[str, object]) -> Fact:
    value = params[key]
    param = clauses.SPECS[clause].param(key)
    label = param.label if param else words(key)
    if key == "monthly_active_users":
        return Fact(label, f"{number(value)} monthly active users")
    if key == "amount":
        currency = str(params.get("currency", "")).strip()
        period = str(params.get("period", "")).lower()
        per = (
            " per year"
            if period.startswith(("annual", "yearly", "per year"))
            else " per month"
            if period.startswith("monthly")
            else ""
        )
        return Fact(label, f"{currency} {number(value)}{per}".strip())
    if key == "categories" and isinstance(value, tuple | list) and len(value) > 1:
        return Fact("Restricted uses", f"{len(value)} categories")
    if key == "text":
        return Fact(label, f"“{value}”")
    if key == "url":
        return Fact(label, str(value), safe_url(value))
    if isinstance(value, str) and param and param.values:
        return Fact(label, clauses.param_label(clause, key, value))
    return Fact(label, number(value))


def number(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value))
    return str(value)


def quotes(lic: License, clause: Clause) -> list[Quote]:
    """The clause's evidence with the title and official address of the document it quotes."""
    out = []
    for ev in clause.evidence:
        doc = lic.document(ev.document)
        title, url = (doc.title, safe_url(doc.url)) if doc else (ev.document, None)
        out.append(Quote(ev.section, ev.quote, title, url))
    return out


def key_licenses(result: CheckResult, catalogue: Catalogue) -> list[License]:
    """The catalogue's licences that apply to a checked model, in the result's order."""
    found = (catalogue.get(i) for i in result.licenses)
    return [lic for lic in found if lic is not None]


def findings_in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Deny first, then review, then notes; stable within each."""
    return sorted(findings, key=lambda f: -f.severity.rank)


# --- Markdown --------------------------------------------------------------------------------


def hub_caption(hub: HubUsage | None) -> str:
    """Where the Hub figures come from, or that there are none: said plainly either way."""
    if hub is None:
        return (
            "No Hub snapshot was used for this report: Hub figures are not shown "
            "(`licensecmp enrich`, then `licensecmp report --snapshot FILE`)."
        )
    return (
        f"Hub figures from a snapshot of {hub.endpoint} taken {hub.taken_at}: the "
        "most-downloaded models that declare each licence."
    )


def hub_summary(usage: LicenseHub | None) -> str:
    if usage is None:
        return "no Hub licence id"
    if usage.error:
        return f"not listed: {usage.error}"
    return (
        f"{usage.listed} models · {usage.gated_share} gated · {usage.derivative_share} derivatives"
    )
