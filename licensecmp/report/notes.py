"""Evidence as numbered endnotes, for paper: each quote once, numbered in reading order (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from licensecmp.model import License
from licensecmp.report.wording import Quote, quotes


@dataclass(frozen=True, slots=True)
class Note:
    """One quote of one licence, with every clause that rests on it."""

    number: int
    license: License
    clauses: tuple[str, ...]
    quote: Quote


@dataclass(frozen=True, slots=True)
class Endnotes:
    notes: tuple[Note, ...]

    def of(self, license_id: str, clause: str) -> list[int]:
        """The numbers of one clause's quotes in one licence."""
        return [n.number for n in self.notes if n.license.id == license_id and clause in n.clauses]

    def by_license(self) -> list[tuple[License, list[Note]]]:
        """The notes under one heading per licence, in order."""
        out: list[tuple[License, list[Note]]] = []
        for note in self.notes:
            if not out or out[-1][0].id != note.license.id:
                out.append((note.license, []))
            out[-1][1].append(note)
        return out


def endnotes(licenses: Iterable[License], clauses: Iterable[str]) -> Endnotes:
    """Licence by licence, clause by clause: a licence's evidence reads together, and a quote
    that backs several clauses is one note."""
    names = list(clauses)
    out: list[Note] = []
    for lic in licenses:
        seen: dict[Quote, int] = {}
        for name in names:
            for q in quotes(lic, lic.clauses[name]):
                if q in seen:
                    i = seen[q]
                    note = out[i]
                    if name not in note.clauses:
                        out[i] = Note(note.number, lic, (*note.clauses, name), q)
                    continue
                seen[q] = len(out)
                out.append(Note(len(out) + 1, lic, (name,), q))
    return Endnotes(tuple(out))
