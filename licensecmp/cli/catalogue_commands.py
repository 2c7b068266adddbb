"""Commands on the licence catalogue: validate, list, show, identify, fingerprint, compile,
schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from licensecmp.cli import (
    FORMATS,
    emit,
    errors_to_exit,
    format_for,
    licenses_option,
    main,
    page_renderer,
    say,
    warn,
)
from licensecmp.errors import CatalogueError, ExitCode


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
@errors_to_exit
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
@errors_to_exit
def list_(licenses_dir: Path | None) -> None:
    """List the catalogue: id, name, version, licensor, status."""
    from licensecmp import service
    from licensecmp.report import terminal

    catalogue, problems = service.open_catalogue(licenses_dir)
    warn(problems)
    click.echo(terminal.table(catalogue.identities()), nl=False)


@main.command()
@click.argument("license_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Default: html when -o ends in .html, markdown for .md, json for .json, else text.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (only after rendering succeeded) instead of stdout.",
)
@click.option("--date", "generated", help="Print this generation date in the page footer.")
@licenses_option
@errors_to_exit
def show(
    license_id: str,
    fmt: str | None,
    output: Path | None,
    generated: str | None,
    licenses_dir: Path | None,
) -> None:
    """Show one licence's clauses with their evidence (catalogue, Hub or SPDX id).

    A Hub family id (`gpl`, `cc`, `bsd`…) lists the family's versions and what they share
    (as html or markdown: a comparison of its versions).
    """
    from licensecmp import families, service
    from licensecmp.report import entry, terminal

    catalogue, problems = service.open_catalogue(licenses_dir)
    warn(problems)
    fmt = fmt or format_for(output)
    family = families.match(license_id, catalogue)
    if family is not None:
        if fmt == "text":
            rendered = terminal.family(family)
        elif fmt == "json":
            rendered = entry.family_json(family)
        else:
            rendered = page_renderer(fmt).comparison(
                service.family_comparison(family), service.meta(catalogue, generated)
            )
        emit(rendered, output)
        return
    (found,) = service.resolve(catalogue, [license_id])
    note = None
    if found.ambiguous_with:
        note = (
            f"{license_id!r} also names {', '.join(found.ambiguous_with)}; "
            f"showing the version in force, {found.license.id}"
        )
        say(f"note: {note}", err=True)
    lic = found.license
    if fmt == "text":
        rendered = terminal.show(lic)
    elif fmt == "json":
        rendered = entry.as_json(lic, note)
    else:
        rendered = page_renderer(fmt).license_page(
            lic, service.meta(catalogue, generated), service.predecessor_diff(catalogue, lic)
        )
    emit(rendered, output)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@licenses_option
@errors_to_exit
def identify(files: tuple[Path, ...], fmt: str, licenses_dir: Path | None) -> None:
    """Which catalogue licence, and which version, each licence text FILE is.

    Robust to re-wrapping, markdown, quote styles and copyright lines; an edited text is named
    with exact=false and its similarity. Files over 1 MiB, or that are not regular files, are
    not read. Exit 0 all identified, 1 some matched nothing, 3 some could not be read.
    """
    import json

    from licensecmp import fingerprints, safeio, service
    from licensecmp import identify as identify_text
    from licensecmp.errors import InputError
    from licensecmp.textsafe import json_safe

    prints = (
        fingerprints.load(service.catalogue_dir(licenses_dir) / fingerprints.FILE_NAME)
        if licenses_dir
        else fingerprints.bundled()
    )
    worst = ExitCode.OK
    for path in files:
        try:
            text = safeio.read_text(path, identify_text.MAX_BYTES, errors="replace")
        except InputError as exc:
            say(str(exc), err=True)
            worst = max(worst, ExitCode.UNDECIDED)
            continue
        record = identify_text.as_record(str(path), identify_text.identify(text, prints))
        if record["license"] is None:
            worst = max(worst, ExitCode.FOUND)
        if fmt == "json":
            click.echo(json_safe(json.dumps(record, ensure_ascii=False)))
        else:
            how = "exact" if record["exact"] else f"similarity {record['similarity']}"
            say(f"{path}: {record['license'] or 'no catalogue licence'} ({how})")
    sys.exit(worst)


@main.command()
@click.option(
    "--texts",
    "texts_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of licence texts (as for validate --texts).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Default: fingerprints.json in the catalogue directory.",
)
@licenses_option
@errors_to_exit
def fingerprint(texts_dir: Path, output: Path | None, licenses_dir: Path | None) -> None:
    """For maintainers: rebuild the fingerprints `identify` uses from the licence texts.

    Stores sampled hashes and sha256 digests only, never the texts.
    """
    from licensecmp import fingerprints, service

    catalogue = service.open_catalogue(licenses_dir)[0]
    out = output or service.catalogue_dir(licenses_dir) / fingerprints.FILE_NAME
    count = fingerprints.refresh(catalogue, texts_dir, out)
    say(f"wrote {count} document fingerprint(s) to {out}", err=True)


@main.command("compile")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 when the index is stale or missing.",
)
@licenses_option
@errors_to_exit
def compile_(check_only: bool, licenses_dir: Path | None) -> None:
    """For maintainers: rebuild the catalogue's compiled index, `index.json`.

    Validates every licence file from scratch and stores the entries, so that other commands
    read them without parsing or validating. An index that no longer matches the files (or
    the schema and rules) is never used: they are validated instead. Exit 1 when --check finds
    it stale, or when a licence file is invalid (nothing is written then).
    """
    from licensecmp import service

    try:
        target, stale = service.compile_index(licenses_dir, check_only=check_only)
    except CatalogueError as exc:
        click.echo(f"licensecmp: error: {exc}", err=True)
        sys.exit(ExitCode.FOUND)
    if check_only:
        if stale:
            click.echo(f"{target}: stale (run `licensecmp compile`)")
        click.echo(f"{target}: {'stale' if stale else 'up to date'}", err=True)
        sys.exit(ExitCode.FOUND if stale else ExitCode.OK)
    click.echo(f"{target}: {'written' if stale else 'already up to date'}", err=True)


@main.command()
@click.option("--policy", is_flag=True, help="Print the policy schema instead.")
@errors_to_exit
def schema(policy: bool) -> None:
    """Print the JSON Schema that licence files follow."""
    from licensecmp.resources import schema_text

    click.echo(schema_text("policy.schema.json" if policy else "license.schema.json"), nl=False)
