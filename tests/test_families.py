"""Hub family ids (`gpl`, `cc`, `bsd`…): their versions, the terms they share, and what `show`
and `check` say about a card that names a family rather than a version."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from licensecmp import families, resolution
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.model import ModelFacts, Severity
from licensecmp.service import open_catalogue
from tests.hubserver import FakeHub, start_hub


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


def test_every_family_version_is_in_the_bundled_catalogue(catalogue: Catalogue) -> None:
    for family in families.FAMILIES.values():
        missing = [i for i in family.versions if catalogue.get(i) is None]
        assert missing == [], f"{family.id}: {missing}"


def test_family_ids_are_the_hubs_and_name_no_single_licence(catalogue: Catalogue) -> None:
    assert set(families.FAMILIES) == {
        "bsd",
        "cc",
        "gpl",
        "lgpl",
        "openrail",
        "gfdl",
        "odc-by",
        "odbl",
    }
    for family_id in families.FAMILIES:
        assert catalogue.resolve(family_id) is None, f"{family_id} must not resolve to one licence"


@pytest.mark.parametrize("name", ["gpl", "GPL", " gpl "])
def test_match_is_case_insensitive_and_keeps_the_familys_order(
    catalogue: Catalogue, name: str
) -> None:
    found = families.match(name, catalogue)
    assert found is not None
    assert [lic.id for lic in found.versions] == ["gpl-2.0", "gpl-3.0"]


def test_a_version_id_is_not_a_family(catalogue: Catalogue) -> None:
    assert families.match("gpl-3.0", catalogue) is None
    assert families.match("apache-2.0", catalogue) is None


def test_every_gpl_requires_share_alike(catalogue: Catalogue) -> None:
    found = families.match("gpl", catalogue)
    assert found is not None
    assert families.Agreement("share_alike", "required") in found.key_terms
    assert families.Agreement("commercial_use", "permitted") in found.key_terms
    # standard terms are shared but are not what a licensee plans around
    assert families.Agreement("warranty_disclaimer", "yes") in found.common
    assert all(a.clause != "warranty_disclaimer" for a in found.key_terms)


def test_common_terms_are_only_the_clauses_every_version_agrees_on(catalogue: Catalogue) -> None:
    by, nc = catalogue.get("cc-by-4.0"), catalogue.get("cc-by-nc-4.0")
    assert by is not None and nc is not None
    common = {a.clause: a.value for a in families.common_terms([by, nc])}
    assert "commercial_use" not in common  # permitted in one, prohibited in the other
    assert common["patent_grant"] == "not_granted"
    assert families.common_terms([]) == ()


def test_finding_names_the_versions_and_what_they_share(catalogue: Catalogue) -> None:
    found = families.match("gpl", catalogue)
    assert found is not None
    finding = families.finding(found, "acme/model")
    assert (finding.severity, finding.code, finding.model) == (
        Severity.REVIEW,
        "license-family",
        "acme/model",
    )
    assert finding.message == (
        "the card names a licence family, not a version: 'gpl' could mean gpl-2.0 or gpl-3.0; "
        "in every one of them, Commercial use: Permitted; Modification and fine-tunes: "
        "Conditional; Redistribution: Conditional; Attribution: Required; Licence copy on "
        "redistribution: Required; Share-alike: Required"
    )


def test_finding_when_the_versions_share_no_duty(catalogue: Catalogue) -> None:
    found = families.match("cc", catalogue)
    assert found is not None
    assert families.describe(found).endswith("or cc0-1.0; they share no duty or restriction")


def test_single_version_and_empty_families() -> None:
    found, _ = open_catalogue()
    odbl = families.match("odbl", found)
    assert odbl is not None
    assert families.describe(odbl) == (
        "the card names a licence family, not a version: 'odbl' could mean odbl-1.0, "
        "the only version in the catalogue"
    )
    empty = families.match("gpl", Catalogue([]))
    assert empty is not None and empty.versions == () and empty.common == ()
    assert families.describe(empty) == (
        "the card names a licence family, not a version: 'gpl' "
        "(GNU General Public License) has no version in the catalogue"
    )


def test_resolution_applies_every_version_with_a_review_finding(catalogue: Catalogue) -> None:
    facts = ModelFacts(id="acme/gpl-model", sha="0" * 40, card_licenses=("gpl",))
    declared = resolution.from_card(facts, catalogue)
    assert declared.licenses == ("gpl-2.0", "gpl-3.0")
    assert len(declared.alternatives) == 1  # not a choice: every version's terms apply
    (finding,) = [f for f in declared.findings if f.code == "license-family"]
    assert finding.severity is Severity.REVIEW


def test_show_lists_a_familys_versions_and_shared_terms(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "gpl"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "GNU General Public License (family id 'gpl')",
        "names no single licence: it may mean any version",
    ]
    assert [line.split()[0] for line in lines[3:6]] == ["ID", "gpl-2.0", "gpl-3.0"]
    assert "  Share-alike: ◐ Conditional: Required" in lines
    assert lines[-1] == "licensecmp show gpl-3.0: one version's clauses and evidence"


# -- check against the fake Hub -----------------------------------------------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    server = start_hub()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    yield server
    server.stop()


def _check(runner: CliRunner, model: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(main, ["check", "--format", "json", model])
    assert "Traceback" not in result.output
    (line,) = result.stdout.splitlines()
    return result.exit_code, json.loads(line)


def test_check_a_card_naming_a_family_asks_for_review(hub: FakeHub, runner: CliRunner) -> None:
    hub.add_model("acme/gpl-model", card_data={"license": "gpl"})
    code, doc = _check(runner, "acme/gpl-model")
    assert doc["licenses"] == ["gpl-2.0", "gpl-3.0"]
    assert (code, doc["verdict"]) == (0, "review")
    findings = doc["findings"]
    assert isinstance(findings, list)
    (family,) = [f for f in findings if f["code"] == "license-family"]
    assert family["severity"] == "review"
    assert "'gpl' could mean gpl-2.0 or gpl-3.0" in family["message"]
    assert "Share-alike: Required" in family["message"]
    assert all(f["code"] != "unknown-license" for f in findings)


@pytest.mark.parametrize(
    ("model", "hub_id", "verdict", "duty"),
    [
        ("Ultralytics/YOLO11", "agpl-3.0", "allow", "share_alike"),
        ("acme/research-nc-sa", "cc-by-nc-sa-4.0", "deny", "share_alike"),
        ("acme/bsd-model", "bsd-3-clause", "allow", "attribution"),
    ],
)
def test_check_knows_the_licences_procurement_meets(
    hub: FakeHub, runner: CliRunner, model: str, hub_id: str, verdict: str, duty: str
) -> None:
    """Before issue 12 each of these was "unknown licence"; now the terms are known."""
    hub.add_model(model, card_data={"license": hub_id})
    _, doc = _check(runner, model)
    assert (doc["licenses"], doc["verdict"]) == ([hub_id], verdict)
    findings, obligations = doc["findings"], doc["obligations"]
    assert isinstance(findings, list) and isinstance(obligations, list)
    assert all(f["code"] != "unknown-license" for f in findings)
    assert duty in {o["clause"] for o in obligations}


@pytest.mark.parametrize("command", [["compare", "gpl", "mit"], ["diff", "cc", "cc-by-4.0"]])
def test_commands_that_need_one_licence_name_the_familys_versions(
    runner: CliRunner, command: list[str]
) -> None:
    result = runner.invoke(main, command)
    assert result.exit_code == 2
    family = command[1]
    versions = "gpl-2.0, gpl-3.0" if family == "gpl" else "cc-by-2.0, cc-by-2.5"
    assert result.stderr.startswith(
        f"licensecmp: error: {family!r} names a licence family, not one licence: "
        f"name a version ({versions}"
    )
    assert result.stderr.rstrip().endswith(f"see `licensecmp show {family}`)")
