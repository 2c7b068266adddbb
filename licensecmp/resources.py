"""Where the bundled schemas and licence catalogue live, installed or in a checkout."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


def data_dir(name: str) -> Path:
    """A directory of package data (`licenses`, `schemas`, `templates`) as a real path.

    In a wheel these are copies made at build time; in a checkout they are symlinks to the
    top-level folders, which stay the one source.
    """
    with as_file(files("licensecmp") / "data" / name) as path:
        return Path(path)


def bundled_licenses() -> Path:
    return data_dir("licenses")


def schema_text(name: str) -> str:
    return (files("licensecmp") / "data" / "schemas" / name).read_text(encoding="utf-8")
