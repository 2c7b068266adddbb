"""Render a validation run as text or JSON."""

from __future__ import annotations

import json

from licensecmp.textsafe import visible
from licensecmp.validate import ValidationRun

FORMAT_VERSION = 1


def text(run: ValidationRun) -> str:
    """One `path:line:col: message [json path]` line per problem (control characters shown)."""
    return "".join(f"{visible(str(p))}\n" for p in run.problems)


def summary(run: ValidationRun) -> str:
    bad = sum(1 for f in run.files if f.problems)
    line = f"{len(run.files)} file(s) checked, {bad} with problems, {len(run.problems)} problem(s)"
    if run.quotes_checked or run.quotes_unchecked:
        line += (
            f"; {run.quotes_checked} quote(s) verified against texts, "
            f"{run.quotes_unchecked} without an available text"
        )
    return line


def as_json(run: ValidationRun) -> str:
    doc = {
        "format_version": FORMAT_VERSION,
        "valid": not run.problems,
        "files": [
            {
                "file": str(f.path),
                "valid": not f.problems,
                "license": f.license.id if f.license else None,
                "problems": [
                    {
                        "line": p.line,
                        "column": p.column,
                        "json_path": p.json_path,
                        "message": p.message,
                    }
                    for p in f.problems
                ],
            }
            for f in run.files
        ],
        "usage_problems": [{"path": p.file, "message": p.message} for p in run.usage_problems],
        "quotes": {"verified": run.quotes_checked, "without_text": run.quotes_unchecked},
    }
    return json.dumps(doc, indent=2) + "\n"
