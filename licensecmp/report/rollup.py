"""Render a roll-up of check results: a summary for a terminal's stderr, or one JSON document."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from typing import Any

from licensecmp import __version__
from licensecmp.rollup import VERDICTS, Rollup
from licensecmp.textsafe import json_safe, visible

FORMAT_VERSION = 1
"""Of the summary document (`scan --summary FILE`); bumped when a field changes meaning."""


def headline(r: Rollup) -> str:
    """One line for a pipeline's log: the policy and how many models got each verdict."""
    parts = [f"{getattr(r, v)} {v}" for v in VERDICTS] + [f"{r.undecided} could not be decided"]
    return f"{r.models} model(s) checked against policy {r.policy}: {', '.join(parts)}"


def text(r: Rollup) -> str:
    """The headline, then models by licence and every model that drops a base's terms, or may
    (a declared base with unknown terms, a suspected base); untrusted names (model ids, card
    licences) have control characters made visible."""
    lines = [headline(r)]
    if r.licenses or r.no_license:
        lines.append("by licence (a model counts under every licence that applies to it):")
        lines += [
            f"  {c.license}: {c.models} ({c.allow} allow, {c.review} review, {c.deny} deny)"
            for c in r.licenses
        ]
        if r.no_license:
            lines.append(f"  no catalogue licence: {r.no_license}")
    if r.dropped:
        lines.append(f"declared licence drops a base model's terms: {len(r.dropped)}")
        for d in r.dropped:
            lines += _wrapped(
                f"{d.model} declares {d.declared_license or 'no licence'}; its base "
                f"{d.base_model} is under {d.base_license} ({d.severity})"
            )
    if r.unknown_bases:
        lines.append(f"base model's terms unknown: {len(r.unknown_bases)}")
        lines += [line for u in r.unknown_bases for line in _wrapped(u.message)]
    if r.suspected:
        lines.append(f"suspected undeclared base model under other terms: {len(r.suspected)}")
        lines += [line for s in r.suspected for line in _wrapped(s.message)]
    return visible("\n".join(lines)) + "\n"


def as_dict(r: Rollup) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "tool": f"licensecmp {__version__}",
        "policy": r.policy,
        "models": r.models,
        "verdicts": {**{v: getattr(r, v) for v in VERDICTS}, "undecided": r.undecided},
        "licenses": [asdict(c) for c in r.licenses],
        "no_license": r.no_license,
        "dropped_base_terms": [asdict(d) for d in r.dropped],
        "unknown_base_terms": [asdict(u) for u in r.unknown_bases],
        "suspected_undeclared_bases": [asdict(s) for s in r.suspected],
    }


def json_document(r: Rollup) -> str:
    return json_safe(json.dumps(as_dict(r), ensure_ascii=False, indent=2)) + "\n"


def _wrapped(line: str) -> list[str]:
    return textwrap.wrap(
        line, 78, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False
    )
