"""The one place a verdict is decided: from what is known of a model, its licences and the
policy, to findings, duties and allow / review / deny (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from licensecmp.catalogue import Catalogue
from licensecmp.clauses import SPECS, STICKY
from licensecmp.model import (
    Finding,
    License,
    ModelFacts,
    Obligation,
    Policy,
    Severity,
    Verdict,
)
from licensecmp.policy import EU, Applicable, assess
from licensecmp.resolution import Alternative


@dataclass(frozen=True, slots=True)
class Inherited:
    """A licence a base model brings in: which base, and through which model."""

    license: License
    via: str


@dataclass(frozen=True, slots=True)
class UnknownBase:
    """A base model none of whose declared choices is all catalogue licences."""

    model: str
    declared: str | None


@dataclass(frozen=True, slots=True)
class Case:
    """Everything gathered about one model that bears on its verdict."""

    model: ModelFacts
    declared: str | None
    alternatives: tuple[Alternative, ...]
    """The model's own licences: choices, each a set that applies together."""
    inherited: tuple[Inherited, ...] = ()
    unknown_bases: tuple[UnknownBase, ...] = ()
    """Bases whose own terms are unknown: what they pass on cannot be known."""
    observations: tuple[Finding, ...] = ()
    """Findings about the facts (sources disagree, files, lineage), severity already known."""


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    licenses: tuple[str, ...]
    findings: tuple[Finding, ...]
    obligations: tuple[Obligation, ...]
    unknown: tuple[str, ...] = ()
    """Licence names the declaration gives that the catalogue does not know, as written."""


def decide(case: Case, catalogue: Catalogue, policy: Policy) -> Decision:
    """The verdict for the most favourable choice of licence, with every finding behind it.

    Unknown licences take the policy's `unknown_license` severity; a derivative that declares
    away a base's lasting terms takes `dropped_base_terms`; gating takes `gated`.
    """
    shared = [*case.observations, *_gating(case.model, policy), *_unknown_bases(case, policy)]
    options = [_option(alt, case, catalogue, policy) for alt in case.alternatives or ((),)]
    best = min(options, key=lambda o: verdict_of([*shared, *o.findings]).rank)
    findings = (*shared, *best.findings)
    return Decision(verdict_of(findings), best.licenses, findings, best.obligations, best.unknown)


def verdict_of(findings: Sequence[Finding]) -> Verdict:
    """Deny when any finding denies, review when any asks for review, else allow."""
    worst = max((f.severity for f in findings), key=lambda s: s.rank, default=Severity.INFO)
    return worst.verdict


def severity(setting: Verdict) -> Severity:
    """A policy setting (allow / review / deny) as the severity of the finding it governs."""
    return Severity.INFO if setting is Verdict.ALLOW else Severity(setting.value)


@dataclass(frozen=True, slots=True)
class _Option:
    """One choice of licences: what applies under it, and what that brings."""

    licenses: tuple[str, ...]
    findings: tuple[Finding, ...]
    obligations: tuple[Obligation, ...]
    unknown: tuple[str, ...] = ()


def _option(alternative: Alternative, case: Case, catalogue: Catalogue, policy: Policy) -> _Option:
    model = case.model
    findings: list[Finding] = []
    applicable: list[Applicable] = []
    unknown: list[str] = []
    for term in alternative:
        lic = catalogue.get(term.license) if term.license else None
        if lic is None:
            unknown.append(term.name)
            findings.append(
                Finding(
                    severity(policy.unknown_license),
                    "unknown-license",
                    f"licence {term.name!r} is not in the catalogue: its terms are unknown",
                    model=model.id,
                )
            )
        elif all(a.license.id != lic.id for a in applicable):
            applicable.append(Applicable(lic, model.id))
    if not alternative:
        what = (
            f"licence {case.declared!r} names no licence the catalogue knows"
            if case.declared
            else "no licence is declared"
        )
        findings.append(
            Finding(
                severity(policy.unknown_license),
                "unknown-license",
                f"{what}: the model's terms are unknown",
                model=model.id,
            )
        )
    for inherited in case.inherited:
        if all(a.license.id != inherited.license.id for a in applicable):
            applicable.append(Applicable(inherited.license, inherited.via))
            findings += _dropped(case, inherited, policy)
    obligations: list[Obligation] = []
    for app in applicable:
        assessment = assess(app, model, policy)
        findings += assessment.findings
        obligations += assessment.obligations
    return _Option(
        tuple(a.license.id for a in applicable),
        tuple(findings),
        tuple(dict.fromkeys(obligations)),
        tuple(dict.fromkeys(unknown)),
    )


def _dropped(case: Case, inherited: Inherited, policy: Policy) -> list[Finding]:
    base = inherited.license
    sticky = [c for c, v in STICKY.items() if base.clauses[c].value == v]
    if not sticky:
        return []
    return [
        Finding(
            severity(policy.dropped_base_terms),
            "base-terms-dropped",
            f"{case.model.id} declares {case.declared or 'no licence'} but derives from "
            f"{inherited.via}, under {base.id}, whose terms still apply "
            f"({', '.join(SPECS[c].title.lower() for c in sticky)})",
            license=base.id,
            clause=sticky[0],
            model=inherited.via,
        )
    ]


def _unknown_bases(case: Case, policy: Policy) -> list[Finding]:
    """A derivative may carry its base's terms whatever it declares: a base whose terms are
    unknown leaves the derivative's unknown too, so it is never silently allowed."""
    out = []
    for base in case.unknown_bases:
        what = (
            f"declares {base.declared!r}, which names no licence the catalogue knows"
            if base.declared
            else "declares no licence"
        )
        out.append(
            Finding(
                severity(policy.unknown_license),
                "base-license-unknown",
                f"base model {base.model} {what}: the terms it passes to {case.model.id} "
                "are unknown",
                model=base.model,
            )
        )
    return out


def _gating(model: ModelFacts, policy: Policy) -> list[Finding]:
    out = []
    if model.gated:
        out.append(
            Finding(
                severity(policy.gated),
                "gated",
                f"gated ({model.gated}): files need a Hub account that accepted the model's terms",
                model=model.id,
            )
        )
    if model.eu_disallowed:
        places = {policy.domicile, *policy.regions_served} - {None}
        in_eu = bool(places & (EU | {"EU"}))
        unknown = "" if places else "; the policy does not say where the organisation is"
        out.append(
            Finding(
                Severity.REVIEW if in_eu or not places else Severity.INFO,
                "eu-disallowed",
                f"the model's gate refuses users in the EU{unknown}",
                model=model.id,
            )
        )
    return out
