"""Where a JSON path's value starts in a JSON text, found without parsing the whole text again.

`json` gives no positions. To say on which line a schema error sits, the text is walked from
the top down the path: each key is read with the decoder's own string scanner and each value
that is not on the path is skipped with `raw_decode`, which parses it (in C) but keeps nothing
we need. Only the part of the text before the value is scanned, once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.decoder import scanstring  # type: ignore[attr-defined]

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


def offset(text: str, path: Sequence[str | int]) -> int | None:
    """The index of the first character of the value at `path`, or None when the text does
    not hold it (or is not valid JSON along the way)."""
    try:
        pos: int | None = _skip_ws(text, 0)
        for step in path:
            assert pos is not None
            pos = _child(text, pos, step)
            if pos is None:
                return None
        return pos
    except (ValueError, IndexError, RecursionError):
        return None


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `index`."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _child(text: str, pos: int, step: str | int) -> int | None:
    """The start of member `step` of the object or array starting at `pos`."""
    opening = text[pos]
    if opening == "{" and isinstance(step, str):
        found = None
        pos = _skip_ws(text, pos + 1)
        while text[pos] != "}":
            key, pos = scanstring(text, pos + 1)
            pos = _skip_ws(text, pos)
            pos = _skip_ws(text, pos + 1)  # past ':'
            if key == step:
                found = pos  # a duplicate key: json keeps the last, so keep looking
            pos = _after_value(text, pos)
            if text[pos] == ",":
                pos = _skip_ws(text, pos + 1)
        return found
    if opening == "[" and isinstance(step, int):
        pos = _skip_ws(text, pos + 1)
        index = 0
        while text[pos] != "]":
            if index == step:
                return pos
            pos = _after_value(text, pos)
            if text[pos] == ",":
                pos = _skip_ws(text, pos + 1)
            index += 1
    return None


def _after_value(text: str, pos: int) -> int:
    end = _DECODER.raw_decode(text, pos)[1]
    return _skip_ws(text, end)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos
