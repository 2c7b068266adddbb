"""Throughput and request economy of `licensecmp check` against a fake Hub with a real round trip.

    .venv/bin/python bench/check_throughput.py [--models 1000] [--delay 0.03] [--concurrency 8]

The fake Hub (tests/hubserver.py) runs in its own process, so the client and the server do not
share a GIL, and adds `--delay` seconds to every answer (a realistic round trip). It serves a
mix of models: ~70% derived from ~20 base models (fine-tunes, quantisations, adapters, a few
merges), licences across the catalogue's Hub ids and `license_name`s, some `license: other`
with a LICENSE file to identify, some gated, some with no licence at all.

The same models are then checked in one run each, side by side, with the real
huggingface_hub client and the Checker API: sequentially (1 worker) and with `--concurrency`
workers (default 8, the CLI's default); then, unless `--no-cli`, once more as a whole process,
`licensecmp check --from-file F --format json`, start-up included. Printed: models/second, the
speed-up (target >= 5x), and Hub requests per model (target: one model_info per model, one per
distinct base model, one LICENSE fetch per model whose card does not settle its licence, one
README.md per model whose card declares no base and one adapter_config.json per adapter, both
searched for undeclared bases, and never the same request twice).
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from licensecmp.textnorm import strip_front_matter  # noqa: E402
from tests import scancode_texts  # noqa: E402

# (id, card, gated, has LICENSE file, download weight as a base)
BASES: list[tuple[str, dict[str, Any], Any, bool, int]] = [
    ("meta-llama/Llama-3.1-8B", {"license": "llama3.1"}, "manual", True, 14),
    ("meta-llama/Llama-3.1-70B", {"license": "llama3.1"}, "manual", True, 4),
    ("meta-llama/Llama-3.2-1B", {"license": "llama3.2"}, "manual", True, 6),
    ("meta-llama/Llama-3.3-70B-Instruct", {"license": "llama3.3"}, "manual", True, 4),
    ("meta-llama/Meta-Llama-3-8B", {"license": "llama3"}, "manual", True, 4),
    ("meta-llama/Llama-2-7b-hf", {"license": "llama2"}, "manual", True, 3),
    ("meta-llama/Llama-4-Scout-17B-16E", {"license": "llama4"}, "manual", True, 2),
    ("google/gemma-2-9b", {"license": "gemma"}, "manual", False, 5),
    ("google/gemma-3-4b-pt", {"license": "gemma"}, "manual", False, 5),
    ("mistralai/Mistral-7B-v0.1", {"license": "apache-2.0"}, "auto", False, 10),
    (
        "Qwen/Qwen2.5-7B",
        {"license": "other", "license_name": "qwen", "license_link": "LICENSE"},
        False,
        True,
        12,
    ),
    ("Qwen/Qwen2.5-0.5B", {"license": "apache-2.0"}, False, True, 6),
    ("Qwen/Qwen-7B", {"license": "other", "license_name": "tongyi-qianwen"}, False, True, 2),
    (
        "deepseek-ai/DeepSeek-V3-Base",
        {"license": "other", "license_name": "deepseek"},
        False,
        True,
        3,
    ),
    ("microsoft/phi-4", {"license": "mit"}, False, True, 5),
    (
        "black-forest-labs/FLUX.1-dev",
        {"license": "other", "license_name": "flux-1-dev-non-commercial-license"},
        "auto",
        True,
        4,
    ),
    (
        "stabilityai/stable-diffusion-3.5-large",
        {"license": "other", "license_name": "stabilityai-ai-community"},
        "auto",
        True,
        2,
    ),
    ("openai/gpt-oss-20b", {"license": "apache-2.0"}, False, True, 4),
    (
        "moonshotai/Kimi-K2-Base",
        {"license": "other", "license_name": "modified-mit"},
        False,
        True,
        2,
    ),
    (
        "nvidia/Nemotron-H-8B-Base-8K",
        {"license": "other", "license_name": "nvidia-open-model-license"},
        False,
        True,
        3,
    ),
]
# Licences of models that derive from nothing: Hub ids, custom names, and ids the catalogue
# does not know (those end as "unknown-license", as in real life).
STANDALONE_CARDS: list[tuple[dict[str, Any], int]] = [
    ({"license": "apache-2.0"}, 30),
    ({"license": "mit"}, 20),
    ({"license": "cc-by-4.0"}, 6),
    ({"license": "cc-by-nc-4.0"}, 6),
    ({"license": "openrail"}, 3),
    ({"license": "creativeml-openrail-m"}, 4),
    ({"license": "bigscience-openrail-m"}, 3),
    ({"license": "bigscience-bloom-rail-1.0"}, 2),
    ({"license": "bigcode-openrail-m"}, 2),
    ({"license": "llama3.1"}, 4),
    ({"license": "gemma"}, 3),
    ({"license": "openmdw-1.0"}, 1),
    ({"license": "cc-by-sa-4.0"}, 2),
    ({"license": "other", "license_name": "qwen"}, 4),
    ({"license": "other", "license_name": "exaone"}, 1),
    ({"license": "other", "license_name": "tencent-hunyuan-community"}, 1),
]
DERIVED_SHARE = 0.7


@functools.cache
def _mit_text() -> str:
    """A real MIT LICENSE file: the text from the pinned ScanCode wheel (cached after the first
    download), since no whole licence text is kept in this repository."""
    with tempfile.TemporaryDirectory() as tmp:
        scancode_texts.extract({"mit"}, Path(tmp))
        body = strip_front_matter((Path(tmp) / "mit.LICENSE").read_text(encoding="utf-8"))
    return f"MIT License\n\nCopyright (c) 2025 Example Labs\n{body}"


OWN_TEXT = "ACME MODEL LICENCE\n\nYou may use these weights for any purpose except {n}.\n"


@dataclass
class Mix:
    """The models to register, the ids to check, and what the requests should add up to."""

    models: list[dict[str, Any]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    bases_used: set[str] = field(default_factory=set)
    files_to_read: int = 0
    prose_to_read: int = 0
    """Checked models whose card declares no base: README.md is searched for one."""
    adapters_to_read: int = 0
    """Checked models with an adapter_config.json (its base_model_name_or_path)."""
    kinds: Counter[str] = field(default_factory=Counter)


def build_mix(n: int, seed: int) -> Mix:
    rng = random.Random(seed)
    mix = Mix()
    weights = [b[4] for b in BASES]
    for base_id, card, gated, has_license, _ in BASES:
        files = {"LICENSE": b"(the licence text)\n"} if has_license else {}
        mix.models.append({"repo_id": base_id, "card_data": card, "gated": gated, "files": files})
    for i in range(n):
        repo_id = f"org{i % 97}/model-{i:05d}"
        files: dict[str, bytes] = {}
        gated: Any = "auto" if rng.random() < 0.05 else False
        if rng.random() < DERIVED_SHARE:
            parents = rng.choices(BASES, weights=weights, k=2 if rng.random() < 0.05 else 1)
            parent_ids = list(dict.fromkeys(p[0] for p in parents))
            base_card = parents[0][1]
            mix.bases_used.update(parent_ids)
            card: dict[str, Any] = {
                "base_model": parent_ids[0] if len(parent_ids) == 1 else parent_ids
            }
            roll = rng.random()
            if roll < 0.55:
                card.update(base_card)
                kind = "derived, same licence"
            elif roll < 0.70:
                card["license"] = "apache-2.0"
                kind = "derived, apache-2.0"
            elif roll < 0.80:
                card["license"] = "mit"
                kind = "derived, mit"
            elif roll < 0.88:
                card["license"] = "other"
                kind = "derived, other + LICENSE"
            elif roll < 0.93:
                kind = "derived, no licence"
            else:
                card.update({"license": "other", "license_name": "qwen"})
                kind = "derived, license_name"
            shape = rng.random()
            if shape < 0.12:
                files[f"model-{i}.Q4_K_M.gguf"] = b"GGUF"
            elif shape < 0.24:
                files["adapter_config.json"] = b"{}"
        else:
            roll = rng.random()
            if roll < 0.10:
                card = {"license": "other"}
                kind = "standalone, other + LICENSE"
            elif roll < 0.14:
                card = {"library_name": "transformers"}
                kind = "standalone, no licence"
            else:
                card = dict(rng.choices(*zip(*STANDALONE_CARDS, strict=True))[0])
                kind = "standalone, card licence"
        if kind.endswith("other + LICENSE"):
            text = _mit_text() if rng.random() < 0.5 else OWN_TEXT.format(n=i)
            files["LICENSE"] = text.encode("utf-8")
        elif rng.random() < 0.5:
            files["LICENSE"] = b"(a licence text the card already names)\n"
        mix.kinds[kind] += 1
        mix.prose_to_read += "base_model" not in card  # the fake Hub serves a README for all
        mix.adapters_to_read += "adapter_config.json" in files
        mix.models.append({"repo_id": repo_id, "card_data": card, "gated": gated, "files": files})
        mix.ids.append(repo_id)
    return mix


def count_license_reads(mix: Mix, catalogue: Any) -> int:
    """Models (checked, or bases of checked ones) whose repository has a LICENSE: `check`
    reads it once each, to apply or flag what it says beside the card."""
    fetched = set(mix.ids) | mix.bases_used
    return sum(1 for s in mix.models if s["repo_id"] in fetched and "LICENSE" in s["files"])


# -- the fake Hub, in its own process ----------------------------------------------------


def serve(conn: Any, models: list[dict[str, Any]], delay: float) -> None:
    """Child process: run the fake Hub and answer 'stats' / 'reset' / 'stop' on `conn`."""
    from tests.hubserver import FakeHub

    class BenchHub(FakeHub):
        """The fake Hub, minus its O(models) recount of children on every answer (the real
        Hub answers in constant time; at 1,000 models the recount costs ~3 ms of the server's
        single GIL per request and would cap the concurrent run). Answers are unchanged."""

        _children: dict[str, int] | None = None

        def add_model(self, repo_id: str, **kwargs: Any) -> str:
            self._children = None
            return super().add_model(repo_id, **kwargs)

        def _children_counts(self) -> dict[str, int]:
            if self._children is None:
                self._children = super()._children_counts()
            return self._children

    hub = BenchHub(delay=delay)
    for spec in models:
        hub.add_model(**spec)
    conn.send(hub.url)
    while True:
        command = conn.recv()
        if command == "reset":
            hub.requests.reset()
            conn.send(None)
        elif command == "stats":
            requests = hub.requests.snapshot()
            keys = [(r.method, r.path) for r in requests]
            conn.send(
                {
                    "total": len(requests),
                    "model_info": sum(1 for _, p in keys if p.startswith("/api/models/")),
                    "files": sum(1 for _, p in keys if "/resolve/" in p),
                    "duplicates": len(keys) - len(set(keys)),
                    "repeated": sorted({k[1] for k, c in Counter(keys).items() if c > 1})[:5],
                }
            )
        else:
            hub.stop()
            conn.send(None)
            return


class RemoteHub:
    def __init__(self, models: list[dict[str, Any]], delay: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=serve, args=(child, models, delay), daemon=True)
        self._process.start()
        self.url: str = self._conn.recv()

    def call(self, command: str) -> Any:
        self._conn.send(command)
        return self._conn.recv()

    def close(self) -> None:
        self.call("stop")
        self._process.join(timeout=10)


# -- the client side ---------------------------------------------------------------------


@dataclass
class Run:
    label: str
    models: int
    seconds: float
    stats: dict[str, Any]
    verdicts: dict[str, str]

    @property
    def rate(self) -> float:
        return self.models / self.seconds


def run_checker(hub: RemoteHub, catalogue: Any, ids: list[str], workers: int, label: str) -> Run:
    from licensecmp.checking import Checker
    from licensecmp.hub import Hub, HubSettings
    from licensecmp.service import identifier

    # A fresh Hub (its memo) and Checker per run: nothing carries over between runs.
    source = Hub(HubSettings(endpoint=hub.url, token=False, timeout=10.0))
    checker = Checker(catalogue, source, identify=identifier())
    hub.call("reset")
    started = time.perf_counter()
    results = list(checker.check_many(((m, None) for m in ids), workers=workers))
    seconds = time.perf_counter() - started
    verdicts = {r.requested: ("error: " + r.error if r.error else r.verdict.value) for r in results}
    return Run(label, len(results), seconds, hub.call("stats"), verdicts)


def run_cli(hub: RemoteHub, ids: list[str], workers: int) -> tuple[Run, int]:
    with tempfile.TemporaryDirectory(prefix="licensecmp-bench-") as tmp:
        listing = Path(tmp) / "models.txt"
        listing.write_text("# generated by bench/check_throughput.py\n" + "\n".join(ids) + "\n")
        env = {
            k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
        }
        env.update(
            HF_ENDPOINT=hub.url,
            HF_HOME=str(Path(tmp) / "hf_home"),
            HF_HUB_DISABLE_TELEMETRY="1",
            HF_HUB_DISABLE_IMPLICIT_TOKEN="1",
            PYTHONPATH=str(REPO),
        )
        command = [sys.executable, "-m", "licensecmp", "check", "--format", "json"]
        command += ["--concurrency", str(workers), "--from-file", str(listing)]
        hub.call("reset")
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        seconds = time.perf_counter() - started
    docs = [json.loads(line) for line in done.stdout.splitlines()]
    verdicts = {d["requested"]: d["verdict"] or "error: " + d["error"] for d in docs}
    if done.stderr.strip():
        print(f"  CLI stderr: {done.stderr.strip()[:500]}")
    label = f"CLI --from-file ({workers} workers, whole process)"
    return Run(label, len(docs), seconds, hub.call("stats"), verdicts), done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=1000, help="models to check (default 1000)")
    parser.add_argument("--delay", type=float, default=0.03, help="Hub round trip, s (0.03)")
    parser.add_argument("--concurrency", type=int, default=8, help="workers (default 8)")
    parser.add_argument("--seed", type=int, default=20240723)
    parser.add_argument("--no-cli", action="store_true", help="skip the whole-process CLI run")
    args = parser.parse_args(argv)

    # Read by huggingface_hub at import: no telemetry, no user token, no user cache.
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_DISABLE_IMPLICIT_TOKEN"] = "1"
    os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="licensecmp-bench-hf-")
    os.environ.pop("HF_TOKEN", None)

    from licensecmp.service import open_catalogue

    catalogue, problems = open_catalogue()
    if problems:
        raise SystemExit(f"catalogue has invalid files, first: {problems[0]}")
    mix = build_mix(args.models, args.seed)
    mix.files_to_read = count_license_reads(mix, catalogue)
    n = len(mix.ids)
    derived = sum(c for k, c in mix.kinds.items() if k.startswith("derived"))
    print(
        f"licensecmp check throughput: {n} models, {derived} derived from "
        f"{len(mix.bases_used)} distinct base models, {mix.files_to_read} whose card does not "
        f"settle the licence (LICENSE to read); fake Hub in its own process, "
        f"{args.delay * 1000:.0f} ms per answer"
    )
    for kind, count in sorted(mix.kinds.items()):
        print(f"  {count:6d}  {kind}")
    print()

    hub = RemoteHub(mix.models, args.delay)
    try:
        runs = [
            run_checker(hub, catalogue, mix.ids, 1, "Checker, sequential (1 worker)"),
            run_checker(
                hub, catalogue, mix.ids, args.concurrency, f"Checker, {args.concurrency} workers"
            ),
        ]
        cli_code = None
        if not args.no_cli:
            cli_run, cli_code = run_cli(hub, mix.ids, args.concurrency)
            runs.append(cli_run)
    finally:
        hub.close()

    expected_info = n + len(mix.bases_used)
    signal_reads = mix.prose_to_read + mix.adapters_to_read
    expected = expected_info + mix.files_to_read + signal_reads
    header = (
        f"{'run':<44} {'models':>6} {'seconds':>8} {'models/s':>9} {'requests':>9} "
        f"{'req/model':>9} {'model_info':>10} {'files':>7} {'repeats':>7}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        s = run.stats
        print(
            f"{run.label:<44} {run.models:>6} {run.seconds:>8.2f} {run.rate:>9.1f} "
            f"{s['total']:>9} {s['total'] / run.models:>9.3f} {s['model_info']:>10} "
            f"{s['files']:>7} {s['duplicates']:>7}"
        )
    print()
    ratio = runs[1].rate / runs[0].rate
    ok_speed = ratio >= 5
    print(
        f"speed-up, {args.concurrency} workers vs 1: {ratio:.1f}x "
        f"(target >= 5x) {'OK' if ok_speed else 'MISSED'}"
    )
    print(
        f"requests per model: target {expected / n:.3f} = 1 model_info per model "
        f"+ {len(mix.bases_used)} bases / {n} + {mix.files_to_read} LICENSE files / {n}"
        f" + {mix.prose_to_read} README.md (no declared base) and {mix.adapters_to_read}"
        f" adapter_config.json / {n}"
    )
    ok_requests = True
    for run in runs:
        s = run.stats
        good = (
            s["model_info"] == expected_info
            and s["files"] == mix.files_to_read + signal_reads
            and s["duplicates"] == 0
            and s["total"] == expected
        )
        ok_requests &= good
        print(
            f"  {run.label:<44} {s['total'] / run.models:.3f} "
            f"({s['model_info']} model_info, {s['files']} files, {s['duplicates']} repeats) "
            f"{'OK' if good else 'MISSED'}"
        )
        for path in s["repeated"]:
            print(f"    asked more than once: {path}")
    agree = all(run.verdicts == runs[0].verdicts for run in runs[1:])
    tally = Counter(v if not v.startswith("error") else "error" for v in runs[0].verdicts.values())
    print(
        "verdicts: "
        + ", ".join(f"{k} {tally[k]}" for k in ("allow", "review", "deny", "error"))
        + f"; identical in every run: {'yes' if agree else 'NO'}"
    )
    if cli_code is not None:
        print(f"CLI exit code: {cli_code} (1 = some model denied, 3 = some model undecided)")
    return 0 if ok_requests and agree else 1


if __name__ == "__main__":
    sys.exit(main())
