"""Snapshots: `enrich` and `snapshot` against the fake Hub, then `check` offline."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp.cli import main
from licensecmp.service import open_catalogue
from licensecmp.snapshot import load
from tests.conftest import REPO
from tests.hubserver import FakeHub, start_hub

LLAMA = "meta-llama/Llama-3.1-8B"
HOSTILE = "evil/<script>alert(1)</script>"
UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    server = start_hub(page_size=2)
    server.add_model(LLAMA, card_data={"license": "llama3.1"}, gated="manual", downloads=900)
    server.add_model(
        "acme/ft-a", card_data={"license": "llama3.1", "base_model": LLAMA}, downloads=300
    )
    server.add_model(
        "acme/ft-b", card_data={"license": "llama3.1", "base_model": LLAMA}, downloads=200
    )
    server.add_model(
        "acme/apache-ft", card_data={"license": "apache-2.0", "base_model": LLAMA}, downloads=100
    )
    server.add_model("deepseek-ai/DeepSeek-R1", card_data={"license": "mit"}, downloads=1000)
    server.add_model(
        HOSTILE, card_data={"license": "mit", "license_name": '"><img src=x>'}, downloads=5
    )
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    yield server
    server.stop()


def _list_requests(hub: FakeHub) -> list[str]:
    return [r.path for r in hub.requests.snapshot() if r.path.startswith("/api/models?")]


def test_enrich_lists_each_hub_licence_id_once_and_follows_pagination(
    runner: CliRunner, hub: FakeHub, tmp_path: Path
) -> None:
    out = tmp_path / "snap.json"
    result = runner.invoke(main, ["enrich", "--top", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    snap = load(out)
    llama = snap.licenses["llama-3.1"]
    assert llama.models == (LLAMA, "acme/ft-a", "acme/ft-b")  # most downloaded first
    assert (llama.listed, llama.gated, llama.derivatives) == (3, 1, 2)
    assert snap.licenses["apache-2.0"].derivatives == 1
    assert snap.licenses["openmdw-1.0"].listed == 0  # a licence id with no models
    paths = _list_requests(hub)
    assert any("license%3Allama3.1" in p or "license:llama3.1" in p for p in paths)
    first_pages = [p for p in paths if "cursor" not in p]
    catalogue, _ = open_catalogue(REPO / "licenses")
    hub_ids = {hub_id for lic in catalogue for hub_id in lic.hub_license_ids}
    assert len(first_pages) == len(set(first_pages)) == len(hub_ids)  # one listing per Hub id
    assert len(paths) == len(hub_ids) + 1  # llama3.1's 3 models span two pages of 2 (Link: next)


def test_enrich_honours_rate_limits(runner: CliRunner, hub: FakeHub, tmp_path: Path) -> None:
    hub.fail(
        "/api/models?", 429, times=1, headers={"Retry-After": "0", "RateLimit": '"api";r=0;t=0'}
    )
    result = runner.invoke(main, ["enrich", "--top", "2", "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert load(tmp_path / "s.json").licenses["mit"].listed == 2


def test_failed_page_midway_keeps_the_previous_snapshot_whole(
    runner: CliRunner, hub: FakeHub, tmp_path: Path
) -> None:
    out = tmp_path / "snap.json"
    assert runner.invoke(main, ["enrich", "--top", "5", "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    hub.fail("/api/models?", 403, times=None)  # every page, the second page of llama3.1 too
    result = runner.invoke(main, ["enrich", "--top", "5", "-o", str(out)])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["snap.json"]  # no temp file left behind


def test_snapshot_then_offline_check_gives_the_same_verdict(
    runner: CliRunner, hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snap_file = tmp_path / "air-gap.json"
    models = ["acme/apache-ft", "deepseek-ai/DeepSeek-R1"]
    captured = runner.invoke(main, ["snapshot", *models, "-o", str(snap_file)])
    assert captured.exit_code == 0, captured.output
    assert set(load(snap_file).models) == {*models, LLAMA}  # base models come along
    live = runner.invoke(main, ["check", "--format", "json", *models])
    requests_before = len(hub.requests.snapshot())

    monkeypatch.setenv("HF_ENDPOINT", UNREACHABLE)
    offline = runner.invoke(
        main, ["check", "--snapshot", str(snap_file), "--format", "json", *models]
    )
    assert len(hub.requests.snapshot()) == requests_before  # not one request
    assert offline.exit_code == live.exit_code
    by_model = {d["model"]: d for d in map(json.loads, offline.stdout.splitlines())}
    live_by_model = {d["model"]: d for d in map(json.loads, live.stdout.splitlines())}
    for model in models:
        assert by_model[model]["verdict"] == live_by_model[model]["verdict"]
        assert by_model[model]["licenses"] == live_by_model[model]["licenses"]
        assert by_model[model]["source"].startswith(f"snapshot {snap_file} (taken ")
    assert by_model["acme/apache-ft"]["licenses"] == ["apache-2.0", "llama-3.1"]


def test_model_missing_from_snapshot_is_exit_3_naming_the_snapshot_and_date(
    runner: CliRunner, hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snap_file = tmp_path / "s.json"
    assert runner.invoke(main, ["snapshot", LLAMA, "-o", str(snap_file)]).exit_code == 0
    monkeypatch.setenv("HF_ENDPOINT", UNREACHABLE)
    result = runner.invoke(main, ["check", "--snapshot", str(snap_file), "other/model"])
    assert result.exit_code == 3
    date = load(snap_file).date
    assert f"other/model: ? Could not decide: not in snapshot {snap_file} (taken {date})" in (
        result.stdout
    )


def test_invalid_snapshot_is_reported_with_its_place(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n "format": "licensecmp-snapshot",\n "format_version": 2\n}\n')
    result = runner.invoke(main, ["check", "--snapshot", str(bad), "a/b"])
    assert result.exit_code == 3
    assert f"{bad}:3:20: 1 was expected [$.format_version]" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ')
    result = runner.invoke(main, ["check", "--snapshot", str(broken), "a/b"])
    assert result.exit_code == 3
    assert f"{broken}:1:12: not a JSON snapshot" in result.stderr
    assert "Traceback" not in result.output


def test_invalid_model_id_is_its_own_error(runner: CliRunner, hub: FakeHub) -> None:
    result = runner.invoke(main, ["check", HOSTILE])
    assert result.exit_code == 3
    assert result.stdout == f"{HOSTILE}: ? Could not decide: not a valid Hub model id\n"


def test_snapshot_takes_a_hub_address_as_check_does(
    runner: CliRunner, hub: FakeHub, tmp_path: Path
) -> None:
    out = tmp_path / "s.json"
    result = runner.invoke(
        main, ["snapshot", "https://huggingface.co/deepseek-ai/DeepSeek-R1/", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "deepseek-ai/DeepSeek-R1" in load(out).models
    offline = runner.invoke(
        main,
        ["check", "--snapshot", str(out), "--format", "json", "hf.co/deepseek-ai/DeepSeek-R1"],
    )
    assert offline.exit_code == 0, offline.output
    assert json.loads(offline.stdout)["model"] == "deepseek-ai/DeepSeek-R1"
    refused = runner.invoke(main, ["snapshot", "https://github.com/a/b", "-o", str(out)])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("licensecmp: error: 'https://github.com/a/b' is not a ")


def test_snapshot_of_unreachable_models_saves_the_rest(
    runner: CliRunner, hub: FakeHub, tmp_path: Path
) -> None:
    out = tmp_path / "s.json"
    result = runner.invoke(
        main, ["snapshot", "deepseek-ai/DeepSeek-R1", "gone/model", "-o", str(out)]
    )
    assert result.exit_code == 3
    assert (
        "gone/model: not captured: model not found (or private: to read it, set HF_TOKEN or "
        "run `hf auth login`)" in result.stderr
    )
    assert set(load(out).models) == {"deepseek-ai/DeepSeek-R1"}


def test_offline_check_renders_one_html_page_for_all_models(
    runner: CliRunner, hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snap_file = tmp_path / "s.json"
    models = ["acme/apache-ft", "deepseek-ai/DeepSeek-R1"]
    assert runner.invoke(main, ["snapshot", *models, "-o", str(snap_file)]).exit_code == 0
    monkeypatch.setenv("HF_ENDPOINT", UNREACHABLE)
    page = tmp_path / "check.html"
    args = ["check", "--snapshot", str(snap_file), "--format", "html", "-o", str(page), *models]
    result = runner.invoke(main, [*args, "--date", "2031-02-03"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    html = page.read_text()
    # it opens with the overview, says when it ran (pinned) and which facts were assumed
    assert html.index('id="overview"') < html.index('class="model"')
    assert "checked 2031-02-03" in html
    assert "<dt>Monthly active users (all products)</dt><dd>unknown</dd>" in html
    assert runner.invoke(main, args).exit_code == 0  # unpinned: the time it ran, in UTC
    assert re.search(r"checked \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", page.read_text())
    assert html.index("acme/apache-ft") < html.index("deepseek-ai/DeepSeek-R1")
    assert "whose terms still apply" in html  # base-terms-dropped, in words
    assert "Content-Security-Policy" in html
