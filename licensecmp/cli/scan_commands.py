"""`scan`: many models at once (a Hub listing, a directory tree, the local Hugging Face cache),
with `check`'s output contract."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from licensecmp.cli import (
    batch,
    concurrency_option,
    deadline_option,
    errors_to_exit,
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

SORT_CHOICES = ["downloads", "likes", "trending", "created", "modified"]


@main.command()
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path), metavar="[DIR]...")
@click.option(
    "--cache",
    "cache",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[DIR]",
    help="Every model revision in the local Hugging Face cache (DIR, default "
    "huggingface_hub's), read from disk with no network.",
)
@click.option(
    "--author",
    "authors",
    multiple=True,
    metavar="ORG",
    help="Every model of this organisation or user on the Hub (repeatable); HF_TOKEN adds "
    "its private models.",
)
@click.option(
    "--search",
    "searches",
    multiple=True,
    metavar="TEXT",
    help="Every Hub model whose id contains TEXT (repeatable).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, None),
    help="At most N models per --author or --search (with --sort, the first N).",
)
@click.option(
    "--sort",
    type=click.Choice(SORT_CHOICES),
    help="Order of a Hub listing, most first (default: the Hub's own).",
)
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Model folders: look the base models they name up in this snapshot file.",
)
@online_option
@hf_cache_option
@policy_option
@format_option
@output_option
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the summary (models by verdict and by licence, models that drop a "
    "base's terms) to FILE as one JSON document.",
)
@fail_on_option
@concurrency_option
@timeout_option
@deadline_option
@date_option
@licenses_option
@errors_to_exit
def scan(
    dirs: tuple[Path, ...],
    cache: str | None,
    snapshot_file: Path | None,
    online: bool,
    hf_cache: Path | None,
    authors: tuple[str, ...],
    searches: tuple[str, ...],
    limit: int | None,
    sort: str | None,
    policy_file: Path | None,
    fmt: str | None,
    output: Path | None,
    summary_file: Path | None,
    fail_on: str,
    concurrency: int,
    timeout: float,
    deadline: float | None,
    generated: str | None,
    licenses_dir: Path | None,
) -> None:
    """Check many models at once: the model folders under each DIR, the local Hugging Face
    cache, an organisation's or user's models on the Hub, or a Hub search.

    A folder is a model when it holds config.json, README.md, adapter_config.json, a
    LICENSE file, or weights (.safetensors, .gguf, pytorch_model.bin, .pt, .pth, .ckpt,
    .onnx) (its subfolders are part of it); hidden
    directories and links to directories are not walked. Folders and the cache are read
    from disk: the bases they name are looked up in the Hugging Face cache, then --snapshot,
    then the Hub only with --online. A Hub listing brings every fact a check needs in one
    request per thousand models; then only the files and base models each check needs are
    asked for. Output as `check`'s (text in order, json lines as each finishes, html,
    markdown, cyclonedx), then a summary on stderr in every format: models by verdict and
    by licence, and every model whose declared licence drops a base model's terms. Exit 0
    allow (and review unless --fail-on review), 1 deny, 2 usage (a source that names no
    model), 3 could not list, read or decide some model.
    """
    from licensecmp import hub, safeio, scanning, service
    from licensecmp.hub import Listing

    listings = [Listing(author=a, sort=sort, limit=limit) for a in _named("--author", authors)]
    listings += [Listing(search=s, sort=sort, limit=limit) for s in _named("--search", searches)]
    if not (listings or dirs or cache is not None):
        raise click.UsageError("name a source: DIR, --cache, --author ORG or --search TEXT")
    if listings and snapshot_file is not None:
        raise click.UsageError("--snapshot is for folders' base models: it cannot list the Hub")
    fmt = batch.format_of(fmt, output, generated)
    if summary_file is not None:
        safeio.require_directory(summary_file)
    cache_dir = Path(cache) if cache else None
    checker = service.checker(
        licenses_dir,
        policy_file,
        timeout=timeout,
        deadline=deadline,
        snapshot_file=snapshot_file,
        online=online,
        hf_cache=hf_cache or cache_dir,
    )
    terminal = sys.stderr.isatty()

    def progress(line: str) -> None:
        if terminal:
            say(line, err=True)

    # Local sources first: a DIR that names nothing is found before any request is made.
    targets = scanning.in_folders(list(dirs)) if dirs else []
    if cache is not None:
        targets += scanning.in_cache(hub.cached_revisions(cache_dir))
    if listings:
        targets += service.hub_targets(checker, listings, progress)
    indexed = checker.run_indexed(targets, workers=concurrency)
    results, worst = batch.deliver(indexed, len(targets), fmt, output, fail_on)
    # Always on stderr, whatever the format: stdout keeps the document or JSON lines intact.
    click.echo(batch.summary(results, checker.policy.name, whole=True), err=True, nl=False)
    if summary_file is not None:
        batch.write_summary(results, checker.policy.name, summary_file)
    batch.write_page(fmt, results, checker, generated, output)
    sys.exit(worst)


def _named(option: str, values: tuple[str, ...]) -> list[str]:
    """Each value stripped; an empty one is a usage error (it would list the whole Hub)."""
    out = [v.strip() for v in values]
    if any(not v for v in out):
        raise click.UsageError(f"{option} needs a non-empty value")
    return out
