"""`licensecmp scan DIR...` and `scan --cache [DIR]`: model folders on disk and the local
Hugging Face cache, read with no network. The cache is the layout huggingface_hub itself
writes, downloading from the fake Hub (`snapshot_download(cache_dir=…)`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from huggingface_hub import snapshot_download

from licensecmp import modelfolders, service
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.errors import UsageError
from licensecmp.folder import FolderSource
from licensecmp.service import open_catalogue
from tests.hubserver import FakeHub, model_card_readme, start_hub

LLAMA = "meta-llama/Llama-3.1-8B"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


@pytest.fixture(autouse=True)
def _catalogue_read_once(monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue) -> None:
    real = service.open_catalogue

    def cached(override: Path | None = None) -> tuple[Catalogue, list[Any]]:
        return (catalogue, []) if override is None else real(override)

    monkeypatch.setattr(service, "open_catalogue", cached)


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A Hub that must not be asked: a folder scan makes no request."""
    server = start_hub()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    yield server
    server.stop()


def scan(*args: str) -> Result:
    result = CliRunner().invoke(main, ["scan", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def heads(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if not line.startswith(" ")]


def docs(result: Result) -> dict[str, dict[str, Any]]:
    found = [json.loads(line) for line in result.stdout.splitlines()]
    return {d["requested"]: d for d in found}


def folder(path: Path, card: dict[str, Any] | None = None, **files: bytes) -> Path:
    path.mkdir(parents=True)
    if card is not None:
        (path / "README.md").write_bytes(model_card_readme(path.name, card))
    for name, data in files.items():
        (path / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (path / name.replace("__", "/")).write_bytes(data)
    return path


# -- the walk ---------------------------------------------------------------------------------


def test_the_walk_finds_model_folders_and_nothing_else(tmp_path: Path) -> None:
    root = tmp_path / "models"
    folder(root / "vendor", LICENSE=b"Acme model licence\n")
    folder(root / "llama-ft", {"license": "llama3.1"}, **{"config.json": b"{}"})
    folder(root / "llama-ft" / "text_encoder", **{"config.json": b"{}"})  # part of llama-ft
    folder(root / "quantised" / "q4", **{"model-q4.gguf": b"GGUF"})
    folder(root / "lora", **{"adapter_config.json": b"{}"})
    folder(root / "weights", **{"model.safetensors": b""})
    folder(root / "yolo", **{"best.pt": b""})  # a vendor's weights alone
    folder(root / "onnx", **{"model.onnx": b""})
    folder(root / "torch", **{"pytorch_model.bin": b""})
    folder(root / "data", **{"train.bin": b"", "notes.txt": b""})  # no model file
    folder(root / "licence", **{"Licence.md": b"x"})
    folder(root / ".hidden", **{"config.json": b"{}"})  # hidden: not walked
    folder(root / "empty" / "deeper")
    elsewhere = folder(tmp_path / "elsewhere" / "model", **{"config.json": b"{}"})
    (root / "link").symlink_to(elsewhere, target_is_directory=True)  # not followed
    (root / "README.md-dir").mkdir()  # a directory is no marker
    assert [f.path.relative_to(root).as_posix() for f in modelfolders.find(root)] == [
        "licence",
        "llama-ft",
        "lora",
        "onnx",
        "quantised/q4",
        "torch",
        "vendor",
        "weights",
        "yolo",
    ]
    assert all(f.problem is None for f in modelfolders.find(root))


def test_a_root_that_is_a_model_folder_is_one_model(tmp_path: Path) -> None:
    root = folder(tmp_path / "m", {"license": "mit"}, **{"sub__config.json": b"{}"})
    assert modelfolders.find(root) == [modelfolders.Found(root)]


def test_the_walk_is_bounded(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    folder(deep / "d", **{"config.json": b"{}"})
    folder(tmp_path / "a" / "shallow", **{"config.json": b"{}"})
    found = modelfolders.find(tmp_path, max_depth=2)
    assert found == [
        modelfolders.Found(
            tmp_path / "a" / "b" / "c", f"deeper than 2 levels below {tmp_path}: not walked"
        ),
        modelfolders.Found(tmp_path / "a" / "shallow"),
    ]
    stopped = modelfolders.find(tmp_path, max_dirs=2)
    assert stopped[0] == modelfolders.Found(
        tmp_path, "walk stopped after 2 directories: the rest not scanned"
    )


def test_a_root_that_is_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError) as caught:
        modelfolders.find(tmp_path / "file")
    assert str(caught.value) == f"{tmp_path / 'file'}: not a directory"
    with pytest.raises(UsageError) as caught:
        modelfolders.find(tmp_path / "nothing")
    assert str(caught.value) == f"{tmp_path / 'nothing'}: no such directory"


# -- scan DIR ---------------------------------------------------------------------------------


def test_scan_a_tree_of_folders_with_no_request(hub: FakeHub, tmp_path: Path) -> None:
    root = tmp_path / "models"
    folder(root / "a-plain", {"license": "mit"})
    folder(root / "b-nc", {"license": "cc-by-nc-4.0"})
    folder(root / "c-broken", {"license": "mit"}, **{"config.json": b"{ not json"})
    folder(root / "d-fine-tune", {"license": "apache-2.0", "base_model": LLAMA})
    os.mkfifo(folder(root / "e-fifo") / "README.md")  # never read, never waited on
    folder(root / "f-after", {"license": "apache-2.0"})
    result = scan(str(root))
    assert result.exit_code == 3
    assert heads(result) == [
        f"{root / 'a-plain'}: ✓ Allow",
        f"{root / 'b-nc'}: ✕ Deny",
        f"{root / 'c-broken'}: ? Could not decide: config.json:1:3: not JSON: Expecting "
        "property name enclosed in double quotes",
        f"{root / 'd-fine-tune'}: ◐ Review",
        f"{root / 'e-fifo'}: ? Could not decide: README.md: not a regular file (a FIFO)",
        f"{root / 'f-after'}: ✓ Allow",
    ]
    assert hub.requests.snapshot() == []
    assert result.stderr.splitlines()[0] == (
        "6 model(s) checked against policy default: 2 allow, 1 review, 1 deny, "
        "2 could not be decided"
    )


def test_json_names_each_folder_and_the_base_looked_up_in_the_cache(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "hf-cache"
    hub.add_model(LLAMA, card_data={"license": "llama3.1"})
    snapshot_download(LLAMA, cache_dir=cache, endpoint=hub.url, token=False)
    hub.requests.reset()
    root = tmp_path / "models"
    ft = folder(root / "ft", {"license": "apache-2.0", "base_model": LLAMA})
    result = scan(str(root), "--hf-cache", str(cache), "--format", "json")
    assert result.exit_code == 0
    doc = docs(result)[str(ft)]
    assert doc["model"] == str(ft)
    assert doc["verdict"] == "review"
    assert doc["licenses"] == ["apache-2.0", "llama-3.1"]
    assert [f["code"] for f in doc["findings"] if f["code"] == "base-terms-dropped"] == [
        "base-terms-dropped"
    ]
    assert hub.requests.snapshot() == []


def test_a_tree_with_no_model_folder_is_a_usage_error(hub: FakeHub, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("x")
    result = scan(str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"licensecmp: error: {tmp_path}: no model folder found (none holds config.json, "
        "README.md, adapter_config.json, a LICENSE file, or weights (.safetensors, .gguf, "
        "pytorch_model.bin, .pt, .pth, .ckpt, .onnx))\n"
    )
    missing = scan(str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert missing.stderr == f"licensecmp: error: {tmp_path / 'nowhere'}: no such directory\n"


# -- scan --cache: a real cache layout, written by huggingface_hub ----------------------------


def _cache(hub: FakeHub, cache: Path) -> dict[str, str]:
    """Llama 3.1, an apache-2.0 fine-tune of it, and a model in two revisions whose licence
    changed (mit, then cc-by-nc-4.0), all downloaded by huggingface_hub into `cache`."""
    commits = {}
    for repo_id, card in [
        (LLAMA, {"license": "llama3.1"}),
        ("acme/fine-tune", {"license": "apache-2.0", "base_model": LLAMA}),
        ("acme/changed", {"license": "mit"}),
    ]:
        commits[repo_id] = hub.add_model(repo_id, card_data=card, files={"config.json": b"{}"})
        snapshot_download(repo_id, cache_dir=cache, endpoint=hub.url, token=False)
    commits["acme/changed@new"] = hub.add_model(
        "acme/changed", card_data={"license": "cc-by-nc-4.0"}, sha="c" * 40
    )
    snapshot_download("acme/changed", cache_dir=cache, endpoint=hub.url, token=False)
    hub.requests.reset()
    return commits


def test_scan_the_cache_checks_every_revision_offline(hub: FakeHub, tmp_path: Path) -> None:
    cache = tmp_path / "hf-cache"
    commits = _cache(hub, cache)
    summary = tmp_path / "summary.json"
    result = scan("--cache", str(cache), "--format", "json", "--summary", str(summary))
    assert result.exit_code == 1
    # stdout is JSON lines only; the summary goes to stderr in every format.
    assert result.stderr.startswith("4 model(s) checked against policy default: ")
    assert hub.requests.snapshot() == []  # no network
    found = {(d["model"], d["revision"]): d for d in docs(result).values()}
    assert sorted(found) == sorted(
        [
            ("acme/changed", commits["acme/changed@new"]),  # main
            ("acme/changed", commits["acme/changed"]),  # the older, detached revision
            ("acme/fine-tune", commits["acme/fine-tune"]),
            (LLAMA, commits[LLAMA]),
        ]
    )
    for (repo_id, commit), doc in found.items():
        folder_name = "models--" + repo_id.replace("/", "--")
        assert doc["requested"] == str(cache / folder_name / "snapshots" / commit)
    assert found[("acme/changed", commits["acme/changed@new"])]["verdict"] == "deny"
    assert found[("acme/changed", commits["acme/changed@new"])]["licenses"] == ["cc-by-nc-4.0"]
    assert found[("acme/changed", commits["acme/changed"])]["verdict"] == "allow"
    assert found[("acme/changed", commits["acme/changed"])]["licenses"] == ["mit"]
    fine_tune = found[("acme/fine-tune", commits["acme/fine-tune"])]
    assert fine_tune["licenses"] == ["apache-2.0", "llama-3.1"]  # the base, from the cache
    assert fine_tune["lineage"][1]["revision"] == commits[LLAMA]
    dropped = json.loads(summary.read_text())["dropped_base_terms"]
    assert [(d["model"], d["base_model"], d["base_license"]) for d in dropped] == [
        ("acme/fine-tune", LLAMA, "llama-3.1")
    ]


def test_the_cache_in_text_order(hub: FakeHub, tmp_path: Path) -> None:
    cache = tmp_path / "hf-cache"
    _cache(hub, cache)
    result = scan("--cache", str(cache))
    assert result.exit_code == 1
    assert heads(result) == [
        "acme/changed: ✕ Deny",
        "acme/changed: ✓ Allow",
        "acme/fine-tune: ◐ Review",
        f"{LLAMA}: ◐ Review",
    ]


def test_the_default_cache_is_huggingface_hubs(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "hub-cache"
    hub.add_model("acme/plain", card_data={"license": "mit"})
    snapshot_download("acme/plain", cache_dir=cache, endpoint=hub.url, token=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    result = scan("--cache")
    assert result.exit_code == 0
    assert heads(result) == ["acme/plain: ✓ Allow"]


def test_a_damaged_cache_entry_never_stops_the_others(hub: FakeHub, tmp_path: Path) -> None:
    cache = tmp_path / "hf-cache"
    hub.add_model("acme/plain", card_data={"license": "mit"})
    snapshot_download("acme/plain", cache_dir=cache, endpoint=hub.url, token=False)
    (cache / "models--acme--damaged").mkdir()  # no snapshots/ inside
    result = scan("--cache", str(cache))
    assert result.exit_code == 3
    assert heads(result) == [
        "acme/plain: ✓ Allow",
        f"{cache}: ? Could not decide: Snapshots dir doesn't exist in cached repo: "
        f"{cache / 'models--acme--damaged' / 'snapshots'}",
    ]


def test_no_cache_there_is_a_usage_error(hub: FakeHub, tmp_path: Path) -> None:
    result = scan("--cache", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"licensecmp: error: {tmp_path / 'none'}: no Hugging Face cache there\n"
    )
    (tmp_path / "empty").mkdir()
    empty = scan("--cache", str(tmp_path / "empty"))
    assert empty.exit_code == 2
    assert empty.stderr == (
        f"licensecmp: error: {tmp_path / 'empty'}: the Hugging Face cache holds no model\n"
    )


def test_two_revisions_of_one_model_each_read_their_own_files(hub: FakeHub, tmp_path: Path) -> None:
    """A cache scan checks every revision at once: each must read its own README and LICENSE,
    and a base asked for without a revision is the one main points at."""
    cache = tmp_path / "hf-cache"
    commits = _cache(hub, cache)
    old, new = commits["acme/changed"], commits["acme/changed@new"]
    source = FolderSource(cache_dir=cache)
    snapshots = cache / "models--acme--changed" / "snapshots"
    source.add(snapshots / old)
    source.add(snapshots / new)
    assert 'license: "mit"' in source.file_text("acme/changed", "README.md", old)
    assert "cc-by-nc-4.0" in source.file_text("acme/changed", "README.md", new)
    assert source.model("acme/changed").sha == new
    assert source.model("acme/changed", old).sha == old


def test_online_looks_a_folders_base_up_on_the_hub(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model(LLAMA, card_data={"license": "llama3.1"})
    ft = folder(tmp_path / "models" / "ft", {"license": "apache-2.0", "base_model": LLAMA})
    offline = scan(str(tmp_path / "models"), "--format", "json")
    assert [f["code"] for f in docs(offline)[str(ft)]["findings"]][:1] == ["base-model-unreadable"]
    assert hub.requests.snapshot() == []
    online = scan(str(tmp_path / "models"), "--online", "--format", "json")
    assert docs(online)[str(ft)]["licenses"] == ["apache-2.0", "llama-3.1"]
    assert [r.path.split("?")[0] for r in hub.requests.snapshot()] == [f"/api/models/{LLAMA}"]


def test_folders_and_an_organisation_in_one_scan(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_model("acme/on-the-hub", card_data={"license": "mit"})
    local = folder(tmp_path / "models" / "local", {"license": "apache-2.0"})
    result = scan("--author", "acme", str(tmp_path / "models"))
    assert result.exit_code == 0
    assert heads(result) == [f"{local}: ✓ Allow", "acme/on-the-hub: ✓ Allow"]


def test_a_snapshot_cannot_list_the_hub(hub: FakeHub, tmp_path: Path) -> None:
    result = scan("--author", "acme", "--snapshot", str(tmp_path / "snap.json"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --snapshot is for folders' base models: it cannot list the Hub"
    )
    assert hub.requests.snapshot() == []
