"""The compiled index and the user's cache: what was validated once is not validated again,
nothing stale is ever used, and problems in licence files are still reported."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp import cache, index, loader, validate, yamlsource
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.service import open_catalogue

from .conftest import DATA, REPO

HEAVY = ("jsonschema", "huggingface_hub", "jinja2", "yaml")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own, empty at the start."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("LICENSECMP_CACHE", str(directory))
    return directory


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every file parsed and validated in this process, in order."""
    names: list[str] = []
    real = loader.load

    def spy(path: Path, raw: bytes | None = None) -> tuple[object, object]:
        names.append(path.name)
        return real(path, raw)

    monkeypatch.setattr(loader, "load", spy)
    return names


def _catalogue(tmp_path: Path, *stems: str, index_file: bool = False) -> Path:
    """A copy of bundled licence files (all of them when no stem is named)."""
    folder = tmp_path / "catalogue"
    folder.mkdir()
    names = [f"{s}.yaml" for s in stems] or [p.name for p in (REPO / "licenses").glob("*.yaml")]
    for name in names:
        shutil.copy(REPO / "licenses" / name, folder / name)
    if index_file:
        shutil.copy(REPO / "licenses" / index.INDEX_NAME, folder / index.INDEX_NAME)
    return folder


def _line(path: Path, key: str) -> int:
    """The line of a top-level key in a licence file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.M), old
    path.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")


def test_the_committed_index_matches_the_licence_files(runner: CliRunner) -> None:
    """CI runs the same check: a stale index.json fails the build."""
    result = runner.invoke(main, ["compile", "--check"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.endswith("index.json: up to date\n")


def test_bundled_catalogue_opens_from_the_index_without_validating(validated: list[str]) -> None:
    catalogue, problems = open_catalogue()
    assert problems == []
    assert len(catalogue) == len(list((REPO / "licenses").glob("*.yaml")))
    assert validated == []
    from_files = Catalogue(validate.run([REPO / "licenses"]).licenses)
    assert list(catalogue) == list(from_files)  # the very same entries, field by field
    assert catalogue.digest == from_files.digest


def test_a_stale_index_is_never_used(runner: CliRunner, tmp_path: Path) -> None:
    folder = _catalogue(tmp_path, index_file=True)
    _edit(folder / "mit.yaml", "^name: .*$", "name: MIT as edited after compiling")
    shown = runner.invoke(main, ["show", "mit", "--licenses", str(folder)])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("MIT as edited after compiling (version")
    checked = runner.invoke(main, ["compile", "--check", "--licenses", str(folder)])
    assert checked.exit_code == 1
    assert checked.stdout == f"{folder}/index.json: stale (run `licensecmp compile`)\n"


def test_an_index_made_under_other_rules_is_ignored(tmp_path: Path, validated: list[str]) -> None:
    folder = _catalogue(tmp_path, "mit", "apache-2.0")
    assert CliRunner().invoke(main, ["compile", "--licenses", str(folder)]).exit_code == 0
    validated.clear()  # compiling validates everything, from scratch
    recorded = json.loads((folder / index.INDEX_NAME).read_text())
    recorded["licenses"]["mit"]["name"] = "read from the index"
    (folder / index.INDEX_NAME).write_text(json.dumps(recorded))
    assert open_catalogue(folder)[0].get("mit").name == "read from the index"  # type: ignore[union-attr]
    assert validated == []
    recorded["rules"] = "0" * 64  # as if written under another schema or version of the tool
    (folder / index.INDEX_NAME).write_text(json.dumps(recorded))
    assert open_catalogue(folder)[0].get("mit").name == "MIT License"  # type: ignore[union-attr]


def test_compile_writes_the_index_and_refuses_an_invalid_catalogue(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _catalogue(tmp_path, "mit", "apache-2.0")
    written = runner.invoke(main, ["compile", "--licenses", str(folder)])
    assert written.exit_code == 0, written.output
    assert written.stderr == f"{folder}/index.json: written\n"
    again = runner.invoke(main, ["compile", "--licenses", str(folder)])
    assert again.stderr == f"{folder}/index.json: already up to date\n"
    shutil.copy(DATA / "bad" / "duplicate-key.yaml", folder)
    refused = runner.invoke(main, ["compile", "--licenses", str(folder)])
    assert refused.exit_code == 1
    assert refused.stderr == (
        "licensecmp: error: catalogue has 1 problem(s); run `licensecmp validate`. First: "
        f"{folder}/duplicate-key.yaml:9:1: found duplicate key 'family' (first at line 7)\n"
    )


def test_a_user_catalogue_is_validated_once_and_a_changed_file_alone(
    runner: CliRunner, tmp_path: Path, validated: list[str]
) -> None:
    folder = _catalogue(tmp_path, "mit", "apache-2.0", "isc")
    assert len(open_catalogue(folder)[0]) == 3
    assert validated == ["apache-2.0.yaml", "isc.yaml", "mit.yaml"]
    validated.clear()
    assert len(open_catalogue(folder)[0]) == 3
    assert validated == []
    _edit(folder / "mit.yaml", "^name: .*$", "name: MIT, changed")
    shown = runner.invoke(main, ["show", "mit", "--licenses", str(folder)])
    assert shown.stdout.startswith("MIT, changed (version")
    assert validated == ["mit.yaml"]


def test_show_reads_the_one_entry_it_names(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _catalogue(tmp_path)
    open_catalogue(folder)  # the first run validates and fills the cache
    kinds: list[str] = []
    real = cache.Store.get

    def spy(self: cache.Store, kind: str, key: str) -> object:
        kinds.append(kind)
        return real(self, kind, key)

    monkeypatch.setattr(cache.Store, "get", spy)
    shown = runner.invoke(main, ["show", "llama3.1", "--licenses", str(folder)])
    assert shown.exit_code == 0, shown.output
    assert kinds == ["stats", "catalogues", "entries"]


def test_a_cache_that_cannot_be_written_is_no_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("LICENSECMP_CACHE", str(blocker))
    folder = _catalogue(tmp_path, "mit", "apache-2.0")
    for _ in range(2):
        listed = runner.invoke(main, ["list", "--licenses", str(folder)])
        assert listed.exit_code == 0
        assert listed.stderr == ""
        assert [line.split()[0] for line in listed.stdout.splitlines()] == [
            "ID",
            "apache-2.0",
            "mit",
        ]


def test_corrupted_cache_records_are_ignored_and_rebuilt(
    cache_dir: Path, tmp_path: Path, validated: list[str]
) -> None:
    folder = _catalogue(tmp_path, "mit", "apache-2.0")
    first = list(open_catalogue(folder)[0])
    records = sorted(p for p in cache_dir.rglob("*.json"))
    kinds = sorted(p.parent.parent.name for p in records)
    assert kinds[:3] == ["catalogues", "entries", "entries"]  # (stats: only for settled files)
    for i, record in enumerate(records):
        raw = record.read_bytes()
        half = len(raw) // 2  # cut short, or one bit flipped
        record.write_bytes(
            raw[:half] if i % 2 else raw[:half] + bytes([raw[half] ^ 1]) + raw[half + 1 :]
        )
    validated.clear()
    assert list(open_catalogue(folder)[0]) == first
    assert sorted(validated) == ["apache-2.0.yaml", "mit.yaml"]
    validated.clear()
    assert list(open_catalogue(folder)[0]) == first
    assert validated == []


def test_an_invalid_user_file_is_reported_on_every_run_and_never_used(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _catalogue(tmp_path, "mit")
    shutil.copy(DATA / "bad" / "duplicate-key.yaml", folder)
    warning = (
        f"warning: skipped invalid licence file: {folder}/duplicate-key.yaml:9:1: "
        "found duplicate key 'family' (first at line 7)\n"
    )
    for _ in range(2):  # validated, then from the cache
        listed = runner.invoke(main, ["list", "--licenses", str(folder)])
        assert listed.exit_code == 0
        assert listed.stderr == warning
        compared = runner.invoke(main, ["compare", "mit", "mit", "--licenses", str(folder)])
        assert compared.exit_code == 3
        assert compared.stderr.startswith("licensecmp: error: catalogue has 1 problem(s)")
    validated = runner.invoke(main, ["validate", str(folder)])
    assert validated.exit_code == 1
    assert "duplicate-key.yaml:9:1: found duplicate key 'family'" in validated.stdout


def test_a_clash_between_files_is_still_reported_from_the_cache(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _catalogue(tmp_path, "mit", "apache-2.0")
    _edit(folder / "mit.yaml", "^spdx_id: .*$", "spdx_id: Apache-2.0")
    for _ in range(2):
        listed = runner.invoke(main, ["list", "--licenses", str(folder)])
        line = _line(folder / "mit.yaml", "spdx_id")
        assert listed.stderr == (
            f"warning: skipped invalid licence file: {folder}/mit.yaml:{line}:10: "
            "spdx_id value 'apache-2.0' is also claimed by apache-2.0 [$.spdx_id]\n"
        )
        assert "mit " not in listed.stdout


@pytest.mark.parametrize("compiled", [False, True], ids=["cache", "index"])
def test_the_pre_commit_run_reads_its_neighbours_instead_of_validating_them(
    runner: CliRunner, tmp_path: Path, validated: list[str], compiled: bool
) -> None:
    folder = _catalogue(tmp_path, index_file=compiled)
    if not compiled:
        open_catalogue(folder)  # any earlier command fills the cache
    validated.clear()
    ok = runner.invoke(main, ["validate", str(folder / "mit.yaml")])
    assert ok.exit_code == 0, ok.output
    assert validated == ["mit.yaml"]
    validated.clear()
    _edit(folder / "mit.yaml", "^spdx_id: .*$", "spdx_id: Apache-2.0")
    clash = runner.invoke(main, ["validate", str(folder / "mit.yaml")])
    assert clash.exit_code == 1
    line = _line(folder / "mit.yaml", "spdx_id")
    assert clash.stdout == (
        f"{folder}/mit.yaml:{line}:10: spdx_id value 'apache-2.0' is also claimed by "
        "apache-2.0 [$.spdx_id]\n"
    )
    assert validated == ["mit.yaml"]


@pytest.mark.parametrize("args", [["list"], ["show", "llama3.1"], ["compare", "mit", "qwen"]])
def test_catalogue_commands_import_no_heavy_library(args: list[str]) -> None:
    """Start-up stays lean: the compiled index needs no YAML reader and no schema validator."""
    code = (
        "import sys\n"
        "from licensecmp.cli import main\n"
        f"sys.argv = ['licensecmp', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_files_too_large_to_hash_are_those_the_reader_refuses() -> None:
    assert index.MAX_HASHED == yamlsource.MAX_BYTES


def test_compiled_templates_are_cached_and_a_damaged_cache_is_only_slower(
    runner: CliRunner, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from licensecmp.report import html

    def page() -> str:
        html._env.cache_clear()  # a new process: templates compiled, or read from the cache
        result = runner.invoke(main, ["compare", "mit", "apache-2.0", "--format", "html"])
        assert result.exit_code == 0, result.output
        return result.stdout

    first = page()
    compiled = sorted((cache_dir / "templates").rglob("*.cache"))
    assert compiled  # one file per template, under a directory of this environment's settings
    assert page() == first
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40] + b"\x00 damaged")
    assert page() == first
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("LICENSECMP_CACHE", str(blocker))
    assert page() == first
    html._env.cache_clear()


def test_a_file_rewritten_with_the_same_size_and_time_is_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _catalogue(tmp_path, "mit")
    path = folder / "mit.yaml"
    store = cache.Store()
    later = index.time.time_ns() + 5_000_000_000  # the file has settled: its digest is recorded
    monkeypatch.setattr(index.time, "time_ns", lambda: later)
    (first,) = index.scan(folder, [path], store)
    before = path.stat()
    path.write_text(path.read_text().replace("MIT License", "MIT Licence"))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    (second,) = index.scan(folder, [path], store)
    assert path.stat().st_size == before.st_size
    assert second.sha256 != first.sha256  # the inode change time still tells


def test_a_file_changed_just_before_it_was_hashed_is_not_trusted_by_its_stat(
    tmp_path: Path,
) -> None:
    folder = _catalogue(tmp_path, "mit")
    store = cache.Store()
    index.scan(folder, [folder / "mit.yaml"], store)  # just copied: racily clean
    where = cache.key("stats", str(folder.resolve()), index.rules())
    assert store.get("stats", where) is None


def test_check_builds_only_the_licences_its_model_resolves_to(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .hubserver import FakeHub

    built: list[str] = []
    real = loader.build_license

    def spy(data: dict[str, object]) -> object:
        built.append(str(data["id"]))
        return real(data)

    monkeypatch.setattr(loader, "build_license", spy)
    with FakeHub() as hub:
        hub.add_model("meta-llama/Llama-3.1-8B", card_data={"license": "llama3.1"})
        hub.add_model(
            "acme/Llama-3.1-8B-legal",
            card_data={"license": "apache-2.0", "base_model": "meta-llama/Llama-3.1-8B"},
        )
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        result = runner.invoke(main, ["check", "acme/Llama-3.1-8B-legal", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["licenses"] == ["apache-2.0", "llama-3.1"]
    assert sorted(set(built)) == ["apache-2.0", "llama-3.1"]
