"""One meaning per value: the vocabulary is defined once, and every other place agrees with it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp import clauses, compare, policy, policyfile, schemagen
from licensecmp.clauses import CLAUSES, RATINGS, SPECS, STATUSES, rating
from licensecmp.cli import main
from licensecmp.model import Rating, Status
from licensecmp.service import open_catalogue

from .conftest import REPO

SCHEMA = REPO / "schemas" / "license.schema.json"


def test_committed_schema_is_generated_from_the_vocabulary() -> None:
    """Change `licensecmp/clauses.py`, then run
    `python -m licensecmp.schemagen schemas/license.schema.json`."""
    text = SCHEMA.read_text(encoding="utf-8")
    assert text == schemagen.render(schemagen.regenerate(json.loads(text)))


def test_schema_clauses_values_and_parameters_are_the_vocabularys() -> None:
    props = json.loads(SCHEMA.read_text())["properties"]
    clause_props = props["clauses"]["properties"]
    assert list(clause_props) == list(SPECS) == props["clauses"]["required"]
    for spec in CLAUSES:
        schema = clause_props[spec.name]["properties"]
        assert schema["value"]["enum"] == [v.name for v in spec.values]
        assert set(schema) - {"value", "summary", "evidence", "notes"} == {
            p.name for p in spec.params
        }
    assert props["status"]["enum"] == [s.value for s in Status] == [s.value for s in STATUSES]


def test_policies_name_the_vocabularys_clauses_and_values() -> None:
    assert policyfile.clause_vocabulary() == {
        s.name: tuple(v.name for v in s.values) for s in CLAUSES
    }
    assert set(policy.DUTY_TRIGGERS) == set(clauses.DUTIES)
    assert {"duty_only"} == policy.DUTY_ONLY_EFFECTS


def test_every_value_has_a_definition_a_reader_label_and_a_rating() -> None:
    assert set(RATINGS) == set(Rating)
    for spec in CLAUSES:
        assert spec.question.endswith("?"), spec.name
        names = [v.name for v in spec.values]
        assert len(names) == len(set(names)), spec.name
        assert "not_addressed" in names, spec.name
        for value in spec.values:
            assert value.definition.endswith("."), (spec.name, value.name)
            assert "_" not in value.label, (spec.name, value.name)
        for param in spec.params:
            assert param.label and "_" not in param.label, (spec.name, param.name)
            for value in param.values:
                assert value.definition and "_" not in value.label


def test_ratings_follow_the_v2_rules() -> None:
    for name in ("warranty_disclaimer", "liability_limitation"):
        assert {rating(name, v) for v in ("yes", "no")} == {Rating.INFORMATIONAL}
    assert rating("governing_law", "specified") is Rating.INFORMATIONAL
    assert rating("patent_grant", "granted") is Rating.PERMISSIVE
    assert rating("patent_grant", "general_ip") is Rating.CONDITIONAL
    assert rating("commercial_use", "prohibited") is Rating.RESTRICTIVE
    for spec in CLAUSES:
        assert spec.ratings["not_addressed"] is Rating.NOT_ADDRESSED
    with pytest.raises(KeyError):
        rating("patent_grant", "maybe")


def test_threshold_effects_say_whether_rights_go() -> None:
    assert clauses.withholds_rights("rights_withheld")
    assert clauses.withholds_rights("separate_licence")
    assert not clauses.withholds_rights("duty_only")
    assert clauses.withholds_rights("something new")  # fail closed


def test_duties_and_sticky_terms_name_real_values() -> None:
    for name, (value, words) in clauses.DUTIES.items():
        assert value in SPECS[name].ratings and words
    for name, value in clauses.STICKY.items():
        assert value in SPECS[name].ratings
    assert set(clauses.STICKY) == {
        "restrictions_flow_down",
        "share_alike",
        "derivative_naming",
        "user_threshold",
        "use_restrictions",
        "geographic_restriction",
    }
    assert set(compare.KEY_CLAUSES) <= set(SPECS)
    assert set(compare.THRESHOLDS) <= set(SPECS)


def _literals(path: Path) -> tuple[set[str], set[str]]:
    """Clause names (`clauses["x"]`) and parameter names (`.params.get("x")`, `.text("x")`…)
    that the code spells out."""
    tree = ast.parse(path.read_text())
    names, params = set(), set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute | ast.Name)
            and (node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id)
            == "clauses"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            names.add(node.slice.value)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            owner = node.func.value
            reads_params = isinstance(owner, ast.Attribute) and owner.attr == "params"
            if (reads_params and node.func.attr == "get") or node.func.attr in (
                "text",
                "number",
                "items",
            ):
                params.add(node.args[0].value)
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "p"
            and isinstance(node.slice, ast.Constant)
        ):
            params.add(str(node.slice.value))
    return names, params


def test_code_names_only_clauses_and_parameters_the_vocabulary_defines() -> None:
    """Adding a clause or a parameter in the code and not in the vocabulary fails here."""
    all_params = {p.name for spec in CLAUSES for p in spec.params}
    seen_names, seen_params = set(), set()
    for path in sorted((REPO / "licensecmp").rglob("*.py")):
        names, params = _literals(path)
        assert names <= set(SPECS), (path.name, names - set(SPECS))
        assert params <= all_params, (path.name, params - all_params)
        seen_names |= names
        seen_params |= params
    assert {"commercial_use", "user_threshold", "use_policy"} <= seen_names
    assert {"effect", "region_codes", "monthly_active_users"} <= seen_params


def test_every_catalogue_entry_answers_with_vocabulary_values_and_was_reviewed() -> None:
    catalogue, problems = open_catalogue(None)
    assert problems == []
    for lic in catalogue:
        assert lic.reviewed is not None, lic.id
        assert list(lic.clauses) == list(SPECS), lic.id
        for name, clause in lic.clauses.items():
            SPECS[name].value(clause.value)
            for key, value in clause.params.items():
                param = SPECS[name].param(key)
                assert param is not None, (lic.id, name, key)
                if param.values:
                    assert param.value(str(value)) is not None, (lic.id, name, key, value)


def test_schema_command_shows_what_each_value_means(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert (
        "General IP grant, patents not named (conditional): A licence under the licensor's "
        "intellectual property or rights in general that never names patents; whether it "
        "reaches patents is untested."
    ) in json.loads(result.stdout)["properties"]["clauses"]["properties"]["patent_grant"][
        "properties"
    ]["value"]["enumDescriptions"]
    assert "Replaced: the licensor's newer terms apply" in result.stdout


def test_show_speaks_the_vocabularys_words_once(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "llama-3.1"])
    assert result.exit_code == 0
    out = result.stdout
    # Icon, rating and label as every format shows them (`wording.rated`).
    assert "  Patent grant: ◐ Conditional: General IP grant, patents not named\n" in out
    assert "  Governing law: i Informational: Specified\n" in out
    assert "  Commercial use: ◐ Conditional\n" in out  # never "Conditional (conditional)"
    assert "      above it: no rights until the licensor grants them\n" in out
    assert "status: superseded" in out and "reviewed against its text: 2026-11-27" in out
    assert "rights_withheld" not in out and "not_addressed" not in out


def test_replaced_status_needs_a_successor(tmp_path: Path) -> None:
    source = (REPO / "licenses" / "gemma-2024-04-01.yaml").read_text()
    assert "\nstatus: replaced\n" in source
    (tmp_path / "gemma-2024-04-01.yaml").write_text(
        source.replace("superseded_by: gemma-2025-03-24", "superseded_by: null")
    )
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "gemma-2024-04-01.yaml")])
    assert result.exit_code == 1
    assert "status is replaced but superseded_by is null [$.status]" in result.stdout
