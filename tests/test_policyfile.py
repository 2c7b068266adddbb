"""Policy files as users write them: every mistake refused with its place and a suggestion, ids
resolved as everywhere else, and `policy init` / `policy show` through the command line.

Data-driven: each `bad/X.yaml` has `bad/X.expected`, the exact problem lines; each `good/X.yaml`
has `good/X.expected`, the exact `policy show` output.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp import policyfile, schema, verdict, yamlsource
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.errors import PolicyError
from licensecmp.model import ModelFacts, Money, Policy, Use, Verdict
from licensecmp.policy import DEFAULT
from licensecmp.resolution import Term
from licensecmp.service import open_catalogue
from tests.hubserver import FakeHub, start_hub

from .conftest import DATA, REPO

POLICIES = DATA / "policies"
BAD = sorted((POLICIES / "bad").glob("*.yaml"))
GOOD = sorted((POLICIES / "good").glob("*.yaml"))
HEADER = "licensecmp: error: invalid policy:\n"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return open_catalogue()[0]


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Expected lines name files as `tests/data/...`, relative to the checkout."""
    monkeypatch.chdir(REPO)


def _relative(path: Path) -> Path:
    return path.relative_to(REPO)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_policy_lists_every_problem_exactly(path: Path, catalogue: Catalogue) -> None:
    with pytest.raises(PolicyError) as caught:
        policyfile.load(_relative(path), catalogue)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8")
    assert str(caught.value) == "invalid policy:\n" + expected.rstrip("\n")


# One per layer that can refuse (YAML, schema, meaning); each run validates the catalogue.
ON_THE_COMMAND_LINE = [POLICIES / "bad" / f"{n}.yaml" for n in ("tab", "unknown-use", "countries")]


@pytest.mark.parametrize("path", ON_THE_COMMAND_LINE, ids=[p.stem for p in ON_THE_COMMAND_LINE])
def test_bad_policy_is_exit_2_on_the_command_line(path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["policy", "show", "--policy", str(_relative(path))])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == HEADER + path.with_suffix(".expected").read_text(encoding="utf-8")


def test_check_refuses_a_mistyped_policy_before_asking_the_hub(runner: CliRunner) -> None:
    bad = _relative(POLICIES / "bad" / "unknown-licence.yaml")
    result = runner.invoke(main, ["check", "--policy", str(bad), "org/model"])
    assert result.exit_code == 2
    assert (
        f"{bad}:4:19: unknown licence 'qwen-licence'; did you mean 'qwen'? "
        "[$.rules.deny_licenses[0]]\n"
    ) in result.stderr
    assert "Traceback" not in result.output


def test_every_bad_case_has_its_expected_lines() -> None:
    assert BAD, "no bad policy files found"
    for path in BAD:
        lines = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
        assert lines and all(line.startswith(f"{_relative(path)}") for line in lines), path


@pytest.mark.parametrize(
    ("size", "message"),
    [(300_000, "file is 300000 bytes, over the 262144-byte limit"), (0, "empty file")],
)
def test_oversized_or_empty_policy_is_refused_unparsed(
    tmp_path: Path, runner: CliRunner, size: int, message: str
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("#" * size)
    result = runner.invoke(main, ["policy", "show", "--policy", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{HEADER}{path}: {message}")


def test_missing_policy_file_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(main, ["policy", "show", "--policy", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"{HEADER}{missing}: cannot read file: No such file or directory\n"


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_show_prints_the_effective_policy_with_ids_resolved(
    path: Path, runner: CliRunner, tmp_path: Path, catalogue: Catalogue
) -> None:
    result = runner.invoke(main, ["policy", "show", "--policy", str(_relative(path))])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == path.with_suffix(".expected").read_text(encoding="utf-8")
    again = tmp_path / "again.yaml"  # what show prints is itself a policy, the same one
    again.write_text(result.stdout)
    assert policyfile.load(again, catalogue) == policyfile.load(path, catalogue)


def test_show_json_states_the_same_policy(runner: CliRunner) -> None:
    path = str(_relative(POLICIES / "good" / "every-field.yaml"))
    as_yaml = runner.invoke(main, ["policy", "show", "--policy", path])
    as_json = runner.invoke(main, ["policy", "show", "--policy", path, "--format", "json"])
    assert as_json.exit_code == 0
    parsed = yamlsource.parse_bytes(as_yaml.stdout.encode(), "show")
    assert json.loads(as_json.stdout) == parsed.data


def test_show_without_a_policy_prints_the_default(runner: CliRunner) -> None:
    result = runner.invoke(main, ["policy", "show", "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr == "note: no --policy: this is the built-in default policy\n"
    shown = json.loads(result.stdout)
    assert shown["name"] == "default"
    assert shown["uses"] == ["commercial_product", "fine_tune_and_redistribute", "hosted_service"]
    assert shown["organisation"]["monthly_active_users"] is None
    assert policyfile.to_data(DEFAULT) == shown


def test_ids_resolve_as_everywhere_else(catalogue: Catalogue) -> None:
    ids = policyfile.license_ids
    assert ids("llama3.1", catalogue) == {"llama-3.1"}  # Hub id
    assert ids("llama-3.1", catalogue) == {"llama-3.1"}  # catalogue id
    assert ids("Apache-2.0", catalogue) == {"apache-2.0"}  # SPDX id
    assert ids("qwen", catalogue) == {"qwen"}  # card license_name: the licence, not the family
    assert ids("gemma", catalogue) == {"gemma-2024-04-01", "gemma-2025-03-24"}
    assert ids("llama", catalogue) == {f"llama-{v}" for v in ("2", "3", "3.1", "3.2", "3.3", "4")}
    assert ids("qwen-licence", catalogue) == frozenset()


def test_a_hub_id_in_deny_licenses_denies_that_licence(catalogue: Catalogue) -> None:
    """The issue's row: `deny_licenses: [llama3.1]` used to match nothing and allow."""
    policy = policyfile.load(POLICIES / "good" / "resolved-ids.yaml", catalogue)
    model = ModelFacts(id="org/model", sha="0" * 40, pipeline_tag="text-generation")
    for license_id in ("llama-3.1", "gemma-2024-04-01", "gemma-2025-03-24", "mit"):
        case = verdict.Case(model, license_id, ((Term(license_id, license_id),),))
        decision = verdict.decide(case, catalogue, policy)
        assert decision.verdict is Verdict.DENY, license_id
        assert "license-denied" in {f.code for f in decision.findings}, license_id


def test_every_field_reaches_the_policy(catalogue: Catalogue) -> None:
    policy = policyfile.load(POLICIES / "good" / "every-field.yaml", catalogue)
    assert policy == Policy(
        name="every-field",
        organisation="Exemple SAS",
        monthly_active_users=120_000_000,
        product_monthly_active_users=90_000_000,
        annual_revenue=Money(40_000_000, "EUR"),
        exchange_rates={"USD": 0.92, "GBP": 1.17, "JPY": 0.0061},
        domicile="FR",
        regions_served=("EU", "NO", "GB", "US"),
        uses=frozenset(
            {
                Use.RESEARCH,
                Use.TRAIN_OTHER_MODELS_ON_OUTPUTS,
                Use.COMMERCIAL_PRODUCT,
                Use.INTERNAL_USE,
            }
        ),
        allow_licenses=frozenset(),
        deny_licenses=frozenset(f"llama-{v}" for v in ("2", "3", "3.1", "3.2", "3.3", "4")),
        deny_clause_values={
            "share_alike": frozenset({"required"}),
            "commercial_use": frozenset({"prohibited", "conditional"}),
        },
        review_clause_values={"use_policy": frozenset({"incorporated"})},
        unknown_license=Verdict.DENY,
        gated=Verdict.REVIEW,
        dropped_base_terms=Verdict.DENY,
    )


def test_clause_vocabulary_is_the_licence_schemas(catalogue: Catalogue) -> None:
    vocabulary = policyfile.clause_vocabulary()
    clauses = schema.load(schema.LICENSE_SCHEMA)["properties"]["clauses"]
    assert sorted(vocabulary) == sorted(clauses["required"])
    assert vocabulary["user_threshold"] == ("none", "applies", "not_addressed")
    for lic in catalogue:  # every value a catalogue licence states is one a policy may name
        for clause in lic.clauses.values():
            assert clause.value in vocabulary[clause.name]


def test_every_valid_country_and_currency_code_is_accepted(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    import pycountry

    countries = sorted(c.alpha_2 for c in pycountry.countries)
    assert len(countries) >= 249 and "HU" in countries and "ZZ" not in countries
    path = tmp_path / "all.yaml"
    regions = ", ".join(f'"{c}"' for c in ["EU", *countries])
    rates = ", ".join(f"{c.alpha_3}: 1.5" for c in pycountry.currencies if c.alpha_3 != "EUR")
    path.write_text(
        "organisation:\n  annual_revenue: {amount: 1, currency: EUR}\n"
        f"  regions_served: [{regions}]\nexchange_rates: {{{rates}}}\nuses: [research]\n"
    )
    policy = policyfile.load(path, catalogue)
    assert len(policy.regions_served) == len(countries) + 1
    assert policy.exchange_rates["USD"] == 1.5


def test_init_writes_a_starter_that_validates(
    runner: CliRunner, tmp_path: Path, catalogue: Catalogue
) -> None:
    target = tmp_path / "policy.yaml"
    result = runner.invoke(main, ["policy", "init", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stderr == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == policyfile.starter()
    policy = policyfile.load(target, catalogue)
    assert policy.uses == DEFAULT.uses  # the starter's uses are the default's
    assert policy.monthly_active_users is None  # unknown facts stay unknown: review, not allow
    shown = runner.invoke(main, ["policy", "show", "--policy", str(target)])
    assert shown.exit_code == 0


def test_init_without_output_prints_the_starter(runner: CliRunner) -> None:
    result = runner.invoke(main, ["policy", "init"])
    assert result.exit_code == 0
    assert result.stdout == policyfile.starter()


def test_init_refuses_to_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "policy.yaml"
    target.write_text("mine\n")
    refused = runner.invoke(main, ["policy", "init", "-o", str(target)])
    assert refused.exit_code == 2
    assert refused.stderr == f"licensecmp: error: {target} exists; pass --force to overwrite it\n"
    assert target.read_text() == "mine\n"
    forced = runner.invoke(main, ["policy", "init", "-o", str(target), "--force"])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8") == policyfile.starter()


def test_starter_states_every_field_and_names_every_use() -> None:
    data = yamlsource.parse_bytes(policyfile.starter().encode(), "starter").data
    properties = schema.load(schema.POLICY_SCHEMA)["properties"]
    assert list(data) == list(properties)
    assert list(data["organisation"]) == list(properties["organisation"]["properties"])
    assert list(data["rules"]) == list(properties["rules"]["properties"])
    text = policyfile.starter()
    for use in Use:
        assert use.value in text, use
    lines = text.splitlines()
    for above, line in zip(["", *lines], lines, strict=False):
        if re.match(r"\s*\w+:", line):  # every field explained, beside it or just above
            assert "#" in line or above.lstrip().startswith("#"), line


def test_schema_command_prints_the_policy_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "--policy"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == schema.load(schema.POLICY_SCHEMA)
    assert (
        "largest_product_monthly_active_users"
        in printed["properties"]["organisation"]["properties"]
    )
    assert "exchange_rates" in printed["properties"]


def test_pycountry_is_imported_only_for_a_policy_file() -> None:
    """Start-up stays lean: commands that read no policy never load pycountry's databases."""
    code = (
        "import sys\n"
        "from licensecmp.cli import main\n"
        "for args in (['--help'], ['validate'], ['list'], ['policy', 'show']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as e:\n"
        "        assert e.code == 0, e.code\n"
        "print('pycountry' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_readme_policy_examples_are_true(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue, runner: CliRunner
) -> None:
    """The README's full policy loads, and its mistyped one gets exactly the lines shown."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("### Policies", 1)[1]
    blocks = re.findall(r"```(?:yaml)?\n(.*?)```", section.split("\n### ", 1)[0], re.DOTALL)
    full, mistyped, output = blocks[:3]
    monkeypatch.chdir(tmp_path)
    Path("policy.yaml").write_text(full)
    policy = policyfile.load(Path("policy.yaml"), catalogue)
    assert policy.product_monthly_active_users == 400_000_000
    assert policy.exchange_rates == {"USD": 0.92, "GBP": 1.17}
    assert "llama-3.1" in policy.deny_licenses
    Path("policy.yaml").write_text(mistyped)
    result = runner.invoke(main, ["policy", "show", "--policy", "policy.yaml"])
    assert result.exit_code == 2
    assert result.stderr == output


# -- the rows, against the local fake Hub (real client, real HTTP) ------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    server = start_hub()
    server.add_model("meta-llama/Llama-3.1-8B", card_data={"license": "llama3.1"})
    server.add_model("google/gemma-2b", card_data={"license": "gemma"})
    server.add_model("meta-llama/Llama-3.2-1B", card_data={"license": "llama3.2"})
    server.add_model("org/mit-model", card_data={"license": "mit"})
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    yield server
    server.stop()


def _policy(tmp_path: Path, rules: str, uses: str = "[commercial_product]") -> str:
    path = tmp_path / "policy.yaml"
    path.write_text(f"organisation: {{}}\nuses: {uses}\nrules:\n{rules}")
    return str(path)


@pytest.mark.parametrize(
    ("deny", "model"),
    [
        ("llama3.1", "meta-llama/Llama-3.1-8B"),  # a Hub id
        ("gemma", "google/gemma-2b"),  # names every Gemma version
        ("llama", "meta-llama/Llama-3.2-1B"),  # a family
        ("MIT", "org/mit-model"),  # an SPDX id
    ],
)
def test_deny_list_written_as_people_write_ids_denies_on_the_hub(
    hub: FakeHub, runner: CliRunner, tmp_path: Path, deny: str, model: str
) -> None:
    policy = _policy(tmp_path, f"  deny_licenses: [{deny}]\n")
    result = runner.invoke(main, ["check", "--policy", policy, "--format", "json", model])
    assert result.exit_code == 1, result.stderr
    (line,) = result.stdout.splitlines()
    checked = json.loads(line)
    assert checked["verdict"] == "deny"
    assert "license-denied" in {f["code"] for f in checked["findings"]}


@pytest.mark.parametrize(
    ("rules", "uses"),
    [
        ("  deny_licenses: [qwen-licence]\n", "[commercial_product]"),
        ("  deny_clause_values: {user_threshold: [aplies]}\n", "[commercial_product]"),
        ("  gated: allow\n", "[]"),
    ],
)
def test_a_mistyped_policy_stops_check_before_any_hub_request(
    hub: FakeHub, runner: CliRunner, tmp_path: Path, rules: str, uses: str
) -> None:
    policy = _policy(tmp_path, rules, uses)
    result = runner.invoke(main, ["check", "--policy", policy, "meta-llama/Llama-3.1-8B"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{HEADER}{policy}:")
    assert hub.count() == 0
