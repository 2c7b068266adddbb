"""The opening of a `check` report: one row per model, the policy's facts as assumed, and each
duty once with the models it applies to (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from licensecmp.model import CheckResult, Obligation, Policy, Severity
from licensecmp.report.summary import amount

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ModelRow:
    result: CheckResult
    reason: str
    """The finding that decided the verdict (the first deny, else the first review), or why
    nothing blocks."""
    todo: str


@dataclass(frozen=True, slots=True)
class Duty:
    """One obligation, with every model it applies to: a list repeated per model reads once."""

    obligation: Obligation
    models: tuple[str, ...]


def rows(results: Sequence[CheckResult]) -> list[ModelRow]:
    return [_row(r) for r in results]


def _row(r: CheckResult) -> ModelRow:
    if r.error:
        return ModelRow(r, r.error, "fix the cause and run the check again")
    worst = sorted(
        (f for f in r.findings if f.severity is not Severity.INFO), key=lambda f: -f.severity.rank
    )
    reason = worst[0].message if worst else "no finding blocks it under this policy"
    more = len(worst) - 1
    if more > 0:
        reason += f" (and {more} more)"
    if worst and worst[0].severity is Severity.DENY:
        todo = "do not use it under this policy"
    elif worst:
        todo = "have the findings reviewed before use"
    else:
        todo = "use it, meeting the duties below"
    duties = len(r.obligations)
    if duties:
        todo += f"; {duties} dut{'y' if duties == 1 else 'ies'}"
    return ModelRow(r, reason, todo)


def duties(results: Sequence[CheckResult]) -> list[Duty]:
    """Every obligation once, in first-seen order, with the models it applies to."""
    seen: dict[tuple[str, str, str], tuple[Obligation, list[str]]] = {}
    for r in results:
        for o in r.obligations:
            key = (o.license, o.clause, o.duty)
            entry = seen.setdefault(key, (o, []))
            if r.model not in entry[1]:
                entry[1].append(r.model)
    return [Duty(o, tuple(models)) for o, models in seen.values()]


def policy_facts(policy: Policy) -> list[tuple[str, str]]:
    """What the policy told the check about the organisation, "unknown" where it said nothing:
    a verdict is only as good as these facts."""
    revenue = (
        f"{policy.annual_revenue.currency} {amount(policy.annual_revenue.amount)} a year"
        if policy.annual_revenue
        else UNKNOWN
    )
    return [
        ("Policy", policy.name),
        ("Organisation", policy.organisation or UNKNOWN),
        ("Monthly active users (all products)", _users(policy.monthly_active_users)),
        ("Largest product's monthly active users", _users(policy.product_monthly_active_users)),
        ("Annual revenue", revenue),
        ("Domicile", policy.domicile or UNKNOWN),
        ("Regions served", ", ".join(policy.regions_served) or UNKNOWN),
        (
            "Intended uses",
            ", ".join(sorted(u.value.replace("_", " ") for u in policy.uses)) or "none stated",
        ),
    ]


def _users(n: int | None) -> str:
    return UNKNOWN if n is None else amount(n)
