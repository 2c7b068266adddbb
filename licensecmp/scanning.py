"""The `scan` use case: the models a source names (a Hub listing, a directory tree, the local
Hugging Face cache), each as one target for the checker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from licensecmp.checking import Target
from licensecmp.errors import UsageError
from licensecmp.hub import Listing
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
