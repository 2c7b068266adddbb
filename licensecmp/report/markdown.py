"""Render comparisons, licences, histories, the index and check results as GitHub Markdown.

The words themselves come from report/wording.py, so HTML and Markdown say exactly the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from licensecmp.catalogue import Catalogue
from licensecmp.clauses import SPECS
from licensecmp.compare import KEY_CLAUSES, THRESHOLDS, Cell, Comparison, VersionDiff, compare
from licensecmp.hubusage import HubUsage
from licensecmp.model import (
    CheckResult,
    Document,
    Finding,
    License,
    Obligation,
    Policy,
    Status,
)
from licensecmp.report import overview
from licensecmp.report.meta import Meta
from licensecmp.report.summary import Line, Summary, summarise
from licensecmp.report.wording import (
    NOT_ADVICE,
    RATINGS,
    SEVERITIES,
    STATUSES,
    UNDECIDED,
    VERDICTS,
    by_kind,
    changed_labels,
    column_titles,
    findings_in_order,
    glossary,
    hub_caption,
    hub_summary,
    key_licenses,
    number,
    quotes,
    rated,
    relative_path,
    safe_url,
    status_meaning,
    terms,
    value_label,
    words,
)
from licensecmp.textsafe import visible

_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"} | {"<": "&lt;", ">": "&gt;"})


def md(text: object) -> str:
    """Text that stays text in a table cell: one line, no emphasis, no HTML, no link."""
    return " ".join(str(text).split()).translate(_INLINE)


def link(text: object, url: object) -> str:
    """A Markdown link for an http(s) address; otherwise the text alone."""
    href = safe_url(url)
    if href is None:
        return md(text)
    for c, code in (("(", "%28"), (")", "%29"), ("|", "%7C"), ("<", "%3C"), (">", "%3E")):
        href = href.replace(c, code)
    return f"[{md(text)}]({href})"


def comparison(c: Comparison, meta: Meta) -> str:
    """The side-by-side comparison: licences, where they differ, thresholds, every clause."""
    titles = [md(t) for t in column_titles(c.licenses)]
    out = _head("Licence comparison", " · ".join(titles))
    out += [f"- {md(note)}" for note in c.notes] + ([""] if c.notes else [])
    out += ["## The answer first", ""]
    for title, lic in zip(titles, c.licenses, strict=True):
        out += _answer(summarise(lic), title)
    out += _legend()
    out += ["## Licences compared", "", *_licenses_table(c.licenses)]
    out += ["## Where they differ", ""]
    out += [f"{len(c.differing)} of the {len(c.rows)} clauses shown differ between these licences."]
    same = [
        f"{r.spec.title} ({value_label(r.spec.name, r.cells[0].clause.value).lower()})"
        for r in c.rows
        if not r.differs
    ]
    out += [f"The same in every licence: {md(', '.join(same))}." if same else "", ""]
    if c.differing:
        out += _table(
            ["Clause", *titles], [[md(r.spec.title), *map(_verdict, r.cells)] for r in c.differing]
        )
    thresholds = [r for r in c.rows if r.spec.name in THRESHOLDS]
    if thresholds:
        out += ["## Thresholds at a glance", ""]
        out += _table(
            ["Threshold", *titles], [[md(r.spec.title), *map(_cell, r.cells)] for r in thresholds]
        )
    out += ["## Clause by clause", ""]
    for group, rows in c.groups():
        out += [f"### {md(group)}", ""]
        out += _table(["Clause", *titles], [[md(r.spec.title), *map(_cell, r.cells)] for r in rows])
    out += _terms_and_evidence(c, titles)
    return _page(out + _glossary(r.spec.name for r in c.rows), meta)


def _answer(s: Summary, title: str | None = None) -> list[str]:
    """The answer first, the same questions for every licence; each line names its clause."""
    asof = f" (as of {s.license.reviewed})" if s.license.reviewed else ""
    out = [f"### {title}{asof}" if title else f"## The answer first{asof}", ""]
    if s.license.status is not Status.IN_FORCE:
        newer = f" (newer: {s.license.superseded_by})" if s.license.superseded_by else ""
        out += [f"*{md(status_meaning(s.license.status) + newer)}.*", ""]
    out += [f"**May we use it commercially?** {md(s.answer)}", ""]
    out += [_answer_line(x) for x in s.commercial] + [""]
    for question, lines, none in (
        ("What must we do?", s.must, "Nothing the licence requires by name."),
        ("What may we not do?", s.may_not, "Nothing the licence forbids by name."),
        ("Who can change the terms, which law?", s.terms, ""),
    ):
        out += [f"**{question}**", ""]
        out += [_answer_line(x) for x in lines] if lines else [none]
        out.append("")
    return out


def _answer_line(x: Line) -> str:
    cite = f" (§ {md(' · '.join(x.sections))})" if x.sections else ""
    detail = f" — {link(x.detail, x.detail)}" if x.detail else ""
    return f"- {md(x.text)}{detail} [{md(SPECS[x.clause].title)}]{cite}"


def _document(d: Document, lic: License) -> str:
    """An official text: link, role, when it was read, the digest of the text read."""
    extra = [f"read {lic.reviewed}"] if lic.reviewed else []
    extra += [f"sha256 `{d.sha256}`"] if d.sha256 else []
    extra += [link("archived copy", d.archive_url)] if d.archive_url else []
    return (
        f"{link(d.title, d.url)} ({md(words(d.role))}){' · ' + ' · '.join(extra) if extra else ''}"
    )


def _terms_and_evidence(c: Comparison, titles: Sequence[str]) -> list[str]:
    """Per clause and licence, everything a cell holds: verdict, terms, summary, quotes."""
    out = ["## Terms and evidence", ""]
    for row in c.rows:
        out += [f"### {md(row.spec.title)}", ""]
        for title, cell in zip(titles, row.cells, strict=True):
            t = terms(cell.clause)
            out.append(f"- **{title}**: {_verdict(cell)}. {md(cell.clause.summary)}")
            out += [f"  - {md(f.label)}: {link(f.text, f.url)}" for f in (*t.headline, *t.details)]
            out += [f"  - {q}" for q in _quotes(cell)]
            out += [f"  - Note: {md(cell.clause.notes)}"] if cell.clause.notes else []
        out.append("")
    return out


def license_page(
    lic: License, meta: Meta, history: VersionDiff | None = None, hub: HubUsage | None = None
) -> str:
    """One licence: identity, official texts, changes from its predecessor, its use on the Hub,
    every clause."""
    out = _head(lic.name, f"Licence {md(lic.id)} · {STATUSES[lic.status]}")
    out += _answer(summarise(lic))
    out += _table(["", ""], _identity(lic))
    out += ["## Official texts", ""]
    out += [f"- {_document(d, lic)}" for d in lic.documents]
    out += ["", f"Note: {md(lic.notes)}", ""] if lic.notes else [""]
    if history is not None:
        out += [f"## Changes from {md(history.old.name)}", "", *_changes(history)]
    out += _hub_section(lic, hub)
    out += ["## Clauses", "", *_legend()]
    for group, rows in compare([lic]).groups():
        out += [f"### {md(group)}", ""]
        out += _table(
            ["Clause", "Verdict and terms", "Summary", "Evidence"],
            [
                [
                    md(r.spec.title),
                    _cell(r.cells[0], True),
                    _summary(r.cells[0]),
                    "<br>".join(_quotes(r.cells[0])),
                ]
                for r in rows
            ],
        )
    return _page(out + _glossary(lic.clauses), meta)


def history(chain: list[License], diffs: list[VersionDiff], meta: Meta) -> str:
    """A version chain, oldest first: every clause across versions, then each step's changes."""
    family = chain[0].family if chain else ""
    out = _head(f"Version history: {family}", " → ".join(md(x.name) for x in chain))
    out += ["## Versions", "", *_licenses_table(chain)]
    changed = {(d.new.id, ch.spec.name) for d in diffs for ch in d.changes}
    out += ["## Every clause across versions", "", "Δ: differs from the version before it.", ""]
    out += _table(
        ["Clause", *(md(t) for t in column_titles(chain))],
        [
            [md(r.spec.title)]
            + [
                _verdict(x) + (" Δ" if (x.license.id, r.spec.name) in changed else "")
                for x in r.cells
            ]
            for r in compare(chain).rows
        ],
    )
    for d in diffs:
        out += [f"## {md(d.old.name)} → {md(d.new.name)}", "", *_changes(d)]
    return _page(out, meta)


def index(
    c: Comparison,
    meta: Meta,
    pages: Mapping[str, str],
    histories: Mapping[str, str] | None = None,
    comparison_href: str | None = None,
    hub: HubUsage | None = None,
) -> str:
    """Every licence of `c` by its key clauses and its Hub use; see html.index for the links."""
    lede = f"{len(c.licenses)} licences"
    if comparison_href:
        lede += f" · [the flagship comparison]({relative_path(comparison_href)})"
    out = _head("Licence catalogue", lede)
    keys = [r for r in c.rows if r.spec.name in KEY_CLAUSES]
    groups = by_kind(c.licenses)
    out += [_hub_caption(hub), ""]
    out += ["By kind: " + " · ".join(f"{g.title} ({len(g.rows)})" for g in groups), ""]
    head = [
        "Licence",
        "Released",
        "Status",
        "Commercial use?",
        *(md(r.spec.title) for r in keys),
        *(["On the Hub"] if hub is not None else []),
    ]
    for group in groups:
        rows = []
        for i in group.rows:
            lic = c.licenses[i]
            page, older = pages.get(lic.id), (histories or {}).get(lic.id)
            name = f"[{md(lic.name)}]({relative_path(page)})" if page else md(lic.name)
            name += f" ({md(lic.id)}" + (f", [versions]({relative_path(older)}))" if older else ")")
            rows.append(
                [name, md(lic.release_date), md(STATUSES[lic.status]), md(summarise(lic).answer)]
                + [
                    _numbered(r.cells[i]) if r.spec.name in THRESHOLDS else _verdict(r.cells[i])
                    for r in keys
                ]
                + ([_hub_cell(hub, lic.id)] if hub is not None else [])
            )
        out += [f"## {group.title}", ""]
        out += _table(head, rows)
    return _page(out, meta)


def _numbered(cell: Cell) -> str:
    """A threshold's verdict with its numbers, regions and the models it reaches."""
    facts = "; ".join(f"{f.label.lower()} {f.text}" for f in terms(cell.clause).headline)
    return _verdict(cell) + (f"<br>{md(facts)}" if facts else "")


def _hub_caption(hub: HubUsage | None) -> str:
    return md(hub_caption(hub))


def _hub_cell(hub: HubUsage | None, license_id: str) -> str:
    return md(hub_summary(hub.licenses.get(license_id))) if hub else "not snapshotted"


def _hub_section(lic: License, hub: HubUsage | None) -> list[str]:
    out = ["## On the Hugging Face Hub", "", _hub_caption(hub), ""]
    usage = hub.licenses.get(lic.id) if hub else None
    if hub is None:
        return out
    out += [md(hub_summary(usage)), ""]
    if usage and usage.models:
        out += _table(
            ["Model", "Downloads (30 days)", "Gated", "Declared licence", "Derived as"],
            [
                [
                    link(m.id, m.url),
                    number(m.downloads) if m.downloads is not None else "",
                    md(m.gated or "no"),
                    md(m.declared_license or "none"),
                    md(m.relation or ""),
                ]
                for m in usage.models
            ],
        )
    return out


def check_result(
    results: list[CheckResult], meta: Meta, catalogue: Catalogue, policy: Policy | None = None
) -> str:
    """An overview (each model's verdict, the reason, what to do; the policy's facts; every
    duty once), then each model: licences that apply and their key terms, lineage, findings."""
    when = f" · checked {meta.generated}" if meta.generated else ""
    out = _head("Model licence check", f"{len(results)} model(s){when}")
    out += ["## Overview", ""]
    out += _table(
        ["Model", "Verdict", "The deciding reason", "What to do", "Licences"],
        [
            [
                md(row.result.requested if row.result.error else row.result.model),
                " ".join(UNDECIDED) if row.result.error else " ".join(VERDICTS[row.result.verdict]),
                md(row.reason),
                md(row.todo),
                md(", ".join(row.result.licenses) or "none known"),
            ]
            for row in overview.rows(results)
        ],
    )
    if policy is not None:
        out += ["### The facts the policy gave", ""]
        out += ['The verdicts rest on these facts; "unknown" means the policy did not say.', ""]
        out += _table(["", ""], [[md(k), md(v)] for k, v in overview.policy_facts(policy)])
    duties = overview.duties(results)
    if duties:
        out += ["### What you must do", ""]
        out += _table(
            ["Duty", "Licence", "Models", "Evidence"],
            [
                [
                    *_obligation(d.obligation)[:2],
                    md(", ".join(d.models)),
                    *_obligation(d.obligation)[2:],
                ]
                for d in duties
            ],
        )
    for result in results:
        out += _check_one(result, catalogue)
    return _page(out, meta)


def _check_one(result: CheckResult, catalogue: Catalogue) -> list[str]:
    if result.error:
        return [f"## {md(result.requested)}: {' '.join(UNDECIDED)}", "", md(result.error), ""]
    icon, word = VERDICTS[result.verdict]
    licenses = key_licenses(result, catalogue)
    applies = "; ".join(f"{x.name} ({x.id}, {STATUSES[x.status]})" for x in licenses)
    facts = [
        ("Requested", result.requested),
        ("Revision", result.revision or "unknown"),
        ("Declared licence", result.declared_license or "none"),
        ("Licences that apply", applies or ", ".join(result.licenses) or "none known"),
        ("Gated", result.gated or "no"),
        ("Policy", result.policy),
        ("Source", result.source),
    ]
    out = [
        f"## {md(result.model)}: {icon} {word}",
        "",
        *_table(["", ""], [[md(k), md(v)] for k, v in facts]),
    ]
    if result.findings:
        out += ["### Findings", ""]
        out += _table(
            ["Severity", "Finding", "Evidence"],
            [_finding(f, catalogue, result.model) for f in findings_in_order(result.findings)],
        )
    if result.obligations:
        out += [
            "Its duties are listed once, with the models they apply to, under What you must do.",
            "",
        ]
    if len(result.lineage) > 1:
        out += ["### Lineage", ""]
        out += _table(
            ["Depth", "Model", "Relation", "Declared licence", "Licences", "Note"],
            [
                [
                    str(n.depth),
                    md(n.model),
                    md(n.relation or "this model"),
                    md(n.declared_license or "none"),
                    md(", ".join(n.licenses) or "unknown"),
                    md(n.error or (f"gated: {n.gated}" if n.gated else "")),
                ]
                for n in result.lineage
            ],
        )
    if licenses:
        out += ["### Key terms of the licences that apply", ""]
        titles = [md(t) for t in column_titles(licenses)]
        rows = compare(licenses, clauses=KEY_CLAUSES).rows
        out += _table(["Clause", *titles], [[md(r.spec.title), *map(_cell, r.cells)] for r in rows])
    return out


def _finding(f: Finding, catalogue: Catalogue, model: str) -> list[str]:
    """A finding in words: its code is for programs (JSON), the model only when another."""
    icon, word = SEVERITIES[f.severity]
    lic = catalogue.get(f.license) if f.license else None
    doc = lic.document(f.document) if lic and f.document else None
    clause = SPECS[f.clause].title if f.clause and f.clause in SPECS else f.clause
    where = " · ".join(md(x) for x in (f.license, clause) if x)
    if f.quote:
        source = link(doc.title, doc.url) if doc else md(f.document or "")
        where += f" § {md(f.section or '')}: “{md(f.quote)}”" + (f" ({source})" if source else "")
    about = f" ({md(f.model)})" if f.model and f.model != model and f.model not in f.message else ""
    return [f"{icon} {word}", f"{md(f.message)}{about}", where.strip()]


def _obligation(o: Obligation) -> list[str]:
    clause = SPECS[o.clause].title if o.clause in SPECS else o.clause
    where = f"§ {md(o.section or '')}: “{md(o.quote)}”" if o.quote else ""
    via = f" · {md(o.model)}" if o.model else ""
    return [md(o.duty), f"{md(o.license)} · {md(clause)}{via}", where]


def _licenses_table(licenses: Sequence[License]) -> list[str]:
    return _table(
        ["Licence", "Version", "Released", "Status", "Licensor", "Official texts"],
        [
            [
                md(lic.name),
                md(lic.version),
                md(lic.release_date),
                md(STATUSES[lic.status]),
                md(lic.licensor),
                "<br>".join(link(d.title, d.url) for d in lic.documents),
            ]
            for lic in licenses
        ],
    )


def _identity(lic: License) -> list[list[str]]:
    rows: list[tuple[str, object]] = [
        ("Id", lic.id),
        ("Version", lic.version),
        ("Released", lic.release_date),
        ("Status", status_meaning(lic.status)),
        ("Reviewed", lic.reviewed or "not recorded"),
        ("Licensor", lic.licensor),
        ("Family", lic.family),
        ("SPDX id", lic.spdx_id),
        ("ScanCode key", lic.scancode_key or "none"),
        ("Hub licence ids", ", ".join(lic.hub_license_ids) or "none"),
        ("OSI approved", lic.osi_approved),
        ("Supersedes", lic.supersedes or "none"),
        ("Superseded by", lic.superseded_by or "none"),
    ]
    return [[md(k), md(number(v))] for k, v in rows]


def _changes(d: VersionDiff) -> list[str]:
    if not d.changes:
        return ["No clause changed in value, in its terms or in its lists.", ""]
    out = [
        f"{len(d.changes)} of {len(SPECS)} clauses changed; the terms that differ are in bold. "
        "A change in our own wording alone is not listed.",
        "",
    ]
    titles = [md(t) for t in column_titles([d.old, d.new])]
    rows = []
    for ch in d.changes:
        marked = changed_labels(ch.old.clause, ch.new.clause)
        items = "".join(
            f"<br>{word}: {md(', '.join(xs))}"
            for word, xs in (("New", ch.added), ("Gone", ch.removed))
            if xs
        )
        rows.append(
            [md(ch.spec.title) + items, _cell(ch.old, True, marked), _cell(ch.new, True, marked)]
        )
    return out + _table(["Clause", *titles], rows)


def _verdict(cell: Cell) -> str:
    return md(rated(cell.clause.name, cell.clause.value))


def _legend() -> list[str]:
    """The ratings, each with what it means (from the vocabulary)."""
    shown = " · ".join(f"{r.icon} **{r.word}**: {md(r.meaning)}" for r in RATINGS.values())
    return [f"Verdict for the licensee: {shown}.", ""]


def _glossary(names: Iterable[str]) -> list[str]:
    """What every value of the clauses shown means, from the vocabulary."""
    out = ["## What the values mean", ""]
    for title, meanings in glossary(names):
        out.append(f"- **{md(title)}**")
        for m in meanings:
            rating = RATINGS[m.rating]
            shown = f"{rating.icon} {rating.word}"
            if m.label.lower() != rating.word.lower():
                shown += f": {md(m.label)}"
            out.append(f"  - {shown}. {md(m.definition)}")
    return [*out, ""]


def _cell(cell: Cell, details: bool = False, marked: frozenset[str] = frozenset()) -> str:
    """Verdict and headline terms (and, with `details`, every term); `marked` ones in bold."""
    t = terms(cell.clause)
    facts = [*t.headline, *(t.details if details else ())]
    lines = [f"**{_verdict(cell)}**"]
    for f in facts:
        text = f"{md(f.label)}: {link(f.text, f.url)}"
        lines.append(f"**{text}**" if f.label in marked else text)
    return "<br>".join(lines)


def _summary(cell: Cell) -> str:
    note = f"<br>Note: {md(cell.clause.notes)}" if cell.clause.notes else ""
    return md(cell.clause.summary) + note


def _quotes(cell: Cell) -> list[str]:
    return [
        f"§ {md(q.section)}: “{md(q.quote)}” ({link(q.title, q.url)})"
        for q in quotes(cell.license, cell.clause)
    ]


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    return [_line(header), _line(["---"] * len(header)), *map(_line, rows), ""]


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _head(title: str, lede: str) -> list[str]:
    """The title (escaped here) and a lede that is already Markdown."""
    return [f"# {md(title)}", "", lede, "", f"**Not legal advice.** {NOT_ADVICE}", ""]


def _page(lines: list[str], meta: Meta) -> str:
    """The whole page, with control and bidi characters made visible wherever they came from."""
    footer = f"{md(meta.tool)} · catalogue digest {md(meta.catalogue_digest)}"
    if meta.generated:
        footer += f" · generated {md(meta.generated)}"
    return visible("\n".join([*lines, "---", "", footer + " · not legal advice.", ""]))
