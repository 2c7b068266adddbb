"""Read input files and write output files safely: the one file-system edge every command uses.

Inputs may be hostile (a pull request can commit a symlink to /dev/zero, a FIFO or a symlink
to itself): a file is opened without blocking, checked to be a regular file on the descriptor
actually opened (no race with a swapped path), and read up to its limit plus one byte, so
nothing is ever read without bound. Outputs are written to a fresh temporary file in the
target's directory (mkstemp: a new name, never a planted one followed), synced, then renamed
over the target, so a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from licensecmp.errors import InputError, OutputError, TooLarge

_CHUNK = 1 << 16
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    InputError (one line naming the path) for a missing or unreadable file, anything but a
    regular file (directory, device, FIFO, socket; symlinks are followed, to a regular file
    only; a symlink loop is unreadable); its subclass TooLarge for a file over `limit` bytes
    (checked on the size the file claims, and again on the bytes it gives: /proc files lie).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(path, f"cannot read file: {_reason(exc)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"not a regular file ({kind(info.st_mode)})")
        if info.st_size > limit:
            raise TooLarge(path, f"file is {info.st_size} bytes, over the {limit}-byte limit")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # up to limit + 1 bytes: enough to know it is over
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(path, f"cannot read file: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise TooLarge(path, f"file is over the {limit}-byte limit")
    return b"".join(chunks)


def read_text(path: Path, limit: int, *, errors: str = "strict") -> str:
    """As read_bytes, decoded as UTF-8; InputError for bytes that are not (when strict)."""
    raw = read_bytes(path, limit)
    try:
        return raw.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def is_regular(path: Path) -> bool:
    """Whether `path` is (or links to) a regular file, asked without opening it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace `path` with `data` atomically; OutputError (one line) when it cannot.

    An existing file keeps its permission bits; a new one gets the umask's default (0666 & ~umask),
    as `open()` would give it. The parent directory must exist.
    """
    with open_atomic(path, binary=isinstance(data, bytes)) as handle:
        try:
            handle.write(data)
        except OSError as exc:  # a full disk, a quota
            raise OutputError(path, f"cannot write: {_reason(exc)}") from None


@contextlib.contextmanager
def open_atomic(
    path: Path, *, binary: bool = False, keep_on_error: bool = False
) -> Iterator[IO[Any]]:
    """A handle on a temporary file that replaces `path` when the block ends.

    On an exception the temporary file is removed and `path` left as it was, unless
    `keep_on_error` (a streamed output whose finished part is worth keeping).
    """
    directory = require_directory(path)
    try:
        existing = path.stat().st_mode
        mode = stat.S_IMODE(existing) if stat.S_ISREG(existing) else _default_mode()
    except FileNotFoundError:
        mode = _default_mode()
    except OSError as exc:
        raise OutputError(path, f"cannot write: {_reason(exc)}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {_reason(exc)}") from None
    committed = False
    try:
        try:
            os.fchmod(fd, mode)
            handle = os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8")
        except OSError as exc:
            os.close(fd)
            raise OutputError(path, f"cannot write: {_reason(exc)}") from None
        with handle:
            try:
                yield handle  # the caller's own errors pass through as they are
            except BaseException:
                if keep_on_error:
                    _commit(handle, tmp, path)
                    committed = True
                raise
            _commit(handle, tmp, path)
            committed = True
    finally:
        if not committed:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


def require_directory(path: Path) -> Path:
    """The directory `path` would be written in; OutputError when it does not exist (a command
    calls this before long work, so a typo in -o fails at once, not after an hour)."""
    directory = path.parent
    if not directory.is_dir():
        raise OutputError(path, f"cannot write: directory {directory} does not exist")
    return directory


def _commit(handle: IO[Any], tmp: str, path: Path) -> None:
    """Flush, sync and rename into place; OutputError when any of it fails."""
    try:
        handle.flush()
        os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {_reason(exc)}") from None
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@functools.cache
def _default_mode() -> int:
    """0666 less the process umask, read without changing it where Linux tells it."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-and-restore
    os.umask(mask)
    return 0o666 & ~mask


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
