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
