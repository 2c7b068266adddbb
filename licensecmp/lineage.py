"""Walk a model's declared base models up the chain, bounded and cycle-safe (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from licensecmp.errors import HubError, ModelDisabled, ModelNotFound
from licensecmp.model import BaseModelRef, Finding, ModelFacts, Severity

MAX_DEPTH = 8
"""Real chains (base → instruct → fine-tune → quantised) are 2 to 4 deep."""
MAX_BASES = 16
"""Base models followed per model: real merges name 2 to 10 parents."""
MAX_ANCESTORS = 48
"""Base models read per check, all levels together: each is one request."""


@dataclass(frozen=True, slots=True)
class Ancestor:
    facts: ModelFacts | None
    ref: BaseModelRef
    parent: str
    depth: int
    error: str | None = None


def ancestors(
    root: ModelFacts,
    fetch: Callable[[str], ModelFacts],
    max_depth: int = MAX_DEPTH,
    max_bases: int = MAX_BASES,
    max_ancestors: int = MAX_ANCESTORS,
) -> tuple[list[Ancestor], list[Finding]]:
    """Every base model reachable from `root`, breadth first; each fetched once.

    Fails closed: a base that is gone (404) or disabled is a review finding, but one that could
    not be read for a passing reason (429, 5xx, timeout) raises HubError for `root`, since its
    licence could change the verdict. Past the caps, the rest is not read: a review finding.
    """
    seen = {root.id, *(filter(None, [root.requested_id]))}
    found: list[Ancestor] = []
    findings: list[Finding] = []
    frontier: list[tuple[ModelFacts, int, frozenset[str]]] = [(root, 1, frozenset(seen))]
    while frontier:
        node, depth, path = frontier.pop(0)
        if len(node.base_models) > max_bases:
            findings.append(
                Finding(
                    Severity.REVIEW,
                    "lineage-capped",
                    f"{node.id} names {len(node.base_models):,} base models; only the first "
                    f"{max_bases} were followed",
                    model=node.id,
                )
            )
        for ref in node.base_models[:max_bases]:
            if ref.id in path:
                findings.append(
                    Finding(
                        Severity.REVIEW,
                        "lineage-cycle",
                        f"{node.id} names {ref.id} as a base model, but {ref.id} "
                        "descends from it: the declared lineage is a cycle",
                        model=node.id,
                    )
                )
                continue
            if ref.id in seen:  # a diamond: two parents share an ancestor, already followed
                continue
            seen.add(ref.id)
            if depth > max_depth:
                findings.append(
                    Finding(
                        Severity.REVIEW,
                        "lineage-too-deep",
                        f"lineage deeper than {max_depth}; {ref.id} not followed",
                        model=node.id,
                    )
                )
                continue
            if len(found) >= max_ancestors:
                findings.append(
                    Finding(
                        Severity.REVIEW,
                        "lineage-capped",
                        f"more than {max_ancestors} base models in the lineage; {ref.id} and "
                        "any after it were not followed",
                        model=node.id,
                    )
                )
                return found, findings
            try:
                facts = fetch(ref.id)
            except (ModelNotFound, ModelDisabled) as exc:  # a lasting answer: say so, go on
                found.append(Ancestor(None, ref, node.id, depth, exc.reason))
                findings.append(
                    Finding(
                        Severity.REVIEW,
                        "base-model-unreadable",
                        f"base model {ref.id} could not be read: {exc.reason}",
                        model=ref.id,
                    )
                )
                continue
            except HubError as exc:  # passing: the verdict cannot be known today
                raise type(exc)(
                    root.id, f"base model {ref.id} could not be read: {exc.reason}"
                ) from None
            seen.add(facts.id)
            found.append(Ancestor(facts, ref, node.id, depth))
            frontier.append((facts, depth + 1, path | {ref.id, facts.id}))
    return found, findings
