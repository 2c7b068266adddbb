"""Time to write the standard report set, beside `licensecmp validate` on the same catalogue.

    .venv/bin/python bench/report_speed.py [--runs 9]

In-process: `reportset.write_set` of the whole catalogue (74 files: index, one page per licence,
one history per version chain, the flagship comparison; HTML and Markdown) into a fresh
directory per run, against `validate.run([licenses_dir])`; the catalogue is loaded once, and a
first, untimed run compiles the templates. Whole processes: `licensecmp report --out DIR`
against `licensecmp validate`, alternated, start-up included; skipped, saying so, when the CLI
has no `report` command yet. Prints medians and the median ratio report/validate (target < 3).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from licensecmp import reportset, validate  # noqa: E402
from licensecmp.compare import catalogue_digest  # noqa: E402
from licensecmp.report.meta import Meta  # noqa: E402
from licensecmp.resources import bundled_licenses  # noqa: E402
from licensecmp.service import open_catalogue  # noqa: E402

TARGET = 3.0


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def compared(runs: int, name_a: str, a: Callable[[], object], b: Callable[[], object]) -> None:
    a(), b()  # warm: templates compiled, page cache and .pyc files filled
    times_a, times_b, ratios = [], [], []
    for _ in range(runs):
        ta, tb = timed(a), timed(b)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    print(f"  {name_a:34} median {statistics.median(times_a) * 1000:7.1f} ms")
    print(f"  {'validate':34} median {statistics.median(times_b) * 1000:7.1f} ms")
    ratio = statistics.median(ratios)
    verdict = "ok" if ratio < TARGET else "OVER TARGET"
    print(f"  median ratio report/validate: {ratio:.2f} (target < {TARGET:g}) {verdict}")


def in_process(runs: int, scratch: Path) -> None:
    catalogue, problems = open_catalogue()
    if problems:
        sys.exit(f"catalogue has problems, first: {problems[0]}")
    meta = Meta(catalogue_digest(catalogue))
    licenses = bundled_licenses()
    counter = iter(range(10**6))
    written: list[int] = []

    def report() -> None:
        written.append(len(reportset.write_set(catalogue, scratch / f"set-{next(counter)}", meta)))

    print(f"in-process: {len(catalogue)} licences, {runs} alternated runs")
    compared(runs, "write_set (whole set, fresh dir)", report, lambda: validate.run([licenses]))
    print(f"  files per set: {written[-1]}")


def whole_process(runs: int, scratch: Path) -> None:
    exe = str(Path(sys.executable).with_name("licensecmp"))
    probe = subprocess.run([exe, "report", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        print("whole process: skipped, the CLI has no `report` command yet (in-process only)")
        return
    counter = iter(range(10**6))

    def run(*args: str) -> None:
        done = subprocess.run([exe, *args], cwd=REPO, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"licensecmp {args[0]} failed ({done.returncode}): {done.stderr[-500:]}")

    def report() -> None:
        run("report", "--out", str(scratch / f"cli-{next(counter)}"))

    print(f"whole process (start-up included), {runs} alternated runs")
    compared(runs, "licensecmp report --out DIR", report, lambda: run("validate"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="licensecmp-bench-") as tmp:
        in_process(args.runs, Path(tmp))
        whole_process(args.runs, Path(tmp))


if __name__ == "__main__":
    main()
