"""Checks across files: unique ids, Hub and SPDX ids, version chains, quotes in their texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp.cli import main

from .conftest import DATA

MIT = (DATA / "good" / "mit.yaml").read_text()
#: Turns the MIT copy into an older version, superseded by a licence called "new".
SUPERSEDED_BY_NEW = {
    "^status: in_force": "status: superseded",
    "^superseded_by: null": "superseded_by: new",
    "^spdx_id: MIT": "spdx_id: LicenseRef-old",
}


def _write(directory: Path, stem: str, **replace: str) -> Path:
    text = MIT.replace("id: mit\n", f"id: {stem}\n", 1)
    for old, new in replace.items():
        text = re.sub(old, new, text, count=1, flags=re.M)
    path = directory / f"{stem}.yaml"
    path.write_text(text)
    return path


def test_shared_spdx_and_hub_ids_are_reported_on_the_later_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    _write(tmp_path, "mit")
    _write(tmp_path, "mit-copy")
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{tmp_path}/mit.yaml:12:10: spdx_id value 'mit' is also claimed by mit-copy [$.spdx_id]\n"
        f"{tmp_path}/mit.yaml:14:18: hub_license_ids value 'mit' is also claimed by mit-copy "
        "[$.hub_license_ids]\n"
    )


def test_one_changed_file_is_checked_against_its_unchanged_neighbours(
    runner: CliRunner, tmp_path: Path
) -> None:
    """What the pre-commit hook sees: one file, with the rest of its catalogue beside it."""
    _write(tmp_path, "mit")
    changed = _write(tmp_path, "mit-copy")
    result = runner.invoke(main, ["validate", str(changed)])
    assert result.exit_code == 1
    assert "spdx_id value 'mit' is also claimed by mit" in result.stdout
    assert result.stdout.startswith(f"{changed}:")


def test_versions_of_one_family_may_share_a_hub_id(runner: CliRunner, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "old",
        **SUPERSEDED_BY_NEW,
    )
    _write(tmp_path, "new", **{"^supersedes: null": "supersedes: old"})
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"^supersedes: null": "supersedes: ghost"},
            "supersedes names 'ghost', which is not in the catalogue [$.supersedes]",
        ),
        (
            {"^status: in_force": "status: superseded"},
            "status is superseded but superseded_by is null [$.status]",
        ),
    ],
)
def test_version_chain_problems(
    runner: CliRunner, tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    path = _write(tmp_path, "mit", **changes)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert message in result.stdout


def test_chains_must_agree_both_ways(runner: CliRunner, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "old",
        **SUPERSEDED_BY_NEW,
    )
    _write(tmp_path, "new")
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "superseded_by names 'new', but 'new' has supersedes: None" in result.stdout


def test_quotes_are_found_in_their_texts_whatever_the_wrapping(
    runner: CliRunner, tmp_path: Path
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    lic = _write(tmp_path, "mit")
    quotes = re.findall(r"quote: (.*)", MIT)
    missing = "the rights to use, copy, modify, merge, publish"
    # A made-up document that holds every quote but one, re-wrapped with curly quotes.
    kept = [q for q in quotes if q != missing]
    body = "\n\n".join(q.replace('"', "\u201c", 1).replace(" ", "\n", 2) for q in kept)
    (texts / "mit.LICENSE").write_text("---\nkey: mit\n---\n" + body)
    result = runner.invoke(main, ["validate", "--texts", str(texts), str(lic)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{lic}:35:16: quote not found in document 'license': {missing!r} "
        "[$.clauses.modification.evidence[0].quote]\n"
    )
    assert f"{len(quotes)} quote(s) verified against texts" in result.stderr
