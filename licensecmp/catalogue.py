"""The set of known licences: lookup by catalogue, Hub or SPDX id, and version chains (pure).

A catalogue answers lookups from each licence's identity alone and builds a full `License` only
when one is asked for: `show` and `compare` pay for the entries they name, not for the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from licensecmp.model import License, Status

#: The fields of a licence that lookups, listings and cross-file checks read.
IDENTITY_FIELDS = (
    "id",
    "name",
    "version",
    "release_date",
    "licensor",
    "family",
    "status",
    "supersedes",
    "superseded_by",
    "spdx_id",
    "hub_license_ids",
    "hub_license_names",
)


@dataclass(frozen=True, slots=True)
class Identity:
    """What names a licence and places it in its family: enough to find it without loading it."""

    id: str
    name: str
    version: str
    release_date: str
    licensor: str
    family: str
    status: Status
    supersedes: str | None
    superseded_by: str | None
    spdx_id: str
    hub_license_ids: tuple[str, ...]
    hub_license_names: tuple[str, ...]

    @classmethod
    def of(cls, lic: License) -> Identity:
        return cls(*(getattr(lic, name) for name in IDENTITY_FIELDS))

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Identity:
        """From a schema-valid licence document (as read from its file)."""
        return cls(
            **{name: data[name] for name in IDENTITY_FIELDS[:6]},
            status=Status(data["status"]),
            supersedes=data["supersedes"],
            superseded_by=data["superseded_by"],
            spdx_id=data["spdx_id"],
            hub_license_ids=tuple(data["hub_license_ids"]),
            hub_license_names=tuple(data["hub_license_names"]),
        )


@dataclass(frozen=True, slots=True)
class Resolution:
    """What an id named: the licence, and the other versions it could also have meant."""

    license: License
    ambiguous_with: tuple[str, ...] = ()


def digest_of(licenses: Iterable[License]) -> str:
    """A short, stable digest of the catalogue's content, printed in every report's footer."""
    digest = hashlib.sha256()
    for lic in sorted(licenses, key=lambda x: x.id):
        digest.update(repr(lic).encode("utf-8"))
    return digest.hexdigest()[:16]


class Catalogue:
    """Licences by id. Built from licences, or lazily from identities and a loader."""

    def __init__(self, licenses: Iterable[License] = ()) -> None:
        loaded = sorted(licenses, key=lambda lic: lic.id)
        self._loaded: dict[str, License] = {lic.id: lic for lic in loaded}
        self._ids: dict[str, Identity] = {lic.id: Identity.of(lic) for lic in loaded}
        self._load: Callable[[str], License] | None = None
        self._digest: str | None = None

    @classmethod
    def lazy(
        cls,
        identities: Iterable[Identity],
        load: Callable[[str], License],
        digest: str | None = None,
    ) -> Catalogue:
        """A catalogue that builds each licence with `load(id)` on first use (then keeps it)."""
        catalogue = cls()
        catalogue._ids = {i.id: i for i in sorted(identities, key=lambda i: i.id)}
        catalogue._load = load
        catalogue._digest = digest
        return catalogue

    def __iter__(self) -> Iterator[License]:
        """Every licence, by id: loads them all (reports need them all)."""
        return (self._entry(i) for i in list(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def identities(self) -> list[Identity]:
        """Every licence's identity, by id, without loading any licence."""
        return list(self._ids.values())

    @property
    def digest(self) -> str:
        """The digest of every licence's content (known without loading them when compiled)."""
        if self._digest is None:
            self._digest = digest_of(self)
        return self._digest

    def get(self, license_id: str) -> License | None:
        return self._entry(license_id) if license_id in self._ids else None

    def resolve(self, name: str) -> Resolution | None:
        """A catalogue id, a Hub `license:` id, a card `license_name`, or an SPDX id.

        A Hub id shared by several versions resolves to the one in force, naming the others.
        """
        if name in self._ids:
            return Resolution(self._entry(name))
        key = name.lower()
        ids = self._ids.values()
        for field in ("hub_license_ids", "hub_license_names"):
            matches = [i for i in ids if key in (v.lower() for v in getattr(i, field))]
            if matches:
                return self._pick(matches)
        spdx = [i for i in ids if i.spdx_id.lower() == key]
        return Resolution(self._entry(spdx[0].id)) if spdx else None

    def _pick(self, matches: list[Identity]) -> Resolution:
        if len(matches) == 1:
            return Resolution(self._entry(matches[0].id))
        in_force = [m for m in matches if m.status is Status.IN_FORCE] or matches
        chosen = max(in_force, key=lambda m: m.release_date)
        return Resolution(self._entry(chosen.id), tuple(m.id for m in matches if m is not chosen))

    def history(self, license_id: str) -> list[License]:
        """The version chain that `license_id` belongs to, oldest first (cycles cut)."""
        first = self._ids.get(license_id)
        if first is None:
            return []
        seen = {first.id}
        while (older := self._ids.get(first.supersedes or "")) and older.id not in seen:
            first = older
            seen.add(first.id)
        chain = [first]
        while (newer := self._ids.get(chain[-1].superseded_by or "")) and newer not in chain:
            chain.append(newer)
        return [self._entry(i.id) for i in chain]

    def _entry(self, license_id: str) -> License:
        found = self._loaded.get(license_id)
        if found is None:
            assert self._load is not None  # an eager catalogue holds every licence
            found = self._loaded[license_id] = self._load(license_id)
        return found
