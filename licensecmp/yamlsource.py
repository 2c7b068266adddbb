"""Read one YAML file safely into plain data plus a map from JSON paths to line and column."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from licensecmp import safeio
from licensecmp.errors import InputError, TooLarge
from licensecmp.model import Problem

MAX_BYTES = 256 * 1024
"""Largest file read (a full licence entry is ~15 KiB); larger files are refused unparsed."""
MAX_DEPTH = 32
"""Deepest nesting accepted; licence files need 6."""
MAX_NODES = 20_000
"""Most nodes a document may expand to, aliases counted at every use (stops 'billion laughs')."""
MAX_NUMBER_CHARS = 1000
"""Longest plain number read: far below Python's 4,300-digit int-string conversion limit."""
_NUMBER = re.compile(r"[-+]?[0-9_.,:eE]+|[-+]?0[xob][0-9a-fA-F_]+")

try:  # libyaml when available: several times faster than the pure-Python parser
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """Safe loading, with duplicate keys refused and dates kept as the strings written."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[object, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} (first at line {seen[key].start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed document: its data, its node tree (for locating paths), or the problem."""

    data: Any = None
    root: yaml.Node | None = None
    problems: tuple[Problem, ...] = field(default_factory=tuple)


def read(path: Path, display: str) -> tuple[Parsed, bool]:
    """Parse `path`; returns (result, unreadable). Never raises for bad content.

    Unreadable: missing, not a regular file (a FIFO or device is never read), a symlink loop.
    """
    try:
        raw = safeio.read_bytes(path, MAX_BYTES)
    except TooLarge as exc:
        return _fail(display, exc.reason), False
    except InputError as exc:
        return _fail(display, exc.reason), True
    return parse_bytes(raw, display), False


def parse_bytes(raw: bytes, display: str, max_nodes: int = MAX_NODES) -> Parsed:
    if b"\x00" in raw:
        return _fail(display, "binary file (contains NUL bytes), not YAML")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(raw[: exc.start])
        return _fail(display, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, col)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return _fail(display, "empty file: expected a YAML mapping")
    try:
        problem = _prescan(text, display)
        if problem:
            return Parsed(problems=(problem,))
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return _fail(display, "empty document: expected a YAML mapping")
            size = _expanded_size(root, {}, max_nodes)
            if size > max_nodes:
                return _fail(display, f"document expands to over {max_nodes} nodes (alias bomb?)")
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _explain(exc, text)
        if mark is None:
            return _fail(display, message)
        return _fail(display, message, mark.line + 1, mark.column + 1)
    except yaml.YAMLError as exc:
        return _fail(display, " ".join(str(exc).split()))
    except RecursionError:
        return _fail(display, f"nesting deeper than {MAX_DEPTH} levels")
    except ValueError as exc:  # a value Python refuses to convert, should the prescan miss one
        return _fail(display, f"value cannot be read: {exc}")
    return Parsed(data=data, root=root)


def _prescan(text: str, display: str) -> Problem | None:
    """Stream parse events to bound nesting before anything recursive runs, and to refuse a
    number too long to convert (Python limits int-string conversion to 4,300 digits)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if (
            isinstance(event, yaml.ScalarEvent)
            and len(event.value) > MAX_NUMBER_CHARS
            and event.implicit[0]
            and _NUMBER.fullmatch(event.value)
        ):
            m = event.start_mark
            line, col = (m.line + 1, m.column + 1) if m else (None, None)
            return Problem(
                display,
                f"number of {len(event.value)} characters, over the {MAX_NUMBER_CHARS}-character "
                "limit; quote it if it is text",
                line,
                col,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                line, col = (m.line + 1, m.column + 1) if m else (None, None)
                return Problem(display, f"nesting deeper than {MAX_DEPTH} levels", line, col)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _expanded_size(node: yaml.Node, memo: dict[int, int], limit: int) -> int:
    """Node count with every alias use expanded, computed without expanding (memoised)."""
    key = id(node)
    if key not in memo:
        memo[key] = 1  # guards against recursive aliases
        if isinstance(node, yaml.MappingNode):
            total = sum(
                _expanded_size(k, memo, limit) + _expanded_size(v, memo, limit)
                for k, v in node.value
            )
        elif isinstance(node, yaml.SequenceNode):
            total = sum(_expanded_size(v, memo, limit) for v in node.value)
        else:
            total = 0
        memo[key] = 1 + min(total, limit + 1)
    return memo[key]


def _walk(root: yaml.Node | None, path: Sequence[str | int]) -> tuple[yaml.Node | None, bool]:
    """The node at `path` (flag True), or its deepest existing ancestor (flag False)."""
    node = root
    for step in path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            child = node.value[step] if step < len(node.value) else None
        if child is None:
            return node, False
        node = child
    return node, True


def locate(root: yaml.Node | None, path: Sequence[str | int]) -> tuple[int, int] | None:
    """Line and column (1-based) of the node at `path`, or of its deepest existing ancestor."""
    node, _ = _walk(root, path)
    return None if node is None else (node.start_mark.line + 1, node.start_mark.column + 1)


def locate_key(
    root: yaml.Node | None, path: Sequence[str | int], key: str
) -> tuple[int, int] | None:
    """Line and column of `key` itself inside the mapping at `path`."""
    node, reached = _walk(root, path)
    if reached and isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if k.value == key:
                return k.start_mark.line + 1, k.start_mark.column + 1
    return None


def plain_scalar(root: yaml.Node | None, path: Sequence[str | int]) -> str | None:
    """The source text of an unquoted scalar at `path` (to explain `yes` read as a boolean)."""
    node, reached = _walk(root, path)
    if reached and isinstance(node, yaml.ScalarNode) and not node.style:
        return str(node.value)
    return None


def _fail(display: str, message: str, line: int | None = None, col: int | None = None) -> Parsed:
    return Parsed(problems=(Problem(display, message, line, col),))


def _position(prefix: bytes) -> tuple[int, int]:
    line = prefix.count(b"\n") + 1
    return line, len(prefix) - (prefix.rfind(b"\n") + 1) + 1


def _explain(exc: yaml.MarkedYAMLError, text: str) -> str:
    """libyaml's message, made plainer where it is cryptic."""
    mark = exc.problem_mark
    if mark is not None and "cannot start any token" in (exc.problem or ""):
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        char = line[mark.column : mark.column + 1]
        if char == "\t":
            return "tab character in indentation; YAML indents with spaces"
        return f"character {char!r} cannot start a YAML token; quote the value"
    if exc.problem and "duplicate key" in exc.problem:
        return exc.problem
    return " ".join(" ".join(p for p in (exc.context, exc.problem) if p).split())


def dump(data: Any) -> str:
    """Block-style YAML of plain data, keys in the order given (for files users read)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
