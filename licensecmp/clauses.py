"""The clause vocabulary, defined once: every clause's group, values, their meanings and ratings,
its parameters, and what a value means for duties and derivatives (pure data).

The licence schema's clause part is generated from here (`licensecmp.schemagen`), and
`compare`, the reports' legends and wording, and the policy code read ratings and words here,
so one value keeps one meaning everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from licensecmp.model import Rating, Status

P, C, R, INFO, N = (
    Rating.PERMISSIVE,
    Rating.CONDITIONAL,
    Rating.RESTRICTIVE,
    Rating.INFORMATIONAL,
    Rating.NOT_ADDRESSED,
)


@dataclass(frozen=True, slots=True)
class RatingWords:
    """How a rating reads: an icon (never colour alone), a word and what it means."""

    icon: str
    word: str
    meaning: str


RATINGS: Mapping[Rating, RatingWords] = MappingProxyType(
    {
        P: RatingWords("✓", "Permissive", "no obligation or restriction"),
        C: RatingWords(
            "◐",
            "Conditional",
            "allowed with obligations, thresholds or restrictions, or of uncertain reach",
        ),
        R: RatingWords("✕", "Restrictive", "forbidden, or rights withheld"),
        INFO: RatingWords(
            "i", "Informational", "a standard term that neither permits nor restricts"
        ),
        N: RatingWords("—", "Not addressed", "the text is silent"),
    }
)
"""Every rating, in the order legends list them."""


@dataclass(frozen=True, slots=True)
class StatusWords:
    word: str
    meaning: str


STATUSES: Mapping[Status, StatusWords] = MappingProxyType(
    {
        Status.IN_FORCE: StatusWords("In force", "the current terms for new and existing models"),
        Status.SUPERSEDED: StatusWords(
            "Superseded",
            "a newer version exists for new releases, but this one still governs the models "
            "released under it",
        ),
        Status.REPLACED: StatusWords(
            "Replaced",
            "the licensor's newer terms apply to the models released under this one too",
        ),
        Status.ANNOUNCED: StatusWords(
            "Announced",
            "terms announced publicly with no licence text yet; the evidence cites the statement",
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Value:
    """One answer a clause may take: its name in licence files, its words and its rating."""

    name: str
    label: str
    rating: Rating
    definition: str


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter of a clause answer: a number, a text, a list or one of named values.

    `required_for`: the clause values that must state it. `compared`: a structured term, so a
    difference makes two answers differ (free text names its version and never does).
    `headline`: shown in every cell; the rest waits behind one click.
    """

    name: str
    label: str
    schema: Mapping[str, Any]
    description: str = ""
    required_for: tuple[str, ...] = ()
    compared: bool = True
    headline: bool = False
    values: tuple[Value, ...] = ()
    ours: bool = False
    """Our own words for a term (a rule, a trigger, a venue): compared between licences, but a
    version diff compares the quotes behind it, so rewording alone is never a change."""

    def value(self, name: str) -> Value | None:
        return next((v for v in self.values if v.name == name), None)


@dataclass(frozen=True, slots=True)
class ClauseSpec:
    """One question every licence answers.

    `duty`: the value that puts a duty on whoever shares or builds on the model, and the duty
    in words. `sticky`: the value whose terms a derivative cannot shed by declaring another
    licence.
    """

    name: str
    title: str
    group: str
    question: str
    values: tuple[Value, ...]
    params: tuple[Param, ...] = ()
    duty: tuple[str, str] | None = None
    sticky: str | None = None
    ratings: Mapping[str, Rating] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "ratings", MappingProxyType({v.name: v.rating for v in self.values})
        )

    def value(self, name: str) -> Value:
        """The value `name` (KeyError outside the vocabulary)."""
        for v in self.values:
            if v.name == name:
                return v
        raise KeyError(f"{self.name} has no value {name!r}")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# --- building blocks -------------------------------------------------------------------------

_TEXT: Mapping[str, Any] = MappingProxyType({"type": "string", "minLength": 1})
_LIST: Mapping[str, Any] = MappingProxyType(
    {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
)


def _silent(definition: str = "The text does not address this question.") -> Value:
    return Value("not_addressed", "Not addressed", N, definition)


def _text(name: str, label: str, description: str = "", **kw: Any) -> Param:
    """A short text in our words: compared between licences, not between versions."""
    return Param(name, label, _TEXT, description, **({"ours": True} | kw))


def _free(name: str, label: str, description: str = "", **kw: Any) -> Param:
    """A free-text parameter: shown, never compared."""
    return Param(name, label, _TEXT, description, compared=False, **kw)


def _grant(
    name: str, title: str, question: str, what: tuple[str, str], conditional: str
) -> ClauseSpec:
    return ClauseSpec(
        name,
        title,
        "Grant",
        question,
        (
            Value("permitted", "Permitted", P, what[0]),
            Value("conditional", "Conditional", C, conditional),
            Value("prohibited", "Prohibited", R, what[1]),
            _silent(),
        ),
        (
            _free(
                "condition",
                "Condition",
                "The condition, in words.",
                required_for=("conditional",),
            ),
        ),
    )


_EFFECT = Param(
    "effect",
    "Above it",
    MappingProxyType({}),
    "What happens above the threshold.",
    required_for=("applies",),
    headline=True,
    values=(
        Value(
            "rights_withheld",
            "no rights until the licensor grants them",
            R,
            "Above the threshold the licence grants nothing: the licensee must ask the licensor, "
            "who may refuse.",
        ),
        Value(
            "separate_licence",
            "a separate licence is needed",
            R,
            "Above the threshold the licence's rights end or do not reach the use, and the "
            "licensee must take a separate (enterprise or paid) licence to go on.",
        ),
        Value(
            "duty_only",
            "an added duty only",
            C,
            "Above the threshold every right remains; only a duty is added (a display, a notice).",
        ),
    ),
)
_CONSEQUENCE = _free(
    "consequence",
    "Consequence",
    "What happens above the threshold, in words.",
    required_for=("applies",),
)


def _threshold(
    name: str, title: str, question: str, params: tuple[Param, ...], **kw: Any
) -> ClauseSpec:
    return ClauseSpec(
        name,
        title,
        "Thresholds and scope",
        question,
        (
            Value("none", "None", P, "No right or duty changes with this measure."),
            Value(
                "applies",
                "Applies",
                C,
                "A right or a duty changes above a number, whatever the effect; the effect, how "
                "the number is counted and when it is measured are parameters.",
            ),
            _silent(),
        ),
        params,
        **kw,
    )


def _obligation(
    name: str, title: str, question: str, required: str, not_required: str, **kw: Any
) -> ClauseSpec:
    return ClauseSpec(
        name,
        title,
        "Obligations",
        question,
        (
            Value("not_required", "Not required", P, not_required),
            Value("required", "Required", C, required),
            _silent(),
        ),
        **kw,
    )


def _standard(name: str, title: str, question: str, yes: tuple[str, str], no: str) -> ClauseSpec:
    """A standard term (a disclaimer, a limitation): informational whether present or not."""
    return ClauseSpec(
        name,
        title,
        "Termination and law",
        question,
        (
            Value("yes", yes[0], INFO, yes[1]),
            Value("no", "None", INFO, no),
            _silent(),
        ),
    )


# --- the vocabulary --------------------------------------------------------------------------

CLAUSES: tuple[ClauseSpec, ...] = (
    _grant(
        "commercial_use",
        "Commercial use",
        "May the model be used commercially, and on what terms?",
        (
            "Commercial use is allowed on the same terms as any other use. Use restrictions, a "
            "use policy, attribution or law compliance that bind every use do not make it "
            "conditional; they are answered in their own clauses.",
            "Only non-commercial, research or evaluation use is licensed.",
        ),
        "Commercial use carries a condition of its own that other use does not: a user or "
        "revenue threshold, a registration, a fee or separate licence above a size, a "
        "territory, or a display duty triggered by commercial scale.",
    ),
    _grant(
        "modification",
        "Modification and fine-tunes",
        "May derivatives (fine-tunes, modifications) be made and shared?",
        (
            "Derivatives may be made and shared with no condition specific to them.",
            "No derivatives may be made.",
        ),
        "A condition attaches to derivatives: a naming rule, carrying the licence or its "
        "restrictions, same-licence sharing, or notice of changes.",
    ),
    _grant(
        "redistribution",
        "Redistribution",
        "May copies be given to others?",
        (
            "Copies may be given to others with no condition at all (public-domain style).",
            "Copies may not be given to others.",
        ),
        "Copies may be given to others with conditions: a licence copy, notices, flow-down of "
        "restrictions, naming.",
    ),
    ClauseSpec(
        "patent_grant",
        "Patent grant",
        "Grant",
        "Does the licence grant rights under the licensor's patents?",
        (
            Value(
                "granted",
                "Granted",
                P,
                "An express patent licence: the text names patents, or the rights to make, have "
                "made, sell, offer for sale and import.",
            ),
            Value(
                "general_ip",
                "General IP grant, patents not named",
                C,
                "A licence under the licensor's intellectual property or rights in general that "
                "never names patents; whether it reaches patents is untested.",
            ),
            Value(
                "not_granted",
                "Not granted",
                R,
                "Patents are expressly excluded from the licence or reserved.",
            ),
            _silent("The text names no rights that it licenses, patents or otherwise."),
        ),
    ),
    ClauseSpec(
        "trademark_use",
        "Trademark use",
        "Grant",
        "May the licensor's names and marks be used?",
        (
            Value("granted", "Granted", P, "Use of the licensor's marks is licensed."),
            Value(
                "limited",
                "Limited",
                C,
                "The licence prescribes one specific use of a mark (a display text, a name "
                "prefix) and licenses no other.",
            ),
            Value(
                "not_granted",
                "Not granted",
                R,
                "No trademark licence, even where the customary use to describe the origin of "
                "the work is allowed.",
            ),
            _silent("The text says nothing about trademarks."),
        ),
    ),
    _threshold(
        "user_threshold",
        "User threshold",
        "Does a right or duty change above a number of users?",
        (
            Param(
                "monthly_active_users",
                "Threshold",
                MappingProxyType({"type": "integer", "minimum": 1}),
                "The number of monthly active users above which the terms change.",
                required_for=("applies",),
                headline=True,
            ),
            _free(
                "counting",
                "How counted",
                "Whose users are counted, and when they are measured.",
                required_for=("applies",),
            ),
            _CONSEQUENCE,
            _EFFECT,
            Param(
                "measured_on",
                "Measured",
                MappingProxyType({}),
                "When the users are counted, where the text fixes one moment.",
                headline=True,
                values=(
                    Value(
                        "release_date",
                        "once, on the version's release date",
                        C,
                        "Counted once, on the release date of the version: growth after it "
                        "does not cross the threshold.",
                    ),
                ),
            ),
            Param(
                "per_product",
                "Counted per product",
                MappingProxyType({"type": "boolean"}),
                "True when the number is counted for each product or service on its own, not "
                "for the licensee and its affiliates together.",
            ),
        ),
        sticky="applies",
    ),
    _threshold(
        "revenue_threshold",
        "Revenue threshold",
        "Does a right or duty change above an amount of revenue?",
        (
            Param(
                "amount",
                "Threshold",
                MappingProxyType({"type": "integer", "minimum": 1}),
                "The amount above which the terms change, in `currency`.",
                required_for=("applies",),
                headline=True,
            ),
            Param(
                "currency",
                "Currency",
                MappingProxyType({"type": "string", "pattern": "^[A-Z]{3}$"}),
                "ISO 4217 code.",
                required_for=("applies",),
            ),
            _text(
                "period",
                "Period",
                "Over what period, and whose revenue, is measured.",
                required_for=("applies",),
            ),
            _CONSEQUENCE,
            _EFFECT,
        ),
    ),
    ClauseSpec(
        "geographic_restriction",
        "Geographic restriction",
        "Thresholds and scope",
        "Are rights withheld by where the licensee is or where the model is used?",
        (
            Value("none", "None", P, "No region is carved out."),
            Value(
                "applies",
                "Applies",
                R,
                "The licence or an incorporated document withholds rights by where the licensee "
                "is, or where the model is used, even when only some models are affected.",
            ),
            _silent(),
        ),
        (
            Param(
                "regions",
                "Regions",
                _LIST,
                "The regions, in the text's words.",
                required_for=("applies",),
                headline=True,
            ),
            _free("binds", "Binds", "Whom it binds.", required_for=("applies",)),
            _free("scope", "Scope", "What it covers, in words.", required_for=("applies",)),
            Param(
                "region_codes",
                "Region codes",
                MappingProxyType(
                    {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"type": "string", "pattern": "^([A-Z]{2}|EU|SANCTIONED)$"},
                    }
                ),
                "ISO 3166-1 alpha-2 codes, EU (every member state), or SANCTIONED "
                "(comprehensively sanctioned jurisdictions, not evaluated automatically).",
                required_for=("applies",),
            ),
            Param(
                "basis",
                "Triggered by",
                MappingProxyType({}),
                "Whether the licensee's seat or the place of use triggers it.",
                required_for=("applies",),
                headline=True,
                values=(
                    Value("domicile", "the licensee's domicile", R, "Where the licensee is."),
                    Value(
                        "location_of_use",
                        "where the model is used",
                        R,
                        "Where the model is used.",
                    ),
                ),
            ),
            Param(
                "model_scope",
                "Models",
                MappingProxyType({}),
                "Which models of the release it covers.",
                required_for=("applies",),
                headline=True,
                values=(
                    Value("all", "all models of the release", R, "Every model of the release."),
                    Value(
                        "multimodal",
                        "multimodal models only",
                        R,
                        "Only the multimodal models of the release.",
                    ),
                ),
            ),
        ),
        sticky="applies",
    ),
    _obligation(
        "attribution",
        "Attribution",
        "Must a credit, notice file or display text be shown?",
        "A credit, a notice file or a display text is required.",
        "No credit, notice or display is required.",
        params=(
            _text(
                "text",
                "Display",
                "The exact display text, where one is prescribed.",
                headline=True,
                ours=False,
            ),
            _free("where", "Where", "Where it must appear.", required_for=("required",)),
            _free(
                "when",
                "When",
                "When it is due: always, or only above a threshold.",
                required_for=("required",),
            ),
        ),
        duty=("required", "give the required credit"),
    ),
    _obligation(
        "derivative_naming",
        "Derivative naming",
        "Must derivatives follow a naming rule?",
        "Derivatives must follow a naming rule (a prefix, a mention of the original).",
        "Derivatives may be named freely.",
        params=(
            _text("rule", "Rule", "The naming rule.", required_for=("required",), headline=True),
        ),
        duty=("required", "naming rule for derivatives"),
        sticky="required",
    ),
    ClauseSpec(
        "license_copy_on_redistribution",
        "Licence copy on redistribution",
        "Obligations",
        "Must the licence, or a link to it, travel with copies?",
        (
            Value(
                "required",
                "Required",
                C,
                "The licence, or a link to it, must travel with every copy.",
            ),
            Value("not_required", "Not required", P, "Copies need not carry the licence."),
            _silent(),
        ),
        duty=("required", "ship a copy of the licence with every copy"),
    ),
    ClauseSpec(
        "use_policy",
        "Use policy",
        "Obligations",
        "Does a separate document of use rules bind the licensee?",
        (
            Value(
                "none",
                "None",
                P,
                "No separate document of use rules; a list of restrictions inside the licence "
                "is answered under use restrictions.",
            ),
            Value(
                "incorporated",
                "Incorporated",
                C,
                "A separate document of use rules binds the licensee, by reference or by "
                "acceptance.",
            ),
            _silent(),
        ),
        (
            Param(
                "url",
                "Policy",
                MappingProxyType({"$ref": "#/$defs/url"}),
                "Where the policy is published.",
                required_for=("incorporated",),
                headline=True,
            ),
            Param(
                "licensor_may_change",
                "Changeable by licensor",
                MappingProxyType({"type": "boolean"}),
                'Whether the licensor may change it: an express update right, or "the most '
                'recent version" at an address the licensor controls.',
                required_for=("incorporated",),
                headline=True,
            ),
        ),
    ),
    ClauseSpec(
        "use_restrictions",
        "Use restrictions",
        "Obligations",
        "Are named uses forbidden?",
        (
            Value(
                "none",
                "None",
                P,
                "No use is forbidden by name; a bare duty to comply with the law is not a "
                "restriction.",
            ),
            Value(
                "restricted",
                "Restricted",
                C,
                "Named uses are forbidden, including an express ban on unlawful use.",
            ),
            _silent(),
        ),
        (
            Param(
                "categories",
                "Restricted uses",
                _LIST,
                "The forbidden uses, by category.",
                required_for=("restricted",),
                headline=True,
            ),
        ),
        sticky="restricted",
    ),
    ClauseSpec(
        "restrictions_flow_down",
        "Restrictions flow down",
        "Obligations",
        "Must the use restrictions be passed on to downstream users and derivatives?",
        (
            Value(
                "required",
                "Required",
                C,
                "The licensee must pass the use restrictions on: put them in its agreements, or "
                "the licence must travel with derivatives and bind their users.",
            ),
            Value(
                "not_required",
                "Not required",
                P,
                "Derivatives may go out under other terms, without the restrictions.",
            ),
            _silent(),
        ),
        duty=("required", "pass the use restrictions on to every downstream user"),
        sticky="required",
    ),
    ClauseSpec(
        "share_alike",
        "Share-alike",
        "Obligations",
        "Must derivatives be licensed under the same licence?",
        (
            Value(
                "required",
                "Required",
                C,
                "Derivatives must be licensed under the same licence, not merely accompanied by "
                "a copy of it.",
            ),
            Value(
                "not_required",
                "Not required",
                P,
                "Derivatives may be licensed on other terms.",
            ),
            _silent(),
        ),
        duty=("required", "release derivatives under the same licence"),
        sticky="required",
    ),
    ClauseSpec(
        "outputs_to_train_other_models",
        "Outputs to train other models",
        "Outputs",
        "May the model's outputs be used to train other models?",
        (
            Value("permitted", "Permitted", P, "The text expressly allows it."),
            Value(
                "conditional",
                "Conditional",
                C,
                "The text allows it with a condition (a naming rule for the trained model).",
            ),
            Value("prohibited", "Prohibited", R, "The text forbids it."),
            _silent(),
        ),
        (
            _free(
                "condition", "Condition", "The condition, in words.", required_for=("conditional",)
            ),
        ),
    ),
    ClauseSpec(
        "output_ownership",
        "Output ownership",
        "Outputs",
        "Who owns what the model generates?",
        (
            Value(
                "licensee",
                "Licensee",
                P,
                "The licensor claims no rights in outputs, or assigns them to the licensee.",
            ),
            Value("licensor", "Licensor", R, "The licensor claims the outputs."),
            _silent(),
        ),
    ),
    ClauseSpec(
        "termination_on_litigation",
        "Termination on litigation",
        "Termination and law",
        "Does suing the licensor end the licence?",
        (
            Value(
                "applies",
                "Applies",
                C,
                "Bringing a claim (of the kind the trigger names) ends the licensee's rights.",
            ),
            Value("none", "None", P, "No litigation clause ends the licence."),
            _silent(),
        ),
        (_text("trigger", "Trigger", "What litigation triggers it.", required_for=("applies",)),),
    ),
    ClauseSpec(
        "licensor_may_update_terms",
        "Licensor may update terms",
        "Termination and law",
        "May the licensor change the terms for existing licensees?",
        (
            Value(
                "yes",
                "Yes",
                C,
                "The licensor may change the licence or an incorporated document and bind "
                "existing licensees.",
            ),
            Value("no", "No", P, "Existing licensees keep the terms they received."),
            _silent(),
        ),
    ),
    ClauseSpec(
        "governing_law",
        "Governing law",
        "Termination and law",
        "Which law governs the licence?",
        (
            Value(
                "specified",
                "Specified",
                INFO,
                "The licence names the law that governs it (and possibly the courts).",
            ),
            _silent("The licence names no governing law."),
        ),
        (
            _text(
                "jurisdiction",
                "Jurisdiction",
                "The governing law.",
                required_for=("specified",),
                headline=True,
            ),
            _text("venue", "Venue", "The courts named for disputes."),
        ),
    ),
    _standard(
        "warranty_disclaimer",
        "Warranty disclaimer",
        "Does the licensor disclaim warranties?",
        ("Disclaimed", "The materials are provided as is; warranties are disclaimed."),
        "No warranty disclaimer.",
    ),
    _standard(
        "liability_limitation",
        "Liability limitation",
        "Does the licensor limit its liability?",
        ("Limited", "The licensor's liability is excluded or limited."),
        "No limitation of liability.",
    ),
)

GROUP_NAMES = ("Grant", "Thresholds and scope", "Obligations", "Outputs", "Termination and law")

#: Groups in the order reports show them, as the clause vocabulary lists them.
GROUPS: tuple[tuple[str, tuple[ClauseSpec, ...]], ...] = tuple(
    (g, tuple(s for s in CLAUSES if s.group == g)) for g in GROUP_NAMES
)

SPECS: Mapping[str, ClauseSpec] = MappingProxyType({spec.name: spec for spec in CLAUSES})

#: Clauses whose `required` value puts a duty on whoever shares the model or builds on it,
#: with the duty in words.
DUTIES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {s.name: s.duty for s in CLAUSES if s.duty is not None}
)

#: Clause → the value whose terms a derivative cannot shed by declaring another licence.
STICKY: Mapping[str, str] = MappingProxyType(
    {s.name: s.sticky for s in CLAUSES if s.sticky is not None}
)


def rating(clause: str, value: str) -> Rating:
    """The rating of `value` for `clause`. Raises KeyError outside the vocabulary."""
    return SPECS[clause].value(value).rating


def value_label(clause: str, value: str) -> str:
    """What a reader sees for a clause value ("General IP grant, patents not named")."""
    return SPECS[clause].value(value).label


def param_label(clause: str, param: str, value: str) -> str:
    """A named parameter value in words ("no rights until the licensor grants them")."""
    spec = SPECS[clause].param(param)
    named = spec.value(value) if spec else None
    return named.label if named else value


def withholds_rights(effect: str) -> bool:
    """Whether a threshold's effect leaves the licensee without rights above it."""
    named = _EFFECT.value(effect)
    return named is None or named.rating is Rating.RESTRICTIVE


#: Threshold effects that add a duty above the threshold but withhold no right.
DUTY_ONLY_EFFECTS = frozenset(v.name for v in _EFFECT.values if not withholds_rights(v.name))
