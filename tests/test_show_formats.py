"""`show --format text|json|markdown|html`: one entry as a reader, a script or a page gets it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from licensecmp.clauses import CLAUSES
from licensecmp.cli import main

from .conftest import REPO


def test_json_holds_the_entry_with_every_clause_rating_and_evidence(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "llama-3.1", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["format_version"] == 1
    assert {k: doc[k] for k in ("id", "version", "release_date", "status", "status_word")} == {
        "id": "llama-3.1",
        "version": "3.1",
        "release_date": "2024-07-23",
        "status": "superseded",
        "status_word": "Superseded",
    }
    assert (doc["supersedes"], doc["superseded_by"], doc["family"]) == (
        "llama-3",
        "llama-3.2",
        "llama",
    )
    assert [d["id"] for d in doc["documents"]] == ["license", "aup"]
    assert all(len(d["sha256"]) == 64 for d in doc["documents"])
    assert [c["clause"] for c in doc["clauses"]] == [spec.name for spec in CLAUSES]
    users = next(c for c in doc["clauses"] if c["clause"] == "user_threshold")
    assert users["value"] == "applies"
    assert (users["rating"], users["rating_word"]) == ("conditional", "Conditional")
    assert users["title"] == "User threshold"
    assert users["params"]["monthly_active_users"] == 700_000_000
    assert users["params"]["effect"] == "rights_withheld"  # JSON keeps the values
    assert users["evidence"][0]["document"] == "license"
    assert users["evidence"][0]["section"] == "2. Additional Commercial Terms"
    assert users["evidence"][0]["quote"].startswith("If, on the Llama 3.1 version release date")
    law = next(c for c in doc["clauses"] if c["clause"] == "governing_law")
    assert (law["rating"], law["rating_word"]) == ("informational", "Informational")


def test_json_says_which_version_an_id_chose(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "gemma", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["id"] == "gemma-2025-03-24"
    assert doc["note"] == (
        "'gemma' also names gemma-2024-04-01; showing the version in force, gemma-2025-03-24"
    )


def test_markdown_and_html_are_the_licence_pages_of_the_report_set(runner: CliRunner) -> None:
    """The same renderer as `report`: the committed pages, byte for byte (no --date)."""
    for fmt, ext in (("markdown", "md"), ("html", "html")):
        result = runner.invoke(main, ["show", "llama3.1", "--format", fmt])
        assert result.exit_code == 0, result.output
        committed = (REPO / "reports" / "licenses" / f"llama-3.1.{ext}").read_text()
        assert result.stdout == committed, fmt


def test_output_file_chooses_the_format_by_extension(runner: CliRunner, tmp_path: Path) -> None:
    for name, start in (("mit.json", "{\n"), ("mit.html", "<!DOCTYPE html>"), ("mit.md", "# ")):
        result = runner.invoke(main, ["show", "mit", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert result.stderr == f"wrote {tmp_path / name}\n"
        assert (tmp_path / name).read_text().startswith(start), name
    assert json.loads((tmp_path / "mit.json").read_text())["id"] == "mit"


def test_a_family_as_json_lists_its_versions_and_shared_terms(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "gpl", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["family"] == {"id": "gpl", "title": "GNU General Public License"}
    assert [v["id"] for v in doc["versions"]] == ["gpl-2.0", "gpl-3.0"]
    share = next(a for a in doc["common"] if a["clause"] == "share_alike")
    assert share == {
        "clause": "share_alike",
        "value": "required",
        "label": "Required",
        "rating": "conditional",
        "rating_word": "Conditional",
    }


def test_a_family_as_a_page_compares_its_versions(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "gpl", "--format", "markdown"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Licence comparison\n")
    assert (
        "- 'gpl' names a licence family, not one licence: it may mean any of gpl-2.0, gpl-3.0\n"
        in result.stdout
    )


def test_text_stays_the_default(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "mit"])
    assert result.exit_code == 0
    assert result.stdout.startswith("MIT License (version")
