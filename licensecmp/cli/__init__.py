"""Command line: parse arguments, call a use case, print its result, map it to an exit code.

The commands live in the modules below, one per area; this module holds the group, the options
and helpers they share, and turns our exceptions into one line and an exit code.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from licensecmp import __version__
from licensecmp.errors import ExitCode, LicensecmpError
from licensecmp.textsafe import visible

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
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Read model ids from a file, one per line ('-' for stdin; # comments).",
)
MAX_ID_FILE_BYTES = 64 * 1024 * 1024
"""Largest --from-file read: a million model ids fit in ~60 MiB."""
PIPE_CLOSED = 141
"""Exit status when stdout is closed early (`| head`): 128 + SIGPIPE, as the shell reports
for a program killed by it, said quietly."""
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

deadline_option = click.option(
    "--deadline",
    type=click.FloatRange(0.1, None),
    default=None,
    metavar="SECONDS",
    help="Stop asking the Hub after SECONDS for the whole run: models not finished by then "
    "are errors (exit 3).",
)


def errors_to_exit(func: F) -> F:
    """Turn our exceptions into one line on stderr and their exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LicensecmpError as exc:
            say(f"licensecmp: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            # A second Ctrl-C while we leave would print a traceback: ignore it from here on.
            with contextlib.suppress(ValueError):  # only the main thread may set it
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            click.echo("licensecmp: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(PIPE_CLOSED)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug must never read as "denied" (1): exit 3, one line
            say(f"licensecmp: internal error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(ExitCode.UNDECIDED)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="licensecmp")
def main() -> None:
    """What an open-weight model's licence lets you do, compared clause by clause.

    Exit codes: 0 ok/allow, 1 problem found/deny, 2 usage error, 3 could not run or decide.
    """


def _silence_stdout() -> None:
    """The reader has gone: point stdout at /dev/null so the final flush at exit does not
    print 'Exception ignored … BrokenPipeError' on stderr."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (an embedding or a test runner)
        pass


def ids_from(source: Path | None) -> list[str]:
    """Model ids from --from-file: a regular file (read safely, capped) or '-' for stdin."""
    from licensecmp import safeio

    if source is None:
        return []
    if str(source) == "-":
        text = sys.stdin.read(MAX_ID_FILE_BYTES + 1)
        if len(text) > MAX_ID_FILE_BYTES:
            raise LicensecmpError(f"-: over the {MAX_ID_FILE_BYTES}-character limit of --from-file")
    else:
        text = safeio.read_text(source, MAX_ID_FILE_BYTES)
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def color_for(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def emit(text: str, output: Path | None) -> None:
    """Write to -o only now that rendering succeeded (atomically), else to stdout."""
    from licensecmp import safeio

    if output is None:
        click.echo(text, nl=False)
        return
    safeio.write_atomic(output, text)
    say(f"wrote {output}", err=True)


def format_for(output: Path | None) -> str:
    suffix = output.suffix.lower() if output else ""
    return {".html": "html", ".htm": "html", ".md": "markdown", ".json": "json"}.get(suffix, "text")


def page_renderer(fmt: str) -> Any:
    """The renderer module of a whole-run format (html, markdown or cyclonedx), imported only
    when used: jinja2 and cyclonedx are heavy."""
    import importlib

    module = {"html": "html", "cyclonedx": "bom"}.get(fmt, "markdown")
    return importlib.import_module(f"licensecmp.report.{module}")


def say(line: str, *, err: bool = False) -> None:
    """Print one line of ours that carries names or messages from outside (a file name, a model
    id, an error from the Hub), with control and bidi characters made visible."""
    click.echo(visible(line), err=err)


def warn(problems: list[Any]) -> None:
    for problem in problems:
        say(f"warning: skipped invalid licence file: {problem}", err=True)


# Importing the command modules registers their commands on `main`.
from licensecmp.cli import (  # noqa: E402
    catalogue_commands,
    hub_commands,
    policy_commands,
    report_commands,
    scan_commands,
)

__all__ = [
    "catalogue_commands",
    "hub_commands",
    "main",
    "policy_commands",
    "report_commands",
    "scan_commands",
]
