"""What users install works: the published pre-commit hook, and a built wheel outside the repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from .conftest import DATA, REPO

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a committed git repository, which is what `try-repo` needs."""
    dest = tmp_path_factory.mktemp("licensecmp-src")
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", ".*_cache", "dist", "build"
    )
    shutil.copytree(REPO, dest, dirs_exist_ok=True, ignore=ignore, symlinks=True)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "snap")
    return dest


def test_hook_definition_is_what_we_document() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "licensecmp-validate"
    assert hook["entry"] == "licensecmp validate"
    assert hook["language"] == "python"


def _run_hook(
    repo_snapshot: Path, work: Path, files: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    work.mkdir(parents=True)
    _git(work, "init", "-q")
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    _git(work, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(work.parent / "pre-commit-home")}
    pre_commit = Path(sys.executable).with_name("pre-commit")
    return subprocess.run(
        [str(pre_commit), "try-repo", str(repo_snapshot), "licensecmp-validate", "--all-files"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_pre_commit_hook_passes_good_files_and_names_the_bad_one(
    repo_snapshot: Path, tmp_path: Path
) -> None:
    good = (DATA / "good" / "mit.yaml").read_text()
    ok = _run_hook(repo_snapshot, tmp_path / "ok", {"licenses/mit.yaml": good})
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout

    bad = (DATA / "bad" / "duplicate-key.yaml").read_text()
    failed = _run_hook(
        repo_snapshot,
        tmp_path / "bad",
        {
            "licenses/mit.yaml": good,
            "licenses/duplicate-key.yaml": bad,
            "docs/ignored.yaml": "not: [a licence",
        },
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "licenses/duplicate-key.yaml:9:1: found duplicate key 'family'" in failed.stdout
    assert "ignored.yaml" not in failed.stdout  # the files pattern keeps the hook to licences


def test_wheel_carries_schemas_and_catalogue_and_runs_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "licensecmp/data/schemas/license.schema.json" in names
    assert "licensecmp/templates/base.html.j2" in names
    assert "licensecmp/templates/report.css" in names
    assert "licensecmp/data/starter-policy.yaml" in names
    catalogue = sorted(p.name for p in (REPO / "licenses").glob("*.yaml"))
    prefix = "licensecmp/data/licenses/"
    top = [n.removeprefix(prefix) for n in names if n.startswith(prefix)]
    assert sorted(n for n in top if "/" not in n) == sorted(
        [*catalogue, "fingerprints.json", "index.json"]
    )

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "licensecmp", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import licensecmp; print(licensecmp.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    validated = run("validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    starter = run("policy", "init")
    assert starter.returncode == 0, starter.stderr
    assert starter.stdout.startswith("# A licensecmp policy")
    assert f"{len(catalogue)} file(s) checked, 0 with problems" in validated.stderr
    assert run("schema").stdout.startswith("{")
    assert "llama-3.1" in run("list").stdout
    lean = subprocess.run(  # the compiled index is used when installed: no YAML, no schema
        [
            sys.executable,
            "-c",
            "import sys; from licensecmp import service; catalogue, _ = service.open_catalogue(); "
            "print(catalogue.get('mit').name, 'yaml' in sys.modules, 'jsonschema' in sys.modules)",
        ],
        cwd=elsewhere,
        env={**env, "LICENSECMP_CACHE": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert lean.stdout == "MIT License False False\n"
    mit_text = elsewhere / "LICENSE"
    mit_text.write_text("Permission is hereby granted, free of charge, to any person")
    identified = run("identify", "--format", "json", str(mit_text))
    assert identified.returncode in (0, 1), identified.stderr  # fingerprints load when installed
    assert '"file"' in identified.stdout
    reported = run("report", "--out", str(elsewhere / "reports"))
    assert reported.returncode == 0, reported.stderr  # templates load when installed
    assert (elsewhere / "reports" / "comparison.html").read_text().count("<table") >= 3
