"""Commands that ask the Hub (or a snapshot of it): check, enrich, snapshot."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from licensecmp.cli import (
    FORMATS,
    concurrency_option,
    deadline_option,
    emit,
    errors_to_exit,
    from_file_option,
    ids_from,
    licenses_option,
    main,
    page_renderer,
    say,
    timeout_option,
)
from licensecmp.errors import ExitCode


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
    type=click.Choice([*FORMATS, "cyclonedx"]),
    default=None,
    help="text (the default): each model in input order, then a summary line on stderr; "
    "json: one JSON object per model per line, as each finishes; html and markdown: one "
    "report page for all models, written at the end; cyclonedx: a CycloneDX 1.6 JSON bill "
    "of materials, one component per model, written at the end. Default: from -o's extension.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of stdout (html, markdown and cyclonedx only after every model "
    "is done); without --format, .txt, .json, .md, .html or .cdx.json choose the format.",
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
@deadline_option
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read model facts from this snapshot file: no network request at all.",
)
@click.option(
    "--online",
    is_flag=True,
    help="Model folders: look the base models they name up on the Hub when the local "
    "Hugging Face cache (and --snapshot) lack them. Without it a folder check makes no "
    "request, and a base it cannot see asks for review.",
)
@click.option(
    "--hf-cache",
    "hf_cache",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folders: the Hugging Face cache to look bases up in; default: "
    "huggingface_hub's (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub).",
)
@click.option(
    "--date",
    "generated",
    help="Say the check ran at this date (html, markdown; cyclonedx: the BOM's timestamp, an "
    "ISO date or date and time); default: now, in UTC.",
)
@licenses_option
@errors_to_exit
def check(
    models: tuple[str, ...],
    from_file: Path | None,
    policy_file: Path | None,
    revision: str | None,
    fmt: str | None,
    fail_on: str,
    concurrency: int,
    timeout: float,
    deadline: float | None,
    snapshot_file: Path | None,
    online: bool,
    hf_cache: Path | None,
    output: Path | None,
    generated: str | None,
    licenses_dir: Path | None,
) -> None:
    """What a model's licence lets your organisation do: allow, review or deny.

    MODELS are Hub model ids or model folders on disk (an argument naming an existing
    directory is a folder: its card, LICENSE and policy files, config.json,
    adapter_config.json and GGUF metadata are read, with no network unless --online).
    Follows the model's base models, resolves every licence that applies and evaluates them
    against --policy. The Hub is HF_ENDPOINT (default huggingface.co); HF_TOKEN is used for
    gated files and never printed. Exit 0 allow (and review unless --fail-on review),
    1 deny, 2 usage, 3 could not decide for some model.
    """
    from licensecmp import safeio, service
    from licensecmp.report import check as render

    fmt = fmt or _format_of(output)
    ids = list(models) + ids_from(from_file)
    if not ids:
        raise click.UsageError("name at least one model, or --from-file")
    targets = _targets(ids, revision)
    if output is not None:
        safeio.require_directory(output)
    if fmt == "cyclonedx" and generated is not None:
        try:
            page_renderer(fmt).timestamp(generated)
        except ValueError:
            raise click.BadParameter(
                f"{generated!r} is not an ISO date (2025-01-31) or date and time "
                "(2025-01-31T12:00:00Z)",
                param_hint="'--date'",
            ) from None
    checker = service.checker(
        licenses_dir,
        policy_file,
        timeout=timeout,
        deadline=deadline,
        snapshot_file=snapshot_file,
        online=online,
        hf_cache=hf_cache,
    )
    streamed = fmt in ("text", "json")
    render_one = render.json_line if fmt == "json" else render.text
    results: list[Any] = [None] * len(ids)
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
            with _progress(len(ids)) as advance:
                models_ = iter(targets)
                for index, result in checker.check_indexed(models_, workers=concurrency):
                    results[index] = result
                    if fmt == "json":  # as soon as it is known: a killed run keeps what it finished
                        write(result)
                    elif fmt == "text":  # in input order, each as soon as all before it are out
                        held[index] = result
                        while printed in held:
                            write(held.pop(printed))
                            printed += 1
                    advance()
                    worst = max(worst, _exit_for(result, fail_on))
        except KeyboardInterrupt:
            for index in sorted(held):  # finished results are kept, even out of their turn
                write(held[index])
            done = sum(r is not None for r in results)
            say(f"licensecmp: {done} of {len(ids)} model(s) finished", err=True)
            raise
    if fmt == "text":
        say(_summary(results, checker.policy.name), err=True)
    if not streamed:
        meta = service.meta(checker.catalogue, generated or service.utc_now())
        page = page_renderer(fmt).check_result(results, meta, checker.catalogue, checker.policy)
        emit(page, output)
    sys.exit(worst)


def _model_or_folder(arg: str, revision: str | None) -> tuple[str | Path, str | None]:
    """An argument naming something on disk, or written as a path (`./x`, `/x`, `~/x`), is
    a model folder; anything else is a Hub id. A Hub id cannot start so."""
    path = Path(arg).expanduser()
    if arg.startswith(_PATH_PREFIXES) or path.exists() or path.is_symlink():
        return path, None
    return arg, revision


_PATH_PREFIXES = ("/", "./", "../", "~", ".\\", "..\\")


def _targets(
    ids: list[str], revision: str | None, *, folders: bool = True
) -> list[tuple[str | Path, str | None]]:
    """Each model as (folder or id, revision): with `folders`, a folder on disk as
    `_model_or_folder` says; else a Hub address gives its id, and its revision when it shows
    one. UsageError, before any request, for an address that is not a Hub model's, or whose
    revision contradicts --revision."""
    import os

    from licensecmp import modelref, urls
    from licensecmp.errors import UsageError

    endpoint = os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
    out: list[tuple[str | Path, str | None]] = []
    for text in ids:
        target = _model_or_folder(text, revision) if folders else (text, revision)
        if isinstance(target[0], Path):
            out.append(target)
            continue
        ref = modelref.parse(text, endpoint)
        if revision is not None and ref.revision not in (None, revision):
            shown = urls.without_credentials(text.strip())
            raise UsageError(
                f"{shown!r} names revision {ref.revision!r} but --revision says {revision!r}"
            )
        out.append((ref.id, ref.revision or revision))
    return out


_EXTENSIONS = {".txt": "text", ".json": "json", ".jsonl": "json", ".md": "markdown"}
_EXTENSIONS |= {".markdown": "markdown", ".html": "html", ".htm": "html"}
_COMPOUND = {".cdx.json": "cyclonedx"}  # CycloneDX's recommended name for a JSON BOM


def _format_of(output: Path | None) -> str:
    """The format -o's extension names; a name that names none is a usage error."""
    if output is None:
        return "text"
    name = output.name.lower()
    compound = [fmt for ext, fmt in _COMPOUND.items() if name.endswith(ext)]
    found = compound[0] if compound else _EXTENSIONS.get(output.suffix.lower())
    if found is None:
        raise click.UsageError(
            f"cannot tell the format of {output} from its extension: name it .txt, .json, "
            ".md, .html or .cdx.json, or give --format"
        )
    return found


def _summary(results: list[Any], policy: str) -> str:
    """One line for a pipeline's log: the policy and how many models got each verdict."""
    errors = sum(1 for r in results if r.error)
    counts = {v: sum(1 for r in results if not r.error and r.verdict.value == v) for v in _VERDICTS}
    parts = [f"{counts[v]} {v}" for v in _VERDICTS] + [f"{errors} could not be decided"]
    return f"{len(results)} model(s) checked against policy {policy}: {', '.join(parts)}"


_VERDICTS = ("allow", "review", "deny")


def _exit_for(result: Any, fail_on: str) -> ExitCode:
    if result.error:
        return ExitCode.UNDECIDED
    failing = {"deny"} if fail_on == "deny" else {"deny", "review"}
    return ExitCode.FOUND if result.verdict.value in failing else ExitCode.OK


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
@deadline_option
@licenses_option
@errors_to_exit
def enrich(
    top: int, output: Path, timeout: float, deadline: float | None, licenses_dir: Path | None
) -> None:
    """Snapshot the Hub's most-downloaded models for every licence in the catalogue.

    One request per Hub licence id. The file is replaced only when every request succeeded.
    """
    from licensecmp import service

    count = service.enrich(
        licenses_dir,
        top,
        output,
        timeout=timeout,
        deadline=deadline,
        progress=lambda hub_id: say(f"listing license:{hub_id}", err=True),
    )
    say(f"wrote {output}: {count} model(s)", err=True)


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
@deadline_option
@licenses_option
@errors_to_exit
def snapshot(
    models: tuple[str, ...],
    from_file: Path | None,
    output: Path,
    revision: str | None,
    concurrency: int,
    timeout: float,
    deadline: float | None,
    licenses_dir: Path | None,
) -> None:
    """Capture what `check` needs for MODELS and all their base models, for offline use.

    Carry the file across an air gap and run `licensecmp check --snapshot FILE` there.
    Exit 0, or 3 if some model could not be captured (the others are still saved).
    Interrupted (Ctrl-C, exit 130), it writes nothing: a previous FILE stays whole.
    """
    from licensecmp import service

    ids = list(models) + ids_from(from_file)
    if not ids:
        raise click.UsageError("name at least one model, or --from-file")
    targets = _targets(ids, revision, folders=False)  # a Hub address names its model
    checker = service.checker(licenses_dir, None, timeout=timeout, deadline=deadline, record=True)
    failed = [r for r in checker.check_many(targets, workers=concurrency) if r.error]
    for result in failed:
        say(f"{result.requested}: not captured: {result.error}", err=True)
    count = service.save_recording(checker, output)
    say(f"wrote {output}: {count} model(s)", err=True)
    sys.exit(ExitCode.UNDECIDED if failed else ExitCode.OK)
