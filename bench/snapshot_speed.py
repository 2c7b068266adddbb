"""Snapshots: requests per licence for `enrich`; offline `check --snapshot` against live `check`.

The fake Hub of the tests runs in its own process with a realistic round trip (default 30 ms),
serving the model mix of bench/check_throughput.py. Everything here runs as whole processes,
start-up included, side by side in one run:

1. `licensecmp enrich --top N` — Hub requests per Hub licence id (target: one);
2. `licensecmp snapshot --from-file` — capture every model and its base models;
3. `licensecmp check --from-file` against the live fake Hub (8 workers);
4. `licensecmp check --snapshot --from-file` with an unreachable HF_ENDPOINT (no request at all).

    .venv/bin/python bench/snapshot_speed.py [--models 1000] [--delay 0.03]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.check_throughput import RemoteHub, build_mix  # noqa: E402


def run(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "licensecmp", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    return time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.03)
    parser.add_argument("--top", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20240723)
    args = parser.parse_args()

    from licensecmp.service import open_catalogue

    catalogue = open_catalogue()[0]
    hub_ids = sorted({h for lic in catalogue for h in lic.hub_license_ids})
    mix = build_mix(args.models, args.seed)
    hub = RemoteHub(mix.models, args.delay)
    ok = True
    try:
        with tempfile.TemporaryDirectory(prefix="licensecmp-bench-") as tmp:
            base_env = {
                k: v
                for k, v in os.environ.items()
                if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
            }
            env = {
                **base_env,
                "HF_ENDPOINT": hub.url,
                "HF_HOME": f"{tmp}/hf",
                "HF_HUB_DISABLE_TELEMETRY": "1",
                "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
                "PYTHONPATH": str(REPO),
            }
            listing = Path(tmp) / "models.txt"
            listing.write_text("\n".join(mix.ids) + "\n")

            hub.call("reset")
            t_enrich, done = run(["enrich", "--top", str(args.top), "-o", f"{tmp}/hub.json"], env)
            requests = hub.call("stats")["total"]
            per_id = requests / len(hub_ids)
            ok &= done.returncode == 0 and per_id == 1
            print(
                f"enrich --top {args.top}: {len(hub_ids)} Hub licence ids, {requests} requests "
                f"= {per_id:.2f} per licence id (target 1) in {t_enrich:.2f} s"
            )

            hub.call("reset")
            t_snap, done = run(
                ["snapshot", "--from-file", str(listing), "-o", f"{tmp}/snap.json"], env
            )
            snap_requests = hub.call("stats")["total"]
            print(
                f"snapshot of {len(mix.ids)} models (+ bases): {snap_requests} requests in "
                f"{t_snap:.2f} s, {Path(tmp, 'snap.json').stat().st_size / 1e6:.1f} MB"
            )

            hub.call("reset")
            t_live, live = run(["check", "--format", "json", "--from-file", str(listing)], env)
            offline_env = {**env, "HF_ENDPOINT": "http://127.0.0.1:9"}
            hub.call("reset")
            t_off, offline = run(
                [
                    "check",
                    "--format",
                    "json",
                    "--snapshot",
                    f"{tmp}/snap.json",
                    "--from-file",
                    str(listing),
                ],
                offline_env,
            )
            offline_requests = hub.call("stats")["total"]
            verdicts = [
                {d["requested"]: d["verdict"] for d in map(json.loads, p.stdout.splitlines())}
                for p in (live, offline)
            ]
            same = verdicts[0] == verdicts[1] and len(verdicts[0]) == len(mix.ids)
            ok &= same and offline_requests == 0
            n = len(mix.ids)
            print()
            print(f"{'whole process, ' + str(n) + ' models':<44} {'seconds':>8} {'models/s':>9}")
            print(
                f"{'check, live Hub (' + str(int(args.delay * 1000)) + ' ms)':<44} "
                f"{t_live:>8.2f} {n / t_live:>9.1f}"
            )
            print(f"{'check --snapshot (no network)':<44} {t_off:>8.2f} {n / t_off:>9.1f}")
            print(
                f"offline / live speed: {t_live / t_off:.1f}x; requests made offline: "
                f"{offline_requests}; same verdicts: {'yes' if same else 'NO'}"
            )
    finally:
        hub.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
