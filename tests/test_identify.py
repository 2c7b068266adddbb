"""Identification: which catalogue licence and version a text is, from the real ScanCode texts."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from licensecmp import fingerprints, identify
from licensecmp.catalogue import Catalogue
from licensecmp.errors import CatalogueError
from licensecmp.identify import Fingerprint, Identification
from licensecmp.service import open_catalogue
from licensecmp.textnorm import strip_front_matter
from tests.proof import cannot_prove

from . import scancode_texts
from .conftest import REPO

# The ScanCode key of each licence's main text.
MAIN_KEYS = {
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "kimi-k2-modified-mit": "moonshot-ai-modified-mit-2025",
    "llama-3.1": "llama-3.1-license-2024",
    "llama-3.2": "llama-3.2-license-2024",
    "llama-3.3": "llama-3.3-license-2024",
    "llama-4": "llama-4-cla-2025",
    "gemma-2024-04-01": "gemma-tou-2024-04-01",
    "gemma-2025-03-24": "gemma-tou-2025-03-24",
    "qwen": "qwen-2024",
    "tongyi-qianwen": "tongyi-qianwen-2023",
    "agpl-3.0": "agpl-3.0",
    "gpl-3.0": "gpl-3.0",
    "gpl-2.0": "gpl-2.0",
    "bsd-3-clause": "bsd-new",
    "bsd-2-clause": "bsd-simplified",
    "cc-by-nc-sa-4.0": "cc-by-nc-sa-4.0",
    "cc-by-sa-3.0": "cc-by-sa-3.0",
    "mpl-2.0": "mpl-2.0",
}
UNRELATED = "cecill-2.1"
PROSE = (
    "The river rose through the night and by morning the low fields were a sheet of grey water. "
    "Nobody in the village could remember a flood like it, though the oldest of them said her "
    "grandmother had spoken of one, when the bridge was still made of wood and the mill stood."
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue(REPO / "licenses")
    assert problems == []
    return found


@pytest.fixture(scope="module")
def wheel_texts(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every catalogue document's ScanCode text, and an unrelated one, from the pinned wheel."""
    keys = {doc.scancode_key for lic in catalogue for doc in lic.documents if doc.scancode_key}
    dest = tmp_path_factory.mktemp("scancode")
    try:
        missing = scancode_texts.extract(keys | set(MAIN_KEYS.values()) | {UNRELATED}, dest)
    except scancode_texts.Unreachable as exc:
        cannot_prove(f"ScanCode licence texts could not be had (package registry: {exc})")
    assert missing == set()
    return dest


@pytest.fixture(scope="module")
def bundled() -> list[Fingerprint]:
    return fingerprints.bundled()


def _text(texts: Path, key: str) -> str:
    return (texts / f"{key}.LICENSE").read_text(encoding="utf-8")


# Pure functions: no wheel needed.


def test_words_casefold_keep_versions_and_split_hyphens() -> None:
    assert identify.words("LLAMA 3.1 Community\nLicense; non-\nexclusive “Agreement”") == [
        "llama",
        "3.1",
        "community",
        "license",
        "non",
        "exclusive",
        "agreement",
    ]


def test_clean_drops_front_matter_copyright_spdx_links_and_rules() -> None:
    text = (
        "---\nkey: x\n---\n# Title\nCopyright (c) 2024 Foo Inc.\n© 2023 Bar\n"
        "SPDX-License-Identifier: MIT\n---\nSee [the policy](https://example.com/p) and "
        "<https://example.com/q>.\nThe above copyright notice stays.\n"
    )
    expected = "# Title See the policy and https://example.com/q. The above copyright notice stays."
    assert " ".join(identify.clean(text).split()) == expected


def test_canonical_drops_a_licence_title_line_but_not_a_sentence() -> None:
    assert identify.canonical("MIT License\n\nCopyright (c) 2024 A\n\nPermission is").split() == [
        "Permission",
        "is",
    ]
    body = "Permission is hereby granted under this license, free of charge, to any person\nx"
    assert identify.canonical(body) == body


def test_shingle_hash_is_stable_across_processes() -> None:
    # blake2b with a 4-byte digest: a changed value would silently orphan every stored file.
    assert identify.shingle_hash("permission is hereby granted free") == 0xC4F4C193
    assert identify.shingles("one two") == frozenset({identify.shingle_hash("one two")})
    assert identify.shingles("") == frozenset()
    assert len(identify.shingles("a b c d e f g")) == 3


def test_sampling_keeps_the_same_shingles_on_both_sides() -> None:
    hashes = frozenset(range(1000))
    assert identify.sample(hashes, 4) == frozenset(range(0, 1000, 4))
    assert identify.modulus_for(100) == 1
    assert identify.modulus_for(2100) == 4


def _synthetic() -> list[Fingerprint]:
    """Two licences sharing one text, as gpt-oss shares Apache-2.0's."""
    shared = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron"
    return [
        identify.make_fingerprint("bare", "license", shared),
        identify.make_fingerprint("bundle", "license", shared),
        identify.make_fingerprint("bundle", "aup", "you will not do rho sigma tau upsilon phi chi"),
    ]


def test_a_shared_text_names_the_licence_it_is_the_whole_of() -> None:
    found = identify.identify(
        "Alpha beta gamma delta\nepsilon zeta eta theta iota kappa lambda mu nu xi omicron",
        _synthetic(),
    )
    assert found == Identification("bare", "license", True, 1.0, 1.0, ("bundle",))


def test_an_incorporated_document_is_found_when_no_main_text_matches() -> None:
    found = identify.identify("You will NOT do rho sigma tau upsilon phi chi", _synthetic())
    assert (found.license, found.document, found.exact) == ("bundle", "aup", True)


def test_fingerprint_file_round_trips_and_rejects_other_formats(tmp_path: Path) -> None:
    path = tmp_path / "fp.json"
    fingerprints.save(_synthetic(), path)
    assert fingerprints.load(path) == sorted(
        _synthetic(), key=lambda fp: (fp.license_id, fp.document_id)
    )
    path.write_text(path.read_text().replace('"format_version": 1', '"format_version": 99'))
    with pytest.raises(CatalogueError, match="regenerate"):
        fingerprints.load(path)
    path.write_text("[]")
    with pytest.raises(CatalogueError, match="not a fingerprint file"):
        fingerprints.load(path)
    with pytest.raises(CatalogueError, match="cannot read"):
        fingerprints.load(tmp_path / "missing.json")


def test_as_record_is_the_cli_json_shape() -> None:
    found = Identification("llama-3.1", "license", False, 0.991_66, 0.997, ())
    assert identify.as_record("LICENSE", found) == {
        "file": "LICENSE",
        "license": "llama-3.1",
        "document": "license",
        "exact": False,
        "similarity": 0.9917,
        "coverage": 0.997,
        "ambiguous_with": [],
    }


# The real texts, against the committed fingerprints.


@pytest.mark.parametrize("license_id", sorted(MAIN_KEYS))
def test_each_scancode_text_is_identified_exactly(
    license_id: str, wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    found = identify.identify(_text(wheel_texts, MAIN_KEYS[license_id]), bundled)
    assert (found.license, found.document, found.exact) == (license_id, "license", True)
    assert found.similarity == 1.0


def _rewrapped(body: str) -> str:
    return "\n".join(
        textwrap.wrap(" ".join(body.split()), 60, break_long_words=False, break_on_hyphens=False)
    )


def _markdown(body: str) -> str:
    lines = body.strip().splitlines()
    lines[0] = "# " + lines[0]
    out = [f"## {line}" if re.match(r"\s*\d+\.\s", line) else line for line in lines]
    return re.sub(r"\b([A-Z][a-z]{3,})\b", r"**\1**", "\n".join(out))


def _curly(body: str) -> str:
    """Curly quotes made straight, or (when there are none) straight ones made curly."""
    straight = body.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    if straight != body:
        return straight
    quotes = iter(["\u201c", "\u201d"] * body.count('"'))
    return re.sub('"', lambda _: next(quotes), body).replace("'", "\u2019")


def _with_copyright(body: str) -> str:
    return "Copyright (c) 2024 Example Models Ltd.\n\n" + body


VARIANTS: dict[str, Callable[[str], str]] = {
    "rewrapped-60": _rewrapped,
    "markdown": _markdown,
    "curly-quotes": _curly,
    "copyright-line": _with_copyright,
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("license_id", sorted(MAIN_KEYS))
def test_formatting_changes_keep_the_licence_and_exactness(
    license_id: str, variant: str, wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    """Exact means the same terms word for word: wrapping, markdown, quote styles and copyright
    lines do not change terms, so they stay exact (textnorm and `canonical` absorb them)."""
    body = strip_front_matter(_text(wheel_texts, MAIN_KEYS[license_id]))
    changed = VARIANTS[variant](body)
    assert changed != body
    found = identify.identify(changed, bundled)
    assert (found.license, found.exact) == (license_id, True)


def test_a_changed_threshold_names_the_original_but_not_exactly(
    wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    text = strip_front_matter(_text(wheel_texts, MAIN_KEYS["llama-3.1"]))
    assert text.count("700 million") == 1
    found = identify.identify(text.replace("700 million", "900 million"), bundled)
    assert (found.license, found.exact) == ("llama-3.1", False)
    assert 0.95 < found.similarity < 1.0


@pytest.mark.parametrize(
    ("license_id", "old", "new"),
    [
        ("kimi-k2-modified-mit", "100 million", "50 million"),
        ("mit", "free of charge", "for a small fee"),
        ("gemma-2024-04-01", "Google", "Alphabet"),
        ("gemma-2025-03-24", "Google", "Alphabet"),
        ("tongyi-qianwen", "Alibaba Cloud", "Example Cloud"),
        ("qwen", "Alibaba Cloud", "Example Cloud"),
        ("llama-3.3", "Meta", "Example"),
    ],
)
def test_an_edited_text_is_never_taken_for_its_near_version(
    license_id: str, old: str, new: str, wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    text = strip_front_matter(_text(wheel_texts, MAIN_KEYS[license_id]))
    assert old in text
    found = identify.identify(text.replace(old, new, 1), bundled)
    assert (found.license, found.exact) == (license_id, False)
    assert identify.THRESHOLD < found.similarity < 1.0


def test_mit_and_kimi_are_never_confused(wheel_texts: Path, bundled: list[Fingerprint]) -> None:
    mit = strip_front_matter(_text(wheel_texts, "mit"))
    kimi = strip_front_matter(_text(wheel_texts, MAIN_KEYS["kimi-k2-modified-mit"]))
    for text, expected in [
        ("MIT License\n\nCopyright (c) 2025 Someone\n\n" + mit, ("mit", True)),
        (mit + "\nThis notice was added by the packager.", ("mit", False)),
        (kimi.replace("Modified MIT License", "MIT License"), ("kimi-k2-modified-mit", True)),
        (kimi.split("Our only modification")[0], ("mit", True)),
    ]:
        found = identify.identify(text, bundled)
        assert (found.license, found.exact) == expected


def test_a_licence_with_its_policy_appended_is_still_named(
    wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    policy = _text(wheel_texts, "llama-4-license-2025")  # ScanCode's key for the Llama 4 AUP
    text = _text(wheel_texts, "llama-4-cla-2025") + "\n\n" + policy
    found = identify.identify(text, bundled)
    assert (found.license, found.document, found.exact) == ("llama-4", "license", False)
    assert found.coverage > 0.99


def test_a_policy_alone_names_its_document(wheel_texts: Path, bundled: list[Fingerprint]) -> None:
    found = identify.identify(_text(wheel_texts, "gemma-pup-2024-02-21"), bundled)
    assert (found.license, found.document, found.exact) == ("gemma-2024-04-01", "pup", True)
    assert found.ambiguous_with == ("gemma-2025-03-24",)


def test_apache_is_named_before_gpt_oss_which_reuses_its_text(
    wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    found = identify.identify(_text(wheel_texts, "apache-2.0"), bundled)
    assert (found.license, found.ambiguous_with) == ("apache-2.0", ("gpt-oss",))


@pytest.mark.parametrize("source", ["cecill-2.1", "prose", "empty"])
def test_an_unrelated_text_names_nothing(
    source: str, wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    text = {"cecill-2.1": _text(wheel_texts, UNRELATED), "prose": PROSE, "empty": ""}[source]
    found = identify.identify(text, bundled)
    assert (found.license, found.document, found.exact) == (None, None, False)
    assert found.similarity < identify.THRESHOLD


# The committed file.


def test_committed_fingerprints_match_the_scancode_texts(
    catalogue: Catalogue, wheel_texts: Path, bundled: list[Fingerprint]
) -> None:
    """A stale licenses/fingerprints.json fails here: rebuild it with `licensecmp fingerprint`."""
    committed = {(fp.license_id, fp.document_id): fp for fp in bundled}
    built = fingerprints.build(catalogue, wheel_texts)
    assert len(built) >= len(MAIN_KEYS)
    stale = [
        f"{fp.license_id}/{fp.document_id}"
        for fp in built
        if committed.get((fp.license_id, fp.document_id)) != fp
    ]
    assert stale == []


def test_committed_fingerprints_cover_the_catalogue_and_nothing_else(
    catalogue: Catalogue, bundled: list[Fingerprint]
) -> None:
    documents = {(lic.id, doc.id) for lic in catalogue for doc in lic.documents}
    stored = {(fp.license_id, fp.document_id) for fp in bundled}
    assert stored <= documents
    assert {lic.id for lic in catalogue} == {lid for lid, doc in stored if doc == "license"}
    recorded = {(lic.id, doc.id): doc.sha256 for lic in catalogue for doc in lic.documents}
    assert [
        fp for fp in bundled if recorded[fp.license_id, fp.document_id] not in (None, fp.sha256)
    ] == []
    path = REPO / "licenses" / fingerprints.FILE_NAME
    assert fingerprints.dumps(bundled) == path.read_text(encoding="utf-8")
    assert path.stat().st_size < 4_000 * len(bundled)  # sampled hashes keep each document small
