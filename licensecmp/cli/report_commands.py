"""Commands that render comparisons and reports: compare, diff, report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from licensecmp.cli import (
    FORMATS,
    color_for,
    emit,
    errors_to_exit,
    format_for,
    licenses_option,
    main,
    page_renderer,
    say,
)
from licensecmp.errors import ExitCode


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--only-differences", is_flag=True, help="Show only clauses where they differ.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Default: html when -o ends in .html, markdown for .md, else text.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (only after rendering succeeded) instead of stdout.",
)
@click.option("--date", "generated", help="Print this generation date in the report footer.")
@licenses_option
@errors_to_exit
def compare(
    names: tuple[str, ...],
    only_differences: bool,
    fmt: str | None,
    output: Path | None,
    generated: str | None,
    licenses_dir: Path | None,
) -> None:
    """Compare licences clause by clause: catalogue ids, Hub ids (llama3.1, gemma) or SPDX ids.

    Example: licensecmp compare llama3.1 gemma qwen mit gpt-oss -o comparison.html
    """
    from licensecmp import service
    from licensecmp.report import comparison as plain

    table, catalogue = service.comparison(
        licenses_dir, list(names), only_differences=only_differences
    )
    fmt = fmt or format_for(output)
    if fmt == "text":
        rendered = plain.text(table, color=color_for(output))
    elif fmt == "json":
        rendered = plain.as_json(table)
    else:
        renderer = page_renderer(fmt)
        rendered = renderer.comparison(table, service.meta(catalogue, generated))
    emit(rendered, output)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Default: by -o's extension, else text.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@licenses_option
@errors_to_exit
def diff(
    old: str, new: str, fmt: str | None, output: Path | None, licenses_dir: Path | None
) -> None:
    """What changed, clause by clause, from licence OLD to NEW (with both quotes)."""
    from licensecmp import service
    from licensecmp.report import comparison as plain

    changes = service.version_diff(licenses_dir, old, new)
    fmt = fmt or format_for(output)
    if fmt == "text":
        rendered = plain.diff_text(changes, color=color_for(output))
    elif fmt == "json":
        rendered = plain.diff_json(changes)
    else:
        catalogue = service.open_catalogue(licenses_dir)[0]
        rendered = page_renderer(fmt).history(
            [changes.old, changes.new], [changes], service.meta(catalogue)
        )
    emit(rendered, output)


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Directory of the report set.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 listing every file that is stale, missing or extra.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty directory that holds no report manifest (removes nothing).",
)
@click.option("--date", "generated", help="Print this generation date in every footer.")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Show the Hub usage recorded in this snapshot (see `enrich`).",
)
@licenses_option
@errors_to_exit
def report(
    out_dir: Path,
    check_only: bool,
    force: bool,
    generated: str | None,
    snapshot_file: Path | None,
    licenses_dir: Path | None,
) -> None:
    """Write the standard report set (HTML and Markdown): index, a page per licence, each
    family's version history and the flagship comparison.

    Deterministic: the same catalogue (and snapshot) gives the same bytes. The directory's
    .licensecmp-manifest.json lists the files written: a later run replaces and removes those
    only, and a non-empty directory without one is refused (exit 2) unless --force.
    """
    from licensecmp import reportset, service

    catalogue = service.strict_catalogue(licenses_dir)
    meta = service.meta(catalogue, generated)
    hub = service.hub_usage(snapshot_file) if snapshot_file else None
    if check_only:
        stale = reportset.check_set(catalogue, out_dir, meta, hub)
        for path in stale:
            say(f"{out_dir / path}: stale (run `licensecmp report --out {out_dir}`)")
        say(f"{len(stale)} stale report file(s) in {out_dir}", err=True)
        sys.exit(ExitCode.FOUND if stale else ExitCode.OK)
    written = reportset.write_set(catalogue, out_dir, meta, hub, force=force)
    say(f"wrote {len(written)} report file(s) to {out_dir}", err=True)
