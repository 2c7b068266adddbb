"""Commands on organisation policies: write a starter policy, show the effective one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from licensecmp.cli import emit, errors_to_exit, licenses_option, main
from licensecmp.errors import UsageError


@main.group()
def policy() -> None:
    """Organisation policies: `policy init` writes a starter, `policy show` the effective one."""


@policy.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the policy to this file (default: stdout).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing --output file.")
@errors_to_exit
def init(output: Path | None, force: bool) -> None:
    """Write a starter policy: every field, each explained in a comment.

    Edit it, then `licensecmp check --policy FILE`. Exit 0 written, 2 the file exists
    (without --force).
    """
    from licensecmp import policyfile

    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} exists; pass --force to overwrite it")
    emit(policyfile.starter(), output)


@policy.command()
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Policy file (YAML); default: the built-in default policy.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="Output format on stdout.",
)
@licenses_option
@errors_to_exit
def show(policy_file: Path | None, fmt: str, licenses_dir: Path | None) -> None:
    """Print the policy `check` would apply, every field written out and licence ids resolved
    to catalogue ids (a family or shared Hub id shows every version it names).

    Without --policy, the built-in default. Exit 0, or 2 when the policy file is invalid
    (every problem as `file:line:column: message [json path]`).
    """
    from licensecmp import policyfile, service, yamlsource

    catalogue = service.strict_catalogue(licenses_dir)
    chosen = service.load_policy(policy_file, catalogue)
    if policy_file is None:
        click.echo("note: no --policy: this is the built-in default policy", err=True)
    data = policyfile.to_data(chosen)
    click.echo(
        json.dumps(data, indent=2) + "\n" if fmt == "json" else yamlsource.dump(data), nl=False
    )
