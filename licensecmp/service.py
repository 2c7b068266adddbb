"""Use cases the CLI calls; each returns results and never prints."""

from __future__ import annotations

from pathlib import Path

from licensecmp import validate
from licensecmp.catalogue import Catalogue, Resolution
from licensecmp.checking import Checker, Identifier
from licensecmp.errors import CatalogueError, UnknownLicense
from licensecmp.model import Problem
from licensecmp.resources import bundled_licenses


def catalogue_dir(override: Path | None) -> Path:
    return override if override is not None else bundled_licenses()


def open_catalogue(override: Path | None = None) -> tuple[Catalogue, list[Problem]]:
    """The catalogue's valid licences, and the problems of files that are not."""
    directory = catalogue_dir(override)
    if not directory.is_dir():
        raise CatalogueError(f"{directory}: licence catalogue directory not found")
    run = validate.run([directory], catalogue_dir=directory)
    return Catalogue(run.licenses), run.problems


def resolve(catalogue: Catalogue, names: list[str]) -> list[Resolution]:
    """Each name (catalogue, Hub or SPDX id) resolved; UnknownLicense names the first miss."""
    out = []
    for name in names:
        found = catalogue.resolve(name)
        if found is None:
            raise UnknownLicense(
                f"unknown licence {name!r}: not a catalogue, Hub or SPDX id (see `licensecmp list`)"
            )
        out.append(found)
    return out


def checker(
    licenses_dir: Path | None,
    policy_file: Path | None,
    *,
    timeout: float = 10.0,
) -> Checker:
    """A Checker over the live Hub (HF_ENDPOINT, HF_TOKEN honoured by the client)."""
    from licensecmp import policy, policyfile
    from licensecmp.hub import Hub, HubSettings

    catalogue, problems = open_catalogue(licenses_dir)
    if problems:
        raise CatalogueError(f"catalogue has invalid files, first: {problems[0]}")
    chosen = policyfile.load(policy_file) if policy_file else policy.DEFAULT
    return Checker(catalogue, Hub(HubSettings(timeout=timeout)), chosen, identifier())


def identifier() -> Identifier:
    """Identify licence texts against the bundled fingerprints."""
    from licensecmp import fingerprints, identify

    prints = fingerprints.bundled()

    def run(text: str) -> tuple[str | None, bool, float]:
        found = identify.identify(text, prints)
        return found.license, found.exact, found.similarity

    return run
