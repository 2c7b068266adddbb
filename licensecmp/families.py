"""Hub licence ids that name a family of licences rather than one version (pure).

The Hub lets a card say `license: gpl` or `license: cc`. No single text stands behind such an id,
so it resolves to every version the family has, and to the terms those versions all share: a
reader learns that any GPL requires share-alike even though the card never said which GPL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from licensecmp.catalogue import Catalogue
from licensecmp.clauses import GROUPS, SPECS, rating, value_label
from licensecmp.model import Finding, License, Rating, Severity

FINDING_CODE = "license-family"
#: Standard terms every licence has; they say nothing about what a family lets a licensee do.
_LAW = frozenset(
    spec.name for group, specs in GROUPS if group == "Termination and law" for spec in specs
)
#: The first question procurement asks: shown whenever the versions agree on it.
_ALWAYS = frozenset({"commercial_use"})
_BINDING = frozenset({Rating.CONDITIONAL, Rating.RESTRICTIVE})


@dataclass(frozen=True, slots=True)
class Family:
    """A Hub family id, its title, and the catalogue ids of its versions, oldest first."""

    id: str
    title: str
    versions: tuple[str, ...]


FAMILIES: dict[str, Family] = {
    f.id: f
    for f in (
        Family("bsd", "BSD licences", ("bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear")),
        Family(
            "cc",
            "Creative Commons licences",
            (
                "cc-by-2.0",
                "cc-by-2.5",
                "cc-by-3.0",
                "cc-by-4.0",
                "cc-by-sa-3.0",
                "cc-by-sa-4.0",
                "cc-by-nc-2.0",
                "cc-by-nc-3.0",
                "cc-by-nc-4.0",
                "cc-by-nd-4.0",
                "cc-by-nc-nd-3.0",
                "cc-by-nc-nd-4.0",
                "cc-by-nc-sa-2.0",
                "cc-by-nc-sa-3.0",
                "cc-by-nc-sa-4.0",
                "cc0-1.0",
            ),
        ),
        Family("gpl", "GNU General Public License", ("gpl-2.0", "gpl-3.0")),
        Family("lgpl", "GNU Lesser General Public License", ("lgpl-2.1", "lgpl-3.0")),
        Family(
            "openrail",
            "Open RAIL licences",
            (
                "bigscience-openrail-m",
                "creativeml-openrail-m",
                "bigcode-openrail-m",
                "creativeml-openrail-pp-m",
            ),
        ),
        Family("gfdl", "GNU Free Documentation License", ("gfdl-1.1", "gfdl-1.2", "gfdl-1.3")),
        Family("odc-by", "Open Data Commons Attribution License", ("odc-by-1.0",)),
        Family("odbl", "Open Database License", ("odbl-1.0",)),
    )
}


@dataclass(frozen=True, slots=True)
class Agreement:
    """A clause on which every version of a family gives the same answer."""

    clause: str
    value: str


@dataclass(frozen=True, slots=True)
class FamilyMatch:
    """What a family id resolves to in one catalogue."""

    family: Family
    versions: tuple[License, ...]
    """The family's versions this catalogue holds, in the family's order."""
    common: tuple[Agreement, ...]
    """Clauses, in vocabulary order, on which all those versions agree."""

    @property
    def key_terms(self) -> tuple[Agreement, ...]:
        """The shared terms a licensee must plan for: commercial use, and every agreed duty or
        restriction (the standard law, warranty and liability terms left out)."""
        return tuple(
            a
            for a in self.common
            if a.clause not in _LAW
            and (a.clause in _ALWAYS or rating(a.clause, a.value) in _BINDING)
        )


def match(name: str, catalogue: Catalogue) -> FamilyMatch | None:
    """The family a Hub id names (case-insensitive), or None when it names no family."""
    family = FAMILIES.get(name.strip().lower())
    if family is None:
        return None
    versions = tuple(lic for i in family.versions if (lic := catalogue.get(i)) is not None)
    return FamilyMatch(family, versions, common_terms(versions))


def common_terms(licenses: Sequence[License]) -> tuple[Agreement, ...]:
    """Clauses whose value is the same in every licence given; none for an empty family."""
    if not licenses:
        return ()
    out = []
    for name in SPECS:
        values = {lic.clauses[name].value for lic in licenses}
        if len(values) == 1:
            out.append(Agreement(name, values.pop()))
    return tuple(out)


def describe(found: FamilyMatch) -> str:
    """One line for a reader: which versions the id could mean, and what they share."""
    head = f"the card names a licence family, not a version: {found.family.id!r}"
    if not found.versions:
        return f"{head} ({found.family.title}) has no version in the catalogue"
    ids = _or(lic.id for lic in found.versions)
    terms = found.key_terms
    if len(found.versions) == 1:
        return f"{head} could mean {ids}, the only version in the catalogue"
    if not terms:
        return f"{head} could mean {ids}; they share no duty or restriction"
    shared = "; ".join(f"{SPECS[a.clause].title}: {value_label(a.clause, a.value)}" for a in terms)
    return f"{head} could mean {ids}; in every one of them, {shared}"


def finding(found: FamilyMatch, model: str) -> Finding:
    """A review finding: until the version is known, its exact terms are not."""
    return Finding(Severity.REVIEW, FINDING_CODE, describe(found), model=model)


def _or(ids: Iterable[str]) -> str:
    items = list(ids)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
