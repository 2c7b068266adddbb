"""Evaluate the licences that apply to a model against an organisation's policy (pure)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from licensecmp.model import Clause, Finding, License, ModelFacts, Policy, Use, Verdict

ALLOW, REVIEW, DENY = Verdict.ALLOW, Verdict.REVIEW, Verdict.DENY

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
_MULTIMODAL_PIPELINES = frozenset(
    {
        "image-text-to-text",
        "visual-question-answering",
        "image-to-text",
        "any-to-any",
        "video-text-to-text",
        "audio-text-to-text",
        "document-question-answering",
    }
)
_COMMERCIAL = frozenset({Use.COMMERCIAL_PRODUCT, Use.HOSTED_SERVICE})
_SHARING = frozenset({Use.FINE_TUNE_AND_REDISTRIBUTE, Use.HOSTED_SERVICE})
#: Clauses that put a duty on whoever shares the model or builds on it.
_DUTIES = (
    "attribution",
    "derivative_naming",
    "license_copy_on_redistribution",
    "restrictions_flow_down",
    "share_alike",
)

DEFAULT = Policy(
    name="default",
    uses=frozenset({Use.COMMERCIAL_PRODUCT, Use.HOSTED_SERVICE, Use.FINE_TUNE_AND_REDISTRIBUTE}),
)
"""Without --policy: a commercial, hosted, redistributing user whose size and seat are unknown,
so every threshold and regional carve-out asks for review rather than passing silently."""


@dataclass(frozen=True, slots=True)
class Applicable:
    """A licence that governs the model, and the model in its lineage that brings it in."""

    license: License
    via: str
    inherited: bool = False


def evaluate(
    applicable: Sequence[Applicable], model: ModelFacts | None, policy: Policy
) -> tuple[Verdict, tuple[Finding, ...]]:
    """The verdict (the worst finding) and every finding, each citing its clause and quote."""
    findings = tuple(f for app in applicable for f in _license_findings(app, model, policy))
    return verdict_of(findings), findings


def verdict_of(findings: Sequence[Finding]) -> Verdict:
    return max((f.severity for f in findings), key=lambda v: v.rank, default=ALLOW)


def _license_findings(
    app: Applicable, model: ModelFacts | None, policy: Policy
) -> Iterator[Finding]:
    lic = app.license
    if lic.id in policy.deny_licenses:
        yield _plain(app, DENY, "license-denied", f"{lic.id} is on the policy's deny list")
    if policy.allow_licenses and lic.id not in policy.allow_licenses:
        yield _plain(
            app, DENY, "license-not-allowed", f"{lic.id} is not on the policy's allow list"
        )
    yield from _uses(app, policy)
    yield from _user_threshold(app, policy)
    yield from _revenue_threshold(app, policy)
    yield from _geography(app, model, policy)
    for clause in lic.clauses.values():
        if clause.value in policy.deny_clause_values.get(clause.name, ()):
            yield _cite(
                app,
                clause,
                DENY,
                "clause-denied",
                f"the policy denies {clause.name} = {clause.value}",
            )
        elif clause.value in policy.review_clause_values.get(clause.name, ()):
            yield _cite(
                app,
                clause,
                REVIEW,
                "clause-review",
                f"the policy asks for review of {clause.name} = {clause.value}",
            )
    policy_clause = lic.clauses["use_policy"]
    if policy_clause.value == "incorporated" and policy_clause.params.get("licensor_may_change"):
        yield _cite(
            app,
            policy_clause,
            ALLOW,
            "changeable-policy",
            "the licence incorporates a use policy the licensor may change unilaterally",
        )
    restrictions = lic.clauses["use_restrictions"]
    if restrictions.value == "restricted":
        cats = ", ".join(restrictions.items("categories"))
        yield _cite(app, restrictions, ALLOW, "use-restrictions", f"uses forbidden: {cats}")


def _uses(app: Applicable, policy: Policy) -> Iterator[Finding]:
    clauses = app.license.clauses
    commercial = clauses["commercial_use"]
    if policy.uses & _COMMERCIAL and commercial.value == "prohibited":
        yield _cite(
            app,
            commercial,
            DENY,
            "commercial-use-prohibited",
            "the licence does not allow commercial use",
        )
    if Use.FINE_TUNE_AND_REDISTRIBUTE in policy.uses:
        for name in ("modification", "redistribution"):
            if clauses[name].value == "prohibited":
                yield _cite(
                    app,
                    clauses[name],
                    DENY,
                    f"{name}-prohibited",
                    f"the licence does not allow {name}",
                )
    outputs = clauses["outputs_to_train_other_models"]
    if Use.TRAIN_OTHER_MODELS_ON_OUTPUTS in policy.uses:
        if outputs.value == "prohibited":
            yield _cite(
                app,
                outputs,
                DENY,
                "outputs-training-prohibited",
                "the licence forbids using its outputs to train or improve other models",
            )
        elif outputs.value == "conditional":
            yield _cite(
                app,
                outputs,
                ALLOW,
                "duty",
                f"training on outputs allowed on a condition: {outputs.text('condition')}",
            )
    if policy.uses & _SHARING:
        for name in _DUTIES:
            clause = clauses[name]
            if clause.value == "required":
                yield _cite(app, clause, ALLOW, "duty", _duty_text(clause))


def _duty_text(clause: Clause) -> str:
    p = clause.params
    if clause.name == "attribution":
        shown = f': "{p["text"]}"' if p.get("text") else ""
        return f"attribution required{shown}"
    if clause.name == "derivative_naming":
        return f"derivative naming rule: {p['rule']}"
    return {
        "license_copy_on_redistribution": "a copy of the licence must accompany every copy",
        "restrictions_flow_down": "its use restrictions must bind every downstream user",
        "share_alike": "derivatives must be released under the same licence",
    }[clause.name]


def _user_threshold(app: Applicable, policy: Policy) -> Iterator[Finding]:
    clause = app.license.clauses["user_threshold"]
    if clause.value != "applies" or not policy.uses:
        return
    limit = clause.number("monthly_active_users")
    users = policy.monthly_active_users
    if users is None:
        yield _cite(
            app,
            clause,
            REVIEW,
            "user-threshold-unknown",
            f"the licence changes above {limit:,} monthly active users; "
            "the policy does not state the organisation's",
        )
    elif users > limit:
        yield _over(app, clause, f"{users:,} monthly active users exceed the licence's {limit:,}")


def _revenue_threshold(app: Applicable, policy: Policy) -> Iterator[Finding]:
    clause = app.license.clauses["revenue_threshold"]
    if clause.value != "applies" or not policy.uses:
        return
    limit = clause.number("amount")
    currency = clause.text("currency")
    revenue = policy.annual_revenue
    period = clause.text("period")
    if revenue is None or revenue.currency != currency:
        yield _cite(
            app,
            clause,
            REVIEW,
            "revenue-threshold-unknown",
            f"the licence changes above {currency} {limit:,} ({period}); the policy "
            f"does not state the organisation's revenue in {currency}",
        )
        return
    comparable = revenue.amount / 12 if "month" in period.lower() else revenue.amount
    if comparable > limit:
        yield _over(
            app,
            clause,
            f"revenue of {currency} {revenue.amount:,} a year exceeds the "
            f"licence's {currency} {limit:,} ({period})",
        )


def _over(app: Applicable, clause: Clause, message: str) -> Finding:
    effect = clause.params.get("effect", "rights_withheld")
    if effect == "obligation":
        return _cite(app, clause, ALLOW, "duty", f"{message}: {clause.text('consequence')}")
    return _cite(
        app,
        clause,
        DENY,
        f"{clause.name.replace('_', '-')}-exceeded",
        f"{message}: {clause.text('consequence')}",
    )


def _geography(app: Applicable, model: ModelFacts | None, policy: Policy) -> Iterator[Finding]:
    clause = app.license.clauses["geographic_restriction"]
    if clause.value != "applies" or not policy.uses:
        return
    codes = set(clause.items("region_codes"))
    if not codes:
        yield _cite(
            app,
            clause,
            ALLOW,
            "regional-restriction",
            f"rights withheld in: {', '.join(clause.items('regions'))}",
        )
        return
    basis = clause.params.get("basis", "domicile")
    places = {policy.domicile} if policy.domicile else set()
    if basis == "location_of_use":
        places |= set(policy.regions_served)
    hit = {p for p in places if p in codes or ("EU" in codes and p in EU)}
    regions = ", ".join(sorted(codes))
    if not places:
        yield _cite(
            app,
            clause,
            REVIEW,
            "region-unknown",
            f"rights are withheld in {regions}; the policy does not say where the "
            "organisation is domiciled or operates",
        )
        return
    if not hit:
        return
    if clause.params.get("model_scope") == "multimodal":
        multimodal = _is_multimodal(model)
        if multimodal is False:
            yield _cite(
                app,
                clause,
                ALLOW,
                "regional-restriction-not-applicable",
                f"rights to multimodal models are withheld in {regions}; "
                "this model is not multimodal",
            )
            return
        if multimodal is None:
            yield _cite(
                app,
                clause,
                REVIEW,
                "regional-restriction",
                f"rights to multimodal models are withheld in {regions} "
                f"({', '.join(sorted(hit))}); whether this model is multimodal is unknown",
            )
            return
    yield _cite(
        app,
        clause,
        DENY,
        "regional-restriction",
        f"rights are withheld in {regions}, which covers {', '.join(sorted(hit))}",
    )


def _is_multimodal(model: ModelFacts | None) -> bool | None:
    if model is None or model.pipeline_tag is None:
        return None
    return model.pipeline_tag in _MULTIMODAL_PIPELINES or "multimodal" in model.tags


def _cite(app: Applicable, clause: Clause, severity: Verdict, code: str, message: str) -> Finding:
    ev = clause.evidence[0] if clause.evidence else None
    doc = app.license.document(ev.document) if ev else None
    return Finding(
        severity,
        code,
        message,
        license=app.license.id,
        clause=clause.name,
        document=doc.title if doc else None,
        section=ev.section if ev else None,
        quote=ev.quote if ev else None,
        model=app.via,
    )


def _plain(app: Applicable, severity: Verdict, code: str, message: str) -> Finding:
    return Finding(severity, code, message, license=app.license.id, model=app.via)
