"""Turn jsonschema errors into located, readable problem records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from licensecmp import yamlsource
from licensecmp.model import Problem


def schema_problems(
    errors: Iterable[ValidationError], root: Any, display: str
) -> Iterator[Problem]:
    """One problem per error, at the line of the offending node; every error, in file order."""
    located = list(_located(errors, root, display))
    return iter(sorted(located, key=lambda p: (p.line or 0, p.column or 0)))


def _located(errors: Iterable[ValidationError], root: Any, display: str) -> Iterator[Problem]:
    for error in errors:
        if error.context:
            error = best_match(error.context)
        path = list(error.absolute_path)
        where = None
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = (
                set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
            )
            extra = sorted(k for k in error.instance if k not in allowed)
            if extra:
                where = yamlsource.locate_key(root, path, extra[0])
                message = f"unknown key {extra[0]!r}" + (
                    f" (and {', '.join(map(repr, extra[1:]))})" if extra[1:] else ""
                )
        elif error.validator == "required":
            message = message.replace(" is a required property", " is required")
        elif isinstance(error.instance, bool) and error.validator in ("type", "enum", "const"):
            source = yamlsource.plain_scalar(root, path)
            if source is not None:
                message = (
                    f"{source!r} was read as the boolean {str(error.instance).lower()}; "
                    f'quote it ("{source}") if you mean the text'
                )
        where = where or yamlsource.locate(root, path)
        line, col = where if where else (None, None)
        yield Problem(display, message, line, col, error.json_path)


def json_path(path: Sequence[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def located(display: str, root: Any, path: Sequence[str | int], message: str) -> Problem:
    """A problem placed at the node `path` points to (or its nearest existing ancestor)."""
    line, col = yamlsource.locate(root, path) or (None, None)
    return Problem(display, message, line, col, json_path(path))
