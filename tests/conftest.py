"""Shared fixtures: paths into the repository and a CLI runner that keeps stderr apart."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# huggingface_hub reads these once, at import: set them before anything imports it, so no test
# sends telemetry or touches the real Hub, a user's token or their cache.
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"  # a closed port: any stray request fails fast
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="licensecmp-hf-home-")
os.environ.pop("HF_TOKEN", None)
os.environ.pop("HUGGING_FACE_HUB_TOKEN", None)

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _quiet_hub(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own Hub cache, and no colour setting leaks in from the shell."""
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home")))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_COLOR", raising=False)
