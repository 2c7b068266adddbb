"""`licensecmp check` against a fake Hub: the real huggingface_hub client over real HTTP.

Nothing in the client is patched: the CLI runs in-process (click's CliRunner) with
``HF_ENDPOINT`` pointing at ``tests/hubserver.py``, or a ``Checker`` is built over
``Hub(HubSettings(endpoint=hub.url, ...))`` where finer control (retry waits, attempts) helps.
"""

from __future__ import annotations

import functools
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from licensecmp import service
from licensecmp.catalogue import Catalogue
from licensecmp.checking import Checker
from licensecmp.cli import main
from licensecmp.hub import Hub, HubSettings
from licensecmp.model import CheckResult, Verdict
from licensecmp.service import identifier, open_catalogue
from licensecmp.textnorm import strip_front_matter
from tests import scancode_texts
from tests.hubserver import FakeHub, resolve_path, start_hub
from tests.proof import cannot_prove

LLAMA = "meta-llama/Llama-3.1-8B"
MISTRAL = "mistralai/Mistral-7B-v0.1"
QWEN_BASE = "Qwen/Qwen2.5-7B"
TOKEN = "hf_TestTokenThatMustNeverBePrinted0001"
LLAMA_LICENSE = (
    b"LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n"
)


@functools.cache
def _scancode_text(key: str) -> str:
    """A real licence text from the pinned ScanCode wheel (never a licence text copied into
    this repository)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            scancode_texts.extract({key}, Path(tmp))
        except scancode_texts.Unreachable as exc:
            cannot_prove(f"ScanCode licence texts could not be had (package registry: {exc})")
        return strip_front_matter((Path(tmp) / f"{key}.LICENSE").read_text(encoding="utf-8"))


def _mit_text() -> bytes:
    """A real MIT LICENSE file as a repository ships it: under a title and copyright."""
    return f"MIT License\n\nCopyright (c) 2024 Acme Research\n{_scancode_text('mit')}".encode()


def _qwen_text() -> bytes:
    return _scancode_text("qwen-2024").encode()


NOT_FOUND = "model not found (or private: to read it, set HF_TOKEN or run `hf auth login`)"
GATED = (
    "gated: files need a token whose user accepted the model's terms "
    "(set HF_TOKEN or run `hf auth login`)"
)
GATED_WITH_TOKEN = "gated: the token in use has not accepted the model's terms on its Hub page"


# -- fixtures and helpers -----------------------------------------------------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A fake Hub with three well-known bases; HF_ENDPOINT points at it, no token set."""
    server = start_hub()
    server.add_model(
        LLAMA,
        card_data={"license": "llama3.1", "library_name": "transformers"},
        gated="manual",
        files={"LICENSE": LLAMA_LICENSE},
    )
    server.add_model(MISTRAL, card_data={"license": "apache-2.0"}, gated="auto")
    server.add_model(
        QWEN_BASE,
        card_data={"license": "other", "license_name": "qwen", "license_link": "LICENSE"},
        files={"LICENSE": _qwen_text()},
    )
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


@pytest.fixture(autouse=True)
def _catalogue_read_once(monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue) -> None:
    """Every `check` run validates the whole bundled catalogue (~0.5 s): do it once per module.
    Only our own use case is short-cut; the Hub client and the HTTP path stay real."""
    real = service.open_catalogue

    def cached(override: Path | None = None) -> tuple[Catalogue, list[Any]]:
        return (catalogue, []) if override is None else real(override)

    monkeypatch.setattr(service, "open_catalogue", cached)


def checker(catalogue: Catalogue, hub: FakeHub, **settings: Any) -> tuple[Checker, list[float]]:
    """A Checker over the fake Hub; retry waits are recorded instead of slept, and the Hub's
    clock moves on by each (so the shared backoff sees the time as passed)."""
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)

    def clock() -> float:
        return time.monotonic() + sum(waits)

    options: dict[str, Any] = {"token": False, "timeout": 2.0, "backoff": 0.01, **settings}
    source = Hub(HubSettings(endpoint=hub.url, **options), sleep=sleep, clock=clock)
    return Checker(catalogue, source, identify=identifier()), waits


def check(*args: str, input: str | None = None) -> Result:
    """`licensecmp check ARGS`, in-process; never a traceback, stdout and stderr kept apart."""
    result = CliRunner().invoke(main, ["check", *args], input=input)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def json_lines(result: Result) -> dict[str, dict[str, Any]]:
    """Each stdout line parsed, keyed by the id that was asked for; one line per model."""
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    by_id = {doc["requested"]: doc for doc in docs}
    assert len(by_id) == len(docs), "one line per model"
    return by_id


def one(result: Result) -> dict[str, Any]:
    (doc,) = json_lines(result).values()
    return doc


def codes(doc: dict[str, Any]) -> list[str]:
    return [f["code"] for f in doc["findings"]]


def finding(doc: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [f for f in doc["findings"] if f["code"] == code]
    return found


def info_path(repo_id: str) -> str:
    """Prefix of the model_info request for `repo_id` (the query always follows)."""
    return f"/api/models/{repo_id}?"


def resolves(hub: FakeHub) -> list[str]:
    return [r.path for r in hub.requests if "/resolve/" in r.path]


# -- gated models -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["auto", "manual"])
def test_gated_model_metadata_is_still_read(hub: FakeHub, mode: str) -> None:
    sha = hub.add_model(
        f"acme/gated-{mode}",
        card_data={"license": "apache-2.0"},
        gated=mode,  # type: ignore[arg-type]
        files={"LICENSE": b"Apache License\nVersion 2.0, January 2004\n"},
    )
    result = check("--format", "json", f"acme/gated-{mode}")
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = one(result)
    assert doc["gated"] == mode
    assert doc["lineage"][0]["gated"] == mode
    assert doc["verdict"] == "allow"
    assert doc["licenses"] == ["apache-2.0"]
    gated = finding(doc, "gated")
    assert gated["severity"] == "info"
    assert gated["message"] == (
        f"gated ({mode}): files need a Hub account that accepted the model's terms"
    )
    # The card settles the licence; its LICENSE is tried once, and the gate only informs.
    unread = finding(doc, "license-file-gated")
    assert unread["severity"] == "info"
    assert unread["message"] == f"LICENSE could not be read: {GATED}"
    # With no declared base its README is tried too (it may name one); the gate only informs.
    prose = finding(doc, "signals-unread")
    assert prose["severity"] == "info"
    assert prose["message"] == (
        f"README.md was not searched for undeclared base models: it could not be read: {GATED}"
    )
    assert resolves(hub) == [
        resolve_path(f"acme/gated-{mode}", sha, "LICENSE"),
        resolve_path(f"acme/gated-{mode}", sha, "README.md"),
    ]


@pytest.mark.parametrize("token", [None, "hf_NotGrantedToken0002"], ids=["401-anonymous", "403"])
def test_gated_license_file_cannot_be_read(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    sha = hub.add_model(
        "acme/gated-other",
        card_data={"license": "other"},
        gated="manual",
        files={"LICENSE": _mit_text()},
    )
    if token is not None:
        monkeypatch.setenv("HF_TOKEN", token)
    result = check("--format", "json", "acme/gated-other")
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = one(result)
    assert doc["verdict"] == "review"
    assert doc["gated"] == "manual"
    assert doc["licenses"] == []
    assert codes(doc) == ["license-file-gated", "signals-unread", "gated", "unknown-license"]
    gated_file = finding(doc, "license-file-gated")
    assert gated_file["severity"] == "review"
    assert gated_file["message"] == "LICENSE could not be read: " + (
        GATED_WITH_TOKEN if token else GATED
    )
    # One try: a gate is an answer, not a transient failure.
    request, prose = [r for r in hub.requests if "/resolve/" in r.path]
    assert request.path == resolve_path("acme/gated-other", sha, "LICENSE")
    assert prose.path == resolve_path("acme/gated-other", sha, "README.md")
    assert request.headers.get("authorization") == (f"Bearer {token}" if token else None)
    if token is not None:
        assert token not in result.stdout + result.stderr


def test_gated_license_file_is_read_with_an_accepted_token(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.add_model(
        "acme/gated-other",
        card_data={"license": "other"},
        gated="auto",
        files={"LICENSE": _mit_text()},
    )
    hub.accepted_tokens.add(TOKEN)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    for fmt in ("json", "text"):
        result = check("--format", fmt, "acme/gated-other")
        assert result.exit_code == 0
        assert TOKEN not in result.stdout + result.stderr
    doc = one(check("--format", "json", "acme/gated-other"))
    assert doc["verdict"] == "allow"
    assert doc["declared_license"] == "other"
    assert doc["licenses"] == ["mit"]
    identified = finding(doc, "license-file-identified")
    assert identified["license"] == "mit"
    assert identified["message"].startswith("LICENSE is mit, matched ")
    assert "license-file-gated" not in codes(doc)
    assert {r.headers.get("authorization") for r in hub.requests} == {f"Bearer {TOKEN}"}


# -- models the Hub will not describe -----------------------------------------------------


@pytest.mark.parametrize("kind", ["private", "missing"])
def test_private_and_missing_models_cannot_be_decided(hub: FakeHub, kind: str) -> None:
    hub.add_model("acme/secret", private=True, card_data={"license": "mit"})
    repo_id = "acme/secret" if kind == "private" else "acme/nothing-here"
    result = check("--format", "json", repo_id)
    assert result.exit_code == 3
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1
    doc = one(result)
    assert doc["verdict"] is None
    assert doc["error"] == NOT_FOUND
    assert doc["model"] == doc["requested"] == repo_id
    assert doc["licenses"] == [] and doc["findings"] == []
    assert hub.count(info_path(repo_id)) == 1  # a definite answer: not retried

    text = check(repo_id)
    assert text.exit_code == 3
    assert text.stdout == f"{repo_id}: ? Could not decide: {NOT_FOUND}\n"


def test_disabled_model_cannot_be_decided(hub: FakeHub) -> None:
    hub.add_model("acme/taken-down", disabled=True, card_data={"license": "mit"})
    result = check("--format", "json", "acme/taken-down")
    assert result.exit_code == 3
    doc = one(result)
    assert doc["verdict"] is None
    assert doc["error"] == "model disabled on the Hub"
    assert check("acme/taken-down").stdout == (
        "acme/taken-down: ? Could not decide: model disabled on the Hub\n"
    )


def test_renamed_model_reports_the_new_id(hub: FakeHub) -> None:
    hub.add_model("acme/old-name", card_data={"license": "mit", "base_model": MISTRAL})
    hub.rename("acme/old-name", "acme/new-name")
    result = check("--format", "json", "acme/old-name")
    assert result.exit_code == 0
    doc = one(result)
    assert doc["model"] == "acme/new-name"
    assert doc["requested"] == "acme/old-name"
    assert doc["lineage"][0]["model"] == "acme/new-name"
    assert doc["lineage"][1]["model"] == MISTRAL
    assert doc["licenses"] == ["mit", "apache-2.0"]
    assert doc["verdict"] == "allow"
    assert check("acme/old-name").stdout.startswith("acme/new-name: ✓ Allow\n")


# -- transient failures: retries, rate limits, timeouts ----------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"Retry-After": "0"}, {"RateLimit": '"api";r=0;t=0'}],
    ids=["retry-after", "ratelimit-t"],
)
def test_rate_limited_twice_then_answered(hub: FakeHub, headers: dict[str, str]) -> None:
    hub.add_model("acme/busy", card_data={"license": "mit"})
    hub.fail(info_path("acme/busy"), 429, times=2, headers=headers)
    result = check("--format", "json", "acme/busy")
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = one(result)
    assert doc["verdict"] == "allow"
    assert doc["licenses"] == ["mit"]
    assert hub.count(info_path("acme/busy")) == 3


def test_retry_waits_follow_the_hub(hub: FakeHub, catalogue: Catalogue) -> None:
    hub.add_model("acme/busy", card_data={"license": "mit"})
    hub.fail(info_path("acme/busy"), 429, times=1, headers={"Retry-After": "1"})
    hub.fail(info_path("acme/busy"), 429, times=1, headers={"RateLimit": '"api";r=0;t=7'})
    hub.fail(info_path("acme/busy"), 503, times=1)
    run, waits = checker(catalogue, hub, backoff=0.25)
    result = run.check("acme/busy")
    assert result.error is None and result.licenses == ("mit",)
    assert waits == [1.0, 7.0, 1.0]  # Retry-After, RateLimit t=, then backoff 0.25 * 2**2
    assert hub.count(info_path("acme/busy")) == 4


def test_rate_limit_longer_than_max_wait_is_not_slept(hub: FakeHub, catalogue: Catalogue) -> None:
    hub.add_model("acme/busy", card_data={"license": "mit"})
    hub.fail(info_path("acme/busy"), 429, times=None, headers={"RateLimit": '"api";r=0;t=300'})
    run, waits = checker(catalogue, hub, max_wait=60)
    (result,) = run.check_many([("acme/busy", None)])
    assert result.error == (
        "rate limited by the Hub (429): it asks for a 300 s wait, over the 60 s limit"
    )
    assert waits == []
    assert hub.count(info_path("acme/busy")) == 1


def test_persistent_rate_limit_cannot_be_decided(hub: FakeHub) -> None:
    hub.add_model("acme/busy", card_data={"license": "mit"})
    hub.fail(info_path("acme/busy"), 429, times=None, headers={"Retry-After": "0"})
    result = check("--format", "json", "acme/busy")
    assert result.exit_code == 3
    assert result.stderr == ""
    doc = one(result)
    assert doc["verdict"] is None
    assert doc["error"] == "rate limited by the Hub (429)"
    assert hub.count(info_path("acme/busy")) == 4  # HubSettings.attempts
    text = check("acme/busy")
    assert text.exit_code == 3
    assert text.stdout == "acme/busy: ? Could not decide: rate limited by the Hub (429)\n"


def test_server_error_once_then_answered(hub: FakeHub) -> None:
    hub.add_model("acme/flaky", card_data={"license": "mit"})
    hub.fail(info_path("acme/flaky"), 503, times=1)
    result = check("--format", "json", "acme/flaky")
    assert result.exit_code == 0
    assert one(result)["verdict"] == "allow"
    assert hub.count(info_path("acme/flaky")) == 2


def test_stalled_answer_times_out(hub: FakeHub) -> None:
    hub.add_model("acme/slow", card_data={"license": "mit"})
    hub.stall(info_path("acme/slow"), 0.8, times=4)
    result = check("--format", "json", "--timeout", "0.5", "acme/slow")
    assert result.exit_code == 3
    assert result.stderr == ""
    doc = one(result)
    assert doc["verdict"] is None
    assert doc["error"] == "Hub did not answer in time"
    assert hub.count(info_path("acme/slow")) == 4


def test_stalled_license_file_honours_the_timeout(hub: FakeHub, catalogue: Catalogue) -> None:
    """The file fetch gets the same timeout and tries as metadata, nothing hidden (the client's
    own download retries a failed HEAD with a 60 s timeout)."""
    sha = hub.add_model(
        "acme/other", card_data={"license": "other"}, files={"LICENSE": _mit_text()}
    )
    path = resolve_path("acme/other", sha, "LICENSE")
    hub.stall(path, 0.6, times=2)
    run, waits = checker(catalogue, hub, timeout=0.2, attempts=2)
    (result,) = run.check_many([("acme/other", None)])
    # Fail closed: a licence file that did not arrive in time leaves the model undecided.
    assert result.error == "LICENSE could not be read: Hub did not answer in time"
    assert result.findings == ()
    # Two tries (one wait between them), never more. The server may not have logged the
    # second request when a 0.2 s timeout ends it on a loaded machine, so its count is a bound.
    assert len(waits) == 1 and 1 <= hub.count(path) <= 2


def test_rate_limited_license_file_is_reported_as_such(hub: FakeHub, catalogue: Catalogue) -> None:
    sha = hub.add_model(
        "acme/other", card_data={"license": "other"}, files={"LICENSE": _mit_text()}
    )
    path = resolve_path("acme/other", sha, "LICENSE")
    hub.fail(path, 429, times=None, headers={"Retry-After": "0"})
    run, _ = checker(catalogue, hub, attempts=3)
    (result,) = run.check_many([("acme/other", None)])
    assert result.error == "LICENSE could not be read: rate limited by the Hub (429)"
    assert result.verdict is Verdict.REVIEW
    assert hub.count(path) == 3


def test_malformed_answer_cannot_be_decided(hub: FakeHub) -> None:
    hub.add_model("acme/garbled", card_data={"license": "mit"})
    hub.malformed(info_path("acme/garbled"))
    result = check("--format", "json", "acme/garbled")
    assert result.exit_code == 3
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1
    doc = one(result)
    assert doc["verdict"] is None
    assert doc["error"] == "Hub answer was not valid model metadata"
    text = check("acme/garbled")
    assert text.exit_code == 3
    assert (
        text.stdout == "acme/garbled: ? Could not decide: Hub answer was not valid model metadata\n"
    )


# -- what the card says -------------------------------------------------------------------


@pytest.mark.parametrize(
    "card", [None, {"library_name": "transformers"}], ids=["no-card-data", "no-license"]
)
def test_no_licence_at_all_asks_for_review(hub: FakeHub, card: dict[str, Any] | None) -> None:
    hub.add_model("acme/bare", card_data=card)
    result = check("--format", "json", "acme/bare")
    assert result.exit_code == 0
    doc = one(result)
    assert doc["verdict"] == "review"
    assert doc["declared_license"] is None
    assert doc["licenses"] == []
    unknown = finding(doc, "unknown-license")
    assert unknown["severity"] == "review"
    assert unknown["message"] == "no licence is declared: the model's terms are unknown"
    assert check("--fail-on", "review", "acme/bare").exit_code == 1


def test_other_with_license_name(hub: FakeHub) -> None:
    hub.add_model(
        "acme/qwen-tune",
        card_data={"license": "other", "license_name": "qwen", "license_link": "LICENSE"},
        files={"LICENSE": _qwen_text()},
    )
    doc = one(check("--format", "json", "acme/qwen-tune"))
    assert doc["declared_license"] == "qwen"
    assert doc["licenses"] == ["qwen"]
    assert "unknown-license" not in codes(doc)
    agrees = finding(doc, "license-file-identified")
    assert agrees["severity"] == "info" and agrees["message"].startswith("LICENSE is qwen, ")


@pytest.mark.parametrize("where", ["card", "tag"])
def test_gemma_names_the_version_in_force(hub: FakeHub, where: str) -> None:
    if where == "card":
        hub.add_model("acme/gemma-tune", card_data={"license": "gemma"})
    else:
        hub.add_model("acme/gemma-tune", tags=["license:gemma"])
    doc = one(check("--format", "json", "acme/gemma-tune"))
    assert doc["declared_license"] == "gemma"
    assert doc["licenses"] == ["gemma-2025-03-24"]
    ambiguous = finding(doc, "ambiguous-hub-id")
    assert ambiguous["license"] == "gemma-2025-03-24"
    assert ambiguous["severity"] == "info"
    assert "gemma-2024-04-01" in ambiguous["message"]


def test_exit_1_on_deny(hub: FakeHub) -> None:
    hub.add_model("acme/nc", card_data={"license": "cc-by-nc-4.0"})
    result = check("--format", "json", "acme/nc")
    assert result.exit_code == 1
    assert one(result)["verdict"] == "deny"


# -- lineage ------------------------------------------------------------------------------


def test_permissive_fine_tune_of_llama_keeps_llama_terms(hub: FakeHub) -> None:
    hub.add_model("acme/llama-tune", card_data={"license": "apache-2.0", "base_model": LLAMA})
    result = check("--format", "json", "acme/llama-tune")
    assert result.exit_code == 0
    doc = one(result)
    assert doc["declared_license"] == "apache-2.0"
    assert doc["licenses"] == ["apache-2.0", "llama-3.1"]
    assert doc["verdict"] == "review"
    dropped = finding(doc, "base-terms-dropped")
    assert dropped["severity"] == "review"
    assert dropped["license"] == "llama-3.1"
    assert dropped["model"] == LLAMA
    assert dropped["message"].startswith(
        f"acme/llama-tune declares apache-2.0 but derives from {LLAMA}, under llama-3.1, "
    )
    assert [(n["model"], n["relation"], n["parent"], n["depth"]) for n in doc["lineage"]] == [
        ("acme/llama-tune", None, None, 0),
        (LLAMA, "finetune", "acme/llama-tune", 1),
    ]
    assert doc["lineage"][1]["gated"] == "manual"


def test_merge_brings_every_parents_licence(hub: FakeHub) -> None:
    hub.add_model(
        "acme/merge", card_data={"license": "mit", "base_model": [MISTRAL, LLAMA, QWEN_BASE]}
    )
    doc = one(check("--format", "json", "acme/merge"))
    assert sorted(doc["licenses"]) == ["apache-2.0", "llama-3.1", "mit", "qwen"]
    assert doc["licenses"][0] == "mit"
    parents = {n["model"]: n for n in doc["lineage"][1:]}
    assert set(parents) == {MISTRAL, LLAMA, QWEN_BASE}
    assert {n["relation"] for n in parents.values()} == {"merge"}
    assert parents[QWEN_BASE]["licenses"] == ["qwen"]
    assert len(resolves(hub)) == len(set(resolves(hub))) == 2  # Llama's and Qwen's LICENSE


def test_lineage_cycle_finishes(hub: FakeHub) -> None:
    hub.add_model("acme/a", card_data={"license": "mit", "base_model": "acme/b"})
    hub.add_model("acme/b", card_data={"license": "apache-2.0", "base_model": "acme/a"})
    result = check("--format", "json", "acme/a", "acme/b")
    assert result.exit_code == 0
    docs = json_lines(result)
    for name, other in (("acme/a", "acme/b"), ("acme/b", "acme/a")):
        cycle = finding(docs[name], "lineage-cycle")
        assert cycle["severity"] == "review"
        assert cycle["message"] == (
            f"{other} names {name} as a base model, but {name} descends from it: "
            "the declared lineage is a cycle"
        )
        assert docs[name]["verdict"] == "review"
        assert [n["model"] for n in docs[name]["lineage"]] == [name, other]
    assert hub.count(info_path("acme/a")) == hub.count(info_path("acme/b")) == 1


def test_diamond_is_not_a_cycle(hub: FakeHub) -> None:
    hub.add_model("acme/root", card_data={"license": "mit"})
    hub.add_model("acme/left", card_data={"license": "mit", "base_model": "acme/root"})
    hub.add_model("acme/right", card_data={"license": "apache-2.0", "base_model": "acme/root"})
    hub.add_model(
        "acme/diamond", card_data={"license": "mit", "base_model": ["acme/left", "acme/right"]}
    )
    doc = one(check("--format", "json", "acme/diamond"))
    assert "lineage-cycle" not in codes(doc)
    assert doc["verdict"] == "allow"
    assert [n["model"] for n in doc["lineage"]] == [
        "acme/diamond",
        "acme/left",
        "acme/right",
        "acme/root",
    ]
    assert sorted(doc["licenses"]) == ["apache-2.0", "mit"]
    assert hub.count(info_path("acme/root")) == 1


# -- batches ------------------------------------------------------------------------------


def test_batch_goes_on_past_a_missing_model(hub: FakeHub) -> None:
    for name in ("acme/one", "acme/two", "acme/three"):
        hub.add_model(name, card_data={"license": "mit"})
    hub.add_model("acme/nc", card_data={"license": "cc-by-nc-4.0"})
    ids = ["acme/one", "acme/missing", "acme/two", "acme/nc", "acme/three"]
    result = check("--format", "json", *ids)
    assert result.exit_code == 3  # the worst: could not decide beats deny
    assert result.stderr == ""
    docs = json_lines(result)
    assert sorted(docs) == sorted(ids)
    assert docs["acme/missing"]["error"] == NOT_FOUND
    assert docs["acme/missing"]["verdict"] is None
    assert docs["acme/nc"]["verdict"] == "deny"
    for name in ("acme/one", "acme/two", "acme/three"):
        assert docs[name]["verdict"] == "allow"
        assert "error" not in docs[name]

    without_missing = check("--format", "json", *(i for i in ids if i != "acme/missing"))
    assert without_missing.exit_code == 1


def test_from_file_with_comments(hub: FakeHub, tmp_path: Path) -> None:
    for name in ("acme/one", "acme/two", "acme/three"):
        hub.add_model(name, card_data={"license": "mit"})
    listing = tmp_path / "models.txt"
    listing.write_text(
        "# models we ship\n\nacme/one   # the first\n  acme/two\n#acme/skipped\n",
        encoding="utf-8",
    )
    result = check("--format", "json", "--from-file", str(listing), "acme/three")
    assert result.exit_code == 0
    docs = json_lines(result)
    assert sorted(docs) == ["acme/one", "acme/three", "acme/two"]
    assert all(doc["verdict"] == "allow" for doc in docs.values())
    assert hub.count("/api/models/acme/skipped") == 0

    stdin = check("--format", "json", "--from-file", "-", input="acme/one\n# acme/two\n")
    assert sorted(json_lines(stdin)) == ["acme/one"]


def test_no_model_named_is_a_usage_error(hub: FakeHub) -> None:
    result = check("--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_text_lines_for_a_batch(hub: FakeHub) -> None:
    hub.add_model("acme/one", card_data={"license": "mit"})
    result = check("acme/one", "acme/missing")
    assert result.exit_code == 3
    assert f"acme/missing: ? Could not decide: {NOT_FOUND}\n" in result.stdout
    assert "acme/one: ✓ Allow\n" in result.stdout


# -- request economy ----------------------------------------------------------------------


@pytest.mark.parametrize("concurrency", ["1", "8"])
def test_models_sharing_a_base_fetch_it_once(hub: FakeHub, concurrency: str) -> None:
    names = [f"acme/llama-tune-{n}" for n in range(6)]
    for name in names:
        hub.add_model(
            name,
            card_data={"license": "llama3.1", "base_model": LLAMA},
            files={"LICENSE": LLAMA_LICENSE},
        )
    result = check("--format", "json", "--concurrency", concurrency, *names)
    assert result.exit_code == 0
    assert sorted(json_lines(result)) == names
    paths = [r.path for r in hub.requests]
    info = [p for p in paths if p.startswith("/api/models/")]
    assert len(info) == len(names) + 1
    assert hub.count(info_path(LLAMA)) == 1
    assert len(set(paths)) == len(paths), "the same request twice"
    assert len(resolves(hub)) == len(names) + 1  # each LICENSE read once, the base's too


def test_license_file_is_fetched_once_per_run(hub: FakeHub, catalogue: Catalogue) -> None:
    sha = hub.add_model("acme/base", card_data={"license": "other"}, files={"LICENSE": _mit_text()})
    for n in range(3):
        hub.add_model(f"acme/tune-{n}", card_data={"license": "mit", "base_model": "acme/base"})
    run, _ = checker(catalogue, hub)
    results: list[CheckResult] = list(
        run.check_many([("acme/base", None), *((f"acme/tune-{n}", None) for n in range(3))])
    )
    assert {r.model: r.licenses for r in results} == {
        "acme/base": ("mit",),
        **{f"acme/tune-{n}": ("mit",) for n in range(3)},
    }
    assert resolves(hub) == [
        resolve_path("acme/base", sha, "LICENSE"),
        resolve_path("acme/base", sha, "README.md"),  # no declared base: its prose is read
    ]
    assert hub.count("/api/models/") == 4


def test_renamed_base_is_fetched_once_under_either_name(hub: FakeHub) -> None:
    """Cards often cite a base by its old name: the redirect names the new id, which then
    needs no request of its own."""
    hub.add_model("acme/base-old", card_data={"license": "apache-2.0"})
    hub.rename("acme/base-old", "acme/base-new")
    hub.add_model("acme/cites-old", card_data={"license": "mit", "base_model": "acme/base-old"})
    hub.add_model("acme/cites-new", card_data={"license": "mit", "base_model": "acme/base-new"})
    ids = ["acme/cites-old", "acme/cites-new", "acme/base-new"]
    result = check("--format", "json", "--concurrency", "1", *ids)
    assert result.exit_code == 0
    docs = json_lines(result)
    for name in ids[:2]:
        assert docs[name]["licenses"] == ["mit", "apache-2.0"]
        assert docs[name]["lineage"][1]["model"] == "acme/base-new"
    assert docs["acme/base-new"]["requested"] == "acme/base-new"
    assert hub.count(info_path("acme/base-old")) == 1  # answered 307
    assert hub.count(info_path("acme/base-new")) == 1
    paths = [r.path for r in hub.requests]
    assert len(set(paths)) == len(paths), "the same request twice"


def test_concurrent_start_repeats_no_request(hub: FakeHub, catalogue: Catalogue) -> None:
    """Workers starting together share one client: none of them may close it under another
    (a dropped connection would be retried: the same request twice, and a backoff wait)."""
    names = [f"acme/model-{n}" for n in range(16)]
    for name in names:
        hub.add_model(name, card_data={"license": "mit", "base_model": MISTRAL})
    hub.delay = 0.01
    for _ in range(5):
        hub.requests.reset()
        run, waits = checker(catalogue, hub)
        results = list(run.check_many(((m, None) for m in names), workers=8))
        assert all(r.error is None for r in results)
        paths = [r.path for r in hub.requests]
        assert len(paths) == len(names) + 1 == len(set(paths))
        assert waits == []


@pytest.mark.parametrize(
    ("base_card", "expected"),
    [
        (
            {},
            "base model acme/base declares no licence: the terms it passes to acme/tune are "
            "unknown",
        ),
        (
            {"license": "other", "license_name": "acme-research"},
            "base model acme/base declares 'acme-research', which names no licence the "
            "catalogue knows: the terms it passes to acme/tune are unknown",
        ),
        ({"license": "apache-2.0 OR acme-research"}, None),
        ({"license": "mit"}, None),
    ],
)
def test_a_base_whose_terms_are_unknown_is_reviewed(
    hub: FakeHub, base_card: dict[str, Any], expected: str | None
) -> None:
    """The fine-tune says Apache-2.0; what its base passes on is unknown unless the base
    declares a licence the catalogue knows (one known choice of an OR is enough)."""
    hub.add_model("acme/base", card_data=base_card)
    hub.add_model("acme/tune", card_data={"license": "apache-2.0", "base_model": "acme/base"})
    result = check("--format", "json", "acme/tune")
    doc = one(result)
    found = [f["message"] for f in doc["findings"] if f["code"] == "base-license-unknown"]
    if expected is None:
        assert found == []
        assert doc["verdict"] == "allow" and result.exit_code == 0
    else:
        assert found == [expected]
        assert doc["verdict"] == "review" and result.exit_code == 0
        assert check("--format", "json", "--fail-on", "review", "acme/tune").exit_code == 1
        text = " ".join(check("acme/tune").stdout.split())
        assert f"◐ Review: {expected}" in text  # names the base already: no "(acme/base)"
        assert f"{expected} (acme/base)" not in text


def test_a_finding_about_a_base_names_it_in_text(hub: FakeHub) -> None:
    """The 700M threshold is the base's licence's, not the fine-tune's own: in text, as in
    Markdown and HTML, a finding about another model names it unless its message does."""
    hub.add_model("acme/tune", card_data={"license": "apache-2.0", "base_model": LLAMA})
    text = " ".join(check("acme/tune").stdout.split())
    assert (
        "◐ Review: the licence changes above 700,000,000 monthly active users; the policy does "
        f"not state the organisation's monthly active users ({LLAMA})"
    ) in text
    assert f"◐ Review: acme/tune declares apache-2.0 but derives from {LLAMA}," in text
    assert f"({LLAMA}) ({LLAMA})" not in text


# -- help at the point of error: licence ids, Hub addresses, tokens -------------------------


@pytest.mark.parametrize("license_id", ["llama-3.1", "apache-2.0"])
def test_a_licence_id_given_to_check_points_to_show(hub: FakeHub, license_id: str) -> None:
    result = check(license_id)
    assert result.exit_code == 3
    assert result.stdout == (
        f"{license_id}: ? Could not decide: {NOT_FOUND}; {license_id!r} is a licence id: "
        f"see `licensecmp show {license_id}`\n"
    )
    assert hub.count(info_path(license_id)) == 1  # asked first: a model may have that name


def test_a_model_named_like_a_licence_is_checked_as_a_model(hub: FakeHub) -> None:
    hub.add_model("apache-2.0", card_data={"license": "mit"})
    doc = one(check("--format", "json", "apache-2.0"))
    assert (doc["model"], doc["verdict"]) == ("apache-2.0", "allow")
    assert "error" not in doc


def test_a_private_model_with_a_token_that_cannot_read_it_says_so(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.add_model("acme/secret", private=True, card_data={"license": "mit"})
    monkeypatch.setenv("HF_TOKEN", TOKEN)  # not one the fake Hub accepts for it
    result = check("acme/secret")
    assert result.exit_code == 3
    assert result.stdout == (
        "acme/secret: ? Could not decide: model not found (or private, and the token in use "
        "cannot read it)\n"
    )
    assert TOKEN not in result.stdout + result.stderr
    hub.accepted_tokens.add(TOKEN)
    assert check("acme/secret").stdout.startswith("acme/secret: ✓ Allow\n")


@pytest.mark.parametrize(
    "address",
    [
        "https://huggingface.co/acme/model",
        "https://huggingface.co/acme/model/",
        "http://huggingface.co/acme/model",
        "huggingface.co/acme/model",
        "https://www.huggingface.co/acme/model",
        "hf.co/acme/model",
        "https://hf.co/acme/model?library=transformers#usage",
        "https://huggingface.co/acme/model/blob/main/README.md",
        "https://huggingface.co/acme/model/tree/main",
        "{endpoint}/acme/model",
        "{endpoint}/acme/model/tree/main/",
    ],
)
def test_a_hub_address_is_read_as_the_model_it_shows(hub: FakeHub, address: str) -> None:
    hub.add_model("acme/model", card_data={"license": "mit"})
    result = check("--format", "json", address.format(endpoint=hub.url))
    assert result.exit_code == 0, result.output
    doc = one(result)
    assert (doc["model"], doc["requested"], doc["verdict"]) == ("acme/model", "acme/model", "allow")


def test_a_tree_address_gives_the_revision_checked(hub: FakeHub) -> None:
    sha = hub.add_model("acme/model", card_data={"license": "mit"})
    doc = one(check("--format", "json", f"https://huggingface.co/acme/model/tree/{sha}"))
    assert (doc["revision"], doc["verdict"]) == (sha, "allow")
    assert hub.count(f"/api/models/acme/model/revision/{sha}") == 1
    gone = check("https://huggingface.co/acme/model/tree/v9")
    assert gone.exit_code == 3
    assert gone.stdout == "acme/model: ? Could not decide: revision not found\n"
    same = check("--revision", sha, f"hf.co/acme/model/tree/{sha}")
    assert same.exit_code == 0
    clash = check("--revision", "main", f"hf.co/acme/model/tree/{sha}")
    assert clash.exit_code == 2
    assert clash.stderr == (
        f"licensecmp: error: 'hf.co/acme/model/tree/{sha}' names revision {sha!r} but "
        "--revision says 'main'\n"
    )


HOW = "name a model as OWNER/NAME or by its Hub address (https://huggingface.co/OWNER/NAME)"


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("https://github.com/acme/model", "is not a Hugging Face Hub address"),
        ("github.com/acme/model", "is not a Hugging Face Hub address"),
        ("www.example.com", "is not a Hugging Face Hub address"),
        ("http://127.0.0.1:10/acme/model", "is not a Hugging Face Hub address"),
        ("ftp://huggingface.co/acme/model", "is not an http(s) address"),
        ("https://huggingface.co/", "is an address that names no model"),
        (
            "https://huggingface.co/datasets/acme/data",
            "is the address of a dataset, not of a model",
        ),
        ("https://huggingface.co/spaces/acme/app", "is the address of a Space, not of a model"),
        (
            "https://huggingface.co/acme/model/discussions/3",
            "is not the address of a model, of /tree/REV or of /blob/REV/FILE",
        ),
    ],
)
def test_any_other_address_is_a_usage_error_before_any_request(
    hub: FakeHub, address: str, why: str
) -> None:
    result = check("acme/fine", address)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"licensecmp: error: {address!r} {why}: {HOW}\n"
    assert hub.requests == []


def test_an_address_never_shows_credentials(hub: FakeHub) -> None:
    result = check("https://user:s3cret@github.com/acme/model")
    assert result.exit_code == 2
    assert "s3cret" not in result.stderr
    assert result.stderr.startswith("licensecmp: error: 'https://github.com/acme/model' is not")


def test_an_unreadable_licence_file_beside_a_known_card_is_reviewed(hub: FakeHub) -> None:
    """The card says MIT, but the LICENSE the repository lists cannot be read: it may carry
    other terms, so the model is not allowed unseen (gating alone is only a note)."""
    sha = hub.add_model("acme/m", card_data={"license": "mit"}, files={"LICENSE": _mit_text()})
    path = resolve_path("acme/m", sha, "LICENSE")
    hub.fail(path, 404, times=None, headers={"X-Error-Code": "RepoNotFound"})
    doc = one(check("--format", "json", "acme/m"))
    assert doc["verdict"] == "review"
    assert [(f["severity"], f["code"]) for f in doc["findings"]] == [
        ("review", "license-file-unreadable")
    ]
