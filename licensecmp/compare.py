"""Side-by-side tables and version diffs of licences (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from licensecmp.catalogue import Catalogue, digest_of
from licensecmp.clauses import GROUPS, SPECS, ClauseSpec, rating
from licensecmp.model import Clause, License, Rating
from licensecmp.textnorm import normalise

#: Clauses shown in the index and the thresholds strip: what a reader asks first.
KEY_CLAUSES = (
    "commercial_use",
    "user_threshold",
    "revenue_threshold",
    "geographic_restriction",
    "attribution",
    "derivative_naming",
    "use_restrictions",
    "outputs_to_train_other_models",
)
THRESHOLDS = ("user_threshold", "revenue_threshold", "geographic_restriction")


@dataclass(frozen=True, slots=True)
class Cell:
    license: License
    clause: Clause
    rating: Rating


@dataclass(frozen=True, slots=True)
class Row:
    group: str
    spec: ClauseSpec
    cells: tuple[Cell, ...]

    @property
    def differs(self) -> bool:
        return len({_signature(c.clause) for c in self.cells}) > 1


@dataclass(frozen=True, slots=True)
class Comparison:
    licenses: tuple[License, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    """How ambiguous names were resolved, for the reader."""

    @property
    def differing(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.differs)

    def groups(self) -> list[tuple[str, list[Row]]]:
        out: list[tuple[str, list[Row]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.group:
                out.append((row.group, []))
            out[-1][1].append(row)
        return out


@dataclass(frozen=True, slots=True)
class Change:
    spec: ClauseSpec
    old: Cell
    new: Cell
    added: tuple[str, ...] = ()
    """List items (use-restriction categories, regions) the new version has and the old lacks."""
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VersionDiff:
    old: License
    new: License
    changes: tuple[Change, ...]


def compare(
    licenses: Sequence[License],
    *,
    only_differences: bool = False,
    clauses: Iterable[str] | None = None,
    notes: Sequence[str] = (),
) -> Comparison:
    """One row per clause (vocabulary order), one cell per licence."""
    wanted = set(clauses) if clauses is not None else None
    rows = [
        Row(group, spec, tuple(_cell(lic, spec.name) for lic in licenses))
        for group, specs in GROUPS
        for spec in specs
        if wanted is None or spec.name in wanted
    ]
    if only_differences:
        rows = [r for r in rows if r.differs]
    return Comparison(tuple(licenses), tuple(rows), tuple(notes))


def diff(old: License, new: License) -> VersionDiff:
    """Clause by clause, what changed in the terms from `old` to `new`: the value, a structured
    parameter, or a list item added or removed (which use-restriction categories are new).

    Our own words (summaries, free text, a rule or venue as we phrase it) are not the licence:
    rewording them alone is no change. Quotes are shown beside each change but do not make
    one: they are short locators we chose, and the same unchanged sentence is often quoted by
    a different phrase in the next version.
    """
    changes = []
    for _, specs in GROUPS:
        for spec in specs:
            a, b = _cell(old, spec.name), _cell(new, spec.name)
            added, removed = _items(a.clause, b.clause)
            if _terms(a.clause) != _terms(b.clause) or added or removed:
                changes.append(Change(spec, a, b, added, removed))
    return VersionDiff(old, new, tuple(changes))


def _terms(clause: Clause) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The value and the structured parameters a version diff compares (lists apart)."""
    spec = SPECS[clause.name]
    params = []
    for key, value in clause.params.items():
        param = spec.param(key)
        if param is not None and (not param.compared or param.ours):
            continue
        if isinstance(value, tuple | list):
            continue
        params.append((key, normalise(str(value)).casefold()))
    return clause.value, tuple(sorted(params))


def _items(old: Clause, new: Clause) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """List items added and removed, over every list parameter, in the order written."""
    added: list[str] = []
    removed: list[str] = []
    for key in dict.fromkeys([*old.params, *new.params]):
        if key == "region_codes":  # the same regions as `regions`, as codes
            continue
        a = old.params.get(key, ())
        b = new.params.get(key, ())
        if not isinstance(a, tuple | list) and not isinstance(b, tuple | list):
            continue
        a_items = [str(x) for x in a] if isinstance(a, tuple | list) else []
        b_items = [str(x) for x in b] if isinstance(b, tuple | list) else []
        added += [x for x in b_items if x not in a_items]
        removed += [x for x in a_items if x not in b_items]
    return tuple(added), tuple(removed)


def histories(catalogue: Catalogue) -> list[list[License]]:
    """Every version chain with more than one licence, oldest first."""
    seen: set[str] = set()
    chains = []
    for lic in catalogue:
        if lic.id in seen:
            continue
        chain = catalogue.history(lic.id)
        seen.update(c.id for c in chain)
        if len(chain) > 1:
            chains.append(chain)
    return chains


def catalogue_digest(licenses: Iterable[License]) -> str:
    """A short, stable digest of the catalogue's content, printed in every report's footer."""
    return digest_of(licenses)


def _cell(lic: License, name: str) -> Cell:
    clause = lic.clauses[name]
    return Cell(lic, clause, rating(name, clause.value))


def _signature(clause: Clause) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The value and the structured terms; free text, which names its version, is left out."""
    spec = SPECS[clause.name]
    params = tuple(
        sorted(
            (k, str(v))
            for k, v in clause.params.items()
            if (p := spec.param(k)) is None or p.compared
        )
    )
    return clause.value, params
