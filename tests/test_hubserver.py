"""The fake Hub answers the way the real ``huggingface_hub`` 2.4.0 client needs.

Every test drives the real client over real HTTP against ``tests/hubserver.py``.
"""

from __future__ import annotations

import os

# Read by huggingface_hub at import time: set before the first import when run on its own.
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from huggingface_hub import HfApi, hf_hub_download, snapshot_download
from huggingface_hub.errors import (
    BadRequestError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import httpx  # type: ignore[attr-defined]

from tests.hubserver import FakeHub, start_hub

LLAMA_CARD: dict[str, Any] = {
    "language": ["en", "de"],
    "library_name": "transformers",
    "license": "llama3.1",
    "base_model": "meta-llama/Llama-3.1-8B",
    "pipeline_tag": "text-generation",
    "tags": ["facebook", "meta", "llama-3"],
    "extra_gated_prompt": "### LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n\nLlama 3.1 Version ...",
    "extra_gated_fields": {"First Name": "text", "Country": "country", "geo": "ip_location"},
}
LICENSE_TEXT = (
    b"LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n"
)
INSTRUCT = "meta-llama/Llama-3.1-8B-Instruct"
BASE = "meta-llama/Llama-3.1-8B"
QWEN = "Qwen/Qwen2.5-7B-Instruct"


@pytest.fixture(autouse=True)
def hf_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    server = start_hub()
    server.add_model(
        INSTRUCT,
        card_data=LLAMA_CARD,
        gated="manual",
        files={"LICENSE": LICENSE_TEXT, "USE_POLICY.md": b"# Llama 3.1 Acceptable Use Policy\n"},
        downloads=5_000_000,
    )
    server.add_model(
        BASE,
        card_data={"license": "llama3.1", "library_name": "transformers"},
        sha="d04e592bb4f6aa9cfee91e2e20afa771667e1d4b",
        files={"LICENSE": LICENSE_TEXT},
        downloads=900_000,
    )
    server.add_model(
        QWEN,
        card_data={
            "license": "apache-2.0",
            "license_link": "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/LICENSE",
            "base_model": "Qwen/Qwen2.5-7B",
        },
        files={"LICENSE": b"Apache License\nVersion 2.0, January 2004\n"},
        downloads=2_000_000,
    )
    yield server
    server.stop()


@pytest.fixture
def api(hub: FakeHub) -> HfApi:
    return HfApi(endpoint=hub.url, token=False)


def _raw(hub: FakeHub, path: str, method: str = "GET", **headers: str) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(hub.url + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# -- model_info -------------------------------------------------------------------------


def test_model_info_default(hub: FakeHub, api: HfApi) -> None:
    info = api.model_info(INSTRUCT)
    assert info.id == INSTRUCT
    assert info.author == "meta-llama"
    assert info.card_data is not None
    assert info.card_data.license == "llama3.1"
    assert info.card_data.base_model == BASE
    assert info.card_data.get("extra_gated_prompt", "").startswith("### LLAMA 3.1")
    assert info.tags is not None
    assert "license:llama3.1" in info.tags
    assert f"base_model:{BASE}" in info.tags
    assert f"base_model:finetune:{BASE}" in info.tags
    assert info.tags[:3] == ["facebook", "meta", "llama-3"]
    assert info.gated == "manual"
    assert info.sha == hashlib.sha1(INSTRUCT.encode()).hexdigest()
    assert info.siblings is not None
    assert [s.rfilename for s in info.siblings] == ["LICENSE", "README.md", "USE_POLICY.md"]
    assert info.base_models is None  # only with expand
    assert info.downloads == 5_000_000
    assert info.created_at is not None and info.created_at.tzinfo is not None
    assert info.last_modified is not None
    assert info.pipeline_tag == "text-generation"
    assert getattr(info, "_id", None) is not None
    assert getattr(info, "modelId", None) == INSTRUCT

    _, _, body = _raw(hub, f"/api/models/{INSTRUCT}")
    keys = list(json.loads(body))
    assert keys[:6] == ["_id", "id", "private", "pipeline_tag", "library_name", "tags"]
    assert keys.index("cardData") < keys.index("siblings") < keys.index("createdAt")
    assert "baseModels" not in keys and "downloadsAllTime" not in keys


def test_model_info_expand(hub: FakeHub, api: HfApi) -> None:
    expand: Any = ["cardData", "gated", "sha", "siblings", "baseModels", "tags"]
    info = api.model_info(INSTRUCT, expand=expand)
    assert info.card_data is not None and info.card_data.license == "llama3.1"
    assert info.gated == "manual"
    assert info.sha == hashlib.sha1(INSTRUCT.encode()).hexdigest()
    assert info.siblings is not None and len(info.siblings) == 3
    # Typed `list[str] | None` by the library, but the Hub (and this fake) send a dict.
    base_models: Any = info.base_models
    assert base_models == {"relation": "finetune", "models": [{"id": BASE}]}
    assert info.tags is not None and "license:llama3.1" in info.tags
    # Nothing else comes back.
    assert info.downloads is None and info.author is None and info.created_at is None
    assert hub.requests[-1].path == (
        f"/api/models/{INSTRUCT}?expand=cardData&expand=gated&expand=sha"
        "&expand=siblings&expand=baseModels&expand=tags"
    )
    _, _, body = _raw(hub, f"/api/models/{INSTRUCT}?expand=sha&expand=gated")
    assert list(json.loads(body)) == ["_id", "id", "sha", "gated"]

    base = api.model_info(BASE, expand=["childrenModelCount", "baseModels"])
    assert base.children_model_count == 1
    assert base.base_models is None


def test_model_info_expand_config_and_gguf(hub: FakeHub, api: HfApi) -> None:
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama"}
    gguf = {"total": 8030261312, "architecture": "llama", "general.basename": "Llama-3.1"}
    hub.add_model("acme/q4-GGUF", card_data={"license": "mit"}, config=config, gguf=gguf)
    info = api.model_info("acme/q4-GGUF", expand=["config", "gguf", "sha"])
    assert info.config == config
    assert info.gguf == gguf
    assert info.card_data is None  # not asked for
    plain = api.model_info("acme/q4-GGUF", expand=["sha"])
    assert plain.config is None and plain.gguf is None
    assert api.model_info(INSTRUCT, expand=["config", "gguf"]).gguf is None  # not a GGUF repo


def test_model_info_expand_unknown_property_is_bad_request(api: HfApi) -> None:
    with pytest.raises(BadRequestError):
        api.model_info(INSTRUCT, expand=["licence"])  # type: ignore[list-item]


def test_model_info_files_metadata(api: HfApi) -> None:
    info = api.model_info(BASE, files_metadata=True)
    assert info.siblings is not None
    lic = next(s for s in info.siblings if s.rfilename == "LICENSE")
    assert lic.size == len(LICENSE_TEXT)
    assert lic.blob_id == hashlib.sha1(b"blob %d\0" % len(LICENSE_TEXT) + LICENSE_TEXT).hexdigest()


def test_revision(hub: FakeHub, api: HfApi) -> None:
    sha = "d04e592bb4f6aa9cfee91e2e20afa771667e1d4b"
    assert api.model_info(BASE, revision=sha).sha == sha
    assert api.model_info(BASE, revision="main").sha == sha
    with pytest.raises(RevisionNotFoundError):
        api.model_info(BASE, revision="refs/pr/1")
    assert hub.requests[-1].path == f"/api/models/{BASE}/revision/refs%2Fpr%2F1"


def test_card_readme_front_matter(hub: FakeHub, tmp_path: Path) -> None:
    path = hf_hub_download(QWEN, "README.md", endpoint=hub.url, cache_dir=tmp_path, token=False)
    text = Path(path).read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert yaml.safe_load(front) == {
        "license": "apache-2.0",
        "license_link": "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/LICENSE",
        "base_model": "Qwen/Qwen2.5-7B",
    }
    hub.add_model("x/card", card_data=LLAMA_CARD)
    path = hf_hub_download("x/card", "README.md", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert yaml.safe_load(Path(path).read_text(encoding="utf-8").split("---\n")[1]) == LLAMA_CARD


def test_tree_listing_and_snapshot_download(hub: FakeHub, api: HfApi, tmp_path: Path) -> None:
    """`list_repo_tree` and `snapshot_download` (which lists the tree, then downloads each
    file pinned to the commit into the cache layout `scan --cache` reads)."""
    sha = hub.add_model(
        "x/tree",
        card_data={"license": "mit"},
        files={"config.json": b"{}", "onnx/model.onnx": b"onnx", "onnx/sub/extra.txt": b"e"},
    )
    top = [(type(f).__name__, f.path) for f in api.list_repo_tree("x/tree")]
    assert top == [("RepoFile", "README.md"), ("RepoFile", "config.json"), ("RepoFolder", "onnx")]
    deep = [f.path for f in api.list_repo_tree("x/tree", recursive=True, revision=sha)]
    assert deep == [
        "README.md",
        "config.json",
        "onnx",
        "onnx/model.onnx",
        "onnx/sub",
        "onnx/sub/extra.txt",
    ]
    assert [f.path for f in api.list_repo_tree("x/tree", "onnx")] == ["onnx/model.onnx", "onnx/sub"]
    with pytest.raises(RevisionNotFoundError):
        list(api.list_repo_tree("x/tree", revision="refs/pr/1"))

    folder = Path(snapshot_download("x/tree", cache_dir=tmp_path, endpoint=hub.url, token=False))
    assert folder == tmp_path / "models--x--tree" / "snapshots" / sha
    assert (folder / "onnx" / "sub" / "extra.txt").read_bytes() == b"e"
    assert (tmp_path / "models--x--tree" / "refs" / "main").read_text() == sha


# -- access control ---------------------------------------------------------------------


def test_gated_repo(hub: FakeHub, api: HfApi, tmp_path: Path) -> None:
    assert api.model_info(INSTRUCT).gated == "manual"  # metadata stays public

    with pytest.raises(GatedRepoError) as anonymous:
        hf_hub_download(INSTRUCT, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert anonymous.value.response.status_code == 401

    with pytest.raises(GatedRepoError) as refused:
        hf_hub_download(INSTRUCT, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token="hf_no")
    assert refused.value.response.status_code == 403
    assert "not in the authorized list" in str(refused.value)

    hub.accepted_tokens.add("hf_yes")
    path = hf_hub_download(
        INSTRUCT, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token="hf_yes"
    )
    assert Path(path).read_bytes() == LICENSE_TEXT
    auth = [r.headers.get("authorization") for r in hub.requests if "/resolve/" in r.path]
    assert auth == [None, "Bearer hf_no", "Bearer hf_yes", "Bearer hf_yes"]  # HEAD,HEAD,HEAD+GET


@pytest.mark.parametrize("token", [None, "hf_someone"])
@pytest.mark.parametrize("kind", ["private", "missing"])
def test_private_and_missing_are_repository_not_found(
    hub: FakeHub, tmp_path: Path, token: str | None, kind: str
) -> None:
    hub.add_model("acme/secret", private=True, files={"LICENSE": b"secret"})
    repo_id = "acme/secret" if kind == "private" else "acme/nothing-here"
    api = HfApi(endpoint=hub.url, token=token or False)
    with pytest.raises(RepositoryNotFoundError) as info_error:
        api.model_info(repo_id)
    assert not isinstance(info_error.value, GatedRepoError)
    assert info_error.value.response.status_code == (401 if token is None else 404)
    with pytest.raises(RepositoryNotFoundError) as file_error:
        hf_hub_download(
            repo_id, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=token or False
        )
    assert not isinstance(file_error.value, GatedRepoError)


def test_private_repo_visible_to_accepted_token(hub: FakeHub) -> None:
    hub.add_model("acme/secret", private=True)
    hub.accepted_tokens.add("hf_owner")
    assert HfApi(endpoint=hub.url, token="hf_owner").model_info("acme/secret").private is True


def test_disabled_repo(hub: FakeHub, api: HfApi, tmp_path: Path) -> None:
    hub.add_model("acme/taken-down", disabled=True, files={"LICENSE": b"x"})
    with pytest.raises(DisabledRepoError):
        api.model_info("acme/taken-down")
    # A download does not re-raise it: it ends as "not in the local cache".
    with pytest.raises(LocalEntryNotFoundError) as error:
        hf_hub_download(
            "acme/taken-down", "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False
        )
    assert isinstance(error.value.__cause__, DisabledRepoError)


def test_rename_redirects(hub: FakeHub, api: HfApi, tmp_path: Path) -> None:
    hub.rename(BASE, "meta-llama/Llama-3.1-8B-v2")
    assert api.model_info(BASE).id == "meta-llama/Llama-3.1-8B-v2"
    assert [r.path for r in hub.requests][-2:] == [
        f"/api/models/{BASE}",
        "/api/models/meta-llama/Llama-3.1-8B-v2",
    ]
    assert api.model_info(BASE, revision="main").id == "meta-llama/Llama-3.1-8B-v2"
    path = hf_hub_download(BASE, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert Path(path).read_bytes() == LICENSE_TEXT
    assert "models--meta-llama--Llama-3.1-8B" in path  # the cache keeps the old id


def test_no_token_leaks_with_token_false(hub: FakeHub, api: HfApi, tmp_path: Path) -> None:
    api.model_info(QWEN)
    list(api.list_models(search="Qwen"))
    hf_hub_download(QWEN, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert len(hub.requests) == 4
    assert all("authorization" not in r.headers for r in hub.requests)
    assert all("hf_hub/2.4.0" in r.headers["user-agent"] for r in hub.requests)


# -- injected failures ------------------------------------------------------------------


def test_rate_limited_model_info_is_not_retried(hub: FakeHub, api: HfApi) -> None:
    hub.fail(f"/api/models/{QWEN}", 429, headers={"RateLimit": '"api";r=0;t=1', "Retry-After": "1"})
    with pytest.raises(HfHubHTTPError) as error:
        api.model_info(QWEN)
    assert not isinstance(error.value, RepositoryNotFoundError)
    assert error.value.response.status_code == 429
    assert "rate limit" in str(error.value)
    assert hub.count(f"/api/models/{QWEN}") == 1
    assert api.model_info(QWEN).id == QWEN  # the failure was used up


def test_server_error(hub: FakeHub, api: HfApi) -> None:
    hub.fail("/api/models/", 500, times=2)
    for _ in range(2):
        with pytest.raises(HfHubHTTPError) as error:
            api.model_info(QWEN)
        assert error.value.response.status_code == 500
    assert api.model_info(QWEN).id == QWEN


def test_malformed_json(hub: FakeHub, api: HfApi) -> None:
    hub.malformed(f"/api/models/{QWEN}", times=1)
    with pytest.raises(json.JSONDecodeError):
        api.model_info(QWEN)
    assert api.model_info(QWEN).id == QWEN


def test_stall_times_out(hub: FakeHub, api: HfApi) -> None:
    hub.stall(f"/api/models/{QWEN}", 3.0)
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException) as error:
        api.model_info(QWEN, timeout=0.3)
    assert type(error.value).__name__ == "ReadTimeout"
    assert time.monotonic() - started < 2.0
    assert api.model_info(QWEN, timeout=2).id == QWEN


def test_stop_is_prompt_with_a_stalled_answer() -> None:
    server = start_hub()
    server.add_model("a/b")
    server.stall("/api/models/a/b", 30.0)
    api = HfApi(endpoint=server.url, token=False)
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        api.model_info("a/b", timeout=0.2)
    server.stop()
    server.stop()  # idempotent
    assert time.monotonic() - started < 3.0


def test_delay_is_added_to_every_answer(hub: FakeHub, api: HfApi) -> None:
    hub.delay = 0.2
    started = time.monotonic()
    api.model_info(QWEN)
    assert time.monotonic() - started >= 0.2


# -- list_models ------------------------------------------------------------------------


def test_list_models_pagination(hub: FakeHub, api: HfApi) -> None:
    hub.page_size = 2
    for n in range(2):
        hub.add_model(f"acme/model-{n}", card_data={"license": "mit"})
    rows = list(api.list_models())
    assert [m.id for m in rows] == [INSTRUCT, BASE, QWEN, "acme/model-0", "acme/model-1"]
    pages = [
        r for r in hub.requests if r.path.startswith("/api/models?") or r.path == "/api/models"
    ]
    assert len(pages) == 3
    assert "cursor=" in pages[1].path
    # Default rows are thin: no card data, gate or files.
    assert rows[0].card_data is None and rows[0].gated is None and rows[0].siblings is None
    assert rows[0].tags is not None and "license:llama3.1" in rows[0].tags

    status, headers, body = _raw(hub, "/api/models")
    assert status == 200 and len(json.loads(body)) == 2
    assert headers["Link"].startswith(f"<{hub.url}/api/models?cursor=")
    assert headers["Link"].endswith('>; rel="next"')
    assert list(json.loads(body)[0]) == [
        "_id",
        "id",
        "likes",
        "trendingScore",
        "private",
        "downloads",
        "tags",
        "pipeline_tag",
        "library_name",
        "createdAt",
    ]


def test_list_models_limit_stops_paging(hub: FakeHub, api: HfApi) -> None:
    hub.page_size = 2
    assert len(list(api.list_models(limit=3))) == 3
    assert hub.count("/api/models?") == 2


def test_list_models_filters(hub: FakeHub, api: HfApi) -> None:
    hub.add_model("acme/hidden", private=True, card_data={"license": "llama3.1"})
    hub.add_model("acme/gone", disabled=True, card_data={"license": "llama3.1"})
    llama = [m.id for m in api.list_models(filter="license:llama3.1", sort="downloads")]
    assert llama == [INSTRUCT, BASE]
    both = api.list_models(filter=["license:llama3.1", f"base_model:finetune:{BASE}"])
    assert [m.id for m in both] == [INSTRUCT]
    assert [m.id for m in api.list_models(author="Qwen")] == [QWEN]
    assert [m.id for m in api.list_models(search="8b")] == [INSTRUCT, BASE]
    by_downloads = [m.id for m in api.list_models(sort="downloads")]
    assert by_downloads == [INSTRUCT, QWEN, BASE]
    assert [m.id for m in api.list_models(gated=True)] == [INSTRUCT]


def test_list_models_expand(api: HfApi) -> None:
    rows = list(api.list_models(filter="license:apache-2.0", expand=["cardData", "gated", "sha"]))
    assert len(rows) == 1
    assert rows[0].card_data is not None and rows[0].card_data.license == "apache-2.0"
    assert rows[0].gated is False
    assert rows[0].sha is not None and rows[0].downloads is None


def test_list_models_retries_rate_limit(hub: FakeHub, api: HfApi) -> None:
    hub.fail("/api/models?", 429, headers={"Retry-After": "0"})
    assert len(list(api.list_models(sort="downloads"))) == 3
    assert hub.count("/api/models?") == 2  # one 429, then the page


# -- downloads --------------------------------------------------------------------------


def test_download_license(hub: FakeHub, tmp_path: Path) -> None:
    path = hf_hub_download(QWEN, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert Path(path).read_bytes() == b"Apache License\nVersion 2.0, January 2004\n"
    sha = hashlib.sha1(QWEN.encode()).hexdigest()
    assert Path(path).parent.name == sha  # snapshots/<X-Repo-Commit>/LICENSE
    assert [r.method for r in hub.requests] == ["HEAD", "GET"]

    again = hf_hub_download(QWEN, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert again == path
    assert [r.method for r in hub.requests] == ["HEAD", "GET", "HEAD"]

    pinned = hf_hub_download(
        QWEN, "LICENSE", revision=sha, endpoint=hub.url, cache_dir=tmp_path, token=False
    )
    assert pinned == path
    assert len(hub.requests) == 3  # a cached commit needs no request at all


def test_download_falls_back_to_cache_on_server_error(hub: FakeHub, tmp_path: Path) -> None:
    path = hf_hub_download(BASE, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    hub.fail(f"/{BASE}/resolve/", 500)
    again = hf_hub_download(BASE, "LICENSE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert again == path  # silently stale: no error raised


def test_missing_file_is_entry_not_found(hub: FakeHub, tmp_path: Path) -> None:
    with pytest.raises(RemoteEntryNotFoundError) as error:
        hf_hub_download(QWEN, "NOTICE", endpoint=hub.url, cache_dir=tmp_path, token=False)
    assert isinstance(error.value, EntryNotFoundError)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(
            QWEN, "LICENSE", revision="v9", endpoint=hub.url, cache_dir=tmp_path, token=False
        )


def test_resolve_headers_and_ranges(hub: FakeHub) -> None:
    path = f"/{BASE}/resolve/main/LICENSE"
    status, headers, body = _raw(hub, path, method="HEAD")
    assert status == 200 and body == b""
    assert headers["X-Repo-Commit"] == "d04e592bb4f6aa9cfee91e2e20afa771667e1d4b"
    assert (
        headers["ETag"].strip('"')
        == hashlib.sha1(b"blob %d\0" % len(LICENSE_TEXT) + LICENSE_TEXT).hexdigest()
    )
    assert headers["Content-Length"] == str(len(LICENSE_TEXT))
    assert headers["Accept-Ranges"] == "bytes"

    status, headers, body = _raw(hub, path, Range="bytes=6-")
    assert status == 206 and body == LICENSE_TEXT[6:]
    assert headers["Content-Range"] == f"bytes 6-{len(LICENSE_TEXT) - 1}/{len(LICENSE_TEXT)}"
    status, _, body = _raw(hub, path, Range="bytes=0-4")
    assert status == 206 and body == b"LLAMA"
    status, _, _ = _raw(hub, path, Range="bytes=9999-")
    assert status == 416

    status, headers, _ = _raw(hub, f"/{BASE}/resolve/main/NOTICE")
    assert status == 404 and headers["X-Error-Code"] == "EntryNotFound"
    assert headers["X-Repo-Commit"] == "d04e592bb4f6aa9cfee91e2e20afa771667e1d4b"


def test_agent_harnesses_registry(hub: FakeHub) -> None:
    status, _, body = _raw(hub, "/api/agent-harnesses")
    assert status == 200
    assert json.loads(body) == {"standardEnvVars": [], "harnesses": {}}
