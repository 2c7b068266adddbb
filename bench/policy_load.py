"""Policy files: what checking ids, clause values and ISO codes adds to reading one.

Side by side, against the anchor of reading the same file with the schema alone (what licensecmp
did before licence ids, clause values and country and currency codes were checked):

1. warm, in one process: microseconds per load, median of repeats;
2. cold, a fresh interpreter per run: the first load, pycountry's import and databases included
   (what `check --policy` pays once at start-up), median of runs.

    .venv/bin/python bench/policy_load.py [--runs 15] [--policy FILE]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POLICY = REPO / "tests" / "data" / "policies" / "good" / "every-field.yaml"

SETUP = """
from pathlib import Path
from licensecmp import policyfile, schema, yamlsource
from licensecmp.catalogue import Catalogue
from licensecmp.validate import run as validate
from licensecmp.resources import bundled_licenses
catalogue = Catalogue(validate([bundled_licenses()], catalogue_dir=bundled_licenses()).licenses)
path = Path({path!r})
"""
ANCHOR = """
parsed, _ = yamlsource.read(path, str(path))
assert not list(schema.validator(schema.POLICY_SCHEMA).iter_errors(parsed.data))
"""
CHECKED = "policyfile.load(path, catalogue)\n"
COLD = (
    SETUP
    + """
import time
started = time.perf_counter()
{body}
print(time.perf_counter() - started)
"""
)


def warm(setup: str, body: str, runs: int) -> float:
    number = 50
    times = timeit.repeat(body, setup, number=number, repeat=runs)
    return statistics.median(times) / number


def cold(path: Path, body: str, runs: int) -> float:
    code = COLD.format(path=str(path), body=body)
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        )
        samples.append(float(done.stdout.split()[-1]))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--policy", type=Path, default=DEFAULT_POLICY)
    args = parser.parse_args()
    setup = SETUP.format(path=str(args.policy))
    shown = args.policy.relative_to(REPO) if args.policy.is_relative_to(REPO) else args.policy
    print(f"policy: {shown}")
    print(f"{'':28}{'anchor (schema)':>18}{'checked':>12}{'ratio':>8}")
    for label, measure in (
        ("warm, per load", lambda body: warm(setup, body, args.runs)),
        ("cold, first load", lambda body: cold(args.policy, body, args.runs)),
    ):
        anchor, checked = measure(ANCHOR), measure(CHECKED)
        print(
            f"{label:28}{anchor * 1e3:>15.2f} ms{checked * 1e3:>9.2f} ms{checked / anchor:>7.1f}x"
        )


if __name__ == "__main__":
    main()
