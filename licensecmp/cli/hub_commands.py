"""Commands that ask the Hub (or a snapshot of it): check, enrich, snapshot."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from licensecmp.cli import (
    batch,
    concurrency_option,
    deadline_option,
    errors_to_exit,
    from_file_option,
    ids_from,
    licenses_option,
    main,
    say,
    timeout_option,
)
from licensecmp.cli.batch import (
    date_option,
    fail_on_option,
    format_option,
    hf_cache_option,
    online_option,
    output_option,
    policy_option,
)
from licensecmp.errors import ExitCode


@main.command()
@click.argument("models", nargs=-1)
@from_file_option
@policy_option
@click.option("--revision", help="Check this revision (branch, tag or commit) of every model.")
@format_option
@output_option
@fail_on_option
@concurrency_option
@timeout_option
@deadline_option
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read model facts from this snapshot file: no network request at all.",
)
@online_option
@hf_cache_option
@date_option
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
    from licensecmp import service

    ids = list(models) + ids_from(from_file)
    if not ids:
        raise click.UsageError("name at least one model, or --from-file")
    targets = _targets(ids, revision)
    fmt = batch.format_of(fmt, output, generated)
    checker = service.checker(
        licenses_dir,
        policy_file,
        timeout=timeout,
        deadline=deadline,
        snapshot_file=snapshot_file,
        online=online,
        hf_cache=hf_cache,
    )
    indexed = checker.check_indexed(targets, workers=concurrency)
    results, worst = batch.deliver(indexed, len(ids), fmt, output, fail_on)
    if fmt == "text":
        click.echo(batch.summary(results, checker.policy.name, whole=False), err=True, nl=False)
    batch.write_page(fmt, results, checker, generated, output)
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
