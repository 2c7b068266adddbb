"""The `check` use case: from a model id to a verdict, with lineage and cited findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Protocol

from licensecmp import lineage, policy, resolution
from licensecmp.catalogue import Catalogue
from licensecmp.errors import HubError, ModelGated
from licensecmp.model import CheckResult, Finding, License, LineageNode, ModelFacts, Policy, Verdict
from licensecmp.policy import Applicable

ALLOW, REVIEW, DENY = Verdict.ALLOW, Verdict.REVIEW, Verdict.DENY
#: Clauses whose terms a derivative cannot shed by declaring another licence.
_STICKY = {
    "restrictions_flow_down": "required",
    "share_alike": "required",
    "derivative_naming": "required",
    "user_threshold": "applies",
    "use_restrictions": "restricted",
    "geographic_restriction": "applies",
}


class ModelSource(Protocol):
    """Where model facts come from: the live Hub or a snapshot (same interface)."""

    @property
    def label(self) -> str: ...

    def model(self, repo_id: str, revision: str | None = None) -> ModelFacts: ...

    def file_text(self, repo_id: str, filename: str, revision: str) -> str: ...


Identifier = Callable[[str], tuple[str | None, bool, float]]
"""Licence text → (catalogue id or None, exact, similarity)."""


@dataclass
class Checker:
    catalogue: Catalogue
    source: ModelSource
    policy: Policy = policy.DEFAULT
    identify: Identifier | None = None
    max_depth: int = lineage.MAX_DEPTH
    _declared: dict[tuple[str, str | None], tuple[resolution.Declared, list[Finding]]] = field(
        default_factory=dict
    )
    """Per (model, commit): a base shared by many models is resolved once per run."""

    def check(self, model_id: str, revision: str | None = None) -> CheckResult:
        """Raises HubError when the model itself cannot be read (exit 3)."""
        facts = self.source.model(model_id, revision)
        declared, findings = self._licenses(facts)
        applicable = [Applicable(lic, facts.id) for lic in self._resolve(declared.licenses)]
        if not declared.licenses:
            what = f"licence {declared.declared!r} is" if declared.declared else "no licence is"
            findings.append(
                Finding(
                    self.policy.unknown_license,
                    "unknown-license",
                    f"{what} not in the catalogue: its terms are unknown",
                    model=facts.id,
                )
            )
        ancestors, lineage_findings = lineage.ancestors(facts, self.source.model, self.max_depth)
        findings += lineage_findings
        nodes = [_node(facts, None, None, 0, declared)]
        for anc in ancestors:
            if anc.facts is None:
                nodes.append(
                    LineageNode(
                        anc.ref.id,
                        None,
                        anc.ref.relation,
                        anc.parent,
                        anc.depth,
                        None,
                        (),
                        error=anc.error,
                    )
                )
                continue
            base_declared, base_findings = self._licenses(anc.facts)
            findings += base_findings
            nodes.append(_node(anc.facts, anc.ref.relation, anc.parent, anc.depth, base_declared))
            for lic in self._resolve(base_declared.licenses):
                if all(a.license.id != lic.id for a in applicable):
                    applicable.append(Applicable(lic, anc.facts.id, inherited=True))
                    findings += self._dropped(facts, declared, lic, anc.facts.id)
        findings += self._gating(facts)
        _, policy_findings = policy.evaluate(applicable, facts, self.policy)
        all_findings = tuple(findings) + policy_findings
        return CheckResult(
            model=facts.id,
            requested=model_id,
            revision=facts.sha,
            declared_license=declared.declared,
            licenses=tuple(a.license.id for a in applicable),
            lineage=tuple(nodes),
            gated=facts.gated,
            verdict=policy.verdict_of(all_findings),
            findings=all_findings,
            policy=self.policy.name,
            source=self.source.label,
        )

    def check_many(
        self,
        models: Iterable[tuple[str, str | None]],
        workers: int = 8,
    ) -> Iterator[CheckResult]:
        """Results as each model finishes; a failure becomes an error result, never a stop."""
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(self.check, m, r): m for m, r in models}
            for future in as_completed(futures):
                model = futures[future]
                try:
                    yield future.result()
                except HubError as exc:
                    yield error_result(model, exc.reason, self.policy.name, self.source.label)
                except Exception as exc:  # one model's failure never stops the others
                    reason = f"internal error: {type(exc).__name__}: {exc}"
                    yield error_result(model, reason, self.policy.name, self.source.label)

    def _licenses(self, facts: ModelFacts) -> tuple[resolution.Declared, list[Finding]]:
        """The licences a model's card (or, failing that, its licence file) declares; cached."""
        key = (facts.id, facts.sha)
        if key in self._declared:
            declared, findings = self._declared[key]
            return declared, list(findings)
        declared = resolution.from_card(facts, self.catalogue)
        findings = list(declared.findings)
        if declared.files_to_read and facts.sha and self.identify is not None:
            declared, more = self._read_license_file(facts, declared)
            findings += more
        self._declared[key] = (declared, findings)
        return declared, list(findings)

    def _read_license_file(
        self,
        facts: ModelFacts,
        declared: resolution.Declared,
    ) -> tuple[resolution.Declared, list[Finding]]:
        assert self.identify is not None and facts.sha is not None
        name = declared.files_to_read[0]
        try:
            text = self.source.file_text(facts.id, name, facts.sha)
        except ModelGated:
            return declared, [
                Finding(
                    REVIEW,
                    "license-file-gated",
                    f"{name} could not be read: the model is gated",
                    model=facts.id,
                )
            ]
        except HubError as exc:
            return declared, [
                Finding(
                    REVIEW,
                    "license-file-unreadable",
                    f"{name} could not be read: {exc.reason}",
                    model=facts.id,
                )
            ]
        found, exact, similarity = self.identify(text)
        if found is None:
            return declared, [
                Finding(
                    ALLOW,
                    "license-file-unidentified",
                    f"{name} matches no catalogue licence",
                    model=facts.id,
                )
            ]
        how = "exactly" if exact else f"with similarity {similarity:.2f} (edited text?)"
        note = Finding(
            ALLOW if exact else REVIEW,
            "license-file-identified",
            f"{name} is {found}, matched {how}",
            license=found,
            model=facts.id,
        )
        return resolution.Declared(declared.declared, (found,), declared.findings, ()), [note]

    def _resolve(self, ids: Iterable[str]) -> list[License]:
        return [lic for i in ids if (lic := self.catalogue.get(i)) is not None]

    def _dropped(
        self, facts: ModelFacts, declared: resolution.Declared, base: License, via: str
    ) -> list[Finding]:
        sticky = [c for c, v in _STICKY.items() if base.clauses[c].value == v]
        if not sticky:
            return []
        return [
            Finding(
                self.policy.dropped_base_terms,
                "base-terms-dropped",
                f"{facts.id} declares {declared.declared or 'no licence'} but derives from {via}, "
                f"under {base.id}, whose terms still apply ({', '.join(sticky)})",
                license=base.id,
                clause=sticky[0],
                model=via,
            )
        ]

    def _gating(self, facts: ModelFacts) -> list[Finding]:
        out = []
        if facts.gated:
            out.append(
                Finding(
                    self.policy.gated,
                    "gated",
                    f"gated ({facts.gated}): files need a Hub account that accepted "
                    "the model's terms",
                    model=facts.id,
                )
            )
        if facts.eu_disallowed:
            eu = self.policy.domicile in policy.EU or bool(
                set(self.policy.regions_served) & policy.EU
            )
            out.append(
                Finding(
                    REVIEW if eu else ALLOW,
                    "eu-disallowed",
                    "the model's gate refuses users in the EU",
                    model=facts.id,
                )
            )
        return out


def _node(
    facts: ModelFacts,
    relation: str | None,
    parent: str | None,
    depth: int,
    declared: resolution.Declared,
) -> LineageNode:
    return LineageNode(
        facts.id,
        facts.sha,
        relation,
        parent,
        depth,
        declared.declared,
        declared.licenses,
        facts.gated,
    )


def error_result(model: str, reason: str, policy_name: str, source: str) -> CheckResult:
    return CheckResult(
        model=model,
        requested=model,
        revision=None,
        declared_license=None,
        licenses=(),
        lineage=(),
        gated=None,
        verdict=REVIEW,
        findings=(),
        policy=policy_name,
        source=source,
        error=reason,
    )
