"""Time to render check results as a CycloneDX BOM, beside the other whole-run formats.

    .venv/bin/python bench/bom_speed.py [--models 2500] [--runs 5]

`scan --author` of an organisation renders thousands of results at once. In-process, on the
same synthetic results (a Llama fine-tune with its base, five findings and two duties each;
every tenth one undecided): `report.bom.check_result` against the anchors `report.check
.json_line` for each result (what `--format json` prints) and `report.markdown.check_result`
(the other page written at the end). A first, untimed run warms every path. Prints medians,
the median ratios and the BOM's size; nothing is enforced.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from licensecmp import service  # noqa: E402
from licensecmp.model import (  # noqa: E402
    CheckResult,
    Finding,
    LineageNode,
    Obligation,
    Severity,
    Verdict,
)
from licensecmp.report import bom, check, markdown  # noqa: E402
from licensecmp.report.meta import Meta  # noqa: E402

BASE = "meta-llama/Llama-3.1-8B"


def results(count: int) -> list[CheckResult]:
    out = []
    for i in range(count):
        model = f"acme/model-{i:05d}"
        if i % 10 == 9:
            error = "Hub unavailable: 503 after 4 tries"
            out.append(CheckResult(model, model, None, None, (), (), None, Verdict.REVIEW, (),
                                   "acme", "hub https://huggingface.co", error=error))  # fmt: skip
            continue
        sha = f"{i:040x}"
        lineage = (
            LineageNode(model, sha, None, None, 0, "apache-2.0", ("apache-2.0",)),
            LineageNode(BASE, "f" * 40, "finetune", model, 1, "llama3.1", ("llama-3.1",), "manual"),
        )
        findings = tuple(
            Finding(
                Severity.REVIEW if k % 2 else Severity.INFO,
                f"code-{k}",
                f"finding {k} of {model}: the licence changes above 700,000,000 users",
                license="llama-3.1",
                clause="user_threshold",
                document="Llama 3.1 Community License Agreement",
                section="2. Additional Commercial Terms",
                quote="If, on the Llama 3.1 version release date, the monthly active users",
                model=BASE,
            )
            for k in range(5)
        )
        duties = tuple(
            Obligation("llama-3.1", "attribution", f'display "Built with Llama" ({k})', ("x",))
            for k in range(2)
        )
        licenses = ("apache-2.0", "llama-3.1")
        out.append(CheckResult(model, model, sha, "apache-2.0", licenses, lineage, None,
                               Verdict.REVIEW, findings, "acme", "hub https://huggingface.co",
                               obligations=duties))  # fmt: skip
    return out


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    catalogue = service.strict_catalogue(None)
    policy = service.checker(None, None).policy
    meta = Meta(catalogue.digest, "2025-01-31")
    batch = results(args.models)
    runs: dict[str, Callable[[], object]] = {
        "cyclonedx (report.bom)": lambda: bom.check_result(batch, meta, catalogue, policy),
        "json lines (anchor)": lambda: "".join(check.json_line(r) for r in batch),
        "markdown page (anchor)": lambda: markdown.check_result(batch, meta, catalogue, policy),
    }
    size = len(bom.check_result(batch, meta, catalogue, policy))  # warm
    for work in runs.values():
        work()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.runs):
        for name, work in runs.items():  # alternated, so drift hits every format alike
            times[name].append(timed(work))
    print(f"{args.models} results, {args.runs} runs; BOM {size / 1e6:.1f} MB")
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, median in medians.items():
        print(f"  {name:26} median {median:7.2f} s  {args.models / median:8.0f} models/s")
    bom_time = medians["cyclonedx (report.bom)"]
    for name in list(runs)[1:]:
        print(f"  ratio cyclonedx / {name.split(' (')[0]}: {bom_time / medians[name]:.1f}")


if __name__ == "__main__":
    main()
