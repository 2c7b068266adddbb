"""Command line: parse arguments, call a use case, print its result, map it to an exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from licensecmp import __version__
from licensecmp.errors import ExitCode, LicensecmpError

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ["text", "json", "markdown", "html"]

licenses_option = click.option(
    "--licenses",
    "licenses_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="LICENSECMP_LICENSES",
    help="Licence catalogue directory (default: the bundled catalogue).",
)


from_file_option = click.option(
    "--from-file",
    "from_file",
    type=click.File("r"),
    help="Read model ids from a file, one per line ('-' for stdin; # comments).",
)
concurrency_option = click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Models fetched at once.",
)
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(0.1, 300),
    default=10.0,
    show_default=True,
    help="Seconds per Hub request (the client has no timeout of its own).",
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
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug must never read as "denied" (1): exit 3, one line
            click.echo(f"licensecmp: internal error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(ExitCode.UNDECIDED)

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
@click.argument("models", nargs=-1)
@from_file_option
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(path_type=Path),
    help="Organisation policy (YAML); default: the built-in default policy.",
)
@click.option("--revision", help="Check this revision (branch, tag or commit) of every model.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="json: one JSON object per model per line, as each finishes; html and markdown: "
    "one report page for all models, written at the end.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of stdout (html and markdown only after every model is done).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["deny", "review"]),
    default="deny",
    show_default=True,
    help="The least verdict that exits 1.",
)
@concurrency_option
@timeout_option
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read model facts from this snapshot file: no network request at all.",
)
@licenses_option
@_errors_to_exit
def check(
    models: tuple[str, ...],
    from_file: Any,
    policy_file: Path | None,
    revision: str | None,
    fmt: str,
    fail_on: str,
    concurrency: int,
    timeout: float,
    snapshot_file: Path | None,
    output: Path | None,
    licenses_dir: Path | None,
) -> None:
    """What a Hub model's licence lets your organisation do: allow, review or deny.

    Follows the model's base models, resolves every licence that applies and evaluates them
    against --policy. The Hub is HF_ENDPOINT (default huggingface.co); HF_TOKEN is used for
    gated files and never printed. Exit 0 allow (and review unless --fail-on review),
    1 deny, 2 usage, 3 could not decide for some model.
    """
    from licensecmp import service
    from licensecmp.report import check as render

    ids = list(models) + (_ids_from(from_file) if from_file else [])
    if not ids:
        raise click.UsageError("name at least one model, or --from-file")
    checker = service.checker(
        licenses_dir, policy_file, timeout=timeout, snapshot_file=snapshot_file
    )
    streamed = fmt in ("text", "json")
    render_one = render.json_line if fmt == "json" else render.text
    sink = output.open("w", encoding="utf-8") if output and streamed else sys.stdout
    results = []
    worst = ExitCode.OK
    try:
        with _progress(len(ids)) as advance:
            for result in checker.check_many(((m, revision) for m in ids), workers=concurrency):
                if streamed:  # as soon as it is known: a killed run keeps what it finished
                    sink.write(render_one(result))
                    sink.flush()
                results.append(result)
                advance()
                worst = max(worst, _exit_for(result, fail_on))
    finally:
        if sink is not sys.stdout:
            sink.close()
    if not streamed:
        ordered = sorted(results, key=lambda r: ids.index(r.requested))
        page = _page_renderer(fmt).check_result(
            ordered, service.meta(checker.catalogue), checker.catalogue
        )
        _emit(page, output)
    sys.exit(worst)


def _exit_for(result: Any, fail_on: str) -> ExitCode:
    if result.error:
        return ExitCode.UNDECIDED
    failing = {"deny"} if fail_on == "deny" else {"deny", "review"}
    return ExitCode.FOUND if result.verdict.value in failing else ExitCode.OK


def _ids_from(handle: Any) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in handle)
    return [line for line in lines if line]


class _progress:
    """A progress bar on stderr, only when stderr is a terminal and there is more than one."""

    def __init__(self, total: int) -> None:
        self.bar: Any = None
        if total > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="checking", file=sys.stderr)

    def __enter__(self) -> Callable[[], None]:
        if self.bar is not None:
            self.bar.__enter__()
        return lambda: self.bar.update(1) if self.bar is not None else None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _emit(text: str, output: Path | None) -> None:
    """Write to -o only now that rendering succeeded (atomically), else to stdout."""
    if output is None:
        click.echo(text, nl=False)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LicensecmpError(f"{output}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)


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
@_errors_to_exit
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
    fmt = fmt or _format_for(output)
    if fmt == "text":
        rendered = plain.text(table, color=_color(output))
    elif fmt == "json":
        rendered = plain.as_json(table)
    else:
        renderer = _page_renderer(fmt)
        rendered = renderer.comparison(table, service.meta(catalogue, generated))
    _emit(rendered, output)


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
@_errors_to_exit
def diff(
    old: str, new: str, fmt: str | None, output: Path | None, licenses_dir: Path | None
) -> None:
    """What changed, clause by clause, from licence OLD to NEW (with both quotes)."""
    from licensecmp import service
    from licensecmp.report import comparison as plain

    changes = service.version_diff(licenses_dir, old, new)
    fmt = fmt or _format_for(output)
    if fmt == "text":
        rendered = plain.diff_text(changes, color=_color(output))
    elif fmt == "json":
        rendered = plain.diff_json(changes)
    else:
        catalogue = service.open_catalogue(licenses_dir)[0]
        rendered = _page_renderer(fmt).history(
            [changes.old, changes.new], [changes], service.meta(catalogue)
        )
    _emit(rendered, output)


def _format_for(output: Path | None) -> str:
    suffix = output.suffix.lower() if output else ""
    return {".html": "html", ".htm": "html", ".md": "markdown", ".json": "json"}.get(suffix, "text")


def _page_renderer(fmt: str) -> Any:
    """The page renderer module (html or markdown), imported only when used: jinja2 is heavy."""
    import importlib

    return importlib.import_module(f"licensecmp.report.{'html' if fmt == 'html' else 'markdown'}")


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
@click.option("--date", "generated", help="Print this generation date in every footer.")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Show the Hub usage recorded in this snapshot (see `enrich`).",
)
@licenses_option
@_errors_to_exit
def report(
    out_dir: Path,
    check_only: bool,
    generated: str | None,
    snapshot_file: Path | None,
    licenses_dir: Path | None,
) -> None:
    """Write the standard report set (HTML and Markdown): index, a page per licence, each
    family's version history and the flagship comparison.

    Deterministic: the same catalogue (and snapshot) gives the same bytes.
    """
    from licensecmp import reportset, service

    catalogue = service.strict_catalogue(licenses_dir)
    meta = service.meta(catalogue, generated)
    hub = service.hub_usage(snapshot_file) if snapshot_file else None
    if check_only:
        stale = reportset.check_set(catalogue, out_dir, meta, hub)
        for path in stale:
            click.echo(f"{out_dir / path}: stale (run `licensecmp report --out {out_dir}`)")
        click.echo(f"{len(stale)} stale report file(s) in {out_dir}", err=True)
        sys.exit(ExitCode.FOUND if stale else ExitCode.OK)
    written = reportset.write_set(catalogue, out_dir, meta, hub)
    click.echo(f"wrote {len(written)} report file(s) to {out_dir}", err=True)


@main.command()
@click.option(
    "--top",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="Models listed per licence, most downloaded first.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("reports/hub-snapshot.json"),
    show_default=True,
)
@timeout_option
@licenses_option
@_errors_to_exit
def enrich(top: int, output: Path, timeout: float, licenses_dir: Path | None) -> None:
    """Snapshot the Hub's most-downloaded models for every licence in the catalogue.

    One request per Hub licence id. The file is replaced only when every request succeeded.
    """
    from licensecmp import service

    count = service.enrich(
        licenses_dir,
        top,
        output,
        timeout=timeout,
        progress=lambda hub_id: click.echo(f"listing license:{hub_id}", err=True),
    )
    click.echo(f"wrote {output}: {count} model(s)", err=True)


@main.command()
@click.argument("models", nargs=-1)
@from_file_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Snapshot file to write.",
)
@click.option("--revision", help="Capture this revision of every model.")
@concurrency_option
@timeout_option
@licenses_option
@_errors_to_exit
def snapshot(
    models: tuple[str, ...],
    from_file: Any,
    output: Path,
    revision: str | None,
    concurrency: int,
    timeout: float,
    licenses_dir: Path | None,
) -> None:
    """Capture what `check` needs for MODELS and all their base models, for offline use.

    Carry the file across an air gap and run `licensecmp check --snapshot FILE` there.
    Exit 0, or 3 if some model could not be captured (the others are still saved).
    """
    from licensecmp import service

    ids = list(models) + (_ids_from(from_file) if from_file else [])
    if not ids:
        raise click.UsageError("name at least one model, or --from-file")
    checker = service.checker(licenses_dir, None, timeout=timeout, record=True)
    failed = [
        r for r in checker.check_many(((m, revision) for m in ids), workers=concurrency) if r.error
    ]
    for result in failed:
        click.echo(f"{result.requested}: not captured: {result.error}", err=True)
    count = service.save_recording(checker, output)
    click.echo(f"wrote {output}: {count} model(s)", err=True)
    sys.exit(ExitCode.UNDECIDED if failed else ExitCode.OK)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@licenses_option
@_errors_to_exit
def identify(files: tuple[Path, ...], fmt: str, licenses_dir: Path | None) -> None:
    """Which catalogue licence, and which version, each licence text FILE is.

    Robust to re-wrapping, markdown, quote styles and copyright lines; an edited text is named
    with exact=false and its similarity. Exit 0 all identified, 1 some matched nothing,
    3 some could not be read.
    """
    import json

    from licensecmp import fingerprints, service
    from licensecmp import identify as identify_text

    prints = (
        fingerprints.load(service.catalogue_dir(licenses_dir) / fingerprints.FILE_NAME)
        if licenses_dir
        else fingerprints.bundled()
    )
    worst = ExitCode.OK
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            click.echo(f"{path}: cannot read file: {exc.strerror or exc}", err=True)
            worst = max(worst, ExitCode.UNDECIDED)
            continue
        record = identify_text.as_record(str(path), identify_text.identify(text, prints))
        if record["license"] is None:
            worst = max(worst, ExitCode.FOUND)
        if fmt == "json":
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            how = "exact" if record["exact"] else f"similarity {record['similarity']}"
            click.echo(f"{path}: {record['license'] or 'no catalogue licence'} ({how})")
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
@_errors_to_exit
def fingerprint(texts_dir: Path, output: Path | None, licenses_dir: Path | None) -> None:
    """For maintainers: rebuild the fingerprints `identify` uses from the licence texts.

    Stores sampled hashes and sha256 digests only, never the texts.
    """
    from licensecmp import fingerprints, service

    catalogue = service.open_catalogue(licenses_dir)[0]
    out = output or service.catalogue_dir(licenses_dir) / fingerprints.FILE_NAME
    count = fingerprints.refresh(catalogue, texts_dir, out)
    click.echo(f"wrote {count} document fingerprint(s) to {out}", err=True)


@main.command()
@click.option("--policy", is_flag=True, help="Print the policy schema instead.")
def schema(policy: bool) -> None:
    """Print the JSON Schema that licence files follow."""
    from licensecmp.resources import schema_text

    click.echo(schema_text("policy.schema.json" if policy else "license.schema.json"), nl=False)


def _warn(problems: list[Any]) -> None:
    for problem in problems:
        click.echo(f"warning: skipped invalid licence file: {problem}", err=True)
