"""The clause vocabulary: groups, titles and the rating of every clause value (pure data)."""

from __future__ import annotations

from dataclasses import dataclass

from licensecmp.model import Rating

P, C, R, N = Rating.PERMISSIVE, Rating.CONDITIONAL, Rating.RESTRICTIVE, Rating.NOT_ADDRESSED


@dataclass(frozen=True, slots=True)
class ClauseSpec:
    name: str
    title: str
    ratings: dict[str, Rating]
    params: tuple[str, ...] = ()


_GRANT = (
    ClauseSpec(
        "commercial_use",
        "Commercial use",
        {"permitted": P, "conditional": C, "prohibited": R},
        ("condition",),
    ),
    ClauseSpec(
        "modification",
        "Modification and fine-tunes",
        {"permitted": P, "conditional": C, "prohibited": R},
        ("condition",),
    ),
    ClauseSpec(
        "redistribution",
        "Redistribution",
        {"permitted": P, "conditional": C, "prohibited": R},
        ("condition",),
    ),
    ClauseSpec(
        "patent_grant", "Patent grant", {"granted": P, "not_granted": R, "not_addressed": N}
    ),
    ClauseSpec(
        "trademark_use",
        "Trademark use",
        {"granted": P, "limited": C, "not_granted": R, "not_addressed": N},
    ),
)
_SCOPE = (
    ClauseSpec(
        "user_threshold",
        "User threshold",
        {"none": P, "applies": C},
        ("monthly_active_users", "counting", "consequence"),
    ),
    ClauseSpec(
        "revenue_threshold",
        "Revenue threshold",
        {"none": P, "applies": C},
        ("amount", "currency", "period", "consequence"),
    ),
    ClauseSpec(
        "geographic_restriction",
        "Geographic restriction",
        {"none": P, "applies": R},
        ("regions", "binds", "scope"),
    ),
)
_OBLIGATIONS = (
    ClauseSpec(
        "attribution", "Attribution", {"not_required": P, "required": C}, ("text", "where", "when")
    ),
    ClauseSpec(
        "derivative_naming", "Derivative naming", {"not_required": P, "required": C}, ("rule",)
    ),
    ClauseSpec(
        "license_copy_on_redistribution",
        "Licence copy on redistribution",
        {"required": C, "not_required": P, "not_addressed": N},
    ),
    ClauseSpec(
        "use_policy", "Use policy", {"none": P, "incorporated": C}, ("url", "licensor_may_change")
    ),
    ClauseSpec(
        "use_restrictions", "Use restrictions", {"none": P, "restricted": C}, ("categories",)
    ),
    ClauseSpec(
        "restrictions_flow_down",
        "Restrictions flow down",
        {"required": C, "not_required": P, "not_addressed": N},
    ),
    ClauseSpec("share_alike", "Share-alike", {"required": C, "not_required": P}),
)
_OUTPUTS = (
    ClauseSpec(
        "outputs_to_train_other_models",
        "Outputs to train other models",
        {"permitted": P, "conditional": C, "prohibited": R, "not_addressed": N},
        ("condition",),
    ),
    ClauseSpec(
        "output_ownership", "Output ownership", {"licensee": P, "licensor": R, "not_addressed": N}
    ),
)
_LAW = (
    ClauseSpec(
        "termination_on_litigation",
        "Termination on litigation",
        {"applies": C, "none": P},
        ("trigger",),
    ),
    ClauseSpec("licensor_may_update_terms", "Licensor may update terms", {"yes": C, "no": P}),
    ClauseSpec(
        "governing_law",
        "Governing law",
        {"specified": C, "not_addressed": N},
        ("jurisdiction", "venue"),
    ),
    ClauseSpec("warranty_disclaimer", "Warranty disclaimer", {"yes": C, "no": P}),
    ClauseSpec("liability_limitation", "Liability limitation", {"yes": C, "no": P}),
)

#: Groups in the order reports show them, as the clause vocabulary lists them.
GROUPS: tuple[tuple[str, tuple[ClauseSpec, ...]], ...] = (
    ("Grant", _GRANT),
    ("Thresholds and scope", _SCOPE),
    ("Obligations", _OBLIGATIONS),
    ("Outputs", _OUTPUTS),
    ("Termination and law", _LAW),
)

SPECS: dict[str, ClauseSpec] = {spec.name: spec for _, specs in GROUPS for spec in specs}


def rating(clause: str, value: str) -> Rating:
    """The rating of `value` for `clause`; `not_addressed` (a silent text) rates as itself.

    Raises KeyError for a value outside the vocabulary.
    """
    if value == "not_addressed":
        return Rating.NOT_ADDRESSED
    return SPECS[clause].ratings[value]
