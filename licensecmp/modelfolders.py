"""Find the model folders in a directory tree, for `scan DIR`: a bounded walk that follows no
link and skips hidden directories.

A folder is a model when it holds a file a model repository has (`config.json`, `README.md`,
`adapter_config.json`, a `LICENSE*`, or weights: `*.safetensors`, `*.gguf`,
`pytorch_model.bin`, `*.pt`, `*.pth`, `*.ckpt`, `*.onnx`); its subfolders belong
to it (diffusers' `text_encoder/`, a GGUF repository's quantisation folders) and are not
walked for models of their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from licensecmp.errors import UsageError

MARKERS = frozenset({"config.json", "readme.md", "adapter_config.json", "pytorch_model.bin"})
"""File names (compared lower-cased) that make a folder a model's."""
SUFFIXES = (".gguf", ".safetensors", ".pt", ".pth", ".ckpt", ".onnx")
"""Weights: a vendor's drop may be weights alone, and a model left unseen is never checked."""
PREFIXES = ("license", "licence")
WHAT = (
    "config.json, README.md, adapter_config.json, a LICENSE file, or weights (.safetensors, "
    ".gguf, pytorch_model.bin, .pt, .pth, .ckpt, .onnx)"
)
"""What a model folder holds, as messages and help say it."""
MAX_DEPTH = 12
"""Directory levels walked below each DIR: a tree of downloads is 2 to 4 deep."""
MAX_DIRS = 100_000
"""Directories looked into per DIR: a runaway tree (a home directory, a mount) stops here."""


@dataclass(frozen=True, slots=True)
class Found:
    """A model folder, or a place the walk could not look into (`problem`: why)."""

    path: Path
    problem: str | None = None


def find(root: Path, max_depth: int = MAX_DEPTH, max_dirs: int = MAX_DIRS) -> list[Found]:
    """The model folders under `root` (itself included), sorted by path, and what could not
    be walked. UsageError when `root` is not a directory."""
    try:
        if not root.is_dir():
            what = "not a directory" if root.exists() else "no such directory"
            raise UsageError(f"{root}: {what}")
    except OSError as exc:  # a path too long, a link loop
        raise UsageError(f"{root}: {exc.strerror or exc}") from None
    found: list[Found] = []
    todo: list[tuple[Path, int]] = [(root, 0)]
    visited = 0
    while todo:
        folder, depth = todo.pop()
        if visited == max_dirs:
            found.append(
                Found(root, f"walk stopped after {max_dirs:,} directories: the rest not scanned")
            )
            break
        visited += 1
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            found.append(Found(folder, f"cannot list directory: {exc.strerror or exc}"))
            continue
        if any(_marks(e) for e in entries):
            found.append(Found(folder))
            continue
        below = [
            Path(e.path)
            for e in entries
            if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
        ]
        if below and depth == max_depth:
            found += [
                Found(p, f"deeper than {max_depth} levels below {root}: not walked") for p in below
            ]
            continue
        todo += [(p, depth + 1) for p in below]
    return sorted(found, key=lambda f: f.path.parts)


def _marks(entry: os.DirEntry[str]) -> bool:
    """Whether this entry makes its folder a model's: a marker name that is not a directory.
    A link, a FIFO or a broken file counts: whether the check may read it is the folder
    reader's call, and one it cannot read is an error result naming it, never a folder
    silently left out."""
    name = entry.name.lower()
    if not (name in MARKERS or name.endswith(SUFFIXES) or name.startswith(PREFIXES)):
        return False
    try:
        return not entry.is_dir(follow_symlinks=False)
    except OSError:
        return True
