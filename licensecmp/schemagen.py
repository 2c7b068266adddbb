"""The licence schema's vocabulary part, generated from `licensecmp.clauses` (pure).

The identity and document parts of `schemas/license.schema.json` are written by hand; the
`status` enum and the whole `clauses` object (values, their definitions and ratings,
parameters and which values require them) are derived here, so the schema cannot drift from
the vocabulary. A test holds the committed file to `regenerate(committed)`; maintainers
refresh it with `python -m licensecmp.schemagen schemas/license.schema.json`.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from licensecmp.clauses import CLAUSES, RATINGS, STATUSES, ClauseSpec, Param, Value


def regenerate(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with its status and clause parts rebuilt from the vocabulary."""
    out = copy.deepcopy(schema)
    props = out["properties"]
    props["status"] = {
        "enum": [s.value for s in STATUSES],
        "description": "Whether these terms still govern models. "
        + " ".join(f"{s.value}: {w.meaning}." for s, w in STATUSES.items()),
        "enumDescriptions": [f"{w.word}: {w.meaning}." for w in STATUSES.values()],
    }
    props["clauses"] = {
        "type": "object",
        "additionalProperties": False,
        "description": "Every clause of the vocabulary answered; `not_addressed` is an answer, "
        "a missing key is not.",
        "required": [spec.name for spec in CLAUSES],
        "properties": {spec.name: _clause(spec) for spec in CLAUSES},
    }
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _clause(spec: ClauseSpec) -> dict[str, Any]:
    props: dict[str, Any] = {
        "value": _enum(
            spec.values, f"{spec.question} Each value with its rating for the licensee.", True
        ),
        "summary": {"$ref": "#/$defs/summary"},
        "evidence": {"$ref": "#/$defs/evidence_list"},
        "notes": {
            "type": "string",
            "minLength": 1,
            "description": "How an ambiguous text was read, and why a value changed.",
        },
    }
    props |= {p.name: _param(p) for p in spec.params}
    rules: list[dict[str, Any]] = [
        {
            "if": {"properties": {"value": {"not": {"const": "not_addressed"}}}},
            "then": {"required": ["evidence"]},
        }
    ]
    for value in spec.values:
        needed = [p.name for p in spec.params if value.name in p.required_for]
        if needed:
            rules.append(
                {
                    "if": {"properties": {"value": {"const": value.name}}, "required": ["value"]},
                    "then": {"required": needed},
                }
            )
    return {
        "type": "object",
        "title": spec.title,
        "description": f"{spec.group}: {spec.question}",
        "additionalProperties": False,
        "required": ["value", "summary"],
        "properties": props,
        "allOf": rules,
    }


def _param(param: Param) -> dict[str, Any]:
    if param.values:
        return _enum(param.values, param.description, False)
    out = dict(param.schema)
    if param.description:
        out["description"] = param.description
    return out


def _enum(values: tuple[Value, ...], lead: str, rated: bool) -> dict[str, Any]:
    words = [_words(v, rated) for v in values]
    return {
        "enum": [v.name for v in values],
        "description": " ".join(
            [lead, *(f"`{v.name}`: {w}" for v, w in zip(values, words, strict=True))]
        ),
        "enumDescriptions": words,
    }


def _words(value: Value, rated: bool) -> str:
    """ "Granted (permissive): An express…"; a label that is its rating's word says it once."""
    word = RATINGS[value.rating].word
    rating = f" ({word.lower()})" if rated and word.lower() != value.label.lower() else ""
    return f"{value.label}{rating}: {value.definition}"


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    target = Path(sys.argv[1])
    current = json.loads(target.read_text(encoding="utf-8"))
    target.write_text(render(regenerate(current)), encoding="utf-8")
