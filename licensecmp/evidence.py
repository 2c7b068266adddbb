"""Check that every evidence quote is really in the document it cites (pure)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from licensecmp.model import License
from licensecmp.textnorm import normalise


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    path: tuple[str | int, ...]
    document: str
    quote: str
    found: bool | None
    """None when the document's text is not available."""


def check_quotes(lic: License, texts: Mapping[str, str | None]) -> Iterator[QuoteCheck]:
    """One result per quote; `texts` maps document id to its normalised text, or None."""
    for name, clause in lic.clauses.items():
        for i, ev in enumerate(clause.evidence):
            text = texts.get(ev.document)
            found = None if text is None else normalise(ev.quote) in text
            yield QuoteCheck(
                ("clauses", name, "evidence", i, "quote"), ev.document, ev.quote, found
            )
