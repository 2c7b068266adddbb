"""Read the text metadata of a GGUF file's key/value header, bounded in time and memory.

Why not the `gguf` package (llama.cpp's gguf-py, 0.19 tried): its `GGUFReader` memory-maps the
whole file and, before answering anything, parses every key/value *and every tensor info* into
numpy objects: a Llama-3.1-sized vocabulary took it 31 s and 695 MB of Python memory where this
reader takes 0.35 s and 3 MB (`bench/gguf_header.py`). A hostile header is read silently
short (a string length of 2**62 gives an empty value, no error) or ends in numpy's IndexError
("index 0 is out of bounds for axis 0 with size 0"), naming neither the key nor the place; and
it brings numpy into a check that needs a handful of strings.

Here only the key/value header is read, with a buffered file: values we keep are bounded
strings, everything else (the tokenizer's 100,000+ token strings, numbers) is skipped as it
streams past, every length and count is checked against what is left of the file before
anything is read, and the header is read no further than `MAX_HEADER` bytes. The tests write
their GGUF files with the `gguf` package's own writer.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAGIC = b"GGUF"
MAX_HEADER = 256 * 1024 * 1024
"""Bytes of key/value header read at most: a 256k-token vocabulary with its merges is ~30 MB."""
MAX_KEYS = 100_000
"""Key/value pairs: real files have 20 to 60."""
MAX_KEY = 65_535
"""Longest key (the format's own limit)."""
MAX_KEPT_VALUE = 64 * 1024
"""Longest `general.*` string read; longer ones are skipped (a licence text may be 10 kB)."""
MAX_KEPT_FIELDS = 64
MAX_FIELD_CHARS = 500

_STRING, _ARRAY = 8, 9
_BLOCK = 1 << 20
_FIXED = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
"""Value type → size in bytes of the fixed-size types (GGUF v2/v3)."""
_TYPE_NAMES = {_STRING: "string", _ARRAY: "array"}


class GGUFError(Exception):
    """A GGUF file that cannot be read: the message names the place (byte offset)."""


@dataclass(frozen=True, slots=True)
class GGUFMeta:
    version: int
    fields: tuple[tuple[str, str], ...]
    """`architecture` (from `general.architecture`) and every `general.*` text field, by key."""


def read(path: Path) -> GGUFMeta:
    """The GGUF file's text metadata; GGUFError (one line, with the byte offset) for a file
    that is not GGUF, truncated, or declares lengths or counts it cannot hold; OSError for a
    file that cannot be opened (the caller names the file)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise GGUFError("not a regular file")
        handle = os.fdopen(fd, "rb", buffering=1 << 16)
    except BaseException:
        os.close(fd)
        raise
    with handle:
        return _Reader(handle, info.st_size).header()


class _Reader:
    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle = handle
        self.size = size
        self.offset = 0
        self.wide = True  # v2+: 64-bit lengths and counts; v1: 32-bit

    def header(self) -> GGUFMeta:
        if self._take(4, "magic") != MAGIC:
            raise GGUFError("not a GGUF file (no GGUF magic at offset 0)")
        (version,) = struct.unpack("<I", self._take(4, "version"))
        if version not in (1, 2, 3):
            raise GGUFError(f"unsupported GGUF version {version} at offset 4")
        self.wide = version >= 2
        self._count("tensor count")  # tensor infos follow the header: never read
        keys = self._count("key/value count")
        if keys > MAX_KEYS:
            raise GGUFError(f"declares {keys:,} key/value pairs, over the {MAX_KEYS:,} limit")
        kept: dict[str, str] = {}
        for _ in range(keys):
            at = self.offset
            raw_key = self._string("key", MAX_KEY)
            assert raw_key is not None  # over MAX_KEY raises
            key = raw_key.decode("utf-8", errors="replace")
            (kind,) = struct.unpack("<I", self._take(4, f"type of {key[:80]!r}"))
            if kind == _STRING and key.startswith("general.") and len(kept) < MAX_KEPT_FIELDS:
                value = self._string(f"value of {key[:80]!r}", MAX_KEPT_VALUE, skip_over=True)
                if value is not None:
                    text = value.decode("utf-8", errors="replace")[:MAX_FIELD_CHARS]
                    kept[key[:MAX_FIELD_CHARS]] = text
            else:
                self._skip_value(kind, key, at)
        fields = dict(kept)
        if "general.architecture" in kept:
            fields["architecture"] = kept["general.architecture"]
        return GGUFMeta(version, tuple(sorted(fields.items())))

    def _skip_value(self, kind: int, key: str, at: int) -> None:
        what = f"value of {key[:80]!r}"
        if kind in _FIXED:
            self._skip(_FIXED[kind], what)
        elif kind == _STRING:
            self._string(what, 0, skip_over=True)
        elif kind == _ARRAY:
            (item,) = struct.unpack("<I", self._take(4, f"array type of {key[:80]!r}"))
            count = self._count(f"array length of {key[:80]!r}")
            if item in _FIXED:
                self._skip(count * _FIXED[item], what)
            elif item == _STRING:
                if count * (8 if self.wide else 4) > self.size - self.offset:
                    raise self._past_end(what, count)
                self._skip_strings(count, what)
            else:  # nested arrays: no real file has them, and they are unbounded work
                name = _TYPE_NAMES.get(item, str(item))
                raise GGUFError(f"array of type {name} for {key[:80]!r} at offset {at}")
        else:
            raise GGUFError(f"unknown value type {kind} for {key[:80]!r} at offset {at}")

    def _skip_strings(self, count: int, what: str) -> None:
        """Skip `count` length-prefixed strings (a vocabulary: 100,000 and more), walking
        their lengths through blocks read ahead rather than two calls per string."""
        width = 8 if self.wide else 4
        unpack = struct.Struct("<Q" if self.wide else "<I").unpack_from
        buf, pos, base = b"", 0, self.offset  # `base`: the file offset of buf[0]
        limit = min(self.size, MAX_HEADER)
        for _ in range(count):
            if len(buf) - pos < width:
                self._check(width, f"length of {what}", base + pos)
                buf, base = buf[pos:] + self.handle.read(_BLOCK), base + pos
                pos = 0
                if len(buf) < width:
                    raise GGUFError(f"truncated: {what} at offset {base} runs past the end")
            (length,) = unpack(buf, pos)
            pos += width
            if base + pos + length > limit:
                self._check(length, what, base + pos)
            if pos + length <= len(buf):
                pos += length
            else:  # a string longer than what is buffered: jump over it
                base += pos + length
                buf, pos = b"", 0
                self.handle.seek(base)
        self.offset = base + pos
        self.handle.seek(self.offset)

    def _count(self, what: str) -> int:
        fmt = "<Q" if self.wide else "<I"
        (value,) = struct.unpack(fmt, self._take(struct.calcsize(fmt), what))
        return int(value)

    def _string(self, what: str, keep: int, *, skip_over: bool = False) -> bytes | None:
        """A length-prefixed string: its bytes when at most `keep`, else skipped (None), or
        an error when `skip_over` is False."""
        at = self.offset
        length = self._count(f"length of {what}")
        if length > keep:
            if not skip_over:
                raise GGUFError(f"{what} at offset {at} is {length:,} bytes, over the limit")
            self._skip(length, what)
            return None
        return self._take(length, what)

    def _take(self, n: int, what: str) -> bytes:
        self._check(n, what)
        data = self.handle.read(n)
        if len(data) != n:
            raise GGUFError(f"truncated: {what} at offset {self.offset} runs past the end")
        self.offset += n
        return data

    def _skip(self, n: int, what: str) -> None:
        self._check(n, what)
        self.handle.seek(n, os.SEEK_CUR)
        self.offset += n

    def _check(self, n: int, what: str, offset: int | None = None) -> None:
        at = self.offset if offset is None else offset
        if at + n > self.size:
            raise GGUFError(
                f"truncated or corrupt: {what} at offset {at} needs {n:,} bytes, "
                f"but the file has {self.size - at:,} left"
            )
        if at + n > MAX_HEADER:
            raise GGUFError(f"key/value header longer than {MAX_HEADER:,} bytes: not read")

    def _past_end(self, what: str, count: int) -> GGUFError:
        return GGUFError(
            f"truncated or corrupt: {what} at offset {self.offset} declares {count:,} strings, "
            f"more than the {self.size - self.offset:,} bytes left can hold"
        )
