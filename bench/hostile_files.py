"""Hostile local files and outputs: wall time, peak memory and outcome, anchor against this tree.

Each case builds its hostile input in a scratch directory, then runs `python -m licensecmp …`
as a whole process, once with the anchor's source (default: `git archive main`) and once with
this tree, and prints both side by side. A run is killed after its timeout (a FIFO read
blocks forever) and its address space is capped (`--memory`, default 2 GiB) so that a
`/dev/zero` read fails instead of taking the machine. Peak RSS is the child's own, from
wait4(2).

    .venv/bin/python bench/hostile_files.py [--anchor-ref main] [--only identify-20mb,...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "tests" / "data" / "good" / "mit.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Path], list[str]]  # builds inputs in the scratch dir, returns CLI args
    timeout: float = 60.0
    check: Callable[[Path], str] | None = None  # after the run: what happened to the files
    pipe_closed: bool = False  # stdout's reader gone before the first write (`| head -0`)


@dataclass(frozen=True)
class Outcome:
    code: str
    seconds: float
    peak_mb: float
    stderr: str
    note: str


# --- the cases --------------------------------------------------------------------------------


def identify_20mb(d: Path) -> list[str]:
    (d / "big.txt").write_bytes(b"the licensee shall not use the materials " * 500_000)
    return ["identify", "big.txt"]


def identify_backtrack(d: Path) -> list[str]:
    n = 1024 * 1024 - 16  # under the limit: these are read, so cleaning them must be linear
    (d / "brackets.txt").write_text("[" * n)
    (d / "blank-lines.txt").write_text("\n" * n)
    (d / "link-opens.txt").write_text("[a](" * (n // 4))
    return ["identify", "brackets.txt", "blank-lines.txt", "link-opens.txt"]


def dev_zero(d: Path) -> list[str]:
    return ["validate", "/dev/zero"]


def fifo(d: Path) -> list[str]:
    os.mkfifo(d / "fifo.yaml")
    return ["validate", "fifo.yaml"]


def zero_neighbour(d: Path) -> list[str]:
    (d / "licenses").mkdir()
    shutil.copy(GOOD, d / "licenses" / "mit.yaml")
    (d / "licenses" / "zero.yaml").symlink_to("/dev/zero")
    return ["validate", "licenses/mit.yaml"]


def loop_neighbour(d: Path) -> list[str]:
    (d / "licenses").mkdir()
    shutil.copy(GOOD, d / "licenses" / "mit.yaml")
    (d / "licenses" / "loop.yaml").symlink_to("loop.yaml")
    return ["validate", "licenses/mit.yaml"]


def long_int(d: Path) -> list[str]:
    text = GOOD.read_text(encoding="utf-8").replace("id: mit\n", "id: mit\nx: " + "9" * 5000 + "\n")
    (d / "mit.yaml").write_text(text, encoding="utf-8")
    return ["validate", "mit.yaml"]


def deep_json(d: Path) -> list[str]:
    (d / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    return ["check", "--snapshot", "deep.json", "a/b"]


def big_snapshot(d: Path) -> list[str]:
    models = {}
    i = 0
    size = 0
    while size < 16 * 1024 * 1024:
        mid = f"org/model-{i:06d}"
        models[mid] = {
            "id": mid,
            "sha": f"{i:040x}",
            "card_licenses": ["llama3.1"],
            "license_name": None,
            "license_link": None,
            "tag_licenses": ["llama3.1"],
            "gated": "manual" if i % 3 == 0 else None,
            "pipeline_tag": "text-generation",
            "tags": ["transformers", "safetensors", "llama", "text-generation", "en"],
            "files": ["README.md", "config.json", "model.safetensors", "LICENSE"],
            "base_models": [{"id": "meta-llama/Llama-3.1-8B", "relation": "finetune"}],
            "eu_disallowed": False,
            "downloads": i,
        }
        size += 560
        i += 1
    last = f"org/model-{i - 10:06d}"
    models[last]["pipeline_tag"] = 12  # the one bad field, near the end
    doc = {
        "format": "licensecmp-snapshot",
        "format_version": 1,
        "endpoint": "https://huggingface.co",
        "taken_at": "2026-11-27T00:00:00Z",
        "tool": "bench",
        "models": models,
        "aliases": {},
        "files": {},
        "licenses": {},
    }
    (d / "big.json").write_text(json.dumps(doc, indent=1, sort_keys=True))
    return ["check", "--snapshot", "big.json", last]


def closed_pipe(d: Path) -> list[str]:
    return ["compare", "mit", "apache-2.0", "llama-3.1"]


def no_dir(d: Path) -> list[str]:
    return ["compare", "mit", "-o", "nodir/x.html"]


def planted_symlink(d: Path) -> list[str]:
    (d / "victim.txt").write_text("precious")
    (d / ".report.html.tmp").symlink_to("victim.txt")
    return ["compare", "mit", "-o", "report.html"]


def victim(d: Path) -> str:
    kept = (d / "victim.txt").read_text() == "precious"
    return "victim kept" if kept else "VICTIM OVERWRITTEN"


def foreign_docs(d: Path) -> list[str]:
    docs = d / "docs"
    (docs / "licenses").mkdir(parents=True)
    (docs / "index.md").write_text("my notes")
    (docs / "licenses" / "ours.md").write_text("our notes")
    return ["report", "--out", "docs"]


def docs_kept(d: Path) -> str:
    left = [
        rel
        for rel, text in (("index.md", "my notes"), ("licenses/ours.md", "our notes"))
        if (d / "docs" / rel).is_file() and (d / "docs" / rel).read_text() == text
    ]
    return f"{len(left)}/2 user files intact"


CASES = [
    Case("identify-20mb", identify_20mb, timeout=180),
    Case("identify-1mib-backtrack", identify_backtrack, timeout=120),
    Case("validate-dev-zero", dev_zero),
    Case("validate-fifo", fifo, timeout=15),
    Case("neighbour-dev-zero", zero_neighbour),
    Case("neighbour-symlink-loop", loop_neighbour),
    Case("int-5000-digits", long_int),
    Case("json-100k-deep", deep_json),
    Case("snapshot-16mb-bad-field", big_snapshot, timeout=240),
    Case("closed-pipe", closed_pipe, pipe_closed=True),
    Case("output-nodir", no_dir),
    Case("planted-tmp-symlink", planted_symlink, check=victim),
    Case("report-foreign-dir", foreign_docs, check=docs_kept),
]


# --- running ----------------------------------------------------------------------------------


def run(case: Case, source: Path, scratch: Path, memory: int) -> Outcome:
    args = case.setup(scratch)
    env = {**os.environ, "PYTHONPATH": str(source), "NO_COLOR": "1"}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "licensecmp", *args],
            cwd=scratch,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if case.pipe_closed else subprocess.DEVNULL,
            stderr=err,
            preexec_fn=limit,
            start_new_session=True,
        )
        if case.pipe_closed:
            assert proc.stdout is not None
            proc.stdout.close()
        status, usage = _wait(proc.pid, case.timeout)
        seconds = time.perf_counter() - started
        proc.returncode = 0  # reaped by _wait
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if status is None:
        code = f"timeout {case.timeout:.0f}s"
    elif os.WIFSIGNALED(status):
        code = f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    else:
        code = str(os.WEXITSTATUS(status))
    note = case.check(scratch) if case.check else ""
    return Outcome(code, seconds, usage.ru_maxrss / 1024, stderr, note)


def _wait(pid: int, timeout: float) -> tuple[int | None, resource.struct_rusage]:
    deadline = time.monotonic() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            _, _, usage = os.wait4(pid, 0)
            return None, usage
        time.sleep(0.02)


def anchor_tree(ref: str, into: Path) -> Path:
    """The anchor's source: `git archive REF`, so nothing of this tree leaks in."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=REPO, capture_output=True, check=True
    ).stdout
    dest = into / "anchor"
    dest.mkdir()
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(dest, filter="tar")
    return dest


def first_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return ""
    shown = lines[-1] if lines[0].startswith("Traceback") else lines[0]
    tag = "[traceback] " if any(ln.startswith("Traceback") for ln in lines) else ""
    return (tag + shown)[:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchor-ref", default="main")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--memory", type=int, default=2 * 1024**3, help="address-space cap")
    parser.add_argument("--no-anchor", action="store_true")
    args = parser.parse_args()
    chosen = [c for c in CASES if not args.only or c.name in args.only.split(",")]
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        sources = {"this": REPO}
        if not args.no_anchor:
            sources = {args.anchor_ref: anchor_tree(args.anchor_ref, Path(tmp)), **sources}
        print(f"{'case':<26} {'tree':<6} {'exit':>12} {'wall s':>8} {'peak MB':>8}  stderr / note")
        for case in chosen:
            results = {}
            for label, source in sources.items():
                scratch = Path(tmp) / f"{case.name}-{label}"
                scratch.mkdir()
                out = run(case, source, scratch, args.memory)
                results[label] = out
                detail = " · ".join(x for x in (first_line(out.stderr), out.note) if x)
                print(
                    f"{case.name:<26} {label[:6]:<6} {out.code:>12} {out.seconds:>8.2f} "
                    f"{out.peak_mb:>8.0f}  {detail}",
                    flush=True,
                )
                shutil.rmtree(scratch, ignore_errors=True)
            if len(results) == 2:
                a, b = results.values()
                print(
                    f"{'':<26} {'ratio':<6} {'':>12} {a.seconds / max(b.seconds, 1e-9):>7.1f}x "
                    f"{a.peak_mb / max(b.peak_mb, 1e-9):>7.1f}x"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
