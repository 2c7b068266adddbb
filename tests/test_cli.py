"""The command line as users meet it: help, exit codes, output channels, lean start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp import __version__
from licensecmp.cli import main

COMMANDS = sorted(main.commands)  # type: ignore[attr-defined]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"licensecmp, version {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {command}")


def _leaf_commands() -> list[list[str]]:
    """Every command as typed, a group's subcommands included (`policy show`)."""
    leaves = []
    for name in COMMANDS:
        command = main.commands[name]  # type: ignore[attr-defined]
        subcommands = sorted(getattr(command, "commands", {}))
        leaves += [[name, sub] for sub in subcommands] if subcommands else [[name]]
    return leaves


def test_every_command_takes_another_catalogue(runner: CliRunner) -> None:
    for command in _leaf_commands():
        if command in (["schema"], ["policy", "init"]):  # fixed texts, no catalogue read
            continue
        help_text = runner.invoke(main, [*command, "--help"]).stdout
        assert "--licenses" in help_text, command


def test_validate_imports_neither_the_hub_client_nor_jinja() -> None:
    """Pre-commit latency: validate pays only for yaml, jsonschema and click."""
    code = (
        "import sys\n"
        "from licensecmp.cli import main\n"
        "try:\n"
        "    main(['validate'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "print(sorted(m for m in ('huggingface_hub', 'jinja2', 'httpx2') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_show_by_hub_id_says_which_version_it_chose(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "gemma"])
    assert result.exit_code == 0
    assert "also names gemma-2024-04-01; showing the version in force, gemma-2025-03-24" in (
        result.stderr
    )
    assert result.stdout.startswith("Gemma Terms of Use")
    assert "USER THRESHOLD" not in result.stdout  # titles are per clause, groups upper-case
    assert "THRESHOLDS AND SCOPE" in result.stdout


def test_unknown_licence_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "no-such-licence"])
    assert result.exit_code == 2
    assert result.stderr == (
        "licensecmp: error: unknown licence 'no-such-licence': not a catalogue, Hub or SPDX id "
        "(see `licensecmp list`)\n"
    )


def test_compare_text_fits_80_columns_without_colour_off_a_terminal(runner: CliRunner) -> None:
    result = runner.invoke(main, ["compare", "llama3.1", "gemma", "qwen", "mit", "gpt-oss"])
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "\x1b[" not in result.stdout
    assert "llama-3.1         ◐ Conditional: Applies\n" in result.stdout  # the vocabulary's
    assert "threshold: 700,000,000 monthly active users; above it:" in result.stdout
    assert (
        "  legend: ✓ Permissive  ◐ Conditional  ✕ Restrictive  i Informational\n"
        "          — Not addressed\n"
    ) in result.stdout


def test_compare_json_marks_rows_that_differ(runner: CliRunner) -> None:
    result = runner.invoke(main, ["compare", "--format", "json", "llama-3.1", "llama-3.2"])
    doc = json.loads(result.stdout)
    rows = {r["clause"]: r for r in doc["rows"]}
    assert rows["geographic_restriction"]["differs"] is True
    assert rows["user_threshold"]["differs"] is False
    cell = rows["user_threshold"]["cells"][0]
    assert cell["params"]["monthly_active_users"] == 700_000_000
    assert cell["evidence"][0]["url"].startswith("https://")


def test_diff_names_what_changed_between_versions(runner: CliRunner) -> None:
    result = runner.invoke(main, ["diff", "--format", "json", "llama-2", "llama-3"])
    changes = {c["clause"] for c in json.loads(result.stdout)["changes"]}
    assert {"attribution", "derivative_naming"} <= changes
    assert "user_threshold" not in changes


def test_output_file_is_written_only_after_rendering_succeeded(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "comparison.json"
    out.write_text("previous")
    failed = runner.invoke(main, ["compare", "mit", "nope", "-o", str(out)])
    assert failed.exit_code == 2
    assert out.read_text() == "previous"
    done = runner.invoke(main, ["compare", "mit", "apache-2.0", "-o", str(out)])
    assert done.exit_code == 0
    assert json.loads(out.read_text())["format_version"] == 1
    assert done.stdout == ""


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    from licensecmp.compare import compare
    from licensecmp.report.comparison import text
    from licensecmp.service import open_catalogue

    catalogue = open_catalogue()[0]
    table = compare([catalogue.get("mit"), catalogue.get("llama-3.1")])  # type: ignore[list-item]
    assert "\x1b[32m" in text(table, color=True)
    env = {**os.environ, "NO_COLOR": "1"}
    script = (
        "import sys; sys.stdout.isatty = lambda: True\n"
        "from licensecmp.cli import main\n"
        "main(['compare', 'mit', 'llama-3.1'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0
    assert "\x1b[" not in done.stdout


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "lama-3.1",
            "unknown licence 'lama-3.1': not a catalogue, Hub or SPDX id; did you mean "
            "'llama-3.1'?",
        ),
        (
            "Llama-3.1",
            "unknown licence 'Llama-3.1': not a catalogue, Hub or SPDX id; did you mean "
            "'llama-3.1'?",
        ),
        (
            "llama",
            "'llama' names a licence family, not one licence: name a version (llama-2, llama-3, "
            "llama-3.1, llama-3.2, llama-3.3, llama-4)",
        ),
        (
            "meta-llama/Llama-3.1-8B",
            "unknown licence 'meta-llama/Llama-3.1-8B': not a catalogue, Hub or SPDX id; it looks "
            "like a Hub model id: try `licensecmp check meta-llama/Llama-3.1-8B`",
        ),
    ],
)
def test_an_unknown_id_gets_help_at_the_point_of_error(
    runner: CliRunner, name: str, message: str
) -> None:
    for command in (["show", name], ["compare", "mit", name]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2
        assert result.stderr == f"licensecmp: error: {message}\n"


def test_list_and_show_fit_80_columns_and_keep_ids_whole(runner: CliRunner) -> None:
    listed = runner.invoke(main, ["list"])
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "STATUS", "NAME"]
    assert max(len(line) for line in lines) <= 80
    ids = [line.split()[0] for line in lines[1:]]
    assert "fair-noncommercial-research-2024-10-18" in ids  # the longest id, whole
    assert "in force" in listed.stdout and "in_force" not in listed.stdout
    for license_id in ids:
        shown = runner.invoke(main, ["show", license_id])
        assert shown.exit_code == 0
        assert max(len(line) for line in shown.stdout.splitlines()) <= 80, license_id
