"""Untrusted text made safe to show: control and bidi characters made visible (pure: no I/O).

A model card, a Hub field, a model id or a user's licence file can carry ESC and OSC sequences
(which a terminal obeys: colours, titles, hyperlinks, even a cleared screen) or Unicode bidi
controls (which reorder what a reader sees: "Trojan Source"). Every text and Markdown renderer,
and every error line, passes what it prints through `visible`; HTML pages pass each value
through it before escaping; JSON keeps the data exact but escapes the same characters.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some
# terminals), the bidi embeddings, overrides, isolates and marks, and the line and paragraph
# separators (a newline to some readers but not to others).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def visible(text: str) -> str:
    """`text` with each unsafe character written as its Python escape (ESC as \\x1b, RIGHT-TO-LEFT
    OVERRIDE as \\u202e), so a reader sees that it was there and nothing acts on it."""
    return _UNSAFE.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with the same characters as JSON escapes: the data is unchanged once parsed.

    `json.dumps(ensure_ascii=False)` escapes C0 controls only; C1 and bidi ones would reach a
    terminal raw. Only valid on the output of json.dumps (the characters never start an escape).
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
