"""One catalogue entry (or a family of them) as JSON, for `show --format json` (pure).

A program reading it gets the values the licence files hold (`value`, `rating`, `status`) and,
beside each, the words reports print for it (`label`, `rating_word`, `status_word`), so a
script and a reader never disagree about what a value means.
"""

from __future__ import annotations

import json
from typing import Any

from licensecmp.clauses import GROUPS, RATINGS, STATUSES, rating, value_label
from licensecmp.families import FamilyMatch
from licensecmp.model import Clause, License
from licensecmp.textsafe import json_safe

FORMAT_VERSION = 1


def as_json(lic: License, note: str | None = None) -> str:
    """The entry: identity, documents, then every clause in vocabulary order with its value,
    rating, parameters, summary, evidence and notes. `note` says which version an id chose."""
    doc = {"format_version": FORMAT_VERSION, **({"note": note} if note else {}), **entry(lic)}
    return _dump(doc)


def family_json(found: FamilyMatch) -> str:
    """A family id: its versions (as in `list`) and the clause values they all share."""
    doc = {
        "format_version": FORMAT_VERSION,
        "family": {"id": found.family.id, "title": found.family.title},
        "versions": [identity(lic) for lic in found.versions],
        "common": [
            {
                "clause": a.clause,
                "value": a.value,
                "label": value_label(a.clause, a.value),
                "rating": rating(a.clause, a.value).value,
                "rating_word": RATINGS[rating(a.clause, a.value)].word,
            }
            for a in found.common
        ],
    }
    return _dump(doc)


def identity(lic: License) -> dict[str, Any]:
    return {
        "id": lic.id,
        "name": lic.name,
        "version": lic.version,
        "release_date": lic.release_date,
        "licensor": lic.licensor,
        "status": lic.status.value,
        "status_word": STATUSES[lic.status].word,
        "spdx_id": lic.spdx_id,
    }


def entry(lic: License) -> dict[str, Any]:
    return {
        **identity(lic),
        "status_meaning": STATUSES[lic.status].meaning,
        "family": lic.family,
        "kind": lic.kind.value,
        "reviewed": lic.reviewed,
        "supersedes": lic.supersedes,
        "superseded_by": lic.superseded_by,
        "hub_license_ids": list(lic.hub_license_ids),
        "hub_license_names": list(lic.hub_license_names),
        "osi_approved": lic.osi_approved,
        "notes": lic.notes,
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "role": d.role,
                "url": d.url,
                "sha256": d.sha256,
                "archive_url": d.archive_url,
            }
            for d in lic.documents
        ],
        "clauses": [
            _clause(lic.clauses[spec.name], group, spec.title)
            for group, specs in GROUPS
            for spec in specs
        ],
    }


def _clause(clause: Clause, group: str, title: str) -> dict[str, Any]:
    rated = rating(clause.name, clause.value)
    return {
        "clause": clause.name,
        "title": title,
        "group": group,
        "value": clause.value,
        "label": value_label(clause.name, clause.value),
        "rating": rated.value,
        "rating_word": RATINGS[rated].word,
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in clause.params.items()},
        "summary": clause.summary,
        "evidence": [
            {"document": e.document, "section": e.section, "quote": e.quote}
            for e in clause.evidence
        ],
        "notes": clause.notes,
    }


def _dump(doc: dict[str, Any]) -> str:
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"
