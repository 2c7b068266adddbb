"""How each catalogue licence is used on the Hub, as reports show it (pure view of a snapshot)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # snapshot reading imports the YAML reader and the validator
    from licensecmp.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class ModelRow:
    id: str
    url: str
    downloads: int | None
    gated: str | None
    declared_license: str | None
    relation: str | None


@dataclass(frozen=True, slots=True)
class LicenseHub:
    listed: int
    gated: int
    derivatives: int
    models: tuple[ModelRow, ...]
    error: str | None = None

    @property
    def gated_share(self) -> str:
        return _share(self.gated, self.listed)

    @property
    def derivative_share(self) -> str:
        return _share(self.derivatives, self.listed)


@dataclass(frozen=True, slots=True)
class HubUsage:
    taken_at: str
    endpoint: str
    licenses: Mapping[str, LicenseHub]

    @property
    def date(self) -> str:
        return self.taken_at[:10]


def from_snapshot(snap: Snapshot) -> HubUsage:
    usage = {}
    for lic_id, u in sorted(snap.licenses.items()):
        rows = []
        for model_id in u.models:
            facts = snap.models.get(model_id)
            if facts is None:
                continue
            declared = " AND ".join(facts.card_licenses) or None
            if declared == "other" and facts.license_name:
                declared = f"other ({facts.license_name})"
            relation = facts.base_models[0].relation if facts.base_models else None
            rows.append(
                ModelRow(
                    model_id,
                    f"{snap.endpoint}/{quote(model_id, safe='/')}",
                    facts.downloads,
                    facts.gated,
                    declared,
                    relation,
                )
            )
        usage[lic_id] = LicenseHub(u.listed, u.gated, u.derivatives, tuple(rows), u.error)
    return HubUsage(snap.taken_at, snap.endpoint, usage)


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "n/a"
