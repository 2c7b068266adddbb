"""The `check` use case: from a model id to a verdict, with lineage and cited findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from licensecmp import lineage, policy, resolution, signals, verdict
from licensecmp import workers as workers_
from licensecmp.catalogue import Catalogue
from licensecmp.errors import (
    AnswerTooLarge,
    HubError,
    HubUnavailable,
    LicensecmpError,
    ModelGated,
    ModelNotFound,
    RateLimited,
)
from licensecmp.identify import Identification
from licensecmp.model import (
    CheckResult,
    Finding,
    LineageNode,
    ModelFacts,
    Policy,
    Severity,
    Verdict,
)
from licensecmp.resolution import Declared, Term

if TYPE_CHECKING:
    from licensecmp.folder import FolderSource

INFO, REVIEW = Severity.INFO, Severity.REVIEW


@dataclass(frozen=True, slots=True)
class Unread:
    """Why a repository file could not be read, and whether a gate (not the file) is why."""

    reason: str
    gated: bool = False


UNDECLARED = ": the repository may carry terms the card does not declare"


class ModelSource(Protocol):
    """Where model facts come from: the live Hub, a snapshot or folders on disk (same
    interface). `file_text`'s revision is the commit read; a folder's files need none."""

    @property
    def label(self) -> str: ...

    def model(self, repo_id: str, revision: str | None = None) -> ModelFacts: ...

    def file_text(self, repo_id: str, filename: str, revision: str) -> str: ...


Identifier = Callable[[str], Identification]
"""Licence text → the catalogue licence and document it is, if any."""


@dataclass(frozen=True, slots=True)
class Target:
    """One model to check: a Hub model id (and revision), a model folder, or something a scan
    found that could not be read, which is checked as an error result naming it."""

    name: str
    """What the result calls `requested`: the model id asked for, or the folder's path."""
    revision: str | None = None
    folder: Path | None = None
    """A model folder on disk (`check_folder`), named `repo_id` at `revision` when known."""
    repo_id: str | None = None
    problem: str | None = None
    """Why it cannot be checked: its result is this error (exit 3)."""


@dataclass
class Checker:
    catalogue: Catalogue
    source: ModelSource
    policy: Policy = policy.DEFAULT
    identify: Identifier | None = None
    max_depth: int = lineage.MAX_DEPTH
    _declared: dict[tuple[str, str | None], tuple[Declared, list[Finding]]] = field(
        default_factory=dict
    )
    """Per (model, commit): a base shared by many models is resolved once per run."""
    folders: FolderSource | None = None
    """Where folder checks read folders and look their bases up (None: a FolderSource that
    looks in the local Hugging Face cache only)."""

    def check(self, model_id: str, revision: str | None = None) -> CheckResult:
        """Raises HubError when the model, or a file or base its verdict needs, cannot be read
        for a reason that may pass (exit 3): the tool never decides on what it could not see."""
        return self._decide(self.source.model(model_id, revision), model_id)

    def check_folder(
        self, path: Path, repo_id: str | None = None, revision: str | None = None
    ) -> CheckResult:
        """The model folder at `path`, with the same resolution, lineage signals and policy as
        a Hub model; its licence and policy files are always read. Never raises: a folder that
        cannot be read, or a base that cannot be read for a passing reason, is an error result
        whose one-line reason names the file and place."""
        source = self.folders
        if source is None:
            from licensecmp.folder import FolderSource

            source = FolderSource()
        shown = str(path)
        try:
            facts = source.add(path, repo_id, revision)
            return replace(self, source=source)._decide(facts, shown)
        except HubError as exc:
            return error_result(shown, exc.reason, self.policy.name, source.label)
        except Exception as exc:  # one folder's failure never stops the others
            reason = f"internal error: {type(exc).__name__}: {exc}"
            return error_result(shown, reason, self.policy.name, source.label)

    def _decide(self, facts: ModelFacts, model_id: str) -> CheckResult:
        declared, findings = self._licenses(facts)
        ancestors, lineage_findings = lineage.ancestors(facts, self.source.model, self.max_depth)
        findings += lineage_findings
        nodes = [_node(facts, None, None, 0, declared)]
        inherited: list[verdict.Inherited] = []
        unknown_bases: list[verdict.UnknownBase] = []
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
            if not any(all(t.license for t in alt) for alt in base_declared.alternatives):
                unknown_bases.append(verdict.UnknownBase(anc.facts.id, base_declared.declared))
            for lic_id in base_declared.licenses:
                lic = self.catalogue.get(lic_id)
                if lic is not None:
                    inherited.append(verdict.Inherited(lic, anc.facts.id))
        findings += suspected_bases(self, facts, declared, inherited, ancestors)
        case = verdict.Case(
            model=facts,
            declared=declared.declared,
            alternatives=declared.alternatives,
            inherited=tuple(inherited),
            unknown_bases=tuple(unknown_bases),
            observations=tuple(findings),
        )
        decision = verdict.decide(case, self.catalogue, self.policy)
        return CheckResult(
            model=facts.id,
            requested=model_id,
            revision=facts.sha,
            declared_license=declared.declared,
            licenses=decision.licenses,
            lineage=tuple(nodes),
            gated=facts.gated,
            verdict=decision.verdict,
            findings=decision.findings,
            policy=self.policy.name,
            source=self.source.label,
            obligations=decision.obligations,
            unknown_licenses=decision.unknown,
        )

    def check_many(
        self,
        models: Iterable[tuple[str | Path, str | None]],
        workers: int = 8,
    ) -> Iterator[CheckResult]:
        """Results as each model finishes; a failure becomes an error result, never a stop."""
        for _, result in self.check_indexed(models, workers):
            yield result

    def check_indexed(
        self,
        models: Iterable[tuple[str | Path, str | None]],
        workers: int = 8,
    ) -> Iterator[tuple[int, CheckResult]]:
        """(input position, result) as each model finishes; a Path is a model folder
        (`check_folder`, the revision ignored). Stopping the iterator (Ctrl-C) starts no
        further model and waits for none still running."""
        return self.run_indexed(
            [Target(str(m), folder=m) if isinstance(m, Path) else Target(m, r) for m, r in models],
            workers,
        )

    def run_indexed(
        self, targets: Sequence[Target], workers: int = 8
    ) -> Iterator[tuple[int, CheckResult]]:
        """As `check_indexed`, for any targets: a failure, or a target that could not be
        listed, becomes an error result and never stops the others."""

        def one(target: Target) -> CheckResult:
            if target.problem is not None:
                return self.error(target.name, target.problem)
            if target.folder is not None:
                return self.check_folder(target.folder, target.repo_id, target.revision)
            model, revision = target.name, target.revision
            try:
                return self.check(model, revision)
            except ModelNotFound as exc:
                hint = self._licence_id_hint(model, revision) if exc.model == model else ""
                return self.error(model, exc.reason + hint)
            except LicensecmpError as exc:
                return self.error(model, getattr(exc, "reason", str(exc)))
            except Exception as exc:  # one model's failure never stops the others
                return self.error(model, f"internal error: {type(exc).__name__}: {exc}")

        return workers_.as_finished(targets, one, workers)

    def error(self, name: str, reason: str) -> CheckResult:
        """The result for a model that could not be decided (exit 3), as every output shows it."""
        return error_result(name, reason, self.policy.name, self.source.label)

    def _licence_id_hint(self, model: str, revision: str | None) -> str:
        """When no model has this name but a licence does (`check llama-3.1`), say where its
        terms are: the user meant `show`."""
        if revision is not None or self.catalogue.resolve(model) is None:
            return ""
        return f"; {model!r} is a licence id: see `licensecmp show {model}`"

    def _licenses(self, facts: ModelFacts) -> tuple[Declared, list[Finding]]:
        """What a model declares, completed by its licence and policy files; cached."""
        key = (facts.id, facts.sha)
        if key in self._declared:
            declared, findings = self._declared[key]
            return declared, list(findings)
        declared = resolution.from_card(facts, self.catalogue)
        findings = list(declared.findings) + [
            Finding(REVIEW, "card-field-invalid", problem, model=facts.id)
            for problem in facts.card_problems
        ]
        findings += [
            Finding(
                REVIEW,
                "folder-incomplete",
                f"{note}: the folder was not read whole",
                model=facts.id,
            )
            for note in facts.folder_notes
        ]
        # A Hub file is read at the commit checked; a folder's files are read as they are.
        if (facts.sha or facts.path) and self.identify is not None:
            if declared.license_file:
                declared = self._license_file(facts, declared, declared.license_file, findings)
            for name in declared.policy_files:
                declared = self._policy_file(facts, declared, name, findings)
        self._declared[key] = (declared, findings)
        return declared, list(findings)

    def _read(self, facts: ModelFacts, name: str) -> Identification | Unread:
        """The file identified, or why it could not be read (a transient failure raises)."""
        assert self.identify is not None
        try:
            return self.identify(self.source.file_text(facts.id, name, facts.sha or ""))
        except ModelGated as exc:  # the reason says how to give a token
            return Unread(exc.reason, gated=True)
        except (ModelNotFound, AnswerTooLarge) as exc:  # lasting answers: a finding
            return Unread(exc.reason)
        except HubError as exc:  # 429, 5xx, timeout: unknown today, so the model is undecided
            raise type(exc)(exc.model, f"{name} could not be read: {exc.reason}") from None

    def _license_file(
        self, facts: ModelFacts, declared: Declared, name: str, findings: list[Finding]
    ) -> Declared:
        found = self._read(facts, name)
        settled = declared.settled
        if isinstance(found, Unread):
            gated = found.gated
            # Gated: the card's licence is the gate's terms (Llama's LICENSE sits behind it).
            # Any other file that could not be read may carry terms the card does not declare.
            findings.append(
                _found(
                    facts,
                    INFO if settled and gated else REVIEW,
                    "license-file-gated" if gated else "license-file-unreadable",
                    f"{name} could not be read: {found.reason}",
                )
            )
            return declared
        if found.license is None:
            findings.append(
                _found(
                    facts,
                    REVIEW if settled else INFO,
                    "license-file-unidentified",
                    f"{name} matches no catalogue licence"
                    + (
                        ": the repository may carry terms the card does not declare"
                        if settled
                        else ""
                    ),
                )
            )
            return declared
        how = "exactly" if found.exact else f"with similarity {found.similarity:.2f} (edited text?)"
        agrees = found.license in declared.licenses
        if settled and not agrees:
            findings.append(
                _found(
                    facts,
                    REVIEW,
                    "license-file-differs",
                    f"{name} is {found.license} (matched {how}), which the card does not "
                    f"declare ({declared.declared}); both apply",
                    found.license,
                )
            )
        else:
            findings.append(
                _found(
                    facts,
                    INFO if found.exact else REVIEW,
                    "license-file-identified",
                    f"{name} is {found.license}, matched {how}",
                    found.license,
                )
            )
        if agrees:
            return declared
        return declared.with_terms(Term(name, found.license), replace_unknown=not settled)

    def _policy_file(
        self, facts: ModelFacts, declared: Declared, name: str, findings: list[Finding]
    ) -> Declared:
        found = self._read(facts, name)
        incorporating = [
            lic_id
            for lic_id in declared.licenses
            if (lic := self.catalogue.get(lic_id)) is not None
            and lic.clauses["use_policy"].value == "incorporated"
        ]
        if isinstance(found, Unread) or found.license is None:
            unread = isinstance(found, Unread)
            why = (
                f"could not be read: {found.reason}"
                if isinstance(found, Unread)
                else "matches no catalogue document"
            )
            known = f"; {', '.join(incorporating)} incorporates one" if incorporating else ""
            findings.append(
                _found(
                    facts,
                    INFO if unread and incorporating else REVIEW,
                    "policy-file-unknown",
                    f"the repository carries {name}, which {why}{known}: its terms may bind users",
                )
            )
            return declared
        doc = f"{found.license}'s {found.document or 'document'}"
        if found.license in declared.licenses:
            findings.append(
                _found(facts, INFO, "policy-file-identified", f"{name} is {doc}", found.license)
            )
            return declared
        findings.append(
            _found(
                facts,
                INFO if found.exact else REVIEW,
                "policy-file-identified",
                f"{name} is {doc}: the {found.license} terms apply as well",
                found.license,
            )
        )
        return declared.with_terms(Term(name, found.license))


# -- suspected undeclared bases (issue 9.1): one call from `Checker.check` --------------------

#: Failures that say nothing about the model: the check cannot decide (exit 3), never allows.
_TRANSIENT = (HubUnavailable, RateLimited)


def suspected_bases(
    checker: Checker,
    facts: ModelFacts,
    declared: Declared,
    inherited: list[verdict.Inherited],
    ancestors: list[lineage.Ancestor],
) -> list[Finding]:
    """Bases the card does not declare, suspected from the model's other clues (signals.py).

    Costs: README.md (pinned to the commit) only when the card declares no base model,
    adapter_config.json only when the repository has one, and one `model_info` per Hub id the
    clues name outside the declared lineage. Transient failures propagate (exit 3).
    """
    notes: list[Finding] = []

    def read(name: str) -> str | None:
        if name not in facts.files or (facts.sha is None and facts.path is None):
            return None
        try:
            return checker.source.file_text(facts.id, name, facts.sha or "")
        except _TRANSIENT:
            raise
        except HubError as exc:
            notes.append(
                Finding(
                    INFO,
                    "signals-unread",
                    f"{name} was not searched for undeclared base models: it could not be "
                    f"read: {exc.reason}",
                    model=facts.id,
                )
            )
            return None

    prose = read("README.md") if not facts.base_models else None
    found = signals.suspects(
        facts, checker.catalogue, prose=prose, adapter_config=read("adapter_config.json")
    )
    known = {facts.id.lower()} | {
        i.lower() for a in ancestors for i in (a.ref.id, a.facts.id if a.facts else a.ref.id)
    }
    resolved: list[signals.Suspect] = []
    for suspect in found:
        if suspect.hub_id is None:
            resolved.append(suspect)
            continue
        if suspect.hub_id.lower() in known:
            continue  # declared lineage: its licences already apply
        try:
            base = checker.source.model(suspect.hub_id)
        except _TRANSIENT:
            raise
        except HubError as exc:
            notes.append(signals.unreadable(facts.id, suspect, exc.reason))
            continue
        if base.id.lower() in known:
            continue
        licenses = resolution.from_card(base, checker.catalogue).licenses
        resolved.append(signals.with_licenses(suspect, licenses))
    applied = [*declared.licenses, *(i.license.id for i in inherited)]
    return notes + signals.findings(facts.id, resolved, applied, declared.declared)


def _found(
    facts: ModelFacts, severity: Severity, code: str, message: str, license_id: str | None = None
) -> Finding:
    return Finding(severity, code, message, license=license_id, model=facts.id)


def _node(
    facts: ModelFacts,
    relation: str | None,
    parent: str | None,
    depth: int,
    declared: Declared,
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
        verdict=Verdict.REVIEW,
        findings=(),
        policy=policy_name,
        source=source,
        error=reason,
    )
