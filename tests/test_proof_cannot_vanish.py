"""A test whose proof cannot run fails; it never skips to green (tests/proof.py).

Each case runs pytest on one real test that needs the ScanCode wheel (or Chromium), in a
subprocess where the wheel cannot be had (an empty cache, pip pointed at an empty directory)
or Chromium cannot be found (an empty PATH for it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

WHEEL_TEST = "tests/test_identify.py::test_mit_and_kimi_are_never_confused"
BROWSER_TEST = "tests/test_report_browser.py::test_the_comparison_of_the_brief_opens_offline"


def _pytest(test: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", test],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
        check=False,
    )


def _without_wheel(tmp_path: Path, **extra: str) -> dict[str, str]:
    empty = tmp_path / "no-wheels"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.pop("CI", None)
    env.pop("LICENSECMP_ALLOW_SKIP", None)
    return env | {
        "LICENSECMP_CACHE": str(tmp_path / "cache"),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(empty),
        **extra,
    }


@pytest.mark.parametrize(
    "extra",
    [{}, {"CI": "true"}, {"CI": "true", "LICENSECMP_ALLOW_SKIP": "1"}],
    ids=["local", "ci", "ci-ignores-opt-out"],
)
def test_quote_proofs_fail_when_the_texts_cannot_be_had(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    done = _pytest(WHEEL_TEST, _without_wheel(tmp_path, **extra))
    assert done.returncode == 1, done.stdout
    assert "1 error" in done.stdout or "1 failed" in done.stdout, done.stdout
    assert "ScanCode licence texts could not be had (package registry:" in done.stdout
    assert "the proof cannot run, so this test fails" in done.stdout


def test_a_developer_may_opt_out_outside_ci_and_is_told(tmp_path: Path) -> None:
    done = _pytest(WHEEL_TEST, _without_wheel(tmp_path, LICENSECMP_ALLOW_SKIP="1"))
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
    assert "(skipped: LICENSECMP_ALLOW_SKIP=1)" in done.stdout


def test_browser_tests_fail_without_chromium(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "LICENSECMP_ALLOW_SKIP")}
    env["PATH"] = str(Path(sys.executable).parent)  # python, but no chromium
    done = _pytest(BROWSER_TEST, env | {"CI": "true"})
    assert done.returncode == 1, done.stdout
    assert "chromium is not installed" in done.stdout
