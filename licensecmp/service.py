"""Use cases the CLI calls; each returns results and never prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from licensecmp import families
from licensecmp.catalogue import Catalogue, Resolution
from licensecmp.checking import Checker, Identifier, ModelSource
from licensecmp.compare import Comparison, VersionDiff
from licensecmp.errors import CatalogueError, UnknownLicense
from licensecmp.model import License, Policy, Problem
from licensecmp.report.meta import Meta
from licensecmp.resources import bundled_licenses

if TYPE_CHECKING:
    from licensecmp.checking import Target
    from licensecmp.hub import Listing
    from licensecmp.hubusage import HubUsage


def catalogue_dir(override: Path | None) -> Path:
    return override if override is not None else bundled_licenses()


def open_catalogue(override: Path | None = None) -> tuple[Catalogue, list[Problem]]:
    """The catalogue's valid licences, and the problems of files that are not.

    Read from the directory's compiled index or the user's cache when they match the files,
    else validated (see `index`); each licence is built only when a command asks for it.
    """
    from licensecmp import index

    directory = catalogue_dir(override)
    if not directory.is_dir():
        raise CatalogueError(f"{directory}: licence catalogue directory not found")
    return index.open_directory(directory)


def compile_index(override: Path | None = None, *, check_only: bool = False) -> tuple[Path, bool]:
    """Write the catalogue's compiled index (or, with `check_only`, only compare it).

    Returns its path and whether the file on disk was stale; CatalogueError lists the problems
    of a catalogue that is not valid (nothing is written then).
    """
    from licensecmp import index

    directory = catalogue_dir(override)
    if not directory.is_dir():
        raise CatalogueError(f"{directory}: licence catalogue directory not found")
    text, problems = index.compile_index(directory)
    if text is None:
        raise CatalogueError(
            f"catalogue has {len(problems)} problem(s); run `licensecmp validate`. First: "
            f"{problems[0]}"
        )
    target = directory / index.INDEX_NAME
    try:
        stale = target.read_text(encoding="utf-8") != text
    except OSError:
        stale = True
    if stale and not check_only:
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CatalogueError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return target, stale


def resolve(catalogue: Catalogue, names: list[str]) -> list[Resolution]:
    """Each name (catalogue, Hub or SPDX id) resolved; UnknownLicense names the first miss."""
    out = []
    for name in names:
        found = catalogue.resolve(name)
        if found is None and (family := families.match(name, catalogue)) and family.versions:
            versions = ", ".join(lic.id for lic in family.versions)
            raise UnknownLicense(
                f"{name!r} names a licence family, not one licence: name a version ({versions}; "
                f"see `licensecmp show {family.family.id}`)"
            )
        if found is None:
            raise UnknownLicense(_unknown(name, catalogue))
        out.append(found)
    return out


def load_policy(policy_file: Path | None, catalogue: Catalogue) -> Policy:
    """The policy in `policy_file`, its licence ids resolved in `catalogue`; else the default
    (without importing the policy reader: the YAML reader and the schema validator are heavy)."""
    if policy_file is None:
        from licensecmp import policy

        return policy.DEFAULT
    from licensecmp import policyfile

    return policyfile.load(policy_file, catalogue)


def _unknown(name: str, catalogue: Catalogue) -> str:
    """Help at the point of error: the closest ids, or that a Hub model id wants `check`."""
    from licensecmp.policyfile import license_suggestion

    message = f"unknown licence {name!r}: not a catalogue, Hub or SPDX id"
    if "/" in name.strip("/"):
        return f"{message}; it looks like a Hub model id: try `licensecmp check {name}`"
    family = sorted(lic.id for lic in catalogue.identities() if lic.family == name.lower())
    if family:
        versions = ", ".join(family)
        return f"{name!r} names a licence family, not one licence: name a version ({versions})"
    hint = license_suggestion(name, catalogue, cutoff=0.75)
    return message + (hint or " (see `licensecmp list`)")


def checker(
    licenses_dir: Path | None,
    policy_file: Path | None,
    *,
    timeout: float = 10.0,
    deadline: float | None = None,
    snapshot_file: Path | None = None,
    record: bool = False,
    online: bool = False,
    hf_cache: Path | None = None,
) -> Checker:
    """A Checker over the live Hub (HF_ENDPOINT, HF_TOKEN honoured by the client), or over a
    snapshot file with no network at all; `record` keeps what the Hub answered.

    Model folders (`Checker.check_folder`) are read from disk; the bases they name are looked
    up in the Hugging Face cache (`hf_cache`, default huggingface_hub's), then in the snapshot
    when one is given, then on the Hub only when `online` (and HF_HUB_OFFLINE is not set).
    """
    from licensecmp.folder import FolderSource

    catalogue = strict_catalogue(licenses_dir)
    chosen = load_policy(policy_file, catalogue)
    source: ModelSource
    bases: ModelSource | None = None
    offline_reason = None
    if snapshot_file is not None:
        from licensecmp import snapshot

        source = bases = snapshot.SnapshotSource(snapshot.load(snapshot_file), str(snapshot_file))
    else:
        from licensecmp import hub
        from licensecmp.hub import Hub, HubSettings

        source = Hub(HubSettings(timeout=timeout, deadline=deadline))
        if record:
            from licensecmp.snapshot import RecordingSource

            source = RecordingSource(source)
        if online and hub.offline():
            offline_reason = "HF_HUB_OFFLINE is set, which --online does not override"
        elif online:
            bases = source
    folders = FolderSource(bases, cache_dir=hf_cache, offline_reason=offline_reason)
    return Checker(catalogue, source, chosen, identifier(), folders=folders)


def enrich(
    licenses_dir: Path | None,
    top: int,
    output: Path,
    *,
    timeout: float = 10.0,
    deadline: float | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> int:
    """List the top models of every Hub licence id and save the snapshot atomically."""
    from licensecmp import enrich as use_case
    from licensecmp import snapshot
    from licensecmp.hub import Hub, HubSettings

    catalogue = strict_catalogue(licenses_dir)
    hub = Hub(HubSettings(timeout=timeout, deadline=deadline))
    snap = use_case.enrich(catalogue, hub, top, utc_now(), progress)
    snapshot.save(snap, output)
    return len(snap.models)


def save_recording(checker: Checker, output: Path) -> int:
    """Save what a recording checker saw as a snapshot; returns the number of models."""
    from licensecmp import __version__, snapshot

    rec = checker.source
    assert isinstance(rec, snapshot.RecordingSource)
    snap = snapshot.Snapshot(
        rec.inner.endpoint,
        utc_now(),
        f"licensecmp {__version__}",
        dict(sorted(rec.models.items())),
        dict(sorted(rec.aliases.items())),
        rec.files,
    )
    snapshot.save(snap, output)
    return len(snap.models)


def utc_now() -> str:
    import datetime

    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


IDENTIFIED_KEPT = 4096
"""Identifications remembered per run, by the text's digest: an organisation's models or a
cache's revisions often ship the same LICENSE, identified once instead of each time."""


def identifier() -> Identifier:
    """Identify licence texts against the bundled fingerprints; a text seen before in this
    run (same sha256) is answered from memory (thread-safe)."""
    import hashlib
    import threading

    from licensecmp import fingerprints, identify

    prints = fingerprints.bundled()
    known: dict[str, identify.Identification] = {}
    lock = threading.Lock()

    def run(text: str) -> identify.Identification:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        with lock:
            found = known.get(digest)
        if found is None:
            found = identify.identify(text, prints)
            with lock:
                if len(known) < IDENTIFIED_KEPT:
                    known[digest] = found
        return found

    return run


def comparison(
    licenses_dir: Path | None,
    names: list[str],
    *,
    only_differences: bool = False,
) -> tuple[Comparison, Catalogue]:
    """Resolve each name and compare; ambiguous Hub ids become notes for the reader."""
    from licensecmp.compare import compare

    catalogue = strict_catalogue(licenses_dir)
    found = resolve(catalogue, names)
    notes = [
        f"{name!r} also names {', '.join(r.ambiguous_with)}; shown: {r.license.id} (in force)"
        for name, r in zip(names, found, strict=True)
        if r.ambiguous_with
    ]
    unique = list({r.license.id: r.license for r in found}.values())
    return compare(unique, only_differences=only_differences, notes=notes), catalogue


def version_diff(licenses_dir: Path | None, old: str, new: str) -> VersionDiff:
    from licensecmp.compare import diff

    catalogue = strict_catalogue(licenses_dir)
    a, b = resolve(catalogue, [old, new])
    return diff(a.license, b.license)


def predecessor_diff(catalogue: Catalogue, lic: License) -> VersionDiff | None:
    """What changed from the version `lic` supersedes, as its report page shows it."""
    from licensecmp.compare import diff

    older = catalogue.get(lic.supersedes or "")
    return diff(older, lic) if older is not None else None


def family_comparison(found: families.FamilyMatch) -> Comparison:
    """A family id's versions side by side, with a note saying the id names no one licence."""
    from licensecmp.compare import compare

    if not found.versions:
        raise UnknownLicense(
            f"{found.family.id!r} names a licence family ({found.family.title}) with no version "
            "in this catalogue"
        )
    note = (
        f"{found.family.id!r} names a licence family, not one licence: it may mean any of "
        f"{', '.join(lic.id for lic in found.versions)}"
    )
    return compare(list(found.versions), notes=[note])


def meta(catalogue: Catalogue, generated: str | None = None) -> Meta:
    return Meta(catalogue.digest, generated)


def strict_catalogue(licenses_dir: Path | None) -> Catalogue:
    catalogue, problems = open_catalogue(licenses_dir)
    if problems:
        raise CatalogueError(
            f"catalogue has {len(problems)} problem(s); run `licensecmp validate`. First: "
            f"{problems[0]}"
        )
    return catalogue


def hub_usage(snapshot_file: Path) -> HubUsage:
    """The Hub usage recorded by `enrich` in a snapshot file, for reports."""
    from licensecmp import hubusage, snapshot

    return hubusage.from_snapshot(snapshot.load(snapshot_file))


def hub_targets(
    checker: Checker,
    listings: list[Listing],
    progress: Callable[[str], None] = lambda _: None,
) -> list[Target]:
    """The models Hub listings name, for `scan`: their facts are kept in the checker's Hub, so
    checking them asks only for the files and base models each check needs."""
    from licensecmp import scanning
    from licensecmp.hub import Hub

    assert isinstance(checker.source, Hub)
    return scanning.listed(checker.source, listings, progress)
