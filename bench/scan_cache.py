"""`scan --cache` of a Hugging Face cache against huggingface_hub's own cache listing.

    .venv/bin/python bench/scan_cache.py [--models 200] [--runs 5]

Builds a real cache: huggingface_hub's `snapshot_download(cache_dir=…)` downloads `--models`
models from the fake Hub of the tests (bench/check_throughput.py's model mix: fine-tunes,
quantisations and adapters of ~20 well-known bases, which are cached too, standalone models,
LICENSE files, a card, `config.json` and, for some, `adapter_config.json` or a GGUF file
written by llama.cpp's `gguf` writer). Then, alternated run by run as whole processes,
start-up included:

1. `licensecmp scan --cache DIR --format json`: huggingface_hub's `scan_cache_dir`, then a
   full check of every cached revision from disk (card, config, licence files, bases looked up
   in the same cache), with HF_ENDPOINT on a closed port: no request can succeed;
2. the anchor, `hf cache ls --revisions --cache-dir DIR --format json` (what
   `huggingface-cli scan-cache -v` was before huggingface_hub 1.0): the same cache scanner,
   listing every revision, and nothing more.

Printed: each median, the ratio scan / anchor, and milliseconds per cached revision beyond the
anchor's. Exit status 1 when a revision is missing from the scan or could not be decided.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.check_throughput import build_mix  # noqa: E402


def build_cache(cache: Path, n: int, seed: int) -> int:
    """Download the mix's models and the bases they name into `cache`; returns revisions."""
    from huggingface_hub import snapshot_download

    from tests.hubserver import FakeHub

    mix = build_mix(n, seed)
    wanted = set(mix.ids) | mix.bases_used
    header = _gguf(cache.parent / "model.gguf")
    with FakeHub() as hub:
        for spec in mix.models:
            files = {**spec["files"], "config.json": b'{"model_type": "llama"}'}
            files = {k: header if k.endswith(".gguf") else v for k, v in files.items()}
            hub.add_model(**{**spec, "files": files, "gated": False})
        for spec in mix.models:
            if spec["repo_id"] in wanted:
                snapshot_download(spec["repo_id"], cache_dir=cache, endpoint=hub.url, token=False)
    return len(wanted)


def _gguf(path: Path) -> bytes:
    """A real GGUF file (llama.cpp's own writer): a header with text fields, no tensors."""
    import gguf

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_string("general.name", "Example 8B Q4_K_M")
    writer.add_string("general.basename", "Example")
    writer.add_context_length(8192)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path.read_bytes()


def timed(
    command: list[str], env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
    return time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240723)
    args = parser.parse_args()

    hf = shutil.which("hf", path=str(Path(sys.executable).parent)) or shutil.which("hf")
    if hf is None:
        print("the `hf` command of huggingface_hub is not installed: no anchor")
        return 1
    with tempfile.TemporaryDirectory(prefix="licensecmp-bench-") as tmp:
        cache = Path(tmp) / "hub"
        os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
        os.environ["HF_HOME"] = f"{tmp}/hf-home"
        started = time.perf_counter()
        revisions = build_cache(cache, args.models, args.seed)
        print(
            f"cache of {revisions} model revisions ({args.models} models and the bases they "
            f"name) written by snapshot_download in {time.perf_counter() - started:.1f} s"
        )
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
            },
            "HF_ENDPOINT": "http://127.0.0.1:9",  # a closed port: any request would fail
            "HF_HOME": f"{tmp}/hf-home",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "PYTHONPATH": str(REPO),
        }
        commands = {
            "licensecmp scan --cache": [
                sys.executable,
                "-m",
                "licensecmp",
                "scan",
                "--cache",
                str(cache),
                "--format",
                "json",
            ],
            "hf cache ls --revisions (anchor)": [
                hf,
                "cache",
                "ls",
                "--revisions",
                "--cache-dir",
                str(cache),
                "--format",
                "json",
            ],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        outputs: dict[str, subprocess.CompletedProcess[str]] = {}
        for _ in range(args.runs):
            for label, command in commands.items():
                seconds, done = timed(command, env)
                if done.returncode not in (0, 1, 3):
                    print(f"{label}: exit {done.returncode}: {done.stderr.strip()[-400:]}")
                    return 1
                times[label].append(seconds)
                outputs[label] = done
    docs = [json.loads(line) for line in outputs["licensecmp scan --cache"].stdout.splitlines()]
    undecided = [d for d in docs if d["verdict"] is None]
    for doc in undecided[:5]:
        print(f"undecided: {doc['requested']}: {doc['error']}")
    verdicts = {v: sum(1 for d in docs if d["verdict"] == v) for v in ("allow", "review", "deny")}
    print(
        f"{len(docs)} revisions checked: {verdicts['allow']} allow, {verdicts['review']} "
        f"review, {verdicts['deny']} deny, {len(undecided)} undecided; {args.runs} run(s) each"
    )
    print()
    print(f"{'run (whole process)':<36} {'median s':>9} {'min s':>7} {'max s':>7}")
    for label, values in times.items():
        print(
            f"{label:<36} {statistics.median(values):>9.2f} {min(values):>7.2f} {max(values):>7.2f}"
        )
    ours = statistics.median(times["licensecmp scan --cache"])
    anchor = statistics.median(times["hf cache ls --revisions (anchor)"])
    print()
    print(
        f"ratio scan / anchor: {ours / anchor:.2f}x; beyond the anchor: "
        f"{(ours - anchor) / max(1, len(docs)) * 1000:.1f} ms per revision checked"
    )
    return 0 if len(docs) == revisions and not undecided else 1


if __name__ == "__main__":
    raise SystemExit(main())
