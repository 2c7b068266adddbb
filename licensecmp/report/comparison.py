"""Render comparisons and version diffs as terminal text (80 columns) or JSON."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from licensecmp.clauses import RATINGS
from licensecmp.compare import Cell, Comparison, VersionDiff
from licensecmp.model import Rating
from licensecmp.report.wording import rated, terms
from licensecmp.textsafe import json_safe, visible

FORMAT_VERSION = 1
WIDTH = 80
#: Terminal colours per rating; icons, words and meanings come from the vocabulary, the same
#: as every other format shows them.
_COLOUR = {
    Rating.PERMISSIVE: "32",
    Rating.CONDITIONAL: "33",
    Rating.RESTRICTIVE: "31",
    Rating.INFORMATIONAL: "36",
    Rating.NOT_ADDRESSED: "90",
}


def text(c: Comparison, *, color: bool = False) -> str:
    """Clause by clause, one line per licence: fits 80 columns whatever the number of licences."""
    width = max(len(visible(lic.id)) for lic in c.licenses)
    out = [_rule("licensecmp comparison: " + ", ".join(lic.id for lic in c.licenses))]
    out += [visible(f"  note: {n}") for n in c.notes]
    out += _legend()
    differing = {r.spec.name for r in c.differing}
    for group, rows in c.groups():
        out += ["", group.upper()]
        for row in rows:
            flag = "  (differs)" if row.spec.name in differing and len(c.licenses) > 1 else ""
            out.append(f"  {row.spec.title}{flag}")
            for cell in row.cells:
                out += _cell_lines(cell, width, color)
    out += ["", "Not legal advice: read the licence texts behind every quote."]
    return "\n".join(out) + "\n"


def _legend() -> list[str]:
    """The ratings' marks and words, wrapped between entries to fit the width."""
    entries = [f"{w.icon} {w.word}" for w in RATINGS.values()]
    lines = ["  legend: " + entries[0]]
    for entry in entries[1:]:
        if len(lines[-1]) + 2 + len(entry) > WIDTH:
            lines.append(" " * 10 + entry)
        else:
            lines[-1] += "  " + entry
    return lines


def diff_text(d: VersionDiff, *, color: bool = False) -> str:
    out = [_rule(f"what changed from {d.old.id} to {d.new.id}")]
    if not d.changes:
        out.append("  no clause changed its value, its terms or its list items")
    width = max(len(visible(d.old.id)), len(visible(d.new.id)))
    for change in d.changes:
        out += ["", f"  {change.spec.title}"]
        for sign, items in (("new", change.added), ("gone", change.removed)):
            if items:
                out += textwrap.wrap(
                    visible(
                        f"{sign} in {d.new.id if sign == 'new' else d.old.id}: {', '.join(items)}"
                    ),
                    WIDTH,
                    initial_indent="    ",
                    subsequent_indent="      ",
                )
        for cell in (change.old, change.new):
            out += _cell_lines(cell, width, color, quotes=True)
    return "\n".join(out) + "\n"


def _cell_lines(cell: Cell, width: int, color: bool, quotes: bool = False) -> list[str]:
    """The lines of one cell, made safe here (the colour codes are ours, added after)."""
    code = _COLOUR[cell.rating]
    shown = visible(rated(cell.clause.name, cell.clause.value))
    params = visible("; ".join(f"{f.label.lower()}: {f.text}" for f in terms(cell.clause).headline))
    lead = f"    {visible(cell.license.id).ljust(width)}  "
    head = lead + shown
    if color:
        head = f"{lead}\x1b[{code}m{shown}\x1b[0m"
    fits = len(lead + shown) + len(params) < WIDTH - 2
    lines = [head + (f"  {params}" if params and fits else "")]
    if params and not fits:
        lines += textwrap.wrap(
            params, WIDTH, initial_indent=" " * (width + 8), subsequent_indent=" " * (width + 8)
        )
    if quotes:
        for ev in cell.clause.evidence[:1]:
            lines += textwrap.wrap(
                visible(f'§ {ev.section}: "{ev.quote}"'),
                WIDTH,
                initial_indent=" " * (width + 8),
                subsequent_indent=" " * (width + 10),
            )
    return lines


def _rule(title: str) -> str:
    return textwrap.shorten(visible(title), WIDTH, placeholder="…")


def as_json(c: Comparison) -> str:
    doc = {
        "format_version": FORMAT_VERSION,
        "licenses": [_identity(lic) for lic in (cell.license for cell in c.rows[0].cells)]
        if c.rows
        else [_identity(lic) for lic in c.licenses],
        "notes": list(c.notes),
        "rows": [
            {
                "group": r.group,
                "clause": r.spec.name,
                "title": r.spec.title,
                "differs": r.differs,
                "cells": [_cell(cell) for cell in r.cells],
            }
            for r in c.rows
        ],
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def diff_json(d: VersionDiff) -> str:
    doc = {
        "format_version": FORMAT_VERSION,
        "old": _identity(d.old),
        "new": _identity(d.new),
        "changes": [
            {
                "clause": ch.spec.name,
                "added": list(ch.added),
                "removed": list(ch.removed),
                "old": _cell(ch.old),
                "new": _cell(ch.new),
            }
            for ch in d.changes
        ],
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _identity(lic: Any) -> dict[str, Any]:
    return {
        "id": lic.id,
        "name": lic.name,
        "version": lic.version,
        "release_date": lic.release_date,
        "licensor": lic.licensor,
        "status": lic.status.value,
        "spdx_id": lic.spdx_id,
    }


def _cell(cell: Cell) -> dict[str, Any]:
    clause = cell.clause
    return {
        "license": cell.license.id,
        "value": clause.value,
        "rating": cell.rating.value,
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in clause.params.items()},
        "summary": clause.summary,
        "evidence": [
            {
                "section": e.section,
                "quote": e.quote,
                "document": (d.title if (d := cell.license.document(e.document)) else e.document),
                "url": d.url if d else None,
            }
            for e in clause.evidence
        ],
        "notes": clause.notes,
    }
