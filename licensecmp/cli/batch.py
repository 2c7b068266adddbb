"""The output contract `check` and `scan` share: results printed as they finish, a summary
line, progress on a terminal, a report page at the end, and the exit code of the worst."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from licensecmp.cli import FORMATS, emit, page_renderer, say
from licensecmp.errors import ExitCode
from licensecmp.textsafe import visible

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "cyclonedx"]),
    default=None,
    help="text (the default): each model in input order, then a summary line on stderr; "
    "json: one JSON object per model per line, as each finishes; html and markdown: one "
    "report page for all models, written at the end; cyclonedx: a CycloneDX 1.6 JSON bill "
    "of materials, one component per model, written at the end. Default: from -o's extension.",
)
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of stdout (html, markdown and cyclonedx only after every model "
    "is done); without --format, .txt, .json, .md, .html or .cdx.json choose the format.",
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(["deny", "review"]),
    default="deny",
    show_default=True,
    help="The least verdict that exits 1.",
)
policy_option = click.option(
    "--policy",
    "policy_file",
    type=click.Path(path_type=Path),
    help="Organisation policy (YAML); default: the built-in default policy.",
)
online_option = click.option(
    "--online",
    is_flag=True,
    help="Model folders: look the base models they name up on the Hub when the local "
    "Hugging Face cache (and --snapshot) lack them. Without it a folder check makes no "
    "request, and a base it cannot see asks for review.",
)
hf_cache_option = click.option(
    "--hf-cache",
    "hf_cache",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folders: the Hugging Face cache to look bases up in; default: "
    "huggingface_hub's (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub).",
)
date_option = click.option(
    "--date",
    "generated",
    help="Say the check ran at this date (html, markdown; cyclonedx: the BOM's timestamp, an "
    "ISO date or date and time); default: now, in UTC.",
)

_EXTENSIONS = {".txt": "text", ".json": "json", ".jsonl": "json", ".md": "markdown"}
_EXTENSIONS |= {".markdown": "markdown", ".html": "html", ".htm": "html"}
_COMPOUND = {".cdx.json": "cyclonedx"}  # CycloneDX's recommended name for a JSON BOM


def format_of(fmt: str | None, output: Path | None, generated: str | None = None) -> str:
    """--format, else the format -o's name says (a name that names none is a usage error);
    then -o's directory is checked, and --date when it becomes a BOM's timestamp: all before
    any work starts."""
    from licensecmp import safeio

    found = fmt or ("text" if output is None else _named_format(output))
    if output is not None:
        safeio.require_directory(output)
    if found == "cyclonedx" and generated is not None:
        try:
            page_renderer(found).timestamp(generated)
        except ValueError:
            raise click.BadParameter(
                f"{generated!r} is not an ISO date (2025-01-31) or date and time "
                "(2025-01-31T12:00:00Z)",
                param_hint="'--date'",
            ) from None
    return found


def _named_format(output: Path) -> str:
    name = output.name.lower()
    compound = [fmt for ext, fmt in _COMPOUND.items() if name.endswith(ext)]
    found = compound[0] if compound else _EXTENSIONS.get(output.suffix.lower())
    if found is None:
        raise click.UsageError(
            f"cannot tell the format of {output} from its extension: name it .txt, .json, "
            ".md, .html or .cdx.json, or give --format"
        )
    return found


def deliver(
    indexed: Iterator[tuple[int, Any]],
    total: int,
    fmt: str,
    output: Path | None,
    fail_on: str,
) -> tuple[list[Any], ExitCode]:
    """Print each result of `indexed` ((input position, CheckResult) as each finishes): json
    as soon as it is known, text in input order as soon as every earlier one is out. Returns
    every result in input order and the exit code of the worst. Ctrl-C prints the finished
    text results held back for their turn, says how many finished, and re-raises."""
    from licensecmp import safeio
    from licensecmp.report import check as render

    streamed = fmt in ("text", "json")
    render_one = render.json_line if fmt == "json" else render.text
    results: list[Any] = [None] * total
    held: dict[int, Any] = {}  # text: finished, waiting for an earlier model to be printed
    printed = 0
    worst = ExitCode.OK
    with contextlib.ExitStack() as stack:
        # -o streams into a temporary file that replaces FILE at the end, and also when the
        # run is interrupted: what was finished is kept, never a half-written line.
        sink = (
            stack.enter_context(safeio.open_atomic(output, keep_on_error=True))
            if output and streamed
            else sys.stdout
        )

        def write(result: Any) -> None:
            sink.write(render_one(result))
            sink.flush()

        try:
            with _Progress(total) as advance:
                for index, result in indexed:
                    results[index] = result
                    if fmt == "json":  # as soon as it is known: a killed run keeps what it finished
                        write(result)
                    elif fmt == "text":  # in input order, each as soon as all before it are out
                        held[index] = result
                        while printed in held:
                            write(held.pop(printed))
                            printed += 1
                    advance()
                    worst = max(worst, exit_for(result, fail_on))
        except KeyboardInterrupt:
            for index in sorted(held):  # finished results are kept, even out of their turn
                write(held[index])
            done = sum(r is not None for r in results)
            say(f"licensecmp: {done} of {total} model(s) finished", err=True)
            raise
    return results, worst


def write_page(
    fmt: str, results: list[Any], checker: Any, generated: str | None, output: Path | None
) -> None:
    """The html or markdown page, or the CycloneDX BOM, for every result once all are done
    (nothing for streams)."""
    from licensecmp import service

    if fmt in ("text", "json"):
        return
    meta = service.meta(checker.catalogue, generated or service.utc_now())
    page = page_renderer(fmt).check_result(results, meta, checker.catalogue, checker.policy)
    emit(page, output)


def summary(results: list[Any], policy: str, *, whole: bool) -> str:
    """For stderr: the headline (how many models got each verdict), and with `whole` the
    models by licence and those that drop a base model's terms."""
    from licensecmp import rollup
    from licensecmp.report import rollup as render

    counted = rollup.of(results, policy)
    return render.text(counted) if whole else visible(render.headline(counted)) + "\n"


def exit_for(result: Any, fail_on: str) -> ExitCode:
    if result.error:
        return ExitCode.UNDECIDED
    failing = {"deny"} if fail_on == "deny" else {"deny", "review"}
    return ExitCode.FOUND if result.verdict.value in failing else ExitCode.OK


class _Progress:
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


def write_summary(results: list[Any], policy: str, target: Path) -> None:
    """The summary as one JSON document, written atomically (`scan --summary FILE`)."""
    from licensecmp import rollup, safeio
    from licensecmp.report import rollup as render

    safeio.write_atomic(target, render.json_document(rollup.of(results, policy)))
