"""Which licences a model's card and tags declare, every one of them (pure).

A card may name one licence, a list, or an SPDX expression; the Hub adds a `license:` tag per
licence. Everything declared applies: list entries and tags are joined with AND, an expression's
OR is a choice the licensee may make. Nothing declared is ever dropped without a finding.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from licensecmp import families
from licensecmp.catalogue import Catalogue
from licensecmp.model import Finding, ModelFacts, Severity

if TYPE_CHECKING:
    from license_expression import Licensing  # type: ignore[import-untyped]

#: Repository files that may hold the licence text, most specific first.
LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENSE-MODEL", "COPYING")
#: Repository files that may hold a document a licence incorporates (a use policy).
POLICY_FILES = (
    "USE_POLICY.md",
    "USE_POLICY",
    "USAGE_POLICY",
    "USAGE_POLICY.md",
    "ACCEPTABLE_USE_POLICY",
    "ACCEPTABLE_USE_POLICY.md",
    "Acceptable_Use_Policy.md",
    "PROHIBITED_USE_POLICY.md",
)
UNSETTLED = frozenset({"other", "unknown"})
"""Card values that name no licence: the licence is then `license_name` or the LICENSE file."""
_EXPRESSION = re.compile(r"\s(?:AND|OR|WITH)\s|[()]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Term:
    """One licence a declaration names: the name as written, and its catalogue id if known."""

    name: str
    license: str | None


Alternative = tuple[Term, ...]
"""Licences that apply together."""


@dataclass(frozen=True, slots=True)
class Declared:
    """What a model declares: alternatives the licensee may choose between (most often one),
    each a set of licences that all apply; and which repository files to read."""

    declared: str | None
    alternatives: tuple[Alternative, ...]
    findings: tuple[Finding, ...]
    license_file: str | None
    policy_files: tuple[str, ...] = ()

    @property
    def licenses(self) -> tuple[str, ...]:
        """Catalogue ids named anywhere in the declaration, in order, once each."""
        ids = (t.license for alt in self.alternatives for t in alt if t.license)
        return tuple(dict.fromkeys(ids))

    @property
    def settled(self) -> bool:
        """True when every alternative names only catalogue licences."""
        return bool(self.alternatives) and all(t.license for alt in self.alternatives for t in alt)

    def with_terms(self, *terms: Term, replace_unknown: bool = False) -> Declared:
        """Every alternative with `terms` added (after dropping unknown terms if asked)."""
        alternatives = self.alternatives or ((),)
        joined = []
        for alt in alternatives:
            kept = tuple(t for t in alt if t.license or not replace_unknown)
            joined.append(kept + tuple(t for t in terms if t not in kept))
        return Declared(
            self.declared, tuple(joined), self.findings, self.license_file, self.policy_files
        )


#: Whose tags: the Hub's (it adds `license:` tags of its own), or, in a folder, the card's.
_TAGS = {True: "the Hub tags", False: "its tags"}


def from_card(facts: ModelFacts, catalogue: Catalogue) -> Declared:
    """Every licence the card and the Hub's tags declare, resolved against the catalogue."""
    findings: list[Finding] = []
    card = _unique(facts.card_licenses)
    tags = _unique(facts.tag_licenses)
    if card and tags and {c.lower() for c in card} != {t.lower() for t in tags}:
        findings.append(
            _finding(
                facts,
                Severity.REVIEW,
                "sources-disagree",
                f"card says license {_joined(card)!r} but {_TAGS[facts.path is None]} say "
                f"{_joined(tags)!r}; both are applied",
            )
        )
    names = _unique([*card, *tags])
    statements = [n for n in names if n.lower() not in UNSETTLED]
    if facts.license_name and (len(statements) < len(names) or not names):
        statements.append(facts.license_name)
    per_statement = [_alternatives(s, facts, catalogue, findings) for s in statements]
    alternatives = tuple(
        tuple(dict.fromkeys(t for alt in combo for t in alt))
        for combo in itertools.product(*per_statement)
    )
    if not statements:
        alternatives = ()
    declared = _joined(statements) or (_joined(names) if names else None)
    return Declared(
        declared,
        alternatives,
        tuple(findings),
        _license_file(facts),
        tuple(f for f in POLICY_FILES if f in set(facts.files)),
    )


def _alternatives(
    statement: str, facts: ModelFacts, catalogue: Catalogue, findings: list[Finding]
) -> list[Alternative]:
    """One declaration (an id or an SPDX expression) as alternatives of terms."""
    if not _EXPRESSION.search(statement):
        family = families.match(statement, catalogue)
        if family is not None:  # `gpl`, `cc`: until the card says which version, every one applies
            findings.append(families.finding(family, facts.id))
            versions = tuple(Term(statement, lic.id) for lic in family.versions)
            return [versions or (Term(statement, None),)]
        return [(_term(statement, facts, catalogue, findings),)]
    parsed = _parse(statement)
    if parsed is None:
        findings.append(
            _finding(
                facts,
                Severity.REVIEW,
                "license-expression-invalid",
                f"licence expression {statement!r} cannot be parsed; it is treated as one "
                "unknown licence",
            )
        )
        return [(Term(statement, None),)]
    alternatives = []
    for names, exceptions in parsed:
        for exception in exceptions:
            findings.append(
                _finding(
                    facts,
                    Severity.REVIEW,
                    "license-exception",
                    f"{statement!r} adds the exception {exception!r}, whose terms the "
                    "catalogue does not describe",
                )
            )
        alternatives.append(tuple(_term(n, facts, catalogue, findings) for n in names))
    if len(alternatives) > 1:
        findings.append(
            _finding(
                facts,
                Severity.INFO,
                "license-choice",
                f"{statement!r} offers a choice of licence; each choice is evaluated and the "
                "verdict is the most favourable",
            )
        )
    return alternatives


@functools.cache
def _licensing() -> Licensing:
    from license_expression import Licensing

    return Licensing()


def _parse(statement: str) -> list[tuple[list[str], list[str]]] | None:
    """The expression as alternatives (OR of ANDs), in the order written: per alternative,
    licence keys and exceptions. None when it does not parse."""
    from license_expression import ExpressionError

    licensing = _licensing()
    try:
        expression: Any = licensing.parse(statement, validate=False)
    except (ExpressionError, TypeError, ValueError):
        return None
    return None if expression is None else _normal_form(expression, licensing)


def _normal_form(node: Any, licensing: Any) -> list[tuple[list[str], list[str]]]:
    # licensing.dnf() would sort the licences: the order written decides ties between choices.
    from license_expression import LicenseWithExceptionSymbol

    if isinstance(node, licensing.OR):
        return [alt for arg in node.args for alt in _normal_form(arg, licensing)]
    if isinstance(node, licensing.AND):
        out: list[tuple[list[str], list[str]]] = [([], [])]
        for arg in node.args:
            out = [
                (names + more, exceptions + extra)
                for names, exceptions in out
                for more, extra in _normal_form(arg, licensing)
            ]
        return out
    if isinstance(node, LicenseWithExceptionSymbol):
        return [([str(node.license_symbol.key)], [str(node.exception_symbol.key)])]
    return [([str(node.key)], [])]


def _term(name: str, facts: ModelFacts, catalogue: Catalogue, findings: list[Finding]) -> Term:
    found = catalogue.resolve(name)
    if found is None:
        return Term(name, None)
    if found.ambiguous_with:
        findings.append(
            _finding(
                facts,
                Severity.INFO,
                "ambiguous-hub-id",
                f"{name!r} names several versions ({', '.join(found.ambiguous_with)}, "
                f"{found.license.id}); assuming the one in force, {found.license.id}",
                found.license.id,
            )
        )
    return Term(name, found.license.id)


def _license_file(facts: ModelFacts) -> str | None:
    link = facts.license_link or ""
    linked = link.removeprefix("./") if link and "://" not in link else None
    present = set(facts.files)
    if linked in present:
        return linked
    return next((f for f in LICENSE_FILES if f in present), None)


def _unique(names: Iterable[str]) -> list[str]:
    """Names once each, case-insensitively, in the order given."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.strip().lower(), name.strip())
    return [n for n in seen.values() if n]


def _joined(names: Iterable[str]) -> str:
    return " AND ".join(names)


def _finding(
    facts: ModelFacts, severity: Severity, code: str, message: str, license_id: str | None = None
) -> Finding:
    return Finding(severity, code, message, license=license_id, model=facts.id)
