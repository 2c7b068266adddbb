"""Pre-commit latency: `licensecmp validate` against `check-jsonschema` on the same files.

Both run as whole processes, alternated in one run, on every licence file of the catalogue
against the same schema. Prints each tool's median wall time and the median ratio
(target: licensecmp / check-jsonschema <= 0.5).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/validate_vs_check_jsonschema.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"{cmd[0]} failed ({done.returncode}): {done.stdout[-500:]!r}{done.stderr[-500:]!r}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    ours = str(bindir / "licensecmp")
    theirs = str(bindir / "check-jsonschema")
    if not Path(theirs).exists() and not shutil.which("check-jsonschema"):
        sys.exit("check-jsonschema is not installed: pip install -e '.[bench]'")
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "licenses").glob("*.yaml"))
    schema = "schemas/license.schema.json"
    commands = {
        "licensecmp validate": [ours, "validate", *files],
        "check-jsonschema": [theirs, "--schemafile", schema, *files],
    }
    for cmd in commands.values():  # warm the page cache and .pyc files
        timed(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    ratios = []
    for _ in range(args.runs):
        pair = {name: timed(cmd) for name, cmd in commands.items()}
        for name, value in pair.items():
            times[name].append(value)
        ratios.append(pair["licensecmp validate"] / pair["check-jsonschema"])
    print(f"{len(files)} licence files, {args.runs} alternated runs (whole processes)")
    for name, values in times.items():
        print(f"  {name:22} median {statistics.median(values) * 1000:7.1f} ms")
    ratio = statistics.median(ratios)
    print(f"  median ratio licensecmp/check-jsonschema: {ratio:.2f} (target <= 0.50)")


if __name__ == "__main__":
    main()
