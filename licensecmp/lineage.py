"""Walk a model's declared base models up the chain, bounded and cycle-safe (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from licensecmp.errors import HubError
from licensecmp.model import BaseModelRef, Finding, ModelFacts, Severity

MAX_DEPTH = 8
"""Real chains (base → instruct → fine-tune → quantised) are 2 to 4 deep."""


@dataclass(frozen=True, slots=True)
class Ancestor:
    facts: ModelFacts | None
    ref: BaseModelRef
    parent: str
    depth: int
    error: str | None = None


def ancestors(
    root: ModelFacts, fetch: Callable[[str], ModelFacts], max_depth: int = MAX_DEPTH
) -> tuple[list[Ancestor], list[Finding]]:
    """Every base model reachable from `root`, breadth first; each fetched once."""
    seen = {root.id, *(filter(None, [root.requested_id]))}
    found: list[Ancestor] = []
    findings: list[Finding] = []
    frontier: list[tuple[ModelFacts, int, frozenset[str]]] = [(root, 1, frozenset(seen))]
    while frontier:
        node, depth, path = frontier.pop(0)
        for ref in node.base_models:
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
            try:
                facts = fetch(ref.id)
            except HubError as exc:
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
            seen.add(facts.id)
            found.append(Ancestor(facts, ref, node.id, depth))
            frontier.append((facts, depth + 1, path | {ref.id, facts.id}))
    return found, findings
