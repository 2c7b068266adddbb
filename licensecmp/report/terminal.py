"""Render the catalogue for a terminal: the `list` table and one licence's clauses (`show`)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from licensecmp.catalogue import Identity
from licensecmp.clauses import GROUPS, SPECS, STATUSES
from licensecmp.families import FamilyMatch
from licensecmp.model import License
from licensecmp.report.wording import rated, terms
from licensecmp.textsafe import visible

WIDTH = 80


def table(licenses: Iterable[License | Identity]) -> str:
    """The `list` table; a user catalogue's fields have control and bidi characters shown."""
    return visible(_table(licenses))


def show(lic: License) -> str:
    """One licence's clauses and evidence (`show`), made safe as `table` is."""
    return visible(_show(lic))


def _table(licenses: Iterable[License | Identity]) -> str:
    """Id in full (it is what a user types next), then version, status and the name, cut to
    fit WIDTH; the licensor is on `show`."""
    rows = [("ID", "VERSION", "STATUS", "NAME")]
    rows += [(lic.id, lic.version, STATUSES[lic.status].word.lower(), lic.name) for lic in licenses]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    widths[1] = min(widths[1], 11)
    widths.append(max(WIDTH - sum(widths) - 6, 12))
    return "".join(
        "  ".join(_cut(cell, w).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        + "\n"
        for row in rows
    )


def family(found: FamilyMatch) -> str:
    """`show` for a family id: its versions, and the clauses on which they all agree."""
    return visible(_family(found))


def _family(found: FamilyMatch) -> str:
    fam = found.family
    out = [
        f"{fam.title} (family id {fam.id!r})",
        "names no single licence: it may mean any version",
    ]
    if not found.versions:
        return "\n".join([*out, "", "the catalogue holds none of its versions"]) + "\n"
    out += ["", *_table(found.versions).splitlines()]
    if len(found.versions) > 1:
        out += ["", "ALL VERSIONS AGREE ON"]
        out += [f"  {SPECS[a.clause].title}: {rated(a.clause, a.value)}" for a in found.common]
    out += ["", f"licensecmp show {found.versions[-1].id}: one version's clauses and evidence"]
    return "\n".join(out) + "\n"


def _show(lic: License) -> str:
    out = _wrap(f"{lic.name} (version {lic.version}, {lic.release_date})", 0)
    out.append(f"id: {lic.id}")
    status = STATUSES[lic.status].word.lower()
    out += _wrap(f"licensor: {lic.licensor}", 0)
    out += _wrap(f"status: {status}  spdx: {lic.spdx_id}", 0)
    if lic.reviewed:
        out.append(f"reviewed against its text: {lic.reviewed}")
    if lic.supersedes or lic.superseded_by:
        out.append(
            f"supersedes: {lic.supersedes or '-'}  superseded by: {lic.superseded_by or '-'}"
        )
    if lic.hub_license_ids or lic.hub_license_names:
        out += _wrap(
            "hub: " + ", ".join(dict.fromkeys([*lic.hub_license_ids, *lic.hub_license_names])), 0
        )
    for d in lic.documents:
        out += _wrap(f"text: {d.title} <{d.url}>", 0)
    for group, specs in GROUPS:
        out += ["", group.upper()]
        for spec in specs:
            clause = lic.clauses[spec.name]
            out.append(f"  {spec.title}: {rated(spec.name, clause.value)}")
            facts = terms(clause)
            for fact in (*facts.headline, *facts.details):
                out += _wrap(f"{fact.label.lower()}: {fact.text}", 6)
            out += _wrap(clause.summary, 6)
            for ev in clause.evidence:
                found = lic.document(ev.document)
                title = found.title if found else ev.document
                doc = "" if ev.document == "license" else f" [{title}]"
                out += _wrap(f'§ {ev.section}{doc}: "{ev.quote}"', 6)
            if clause.notes:
                out += _wrap(f"note: {clause.notes}", 6)
    return "\n".join(out) + "\n"


def _wrap(text: str, indent: int) -> list[str]:
    # Ids and URLs are never broken at a hyphen; only a word longer than a line is cut.
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + 2),
        break_on_hyphens=False,
    )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
