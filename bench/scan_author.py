"""`scan --author` of a whole organisation against checking the same models one by one.

    .venv/bin/python bench/scan_author.py [--models 2500] [--delay 0.03] [--runs 1]

The fake Hub of the tests runs in its own process (bench/check_throughput.py's `RemoteHub`)
with `--delay` seconds added to every answer (a realistic round trip) and serves an
organisation, `acme`, of `--models` models: the model mix of bench/check_throughput.py
(fine-tunes, quantisations and adapters of ~20 well-known bases outside the organisation,
standalone models, LICENSE files to identify, gated models), renamed into `acme/`. Side by
side in one run, as whole processes, start-up included:

1. `licensecmp scan --author acme --format json`: one listing request per 1,000 models with
   the check's `expand`, then only the files and bases the checks need;
2. the anchor, `licensecmp check --from-file ids.txt --format json` over the same ids: one
   `model_info` per model, then the same files and bases.

Printed: requests by kind, seconds, models per second, and the ratios. Exit status 1 when the
listing takes more than ceil(models / 1,000) requests, when `scan` asks `model_info` for a
listed model, or when the two runs disagree on a verdict; speed is reported, not enforced.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.check_throughput import BASES, RemoteHub, build_mix  # noqa: E402

ORG = "acme"
PAGE = 1000
"""Rows per listing page, the fake Hub's default (the Hub's own page size)."""


def organisation(n: int, seed: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The bases, then `n` models of `acme` (check_throughput's mix, renamed)."""
    mix = build_mix(n, seed)
    bases = {b[0] for b in BASES}
    models, ids = [], []
    for spec in mix.models:
        if spec["repo_id"] not in bases:
            spec = {**spec, "repo_id": f"{ORG}/{spec['repo_id'].split('/', 1)[1]}"}
            ids.append(spec["repo_id"])
        models.append(spec)
    return models, ids


def run(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "licensecmp", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return time.perf_counter() - started, done


def verdicts(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    return {d["model"]: d["verdict"] for d in map(json.loads, done.stdout.splitlines())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2500)
    parser.add_argument("--delay", type=float, default=0.03)
    parser.add_argument("--runs", type=int, default=1, help="alternated runs of each (median)")
    parser.add_argument("--seed", type=int, default=20240723)
    args = parser.parse_args()

    models, ids = organisation(args.models, args.seed)
    hub = RemoteHub(models, args.delay)
    ok = True
    try:
        with tempfile.TemporaryDirectory(prefix="licensecmp-bench-") as tmp:
            env = {
                **{
                    k: v
                    for k, v in os.environ.items()
                    if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
                },
                "HF_ENDPOINT": hub.url,
                "HF_HOME": f"{tmp}/hf",
                "HF_HUB_DISABLE_TELEMETRY": "1",
                "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
                "PYTHONPATH": str(REPO),
            }
            listing = Path(tmp) / "ids.txt"
            listing.write_text("\n".join(ids) + "\n")
            commands = {
                "scan --author": ["scan", "--author", ORG, "--format", "json"],
                "check --from-file (anchor)": [
                    "check",
                    "--from-file",
                    str(listing),
                    "--format",
                    "json",
                ],
            }
            times: dict[str, list[float]] = {k: [] for k in commands}
            stats: dict[str, dict[str, Any]] = {}
            seen: dict[str, dict[str, Any]] = {}
            for _ in range(args.runs):
                for label, command in commands.items():
                    hub.call("reset")
                    seconds, done = run(command, env)
                    if done.returncode not in (0, 1, 3):
                        print(f"{label}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
                        return 1
                    times[label].append(seconds)
                    stats[label] = hub.call("stats")
                    seen[label] = verdicts(done)
    finally:
        hub.close()

    n = len(ids)
    scan_stats, check_stats = stats["scan --author"], stats["check --from-file (anchor)"]
    listings = scan_stats["total"] - scan_stats["model_info"] - scan_stats["files"]
    print(
        f"organisation of {n:,} models, {args.delay * 1000:g} ms per answer, "
        f"{args.runs} run(s) each, whole processes"
    )
    print()
    print(
        f"{'run':<28} {'seconds':>8} {'models/s':>9} {'requests':>9} {'listing':>8} "
        f"{'model_info':>11} {'files':>6}"
    )
    for label in commands:
        s = stats[label]
        seconds = statistics.median(times[label])
        listed = s["total"] - s["model_info"] - s["files"]
        print(
            f"{label:<28} {seconds:>8.2f} {n / seconds:>9.1f} {s['total']:>9,} {listed:>8,} "
            f"{s['model_info']:>11,} {s['files']:>6,}"
        )
    t_scan = statistics.median(times["scan --author"])
    t_check = statistics.median(times["check --from-file (anchor)"])
    print()
    print(
        f"speed: scan / check = {t_check / t_scan:.2f}x; requests: scan / check = "
        f"{scan_stats['total'] / check_stats['total']:.3f}"
    )
    expected = math.ceil(n / PAGE)
    bases = sum(1 for b in BASES if any(b[0] == m["repo_id"] for m in models))
    print(
        f"listing requests: {listings} (target ceil({n:,} / {PAGE:,}) = {expected}); "
        f"model_info in scan: {scan_stats['model_info']} (at most the {bases} bases outside "
        f"the organisation)"
    )
    same = (
        seen["scan --author"] == seen["check --from-file (anchor)"]
        and len(seen["scan --author"]) == n
    )
    print(f"same verdicts: {'yes' if same else 'NO'}")
    ok &= listings == expected and scan_stats["model_info"] <= bases and same
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
