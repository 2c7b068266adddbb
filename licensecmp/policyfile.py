"""Load a policy file with the same safe YAML and located errors as licence files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from licensecmp import schema, yamlsource
from licensecmp.errors import PolicyError
from licensecmp.model import Money, Policy, Use, Verdict
from licensecmp.problems import schema_problems


def load(path: Path) -> Policy:
    """The policy in `path`; raises PolicyError listing every problem as file:line:col."""
    parsed, _ = yamlsource.read(path, str(path))
    problems = list(parsed.problems)
    if not problems and not isinstance(parsed.data, dict):
        raise PolicyError(f"{path}:1:1: top level must be a mapping")
    if not problems:
        validator = schema.validator(schema.POLICY_SCHEMA)
        problems = list(schema_problems(validator.iter_errors(parsed.data), parsed.root, str(path)))
    if problems:
        raise PolicyError("invalid policy:\n" + "\n".join(map(str, problems)))
    return from_data(parsed.data, default_name=path.stem)


def from_data(data: Mapping[str, Any], default_name: str = "policy") -> Policy:
    org = data.get("organisation", {})
    rules = data.get("rules", {})
    revenue = org.get("annual_revenue")
    return Policy(
        name=data.get("name", default_name),
        organisation=org.get("name"),
        monthly_active_users=org.get("monthly_active_users"),
        annual_revenue=Money(revenue["amount"], revenue["currency"]) if revenue else None,
        domicile=org.get("domicile"),
        regions_served=tuple(org.get("regions_served", ())),
        uses=frozenset(Use(u) for u in data.get("uses", ())),
        allow_licenses=frozenset(rules.get("allow_licenses", ())),
        deny_licenses=frozenset(rules.get("deny_licenses", ())),
        deny_clause_values=_values(rules.get("deny_clause_values", {})),
        review_clause_values=_values(rules.get("review_clause_values", {})),
        unknown_license=Verdict(rules.get("unknown_license", "review")),
        gated=Verdict(rules.get("gated", "allow")),
        dropped_base_terms=Verdict(rules.get("dropped_base_terms", "review")),
    )


def _values(raw: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    return {clause: frozenset(values) for clause, values in raw.items()}
