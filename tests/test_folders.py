"""`licensecmp check PATH`: model folders on disk, made at test time, checked with no network.

Bases a folder names are looked up in a real Hugging Face cache, written by `huggingface_hub`
itself (`hf_hub_download`) from the fake Hub in `tests/hubserver.py`; the fake Hub's request
log proves that a folder check asks nothing unless `--online` allows it. GGUF files are written
with the `gguf` package's own writer (llama.cpp's gguf-py), hostile ones byte by byte.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gguf
import pytest
from click.testing import CliRunner, Result
from huggingface_hub import hf_hub_download

from licensecmp import service
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.folder import FolderSource, read_folder
from licensecmp.model import BaseModelRef
from licensecmp.service import open_catalogue
from tests.hubserver import FakeHub, start_hub
from tests.test_check_hub import _mit_text

LLAMA = "meta-llama/Llama-3.1-8B"
LLAMA_CARD = {"license": "llama3.1", "library_name": "transformers"}
OFFLINE = (
    "not in the local Hugging Face cache, and not looked up on the Hub (a folder check makes "
    "no request): rerun with --online, or --snapshot FILE from `licensecmp snapshot`"
)
NO_NETWORK = "folder (bases looked up in the local Hugging Face cache; no network)"


# -- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """The fake Hub holding the Llama base; HF_ENDPOINT points at it, so any request a folder
    check made would be counted here."""
    server = start_hub()
    server.add_model(LLAMA, card_data=LLAMA_CARD)
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield server
    server.stop()


@pytest.fixture
def cache(hub: FakeHub, tmp_path: Path) -> Path:
    """A Hugging Face cache holding the Llama base, written by huggingface_hub downloading it
    from the fake Hub; the requests that took are forgotten."""
    root = tmp_path / "hf-cache"
    hf_hub_download(LLAMA, "README.md", endpoint=hub.url, cache_dir=root, token=False)
    hub.requests.reset()
    return root


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


def check(*args: str) -> Result:
    """`licensecmp check ARGS`, in-process; never a traceback, stdout and stderr kept apart."""
    result = CliRunner().invoke(main, ["check", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def one(result: Result) -> dict[str, Any]:
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    doc: dict[str, Any] = json.loads(lines[0])
    return doc


def findings(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(f["severity"], f["code"], f["message"]) for f in doc["findings"]]


def folder(root: Path, name: str, files: dict[str, str | bytes]) -> Path:
    path = root / name
    path.mkdir(parents=True)
    for rel, data in files.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    return path


def card(front: str, prose: str = "") -> str:
    return f"---\n{front}---\n{prose}"


def write_gguf(path: Path, arch: str, fields: dict[str, str]) -> None:
    """A real GGUF file, written by llama.cpp's own writer (the `gguf` package)."""
    writer = gguf.GGUFWriter(str(path), arch)
    for key, value in fields.items():
        writer.add_string(key, value)
    writer.add_token_list([f"<tok{i}>" for i in range(2000)])  # skipped, as a vocabulary is
    writer.add_context_length(8192)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


# -- the four folders of the issue --------------------------------------------------------------


def test_llama_fine_tune_without_base_model_asks_for_review(hub: FakeHub, tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        "acme-llama3.1-support",
        {
            "README.md": card(
                "license: mit\ntags: [text-generation]\n",
                "# Acme support model\n\nThis model is fine-tuned from Llama-3.1-8B on our "
                "support tickets.\n",
            ),
            "config.json": json.dumps(
                {"model_type": "llama", "architectures": ["LlamaForCausalLM"]}
            ),
            "model.safetensors": b"\0" * 16,
        },
    )
    result = check(str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = one(result)
    assert (doc["model"], doc["requested"], doc["revision"]) == (str(path), str(path), None)
    assert (doc["declared_license"], doc["licenses"], doc["verdict"]) == ("mit", ["mit"], "review")
    assert doc["source"] == NO_NETWORK
    assert findings(doc) == [
        (
            "review",
            "suspected-undeclared-base",
            f"{path} declares mit and does not name Llama 3.1 as its base, but 4 signal(s) "
            'point to it (under llama-3.1): name: "acme-llama3.1"; card prose: "fine-tuned '
            'from Llama-3.1-8B"; config.json: model_type = "llama"; config.json: '
            'architectures = "LlamaForCausalLM"',
        )
    ]
    assert hub.count() == 0, "a folder check makes no request"


def test_gguf_file_declares_licence_and_base(hub: FakeHub, tmp_path: Path) -> None:
    path = tmp_path / "acme-chat-gguf"
    path.mkdir()
    write_gguf(
        path / "acme-chat.Q4_K_M.gguf",
        "llama",
        {
            "general.name": "Acme Chat",
            "general.license": "llama3.1",
            "general.base_model.count": "1",
            "general.base_model.0.repo_url": f"https://huggingface.co/{LLAMA}",
        },
    )
    facts = read_folder(path)
    assert facts.gguf == (
        ("architecture", "llama"),
        ("general.architecture", "llama"),
        ("general.base_model.0.repo_url", f"https://huggingface.co/{LLAMA}"),
        ("general.base_model.count", "1"),
        ("general.license", "llama3.1"),
        ("general.name", "Acme Chat"),
    )
    assert facts.card_licenses == ("llama3.1",)
    assert facts.base_models == (BaseModelRef(LLAMA, "finetune"),)
    doc = one(check(str(path), "--format", "json"))
    assert (doc["declared_license"], doc["licenses"], doc["verdict"]) == (
        "llama3.1",
        ["llama-3.1"],
        "review",
    )
    assert (
        "review",
        "base-model-unreadable",
        f"base model {LLAMA} could not be read: {OFFLINE}",
    ) in (findings(doc))
    assert hub.count() == 0


def test_lora_adapter_inherits_the_base_found_in_the_local_cache(
    hub: FakeHub, cache: Path, tmp_path: Path
) -> None:
    path = folder(
        tmp_path,
        "acme-lora",
        {
            "README.md": card("license: apache-2.0\nlibrary_name: peft\n"),
            "adapter_config.json": json.dumps(
                {"base_model_name_or_path": LLAMA, "peft_type": "LORA", "r": 16}
            ),
            "adapter_model.safetensors": b"\0" * 16,
        },
    )
    doc = one(check(str(path), "--hf-cache", str(cache), "--format", "json"))
    assert doc["licenses"] == ["apache-2.0", "llama-3.1"]
    assert [(n["model"], n["relation"], n["revision"], n["licenses"]) for n in doc["lineage"]] == [
        (str(path), None, None, ["apache-2.0"]),
        (LLAMA, "adapter", hub_sha(hub, LLAMA), ["llama-3.1"]),
    ]
    assert doc["verdict"] == "review"
    assert [m for m in findings(doc) if m[0] == "review"] == [
        (
            "review",
            "base-terms-dropped",
            f"{path} declares apache-2.0 but derives from {LLAMA}, under llama-3.1, whose "
            "terms still apply (user threshold, derivative naming, use restrictions, "
            "restrictions flow down)",
        ),
        (
            "review",
            "user-threshold-unknown",
            "the licence changes above 700,000,000 monthly active users; the policy does not "
            "state the organisation's monthly active users",
        ),
    ]
    assert hub.count() == 0, "the base was read from the cache, not the Hub"


def test_lora_adapter_whose_base_is_not_cached_is_reviewed_offline(
    hub: FakeHub, tmp_path: Path
) -> None:
    path = folder(
        tmp_path,
        "acme-lora",
        {
            "README.md": card("license: apache-2.0\n"),
            "adapter_config.json": json.dumps({"base_model_name_or_path": LLAMA}),
        },
    )
    empty = tmp_path / "empty-cache"
    empty.mkdir()
    result = check(str(path), "--hf-cache", str(empty), "--format", "json")
    assert result.exit_code == 0
    doc = one(result)
    assert doc["verdict"] == "review"
    assert doc["licenses"] == ["apache-2.0"]
    assert findings(doc) == [
        ("review", "base-model-unreadable", f"base model {LLAMA} could not be read: {OFFLINE}")
    ]
    assert doc["lineage"][1]["error"] == OFFLINE
    assert hub.count() == 0


def test_online_looks_the_base_up_on_the_hub(hub: FakeHub, tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        "acme-lora",
        {
            "README.md": card("license: apache-2.0\n"),
            "adapter_config.json": json.dumps({"base_model_name_or_path": LLAMA}),
        },
    )
    empty = tmp_path / "empty-cache"
    empty.mkdir()
    doc = one(check(str(path), "--hf-cache", str(empty), "--online", "--format", "json"))
    assert doc["licenses"] == ["apache-2.0", "llama-3.1"]
    assert doc["source"] == (
        f"folder (bases looked up in the local Hugging Face cache, then hub {hub.url})"
    )
    assert hub.count("/api/models/") == 1, "one model_info for the one base"


def test_hf_hub_offline_wins_over_online(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = folder(
        tmp_path,
        "acme-lora",
        {"adapter_config.json": json.dumps({"base_model_name_or_path": LLAMA})},
    )
    empty = tmp_path / "empty-cache"
    empty.mkdir()
    doc = one(check(str(path), "--hf-cache", str(empty), "--online", "--format", "json"))
    assert (
        "review",
        "base-model-unreadable",
        f"base model {LLAMA} could not be read: not in the local Hugging Face cache, and not "
        "looked up on the Hub: HF_HUB_OFFLINE is set, which --online does not override",
    ) in findings(doc)
    assert hub.count() == 0


def test_snapshot_supplies_the_base(hub: FakeHub, tmp_path: Path) -> None:
    snap = tmp_path / "procurement.json"
    made = CliRunner().invoke(main, ["snapshot", LLAMA, "-o", str(snap)])
    assert made.exit_code == 0, made.stderr
    hub.requests.reset()
    path = folder(
        tmp_path,
        "acme-lora",
        {
            "README.md": card("license: apache-2.0\n"),
            "adapter_config.json": json.dumps({"base_model_name_or_path": LLAMA}),
        },
    )
    empty = tmp_path / "empty-cache"
    empty.mkdir()
    doc = one(
        check(str(path), "--hf-cache", str(empty), "--snapshot", str(snap), "--format", "json")
    )
    assert doc["licenses"] == ["apache-2.0", "llama-3.1"]
    assert doc["source"].startswith(
        f"folder (bases looked up in the local Hugging Face cache, then snapshot {snap} (taken "
    )
    assert hub.count() == 0


def test_vendor_folder_with_only_a_licence_file(hub: FakeHub, tmp_path: Path) -> None:
    known = folder(tmp_path, "vendor-mit", {"LICENSE": _mit_text(), "weights.bin": b"\0"})
    unknown = folder(
        tmp_path,
        "vendor-own",
        {"LICENSE": "ACME MODEL LICENCE\nYou may run this model on Tuesdays only.\n"},
    )
    result = check(str(known), str(unknown), "--format", "json")
    docs = {d["requested"]: d for d in map(json.loads, result.stdout.splitlines())}
    assert (docs[str(known)]["licenses"], docs[str(known)]["verdict"]) == (["mit"], "allow")
    assert findings(docs[str(known)]) == [
        ("info", "license-file-identified", "LICENSE is mit, matched exactly")
    ]
    assert (docs[str(unknown)]["licenses"], docs[str(unknown)]["verdict"]) == ([], "review")
    assert findings(docs[str(unknown)]) == [
        ("info", "license-file-unidentified", "LICENSE matches no catalogue licence"),
        ("review", "unknown-license", "no licence is declared: the model's terms are unknown"),
    ]
    assert result.exit_code == 0
    assert hub.count() == 0


def test_empty_folder_is_undecided_as_a_hub_model_without_licence(tmp_path: Path) -> None:
    path = folder(tmp_path, "empty", {})
    result = check(str(path))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:4] == [
        f"{path}: ◐ Review",
        "  revision: unknown",
        "  declared licence: none",
        "  licences that apply: none known",
    ]
    assert check(str(path), "--fail-on", "review").exit_code == 1


def test_hf_cache_folder_knows_its_repo_and_commit(hub: FakeHub, cache: Path) -> None:
    sha = hub_sha(hub, LLAMA)
    snapshot = cache / "models--meta-llama--Llama-3.1-8B" / "snapshots" / sha
    assert (snapshot / "README.md").is_symlink(), "files link into the cache's blobs"
    doc = one(check(str(snapshot), "--format", "json"))
    assert (doc["model"], doc["requested"], doc["revision"]) == (LLAMA, str(snapshot), sha)
    assert (doc["licenses"], doc["verdict"]) == (["llama-3.1"], "review")
    repo = snapshot.parent.parent
    doc = one(check(str(repo), "--format", "json"))
    assert (doc["model"], doc["requested"], doc["revision"]) == (LLAMA, str(repo), sha)
    assert hub.count() == 0


def test_licence_file_link_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for licensecmp")
    path = folder(tmp_path, "linked", {"README.md": card("license: mit\n")})
    (path / "LICENSE").symlink_to(secret)
    (path / "shared").symlink_to(tmp_path, target_is_directory=True)
    doc = one(check(str(path), "--format", "json"))
    assert findings(doc) == [
        (
            "review",
            "folder-incomplete",
            "shared/ is a link to a directory: not followed: the folder was not read whole",
        ),
        (
            "review",
            "license-file-unreadable",
            "LICENSE could not be read: links outside the folder: not read",
        ),
    ]


# -- bad folders: one line naming the file and place, exit 3, the batch goes on ----------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"README.md": card("license: [mit\n")},
            "README.md:3:1: front matter: while parsing a flow sequence did not find expected "
            "',' or ']'",
        ),
        (
            {"README.md": card("license: mit\nlicense: apache-2.0\n")},
            "README.md:3:1: front matter: found duplicate key 'license' (first at line 2)",
        ),
        (
            {"README.md": card(BILLION_LAUGHS)},
            "README.md: front matter: document expands to over 20000 nodes (alias bomb?)",
        ),
        (
            {"README.md": card("license: !!python/object/apply:os.system [echo]\n")},
            "README.md:2:10: front matter: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        (
            {"README.md": card("- mit\n")},
            "README.md:2:1: front matter is not a YAML mapping",
        ),
        (
            {"README.md": "---\nlicense: mit\n"},
            "README.md:1:1: front matter opened by --- is never closed",
        ),
        (
            {"config.json": '{"model_type": "llama",}'},
            "config.json:1:24: not JSON: Expecting property name enclosed in double quotes",
        ),
        ({"adapter_config.json": "[1, 2]"}, "adapter_config.json:1:1: not a JSON object"),
        ({"config.json": "[" * 100_000}, "config.json: not JSON: nested too deeply"),
        (
            {"model.gguf": b"GGML\0\0\0\0"},
            "model.gguf: not a GGUF file (no GGUF magic at offset 0)",
        ),
    ],
    ids=[
        "yaml-syntax",
        "duplicate-key",
        "alias-bomb",
        "python-tag",
        "not-a-mapping",
        "unclosed",
        "json-syntax",
        "adapter-not-object",
        "json-depth",
        "not-gguf",
    ],
)
def test_bad_folder_files_are_one_line_errors(
    tmp_path: Path, files: dict[str, str | bytes], message: str
) -> None:
    bad = folder(tmp_path, "bad", files)
    good = folder(tmp_path, "good", {"README.md": card("license: mit\n")})
    result = check(str(bad), str(good))
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == f"{bad}: ? Could not decide: {message}"
    assert lines[1] == f"{good}: ✓ Allow", "the batch goes on"


def _gguf_header(version: int = 3, tensors: int = 0, keys: int = 1) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", version, tensors, keys)


def _key(name: str) -> bytes:
    return struct.pack("<Q", len(name)) + name.encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _gguf_header() + _key("general.name") + struct.pack("<IQ", 8, 2**62),
            "truncated or corrupt: value of 'general.name' at offset 56 needs "
            "4,611,686,018,427,387,904 bytes, but the file has 0 left",
        ),
        (
            _gguf_header(keys=2**40),
            "declares 1,099,511,627,776 key/value pairs, over the 100,000 limit",
        ),
        (
            _gguf_header() + _key("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 2**50),
            "truncated or corrupt: value of 'tokenizer.ggml.tokens' at offset 69 declares "
            "1,125,899,906,842,624 strings, more than the 0 bytes left can hold",
        ),
        (
            _gguf_header() + struct.pack("<Q", 2**63) + b"x",
            "key at offset 24 is 9,223,372,036,854,775,808 bytes, over the limit",
        ),
        (_gguf_header(version=7), "unsupported GGUF version 7 at offset 4"),
        (
            _gguf_header()[:20],
            "truncated or corrupt: key/value count at offset 16 needs 8 bytes, but the file "
            "has 4 left",
        ),
        (
            _gguf_header() + _key("general.x") + struct.pack("<I", 99),
            "unknown value type 99 for 'general.x' at offset 24",
        ),
    ],
    ids=["huge-string", "huge-count", "huge-array", "huge-key", "version", "truncated", "type"],
)
def test_hostile_gguf_is_one_line_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = folder(tmp_path, "hostile", {"model.gguf": data})
    result = check(str(path))
    assert result.exit_code == 3
    assert result.stdout == f"{path}: ? Could not decide: model.gguf: {message}\n"


def test_truncated_real_gguf_names_the_place(tmp_path: Path) -> None:
    whole = tmp_path / "whole.gguf"
    write_gguf(whole, "llama", {"general.name": "Acme"})
    path = folder(tmp_path, "cut", {"model.gguf": whole.read_bytes()[:200]})
    result = check(str(path))
    assert result.exit_code == 3
    assert result.stdout.startswith(f"{path}: ? Could not decide: model.gguf: truncated")


def test_unreadable_card_is_an_error_and_a_fifo_is_never_waited_on(tmp_path: Path) -> None:
    path = folder(tmp_path, "fifo", {})
    os.mkfifo(path / "README.md")
    result = check(str(path))
    assert result.exit_code == 3
    assert result.stdout == (
        f"{path}: ? Could not decide: README.md: not a regular file (a FIFO)\n"
    )


def test_folder_source_is_a_model_source(tmp_path: Path, cache: Path) -> None:
    path = folder(tmp_path, "m", {"README.md": card("license: mit\n"), "LICENSE": "text"})
    source = FolderSource(cache_dir=cache)
    facts = source.add(path)
    assert source.model(str(path)) is facts
    assert source.file_text(str(path), "LICENSE", "") == "text"
    assert source.model(LLAMA).card_licenses == ("llama3.1",)
    with pytest.raises(Exception, match="not in the local Hugging Face cache"):
        source.model("acme/unknown")


def hub_sha(hub: FakeHub, repo_id: str) -> str:
    import hashlib

    return hashlib.sha1(repo_id.encode("utf-8")).hexdigest()


def test_policy_applies_to_a_folder_as_to_a_hub_model(hub: FakeHub, tmp_path: Path) -> None:
    starter = CliRunner().invoke(main, ["policy", "init"]).stdout
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        starter.replace("name: my-organisation", "name: no-llama").replace(
            "  deny_licenses: []", "  deny_licenses: [llama]"
        ),
        encoding="utf-8",
    )
    path = folder(tmp_path, "llama-card", {"README.md": card("license: llama3.1\n")})
    result = check(str(path), "--policy", str(policy), "--format", "json")
    assert result.exit_code == 1
    doc = one(result)
    assert (doc["verdict"], doc["policy"]) == ("deny", "no-llama")
    assert hub.count() == 0


def test_default_cache_is_huggingface_hubs(
    hub: FakeHub, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    path = folder(
        tmp_path,
        "acme-lora",
        {"adapter_config.json": json.dumps({"base_model_name_or_path": LLAMA})},
    )
    doc = one(check(str(path), "--format", "json"))
    assert doc["licenses"] == ["llama-3.1"]
    assert hub.count() == 0


def test_a_path_that_names_nothing_is_a_folder_error_not_a_hub_request(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    file = folder(tmp_path, "d", {"weights.bin": b"\0"}) / "weights.bin"
    result = check("./missing", str(file))
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "missing: ? Could not decide: cannot read folder: No such file or directory",
        f"{file}: ? Could not decide: not a directory",
    ]
    assert hub.count() == 0


def test_a_base_cached_without_its_card_is_not_taken_as_licence_free(
    hub: FakeHub, tmp_path: Path
) -> None:
    """A cache holds only what was downloaded: weights without the README say nothing."""
    hub.add_model(LLAMA, card_data=LLAMA_CARD, files={"config.json": b"{}"})
    root = tmp_path / "hf-cache"
    hf_hub_download(LLAMA, "config.json", endpoint=hub.url, cache_dir=root, token=False)
    hub.requests.reset()
    path = folder(
        tmp_path,
        "acme-lora",
        {
            "README.md": card("license: mit\n"),
            "adapter_config.json": json.dumps({"base_model_name_or_path": LLAMA}),
        },
    )
    doc = one(check(str(path), "--hf-cache", str(root), "--format", "json"))
    assert doc["verdict"] == "review"
    assert findings(doc) == [
        (
            "review",
            "base-model-unreadable",
            f"base model {LLAMA} could not be read: in the local Hugging Face cache without "
            "its card (README.md), and not looked up on the Hub (a folder check makes no "
            "request): rerun with --online, or --snapshot FILE from `licensecmp snapshot`",
        )
    ]
    assert hub.count() == 0


def test_gguf_fields_after_a_long_vocabulary_are_read(tmp_path: Path) -> None:
    """Token strings are skipped block by block: a string longer than a block, and the keys
    after the vocabulary, land where the writer put them."""
    path = tmp_path / "m.gguf"
    writer = gguf.GGUFWriter(str(path), "gemma2")
    writer.add_token_list(["a", "b" * (3 << 20), *(f"t{i}" for i in range(50_000)), ""])
    writer.add_string("general.license", "gemma")
    writer.add_string("general.name", "After The Vocabulary")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    model = folder(tmp_path, "m", {"m.gguf": path.read_bytes()})
    assert read_folder(model).gguf == (
        ("architecture", "gemma2"),
        ("general.architecture", "gemma2"),
        ("general.license", "gemma"),
        ("general.name", "After The Vocabulary"),
    )
    cut = folder(tmp_path, "cut", {"m.gguf": path.read_bytes()[: 2 << 20]})
    result = check(str(cut))
    assert result.exit_code == 3
    assert result.stdout == (
        f"{cut}: ? Could not decide: m.gguf: truncated or corrupt: value of "
        "'tokenizer.ggml.tokens' at offset 132 needs 3,145,728 bytes, but the file has "
        "2,097,020 left\n"
    )


def test_policy_files_are_always_read_though_a_folder_has_no_commit(tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        "vendor-llama",
        {
            "README.md": card("license: llama3.1\n"),
            "USE_POLICY.md": "# Vendor rules\nDo not use this model on weekends.\n",
        },
    )
    doc = one(check(str(path), "--format", "json"))
    assert doc["revision"] is None
    assert (
        "review",
        "policy-file-unknown",
        "the repository carries USE_POLICY.md, which matches no catalogue document; llama-3.1 "
        "incorporates one: its terms may bind users",
    ) in findings(doc)


def test_every_declared_licence_applies_card_and_each_gguf(tmp_path: Path) -> None:
    path = folder(tmp_path, "mixed", {"README.md": card("license: apache-2.0\n")})
    write_gguf(path / "a.Q4.gguf", "llama", {"general.license": "llama3.1"})
    write_gguf(path / "b.Q8.gguf", "llama", {"general.license": "Apache-2.0"})
    write_gguf(path / "c.F16.gguf", "llama", {"general.license": "mit"})
    facts = read_folder(path)
    assert facts.card_licenses == ("apache-2.0", "llama3.1", "mit")
    assert one(check(str(path), "--format", "json"))["licenses"] == [
        "apache-2.0",
        "llama-3.1",
        "mit",
    ]
