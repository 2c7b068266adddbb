"""Every bad example file gets exactly the lines beside it; good files pass; batches go on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp.cli import main
from licensecmp.yamlsource import MAX_BYTES

from .conftest import DATA

BAD = sorted((DATA / "bad").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_prints_exactly_its_expected_lines(runner: CliRunner, path: Path) -> None:
    result = runner.invoke(main, ["validate", f"bad/{path.name}"])
    assert result.exit_code == 1
    assert result.stdout == path.with_suffix(".expected").read_text()
    assert "Traceback" not in result.output


def test_good_file_is_valid(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "good/mit.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "1 file(s) checked, 0 with problems" in result.stderr


def test_batch_reports_every_bad_file_and_passes_the_good_one(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "good/mit.yaml", *(f"bad/{p.name}" for p in BAD)])
    assert result.exit_code == 1
    expected = "".join(p.with_suffix(".expected").read_text() for p in BAD)
    assert result.stdout == expected
    assert "good/mit.yaml" not in result.stdout


def test_file_over_the_size_limit_is_refused_unparsed(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_BYTES + "\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate", "big.yaml"])
    assert result.exit_code == 1
    assert (
        result.stdout
        == f"big.yaml: file is {MAX_BYTES + 3} bytes, over the {MAX_BYTES}-byte limit\n"
    )


def test_missing_path_is_a_usage_error_and_other_files_are_still_checked(
    runner: CliRunner,
) -> None:
    result = runner.invoke(main, ["validate", "nowhere.yaml", "bad/wrong-id.yaml"])
    assert result.exit_code == 2
    assert result.stdout == (
        "nowhere.yaml: no such file or directory\n"
        + (DATA / "bad" / "wrong-id.expected").read_text()
    )


def test_directory_without_licence_files_is_a_usage_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout == f"{tmp_path}: directory holds no licence files (*.yaml)\n"


def test_unreadable_file_means_could_not_run(runner: CliRunner, tmp_path: Path) -> None:
    # A directory named like a licence file cannot be read as one, even by root.
    from licensecmp import yamlsource

    parsed, unreadable = yamlsource.read(tmp_path, "x.yaml")
    assert unreadable
    assert str(parsed.problems[0]) == "x.yaml: not a regular file (a directory)"


def test_json_output_carries_its_format_version_and_every_problem(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["validate", "--format", "json", "good/mit.yaml", "bad/duplicate-key.yaml"]
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["format_version"] == 1
    assert doc["valid"] is False
    by_file = {f["file"]: f for f in doc["files"]}
    assert by_file["good/mit.yaml"] == {
        "file": "good/mit.yaml",
        "valid": True,
        "license": "mit",
        "problems": [],
    }
    assert by_file["bad/duplicate-key.yaml"]["problems"] == [
        {
            "line": 9,
            "column": 1,
            "json_path": None,
            "message": "found duplicate key 'family' (first at line 7)",
        }
    ]


def test_unquoted_date_stays_the_string_written() -> None:
    from licensecmp import yamlsource

    parsed = yamlsource.parse_bytes(b"release_date: 2024-07-23\nflag: yes\n", "x.yaml")
    assert parsed.data == {"release_date": "2024-07-23", "flag": True}


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_unreadable_file_exits_3_and_the_rest_is_still_checked(runner: CliRunner) -> None:
    # /proc/self/mem exists but cannot be read from offset 0, even by root.
    result = runner.invoke(main, ["validate", "/proc/self/mem", "bad/wrong-id.yaml"])
    assert result.exit_code == 3
    assert result.stdout == (
        "/proc/self/mem: cannot read file: Input/output error\n"
        + (DATA / "bad" / "wrong-id.expected").read_text()
    )
