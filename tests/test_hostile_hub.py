"""A hostile or broken Hub, and an impatient user: every request bounded in time and memory,
nothing leaked, nothing lost, each failure one line and the documented exit code.

The real huggingface_hub client over real HTTP against the fake Hub (`tests/hubserver.py`),
which here drips, never ends, inflates, points its `Link` elsewhere, loops its redirects and
rate-limits every client together. No test asserts a timing; `bench/hostile_hub.py` measures.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
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
from licensecmp.service import identifier, open_catalogue
from licensecmp.snapshot import load
from tests.conftest import REPO
from tests.hubserver import FakeHub, resolve_path, start_hub

TOKEN = "hf_HostileTestTokenNeverSent0003"
LLAMA = "meta-llama/Llama-3.1-8B"
OVER_METADATA = "answer over the 8 MiB limit: not read"
OVER_FILE = "LICENSE could not be read: answer over the 1 MiB limit: not read"


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    server = start_hub()
    server.add_model(LLAMA, card_data={"license": "llama3.1"}, gated="manual")
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


@pytest.fixture(autouse=True)
def _catalogue_read_once(monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue) -> None:
    """Validate the bundled catalogue once per module, not per in-process CLI run."""
    real = service.open_catalogue

    def cached(override: Path | None = None) -> tuple[Catalogue, list[Any]]:
        return (catalogue, []) if override is None else real(override)

    monkeypatch.setattr(service, "open_catalogue", cached)


def run(*args: str) -> Result:
    """`licensecmp ARGS` in-process: never a traceback, stdout and stderr apart."""
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def docs(result: Result) -> dict[str, dict[str, Any]]:
    return {d["requested"]: d for d in map(json.loads, result.stdout.splitlines())}


def codes(doc: dict[str, Any]) -> list[str]:
    return [f["code"] for f in doc["findings"]]


def messages(doc: dict[str, Any], code: str) -> list[str]:
    return [f["message"] for f in doc["findings"] if f["code"] == code]


def info_path(repo_id: str) -> str:
    return f"/api/models/{repo_id}?"


def hub_checker(catalogue: Catalogue, hub: FakeHub, **settings: Any) -> Checker:
    options: dict[str, Any] = {"token": False, "timeout": 2.0, "backoff": 0.01, **settings}
    return Checker(catalogue, Hub(HubSettings(endpoint=hub.url, **options)), identify=identifier())


def listing_requests(hub: FakeHub, hub_id: str | None = None) -> list[Any]:
    wanted = f"filter=license%3A{hub_id}&" if hub_id else ""
    return [
        r for r in hub.requests.snapshot() if r.path.startswith("/api/models?") and wanted in r.path
    ]


# -- enrich: token, pagination, rate limits ------------------------------------------------


def test_enrich_sends_no_token_and_never_pages_to_another_host(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = start_hub()
    try:
        hub.next_link("/api/models?", f"{other.url}/api/models?cursor=stolen")
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        out = tmp_path / "snap.json"
        out.write_text("previous\n")
        result = run("enrich", "--top", "5", "-o", str(out))
        assert result.exit_code == 3
        host = other.url.removeprefix("http://")
        (line,) = result.stderr.splitlines()[-1:]
        assert line.startswith("licensecmp: error: license:")
        assert line.endswith(f": next page is on another host ({host}): not followed")
        assert other.requests.snapshot() == []  # not one request, so not the token either
        assert all("authorization" not in r.headers for r in hub.requests.snapshot())
        assert out.read_text() == "previous\n"
        assert TOKEN not in result.stdout + result.stderr
    finally:
        other.stop()


def test_enrich_stops_at_a_page_that_names_itself(hub: FakeHub, tmp_path: Path) -> None:
    hub.next_link("/api/models?")  # every page's "next" is the page itself
    out = tmp_path / "snap.json"
    result = run("enrich", "--top", "5", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert load(out).licenses["llama-3.1"].models == (LLAMA,)
    assert len(listing_requests(hub, "llama3.1")) == 1


def test_enrich_follows_at_most_twenty_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_hub(page_size=1)
    try:
        for i in range(25):
            server.add_model(f"acme/mit-{i:02}", card_data={"license": "mit"}, downloads=100 - i)
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        result = run("enrich", "--top", "100", "-o", str(tmp_path / "snap.json"))
        assert result.exit_code == 3
        assert result.stderr.splitlines()[-1] == (
            "licensecmp: error: license:mit: more than 20 pages of results: listing stopped"
        )
        assert len(listing_requests(server, "mit")) == 20
    finally:
        server.stop()


def test_enrich_does_not_wait_an_hour_for_a_rate_limit(hub: FakeHub, tmp_path: Path) -> None:
    hub.fail("/api/models?", 429, times=None, headers={"Retry-After": "3600"})
    result = run("enrich", "-o", str(tmp_path / "snap.json"))
    assert result.exit_code == 3
    last = result.stderr.splitlines()[-1]
    assert last.startswith("licensecmp: error: license:")
    assert last.endswith(
        ": rate limited by the Hub (429): it asks for a 3600 s wait, over the 60 s limit"
    )
    assert len(listing_requests(hub)) == 1


# -- slow answers: a wall clock per request and per run -------------------------------------


def test_dripped_metadata_is_cut_off_by_the_wall_clock(hub: FakeHub, catalogue: Catalogue) -> None:
    hub.add_model("acme/drip", card_data={"license": "mit"})
    hub.drip(info_path("acme/drip"), b'{"id": "acme/drip"}' * 20, 0.05)
    checker = hub_checker(catalogue, hub, timeout=0.5, attempts=1)
    (result,) = checker.check_many([("acme/drip", None)])
    assert result.error == "Hub did not answer in time"
    assert hub.count(info_path("acme/drip")) == 1


def test_dripped_license_file_leaves_the_model_undecided(
    hub: FakeHub, catalogue: Catalogue
) -> None:
    sha = hub.add_model("acme/other", card_data={"license": "other"}, files={"LICENSE": b"x"})
    hub.drip(resolve_path("acme/other", sha, "LICENSE"), b"MIT License\n" * 50, 0.05)
    checker = hub_checker(catalogue, hub, timeout=0.5, attempts=1)
    (result,) = checker.check_many([("acme/other", None)])
    assert result.error == "LICENSE could not be read: Hub did not answer in time"


def test_deadline_ends_the_run_and_the_rest_are_errors(hub: FakeHub) -> None:
    for name in ("acme/slow-a", "acme/slow-b"):
        hub.add_model(name, card_data={"license": "mit"})
        hub.drip(info_path(name), b" " * 1000, 0.1)
    result = run(
        "check", "--format", "json", "--concurrency", "1", "--timeout", "30",
        "--deadline", "1", "acme/slow-a", "acme/slow-b",
    )  # fmt: skip
    assert result.exit_code == 3
    found = docs(result)
    assert found["acme/slow-a"]["error"] == "Hub did not answer in time"
    assert found["acme/slow-b"]["error"] == "run deadline of 1 s reached"
    assert found["acme/slow-b"]["verdict"] is None
    assert hub.count(info_path("acme/slow-b")) == 0  # never asked: the run was over


def test_deadline_applies_to_snapshot_and_keeps_what_was_captured(
    hub: FakeHub, tmp_path: Path
) -> None:
    hub.add_model("acme/fine", card_data={"license": "mit"})
    for name in ("acme/slow-a", "acme/slow-b"):
        hub.add_model(name, card_data={"license": "mit"})
        hub.drip(info_path(name), b" " * 1000, 0.1)
    out = tmp_path / "snap.json"
    result = run(
        "snapshot", "--concurrency", "1", "--timeout", "30", "--deadline", "1.5", "-o", str(out),
        "acme/fine", "acme/slow-a", "acme/slow-b",
    )  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "acme/slow-a: not captured: Hub did not answer in time",
        "acme/slow-b: not captured: run deadline of 1.5 s reached",
        f"wrote {out}: 1 model(s)",
    ]
    assert list(load(out).models) == ["acme/fine"]


def test_deadline_applies_to_enrich(hub: FakeHub, tmp_path: Path) -> None:
    hub.drip("/api/models?", b" " * 1000, 0.1)
    result = run("enrich", "--deadline", "0.5", "-o", str(tmp_path / "s.json"))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1].endswith(": Hub did not answer in time")
    assert len(listing_requests(hub)) == 1


# -- bodies that never end, or explode ------------------------------------------------------

HOSTILE_BODIES = {
    "endless": lambda hub, path: hub.endless(path),
    "300MB-declared": lambda hub, path: hub.endless(path, size=300 * 2**20, declare=True),
    "300MB-undeclared": lambda hub, path: hub.endless(path, size=300 * 2**20),
    "gzip-bomb": lambda hub, path: hub.gzip_bomb(path, 64 * 2**20),
}


@pytest.mark.parametrize("kind", HOSTILE_BODIES)
def test_oversized_metadata_is_unreadable_in_one_line(hub: FakeHub, kind: str) -> None:
    hub.add_model("acme/huge", card_data={"license": "mit"})
    hub.add_model("acme/fine", card_data={"license": "mit"})
    HOSTILE_BODIES[kind](hub, info_path("acme/huge"))
    result = run("check", "--format", "json", "acme/huge", "acme/fine")
    assert result.exit_code == 3
    assert result.stderr == ""
    found = docs(result)
    assert found["acme/huge"]["error"] == OVER_METADATA
    assert found["acme/fine"]["verdict"] == "allow"  # the batch goes on
    assert hub.count(info_path("acme/huge")) == 1  # a size does not shrink on retry
    text = run("check", "acme/huge")
    assert text.stdout == f"acme/huge: ? Could not decide: {OVER_METADATA}\n"


@pytest.mark.parametrize("kind", HOSTILE_BODIES)
def test_oversized_license_file_is_a_review_finding(hub: FakeHub, kind: str) -> None:
    sha = hub.add_model("acme/other", card_data={"license": "other"}, files={"LICENSE": b"x"})
    HOSTILE_BODIES[kind](hub, resolve_path("acme/other", sha, "LICENSE"))
    result = run("check", "--format", "json", "acme/other")
    assert result.exit_code == 0
    doc = docs(result)["acme/other"]
    assert doc["verdict"] == "review"
    assert messages(doc, "license-file-unreadable") == [OVER_FILE]


# -- lineage: a card naming thousands of bases ----------------------------------------------


def test_three_thousand_base_models_are_capped(hub: FakeHub) -> None:
    bases = [{"id": f"acme/base-{i:04}"} for i in range(3000)]
    hub.add_model("acme/merge", card_data={"license": "mit"}, base_models={
        "relation": "merge", "models": bases,
    })  # fmt: skip
    result = run("check", "--format", "json", "acme/merge")
    assert result.exit_code == 0
    doc = docs(result)["acme/merge"]
    assert doc["verdict"] == "review"
    assert messages(doc, "lineage-capped") == [
        "acme/merge names 3,000 base models; only the first 16 were followed"
    ]
    assert hub.count("/api/models/acme/base-") == 16
    assert len(doc["lineage"]) == 17


def test_ancestors_per_check_are_capped(hub: FakeHub) -> None:
    parents = [f"acme/p{i:02}" for i in range(16)]
    for parent in parents:
        hub.add_model(parent, card_data={
            "license": "mit", "base_model": [f"{parent}-g{j:02}" for j in range(16)],
        })  # fmt: skip
    hub.add_model("acme/wide", card_data={"license": "mit", "base_model": parents})
    result = run("check", "--format", "json", "acme/wide")
    doc = docs(result)["acme/wide"]
    assert doc["verdict"] == "review"
    (capped,) = messages(doc, "lineage-capped")
    assert capped == (
        "more than 48 base models in the lineage; acme/p02-g00 and any after it were not followed"
    )
    assert hub.count("/api/models/acme/p") == 48


# -- rate limits shared by every worker ------------------------------------------------------


def test_one_backoff_for_all_workers_against_a_shared_quota(hub: FakeHub) -> None:
    models = [f"acme/m{i:02}" for i in range(40)]
    for name in models:
        hub.add_model(name, card_data={"license": "mit"})
    hub.quota(limit=10, window=1.0)
    result = run("check", "--format", "json", "--concurrency", "8", *models)
    assert result.exit_code == 0
    assert {d["verdict"] for d in docs(result).values()} == {"allow"}
    # Each window of 10 requests ends with the Hub saying r=0: every worker then waits for the
    # reset together, so only requests already in flight (at most 7 others) can meet a 429.
    windows = math.ceil(len(models) / 10)
    assert hub.rate_limited <= 7 * windows
    assert hub.count("/api/models/") == len(models) + hub.rate_limited


# -- redirects, credentials, card fields -----------------------------------------------------


def test_redirect_loop_is_one_line_and_the_batch_goes_on(hub: FakeHub) -> None:
    hub.add_model("acme/fine", card_data={"license": "mit"})
    hub.fail(
        info_path("acme/loop"), 307, times=None, headers={"Location": "/api/models/acme/loop?x=1"}
    )
    result = run("check", "--format", "json", "acme/loop", "acme/fine")
    assert result.exit_code == 3
    found = docs(result)
    assert found["acme/loop"]["error"] == "too many redirects (a redirect loop?)"
    assert found["acme/fine"]["verdict"] == "allow"
    text = run("check", "acme/loop")
    assert text.exit_code == 3
    assert text.stdout == "acme/loop: ? Could not decide: too many redirects (a redirect loop?)\n"


def test_endpoint_credentials_are_never_shown(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hub.add_model("acme/fine", card_data={"license": "mit"})
    hub.fail(
        info_path("acme/loop"), 307, times=None, headers={"Location": "/api/models/acme/loop?x=1"}
    )
    secret_url = hub.url.replace("http://", "http://licensecmp-user:s3cret-pass@")
    monkeypatch.setenv("HF_ENDPOINT", secret_url)
    ids = ["acme/fine", "acme/loop", "acme/missing"]
    outputs = [
        run("check", "--format", "json", *ids),
        run("check", *ids),
        run("check", "-o", str(tmp_path / "r.html"), *ids),
        run("check", "-o", str(tmp_path / "r.md"), *ids),
        run("snapshot", "-o", str(tmp_path / "s.json"), *ids),
        run("enrich", "--top", "2", "-o", str(tmp_path / "e.json")),
    ]
    shown = "".join(r.stdout + r.stderr for r in outputs)
    shown += "".join(p.read_text() for p in tmp_path.iterdir())
    assert "s3cret" not in shown and "licensecmp-user" not in shown
    assert docs(outputs[0])["acme/fine"]["source"] == f"hub {hub.url}"
    assert load(tmp_path / "s.json").endpoint == hub.url
    assert hub.url in (tmp_path / "r.html").read_text()
    assert any(r.headers.get("authorization", "").startswith("Basic ") for r in hub.requests)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (
            {"license": "mit", "extra_gated_eu_disallowed": "false"},
            'card field extra_gated_eu_disallowed should be true or false, not the string "false"'
            ": it was not read",
        ),
        (
            {"license": 5},
            "card field license should be a licence id or a list of them, not a number 5: it was"
            " not read",
        ),
        (
            {"license": "mit", "base_model": {"a": "b"}},
            "card field base_model should be a model id or a list of them, not a mapping: it was"
            " not read",
        ),
    ],
    ids=["eu-disallowed-string", "license-number", "base-model-mapping"],
)
def test_card_fields_of_the_wrong_type_are_findings(
    hub: FakeHub, card: dict[str, Any], message: str
) -> None:
    hub.add_model("acme/odd", card_data=card, gated="manual")
    result = run("check", "--format", "json", "acme/odd")
    assert result.exit_code == 0
    doc = docs(result)["acme/odd"]
    assert doc["verdict"] == "review"
    assert messages(doc, "card-field-invalid") == [message]
    assert "eu-disallowed" not in codes(doc)  # "false" is neither read as true nor as false
    assert len(doc["lineage"]) == 1


# -- fail closed: passing failures leave the model undecided ---------------------------------


def test_base_model_answering_503_leaves_the_model_undecided(hub: FakeHub) -> None:
    hub.add_model("acme/ft", card_data={"license": "apache-2.0", "base_model": LLAMA})
    hub.fail(info_path(LLAMA), 503, times=None)
    result = run("check", "--format", "json", "acme/ft")
    assert result.exit_code == 3
    doc = docs(result)["acme/ft"]
    assert doc["verdict"] is None
    assert doc["error"] == f"base model {LLAMA} could not be read: Hub error 503"


def test_missing_base_model_is_a_review_finding(hub: FakeHub) -> None:
    hub.add_model("acme/ft", card_data={"license": "apache-2.0", "base_model": "acme/gone"})
    result = run("check", "--format", "json", "acme/ft")
    assert result.exit_code == 0
    doc = docs(result)["acme/ft"]
    assert doc["verdict"] == "review"
    assert messages(doc, "base-model-unreadable") == [
        "base model acme/gone could not be read: model not found (or private: to read it, set "
        "HF_TOKEN or run `hf auth login`)"
    ]
    assert hub.count(info_path("acme/gone")) == 1


def test_license_file_answering_500_leaves_the_model_undecided(hub: FakeHub) -> None:
    sha = hub.add_model("acme/other", card_data={"license": "other"}, files={"LICENSE": b"x"})
    hub.fail(resolve_path("acme/other", sha, "LICENSE"), 500, times=None)
    result = run("check", "--format", "json", "acme/other")
    assert result.exit_code == 3
    assert docs(result)["acme/other"]["error"] == "LICENSE could not be read: Hub error 500"


# -- text for pipelines ---------------------------------------------------------------------


def test_text_is_in_input_order_with_a_summary_line(hub: FakeHub) -> None:
    hub.add_model("acme/slow", card_data={"license": "mit"})
    hub.add_model("acme/nc", card_data={"license": "cc-by-nc-4.0"})
    hub.add_model("acme/fast", card_data={"license": "mit"})
    hub.stall(info_path("acme/slow"), 0.5)  # finishes last, is printed first
    result = run("check", "--concurrency", "4", "acme/slow", "acme/missing", "acme/nc", "acme/fast")
    assert result.exit_code == 3
    heads = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert heads == [
        "acme/slow: ✓ Allow",
        "acme/missing: ? Could not decide: model not found (or private: to read it, set HF_TOKEN "
        "or run `hf auth login`)",
        "acme/nc: ✕ Deny",
        "acme/fast: ✓ Allow",
    ]
    assert result.stderr == (
        "4 model(s) checked against policy default: 2 allow, 0 review, 1 deny, "
        "1 could not be decided\n"
    )


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("r.html", "<!DOCTYPE html>"),
        ("r.md", "# "),
        ("r.json", '{"format_version":2,'),
        ("r.CDX.json", '{\n  "components": [\n    {\n      "bom-ref": "pkg:huggingface/acme/fine@'),
    ],
)
def test_output_format_follows_the_extension(
    hub: FakeHub, tmp_path: Path, name: str, start: str
) -> None:
    hub.add_model("acme/fine", card_data={"license": "mit"})
    result = run("check", "-o", str(tmp_path / name), "acme/fine")
    assert result.exit_code == 0
    assert (tmp_path / name).read_text().startswith(start)


def test_unknown_output_extension_is_a_usage_error(hub: FakeHub, tmp_path: Path) -> None:
    result = run("check", "-o", str(tmp_path / "r.pdf"), "acme/fine")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot tell the format of {tmp_path / 'r.pdf'} from its extension: name it "
        ".txt, .json, .md, .html or .cdx.json, or give --format"
    )
    assert hub.count("/api/") == 0
    assert not (tmp_path / "r.pdf").exists()


# -- Ctrl-C: a real process, a real SIGINT ---------------------------------------------------


def _spawn(hub: FakeHub, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "HF_ENDPOINT": hub.url, "PYTHONUNBUFFERED": "1"}
    env.pop("HF_TOKEN", None)
    return subprocess.Popen(
        [sys.executable, "-m", "licensecmp", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Any, what: str, limit: float = 60.0) -> None:
    """Wait for the child to reach a state (a guard against hanging, not a timing check)."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def _batch(hub: FakeHub, tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    fast = [f"acme/fast-{i}" for i in range(3)]
    slow = [f"acme/slow-{i:02}" for i in range(17)]
    for name in fast + slow:
        hub.add_model(name, card_data={"license": "mit"})
    for name in slow:
        hub.stall(info_path(name), 120)
    models = tmp_path / "models.txt"
    models.write_text("\n".join(fast + slow) + "\n")
    return models, fast, slow


def test_ctrl_c_keeps_finished_json_lines_and_cancels_the_queue(
    hub: FakeHub, tmp_path: Path
) -> None:
    models, fast, _ = _batch(hub, tmp_path)
    child = _spawn(
        hub, "check", "--from-file", str(models), "--format", "json", "--concurrency", "2"
    )
    try:
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in fast]  # the three quick ones are printed
        _wait_for(lambda: hub.count("/api/models/acme/slow-") == 2, "two stalled requests")
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130
    printed = [json.loads(line) for line in lines + out.splitlines()]
    assert sorted(d["requested"] for d in printed) == fast  # in the order they finished
    assert {d["verdict"] for d in printed} == {"allow"}
    assert err.splitlines() == [
        "licensecmp: 3 of 20 model(s) finished",
        "licensecmp: interrupted",
    ]
    assert hub.count("/api/models/acme/slow-") == 2  # queued models were never asked for


def test_ctrl_c_prints_finished_text_results_held_for_their_turn(
    hub: FakeHub, tmp_path: Path
) -> None:
    hub.add_model("acme/stuck", card_data={"license": "mit"})
    hub.add_model("acme/done", card_data={"license": "mit"})
    hub.stall(info_path("acme/stuck"), 120)
    child = _spawn(hub, "check", "--concurrency", "2", "acme/stuck", "acme/done")
    try:
        _wait_for(lambda: hub.count(info_path("acme/done")) == 1, "the second model asked for")
        time.sleep(1.0)  # let the child render it (held: the first model is not done)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130
    assert out.splitlines()[0] == "acme/done: ✓ Allow"
    assert "acme/stuck" not in out
    assert err.splitlines()[-1] == "licensecmp: interrupted"


def test_ctrl_c_during_snapshot_leaves_the_previous_file_whole(
    hub: FakeHub, tmp_path: Path
) -> None:
    models, _, _ = _batch(hub, tmp_path)
    out_file = tmp_path / "snap.json"
    out_file.write_text("previous snapshot\n")
    child = _spawn(
        hub, "snapshot", "--from-file", str(models), "-o", str(out_file), "--concurrency", "2"
    )
    try:
        _wait_for(lambda: hub.count("/api/models/acme/slow-") == 2, "two stalled requests")
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130
    assert err.splitlines()[-1] == "licensecmp: interrupted"
    assert "Traceback" not in err
    assert out_file.read_text() == "previous snapshot\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".snap")] == []
