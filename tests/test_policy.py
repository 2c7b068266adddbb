"""Policy evaluation over the real catalogue: the examples procurement teams rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp import policyfile
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.errors import PolicyError
from licensecmp.model import ModelFacts, Verdict
from licensecmp.policy import DEFAULT, Applicable, evaluate
from licensecmp.service import open_catalogue

from .conftest import DATA

POLICIES = DATA / "policies"
LLAMAS = ["llama-2", "llama-3", "llama-3.1", "llama-3.2", "llama-3.3", "llama-4"]
TEXT_MODEL = ModelFacts(id="org/model", sha="0" * 40, pipeline_tag="text-generation")
VISION_MODEL = ModelFacts(id="org/model", sha="0" * 40, pipeline_tag="image-text-to-text")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return open_catalogue()[0]


def _evaluate(
    catalogue: Catalogue, policy: str, license_id: str, model: ModelFacts = TEXT_MODEL
) -> tuple[Verdict, dict[str, object]]:
    lic = catalogue.get(license_id)
    assert lic is not None
    verdict, findings = evaluate(
        [Applicable(lic, model.id)], model, policyfile.load(POLICIES / f"{policy}.yaml")
    )
    return verdict, {f.code: f for f in findings}


@pytest.mark.parametrize("license_id", LLAMAS)
def test_900m_monthly_users_are_denied_by_every_llama_licence(
    catalogue: Catalogue, license_id: str
) -> None:
    verdict, findings = _evaluate(catalogue, "big-platform", license_id)
    assert verdict is Verdict.DENY
    finding = findings["user-threshold-exceeded"]
    assert finding.clause == "user_threshold"  # type: ignore[attr-defined]
    assert finding.section.startswith("2")  # type: ignore[attr-defined]
    assert "700 million" in finding.quote or "700,000,000" in finding.message  # type: ignore[attr-defined]


@pytest.mark.parametrize("license_id", ["llama-3.2", "llama-4"])
def test_eu_company_gets_no_rights_to_multimodal_llama(
    catalogue: Catalogue, license_id: str
) -> None:
    verdict, findings = _evaluate(catalogue, "eu-startup", license_id, VISION_MODEL)
    assert verdict is Verdict.DENY
    finding = findings["regional-restriction"]
    assert "Acceptable Use Policy" in finding.document  # type: ignore[attr-defined]
    assert "DE" in finding.message  # type: ignore[attr-defined]


def test_eu_company_keeps_rights_to_a_text_only_llama_3_2(catalogue: Catalogue) -> None:
    verdict, findings = _evaluate(catalogue, "eu-startup", "llama-3.2", TEXT_MODEL)
    assert verdict is not Verdict.DENY
    assert "regional-restriction-not-applicable" in findings


def test_unknown_modality_asks_for_review(catalogue: Catalogue) -> None:
    unknown = ModelFacts(id="org/model", sha=None)
    verdict, findings = _evaluate(catalogue, "eu-startup", "llama-3.2", unknown)
    assert verdict is Verdict.REVIEW
    assert findings["regional-restriction"].severity is Verdict.REVIEW  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("policy", "license_id", "code"),
    [
        ("mid-size", "qwen", "user-threshold-exceeded"),
        ("distiller", "llama-2", "outputs-training-prohibited"),
        ("mid-size", "stability-ai-community", "revenue-threshold-exceeded"),
        ("small-us", "cc-by-nc-4.0", "commercial-use-prohibited"),
        ("small-us", "flux-1-dev-non-commercial", "commercial-use-prohibited"),
    ],
)
def test_denials_cite_the_clause_section_and_quote(
    catalogue: Catalogue, policy: str, license_id: str, code: str
) -> None:
    verdict, findings = _evaluate(catalogue, policy, license_id)
    assert verdict is Verdict.DENY
    finding = findings[code]
    assert finding.severity is Verdict.DENY  # type: ignore[attr-defined]
    assert finding.section and finding.quote and finding.document  # type: ignore[attr-defined]


def test_mit_is_allowed_with_its_notice_duty(catalogue: Catalogue) -> None:
    verdict, findings = _evaluate(catalogue, "small-us", "mit")
    assert verdict is Verdict.ALLOW
    assert findings["duty"].clause in {"attribution", "license_copy_on_redistribution"}  # type: ignore[attr-defined]


def test_kimi_threshold_only_adds_a_display_duty(catalogue: Catalogue) -> None:
    verdict, findings = _evaluate(catalogue, "big-platform", "kimi-k2-modified-mit")
    assert verdict is Verdict.ALLOW
    assert "Kimi K2" in " ".join(f.message for f in findings.values())  # type: ignore[attr-defined]


def test_policy_rules_deny_clause_values(catalogue: Catalogue) -> None:
    verdict, findings = _evaluate(catalogue, "small-us", "fair-ai-public-1.0")
    assert verdict is Verdict.DENY
    assert findings["clause-denied"].clause == "share_alike"  # type: ignore[attr-defined]


def test_default_policy_reviews_thresholds_it_cannot_judge(catalogue: Catalogue) -> None:
    lic = catalogue.get("llama-3.1")
    assert lic is not None
    verdict, findings = evaluate([Applicable(lic, "m")], TEXT_MODEL, DEFAULT)
    assert verdict is Verdict.REVIEW
    assert "user-threshold-unknown" in {f.code for f in findings}
    mit = catalogue.get("mit")
    assert mit is not None
    assert evaluate([Applicable(mit, "m")], TEXT_MODEL, DEFAULT)[0] is Verdict.ALLOW


BAD = sorted((POLICIES / "bad").glob("*.yaml"))


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_invalid_policy_lists_every_problem_with_its_place(path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        policyfile.load(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    lines = str(caught.value).splitlines()[1:]
    expected = path.with_suffix(".expected").read_text().splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [e.split(": ", 1)[1] for e in expected]
    assert [line.split(":")[1:3] for line in lines] == [e.split(":")[1:3] for e in expected]


def test_invalid_policy_is_a_usage_error_on_the_command_line(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["check", "--policy", str(POLICIES / "bad" / "duplicate.yaml"), "org/model"]
    )
    assert result.exit_code == 2
    assert "found duplicate key 'domicile'" in result.stderr
    assert "Traceback" not in result.output
