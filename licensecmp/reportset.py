"""Write the standard report set (HTML and Markdown) to a directory, or check it is current."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from licensecmp.catalogue import Catalogue
from licensecmp.compare import Comparison, VersionDiff, compare, diff, histories
from licensecmp.hubusage import HubUsage
from licensecmp.model import License
from licensecmp.report import html, markdown
from licensecmp.report.meta import Meta


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
    for chain in histories(catalogue):
        family = _name(chain[0].family)
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


def write_set(
    catalogue: Catalogue, out_dir: Path, meta: Meta, hub: HubUsage | None = None
) -> list[Path]:
    """Render the whole set, then write it under `out_dir`; returns the files of the set.

    Nothing is written unless every page rendered. Each file is replaced atomically (a
    temporary file in the same directory, then os.replace) and only when its bytes changed;
    report files of an earlier set that this one no longer has are removed. OSError passes up.
    """
    pages = render_set(catalogue, meta, hub)
    for rel, text in pages.items():
        path = out_dir / rel
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    for rel in sorted(_owned(out_dir) - pages.keys()):
        (out_dir / rel).unlink()
    return [out_dir / rel for rel in pages]


def check_set(
    catalogue: Catalogue, out_dir: Path, meta: Meta, hub: HubUsage | None = None
) -> list[str]:
    """Relative paths of the set that are missing, different or extra; empty when current."""
    pages = render_set(catalogue, meta, hub)
    stale = [
        rel
        for rel, text in pages.items()
        if not (out_dir / rel).is_file() or (out_dir / rel).read_bytes() != text.encode("utf-8")
    ]
    return sorted([*stale, *(_owned(out_dir) - pages.keys())])


def _owned(out_dir: Path) -> set[str]:
    """Report files under `out_dir` that a set may have written (other files are left alone)."""
    top = {f"{stem}.{fmt}" for stem in ("index", "comparison") for fmt in FORMATS}
    owned = {rel for rel in top if (out_dir / rel).is_file()}
    for sub in _OWNED_DIRS:
        for fmt in FORMATS:
            found = (out_dir / sub).glob(f"*.{fmt}")
            owned.update(p.relative_to(out_dir).as_posix() for p in found if p.is_file())
    return owned


def _name(text: str) -> str:
    if not _SAFE_NAME.fullmatch(text) or ".." in text:
        raise ValueError(f"{text!r} cannot name a report file")
    return text
