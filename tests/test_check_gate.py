"""`check` never fails open: every declared licence, every repository policy file, and the
duties a policy's uses trigger — against the fake Hub, with the real client over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from licensecmp.cli import main
from tests.conftest import REPO
from tests.hubserver import FakeHub, start_hub

LLAMA = "meta-llama/Llama-3.1-8B"
USAGE_POLICY = (REPO / "licenses" / "texts" / "gpt-oss.usage-policy.txt").read_bytes()


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    server = start_hub()
    server.add_model(LLAMA, card_data={"license": "llama3.1"}, gated="manual")
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    yield server
    server.stop()


def policy_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "policy.yaml"
    path.write_text(body, encoding="utf-8")
    return str(path)


SMALL_US = """name: small-us
organisation:
  monthly_active_users: 1000
  annual_revenue: {amount: 100000, currency: USD}
  domicile: US
  regions_served: [US]
uses: [commercial_product]
"""
DENY_LLAMA = SMALL_US + "rules:\n  deny_licenses: [llama-3.1]\n"


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--format", "json", *args])


def one(result: Result) -> dict[str, Any]:
    (line,) = result.stdout.splitlines()
    doc: dict[str, Any] = json.loads(line)
    return doc


def codes(doc: dict[str, Any]) -> list[str]:
    return [f["code"] for f in doc["findings"]]


@pytest.mark.parametrize(
    ("card", "tags"),
    [
        ({"license": ["apache-2.0", "llama3.1"]}, []),
        (None, ["license:apache-2.0", "license:llama3.1"]),
        ({"license": "apache-2.0 AND llama3.1"}, []),
    ],
    ids=["card-list", "two-tags", "expression"],
)
def test_every_declared_licence_applies(
    hub: FakeHub, tmp_path: Path, card: dict[str, Any] | None, tags: list[str]
) -> None:
    hub.add_model("acme/two", card_data=card, tags=tags)
    result = check("--policy", policy_file(tmp_path, DENY_LLAMA), "acme/two")
    assert result.exit_code == 1, result.output
    doc = one(result)
    assert doc["verdict"] == "deny"
    assert doc["licenses"] == ["apache-2.0", "llama-3.1"]
    (denied,) = [f for f in doc["findings"] if f["code"] == "license-denied"]
    assert denied["message"] == "llama-3.1 is on the policy's deny list"


def test_an_unknown_part_of_an_expression_is_never_dropped(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/ref", card_data={"license": "Apache-2.0 AND LicenseRef-acme-model"})
    doc = one(check("--policy", policy_file(tmp_path, SMALL_US), "acme/ref"))
    assert doc["verdict"] == "review"
    assert doc["licenses"] == ["apache-2.0"]
    (unknown,) = [f for f in doc["findings"] if f["code"] == "unknown-license"]
    assert unknown["message"] == (
        "licence 'LicenseRef-acme-model' is not in the catalogue: its terms are unknown"
    )


def test_a_choice_is_evaluated_per_alternative(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/dual", card_data={"license": "llama3.1 OR MIT"})
    result = check("--policy", policy_file(tmp_path, DENY_LLAMA), "acme/dual")
    assert result.exit_code == 0
    doc = one(result)
    assert doc["verdict"] == "allow" and doc["licenses"] == ["mit"]
    assert "license-choice" in codes(doc)


def test_an_unparsable_expression_is_review(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/broken", card_data={"license": "MIT AND (Apache-2.0"})
    doc = one(check("--policy", policy_file(tmp_path, SMALL_US), "acme/broken"))
    assert doc["verdict"] == "review"
    assert {"license-expression-invalid", "unknown-license"} <= set(codes(doc))


def test_an_exception_to_a_licence_asks_for_review(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/exc", card_data={"license": "Apache-2.0 WITH LLVM-exception"})
    doc = one(check("--policy", policy_file(tmp_path, SMALL_US), "acme/exc"))
    assert doc["verdict"] == "review" and doc["licenses"] == ["apache-2.0"]
    (exception,) = [f for f in doc["findings"] if f["code"] == "license-exception"]
    assert "'LLVM-exception'" in exception["message"]


def test_card_and_tags_that_disagree_are_both_applied(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/odd", card_data={"license": "mit"}, tags=["license:llama3.1"])
    doc = one(check("--policy", policy_file(tmp_path, DENY_LLAMA), "acme/odd"))
    assert doc["verdict"] == "deny"
    assert set(doc["licenses"]) == {"mit", "llama-3.1"}
    assert "sources-disagree" in codes(doc)


def test_a_repository_usage_policy_brings_in_its_licence(hub: FakeHub, tmp_path: Path) -> None:
    """gpt-oss: an apache-2.0 card, and a USAGE_POLICY file that only the repository shows."""
    hub.add_model(
        "openai/gpt-oss-20b",
        card_data={"license": "apache-2.0"},
        files={"USAGE_POLICY": USAGE_POLICY},
    )
    doc = one(check("--policy", policy_file(tmp_path, SMALL_US), "openai/gpt-oss-20b"))
    assert doc["licenses"] == ["apache-2.0", "gpt-oss"]
    (found,) = [f for f in doc["findings"] if f["code"] == "policy-file-identified"]
    assert found["message"] == (
        "USAGE_POLICY is gpt-oss's usage-policy: the gpt-oss terms apply as well"
    )
    assert doc["verdict"] == "allow"
    assert "use_policy" in {o["clause"] for o in doc["obligations"]}


def test_an_unknown_repository_policy_asks_for_review(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model(
        "acme/policed",
        card_data={"license": "mit"},
        files={"USE_POLICY.md": b"# Acme use policy\n\nDo not use this model for anything.\n"},
    )
    doc = one(check("--policy", policy_file(tmp_path, SMALL_US), "acme/policed"))
    assert doc["verdict"] == "review"
    (unknown,) = [f for f in doc["findings"] if f["code"] == "policy-file-unknown"]
    assert unknown["message"] == (
        "the repository carries USE_POLICY.md, which matches no catalogue document: "
        "its terms may bind users"
    )


def test_a_licence_file_that_contradicts_the_card_applies_too(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/mislabelled", card_data={"license": "mit"}, files={"LICENSE": USAGE_POLICY})
    doc = one(check("--policy", policy_file(tmp_path, SMALL_US), "acme/mislabelled"))
    assert doc["verdict"] == "review"
    assert doc["licenses"] == ["mit", "gpt-oss"]
    (differs,) = [f for f in doc["findings"] if f["code"] == "license-file-differs"]
    assert differs["message"].startswith("LICENSE is gpt-oss (matched exactly), which the card")


def test_an_unidentified_licence_file_beside_a_card_asks_for_review(
    hub: FakeHub, tmp_path: Path
) -> None:
    hub.add_model(
        "acme/custom",
        card_data={"license": "apache-2.0"},
        files={"LICENSE": b"ACME MODEL LICENCE\n\nNon-commercial use only.\n"},
    )
    doc = one(check("--policy", policy_file(tmp_path, SMALL_US), "acme/custom"))
    assert doc["verdict"] == "review"
    (unknown,) = [f for f in doc["findings"] if f["code"] == "license-file-unidentified"]
    assert unknown["message"] == (
        "LICENSE matches no catalogue licence: the repository may carry terms the card does "
        "not declare"
    )


def test_hungary_is_in_the_eu_for_llama_3_2_multimodal(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model(
        "meta-llama/Llama-3.2-11B-Vision",
        card_data={"license": "llama3.2"},
        extra={"pipeline_tag": "image-text-to-text"},
    )
    body = SMALL_US.replace("domicile: US", "domicile: HU").replace("[US]", "[HU]")
    result = check("--policy", policy_file(tmp_path, body), "meta-llama/Llama-3.2-11B-Vision")
    assert result.exit_code == 1
    (region,) = [f for f in one(result)["findings"] if f["code"] == "regional-restriction"]
    assert region["message"] == "rights are withheld in EU, which covers HU"


def test_kimi_with_unknown_revenue_is_allowed_with_its_display_duty(hub: FakeHub) -> None:
    hub.add_model(
        "moonshotai/Kimi-K2-Instruct",
        card_data={"license": "other", "license_name": "modified-mit"},
    )
    result = check("moonshotai/Kimi-K2-Instruct")  # the default policy: size unknown
    assert result.exit_code == 0
    doc = one(result)
    assert doc["verdict"] == "allow"
    assert not [f for f in doc["findings"] if f["severity"] != "info"]
    duties = [o["duty"] for o in doc["obligations"]]
    assert any('"Kimi K2"' in d for d in duties)


def test_llama_in_a_commercial_product_must_display_built_with_llama(
    hub: FakeHub, tmp_path: Path
) -> None:
    hub.add_model("acme/llama-app", card_data={"license": "llama3.1"})
    result = check("--policy", policy_file(tmp_path, SMALL_US), "acme/llama-app")
    assert result.exit_code == 0
    doc = one(result)
    (display,) = [o for o in doc["obligations"] if o["clause"] == "attribution"]
    assert display["duty"].startswith('display "Built with Llama"')
    assert display["license"] == "llama-3.1" and display["uses"] == ["commercial_product"]
    assert display["section"] and display["quote"]
    text = CliRunner().invoke(
        main, ["check", "--policy", policy_file(tmp_path, SMALL_US), "acme/llama-app"]
    )
    assert '  must: display "Built with Llama"' in text.stdout
    for fmt in ("markdown", "html"):
        page = CliRunner().invoke(
            main,
            [
                "check",
                "--format",
                fmt,
                "--policy",
                policy_file(tmp_path, SMALL_US),
                "acme/llama-app",
            ],
        )
        assert "What you must do" in page.stdout and "Built with Llama" in page.stdout


def test_json_lines_carry_format_version_2(hub: FakeHub) -> None:
    hub.add_model("acme/mit", card_data={"license": "mit"})
    doc = one(check("acme/mit"))
    assert doc["format_version"] == 2
    assert {f["severity"] for f in doc["findings"]} <= {"info", "review", "deny"}
