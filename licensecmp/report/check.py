"""Render a check result as one JSON line or as text for a terminal."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from typing import Any

from licensecmp import __version__
from licensecmp.model import CheckResult, Finding

FORMAT_VERSION = 1
"""Bumped when a field changes meaning or disappears; new fields may appear without a bump."""


def as_dict(result: CheckResult) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "tool": f"licensecmp {__version__}",
        "model": result.model,
        "requested": result.requested,
        "revision": result.revision,
        "declared_license": result.declared_license,
        "licenses": list(result.licenses),
        "lineage": [asdict(node) for node in result.lineage],
        "gated": result.gated,
        "verdict": None if result.error else result.verdict.value,
        "findings": [_finding(f) for f in result.findings],
        "policy": result.policy,
        "source": result.source,
    }
    if result.error:
        doc["error"] = result.error
    return doc


def json_line(result: CheckResult) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, separators=(",", ":")) + "\n"


def _finding(f: Finding) -> dict[str, Any]:
    return {k: (v.value if k == "severity" else v) for k, v in asdict(f).items()}


def text(result: CheckResult) -> str:
    if result.error:
        return f"{result.requested}: could not decide: {result.error}\n"
    lines = [f"{result.model}: {result.verdict.value.upper()}"]
    lines.append(f"  revision: {result.revision or 'unknown'}")
    lines.append(f"  declared licence: {result.declared_license or 'none'}")
    lines.append(f"  licences that apply: {', '.join(result.licenses) or 'none known'}")
    if len(result.lineage) > 1:
        chain = " <- ".join(
            f"{n.model} ({n.relation or 'model'}: {', '.join(n.licenses) or n.declared_license})"
            for n in result.lineage
        )
        lines += textwrap.wrap(
            f"lineage: {chain}", 78, initial_indent="  ", subsequent_indent="    "
        )
    if result.gated:
        lines.append(f"  gated: {result.gated}")
    order = {"deny": 0, "review": 1, "allow": 2}
    for f in sorted(result.findings, key=lambda f: order[f.severity.value]):
        label = {"deny": "DENY", "review": "REVIEW", "allow": "note"}[f.severity.value]
        lines += textwrap.wrap(
            f"{label}: {f.message}", 78, initial_indent="  ", subsequent_indent="      "
        )
        if f.quote:
            where = ", ".join(x for x in (f.license, f.document, f.section) if x)
            lines += textwrap.wrap(
                f'[{where}] "{f.quote}"', 78, initial_indent="      ", subsequent_indent="      "
            )
    return "\n".join(lines) + "\n"
