"""Checks the schema cannot make, on one licence's data and across a catalogue (pure)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from licensecmp.catalogue import Identity
from licensecmp.textnorm import word_count

MAX_QUOTE_WORDS = 25
"""A quote locates a passage; longer ones start copying the licence."""

Path = tuple[str | int, ...]
Located = tuple[Path, str]


def check_data(data: Mapping[str, Any], stem: str) -> Iterator[Located]:
    """Problems in one licence document, each with its JSON path.

    Also run on a document the schema refused, so one run reports every problem: a part of the
    wrong shape is skipped here (the schema has said what is wrong with it)."""
    if isinstance(data.get("id"), str) and data["id"] != stem:
        yield ("id",), f"id {data['id']!r} does not match the file name {stem!r}"
    for key in ("release_date", "reviewed"):
        if not isinstance(data.get(key), str):
            continue
        try:
            datetime.date.fromisoformat(data[key])
        except ValueError:
            yield (key,), f"{data[key]!r} is not a real date"
    documents = data.get("documents")
    documents = documents if isinstance(documents, list) else []
    doc_ids = [d.get("id") if isinstance(d, dict) else None for d in documents]
    for i, doc_id in enumerate(doc_ids):
        if isinstance(doc_id, str) and doc_id in doc_ids[:i]:
            yield ("documents", i, "id"), f"document id {doc_id!r} is used twice"
    if documents and "license" not in doc_ids:
        yield ("documents",), "no document has id 'license' (the main text)"
    for name, i, ev in _evidence(data):
        doc = ev.get("document", "license")
        if isinstance(doc, str) and documents and doc not in doc_ids:
            yield ("clauses", name, "evidence", i, "document"), f"unknown document {doc!r}"
        quote = ev.get("quote")
        words = word_count(quote) if isinstance(quote, str) else 0
        if words > MAX_QUOTE_WORDS:
            yield (
                ("clauses", name, "evidence", i, "quote"),
                f"quote has {words} words; keep locators to {MAX_QUOTE_WORDS} at most",
            )


def _evidence(data: Mapping[str, Any]) -> Iterator[tuple[str, int, Mapping[str, Any]]]:
    """Every evidence entry of the mapping shape, whatever else is wrong in the document."""
    clauses = data.get("clauses")
    if not isinstance(clauses, dict):
        return
    for name, clause in clauses.items():
        evidence = clause.get("evidence", ()) if isinstance(clause, dict) else ()
        for i, ev in enumerate(evidence if isinstance(evidence, list) else ()):
            if isinstance(ev, dict):
                yield str(name), i, ev


def quotes(data: Mapping[str, Any]) -> Iterator[tuple[Path, str, str]]:
    """(JSON path, document id, quote) of every evidence quote that has the expected shape."""
    for name, i, ev in _evidence(data):
        doc, quote = ev.get("document", "license"), ev.get("quote")
        if isinstance(doc, str) and isinstance(quote, str):
            yield ("clauses", name, "evidence", i, "quote"), doc, quote


def check_catalogue(licenses: Sequence[Identity]) -> Iterator[tuple[str, Path, str]]:
    """Cross-file problems as (licence id, JSON path, message), from identities alone."""
    by_id: dict[str, Identity] = {}
    for lic in licenses:
        if lic.id in by_id:
            yield lic.id, ("id",), f"id {lic.id!r} is used by another file too"
        by_id[lic.id] = lic
    yield from _unique(licenses, "spdx_id", lambda lic: (lic.spdx_id,))
    yield from _unique(licenses, "hub_license_ids", lambda lic: lic.hub_license_ids, by_id)
    yield from _unique(licenses, "hub_license_names", lambda lic: lic.hub_license_names, by_id)
    for lic in licenses:
        yield from _chain(lic, by_id)


def _unique(
    licenses: Sequence[Identity],
    field: str,
    values: Any,
    by_id: Mapping[str, Identity] | None = None,
) -> Iterator[tuple[str, Path, str]]:
    owners: dict[str, list[Identity]] = defaultdict(list)
    for lic in licenses:
        for value in values(lic):
            if value:  # a field a refused file lacks is no claim
                owners[value.lower()].append(lic)
    for value, group in sorted(owners.items()):
        if len(group) < 2:
            continue
        # Versions of one licence may share a Hub id (the Hub's `gemma` covers every Gemma ToU).
        if by_id is not None and _one_version_chain(group, by_id):
            continue
        for lic in group[1:]:
            others = ", ".join(o.id for o in group if o is not lic)
            yield lic.id, (field,), f"{field} value {value!r} is also claimed by {others}"


def _one_version_chain(group: Sequence[Identity], by_id: Mapping[str, Identity]) -> bool:
    ids = {lic.id for lic in group}
    linked = {lic.id for lic in group if lic.supersedes in ids or lic.superseded_by in ids}
    return len({lic.family for lic in group}) == 1 and linked == ids


def _chain(lic: Identity, by_id: Mapping[str, Identity]) -> Iterator[tuple[str, Path, str]]:
    for field, back in (("supersedes", "superseded_by"), ("superseded_by", "supersedes")):
        target = getattr(lic, field)
        if target is None:
            continue
        other = by_id.get(target)
        if other is None:
            yield lic.id, (field,), f"{field} names {target!r}, which is not in the catalogue"
        elif getattr(other, back) != lic.id:
            yield (
                lic.id,
                (field,),
                (f"{field} names {target!r}, but {target!r} has {back}: {getattr(other, back)!r}"),
            )
    if lic.status in ("superseded", "replaced") and lic.superseded_by is None:
        yield lic.id, ("status",), f"status is {lic.status} but superseded_by is null"
    if lic.status == "in_force" and lic.superseded_by is not None:
        yield lic.id, ("status",), f"status is in_force but superseded_by is {lic.superseded_by!r}"
