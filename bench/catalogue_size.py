"""`validate`, `report` and `list` at this tree's catalogue size, against an anchor commit's.

    .venv/bin/python bench/catalogue_size.py [--anchor main] [--runs 5]

The anchor commit is exported with `git archive` into a temporary directory; each tree's own
code then runs on its own bundled catalogue, as whole `python -m licensecmp` processes
(start-up included) alternated run by run so machine load falls on both alike. Prints the
entries and Hub licence ids (of `tests/data/hub-license-ids.txt`) each tree covers, every
command's median per tree, the median ratio this/anchor, and the ratio per catalogue entry.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HUB_IDS = REPO / "tests" / "data" / "hub-license-ids.txt"
COMMANDS = {
    "validate": ["validate"],
    "report": ["report", "--out", "{out}"],
    "list": ["list"],
}
# Run in each tree: its entry count and how many of the Hub's ids it resolves (a family id
# counts when the tree knows families).
COVERAGE = """
import sys
from licensecmp.service import open_catalogue
catalogue, _ = open_catalogue()
try:
    from licensecmp import families
except ImportError:
    families = None
ids = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
def known(i):
    if families is not None and families.match(i, catalogue) is not None:
        return True
    return catalogue.resolve(i) is not None
import licensecmp
print(len(catalogue), sum(map(known, ids)), len(ids), licensecmp.__file__)
"""


def export(anchor: str, dest: Path) -> Path:
    """The anchor commit's tree under `dest` (symlinks kept, as git stores them)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", anchor],
        check=True,
        capture_output=True,
    ).stdout
    tar_path = dest / "anchor.tar"
    tar_path.write_bytes(archive)
    tree = dest / "anchor"
    with tarfile.open(tar_path) as tar:
        tar.extractall(tree, filter="tar")
    return tree


def env_for(tree: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), NO_COLOR="1")
    env.pop("LICENSECMP_LICENSES", None)
    return env


def run(tree: Path, args: list[str], scratch: Path) -> float:
    out = tempfile.mkdtemp(dir=scratch)
    argv = [sys.executable, "-m", "licensecmp", *(a.format(out=out) for a in args)]
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=scratch, env=env_for(tree), capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{tree}: {' '.join(args)} exited {done.returncode}: {done.stderr[-500:]!r}"
        )
    return elapsed


def coverage(tree: Path, scratch: Path) -> tuple[int, int, int]:
    """Entries and Hub ids resolved; the import must come from `tree`, not an installed copy."""
    done = subprocess.run(
        [sys.executable, "-c", COVERAGE, str(HUB_IDS)],
        cwd=scratch,
        env=env_for(tree),
        capture_output=True,
        text=True,
        check=True,
    )
    entries, resolved, total, source = done.stdout.split()
    if not Path(source).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"{tree}: licensecmp was imported from {source}, not from the tree")
    return int(entries), int(resolved), int(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchor", default="main", help="commit to compare against")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="licensecmp-bench-") as tmp:
        scratch = Path(tmp)
        trees = {"anchor": export(args.anchor, scratch), "this": REPO}
        sizes = {}
        for name, tree in trees.items():
            entries, resolved, total = coverage(tree, scratch)
            sizes[name] = entries
            label = f"{args.anchor}" if name == "anchor" else "this tree"
            print(f"{label:>10}: {entries} entries; {resolved} of {total} Hub licence ids resolve")
        print(f"runs: {args.runs} per command per tree, alternated; whole processes\n")
        print(f"{'command':9} {'anchor ms':>10} {'this ms':>10} {'ratio':>7} {'per entry':>10}")
        per_entry_scale = sizes["anchor"] / sizes["this"]
        for command, argv in COMMANDS.items():
            for tree in trees.values():  # warm: .pyc files and page cache
                run(tree, argv, scratch)
            times: dict[str, list[float]] = {"anchor": [], "this": []}
            for _ in range(args.runs):
                for name, tree in trees.items():
                    times[name].append(run(tree, argv, scratch))
            anchor = statistics.median(times["anchor"])
            this = statistics.median(times["this"])
            ratio = this / anchor
            print(
                f"{command:9} {anchor * 1000:10.0f} {this * 1000:10.0f} {ratio:7.2f} "
                f"{ratio * per_entry_scale:10.2f}"
            )


if __name__ == "__main__":
    main()
