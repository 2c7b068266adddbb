"""Render a check result as one JSON line or as text for a terminal."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from typing import Any

from licensecmp import __version__
from licensecmp.model import CheckResult, Finding, LineageNode
from licensecmp.report.wording import SEVERITIES, UNDECIDED, VERDICTS
from licensecmp.textsafe import json_safe, visible

FORMAT_VERSION = 2
"""2: a finding's `severity` is `info` / `review` / `deny` (1 said `allow` for notes), and the
duties a policy's uses trigger moved from findings (code `duty`) to `obligations`."""
# Bumped when a field changes meaning or disappears; new fields may appear without a bump.


def as_dict(result: CheckResult) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "tool": f"licensecmp {__version__}",
        "model": result.model,
        "requested": result.requested,
        "revision": result.revision,
        "declared_license": result.declared_license,
        "licenses": list(result.licenses),
        "unknown_licenses": list(result.unknown_licenses),
        "lineage": [asdict(node) for node in result.lineage],
        "gated": result.gated,
        "verdict": None if result.error else result.verdict.value,
        "findings": [finding_dict(f) for f in result.findings],
        "obligations": [asdict(o) for o in result.obligations],
        "policy": result.policy,
        "source": result.source,
    }
    if result.error:
        doc["error"] = result.error
    return doc


def json_line(result: CheckResult) -> str:
    return json_safe(json.dumps(as_dict(result), ensure_ascii=False, separators=(",", ":"))) + "\n"


def finding_dict(f: Finding) -> dict[str, Any]:
    return {k: (v.value if k == "severity" else v) for k, v in asdict(f).items()}


def text(result: CheckResult) -> str:
    """A model's verdict for a terminal; untrusted fields have their control and bidi
    characters made visible (a card can carry an escape sequence)."""
    return visible(_text(result))


def _text(result: CheckResult) -> str:
    if result.error:
        return f"{result.requested}: {' '.join(UNDECIDED)}: {result.error}\n"
    lines = [f"{result.model}: {' '.join(VERDICTS[result.verdict])}"]
    lines.append(f"  revision: {result.revision or 'unknown'}")
    lines.append(f"  declared licence: {result.declared_license or 'none'}")
    lines.append(f"  licences that apply: {', '.join(result.licenses) or 'none known'}")
    if len(result.lineage) > 1:
        chain = " <- ".join(
            f"{n.model} ({n.relation or 'model'}: {_node_licences(n)})" for n in result.lineage
        )
        lines += textwrap.wrap(
            f"lineage: {chain}",
            78,
            initial_indent="  ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    if result.gated:
        lines.append(f"  gated: {result.gated}")
    for f in sorted(result.findings, key=lambda f: -f.severity.rank):
        label = " ".join(SEVERITIES[f.severity])
        about = f" ({f.model})" if _names_another(f, result.model) else ""  # as Markdown
        lines += _wrapped(f"{label}: {f.message}{about}", f.license, f.document, f.section, f.quote)
    for o in result.obligations:
        lines += _wrapped(f"must: {o.duty}", o.license, o.document, o.section, o.quote)
    return "\n".join(lines) + "\n"


def _names_another(f: Finding, model: str) -> bool:
    """A finding about another model (a base) says which, unless its message already does."""
    return f.model is not None and f.model != model and f.model not in f.message


def _node_licences(n: LineageNode) -> str:
    """What a lineage step is under: its licences, else what its card declares, else why not."""
    if n.licenses:
        return ", ".join(n.licenses)
    if n.error:
        return "could not be read"
    return n.declared_license or "no licence declared"


def _wrapped(
    line: str, license_id: str | None, document: str | None, section: str | None, quote: str | None
) -> list[str]:
    # Model ids and licence ids are never broken at a hyphen.
    lines = textwrap.wrap(
        line, 78, initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False
    )
    if quote:
        where = ", ".join(x for x in (license_id, document, section) if x)
        lines += textwrap.wrap(
            f'[{where}] "{quote}"',
            78,
            initial_indent="      ",
            subsequent_indent="      ",
            break_on_hyphens=False,
        )
    return lines
