"""`licensecmp scan --author / --search` against the fake Hub: the real client over real HTTP.

A listing brings every fact a check needs (the check's own `expand`), so checking a listed
model asks the Hub only for the files and base models its check needs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from licensecmp import service
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.errors import HubUnavailable
from licensecmp.hub import EXPAND, Hub, HubSettings, Listing
from licensecmp.service import open_catalogue
from tests.hubserver import FakeHub, resolve_path, start_hub

LLAMA = "meta-llama/Llama-3.1-8B"
TOKEN = "hf_TestTokenThatMustNeverBePrinted0003"


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    server = start_hub()
    server.add_model(LLAMA, card_data={"license": "llama3.1"}, gated="manual")
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


@pytest.fixture(autouse=True)
def _catalogue_read_once(monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue) -> None:
    """Validate the bundled catalogue once per module; the Hub client and HTTP stay real."""
    real = service.open_catalogue

    def cached(override: Path | None = None) -> tuple[Catalogue, list[Any]]:
        return (catalogue, []) if override is None else real(override)

    monkeypatch.setattr(service, "open_catalogue", cached)


def scan(*args: str) -> Result:
    result = CliRunner().invoke(main, ["scan", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def heads(result: Result) -> list[str]:
    """The first line of each model in text output (the others are indented)."""
    return [line for line in result.stdout.splitlines() if not line.startswith(" ")]


def listings(hub: FakeHub) -> list[str]:
    return [r.path for r in hub.requests.snapshot() if r.path.startswith("/api/models?")]


def model_infos(hub: FakeHub) -> list[str]:
    return [r.path for r in hub.requests.snapshot() if r.path.startswith("/api/models/")]


def resolves(hub: FakeHub) -> list[str]:
    return [r.path for r in hub.requests.snapshot() if "/resolve/" in r.path]


# -- an organisation of 2,500 models ---------------------------------------------------------


def test_an_organisation_of_2500_models_is_listed_in_three_requests(
    hub: FakeHub, tmp_path: Path
) -> None:
    """2,500 models at 1,000 a page: three listing requests, no model_info for any listed
    model; only the base outside the organisation (once) and the one README a check needs."""
    base_sha = hub.add_model("acme/base", card_data={"license": "apache-2.0"})
    kinds = [
        ({"license": "apache-2.0", "base_model": LLAMA}, "review"),  # drops Llama's terms
        ({"license": "mit", "base_model": "acme/base"}, "allow"),
        ({"license": "cc-by-nc-4.0", "base_model": "acme/base"}, "deny"),
    ]
    expected = {"acme/base": "allow"}
    shas = {}
    for i in range(2499):
        card, verdict = kinds[i % 3]
        shas[i] = hub.add_model(f"acme/model-{i:04}", card_data=card)
        expected[f"acme/model-{i:04}"] = verdict
    hub.add_model("other/not-acme", card_data={"license": "mit"})
    hub.requests.reset()

    summary = tmp_path / "summary.json"
    result = scan("--author", "acme", "--format", "json", "--summary", str(summary))

    assert result.exit_code == 1  # 833 models deny
    assert result.stderr.startswith(
        "2500 model(s) checked against policy default: 834 allow, 833 review, 833 deny, "
        "0 could not be decided\n"
    )
    docs = lines(result)
    assert {d["model"]: d["verdict"] for d in docs} == expected
    assert len(docs) == 2500
    assert len(listings(hub)) == math.ceil(2500 / hub.page_size) == 3
    first = listings(hub)[0]
    assert first.startswith("/api/models?author=acme&")
    assert [p for p in first.split("&") if p.startswith("expand=")] == [
        f"expand={e}" for e in EXPAND
    ]
    assert model_infos(hub) == [f"/api/models/{LLAMA}?" + first.split("&", 1)[1]]
    assert resolves(hub) == [resolve_path("acme/base", base_sha, "README.md")]
    assert len(hub.requests.snapshot()) == 5

    doc = json.loads(summary.read_text())
    assert doc["models"] == 2500
    assert doc["verdicts"] == {"allow": 834, "review": 833, "deny": 833, "undecided": 0}
    assert doc["licenses"] == [
        {"license": "apache-2.0", "models": 2500, "allow": 834, "review": 833, "deny": 833},
        {"license": "cc-by-nc-4.0", "models": 833, "allow": 0, "review": 0, "deny": 833},
        {"license": "llama-3.1", "models": 833, "allow": 0, "review": 833, "deny": 0},
        {"license": "mit", "models": 833, "allow": 833, "review": 0, "deny": 0},
    ]
    dropped = doc["dropped_base_terms"]
    assert len(dropped) == 833
    assert dropped[0] == {
        "model": "acme/model-0000",
        "revision": shas[0],
        "declared_license": "apache-2.0",
        "base_model": LLAMA,
        "base_license": "llama-3.1",
        "severity": "review",
        "message": f"acme/model-0000 declares apache-2.0 but derives from {LLAMA}, under "
        "llama-3.1, whose terms still apply (user threshold, derivative naming, use "
        "restrictions, restrictions flow down)",
    }


# -- output contract: check's --------------------------------------------------------------


def test_text_in_listing_order_then_the_summary_on_stderr(hub: FakeHub) -> None:
    hub.add_model("acme/fine-tune", card_data={"license": "apache-2.0", "base_model": LLAMA})
    nc = hub.add_model("acme/nc", card_data={"license": "cc-by-nc-4.0"})
    hub.add_model("acme/plain", card_data={"license": "mit"})
    hub.stall(resolve_path("acme/nc", nc, "README.md"), 0.3)  # finishes last, printed second
    result = scan("--author", "acme", "--concurrency", "4")
    assert result.exit_code == 1
    assert heads(result) == ["acme/fine-tune: ◐ Review", "acme/nc: ✕ Deny", "acme/plain: ✓ Allow"]
    assert result.stderr == (
        "3 model(s) checked against policy default: 1 allow, 1 review, 1 deny, "
        "0 could not be decided\n"
        "by licence (a model counts under every licence that applies to it):\n"
        "  apache-2.0: 1 (0 allow, 1 review, 0 deny)\n"
        "  cc-by-nc-4.0: 1 (0 allow, 0 review, 1 deny)\n"
        "  llama-3.1: 1 (0 allow, 1 review, 0 deny)\n"
        "  mit: 1 (1 allow, 0 review, 0 deny)\n"
        "declared licence drops a base model's terms: 1\n"
        f"  acme/fine-tune declares apache-2.0; its base {LLAMA} is\n"
        "    under llama-3.1 (review)\n"
    )


def test_fail_on_review_and_the_summary_file_with_text(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/fine-tune", card_data={"license": "apache-2.0", "base_model": LLAMA})
    summary = tmp_path / "s.json"
    result = scan("--author", "acme", "--fail-on", "review", "--summary", str(summary))
    assert result.exit_code == 1
    doc = json.loads(summary.read_text())
    assert doc["format_version"] == 1
    assert doc["verdicts"] == {"allow": 0, "review": 1, "deny": 0, "undecided": 0}
    assert [d["model"] for d in doc["dropped_base_terms"]] == ["acme/fine-tune"]
    assert doc["suspected_undeclared_bases"] == []


def test_html_page_for_a_whole_organisation(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/one", card_data={"license": "mit"})
    hub.add_model("acme/two", card_data={"license": "apache-2.0"})
    page = tmp_path / "acme.html"
    result = scan("--author", "acme", "-o", str(page), "--date", "2026-11-28")
    assert result.exit_code == 0
    assert result.stderr.startswith("2 model(s) checked against policy default: ")
    assert result.stderr.endswith(f"wrote {page}\n")
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "acme/one" in html and "acme/two" in html


# -- private models: the token goes with the listing, only to the endpoint --------------------


def test_private_models_are_listed_with_the_token_which_is_never_printed(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.add_model("acme/public", card_data={"license": "mit"})
    hub.add_model("acme/internal", card_data={"license": "mit"}, private=True)
    assert heads(scan("--author", "acme")) == ["acme/public: ✓ Allow"]

    hub.accepted_tokens.add(TOKEN)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    hub.requests.reset()
    result = scan("--author", "acme")
    assert result.exit_code == 0
    assert heads(result) == ["acme/public: ✓ Allow", "acme/internal: ✓ Allow"]
    (listing,) = [r for r in hub.requests.snapshot() if r.path.startswith("/api/models?")]
    assert listing.headers["authorization"] == f"Bearer {TOKEN}"
    assert model_infos(hub) == []
    assert TOKEN not in result.stdout + result.stderr


def test_a_next_page_on_another_host_is_not_followed_nor_sent_the_token(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = start_hub()
    try:
        hub.add_model("acme/one", card_data={"license": "mit"})
        hub.next_link("/api/models?", f"{other.url}/api/models?cursor=stolen")
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        result = scan("--author", "acme", "--format", "json")
        assert result.exit_code == 3
        host = other.url.removeprefix("http://")
        assert result.stdout == ""
        assert result.stderr == (
            f"licensecmp: error: author:acme: next page is on another host ({host}): not followed\n"
        )
        assert other.requests.snapshot() == []
        assert TOKEN not in result.stdout + result.stderr
    finally:
        other.stop()


# -- bad items never stop the batch; a listing that cannot be read stops before checking ------


def test_a_model_that_fails_after_listing_never_stops_the_others(hub: FakeHub) -> None:
    hub.add_model("acme/a-orphan", card_data={"license": "mit", "base_model": "acme/gone"})
    busy = hub.add_model("acme/b-busy", card_data={"license": "other"}, files={"LICENSE": b"x"})
    hub.add_model("acme/c-fine", card_data={"license": "mit"})
    gone = hub.add_model("acme/d-deleted", card_data={"license": "other"}, files={"LICENSE": b"x"})
    hub.fail(resolve_path("acme/b-busy", busy, "LICENSE"), 503, times=None)
    hub.fail(
        resolve_path("acme/d-deleted", gone, "LICENSE"),
        404,
        times=None,
        headers={"X-Error-Code": "RepoNotFound"},
    )
    result = scan("--author", "acme", "--format", "json")
    assert result.exit_code == 3
    docs = {d["model"]: d for d in lines(result)}
    assert sorted(docs) == ["acme/a-orphan", "acme/b-busy", "acme/c-fine", "acme/d-deleted"]
    assert docs["acme/a-orphan"]["verdict"] == "review"
    assert [
        f["message"]
        for f in docs["acme/a-orphan"]["findings"]
        if f["code"] == "base-model-unreadable"
    ] == [
        "base model acme/gone could not be read: model not found (or private: to read it, set "
        "HF_TOKEN or run `hf auth login`)"
    ]
    assert docs["acme/b-busy"]["verdict"] is None
    assert docs["acme/b-busy"]["error"] == "LICENSE could not be read: Hub error 503"
    assert docs["acme/c-fine"]["verdict"] == "allow"
    assert docs["acme/d-deleted"]["verdict"] == "review"
    assert [
        f["message"]
        for f in docs["acme/d-deleted"]["findings"]
        if f["code"] == "license-file-unreadable"
    ] == [
        "LICENSE could not be read: model not found (or private: to read it, set HF_TOKEN or "
        "run `hf auth login`)"
    ]


def test_a_listing_that_cannot_be_read_is_exit_3_in_one_line(hub: FakeHub) -> None:
    hub.add_model("acme/one", card_data={"license": "mit"})
    hub.fail("/api/models?", 503, times=None)
    result = scan("--author", "acme", "--timeout", "2")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == "licensecmp: error: author:acme: Hub error 503\n"
    assert len(listings(hub)) == 4  # the capped retries


def test_an_author_with_no_models_is_a_usage_error(hub: FakeHub) -> None:
    result = scan("--author", "nobody-here")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "licensecmp: error: author:nobody-here: the Hub lists no models (private ones need "
        "HF_TOKEN)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name a source: DIR, --cache, --author ORG or --search TEXT"),
        (["--author", " "], "--author needs a non-empty value"),
        (["--search", ""], "--search needs a non-empty value"),
    ],
)
def test_usage_errors(hub: FakeHub, args: list[str], message: str) -> None:
    result = scan(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert hub.requests.snapshot() == []


# -- a search, sorted and limited ---------------------------------------------------------------


def test_search_sorted_by_downloads_and_limited(hub: FakeHub) -> None:
    hub.page_size = 2
    for i, downloads in enumerate([5, 50, 500, 5000, 1]):
        hub.add_model(f"org{i}/tiny-llama-{i}", card_data={"license": "mit"}, downloads=downloads)
    hub.add_model("acme/unrelated", card_data={"license": "mit"}, downloads=10**6)
    result = scan("--search", "Tiny-Llama", "--sort", "downloads", "--limit", "3")
    assert result.exit_code == 0
    assert heads(result) == [
        "org3/tiny-llama-3: ✓ Allow",
        "org2/tiny-llama-2: ✓ Allow",
        "org1/tiny-llama-1: ✓ Allow",
    ]
    first, _ = listings(hub)  # 3 of 5 at 2 a page: the third page is never asked for
    assert first.startswith("/api/models?search=Tiny-Llama&sort=downloads&limit=3&expand=")
    assert model_infos(hub) == []


def test_author_and_search_together_check_each_model_once(hub: FakeHub) -> None:
    hub.add_model("acme/tiny-ft", card_data={"license": "mit"})
    hub.add_model("acme/other", card_data={"license": "mit"})
    hub.add_model("beta/tiny-ft", card_data={"license": "mit"})
    result = scan("--author", "acme", "--search", "tiny-ft")
    assert result.exit_code == 0
    assert heads(result) == [
        "acme/tiny-ft: ✓ Allow",
        "acme/other: ✓ Allow",
        "beta/tiny-ft: ✓ Allow",
    ]


def test_listing_stops_after_its_page_cap() -> None:
    with FakeHub(page_size=1) as server:
        for i in range(4):
            server.add_model(f"acme/m{i}", card_data={"license": "mit"})
        hub = Hub(HubSettings(endpoint=server.url, token=False, scan_max_pages=3))
        with pytest.raises(HubUnavailable) as caught:
            hub.list_models(Listing(author="acme"))
        assert str(caught.value) == "author:acme: more than 3 pages of results: listing stopped"
        assert len(listings(server)) == 3
        hub = Hub(HubSettings(endpoint=server.url, token=False, scan_max_pages=4))
        assert [f.id for f in hub.list_models(Listing(author="acme"))] == [
            f"acme/m{i}" for i in range(4)
        ]
        server.requests.reset()
        assert hub.model("acme/m2").id == "acme/m2"  # primed by the listing: no request
        assert server.requests.snapshot() == []


def test_a_summary_file_in_no_directory_stops_before_any_request(
    hub: FakeHub, tmp_path: Path
) -> None:
    hub.add_model("acme/one", card_data={"license": "mit"})
    hub.requests.reset()
    result = scan("--author", "acme", "--summary", str(tmp_path / "nodir" / "s.json"))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"licensecmp: error: {tmp_path / 'nodir' / 's.json'}: cannot write: directory "
        f"{tmp_path / 'nodir'} does not exist\n"
    )
    assert hub.requests.snapshot() == []


def test_an_organisation_as_a_cyclonedx_bom(hub: FakeHub, tmp_path: Path) -> None:
    """`--format cyclonedx` (or -o NAME.cdx.json): one machine-learning-model component per
    scanned model, valid CycloneDX 1.6 by the library's strict validator."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    hub.add_model("acme/fine-tune", card_data={"license": "apache-2.0", "base_model": LLAMA})
    hub.add_model("acme/plain", card_data={"license": "mit"})
    out = tmp_path / "acme.cdx.json"
    result = scan("--author", "acme", "-o", str(out), "--date", "2026-11-28")
    assert result.exit_code == 0
    assert result.stderr.startswith("2 model(s) checked against policy default: ")
    assert result.stderr.endswith(f"wrote {out}\n")
    text = out.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    doc = json.loads(text)
    models = [c for c in doc["components"] if c["type"] == "machine-learning-model"]
    assert {c["name"] for c in models} >= {"acme/fine-tune", "acme/plain"}
    assert doc["metadata"]["timestamp"].startswith("2026-11-28")
    bad = scan("--author", "acme", "--format", "cyclonedx", "--date", "yesterday")
    assert bad.exit_code == 2
    assert "'yesterday' is not an ISO date (2025-01-31)" in bad.stderr
