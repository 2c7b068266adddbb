"""The set of known licences: lookup by catalogue, Hub or SPDX id, and version chains (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from licensecmp.model import License, Status


@dataclass(frozen=True, slots=True)
class Resolution:
    """What an id named: the licence, and the other versions it could also have meant."""

    license: License
    ambiguous_with: tuple[str, ...] = ()


class Catalogue:
    def __init__(self, licenses: Iterable[License]) -> None:
        self._by_id = {lic.id: lic for lic in sorted(licenses, key=lambda lic: lic.id)}

    def __iter__(self) -> Iterator[License]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, license_id: str) -> License | None:
        return self._by_id.get(license_id)

    def resolve(self, name: str) -> Resolution | None:
        """A catalogue id, a Hub `license:` id, a card `license_name`, or an SPDX id.

        A Hub id shared by several versions resolves to the one in force, naming the others.
        """
        if name in self._by_id:
            return Resolution(self._by_id[name])
        key = name.lower()
        for field in ("hub_license_ids", "hub_license_names"):
            matches = [lic for lic in self if key in (v.lower() for v in getattr(lic, field))]
            if matches:
                return self._pick(matches)
        spdx = [lic for lic in self if lic.spdx_id.lower() == key]
        return Resolution(spdx[0]) if spdx else None

    def _pick(self, matches: list[License]) -> Resolution:
        if len(matches) == 1:
            return Resolution(matches[0])
        in_force = [m for m in matches if m.status is Status.IN_FORCE] or matches
        chosen = max(in_force, key=lambda m: m.release_date)
        return Resolution(chosen, tuple(m.id for m in matches if m is not chosen))

    def history(self, license_id: str) -> list[License]:
        """The version chain that `license_id` belongs to, oldest first (cycles cut)."""
        first = self._by_id.get(license_id)
        if first is None:
            return []
        seen = {first.id}
        while (older := self._by_id.get(first.supersedes or "")) and older.id not in seen:
            first = older
            seen.add(first.id)
        chain = [first]
        while (newer := self._by_id.get(chain[-1].superseded_by or "")) and newer not in chain:
            chain.append(newer)
        return chain
