"""Command line: parse arguments, call a use case, print its result, map it to an exit code."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from licensecmp import __version__
from licensecmp.errors import ExitCode, LicensecmpError

F = TypeVar("F", bound=Callable[..., Any])

licenses_option = click.option(
    "--licenses",
    "licenses_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="LICENSECMP_LICENSES",
    help="Licence catalogue directory (default: the bundled catalogue).",
)


def _errors_to_exit(func: F) -> F:
    """Turn our exceptions into one line on stderr and their exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LicensecmpError as exc:
            click.echo(f"licensecmp: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("licensecmp: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="licensecmp")
def main() -> None:
    """What an open-weight model's licence lets you do, compared clause by clause.

    Exit codes: 0 ok/allow, 1 problem found/deny, 2 usage error, 3 could not run or decide.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format on stdout.",
)
@click.option(
    "--texts",
    "texts_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of licence texts: every quote must be found in its document.",
)
@licenses_option
@_errors_to_exit
def validate(
    paths: tuple[Path, ...], fmt: str, texts_dir: Path | None, licenses_dir: Path | None
) -> None:
    """Check licence files (default: the catalogue) against the schema and each other.

    Prints every problem as `file:line:column: message [json path]`.
    Exit 0 all valid, 1 problems found, 2 a path names nothing, 3 a file could not be read.
    """
    from licensecmp import service
    from licensecmp import validate as use_case
    from licensecmp.report import validation

    if paths:  # cross-checked against --licenses, else against the files' own directories
        run = use_case.run(list(paths), catalogue_dir=licenses_dir, texts_dir=texts_dir)
    else:
        directory = service.catalogue_dir(licenses_dir)
        run = use_case.run([directory], catalogue_dir=directory, texts_dir=texts_dir)
    click.echo(validation.as_json(run) if fmt == "json" else validation.text(run), nl=False)
    click.echo(validation.summary(run), err=True)
    if run.unreadable:
        sys.exit(ExitCode.UNDECIDED)
    if run.usage_problems:
        sys.exit(ExitCode.USAGE)
    sys.exit(ExitCode.FOUND if run.problems else ExitCode.OK)


@main.command("list")
@licenses_option
@_errors_to_exit
def list_(licenses_dir: Path | None) -> None:
    """List the catalogue: id, name, version, licensor, status."""
    from licensecmp import service
    from licensecmp.report import terminal

    catalogue, problems = service.open_catalogue(licenses_dir)
    _warn(problems)
    click.echo(terminal.table(catalogue), nl=False)


@main.command()
@click.argument("license_id")
@licenses_option
@_errors_to_exit
def show(license_id: str, licenses_dir: Path | None) -> None:
    """Show one licence's clauses with their evidence (catalogue, Hub or SPDX id)."""
    from licensecmp import service
    from licensecmp.report import terminal

    catalogue, problems = service.open_catalogue(licenses_dir)
    _warn(problems)
    (found,) = service.resolve(catalogue, [license_id])
    if found.ambiguous_with:
        click.echo(
            f"note: {license_id!r} also names {', '.join(found.ambiguous_with)}; "
            f"showing the version in force, {found.license.id}",
            err=True,
        )
    click.echo(terminal.show(found.license), nl=False)


@main.command()
@click.option("--policy", is_flag=True, help="Print the policy schema instead.")
def schema(policy: bool) -> None:
    """Print the JSON Schema that licence files follow."""
    from licensecmp.resources import schema_text

    click.echo(schema_text("policy.schema.json" if policy else "license.schema.json"), nl=False)


def _warn(problems: list[Any]) -> None:
    for problem in problems:
        click.echo(f"warning: skipped invalid licence file: {problem}", err=True)
