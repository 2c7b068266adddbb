"""What each command costs as the catalogue grows: this tree beside an anchor commit, one run.

    .venv/bin/python bench/catalogue_load.py [--runs 5] [--anchor REV] [--anchor-sizes 31]

Catalogues: the bundled one (size key 31, its size when this was written; the table prints
its real count) and synthetic ones of 100, 300 and 1,000 licences
(the bundled files, then copies with every id, Hub id, SPDX id and family renamed, so the copies
are valid and clash with nothing), given with `--licenses DIR`. Commands, as whole processes
(start-up included), medians of `--runs` interleaved runs after one warm-up each (the warm-up
fills this tree's cache, as a user's first run would): `list`, `show llama3.1`, `compare` of 5
licences to HTML, `check` of one fine-tune of Llama 3.1 against the fake Hub of the tests
(`tests/hubserver.py`, on 127.0.0.1), and `validate` of one file with its neighbours (the
pre-commit case). The anchor (default: the merge base with `main`, extracted with `git archive`)
runs the same commands with this venv's dependencies.

Then `report --out` at 100, 300 and 1,000 licences: seconds, pages written, cost per page and
the peak resident memory of the process; and `validate DIR` of each synthetic catalogue (every
file validated in full, as `validate` always does) for both trees, one run each.

Targets: at 31, this tree <= 1/3 of the anchor; at 1,000, <= 1.5x the same command at 31.
Printed as a table with the ratios; exit status 0 (speed is reported, not enforced).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.hubserver import FakeHub  # noqa: E402

SIZES = (31, 100, 300, 1000)
MODEL = "acme/Llama-3.1-8B-legal-ft"
COMMANDS: dict[str, list[str]] = {
    "list": ["list"],
    "show llama3.1": ["show", "llama3.1"],
    "compare 5, html": ["compare", "llama3.1", "gemma", "qwen", "mit", "gpt-oss", "-o", "{out}"],
    "check 1 model": ["check", MODEL, "--format", "json"],
    "validate 1 file": ["validate", "{dir}/mit.yaml"],
}


def synthetic(originals: list[Path], size: int, dest: Path) -> Path:
    """`size` licence files: the originals, then renamed copies of whole families (a version
    chain is copied whole or not at all, so every copy stays valid) until the count is reached."""
    dest.mkdir(parents=True)
    docs = {
        p.name: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in originals
    }
    for name in docs:
        (dest / name).write_bytes((originals[0].parent / name).read_bytes())
    families: dict[str, list[dict]] = {}
    for data in docs.values():
        families.setdefault(data["family"], []).append(data)
    groups = sorted(families.values(), key=len, reverse=True)
    made, copy = len(docs), 1
    while made < size:
        for group in groups:
            if made + len(group) > size:
                continue
            for data in group:
                (dest / f"{data['id']}-c{copy}.yaml").write_text(
                    yaml.dump(
                        _renamed(data, copy),
                        Dumper=yaml.CSafeDumper,
                        sort_keys=False,
                        allow_unicode=True,
                    ),
                    encoding="utf-8",
                )
            made += len(group)
        copy += 1
    return dest


def _renamed(data: dict, copy: int) -> dict:
    out = dict(data)
    tag = f"-c{copy}"
    out["id"] += tag
    out["name"] += f" (copy {copy})"
    out["family"] += tag
    out["spdx_id"] += tag
    for field in ("supersedes", "superseded_by"):
        if out[field]:
            out[field] += tag
    for field in ("hub_license_ids", "hub_license_names"):
        out[field] = [v + tag for v in out[field]]
    return out


def run(
    cmd: list[str], env: dict[str, str], cwd: Path, ok: tuple[int, ...] = (0, 1)
) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process. `cwd` must not hold a licensecmp
    package: `python -m` would import it instead of the tree on PYTHONPATH."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, cwd=cwd)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()[-800:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def peak(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, str]:
    """Seconds, peak RSS (KiB) and stderr of one process, measured by a wrapper of its own."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); d = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "t = time.perf_counter() - t\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, d.returncode)\n"
        "sys.stderr.write(d.stderr.decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], env=env, capture_output=True, text=True, cwd=cwd
    )
    seconds, rss, code = done.stdout.split()
    if code != "0":
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-800:]}")
    return float(seconds), int(rss), done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--anchor", help="git revision to compare with (default: merge base)")
    parser.add_argument("--anchor-sizes", default="31", help="sizes the anchor runs at")
    parser.add_argument("--no-report", action="store_true", help="skip the report runs")
    args = parser.parse_args()
    anchor_sizes = {int(s) for s in args.anchor_sizes.split(",") if s}
    rev = (
        args.anchor
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )

    with tempfile.TemporaryDirectory(prefix="licensecmp-bench-") as tmp_name, FakeHub() as hub:
        tmp = Path(tmp_name)
        hub.add_model("meta-llama/Llama-3.1-8B", card_data={"license": "llama3.1"}, gated="manual")
        hub.add_model(
            MODEL, card_data={"license": "apache-2.0", "base_model": "meta-llama/Llama-3.1-8B"}
        )
        anchor = tmp / "anchor"
        anchor.mkdir()
        archive = subprocess.run(["git", "archive", rev], cwd=REPO, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(anchor)], input=archive.stdout, check=True)
        originals = sorted((REPO / "licenses").glob("*.yaml"))
        dirs = {n: synthetic(originals, n, tmp / f"cat-{n}") for n in SIZES if n > 31}
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base_env.update(
            HF_ENDPOINT=hub.url,
            HF_HOME=str(tmp / "hf-home"),
            HF_HUB_DISABLE_TELEMETRY="1",
            LICENSECMP_CACHE=str(tmp / "cache"),
        )
        base_env.pop("LICENSECMP_LICENSES", None)
        trees = {"anchor": anchor, "this": REPO}

        def command(tree: str, size: int, name: str) -> list[str]:
            where = trees[tree]
            folder = dirs.get(size, where / "licenses")
            argv = [
                a.format(out=tmp / f"out-{tree}-{size}.html", dir=folder) for a in COMMANDS[name]
            ]
            extra = (
                ["--licenses", str(folder)] if size in dirs and name != "validate 1 file" else []
            )
            return [sys.executable, "-m", "licensecmp", *argv, *extra]

        def env(tree: str) -> dict[str, str]:
            return {**base_env, "PYTHONPATH": str(trees[tree])}

        cells = [
            (tree, size, name)
            for name in COMMANDS
            for size in SIZES
            for tree in ("anchor", "this")
            if tree == "this" or size in anchor_sizes
        ]
        neutral = tmp / "cwd"
        neutral.mkdir()
        for tree, size, name in cells:  # warm-up: .pyc files, the page cache, this tree's cache
            run(command(tree, size, name), env(tree), neutral)
        times: dict[tuple[str, int, str], list[tuple[float, float]]] = {c: [] for c in cells}
        for _ in range(args.runs):
            for cell in cells:
                times[cell].append(run(command(*cell), env(cell[0]), neutral))
        for i, what in enumerate(("wall", "CPU (user + system)")):
            med = {cell: statistics.median(v[i] for v in vs) for cell, vs in times.items()}
            print(f"\n{what}: anchor {rev[:10]} vs this tree, medians of {args.runs} runs (ms)")
            label = {n: str(n) for n in SIZES} | {31: f"bundled ({len(originals)})"}
            head = ["command", *(f"anchor {label[n]}" for n in sorted(anchor_sizes))]
            head += [*(f"this {label[n]}" for n in SIZES), "this/anchor, bundled"]
            head += ["1000/bundled"]
            rows = []
            for name in COMMANDS:
                row = [
                    name,
                    *(f"{med['anchor', n, name] * 1000:.0f}" for n in sorted(anchor_sizes)),
                ]
                row += [f"{med['this', n, name] * 1000:.0f}" for n in SIZES]
                ratio = (
                    f"{med['this', 31, name] / med['anchor', 31, name]:.2f}"
                    if 31 in anchor_sizes
                    else "-"
                )
                row += [ratio, f"{med['this', 1000, name] / med['this', 31, name]:.2f}"]
                rows.append(row)
            _table(head, rows)
        print("targets: this/anchor on the bundled catalogue <= 0.33; 1000/bundled <= 1.5")

        if args.no_report:
            return
        print("\nreport --out, one run each (this tree)")
        report_rows = []
        for size in SIZES[1:]:
            out = tmp / f"reports-{size}"
            cmd = [sys.executable, "-m", "licensecmp", "report", "--out", str(out)]
            cmd += ["--licenses", str(dirs[size])]
            run(cmd, env("this"), neutral, ok=(0,))  # warm-up (fills the cache)
            seconds, rss, _ = peak(cmd, env("this"), neutral)
            pages = sum(1 for p in out.rglob("*") if p.is_file())
            report_rows.append((size, pages, seconds, rss))
        _table(
            ["licences", "pages", "seconds", "ms/page", "peak RSS MiB"],
            [
                [str(n), str(p), f"{s:.2f}", f"{s * 1000 / p:.1f}", f"{rss / 1024:.0f}"]
                for n, p, s, rss in report_rows
            ],
        )
        (n0, p0, s0, _), (n1, p1, s1, _) = report_rows[0], report_rows[-1]
        print(f"marginal cost {n0}->{n1} licences: {(s1 - s0) * 1000 / (p1 - p0):.1f} ms/page")

        print("\nvalidate DIR (every file in full), one run each: wall s, CPU s, ms per file")
        validate_rows = []
        for size in SIZES[1:]:
            row = [str(size)]
            for tree in ("anchor", "this"):
                cmd = [sys.executable, "-m", "licensecmp", "validate", str(dirs[size])]
                wall, cpu = run(cmd, env(tree), neutral, ok=(0,))
                row += [f"{wall:.2f}", f"{cpu:.2f}", f"{cpu * 1000 / size:.1f}"]
            validate_rows.append(row)
        _table(
            [
                "licences",
                *(f"{t} {m}" for t in ("anchor", "this") for m in ("wall", "CPU", "ms/f")),
            ],
            validate_rows,
        )


def _table(head: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
