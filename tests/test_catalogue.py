"""The bundled catalogue: complete, valid, chained, and every quote proven against its text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.service import open_catalogue
from tests.proof import cannot_prove

from . import scancode_texts
from .conftest import REPO

EXPECTED_IDS = {
    "llama-2",
    "llama-3",
    "llama-3.1",
    "llama-3.2",
    "llama-3.3",
    "llama-4",
    "gemma-2024-04-01",
    "gemma-2025-03-24",
    "qwen",
    "tongyi-qianwen",
    "deepseek-1.0",
    "kimi-k2-modified-mit",
    "gpt-oss",
    "openai-open-weight-2025",
    "nvidia-open-model",
    "falcon-2-11b",
    "stability-ai-community",
    "creativeml-openrail-m",
    "bigscience-openrail-m",
    "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m",
    "flux-1-dev-non-commercial",
    "exaone-1.1-nc",
    "tencent-hunyuan-3d-2.0",
    "openmdw-1.0",
    "fair-ai-public-1.0",
    "openatom-model-1.0",
    "apache-2.0",
    "mit",
    "cc-by-4.0",
    "cc-by-nc-4.0",
    "mistral-research-0.1",
    "mistral-non-production-0.1",
    "qwen-research",
    "tii-falcon-2024-12",
    "falcon-180b-1.0",
    "hai-def-2024-11-15",
    "databricks-open-model",
    "yi-2.1",
    "deepfloyd-if",
    "creativeml-openrail-pp-m",
    "apple-amlr",
    "apple-ascl",
    "minimax-model-2025-02",
    "glm-4",
    "fair-noncommercial-research-2024-10-18",
    "stability-ai-nc-research-2023-12-06",
    "chameleon-research-2024",
    "playground-v2-community",
    "open-aleph-1.0",
    "hyperclova-x-seed-2025",
    "bilibili-model-2025-09-09",
    "grok-2-community-2025-11-04",
    "openmdw-1.1",
    "tongyi-qianwen-research",
    # issue 12: the software, data and content licences the Hub offers
    "afl-3.0",
    "agpl-3.0",
    "artistic-2.0",
    "bsd-2-clause",
    "bsd-3-clause",
    "bsd-3-clause-clear",
    "bsl-1.0",
    "c-uda-1.0",
    "cc-by-2.0",
    "cc-by-2.5",
    "cc-by-3.0",
    "cc-by-nc-2.0",
    "cc-by-nc-3.0",
    "cc-by-nc-nd-3.0",
    "cc-by-nc-nd-4.0",
    "cc-by-nc-sa-2.0",
    "cc-by-nc-sa-3.0",
    "cc-by-nc-sa-4.0",
    "cc-by-nd-4.0",
    "cc-by-sa-3.0",
    "cc-by-sa-4.0",
    "cc0-1.0",
    "cdla-permissive-1.0",
    "cdla-permissive-2.0",
    "cdla-sharing-1.0",
    "ecl-2.0",
    "epl-1.0",
    "epl-2.0",
    "etalab-2.0",
    "eupl-1.1",
    "eupl-1.2",
    "gfdl-1.1",
    "gfdl-1.2",
    "gfdl-1.3",
    "gpl-2.0",
    "gpl-3.0",
    "isc",
    "lgpl-2.1",
    "lgpl-3.0",
    "lgpl-lr",
    "lppl-1.3c",
    "mpl-2.0",
    "ms-pl",
    "ncsa",
    "odbl-1.0",
    "odc-by-1.0",
    "ofl-1.1",
    "osl-3.0",
    "pddl-1.0",
    "postgresql",
    "unlicense",
    "wtfpl",
    "zlib",
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue(REPO / "licenses")
    assert problems == []
    return found


def test_catalogue_holds_every_licence_and_validates(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.stdout
    assert f"{len(EXPECTED_IDS)} file(s) checked, 0 with problems" in result.stderr
    listed = {line.split()[0] for line in runner.invoke(main, ["list"]).stdout.splitlines()[1:]}
    assert listed == EXPECTED_IDS


@pytest.mark.parametrize(
    ("start", "chain"),
    [
        ("llama-3.2", ["llama-2", "llama-3", "llama-3.1", "llama-3.2", "llama-3.3", "llama-4"]),
        ("gemma-2025-03-24", ["gemma-2024-04-01", "gemma-2025-03-24"]),
        ("qwen", ["tongyi-qianwen", "qwen"]),
        ("qwen-research", ["tongyi-qianwen-research", "qwen-research"]),
        ("gpt-oss", ["openai-open-weight-2025", "gpt-oss"]),
        ("openmdw-1.0", ["openmdw-1.0", "openmdw-1.1"]),
        ("gpl-3.0", ["gpl-2.0", "gpl-3.0"]),
        ("lgpl-2.1", ["lgpl-2.1", "lgpl-3.0"]),
        ("cc-by-3.0", ["cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0"]),
        ("cc-by-nc-sa-4.0", ["cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0"]),
        ("gfdl-1.2", ["gfdl-1.1", "gfdl-1.2", "gfdl-1.3"]),
        ("epl-2.0", ["epl-1.0", "epl-2.0"]),
        ("eupl-1.1", ["eupl-1.1", "eupl-1.2"]),
        ("cdla-permissive-2.0", ["cdla-permissive-1.0", "cdla-permissive-2.0"]),
    ],
)
def test_version_chains_resolve(catalogue: Catalogue, start: str, chain: list[str]) -> None:
    assert [lic.id for lic in catalogue.history(start)] == chain


def test_the_announcement_is_marked_announced(catalogue: Catalogue) -> None:
    lic = catalogue.get("openai-open-weight-2025")
    assert lic is not None and lic.status == "announced"


@pytest.mark.parametrize(
    ("name", "expected", "ambiguous"),
    [
        ("llama3.1", "llama-3.1", ()),
        ("gemma", "gemma-2025-03-24", ("gemma-2024-04-01",)),
        ("Apache-2.0", "apache-2.0", ()),
        ("qwen", "qwen", ()),
        ("mrl", "mistral-research-0.1", ()),
        ("mnpl", "mistral-non-production-0.1", ()),
        ("qwen-research", "qwen-research", ()),
        ("falcon-llm-license", "tii-falcon-2024-12", ()),
        ("health-ai-developer-foundations", "hai-def-2024-11-15", ()),
        ("databricks-open-model-license", "databricks-open-model", ()),
        ("yi-license", "yi-2.1", ()),
        ("deepfloyd-if-license", "deepfloyd-if", ()),
        ("openrail++", "creativeml-openrail-pp-m", ()),
        ("apple-amlr", "apple-amlr", ()),
        ("apple-ascl", "apple-ascl", ()),
        ("apple-sample-code-license", "apple-ascl", ()),
        ("glm-4", "glm-4", ()),
        ("grok2-community", "grok-2-community-2025-11-04", ()),
        (
            "stability-ai-non-commercial-research-community",
            "stability-ai-nc-research-2023-12-06",
            (),
        ),
        ("fair-noncommercial-research-license", "fair-noncommercial-research-2024-10-18", ()),
        ("agpl-3.0", "agpl-3.0", ()),
        ("GPL-3.0-only", "gpl-3.0", ()),
        ("bsd-3-clause", "bsd-3-clause", ()),
        ("c-uda", "c-uda-1.0", ()),
        ("pddl", "pddl-1.0", ()),
    ],
)
def test_hub_and_spdx_ids_resolve(
    catalogue: Catalogue, name: str, expected: str, ambiguous: tuple[str, ...]
) -> None:
    found = catalogue.resolve(name)
    assert found is not None
    assert (found.license.id, found.ambiguous_with) == (expected, ambiguous)


@pytest.mark.parametrize(
    ("license_id", "clause", "field", "value"),
    [
        ("llama-3.1", "user_threshold", "monthly_active_users", 700_000_000),
        ("llama-2", "user_threshold", "monthly_active_users", 700_000_000),
        ("qwen", "user_threshold", "monthly_active_users", 100_000_000),
        ("kimi-k2-modified-mit", "user_threshold", "monthly_active_users", 100_000_000),
        ("kimi-k2-modified-mit", "revenue_threshold", "amount", 20_000_000),
        ("stability-ai-community", "revenue_threshold", "amount", 1_000_000),
        ("bilibili-model-2025-09-09", "revenue_threshold", "amount", 1_000_000_000),
        ("tencent-hunyuan-3d-2.0", "user_threshold", "monthly_active_users", 1_000_000),
        ("databricks-open-model", "user_threshold", "monthly_active_users", 700_000_000),
        ("playground-v2-community", "user_threshold", "monthly_active_users", 1_000_000),
        ("hyperclova-x-seed-2025", "user_threshold", "monthly_active_users", 10_000_000),
        ("llama-3.1", "attribution", "text", "Built with Llama"),
        ("glm-4", "attribution", "text", "Built with glm-4"),
    ],
)
def test_thresholds_and_display_texts(
    catalogue: Catalogue, license_id: str, clause: str, field: str, value: object
) -> None:
    lic = catalogue.get(license_id)
    assert lic is not None
    assert lic.clauses[clause].params[field] == value


@pytest.mark.parametrize("license_id", ["llama-3.2", "llama-4"])
def test_llama_multimodal_eu_restriction_cites_the_use_policy(
    catalogue: Catalogue, license_id: str
) -> None:
    lic = catalogue.get(license_id)
    assert lic is not None
    clause = lic.clauses["geographic_restriction"]
    assert clause.value == "applies"
    assert any("EU" in r or "European Union" in r for r in clause.params["regions"])  # type: ignore[attr-defined]
    assert {ev.document for ev in clause.evidence} == {"aup"}


@pytest.mark.slow
def test_every_quote_with_a_scancode_text_is_found_in_it(
    catalogue: Catalogue, tmp_path: Path, runner: CliRunner
) -> None:
    """The proof a legal reader relies on: our quotes are really in the licence texts."""
    keys = {d.scancode_key for lic in catalogue for d in lic.documents if d.scancode_key}
    try:
        missing = scancode_texts.extract(keys, tmp_path)
    except scancode_texts.Unreachable as exc:
        cannot_prove(f"ScanCode licence texts could not be had (package registry: {exc})")
    assert missing == set(), "documents name ScanCode keys the pinned LicenseDB does not have"
    kept = sorted((REPO / "licenses" / "texts").glob("*.txt"))  # texts whose terms allow copies
    assert kept, "licenses/texts holds the evidence texts ScanCode lacks"
    for text in kept:
        shutil.copy(text, tmp_path / text.name)
    result = runner.invoke(main, ["validate", "--texts", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    assert "0 problem(s)" in result.stderr
    checked = int(result.stderr.split("; ")[1].split()[0])
    assert checked >= 900  # nearly every quote cites a text ScanCode has


@pytest.mark.parametrize(
    ("license_id", "kind"),
    [
        ("llama-3.1", "model"),
        ("bigscience-openrail-m", "model"),
        ("openmdw-1.0", "model"),
        ("apache-2.0", "software"),
        ("gpl-3.0", "software"),
        ("agpl-3.0", "software"),
        ("cc-by-4.0", "content"),
        ("cc0-1.0", "content"),
        ("odbl-1.0", "content"),
        ("ofl-1.1", "content"),
    ],
)
def test_every_entry_says_what_it_was_written_for(
    catalogue: Catalogue, license_id: str, kind: str
) -> None:
    lic = catalogue.get(license_id)
    assert lic is not None and lic.kind.value == kind
