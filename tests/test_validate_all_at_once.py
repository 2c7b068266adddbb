"""`validate` reports every problem of a file in one run: schema errors, the checks the schema
cannot make, the cross-file checks and the quote proofs together, in file order. A pre-commit
hook that showed a few per round would make an author commit five times to learn five things.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp.cli import main
from licensecmp.loader import load_file

from .conftest import REPO

#: Edits to the bundled mit.yaml, each an independent problem: (old, new).
EDITS = [
    # the schema
    ("version: unversioned", "version: 7"),
    ("status: in_force", "status: inforce"),
    ("  commercial_use:\n    value: permitted", "  commercial_use:\n    value: allowed"),
    # checks the schema cannot make
    ("id: mit\n", "id: mit-edited\n"),
    ('release_date: "1988-01-01"', 'release_date: "1988-02-30"'),
    (
        "      - section: Grant\n        quote: the rights to use, copy, modify, merge, publish",
        "      - section: Grant\n        document: addendum\n"
        "        quote: the rights to use, copy, modify, merge, publish",
    ),
    (
        "quote: distribute, sublicense, and/or sell copies of the Software",
        "quote: distribute, sublicense, and/or sell copies of the Software to anyone anywhere "
        "at any time for any reason whatsoever and under any terms the licensee may choose",
    ),
    # against the other licence files
    ("supersedes: null", "supersedes: mit-0"),
    ("spdx_id: MIT", "spdx_id: Apache-2.0"),
    ("hub_license_ids: [mit]", "hub_license_ids: [apache-2.0]"),
    # against the licence text
    (
        "free of charge.\n    evidence:\n      - section: Grant\n"
        "        quote: to deal in the Software without restriction",
        "free of charge.\n    evidence:\n      - section: Grant\n"
        "        quote: to deal in it freely",
    ),
    (
        "quote: THE SOFTWARE IS PROVIDED",
        "quote: THE SOFTWARE IS GUARANTEED",
    ),
]


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A catalogue of apache-2.0 and a broken copy of mit, and a text holding every quote of
    the real mit entry (so only the quotes edited above are missing from it)."""
    monkeypatch.setenv("LICENSECMP_CACHE", str(tmp_path / "cache"))
    catalogue, texts = tmp_path / "cat", tmp_path / "texts"
    catalogue.mkdir()
    texts.mkdir()
    shutil.copy(REPO / "licenses" / "apache-2.0.yaml", catalogue)
    source = (REPO / "licenses" / "mit.yaml").read_text(encoding="utf-8")
    for old, new in EDITS:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    (catalogue / "mit-broken.yaml").write_text(source, encoding="utf-8")
    mit = load_file(REPO / "licenses" / "mit.yaml").license
    assert mit is not None
    quotes = [ev.quote for clause in mit.clauses.values() for ev in clause.evidence]
    (texts / "mit-edited.license.txt").write_text("\n\n".join(quotes), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("cat/mit-broken.yaml"), Path("texts")


EXPECTED = [
    "cat/mit-broken.yaml:2:5: id 'mit-edited' does not match the file name 'mit-broken' [$.id]",
    "cat/mit-broken.yaml:4:10: 7 is not of type 'string' [$.version]",
    "cat/mit-broken.yaml:5:15: '1988-02-30' is not a real date [$.release_date]",
    "cat/mit-broken.yaml:10:9: 'inforce' is not one of ['in_force', 'superseded', 'replaced', "
    "'announced'] [$.status]",
    "cat/mit-broken.yaml:11:13: supersedes names 'mit-0', which is not in the catalogue "
    "[$.supersedes]",
    "cat/mit-broken.yaml:13:10: spdx_id value 'apache-2.0' is also claimed by apache-2.0 "
    "[$.spdx_id]",
    "cat/mit-broken.yaml:15:18: hub_license_ids value 'apache-2.0' is also claimed by "
    "apache-2.0 [$.hub_license_ids]",
    "cat/mit-broken.yaml:27:13: document 'license': the text in texts does not match sha256 "
    "[$.documents[0].sha256]",
    "cat/mit-broken.yaml:31:12: 'allowed' is not one of ['permitted', 'conditional', "
    "'prohibited', 'not_addressed'] [$.clauses.commercial_use.value]",
    "cat/mit-broken.yaml:35:16: quote not found in document 'license': 'to deal in it freely' "
    "[$.clauses.commercial_use.evidence[0].quote]",
    "cat/mit-broken.yaml:41:19: unknown document 'addendum' "
    "[$.clauses.modification.evidence[0].document]",
    "cat/mit-broken.yaml:49:16: quote has 26 words; keep locators to 25 at most "
    "[$.clauses.redistribution.evidence[0].quote]",
    "cat/mit-broken.yaml:49:16: quote not found in document 'license': 'distribute, "
    "sublicense, and/or sell copies of the Software to anyone anywhere at any time for any "
    "reason whatsoever and under any terms the licensee may choose' "
    "[$.clauses.redistribution.evidence[0].quote]",
    "cat/mit-broken.yaml:146:16: quote not found in document 'license': 'THE SOFTWARE IS "
    'GUARANTEED "AS IS", WITHOUT WARRANTY OF ANY KIND\' '
    "[$.clauses.warranty_disclaimer.evidence[0].quote]",
]


def test_every_problem_of_every_kind_in_one_run(
    runner: CliRunner, broken: tuple[Path, Path]
) -> None:
    path, texts = broken
    result = runner.invoke(main, ["validate", str(path), "--texts", str(texts)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == EXPECTED
    assert result.stderr == (
        f"1 file(s) checked, 1 with problems, {len(EXPECTED)} problem(s); 17 quote(s) verified "
        "against texts, 1 without an available text\n"
    )


def test_json_lists_the_same_problems(runner: CliRunner, broken: tuple[Path, Path]) -> None:
    path, texts = broken
    args = ["validate", str(path), "--texts", str(texts), "--format", "json"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    (file,) = json.loads(result.stdout)["files"]
    shown = [
        f"{file['file']}:{p['line']}:{p['column']}: {p['message']} [{p['json_path']}]"
        for p in file["problems"]
    ]
    assert shown == EXPECTED


def test_a_second_run_reports_the_same_from_the_cache(
    runner: CliRunner, broken: tuple[Path, Path]
) -> None:
    """The pre-commit hook runs again after each fix: the cache never hides a problem."""
    path, texts = broken
    first = runner.invoke(main, ["validate", str(path), "--texts", str(texts)])
    again = runner.invoke(main, ["validate", str(path), "--texts", str(texts)])
    assert first.stdout == again.stdout
    assert again.stdout.splitlines() == EXPECTED


def test_the_whole_directory_reports_them_too(runner: CliRunner, broken: tuple[Path, Path]) -> None:
    """Given the directory (not the file), the valid neighbour passes and the broken file's
    problems are the same."""
    _, texts = broken
    result = runner.invoke(main, ["validate", "cat", "--texts", str(texts)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == EXPECTED
