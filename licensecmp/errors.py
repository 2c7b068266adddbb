"""One exception hierarchy; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Each code means one thing (see README): a crash must never read as a denial."""

    OK = 0
    FOUND = 1  # the check found a problem: invalid licence file, policy denies
    USAGE = 2  # click's own usage errors, and inputs that name nothing
    UNDECIDED = 3  # could not run or decide: unreadable input, Hub unreachable, not found


class LicensecmpError(Exception):
    exit_code = ExitCode.UNDECIDED


class UsageError(LicensecmpError):
    exit_code = ExitCode.USAGE


class CatalogueError(LicensecmpError):
    """The licence catalogue could not be read."""


class UnknownLicense(UsageError):
    """An id that names no licence in the catalogue."""


class PolicyError(UsageError):
    """A policy file that is missing or invalid; the message names file, line and column."""


class HubError(LicensecmpError):
    """The Hub could not answer for a model: `check` cannot decide (exit 3)."""

    def __init__(self, model: str, message: str) -> None:
        super().__init__(f"{model}: {message}")
        self.model = model
        self.reason = message


class ModelNotFound(HubError):
    """Missing, private, or a revision that does not exist."""


class ModelDisabled(HubError):
    pass


class ModelGated(HubError):
    """Files of a gated model need a token whose user accepted its terms."""


class RateLimited(HubError):
    pass


class HubUnavailable(HubError):
    """Network errors, timeouts, 5xx, or answers that are not the Hub's."""


class AnswerTooLarge(HubError):
    """A Hub answer over its size limit: not read, and asking again would not shrink it."""


class InputError(LicensecmpError):
    """An input file that cannot be read safely: missing, not a regular file, over its limit."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class TooLarge(InputError):
    """An input file over its size limit: read no further than the limit plus one byte."""


class OutputError(LicensecmpError):
    """An output file that cannot be written (no such directory, no permission, disk full)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class SnapshotError(LicensecmpError):
    """A snapshot file that cannot be read or is invalid (file:line:col in the message)."""
