"""Fetch the pinned ScanCode wheel once (checksum verified) and extract licence texts from it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

SCANCODE = "scancode-toolkit==32.5.0"
SCANCODE_WHEEL = "scancode_toolkit-32.5.0-cp311-none-any.whl"
SCANCODE_SHA256 = "327d20a0de71d49930d8a6919c2b6d54c2acf4dd0a1d48da9a71dd4ce7b97b78"
PREFIX = "licensedcode/data/licenses/"


class Unreachable(Exception):
    """The package registry could not be reached: the tests that need the texts then fail
    (tests/proof.py), never skip to green."""


def cache_dir() -> Path:
    base = os.environ.get("LICENSECMP_CACHE") or Path.home() / ".cache" / "licensecmp"
    return Path(base) / "scancode"


def wheel() -> Path:
    """The pinned wheel, downloaded on first use; raises Unreachable when pip cannot fetch it."""
    directory = cache_dir()
    path = directory / SCANCODE_WHEEL
    if not path.exists() or _sha256(path) != SCANCODE_SHA256:
        directory.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                str(directory),
                SCANCODE,
            ],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0 or not path.exists():
            raise Unreachable(done.stderr.strip().splitlines()[-1] if done.stderr else "no wheel")
    digest = _sha256(path)
    if digest != SCANCODE_SHA256:
        path.unlink()
        raise AssertionError(f"{SCANCODE_WHEEL}: sha256 {digest}, expected {SCANCODE_SHA256}")
    return path


def extract(keys: set[str], dest: Path) -> set[str]:
    """Write `<key>.LICENSE` for each key the wheel holds; returns the keys it lacks."""
    dest.mkdir(parents=True, exist_ok=True)
    missing = set()
    with zipfile.ZipFile(wheel()) as archive:
        names = set(archive.namelist())
        for key in sorted(keys):
            member = f"{PREFIX}{key}.LICENSE"
            if member in names:
                (dest / f"{key}.LICENSE").write_bytes(archive.read(member))
            else:
                missing.add(key)
    return missing


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
