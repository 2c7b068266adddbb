"""What many check results add up to: models by verdict and by licence, and every model whose
declared licence drops a base model's terms (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from licensecmp.model import CheckResult

VERDICTS = ("allow", "review", "deny")
DROPPED = "base-terms-dropped"
"""The verdict's finding for a model that declares away a base's lasting terms (verdict.py)."""
SUSPECTED = "suspected-undeclared-base"
"""The finding for a base the card does not name but the model's clues point to (signals.py)."""
UNKNOWN_BASE = "base-license-unknown"
"""The verdict's finding for a declared base whose own terms are unknown (verdict.py)."""


@dataclass(frozen=True, slots=True)
class LicenseCount:
    """One licence, the models it applies to (declared or inherited) and their verdicts."""

    license: str
    models: int
    allow: int
    review: int
    deny: int


@dataclass(frozen=True, slots=True)
class Dropped:
    """A model whose declared licence leaves out the terms of a base it derives from."""

    model: str
    revision: str | None
    declared_license: str | None
    base_model: str
    base_license: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class UnknownBase:
    """A model one of whose declared bases declares no licence the catalogue knows."""

    model: str
    revision: str | None
    declared_license: str | None
    base_model: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class Suspected:
    """A model whose clues point to a base it does not declare, under other terms."""

    model: str
    revision: str | None
    declared_license: str | None
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class Rollup:
    policy: str
    models: int
    allow: int
    review: int
    deny: int
    undecided: int
    licenses: tuple[LicenseCount, ...]
    """Most models first, then by id; a model counts once under each licence that applies."""
    no_license: int
    """Decided models to which no catalogue licence applies."""
    dropped: tuple[Dropped, ...]
    unknown_bases: tuple[UnknownBase, ...]
    suspected: tuple[Suspected, ...]


def of(results: Iterable[CheckResult], policy: str) -> Rollup:
    """The roll-up of `results`, in their order; undecided models count only as undecided."""
    done = list(results)
    decided = [r for r in done if not r.error]
    verdicts = {v: sum(1 for r in decided if r.verdict.value == v) for v in VERDICTS}
    per_license: dict[str, dict[str, int]] = {}
    for result in decided:
        for lic in dict.fromkeys(result.licenses):
            counts = per_license.setdefault(lic, dict.fromkeys(VERDICTS, 0))
            counts[result.verdict.value] += 1
    licenses = sorted(
        (LicenseCount(lic, sum(c.values()), **c) for lic, c in per_license.items()),
        key=lambda c: (-c.models, c.license),
    )
    return Rollup(
        policy=policy,
        models=len(done),
        undecided=len(done) - len(decided),
        licenses=tuple(licenses),
        no_license=sum(1 for r in decided if not r.licenses),
        dropped=tuple(_dropped(decided)),
        unknown_bases=tuple(
            dict.fromkeys(
                UnknownBase(
                    r.model, r.revision, r.declared_license, f.model, f.severity.value, f.message
                )
                for r in decided
                for f in r.findings
                if f.code == UNKNOWN_BASE and f.model is not None
            )
        ),
        suspected=tuple(
            Suspected(r.model, r.revision, r.declared_license, f.severity.value, f.message)
            for r in decided
            for f in r.findings
            if f.code == SUSPECTED
        ),
        **verdicts,
    )


def _dropped(results: list[CheckResult]) -> list[Dropped]:
    out: dict[tuple[str, str, str], Dropped] = {}
    for result in results:
        for f in result.findings:
            if f.code != DROPPED or f.model is None or f.license is None:
                continue
            key = (result.model, f.model, f.license)
            out.setdefault(
                key,
                Dropped(
                    result.model,
                    result.revision,
                    result.declared_license,
                    f.model,
                    f.license,
                    f.severity.value,
                    f.message,
                ),
            )
    return list(out.values())
