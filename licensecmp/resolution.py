"""Which catalogue licences a model's card, tags and licence files declare (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from licensecmp.catalogue import Catalogue
from licensecmp.model import Finding, ModelFacts, Verdict

#: Repository files that may hold the licence text, most specific first.
LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENSE-MODEL", "COPYING")
_UNSETTLED = {"other", "unknown"}


@dataclass(frozen=True, slots=True)
class Declared:
    """What the card settles, and which repository files to read when it settles nothing."""

    declared: str | None
    licenses: tuple[str, ...]
    findings: tuple[Finding, ...]
    files_to_read: tuple[str, ...]


def from_card(facts: ModelFacts, catalogue: Catalogue) -> Declared:
    card = facts.card_license
    tag = facts.tag_licenses[0] if facts.tag_licenses else None
    declared = card or tag
    findings: list[Finding] = []
    if card and tag and card != tag:
        findings.append(
            _finding(
                facts,
                Verdict.REVIEW,
                "sources-disagree",
                f"card says license {card!r} but the Hub tag says {tag!r}",
            )
        )
    names = [n for n in (declared, facts.license_name) if n and n.lower() not in _UNSETTLED]
    if declared and declared.lower() == "other" and facts.license_name:
        declared = facts.license_name
    for name in names:
        found = catalogue.resolve(name)
        if found is None:
            continue
        if found.ambiguous_with:
            findings.append(
                _finding(
                    facts,
                    Verdict.ALLOW,
                    "ambiguous-hub-id",
                    f"{name!r} names several versions ({', '.join(found.ambiguous_with)}, "
                    f"{found.license.id}); assuming the one in force, {found.license.id}",
                    found.license.id,
                )
            )
        return Declared(declared, (found.license.id,), tuple(findings), ())
    return Declared(declared, (), tuple(findings), _license_files(facts))


def _license_files(facts: ModelFacts) -> tuple[str, ...]:
    link = facts.license_link or ""
    linked = link.removeprefix("./") if link and "://" not in link else None
    present = set(facts.files)
    wanted = [linked] if linked in present else []
    wanted += [f for f in LICENSE_FILES if f in present and f != linked]
    return tuple(wanted[:1])


def _finding(
    facts: ModelFacts, severity: Verdict, code: str, message: str, license_id: str | None = None
) -> Finding:
    return Finding(severity, code, message, license=license_id, model=facts.id)
