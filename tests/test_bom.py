"""`check --format cyclonedx`: a CycloneDX 1.6 AI bill of materials from real check results.

The models live on the fake Hub (tests/hubserver.py) and are checked by the CLI through the real
huggingface_hub client; every document is validated against the CycloneDX 1.6 JSON schema by
cyclonedx-python-lib's own strict validator (a validator that cannot run fails the test) and
read back with the library's deserializer.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from cyclonedx.model.bom import Bom
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from licensecmp import __version__, service
from licensecmp.cli import main
from licensecmp.model import CheckResult, Finding, LineageNode, Severity, Verdict
from licensecmp.report import bom as render
from licensecmp.report.meta import Meta
from tests.hubserver import FakeHub, start_hub

LLAMA = "meta-llama/Llama-3.1-8B"
FINE_TUNE = "acme/llama-ft"
DUAL = "acme/dual"
WEIRD = "acme/weird"
MISSING = "acme/missing"
HOSTILE_MODEL = "acme/hostile"
HOSTILE = (
    'evil "quoted" \\" </script><script>alert(1)</script> \x1b[31mred\x1b[0m \u202egnp.exe '
    "\x07\x7f\u0085 \u2028 {{ x }} ${y} " + "very long " * 1500
)
MODELS = [FINE_TUNE, DUAL, WEIRD, MISSING, HOSTILE_MODEL]
POLICY = """\
name: acme-bom
organisation: {}
uses: [internal_use]
"""


SHAS: dict[str, str] = {}


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    server = start_hub()
    SHAS[LLAMA] = server.add_model(
        LLAMA,
        card_data={"license": "llama3.1"},
        gated="manual",
        files={"LICENSE": b"LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n"},
    )
    SHAS[FINE_TUNE] = server.add_model(
        FINE_TUNE, card_data={"license": "apache-2.0", "base_model": LLAMA}
    )
    SHAS[DUAL] = server.add_model(DUAL, card_data={"license": ["apache-2.0", "cc-by-4.0"]})
    SHAS[WEIRD] = server.add_model(
        WEIRD, card_data={"license": "other", "license_name": "acme-weird-licence"}
    )
    server.add_model(HOSTILE_MODEL, card_data={"license": "other", "license_name": HOSTILE})
    yield server
    server.stop()


@pytest.fixture
def env(hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    return policy


def check(*args: str) -> Result:
    result = CliRunner().invoke(main, ["check", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def bom_of(policy: Path, *extra: str, models: list[str] = MODELS) -> Result:
    return check("--format", "cyclonedx", "--policy", str(policy), *extra, *models)


def valid(text: str) -> dict[str, Any]:
    """The document, after the library's strict validator found nothing wrong with it."""
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert errors is None, errors
    doc: dict[str, Any] = json.loads(text)
    return doc


def component(doc: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [c for c in doc["components"] if c["name"] == name]
    return found


def props(item: dict[str, Any]) -> dict[str, str]:
    pairs = [(p["name"], p["value"]) for p in item.get("properties", [])]
    assert len(dict(pairs)) == len(pairs), "property names are unique"
    return dict(pairs)


def purl(hub: FakeHub, model: str, sha: str) -> str:
    return f"pkg:huggingface/{model}@{sha}?repository_url={hub.url}"


@pytest.fixture
def shas(hub: FakeHub) -> dict[str, str]:
    """Each model's commit, as the fake Hub answers it."""
    return SHAS


# -- the document -------------------------------------------------------------------------


def test_the_bom_is_valid_cyclonedx_1_6_with_one_model_component_per_model(env: Path) -> None:
    result = bom_of(env, "--date", "2025-01-31")
    assert result.exit_code == 3  # one model could not be decided
    assert result.stderr == ""
    doc = valid(result.stdout)
    assert doc["bomFormat"] == "CycloneDX"
    assert doc["specVersion"] == "1.6"
    assert doc["$schema"] == "http://cyclonedx.org/schema/bom-1.6.schema.json"
    assert doc["version"] == 1
    assert sorted(c["name"] for c in doc["components"]) == sorted(MODELS)
    assert {c["type"] for c in doc["components"]} == {"machine-learning-model"}
    assert doc["metadata"] == {
        "timestamp": "2025-01-31T00:00:00+00:00",
        "tools": {
            "components": [{"name": "licensecmp", "type": "application", "version": __version__}]
        },
        "properties": [
            {"name": "licensecmp:bom-format-version", "value": "1"},
            {"name": "licensecmp:catalogue-digest", "value": service.open_catalogue()[0].digest},
            {"name": "licensecmp:policy", "value": "acme-bom"},
            {
                "name": "licensecmp:policy:definition",
                "value": json.dumps(
                    {
                        "name": "acme-bom",
                        "organisation": {
                            "name": None,
                            "monthly_active_users": None,
                            "largest_product_monthly_active_users": None,
                            "annual_revenue": None,
                            "domicile": None,
                            "regions_served": [],
                        },
                        "exchange_rates": {},
                        "uses": ["internal_use"],
                        "rules": {
                            "allow_licenses": [],
                            "deny_licenses": [],
                            "deny_clause_values": {},
                            "review_clause_values": {},
                            "unknown_license": "review",
                            "gated": "allow",
                            "dropped_base_terms": "review",
                        },
                    },
                    separators=(",", ":"),
                ),
            },
        ],
    }
    # Every component is a dependency graph node of its own (no model depends on another).
    assert sorted(d["ref"] for d in doc["dependencies"]) == sorted(
        c["bom-ref"] for c in doc["components"]
    )


def test_a_llama_fine_tune_names_its_base_as_pedigree_ancestor(
    env: Path, hub: FakeHub, shas: dict[str, str]
) -> None:
    doc = valid(bom_of(env, "--date", "2025-01-31").stdout)
    ft = component(doc, FINE_TUNE)
    llama_licence = {
        "license": {
            "acknowledgement": "concluded",
            "name": "Llama 3.1 Community License Agreement",
            "url": "https://llama.meta.com/llama3_1/license/",
            "properties": [
                {"name": "licensecmp:license-id", "value": "llama-3.1"},
                {"name": "licensecmp:license-ref", "value": "LicenseRef-licensecmp-llama-3.1"},
            ],
        }
    }
    assert {k: v for k, v in ft.items() if k != "properties"} == {
        "type": "machine-learning-model",
        "bom-ref": purl(hub, FINE_TUNE, shas[FINE_TUNE]),
        "name": FINE_TUNE,
        "version": shas[FINE_TUNE],
        "purl": purl(hub, FINE_TUNE, shas[FINE_TUNE]),
        "licenses": [
            {
                "license": {
                    "acknowledgement": "concluded",
                    "id": "Apache-2.0",
                    "url": "https://www.apache.org/licenses/LICENSE-2.0",
                    "properties": [{"name": "licensecmp:license-id", "value": "apache-2.0"}],
                }
            },
            llama_licence,
        ],
        "pedigree": {
            "ancestors": [
                {
                    "type": "machine-learning-model",
                    "name": LLAMA,
                    "version": shas[LLAMA],
                    "purl": purl(hub, LLAMA, shas[LLAMA]),
                    "licenses": [llama_licence],
                    "properties": [
                        {"name": "licensecmp:declared-license", "value": "llama3.1"},
                        {"name": "licensecmp:depth", "value": "1"},
                        {"name": "licensecmp:gated", "value": "manual"},
                        {
                            "name": "licensecmp:license-expression",
                            "value": "LicenseRef-licensecmp-llama-3.1",
                        },
                        {"name": "licensecmp:parent", "value": FINE_TUNE},
                        {"name": "licensecmp:relation", "value": "finetune"},
                    ],
                }
            ]
        },
    }
    found = props(ft)
    assert {k: v for k, v in found.items() if ":finding:" not in k and ":obligation:" not in k} == {
        "licensecmp:verdict": "review",
        "licensecmp:requested": FINE_TUNE,
        "licensecmp:declared-license": "apache-2.0",
        "licensecmp:license-expression": "Apache-2.0 AND LicenseRef-licensecmp-llama-3.1",
        "licensecmp:policy": "acme-bom",
        "licensecmp:source": f"hub {hub.url}",
    }
    # Findings and obligations, numbered in the order `check --format json` lists them, each
    # the same JSON object.
    as_json = json.loads(
        check("--format", "json", "--policy", str(env), FINE_TUNE).stdout.splitlines()[0]
    )
    for kind in ("finding", "obligation"):
        written = {k: json.loads(v) for k, v in found.items() if f":{kind}:" in k}
        assert written == {
            f"licensecmp:{kind}:{n}": item for n, item in enumerate(as_json[f"{kind}s"], 1)
        }
    assert json.loads(found["licensecmp:obligation:1"]) == {
        "license": "llama-3.1",
        "clause": "use_policy",
        "duty": "every use must follow the incorporated use policy (the licensor may change it)",
        "uses": ["internal_use"],
        "document": "Llama 3.1 Community License Agreement",
        "section": "1.b.iv",
        "quote": "adhere to the Acceptable Use Policy for the Llama Materials",
        "model": LLAMA,
    }
    codes = [json.loads(found[f"licensecmp:finding:{n}"])["code"] for n in range(1, 6)]
    assert codes == [
        "license-file-gated",
        "base-terms-dropped",
        "user-threshold-unknown",
        "changeable-policy",
        "use-restrictions",
    ]
    assert json.loads(found["licensecmp:finding:2"]) == {
        "severity": "review",
        "code": "base-terms-dropped",
        "message": as_json["findings"][1]["message"],
        "license": "llama-3.1",
        "clause": "user_threshold",
        "document": None,
        "section": None,
        "quote": None,
        "model": LLAMA,
        "signals": [],
    }
    assert "licensecmp:finding:6" not in found


def test_two_licences_that_both_apply_are_joined_with_and(
    env: Path, hub: FakeHub, shas: dict[str, str]
) -> None:
    dual = component(valid(bom_of(env, "--date", "2025-01-31").stdout), DUAL)
    assert dual["licenses"] == [
        {
            "license": {
                "acknowledgement": "concluded",
                "id": "Apache-2.0",
                "url": "https://www.apache.org/licenses/LICENSE-2.0",
                "properties": [{"name": "licensecmp:license-id", "value": "apache-2.0"}],
            }
        },
        {
            "license": {
                "acknowledgement": "concluded",
                "id": "CC-BY-4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/legalcode",
                "properties": [{"name": "licensecmp:license-id", "value": "cc-by-4.0"}],
            }
        },
    ]
    assert props(dual) == {
        "licensecmp:verdict": "allow",
        "licensecmp:requested": DUAL,
        "licensecmp:declared-license": "apache-2.0 AND cc-by-4.0",
        "licensecmp:license-expression": "Apache-2.0 AND CC-BY-4.0",
        "licensecmp:policy": "acme-bom",
        "licensecmp:source": f"hub {hub.url}",
    }
    assert dual["version"] == shas[DUAL]
    assert "pedigree" not in dual


def test_an_unknown_licence_is_a_declared_licenseref_with_its_name_as_written(
    env: Path, hub: FakeHub, shas: dict[str, str]
) -> None:
    weird = component(valid(bom_of(env, "--date", "2025-01-31").stdout), WEIRD)
    assert weird == {
        "type": "machine-learning-model",
        "bom-ref": purl(hub, WEIRD, shas[WEIRD]),
        "name": WEIRD,
        "version": shas[WEIRD],
        "purl": purl(hub, WEIRD, shas[WEIRD]),
        "licenses": [
            {
                "license": {
                    "acknowledgement": "declared",
                    "name": "acme-weird-licence",
                    "properties": [
                        {
                            "name": "licensecmp:license-ref",
                            "value": "LicenseRef-licensecmp-unknown-acme-weird-licence",
                        }
                    ],
                }
            }
        ],
        "properties": [
            {"name": "licensecmp:declared-license", "value": "acme-weird-licence"},
            {
                "name": "licensecmp:finding:1",
                "value": '{"severity":"review","code":"unknown-license","message":"licence '
                "'acme-weird-licence' is not in the catalogue: its terms are unknown\","
                '"license":null,"clause":null,"document":null,"section":null,"quote":null,'
                f'"model":"{WEIRD}","signals":[]}}',
            },
            {
                "name": "licensecmp:license-expression",
                "value": "LicenseRef-licensecmp-unknown-acme-weird-licence",
            },
            {"name": "licensecmp:policy", "value": "acme-bom"},
            {"name": "licensecmp:requested", "value": WEIRD},
            {"name": "licensecmp:source", "value": f"hub {hub.url}"},
            {"name": "licensecmp:verdict", "value": "review"},
        ],
    }


def test_a_model_that_could_not_be_decided_is_still_a_component_with_its_error(
    env: Path, hub: FakeHub
) -> None:
    missing = component(valid(bom_of(env, "--date", "2025-01-31").stdout), MISSING)
    assert missing == {
        "type": "machine-learning-model",
        "bom-ref": f"licensecmp:model/{MISSING}",
        "name": MISSING,
        "properties": [
            {
                "name": "licensecmp:error",
                "value": "model not found (or private: to read it, set HF_TOKEN or run "
                "`hf auth login`)",
            },
            {"name": "licensecmp:policy", "value": "acme-bom"},
            {"name": "licensecmp:requested", "value": MISSING},
            {"name": "licensecmp:source", "value": f"hub {hub.url}"},
            {"name": "licensecmp:verdict", "value": "undecided"},
        ],
    }


def test_hostile_card_text_stays_inert_data(env: Path) -> None:
    text = bom_of(env, "--date", "2025-01-31").stdout
    # Every character outside printable ASCII is a JSON escape: nothing reaches a terminal
    # or a viewer raw, and the document stays valid JSON and valid CycloneDX.
    assert all(" " <= c <= "~" or c == "\n" for c in text)
    assert "<script>" in text  # data, not markup: JSON needs no escaping of it
    hostile = component(valid(text), HOSTILE_MODEL)
    found = props(hostile)
    assert found["licensecmp:declared-license"] == HOSTILE  # the same characters, read back
    (licence,) = hostile["licenses"]
    assert licence["license"]["name"] == HOSTILE
    assert licence["license"]["acknowledgement"] == "declared"
    (ref,) = [p["value"] for p in licence["license"]["properties"]]
    assert ref.startswith("LicenseRef-licensecmp-unknown-evil-quoted-script-script-alert-")
    assert len(ref) <= 90
    assert found["licensecmp:license-expression"] == ref
    assert found["licensecmp:verdict"] == "review"


def test_the_validator_really_checks_the_schema_and_its_formats(env: Path) -> None:
    """The proof above is only as good as the validator: it must reject a wrong enum value, a
    licence id SPDX does not list and a timestamp that is no date-time (the format check needs
    rfc3339-validator; without it this test fails rather than letting every BOM pass)."""
    doc = valid(bom_of(env, "--date", "2025-01-31", models=[FINE_TUNE]).stdout)
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    for path, value in [
        (("components", 0, "type"), "ml-model"),
        (("components", 0, "licenses", 1, "license", "id"), "LicenseRef-licensecmp-llama-3.1"),
        (("metadata", "timestamp"), "31 January 2025"),
    ]:
        broken = json.loads(json.dumps(doc))
        *parents, last = path
        target = broken
        for key in parents:
            target = target[key]
        target[last] = value
        if last == "id":
            del target["name"]
        assert validator.validate_str(json.dumps(broken)) is not None, path
    # What the schema's "iri-reference" format would check, checked here: catalogue URLs.
    urls = [
        lic["license"]["url"]
        for c in doc["components"]
        for lic in c["licenses"] + c["pedigree"]["ancestors"][0]["licenses"]
    ]
    assert urls and all(re.fullmatch(r"https://[!-~]+", url) for url in urls)


def test_the_same_input_and_date_give_the_same_bytes(env: Path) -> None:
    first = bom_of(env, "--date", "2025-01-31").stdout
    again = bom_of(env, "--date", "2025-01-31").stdout
    assert first == again
    serial = json.loads(first)["serialNumber"]
    assert serial.startswith("urn:uuid:")
    assert uuid.UUID(serial.removeprefix("urn:uuid:")).version == 5
    later = json.loads(bom_of(env, "--date", "2025-02-01T08:30:00+01:00").stdout)
    assert later["metadata"]["timestamp"] == "2025-02-01T07:30:00+00:00"
    assert later["serialNumber"] != serial


def test_without_date_the_timestamp_is_now(env: Path) -> None:
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    doc = valid(bom_of(env, models=[DUAL]).stdout)
    after = datetime.datetime.now(datetime.UTC)
    assert before <= datetime.datetime.fromisoformat(doc["metadata"]["timestamp"]) <= after


def test_the_document_loads_back_with_the_library_unchanged(env: Path) -> None:
    text = bom_of(env, "--date", "2025-01-31").stdout
    loaded = Bom.from_json(json.loads(text))
    assert len(loaded.components) == len(MODELS)
    assert JsonV1Dot6(loaded).output_as_string(indent=2) + "\n" == text


def test_output_file_named_cdx_json_is_a_bom(env: Path, tmp_path: Path) -> None:
    out = tmp_path / "models.cdx.json"
    result = check("--policy", str(env), "--date", "2025-01-31", "-o", str(out), DUAL)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote {out}\n"
    doc = valid(out.read_text(encoding="utf-8"))
    assert [c["name"] for c in doc["components"]] == [DUAL]
    # A plain .json stays JSON lines.
    lines = tmp_path / "models.json"
    assert check("--policy", str(env), "-o", str(lines), DUAL).exit_code == 0
    assert json.loads(lines.read_text(encoding="utf-8"))["unknown_licenses"] == []


def test_json_lines_name_the_unknown_licences(env: Path) -> None:
    doc = json.loads(check("--format", "json", WEIRD).stdout)
    assert doc["unknown_licenses"] == ["acme-weird-licence"]


def test_a_date_that_is_no_iso_date_is_a_usage_error_before_any_request(
    env: Path, hub: FakeHub
) -> None:
    before = len(hub.requests)
    result = bom_of(env, "--date", "last tuesday", models=[DUAL])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--date': 'last tuesday' is not an ISO date (2025-01-31) or "
        "date and time (2025-01-31T12:00:00Z)"
    )
    assert len(hub.requests) == before


# -- the renderer alone (what `scan` reuses) ------------------------------------------------


def _result(model: str, source: str, **fields: Any) -> CheckResult:
    base: dict[str, Any] = {
        "model": model, "requested": model, "revision": "ABCDEF0123", "declared_license": "mit",
        "licenses": ("mit",), "lineage": (), "gated": None, "verdict": Verdict.ALLOW,
        "findings": (), "policy": "p", "source": source,
    }  # fmt: skip
    return CheckResult(**(base | fields))


def test_purls_name_the_public_hub_plainly_and_any_other_by_repository_url() -> None:
    catalogue = service.open_catalogue()[0]
    results = [
        _result("org/public", "hub https://huggingface.co"),
        _result(
            "org/offline",
            "snapshot snap.json (taken 2025-01-01T00:00:00Z from https://hub.example.org/)",
        ),
        _result("not a hub id", "hub https://huggingface.co"),
        # A plain folder (no commit) is no Hub package, whatever its name; a folder of the
        # Hugging Face cache (a commit) is its Hub model, the Hub unknown.
        _result("models/local", "folder (bases looked up in nowhere; no network)", revision=None),
        _result("org/cached", "folder (bases looked up in the local Hugging Face cache)"),
        _result("org/public", "hub https://huggingface.co"),  # the same model twice
    ]
    doc = valid(render.check_result(results, Meta("d", "2025-01-31"), catalogue))
    refs = sorted(c["bom-ref"] for c in doc["components"])
    assert refs == [
        "licensecmp:model/models/local",
        "licensecmp:model/not a hub id",
        "pkg:huggingface/org/cached@abcdef0123",
        "pkg:huggingface/org/offline@abcdef0123?repository_url=https://hub.example.org",
        "pkg:huggingface/org/public@abcdef0123",
        "pkg:huggingface/org/public@abcdef0123#2",
    ]
    assert "purl" not in component(doc, "not a hub id")
    assert "purl" not in component(doc, "models/local")
    assert "licensecmp:policy" not in props(doc["metadata"])  # no policy given


def test_signals_and_deep_lineage_are_written() -> None:
    catalogue = service.open_catalogue()[0]
    result = _result(
        "org/child",
        "hub https://huggingface.co",
        verdict=Verdict.REVIEW,
        lineage=(
            LineageNode("org/child", "ABCDEF0123", None, None, 0, "mit", ("mit",)),
            LineageNode("org/mid", "1234", "adapter", "org/child", 1, "mit", ("mit",)),
            LineageNode("org/gone", None, "merge", "org/mid", 2, None, (), error="not found"),
        ),
        findings=(
            Finding(
                Severity.REVIEW,
                "suspected-undeclared-base",
                "may derive from Llama",
                signals=('name: "Distill-Llama"', 'card prose: "derived from Llama3.1"'),
            ),
        ),
    )
    doc = valid(render.check_result([result], Meta("d", "2025-01-31"), catalogue))
    (child,) = doc["components"]
    assert props(child) == {
        "licensecmp:verdict": "review",
        "licensecmp:requested": "org/child",
        "licensecmp:declared-license": "mit",
        "licensecmp:license-expression": "MIT",
        "licensecmp:policy": "p",
        "licensecmp:source": "hub https://huggingface.co",
        "licensecmp:finding:1": json.dumps(
            {
                "severity": "review",
                "code": "suspected-undeclared-base",
                "message": "may derive from Llama",
                "license": None,
                "clause": None,
                "document": None,
                "section": None,
                "quote": None,
                "model": None,
                "signals": ['name: "Distill-Llama"', 'card prose: "derived from Llama3.1"'],
            },
            separators=(",", ":"),
        ),
    }
    ancestors = {a["name"]: a for a in child["pedigree"]["ancestors"]}
    assert props(ancestors["org/gone"]) == {
        "licensecmp:relation": "merge",
        "licensecmp:parent": "org/mid",
        "licensecmp:depth": "2",
        "licensecmp:error": "not found",
    }
    assert ancestors["org/gone"]["purl"] == "pkg:huggingface/org/gone"
    assert ancestors["org/mid"]["purl"] == "pkg:huggingface/org/mid@1234"
    assert props(ancestors["org/mid"])["licensecmp:relation"] == "adapter"


def _names(item: Any) -> Iterator[str]:
    """Every property name anywhere in a document."""
    if isinstance(item, dict):
        for key, value in item.items():
            if key == "properties":
                yield from (p["name"] for p in value)
            else:
                yield from _names(value)
    elif isinstance(item, list):
        for value in item:
            yield from _names(value)


def test_every_property_written_is_documented_in_the_readme(env: Path) -> None:
    doc = valid(bom_of(env, "--date", "2025-01-31").stdout)
    patterns = [re.escape(name).replace("N", r"\d+") for name in render.PROPERTY_NAMES]
    written = set(_names(doc))
    assert {n for n in written if not any(re.fullmatch(p, n) for p in patterns)} == set()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert [n for n in render.PROPERTY_NAMES if f"`{n}`" not in readme] == []
    # This run writes every kind of property.
    unused = {p for p in patterns if not any(re.fullmatch(p, n) for n in written)}
    assert unused == set()


def test_a_bom_from_a_snapshot_names_the_hub_it_was_taken_from(
    env: Path, hub: FakeHub, tmp_path: Path, shas: dict[str, str]
) -> None:
    snap = tmp_path / "snap.json"
    taken = CliRunner().invoke(main, ["snapshot", "-o", str(snap), FINE_TUNE])
    assert taken.exit_code == 0, taken.stderr
    requests = len(hub.requests)
    doc = valid(
        bom_of(env, "--snapshot", str(snap), "--date", "2025-01-31", models=[FINE_TUNE]).stdout
    )
    assert len(hub.requests) == requests  # offline
    (ft,) = doc["components"]
    assert ft["purl"] == purl(hub, FINE_TUNE, shas[FINE_TUNE])
    assert ft["pedigree"]["ancestors"][0]["purl"] == purl(hub, LLAMA, shas[LLAMA])
    source = props(ft)["licensecmp:source"]
    assert source.startswith(f"snapshot {snap} (taken ")
    assert source.endswith(f" from {hub.url})")


def test_a_model_folder_is_a_component_without_a_hub_purl(env: Path, tmp_path: Path) -> None:
    folder = tmp_path / "acme-chat"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# Acme chat\n", encoding="utf-8")
    result = bom_of(env, "--date", "2025-01-31", models=[str(folder)])
    assert result.exit_code == 0, result.stderr
    (chat,) = valid(result.stdout)["components"]
    assert chat["name"] == str(folder)
    assert chat["bom-ref"] == f"licensecmp:model/{folder}"
    assert "purl" not in chat
    assert "version" not in chat
    assert [lic["license"]["id"] for lic in chat["licenses"]] == ["MIT"]
    found = props(chat)
    assert found["licensecmp:verdict"] == "allow"
    assert found["licensecmp:source"].startswith("folder (")
