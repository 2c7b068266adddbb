"""Write the standard report set (HTML and Markdown) to a directory, or check it is current."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from licensecmp import safeio
from licensecmp.catalogue import Catalogue
from licensecmp.compare import Comparison, VersionDiff, compare, diff, histories
from licensecmp.errors import InputError, UsageError
from licensecmp.hubusage import HubUsage
from licensecmp.model import License
from licensecmp.report import html, markdown
from licensecmp.report.meta import Meta


class ForeignDirectory(UsageError):
    """An output directory holding files the report set did not write (exit 2)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


class _Renderer(Protocol):
    """What report/html.py and report/markdown.py both provide."""

    def comparison(self, c: Comparison, meta: Meta) -> str: ...

    def license_page(
        self,
        lic: License,
        meta: Meta,
        history: VersionDiff | None = None,
        hub: HubUsage | None = None,
    ) -> str: ...

    def history(self, chain: list[License], diffs: list[VersionDiff], meta: Meta) -> str: ...

    def index(
        self,
        c: Comparison,
        meta: Meta,
        pages: Mapping[str, str],
        histories: Mapping[str, str] | None = None,
        comparison_href: str | None = None,
        hub: HubUsage | None = None,
    ) -> str: ...


#: The flagship comparison, in column order; ids missing from a catalogue are left out.
FLAGSHIP = ("llama-3.1", "gemma-2025-03-24", "qwen", "deepseek-1.0", "mit", "gpt-oss", "apache-2.0")
_RENDERERS: tuple[tuple[str, _Renderer], ...] = (("html", html), ("md", markdown))
FORMATS = tuple(fmt for fmt, _ in _RENDERERS)
_OWNED_DIRS = ("licenses", "history")
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
MANIFEST = ".licensecmp-manifest.json"
"""Lists the files of the set written in a directory: the only files a later run removes."""
MANIFEST_FORMAT = "licensecmp-report-manifest"
_MANIFEST_MAX_BYTES = 4 * 1024 * 1024
_REPORT_PATH = re.compile(
    rf"(?:(?:{'|'.join(_OWNED_DIRS)})/)?(?!.*\.\.)[a-z0-9][a-z0-9._-]*\.(?:{'|'.join(FORMATS)})"
)


def render_set(catalogue: Catalogue, meta: Meta, hub: HubUsage | None = None) -> dict[str, str]:
    """Every file of the set: relative POSIX path → content, sorted by path.

    `index`, one page per licence (with the diff from its predecessor), one history per version
    chain, and the flagship comparison; each in HTML and Markdown. Raises ValueError for a
    licence id or family that cannot be a file name.
    """
    licenses = list(catalogue)
    pages: dict[str, str] = {}
    for lic in licenses:
        older = catalogue.get(lic.supersedes or "")
        change = diff(older, lic) if older is not None else None
        for fmt, module in _RENDERERS:
            pages[f"licenses/{_name(lic.id)}.{fmt}"] = module.license_page(lic, meta, change, hub)
    chain_of: dict[str, str] = {}
    chains = histories(catalogue)
    for chain, stem in zip(chains, history_names(chains), strict=True):
        family = _name(stem)
        steps = [diff(a, b) for a, b in itertools.pairwise(chain)]
        for fmt, module in _RENDERERS:
            pages[f"history/{family}.{fmt}"] = module.history(chain, steps, meta)
        chain_of.update((lic.id, family) for lic in chain)
    flagship = [lic for lic in map(catalogue.get, FLAGSHIP) if lic is not None]
    for fmt, module in _RENDERERS:
        if flagship:
            pages[f"comparison.{fmt}"] = module.comparison(compare(flagship), meta)
        pages[f"index.{fmt}"] = module.index(
            compare(licenses),
            meta,
            {lic.id: f"licenses/{lic.id}.{fmt}" for lic in licenses},
            {i: f"history/{family}.{fmt}" for i, family in chain_of.items()},
            f"comparison.{fmt}" if flagship else None,
            hub,
        )
    return dict(sorted(pages.items()))


def history_names(chains: list[list[License]]) -> list[str]:
    """The file stem of each chain's history page: its family, or, when a family has several
    chains (CC BY, CC BY-SA… are all `cc`), the id of the chain's newest licence."""
    per_family = Counter(chain[0].family for chain in chains)
    return [c[0].family if per_family[c[0].family] == 1 else c[-1].id for c in chains]


def write_set(
    catalogue: Catalogue,
    out_dir: Path,
    meta: Meta,
    hub: HubUsage | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Render the whole set, then write it under `out_dir`; returns the files of the set.

    Nothing is written unless every page rendered. Each file is replaced atomically, and only
    when its bytes changed. `out_dir` is ours when it is empty, missing, or holds the manifest
    an earlier run wrote; then the files that manifest lists and this set no longer has are
    removed, and nothing else. A non-empty directory without a manifest holds someone else's
    files: ForeignDirectory, unless `force` (then the set is written over it, and nothing is
    removed). OSError passes up.
    """
    pages = render_set(catalogue, meta, hub)
    previous = read_manifest(out_dir)
    if previous is None and not force and _non_empty(out_dir):
        raise ForeignDirectory(
            out_dir,
            f"directory holds files licensecmp did not write (no {MANIFEST}); choose an empty "
            "or new directory, or pass --force to write the report set into it",
        )
    for sub in _OWNED_DIRS:
        if (out_dir / sub).is_symlink():
            raise ForeignDirectory(out_dir / sub, "is a symbolic link; not writing through it")
    for rel, text in pages.items():
        path = out_dir / rel
        data = text.encode("utf-8")
        if _same(path, data):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        safeio.write_atomic(path, data)
    for rel in sorted(set(previous or ()) - pages.keys()):
        with contextlib.suppress(FileNotFoundError):
            (out_dir / rel).unlink()
    manifest = manifest_text(pages)
    if not _same(out_dir / MANIFEST, manifest.encode("utf-8")):
        safeio.write_atomic(out_dir / MANIFEST, manifest)
    return [out_dir / rel for rel in pages]


def check_set(
    catalogue: Catalogue, out_dir: Path, meta: Meta, hub: HubUsage | None = None
) -> list[str]:
    """Relative paths of the set (its manifest included) that are missing or different, and
    files the manifest lists that the set no longer has; empty when current."""
    pages = render_set(catalogue, meta, hub)
    expected = {**pages, MANIFEST: manifest_text(pages)}
    stale = [rel for rel, text in expected.items() if not _same(out_dir / rel, text.encode())]
    extra = {rel for rel in read_manifest(out_dir) or () if (out_dir / rel).exists()}
    return sorted({*stale, *(extra - pages.keys())})


def manifest_text(pages: Mapping[str, str]) -> str:
    """The manifest of a set: which files under the directory are ours to replace and remove."""
    doc = {"format": MANIFEST_FORMAT, "format_version": 1, "files": sorted(pages)}
    return json.dumps(doc, indent=1) + "\n"


def read_manifest(out_dir: Path) -> list[str] | None:
    """The files an earlier run listed as its own, or None when there is no manifest.

    Only names a set can have are taken (a hand-edited or hostile manifest cannot make us
    remove `../../anything`); a manifest that cannot be read is ForeignDirectory.
    """
    path = out_dir / MANIFEST
    if not os.path.lexists(path):
        return None
    try:
        doc = json.loads(safeio.read_bytes(path, _MANIFEST_MAX_BYTES))
        files = doc["files"] if doc.get("format") == MANIFEST_FORMAT else None
        if not isinstance(files, list):
            raise ValueError("no file list")
    except (InputError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        raise ForeignDirectory(path, f"not a report manifest licensecmp can read: {exc}") from None
    return [rel for rel in files if isinstance(rel, str) and _REPORT_PATH.fullmatch(rel)]


def _same(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file holding exactly `data` (read no further than that)."""
    try:
        return safeio.read_bytes(path, len(data)) == data
    except InputError:
        return False


def _non_empty(directory: Path) -> bool:
    try:
        return any(directory.iterdir())
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise ForeignDirectory(directory, "is not a directory") from None


def _name(text: str) -> str:
    if not _SAFE_NAME.fullmatch(text) or ".." in text:
        raise ValueError(f"{text!r} cannot name a report file")
    return text
