"""Time and peak memory of `licensecmp` against a hostile Hub, before and after, side by side.

    .venv/bin/python bench/hostile_hub.py [--anchor main] [--limit 60] [--memory-mib 1536]
    .venv/bin/python bench/hostile_hub.py --only drip-metadata,gzip-bomb-metadata

Each case starts the fake Hub of the tests (`tests/hubserver.py`) in its own process, set up
to attack (drip, endless or inflating bodies, a `Link` to another host or to itself, a
3,000-base card, a redirect loop, a shared rate-limit quota), then runs one whole
`licensecmp` process against it twice: once from this tree ("after") and once from `--anchor`
(a git revision exported with `git archive`, "before"). Printed per run: exit status, wall
time, peak RSS (from `wait4`), Hub requests, and what leaked. A run is killed after `--limit`
seconds; its address space is capped at `--memory-mib` so a body that would take gigabytes
ends in MemoryError instead of swapping the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TOKEN = "hf_BenchTokenThatMustStayHome0004"
SECRET = "s3cret-pass"
MiB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    attack: str
    args: tuple[str, ...]
    token: bool = False
    credentials: bool = False
    interrupt_after: str | None = None
    """A request path prefix: once the Hub has seen two of these, the run gets SIGINT."""


CASES = [
    Case("enrich-link-elsewhere", "Link: next on another host, HF_TOKEN set",
         ("enrich", "--top", "5", "-o", "{tmp}/e.json"), token=True),
    Case("enrich-link-self", "Link: next names the page itself",
         ("enrich", "--top", "5", "-o", "{tmp}/e.json")),
    Case("enrich-429-3600", "listing 429 Retry-After: 3600",
         ("enrich", "--top", "5", "-o", "{tmp}/e.json")),
    Case("drip-metadata", "model_info body, 1 byte every 0.5 s; --timeout 5",
         ("check", "--format", "json", "--timeout", "5", "acme/target")),
    Case("drip-license", "LICENSE body, 1 byte every 0.5 s; --timeout 5",
         ("check", "--format", "json", "--timeout", "5", "acme/target")),
    Case("endless-metadata", "model_info body never ends",
         ("check", "--format", "json", "acme/target")),
    Case("300MB-metadata", "model_info body of 300 MB",
         ("check", "--format", "json", "acme/target")),
    Case("gzip-bomb-metadata", "model_info: 1 MB gzip inflating to 1 GiB",
         ("check", "--format", "json", "acme/target")),
    Case("endless-license", "LICENSE body never ends",
         ("check", "--format", "json", "acme/target")),
    Case("gzip-bomb-license", "LICENSE: 1 MB gzip inflating to 1 GiB",
         ("check", "--format", "json", "acme/target")),
    Case("3000-bases", "card listing 3,000 base models",
         ("check", "--format", "json", "acme/target")),
    Case("shared-429", "60 models, 8 workers, quota 10 per 2 s",
         ("check", "--format", "json", "--from-file", "{tmp}/models.txt")),
    Case("redirect-loop", "model_info redirects to itself",
         ("check", "--format", "json", "acme/target", "acme/fine")),
    Case("ctrl-c", "Ctrl-C with 3 done, 2 stalled, 15 queued",
         ("check", "--format", "json", "--concurrency", "2", "--from-file", "{tmp}/models.txt"),
         interrupt_after="/api/models/acme/slow-"),
    Case("credentials", "HF_ENDPOINT=http://user:secret@host; json, html, snapshot",
         ("check", "--format", "json", "acme/fine", "acme/missing"), credentials=True),
]  # fmt: skip


def _info(repo_id: str) -> str:
    return f"/api/models/{repo_id}?"


def _setup(case: str, hub: Any, other: Any, tmp: Path) -> None:
    """Arm the fake Hub for one case (runs in the server process)."""
    from tests.hubserver import resolve_path

    hub.add_model("meta-llama/Llama-3.1-8B", card_data={"license": "llama3.1"}, downloads=9)
    hub.add_model("acme/fine", card_data={"license": "mit"})
    sha = hub.add_model("acme/target", card_data={"license": "other"}, files={"LICENSE": b"x"})
    license_path = resolve_path("acme/target", sha, "LICENSE")
    if case == "enrich-link-elsewhere":
        hub.next_link("/api/models?", f"{other.url}/api/models?cursor=x")
    elif case == "enrich-link-self":
        hub.next_link("/api/models?")
    elif case == "enrich-429-3600":
        hub.fail("/api/models?", 429, times=None, headers={"Retry-After": "3600"})
    elif case == "drip-metadata":
        hub.drip(_info("acme/target"), b" " * 100_000, 0.5)
    elif case == "drip-license":
        hub.drip(license_path, b"MIT License " * 10_000, 0.5)
    elif case == "endless-metadata":
        hub.endless(_info("acme/target"))
    elif case == "300MB-metadata":
        hub.endless(_info("acme/target"), size=300 * MiB, declare=True)
    elif case == "gzip-bomb-metadata":
        hub.gzip_bomb(_info("acme/target"), 1024 * MiB)
    elif case == "endless-license":
        hub.endless(license_path)
    elif case == "gzip-bomb-license":
        hub.gzip_bomb(license_path, 1024 * MiB)
    elif case == "3000-bases":
        bases = [{"id": f"acme/base-{i:04}"} for i in range(3000)]
        hub.add_model(
            "acme/target",
            card_data={"license": "mit"},
            base_models={"relation": "merge", "models": bases},
        )
    elif case == "shared-429":
        names = [f"acme/m{i:03}" for i in range(60)]
        for name in names:
            hub.add_model(name, card_data={"license": "mit"})
        (tmp / "models.txt").write_text("\n".join(names) + "\n")
        hub.quota(limit=10, window=2.0)
    elif case == "redirect-loop":
        hub.fail(
            _info("acme/target"), 307, times=None, headers={"Location": "/api/models/acme/target?r"}
        )
    elif case == "ctrl-c":
        names = [f"acme/fast-{i}" for i in range(3)] + [f"acme/slow-{i:02}" for i in range(17)]
        for name in names:
            hub.add_model(name, card_data={"license": "mit"})
            if "slow" in name:
                hub.stall(_info(name), 20)
        (tmp / "models.txt").write_text("\n".join(names) + "\n")


def serve(case: str, tmp: str, conn: Connection) -> None:
    """The fake Hub (and a second host) for one case, in its own process."""
    from tests.hubserver import start_hub

    hub, other = start_hub(), start_hub()
    try:
        _setup(case, hub, other, Path(tmp))
        conn.send(hub.url)
        while True:
            message = conn.recv()
            if message == "stop":
                break
            prefix = message
            conn.send(
                {
                    "requests": len(hub.requests),
                    "matching": hub.count(prefix) if prefix else 0,
                    "other_host": len(other.requests),
                    "token_sent": sum(
                        TOKEN in r.headers.get("authorization", "")
                        for r in [*hub.requests, *other.requests]
                    ),
                    "rate_limited": hub.rate_limited,
                }
            )
    finally:
        hub.stop()
        other.stop()


def _run(case: Case, python_path: str, limit: float, memory: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        server = context.Process(target=serve, args=(case.name, tmp, child), daemon=True)
        server.start()
        url = parent.recv()
        endpoint = (
            url.replace("http://", f"http://bench-user:{SECRET}@") if case.credentials else url
        )
        env = {
            **os.environ,
            "HF_ENDPOINT": endpoint,
            "HF_HOME": f"{tmp}/hf",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "PYTHONPATH": python_path,
        }
        env.pop("HF_TOKEN", None)
        if case.token:
            env["HF_TOKEN"] = TOKEN
        args = [a.format(tmp=tmp) for a in case.args]

        def cap() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "licensecmp", *args],
            cwd=tmp,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=cap,
        )
        out_file, err_file = proc.stdout, proc.stderr
        assert out_file is not None and err_file is not None
        os.set_blocking(out_file.fileno(), False)
        os.set_blocking(err_file.fileno(), False)
        out, err = bytearray(), bytearray()
        killed = False
        signalled: float | None = None
        status, usage = 0, None
        while True:
            for handle, sink in ((out_file, out), (err_file, err)):
                with contextlib.suppress(BlockingIOError, TypeError):
                    sink += handle.read() or b""
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.monotonic()
            if case.interrupt_after and signalled is None:
                parent.send(case.interrupt_after)
                if parent.recv()["matching"] >= 2:
                    proc.send_signal(signal.SIGINT)
                    signalled = now
            if now - started > limit:
                proc.kill()
                killed = True
            time.sleep(0.02)
        wall = time.monotonic() - started
        for handle, sink in ((out_file, out), (err_file, err)):
            with contextlib.suppress(BlockingIOError, TypeError):
                sink += handle.read() or b""
        proc.returncode = os.waitstatus_to_exitcode(status)
        parent.send("")
        stats = parent.recv()
        parent.send("stop")
        server.join(10)
        written = "".join(
            p.read_text(errors="replace") for p in Path(tmp).glob("*.json") if p.is_file()
        )
    text = (out + err).decode(errors="replace")
    last = [line for line in err.decode(errors="replace").splitlines() if line.strip()]
    return {
        "exit": "killed" if killed else proc.returncode,
        "wall": wall,
        "after_sigint": None if signalled is None else started + wall - signalled,
        "rss_mib": usage.ru_maxrss / 1024 if usage else 0.0,
        "lines_out": len(out.decode(errors="replace").splitlines()),
        "leaked": (SECRET in text or SECRET in written) if case.credentials else None,
        "last_err": (last[-1] if last else "")[:90],
        "memory_error": "MemoryError" in text,
        **stats,
    }


def _export(anchor: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", anchor], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _row(case: Case, label: str, r: dict[str, Any]) -> str:
    extra = []
    if r["other_host"]:
        extra.append(f"{r['other_host']} req to other host")
    if r["token_sent"]:
        extra.append(f"token sent {r['token_sent']}x")
    if r["rate_limited"]:
        extra.append(f"{r['rate_limited']} x 429")
    if r["after_sigint"] is not None:
        extra.append(f"exit {r['after_sigint']:.1f} s after SIGINT, {r['lines_out']} lines kept")
    if r["leaked"] is not None:
        extra.append("secret SHOWN" if r["leaked"] else "secret not shown")
    if r["memory_error"]:
        extra.append("MemoryError at the cap")
    note = "; ".join(extra) or r["last_err"]
    return (
        f"| {case.name} | {label} | {r['exit']} | {r['wall']:.1f} | {r['rss_mib']:.0f} | "
        f"{r['requests']} | {note} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--anchor", default="main", help="git revision measured as 'before'")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a run is killed")
    parser.add_argument("--memory-mib", type=int, default=1536, help="address-space cap per run")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--no-anchor", action="store_true", help="measure this tree only")
    options = parser.parse_args()
    chosen = [c for c in CASES if not options.only or c.name in options.only.split(",")]
    memory = options.memory_mib * MiB
    print(f"limit {options.limit:g} s per run, address space capped at {options.memory_mib} MiB")
    print("| case | tree | exit | wall s | peak RSS MiB | Hub requests | note |")
    print("| --- | --- | --- | ---: | ---: | ---: | --- |")
    with tempfile.TemporaryDirectory(prefix="hostile-anchor-") as anchor_dir:
        before = None if options.no_anchor else _export(options.anchor, Path(anchor_dir))
        for case in chosen:
            runs = [("after", str(REPO))]
            if before is not None:
                runs.insert(0, (f"before ({options.anchor})", str(before)))
            for label, path in runs:
                result = _run(case, path, options.limit, memory)
                print(_row(case, label, result), flush=True)


if __name__ == "__main__":
    main()
