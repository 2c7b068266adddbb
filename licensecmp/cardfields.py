"""A model card's licensing fields, type-checked the same way for the Hub and a folder (pure).

Card fields are YAML written by anyone: each is checked for its type, and one of the wrong
type is recorded as a problem (a review finding), never coerced (`"false"` is not false).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from licensecmp.model import BaseModelRef


class Card(Protocol):
    """A card's fields: a mapping, or huggingface_hub's `CardData`."""

    def get(self, key: str, default: Any = None) -> Any: ...


class CardFields:
    """Reads fields of one card (None: no card); `problems` lists those not read."""

    def __init__(self, card: Card | Mapping[str, Any] | None) -> None:
        self.card = card
        self.problems: list[str] = []

    def field(self, key: str, expected: str, ok: Callable[[Any], bool]) -> Any:
        """The value of `key` when `ok` accepts it (or None when absent); else a problem."""
        value = self.card.get(key) if self.card is not None else None
        if value is None or ok(value):
            return value
        self.problems.append(
            f"card field {key} should be {expected}, not {kind(value)}: it was not read"
        )
        return None

    def licenses(self) -> tuple[str, ...]:
        value = self.field("license", "a licence id or a list of them", str_or_strs)
        return tuple(v for v in (value if isinstance(value, list) else [value]) if v)

    def string(self, key: str) -> str | None:
        value: str | None = self.field(key, "a string", lambda v: isinstance(v, str))
        return value

    def eu_disallowed(self) -> bool:
        eu = self.field("extra_gated_eu_disallowed", "true or false", lambda v: isinstance(v, bool))
        return eu is True

    def base_models(self) -> tuple[BaseModelRef, ...]:
        """`base_model` (one id or a list) with `base_model_relation` (default: finetune, or
        merge for several)."""
        declared = self.field("base_model", "a model id or a list of them", str_or_strs)
        if not declared:
            return ()
        ids = unique([declared] if isinstance(declared, str) else declared)
        relation = self.string("base_model_relation")
        return tuple(
            BaseModelRef(i, relation or ("merge" if len(ids) > 1 else "finetune")) for i in ids
        )


def str_or_strs(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def kind(value: Any) -> str:
    """A wrong value, named by its type and a short, printable excerpt."""
    names: dict[type, str] = {bool: "a boolean", int: "a number", float: "a number"}
    names.update({str: "the string", dict: "a mapping", list: "a list"})
    name = names.get(type(value), "")
    if isinstance(value, str | int | float | bool):
        shown = json.dumps(value)[:40]
        return f"{name} {shown}"
    return name or f"a {type(value).__name__}"


def unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))
