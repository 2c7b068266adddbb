"""The `enrich` use case: for every Hub licence id in the catalogue, its top models on the Hub."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from licensecmp import __version__
from licensecmp.catalogue import Catalogue
from licensecmp.model import ModelFacts
from licensecmp.snapshot import LicenseUsage, Snapshot


class Lister(Protocol):
    @property
    def endpoint(self) -> str: ...

    def models_by_license(self, hub_license_id: str, limit: int) -> list[ModelFacts]: ...


def enrich(
    catalogue: Catalogue,
    hub: Lister,
    top: int,
    taken_at: str,
    progress: Callable[[str], None] = lambda _: None,
) -> Snapshot:
    """One listing request per Hub licence id; raises HubError if any fails (nothing is kept).

    A Hub id shared by several versions (`gemma`) is listed once and counted for each version:
    the Hub cannot tell them apart.
    """
    listed: dict[str, list[ModelFacts]] = {}
    for hub_id in sorted({h for lic in catalogue for h in lic.hub_license_ids}):
        progress(hub_id)
        listed[hub_id] = hub.models_by_license(hub_id, top)
    models: dict[str, ModelFacts] = {}
    usage: dict[str, LicenseUsage] = {}
    for lic in catalogue:
        if not lic.hub_license_ids:
            continue
        rows = {m.id: m for h in lic.hub_license_ids for m in listed[h]}
        ranked = sorted(rows.values(), key=lambda m: (-(m.downloads or 0), m.id))[:top]
        models.update((m.id, m) for m in ranked)
        usage[lic.id] = LicenseUsage(
            hub_ids=lic.hub_license_ids,
            models=tuple(m.id for m in ranked),
            listed=len(ranked),
            gated=sum(1 for m in ranked if m.gated),
            derivatives=sum(1 for m in ranked if m.base_models),
        )
    return Snapshot(
        hub.endpoint,
        taken_at,
        f"licensecmp {__version__}",
        dict(sorted(models.items())),
        licenses=usage,
    )
