"""What one licence's clauses mean for an organisation's policy: findings and duties (pure)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from licensecmp.clauses import DUTIES, DUTY_ONLY_EFFECTS, SPECS, value_label
from licensecmp.model import (
    Clause,
    Finding,
    License,
    ModelFacts,
    Obligation,
    Policy,
    Severity,
    Use,
)

INFO, REVIEW, DENY = Severity.INFO, Severity.REVIEW, Severity.DENY

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
        "HU",
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
"""The 27 member states of the European Union (ISO 3166-1 alpha-2)."""
MULTIMODAL_PIPELINES = frozenset(
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
COMMERCIAL = frozenset({Use.COMMERCIAL_PRODUCT, Use.HOSTED_SERVICE})
"""Uses that are commercial use of the model."""

#: Which uses trigger each duty clause: sharing copies, making the model or a product that
#: contains it available, or building models on it.
DUTY_TRIGGERS: dict[str, frozenset[Use]] = {
    "attribution": frozenset(
        {Use.COMMERCIAL_PRODUCT, Use.HOSTED_SERVICE, Use.FINE_TUNE_AND_REDISTRIBUTE}
    ),
    "derivative_naming": frozenset(
        {Use.FINE_TUNE_AND_REDISTRIBUTE, Use.TRAIN_OTHER_MODELS_ON_OUTPUTS}
    ),
    "license_copy_on_redistribution": frozenset(
        {Use.COMMERCIAL_PRODUCT, Use.FINE_TUNE_AND_REDISTRIBUTE}
    ),
    "restrictions_flow_down": frozenset(
        {Use.COMMERCIAL_PRODUCT, Use.HOSTED_SERVICE, Use.FINE_TUNE_AND_REDISTRIBUTE}
    ),
    "share_alike": frozenset({Use.FINE_TUNE_AND_REDISTRIBUTE}),
}

CHANGEABLE = " (the licensor may change it)"

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


@dataclass(frozen=True, slots=True)
class Assessment:
    findings: tuple[Finding, ...]
    obligations: tuple[Obligation, ...]


def assess(app: Applicable, model: ModelFacts | None, policy: Policy) -> Assessment:
    """Every finding and every duty one licence gives the policy's organisation and uses."""
    findings: list[Finding] = []
    obligations: list[Obligation] = []
    for item in _assess(app, model, policy):
        if isinstance(item, Obligation):
            obligations.append(item)
        else:
            findings.append(item)
    return Assessment(tuple(findings), tuple(obligations))


def _assess(
    app: Applicable, model: ModelFacts | None, policy: Policy
) -> Iterator[Finding | Obligation]:
    lic = app.license
    if lic.id in policy.deny_licenses:
        yield _plain(app, DENY, "license-denied", f"{lic.id} is on the policy's deny list")
    if policy.allow_licenses and lic.id not in policy.allow_licenses:
        yield _plain(
            app, DENY, "license-not-allowed", f"{lic.id} is not on the policy's allow list"
        )
    yield from _uses(app, policy)
    yield from _duties(app, policy)
    yield from _user_threshold(app, policy)
    yield from _revenue_threshold(app, policy)
    yield from _geography(app, model, policy)
    yield from _clause_rules(app, policy)
    policy_clause = lic.clauses["use_policy"]
    if policy_clause.value == "incorporated" and policy_clause.params.get("licensor_may_change"):
        yield _cite(
            app,
            policy_clause,
            INFO,
            "changeable-policy",
            "the licence incorporates a use policy the licensor may change unilaterally",
        )
    restrictions = lic.clauses["use_restrictions"]
    if restrictions.value == "restricted":
        cats = ", ".join(restrictions.items("categories"))
        yield _cite(app, restrictions, INFO, "use-restrictions", f"uses forbidden: {cats}")


def _clause_rules(app: Applicable, policy: Policy) -> Iterator[Finding]:
    for clause in app.license.clauses.values():
        if clause.value in policy.deny_clause_values.get(clause.name, ()):
            yield _cite(
                app,
                clause,
                DENY,
                "clause-denied",
                f"the policy denies {_words(clause)}",
            )
        elif clause.value in policy.review_clause_values.get(clause.name, ()):
            yield _cite(
                app,
                clause,
                REVIEW,
                "clause-review",
                f"the policy asks for review of {_words(clause)}",
            )


def _words(clause: Clause) -> str:
    """A clause answer as readers see it: "Use policy: Incorporated"."""
    return f"{SPECS[clause.name].title}: {value_label(clause.name, clause.value)}"


def _uses(app: Applicable, policy: Policy) -> Iterator[Finding | Obligation]:
    clauses = app.license.clauses
    commercial = clauses["commercial_use"]
    if policy.uses & COMMERCIAL and commercial.value == "prohibited":
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
            yield _duty(
                app,
                outputs,
                frozenset({Use.TRAIN_OTHER_MODELS_ON_OUTPUTS}),
                f"training other models on outputs is allowed on a condition: "
                f"{outputs.text('condition')}",
            )


def _duties(app: Applicable, policy: Policy) -> Iterator[Obligation]:
    clauses = app.license.clauses
    for name, triggers in DUTY_TRIGGERS.items():
        clause = clauses[name]
        uses = policy.uses & triggers
        if clause.value == DUTIES[name][0] and uses:
            yield _duty(app, clause, uses, _duty_text(clause))
    use_policy = clauses["use_policy"]
    if use_policy.value == "incorporated" and policy.uses:
        yield _duty(
            app,
            use_policy,
            policy.uses,
            "every use must follow the incorporated use policy"
            + (
                " (the licensor may change it)"
                if use_policy.params.get("licensor_may_change")
                else ""
            ),
        )


def _duty_text(clause: Clause) -> str:
    p = clause.params
    if clause.name == "attribution":
        shown = f'display "{p["text"]}"' if p.get("text") else DUTIES[clause.name][1]
        where = f" ({p['where']})" if p.get("where") else ""
        when = f"; when: {p['when']}" if p.get("when") else ""
        return f"{shown}{where}{when}"
    if clause.name == "derivative_naming":
        return f"{DUTIES[clause.name][1]}: {p.get('rule', clause.summary)}"
    return DUTIES[clause.name][1]


def _user_threshold(app: Applicable, policy: Policy) -> Iterator[Finding | Obligation]:
    clause = app.license.clauses["user_threshold"]
    if clause.value != "applies":
        return
    limit = clause.number("monthly_active_users")
    per_product = clause.params.get("per_product") is True
    users = policy.monthly_active_users
    if per_product and policy.product_monthly_active_users is not None:
        users = policy.product_monthly_active_users
    elif per_product and users is not None and users > limit:
        users = None  # the organisation is over it, but perhaps no single product is
    if users is None:
        yield from _unknown(
            app,
            clause,
            "user-threshold-unknown",
            f"the licence changes above {limit:,} monthly active users"
            + (" per product" if per_product else "")
            + (
                "; the policy does not state its largest product's monthly active users"
                if per_product
                else "; the policy does not state the organisation's monthly active users"
            ),
        )
    elif users > limit:
        yield _over(app, clause, f"{users:,} monthly active users exceed the licence's {limit:,}")


def _revenue_threshold(app: Applicable, policy: Policy) -> Iterator[Finding | Obligation]:
    clause = app.license.clauses["revenue_threshold"]
    if clause.value != "applies":
        return
    limit = clause.number("amount")
    currency = clause.text("currency")
    period = clause.text("period")
    revenue = policy.annual_revenue
    if revenue is None:
        yield from _unknown(
            app,
            clause,
            "revenue-threshold-unknown",
            f"the licence changes above {currency} {limit:,} ({period}); the policy does not "
            "state the organisation's revenue",
        )
        return
    rate = 1.0 if revenue.currency == currency else policy.exchange_rates.get(currency)
    if rate is None:
        yield from _unknown(
            app,
            clause,
            "revenue-threshold-unknown",
            f"the licence changes above {currency} {limit:,} ({period}); the policy states "
            f"revenue in {revenue.currency} and gives no exchange rate for {currency}",
        )
        return
    comparable = revenue.amount / 12 if "month" in period.lower() else revenue.amount
    if comparable > limit * rate:
        yield _over(
            app,
            clause,
            f"revenue of {revenue.currency} {revenue.amount:,} a year exceeds the "
            f"licence's {currency} {limit:,} ({period})",
        )


def _unknown(
    app: Applicable, clause: Clause, code: str, message: str
) -> Iterator[Finding | Obligation]:
    """An unknown fact asks for review only when it could change the verdict."""
    if clause.params.get("effect") in DUTY_ONLY_EFFECTS:
        yield _duty(
            app,
            clause,
            frozenset(),
            f"above the threshold: {clause.text('consequence')} ({message})",
        )
    else:
        yield _cite(app, clause, REVIEW, code, message)


def _over(app: Applicable, clause: Clause, message: str) -> Finding | Obligation:
    if clause.params.get("effect") in DUTY_ONLY_EFFECTS:
        return _duty(app, clause, frozenset(), f"{message}: {clause.text('consequence')}")
    return _cite(
        app,
        clause,
        DENY,
        f"{clause.name.replace('_', '-')}-exceeded",
        f"{message}: {clause.text('consequence')}",
    )


def _geography(app: Applicable, model: ModelFacts | None, policy: Policy) -> Iterator[Finding]:
    clause = app.license.clauses["geographic_restriction"]
    if clause.value != "applies":
        return
    codes = set(clause.items("region_codes"))
    if not codes:
        yield _cite(
            app,
            clause,
            REVIEW,
            "regional-restriction",
            f"rights withheld in: {', '.join(clause.items('regions'))}",
        )
        return
    basis = clause.params.get("basis", "domicile")
    places = {policy.domicile} if policy.domicile else set()
    if basis == "location_of_use":
        places |= set(policy.regions_served)
    hit = {p for p in places if p in codes or ("EU" in codes and (p in EU or p == "EU"))}
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
    named = {c for c in codes if c != "EU" and not _is_country(c)}
    if not hit and named:
        yield _cite(
            app,
            clause,
            REVIEW,
            "region-undetermined",
            f"rights are withheld in {'; '.join(clause.items('regions'))}; whether "
            f"{', '.join(sorted(places))} is among them cannot be told from country codes",
        )
        return
    if not hit:
        return
    if clause.params.get("model_scope") == "multimodal":
        multimodal = is_multimodal(model)
        if multimodal is False:
            yield _cite(
                app,
                clause,
                INFO,
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


def _is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 shape; anything else (`SANCTIONED`) names a list we do not hold."""
    return len(code) == 2 and code.isascii() and code.isupper()


def is_multimodal(model: ModelFacts | None) -> bool | None:
    """From the model's pipeline tag; None when the Hub does not say."""
    if model is None or model.pipeline_tag is None:
        return None
    return model.pipeline_tag in MULTIMODAL_PIPELINES or "multimodal" in model.tags


def _evidence(app: Applicable, clause: Clause) -> tuple[str | None, str | None, str | None]:
    ev = clause.evidence[0] if clause.evidence else None
    doc = app.license.document(ev.document) if ev else None
    return (doc.title if doc else None, ev.section if ev else None, ev.quote if ev else None)


def _cite(app: Applicable, clause: Clause, severity: Severity, code: str, message: str) -> Finding:
    document, section, quote = _evidence(app, clause)
    return Finding(
        severity,
        code,
        message,
        license=app.license.id,
        clause=clause.name,
        document=document,
        section=section,
        quote=quote,
        model=app.via,
    )


def _duty(
    app: Applicable, clause: Clause, uses: frozenset[Use] | set[Use], duty: str
) -> Obligation:
    document, section, quote = _evidence(app, clause)
    return Obligation(
        license=app.license.id,
        clause=clause.name,
        duty=duty,
        uses=tuple(sorted(u.value for u in uses)),
        document=document,
        section=section,
        quote=quote,
        model=app.via,
    )


def _plain(app: Applicable, severity: Severity, code: str, message: str) -> Finding:
    return Finding(severity, code, message, license=app.license.id, model=app.via)
