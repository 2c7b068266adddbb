"""Normalise licence text so quotes and fingerprints survive re-wrapping and markup."""

from __future__ import annotations

import hashlib
import re

_TRANSLATE = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\ufeff": " ",
    }
)
_MARKUP = re.compile(r"[*_#`>|]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """One line of text with quote styles, dashes, markdown emphasis and whitespace unified."""
    text = _MARKUP.sub(" ", text.translate(_TRANSLATE))
    return _SPACE.sub(" ", text).strip()


def strip_front_matter(text: str) -> str:
    """Drop a leading `---` YAML block (the ScanCode LicenseDB layout)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def fingerprint(text: str) -> str:
    """sha256 of the normalised text: equal for the same words however wrapped or styled."""
    return sha256_of_normalised(normalise(text))


def sha256_of_normalised(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(normalise(text).split())
