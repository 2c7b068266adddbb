"""The `scan` use case: the models a source names (a Hub listing, a directory tree, the local
Hugging Face cache), each as one target for the checker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from licensecmp.checking import Target
from licensecmp.errors import UsageError
from licensecmp.hub import CacheScan, Listing
from licensecmp.model import ModelFacts


class Lister(Protocol):
    def list_models(self, listing: Listing) -> list[ModelFacts]: ...


def listed(
    hub: Lister, listings: Sequence[Listing], progress: Callable[[str], None] = lambda _: None
) -> list[Target]:
    """Every model the listings name, each once, in the Hub's order. Raises HubError when a
    listing cannot be read, and UsageError when one names no model (a misspelt organisation
    must not pass as a clean scan)."""
    seen: dict[str, Target] = {}
    for listing in listings:
        rows = hub.list_models(listing)
        if not rows:
            raise UsageError(
                f"{listing.label}: the Hub lists no models (private ones need HF_TOKEN)"
            )
        progress(f"{listing.label}: {len(rows)} model(s) listed")
        for facts in rows:
            seen.setdefault(facts.id, Target(facts.id))
    return list(seen.values())


def in_folders(roots: Sequence[Path]) -> list[Target]:
    """The model folders under each root (`modelfolders.find`), each once, and each place the
    walk could not look into as an error target. UsageError for a root that is not a
    directory or holds no model folder."""
    from licensecmp import modelfolders

    seen: dict[Path, Target] = {}
    for root in roots:
        found = modelfolders.find(root)
        if not found:
            raise UsageError(f"{root}: no model folder found (none holds {modelfolders.WHAT})")
        for item in found:
            target = (
                Target(str(item.path), problem=item.problem)
                if item.problem
                else Target(str(item.path), folder=item.path)
            )
            seen.setdefault(item.path.resolve(), target)
    return list(seen.values())


def in_cache(scan: CacheScan) -> list[Target]:
    """Each cached model revision's snapshot folder, named by its model id and commit, and
    each problem the cache scanner met as an error target. UsageError for a cache with
    neither."""
    targets = [
        Target(str(r.folder), folder=r.folder, repo_id=r.repo_id, revision=r.commit)
        for r in scan.revisions
    ]
    targets += [Target(str(scan.root), problem=p) for p in scan.problems]
    if not targets:
        raise UsageError(f"{scan.root}: the Hugging Face cache holds no model")
    return targets
