"""Render comparisons, licences, histories, the index and check results as self-contained HTML.

The only module that imports jinja2. Every page is one file: styles inline, no script, no
request to anything (a Content-Security-Policy says so to the browser too), and every piece of
text from a licence file is escaped; only http(s) addresses become links.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from licensecmp import __version__, cache
from licensecmp.catalogue import Catalogue
from licensecmp.clauses import SPECS
from licensecmp.compare import KEY_CLAUSES, THRESHOLDS, Comparison, VersionDiff, compare
from licensecmp.hubusage import HubUsage
from licensecmp.model import CheckResult, License, Policy
from licensecmp.report import overview, wording
from licensecmp.report.meta import Meta
from licensecmp.report.notes import endnotes
from licensecmp.report.summary import summarise
from licensecmp.textsafe import visible


def comparison(c: Comparison, meta: Meta) -> str:
    """The side-by-side comparison: licences, where they differ, thresholds, every clause."""
    thresholds = [r for r in c.rows if r.spec.name in THRESHOLDS]
    return _render(
        "comparison.html.j2",
        meta,
        c=c,
        thresholds=thresholds,
        summaries=[summarise(lic) for lic in c.licenses],
        # Paper shows only the clauses that differ; the others read the same everywhere.
        notes=endnotes(
            c.licenses, [r.spec.name for r in c.rows if r.differs or len(c.licenses) < 2]
        ),
    )


def license_page(
    lic: License, meta: Meta, history: VersionDiff | None = None, hub: HubUsage | None = None
) -> str:
    """One licence: identity, official texts, changes from its predecessor, its use on the Hub
    (from a snapshot, or a plain note that there is none), every clause."""
    usage = hub.licenses.get(lic.id) if hub else None
    c = compare([lic])
    return _render(
        "license.html.j2",
        meta,
        lic=lic,
        c=c,
        diff=history,
        hub=hub,
        usage=usage,
        summary=summarise(lic),
        notes=endnotes([lic], [r.spec.name for r in c.rows]),
    )


def history(chain: list[License], diffs: list[VersionDiff], meta: Meta) -> str:
    """A version chain, oldest first: every clause across versions, then each step's changes."""
    changed = {(d.new.id, ch.spec.name) for d in diffs for ch in d.changes}
    return _render(
        "history.html.j2", meta, chain=chain, diffs=diffs, c=compare(chain), changed=changed
    )


def index(
    c: Comparison,
    meta: Meta,
    pages: Mapping[str, str],
    histories: Mapping[str, str] | None = None,
    comparison_href: str | None = None,
    hub: HubUsage | None = None,
) -> str:
    """Every licence of `c` by its key clauses, and its use on the Hub when a snapshot is given.

    `pages` and `histories` map a licence id to the relative path of its page and of its
    version history; `comparison_href` is the relative path of a comparison page. ValueError
    for a path that is not a plain relative one.
    """
    links = {k: wording.relative_path(v) for k, v in pages.items()}
    older = {k: wording.relative_path(v) for k, v in (histories or {}).items()}
    comp = wording.relative_path(comparison_href) if comparison_href else None
    keys = [r for r in c.rows if r.spec.name in KEY_CLAUSES]
    groups = wording.by_kind(c.licenses)
    return _render(
        "index.html.j2",
        meta,
        c=c,
        keys=keys,
        groups=groups,
        pages=links,
        histories=older,
        comp=comp,
        hub=hub,
        answers={lic.id: summarise(lic) for lic in c.licenses},
    )


def check_result(
    results: list[CheckResult], meta: Meta, catalogue: Catalogue, policy: Policy | None = None
) -> str:
    """An overview (each model's verdict, the reason, what to do; the policy's facts; every
    duty once), then each model: licences that apply and their key terms, lineage, findings."""
    views = []
    for result in results:
        licenses = wording.key_licenses(result, catalogue)
        views.append(
            {
                "r": result,
                "licenses": licenses,
                "c": compare(licenses, clauses=KEY_CLAUSES) if licenses else None,
                "findings": wording.findings_in_order(result.findings),
            }
        )
    return _render(
        "check.html.j2",
        meta,
        results=views,
        catalogue=catalogue,
        rows=overview.rows(results),
        duties=overview.duties(results),
        facts=overview.policy_facts(policy) if policy is not None else None,
    )


def _render(template: str, meta: Meta, **context: Any) -> str:
    return _env().get_template(template).render(meta=meta, **context)


def _template_cache_dir() -> str:
    """Compiled code depends on this environment's settings (escaping, finalize), not only on
    the template's source, which is all jinja2 keys it by: one directory per version of this
    module, of jinja2 and of the tool."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"jinja2 {jinja2.__version__}; licensecmp {__version__}".encode())
    return str(cache.root() / "templates" / digest.hexdigest()[:16])


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the user cache (keyed by their source): compiling them costs
    more than rendering a page. A cache that cannot be read or written is only slower."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file: compiled again, and rewritten
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.cache
def _env() -> jinja2.Environment:
    # autoescape=True, not select_autoescape(): that one leaves *.html.j2 unescaped.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("licensecmp", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
        bytecode_cache=_TemplateCache(_template_cache_dir()),
    )
    env.filters["link"] = _link
    env.globals.update(
        RATINGS=wording.RATINGS,
        VERDICTS=wording.VERDICTS,
        UNDECIDED=wording.UNDECIDED,
        SEVERITIES=wording.SEVERITIES,
        STATUSES=wording.STATUSES,
        NOT_ADVICE=wording.NOT_ADVICE,
        SPECS=SPECS,
        NUMBERED=THRESHOLDS,
        terms=wording.terms,
        quotes=wording.quotes,
        STATUS_MEANINGS=wording.STATUS_MEANINGS,
        value_label=wording.value_label,
        definition=wording.definition,
        glossary=wording.glossary,
        words=wording.words,
        column_titles=wording.column_titles,
        changed_labels=wording.changed_labels,
        hub_caption=wording.hub_caption,
        hub_summary=wording.hub_summary,
    )
    return env


def _finalize(value: object) -> object:
    """Every value a template prints, with control and bidi characters made visible: escaping
    keeps markup out, this keeps a right-to-left override from reordering what is read."""
    if isinstance(value, Markup):
        return Markup(visible(str(value)))
    if isinstance(value, str):
        return visible(value)
    return value


def _link(text: object, url: object) -> Markup:
    """An anchor for an http(s) address; any other address leaves the text alone, as text."""
    href = wording.safe_url(url)
    if href is None:
        return escape(text)
    if str(text) == href:  # paper prints a link's address after it, unless it is the text
        return Markup('<a class="bare" href="{}" rel="noopener noreferrer">{}</a>').format(
            href, text
        )
    return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(href, text)
