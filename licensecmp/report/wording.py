"""The words reports use in every format: ratings, statuses, terms for people, safe links."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from licensecmp.catalogue import Catalogue
from licensecmp.hubusage import HubUsage, LicenseHub
from licensecmp.model import (
    CheckResult,
    Clause,
    Finding,
    License,
    Rating,
    Severity,
    Status,
    Verdict,
)

RATINGS: dict[Rating, tuple[str, str]] = {
    Rating.PERMISSIVE: ("✓", "Permissive"),
    Rating.CONDITIONAL: ("◐", "Conditional"),
    Rating.RESTRICTIVE: ("✕", "Restrictive"),
    Rating.NOT_ADDRESSED: ("—", "Not addressed"),
}
"""Icon and word per rating: a verdict is never told by colour alone."""
VERDICTS: dict[Verdict, tuple[str, str]] = {
    Verdict.ALLOW: ("✓", "Allow"),
    Verdict.REVIEW: ("◐", "Review"),
    Verdict.DENY: ("✕", "Deny"),
}
#: A finding's severity: an `info` finding informs, it never reads as a verdict.
SEVERITIES: dict[Severity, tuple[str, str]] = {
    Severity.INFO: ("i", "Note"),
    Severity.REVIEW: ("◐", "Review"),
    Severity.DENY: ("✕", "Deny"),
}
STATUSES = {
    Status.IN_FORCE: "In force",
    Status.SUPERSEDED: "Superseded",
    Status.ANNOUNCED: "Announced",
}
NOT_ADVICE = (
    "It summarises licence texts in the project's own words; every verdict cites the section "
    "and a verbatim quote of the official text it rests on. Read that text, and take legal "
    "advice, before relying on a verdict."
)

_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_LABELS = {
    "monthly_active_users": "Threshold",
    "amount": "Threshold",
    "counting": "How counted",
    "consequence": "Consequence",
    "region_codes": "Region codes",
    "basis": "Triggered by",
    "model_scope": "Models",
    "text": "Display",
    "url": "Policy",
    "licensor_may_change": "Changeable by licensor",
}
_ENUMS = {
    "effect": {
        "rights_withheld": "above it, no rights until the licensor grants them",
        "terminates": "above it, the licence terminates",
        "obligation": "above it, an added duty only",
    },
    "basis": {"domicile": "the licensee's domicile", "location_of_use": "where the model is used"},
    "model_scope": {"all": "all models of the release", "multimodal": "multimodal models only"},
}
#: Short, structured terms shown in every cell; the free-text ones wait behind one click.
_HEADLINE = (
    "monthly_active_users",
    "amount",
    "effect",
    "regions",
    "model_scope",
    "basis",
    "text",
    "rule",
    "categories",
    "url",
    "licensor_may_change",
    "jurisdiction",
)


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


def value_label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def column_titles(licenses: Sequence[License]) -> list[str]:
    """Each licence's name, with its version where two share a name."""
    names = [lic.name for lic in licenses]
    return [
        f"{lic.name} ({lic.version})" if names.count(lic.name) > 1 else lic.name for lic in licenses
    ]


def terms(clause: Clause) -> Terms:
    """The clause's parameters for people: numbers grouped, enums in words, lists joined."""
    params = clause.params
    head = [_fact(key, params) for key in _HEADLINE if key in params]
    rest = [
        _fact(key, params)
        for key in params
        if key not in _HEADLINE and not (key == "currency" and "amount" in params)
    ]
    if len(clause.items("categories")) > 1:
        rest.insert(0, Fact("Categories", ", ".join(clause.items("categories"))))
    return Terms(tuple(head), tuple(rest))


def changed_labels(old: Clause, new: Clause) -> frozenset[str]:
    """The labels of the terms that read differently in `new` than in `old`."""
    a = {f.label: f.text for f in (*terms(old).headline, *terms(old).details)}
    b = {f.label: f.text for f in (*terms(new).headline, *terms(new).details)}
    return frozenset(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def _fact(key: str, params: Mapping[str, object]) -> Fact:
    value = params[key]
    label = _LABELS.get(key, value_label(key))
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
    if isinstance(value, str) and value in _ENUMS.get(key, {}):
        return Fact(label, _ENUMS[key][value])
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
