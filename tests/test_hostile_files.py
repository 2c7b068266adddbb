"""Hostile local files and outputs, made at test time: devices, FIFOs, symlink loops, huge or
deeply nested inputs, planted symlinks, foreign output directories, escape sequences, a closed
pipe. Each must give a one-line message naming the file, the documented exit code, and never
hang, blow up memory or print a traceback.

Cases that could hang if the code regressed (a FIFO opened for reading blocks until a writer
comes) run the real CLI in a subprocess with a timeout, so a regression fails instead of
hanging the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from licensecmp import identify, reportset, snapshot, texts, yamlsource
from licensecmp.cli import main
from licensecmp.model import ModelFacts
from licensecmp.safeio import write_atomic

from .conftest import DATA, REPO

GOOD = DATA / "good" / "mit.yaml"
ESC_TITLE = "\x1b]0;pwned\x07"  # OSC: sets the terminal's title
CLEAR = "\x1b[2J"  # CSI: clears the screen
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
EVIL = f"evil/mo{CLEAR}del"


def cli(
    *args: str, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, killed (and the test failed) if it hangs."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "licensecmp", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
        env=env,
        check=False,
    )


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A licence directory with a good file and every kind of hostile neighbour."""
    d = tmp_path / "licenses"
    d.mkdir()
    shutil.copy(GOOD, d / "mit.yaml")
    (d / "zero.yaml").symlink_to("/dev/zero")
    (d / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(d / "fifo.yaml")
    return d


# --- 2. only regular files are read ---------------------------------------------------------


def test_validate_dev_zero_is_refused_unread(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "/dev/zero", str(GOOD)])
    assert result.exit_code == 3
    assert result.stdout == "/dev/zero: not a regular file (a character device)\n"
    assert "Traceback" not in result.output


def test_validate_fifo_and_symlink_loop_never_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    done = cli("validate", "fifo.yaml", "loop.yaml", cwd=tmp_path)
    assert done.returncode == 3
    assert done.stdout == (
        "fifo.yaml: not a regular file (a FIFO)\n"
        "loop.yaml: cannot read file: Too many levels of symbolic links\n"
    )
    assert "Traceback" not in done.stderr


def test_hostile_neighbours_of_a_changed_file_are_skipped_with_a_line(catalogue_dir: Path) -> None:
    # What the pre-commit hook runs: `licensecmp validate <changed files>`; the unchanged
    # neighbours are read for the cross-file checks, and a device, FIFO or loop among them is not.
    done = cli("validate", "licenses/mit.yaml", cwd=catalogue_dir.parent)
    assert done.returncode == 3
    assert done.stdout == (
        "licenses/fifo.yaml: skipped: not a regular file (a FIFO)\n"
        "licenses/loop.yaml: skipped: cannot read file: Too many levels of symbolic links\n"
        "licenses/zero.yaml: skipped: not a regular file (a character device)\n"
    )
    assert done.stderr == "4 file(s) checked, 3 with problems, 3 problem(s)\n"


def test_validating_the_directory_reports_each_hostile_entry(catalogue_dir: Path) -> None:
    done = cli("validate", "licenses", cwd=catalogue_dir.parent)
    assert done.returncode == 3
    assert done.stdout == (
        "licenses/fifo.yaml: not a regular file (a FIFO)\n"
        "licenses/loop.yaml: cannot read file: Too many levels of symbolic links\n"
        "licenses/zero.yaml: not a regular file (a character device)\n"
    )


def test_every_other_file_input_refuses_a_device_and_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    cases = [
        (["check", "--policy", str(fifo), "a/b"], 2, f"{fifo}: not a regular file (a FIFO)"),
        (["check", "--from-file", str(fifo)], 3, f"{fifo}: not a regular file (a FIFO)"),
        (
            ["check", "--snapshot", str(zero), "a/b"],
            3,
            f"{zero}: cannot read snapshot: not a regular file (a character device)",
        ),
        (
            ["report", "--snapshot", str(fifo), "--out", str(tmp_path / "r")],
            3,
            f"{fifo}: cannot read snapshot: not a regular file (a FIFO)",
        ),
        (["identify", str(fifo)], 3, f"{fifo}: not a regular file (a FIFO)"),
    ]
    for args, code, message in cases:
        done = cli(*args)
        assert done.returncode == code, (args, done.stderr)
        assert message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) <= 2, done.stderr  # one line (+ header)


def test_a_licence_text_that_is_a_device_is_a_problem_not_a_read(tmp_path: Path) -> None:
    texts_dir = tmp_path / "texts"
    texts_dir.mkdir()
    (texts_dir / "mit.license.txt").symlink_to("/dev/zero")
    done = cli("validate", "--texts", str(texts_dir), str(GOOD))
    assert done.returncode == 1
    assert (
        f"document 'license': {texts_dir}/mit.license.txt: not a regular file "
        "(a character device) [$.documents[0]]"
    ) in done.stdout


def test_reads_stop_at_the_limit_plus_one_byte(tmp_path: Path) -> None:
    # /proc files claim size 0 and may be long: the read itself is capped, not only the stat.
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (texts.MAX_BYTES + 10))
    from licensecmp import safeio
    from licensecmp.errors import TooLarge

    with pytest.raises(TooLarge, match=r"file is 1048586 bytes, over the 1048576-byte limit"):
        safeio.read_bytes(big, texts.MAX_BYTES)
    assert safeio.read_bytes(big, texts.MAX_BYTES + 10) == b"x" * (texts.MAX_BYTES + 10)


# --- 1. identify of a huge text ---------------------------------------------------------------


def test_identify_refuses_a_huge_text_and_goes_on(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # 20 MB of licence-like words
        handle.write(b"the licensee shall not use the materials " * 500_000)
    mit = tmp_path / "LICENSE"
    mit.write_text(
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
        'software and associated documentation files (the "Software"), to deal in the Software '
        "without restriction",
        encoding="utf-8",
    )
    done = cli("identify", str(huge), str(mit))
    assert done.returncode == 3
    size = huge.stat().st_size
    assert done.stderr == (
        f"{huge}: file is {size} bytes, over the {identify.MAX_BYTES}-byte limit\n"
    )
    assert done.stdout.startswith(f"{mit}: ")


def test_identify_of_texts_built_to_backtrack_finishes(tmp_path: Path) -> None:
    # Each just under the limit, each once quadratic in the cleaning regexes (hours at 1 MiB).
    n = identify.MAX_BYTES - 16
    hostile = {
        "blank-lines.txt": "\n" * n,
        "brackets.txt": "[" * n,
        "link-opens.txt": "[a](" * (n // 4),
        "autolinks.txt": "<http:" * (n // 6),
    }
    for name, text in hostile.items():
        (tmp_path / name).write_text(text)
    done = cli("identify", *hostile, cwd=tmp_path, timeout=300)  # a hang guard, not a timing
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        f"{name}: no catalogue licence (similarity 0.0)" for name in hostile
    ]


# --- 6. numbers, nesting and a big snapshot ---------------------------------------------------


def test_a_number_of_5000_digits_is_a_located_problem(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "mit.yaml"
    text = GOOD.read_text(encoding="utf-8").replace("id: mit\n", "id: mit\nx: " + "9" * 5000 + "\n")
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    line = text.splitlines().index("x: " + "9" * 5000) + 1
    assert result.stdout == (
        f"{bad}:{line}:4: number of 5000 characters, over the "
        f"{yamlsource.MAX_NUMBER_CHARS}-character limit; quote it if it is text\n"
    )


def test_deeply_nested_json_snapshot_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    result = runner.invoke(main, ["check", "--snapshot", str(deep), "a/b"])
    assert result.exit_code == 3
    assert result.stderr == f"licensecmp: error: {deep}: not a JSON snapshot: nested too deeply\n"


def test_a_snapshot_integer_over_the_conversion_limit_is_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "int.json"
    bad.write_text('{"format_version": ' + "9" * 5000 + "}")
    result = runner.invoke(main, ["check", "--snapshot", str(bad), "a/b"])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"licensecmp: error: {bad}: not a JSON snapshot: Exceeds the")
    assert len(result.stderr.splitlines()) == 1


def _facts(i: int, **fields: object) -> ModelFacts:
    base: dict[str, object] = {
        "id": f"org/model-{i:06d}",
        "sha": f"{i:040x}",
        "card_licenses": ("mit",),
    }
    return ModelFacts(**(base | fields))  # type: ignore[arg-type]


def _snapshot(models: list[ModelFacts]) -> snapshot.Snapshot:
    return snapshot.Snapshot(
        "https://hub.example", "2026-11-27T00:00:00Z", "licensecmp test", {m.id: m for m in models}
    )


def test_one_bad_field_in_a_big_snapshot_is_found_with_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    models = [_facts(i) for i in range(3000)]
    path = tmp_path / "big.json"
    snapshot.save(_snapshot(models), path)
    doc = json.loads(path.read_text())
    victim = "org/model-002500"
    doc["models"][victim]["pipeline_tag"] = 12  # a string or null is expected
    path.write_text(json.dumps(doc, indent=1, sort_keys=True))
    lines = path.read_text().splitlines()
    start = lines.index(f'  "{victim}": {{')
    line = next(n for n in range(start, len(lines)) if lines[n] == '   "pipeline_tag": 12,') + 1
    result = runner.invoke(main, ["check", "--snapshot", str(path), victim])
    assert result.exit_code == 3
    assert result.stderr == (
        "licensecmp: error: invalid snapshot:\n"
        f'{path}:{line}:20: 12 is not of types "null", "string" '
        f"[$.models.{victim}.pipeline_tag]\n"
    )


def test_a_huge_bad_value_is_shortened_in_the_message(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    snapshot.save(_snapshot([_facts(1)]), path)
    doc = json.loads(path.read_text())
    doc["models"]["org/model-000001"]["gated"] = ["x" * 1000] * 1000
    path.write_text(json.dumps(doc))
    result = runner.invoke(main, ["check", "--snapshot", str(path), "org/model-000001"])
    assert result.exit_code == 3
    assert len(result.stderr) < 500


# --- 3. report into someone else's directory --------------------------------------------------


def test_report_refuses_a_foreign_directory_and_never_deletes_its_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "licenses").mkdir(parents=True)
    own = {"index.md": "my notes", "licenses/ours.md": "our licence notes", "a.txt": "mine"}
    for rel, text in own.items():
        (docs / rel).write_text(text)
    done = cli("report", "--out", str(docs))
    assert done.returncode == 2
    assert done.stderr == (
        f"licensecmp: error: {docs}: directory holds files licensecmp did not write "
        f"(no {reportset.MANIFEST}); choose an empty or new directory, or pass --force to "
        "write the report set into it\n"
    )
    assert {rel: (docs / rel).read_text() for rel in own} == own

    forced = cli("report", "--out", str(docs), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (docs / "licenses" / "ours.md").read_text() == "our licence notes"  # not ours: kept
    assert (docs / "a.txt").read_text() == "mine"
    assert (docs / "index.md").read_text().startswith("# ")  # --force overwrites the set's names
    listed = json.loads((docs / reportset.MANIFEST).read_text())["files"]
    assert "licenses/ours.md" not in listed and "index.md" in listed
    again = cli("report", "--out", str(docs))  # the manifest makes it ours: no --force needed
    assert again.returncode == 0, again.stderr
    assert (docs / "licenses" / "ours.md").read_text() == "our licence notes"
    checked = cli("report", "--check", "--out", str(docs))
    assert checked.returncode == 0, checked.stdout


def test_the_committed_report_set_carries_its_manifest() -> None:
    manifest = json.loads((REPO / "reports" / reportset.MANIFEST).read_text())
    on_disk = {
        p.relative_to(REPO / "reports").as_posix()
        for p in (REPO / "reports").rglob("*")
        if p.is_file() and p.name != reportset.MANIFEST
    }
    assert set(manifest["files"]) == on_disk


# --- 4. atomic writes -------------------------------------------------------------------------


def test_a_planted_symlink_at_the_old_temporary_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "report.html"
    (tmp_path / ".report.html.tmp").symlink_to(victim)
    (tmp_path / f".report.html.{os.getpid()}.tmp").symlink_to(victim)
    done = cli("compare", "mit", "apache-2.0", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "precious"
    assert out.read_text().startswith("<!DOCTYPE html>")
    leftovers = {p.name for p in tmp_path.iterdir()} - {
        "victim.txt",
        "report.html",
        ".report.html.tmp",
        f".report.html.{os.getpid()}.tmp",
    }
    assert leftovers == set()  # no temporary file left behind


def test_an_existing_output_keeps_its_mode_and_a_new_one_follows_the_umask(
    tmp_path: Path,
) -> None:
    existing = tmp_path / "existing.txt"
    existing.write_text("old")
    existing.chmod(0o640)
    write_atomic(existing, "new")
    assert existing.read_text() == "new"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    done = subprocess.run(
        [sys.executable, "-c", "import os; os.umask(0o027); "
         "from pathlib import Path; from licensecmp.safeio import write_atomic; "
         f"write_atomic(Path({str(tmp_path / 'new.txt')!r}), 'x')"],
        check=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640  # 0666 & ~027


@pytest.fixture
def missing_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "nodir"
    assert not (tmp_path / "nodir").exists()


def test_output_into_a_missing_directory_is_one_line_exit_3(
    runner: CliRunner, missing_dir: Path, tmp_path: Path
) -> None:
    target = missing_dir / "x.html"
    texts_dir = tmp_path / "texts"
    texts_dir.mkdir()
    for args in (
        ["compare", "mit", "-o", str(target)],
        ["diff", "llama-3", "llama-3.1", "-o", str(target)],
        ["fingerprint", "--texts", str(texts_dir), "-o", str(target)],
        ["check", "--snapshot", str(DATA / "none.json"), "-o", str(target), "a/b"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 3, (args, result.output)
        assert result.stderr == (
            f"licensecmp: error: {target}: cannot write: directory {missing_dir} does not exist\n"
        )


# --- 5. control and bidi characters -----------------------------------------------------------


def _unmarkdown(text: str) -> str:
    """What Markdown shows for the brackets it escapes."""
    return text.replace("\\[", "[").replace("\\]", "]")


@pytest.fixture
def hostile_snapshot(tmp_path: Path) -> Path:
    facts = ModelFacts(
        id=EVIL,
        sha="0" * 40,
        card_licenses=("other",),
        license_name=f"x{ESC_TITLE}{CLEAR}y{RLO}gpl",
        pipeline_tag=f"text{RLO}",
    )
    path = tmp_path / "hostile.json"
    snapshot.save(_snapshot([facts]), path)
    return path


def test_check_text_and_markdown_show_control_characters_instead_of_obeying_them(
    runner: CliRunner, hostile_snapshot: Path
) -> None:
    for fmt in ("text", "markdown", "html"):
        result = runner.invoke(
            main, ["check", "--snapshot", str(hostile_snapshot), "--format", fmt, EVIL]
        )
        assert result.exit_code == 0, result.output
        shown = _unmarkdown(result.stdout) if fmt == "markdown" else result.stdout
        assert "evil/mo\\x1b[2Jdel" in shown, fmt
        for raw in ("\x1b", "\x07", RLO):
            assert raw not in result.stdout, (fmt, raw)
        assert "\\x1b]0;pwned\\x07\\x1b[2Jy\\u202egpl" in shown, fmt


def test_check_json_keeps_the_exact_data_with_the_characters_escaped(
    runner: CliRunner, hostile_snapshot: Path
) -> None:
    result = runner.invoke(
        main, ["check", "--snapshot", str(hostile_snapshot), "--format", "json", EVIL]
    )
    for raw in ("\x1b", "\x07", RLO):
        assert raw not in result.stdout
    doc = json.loads(result.stdout)
    assert doc["model"] == EVIL
    assert doc["declared_license"] == f"x{ESC_TITLE}{CLEAR}y{RLO}gpl"


@pytest.fixture
def hostile_catalogue(tmp_path: Path) -> Path:
    d = tmp_path / "cat"
    d.mkdir()
    text = GOOD.read_text(encoding="utf-8")
    name = next(ln for ln in text.splitlines() if ln.startswith("name: "))
    text = text.replace(name, 'name: "MIT\\e[2J\\e]8;;http://evil\\a License\\u202e"')
    text = text.replace(
        "text: the copyright notice and this permission notice",
        'text: "the notice\\e[2J\\u202e"',
    )
    (d / "mit.yaml").write_text(text, encoding="utf-8")
    shutil.copy(REPO / "licenses" / "fingerprints.json", d / "fingerprints.json")
    return d


def test_compare_and_show_of_a_user_catalogue_never_print_raw_controls(
    runner: CliRunner, hostile_catalogue: Path
) -> None:
    for args in (
        ["show", "mit"],
        ["list"],
        ["compare", "mit"],
        ["compare", "mit", "--format", "markdown"],
        ["compare", "mit", "--format", "html"],
        ["compare", "mit", "--format", "json"],
    ):
        result = runner.invoke(main, [*args, "--licenses", str(hostile_catalogue)])
        assert result.exit_code == 0, (args, result.output)
        for raw in ("\x1b", "\x07", RLO):
            assert raw not in result.stdout, (args, raw)
        if args == ["compare", "mit"]:  # the text table shows values and parameters only
            assert "the notice\\x1b[2J\\u202e" in result.stdout
        elif args[-1] != "json":
            shown = _unmarkdown(result.stdout) if "markdown" in args else result.stdout
            assert "MIT\\x1b[2J\\x1b]8;;http://evil\\x07 License" in shown, args


def test_validation_messages_show_control_characters(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "mit.yaml"
    text = GOOD.read_text(encoding="utf-8").replace("status: in_force", 'status: "x\\e[2J"')
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert "'x\\\\x1b[2J'" in result.stdout or "x\\x1b[2J" in result.stdout


def test_a_colour_terminal_keeps_our_colours_and_shows_theirs(hostile_catalogue: Path) -> None:
    from licensecmp import service
    from licensecmp.report import comparison

    table, _ = service.comparison(hostile_catalogue, ["mit"])
    rendered = comparison.text(table, color=True)
    assert "\x1b[32m✓ Permissive: Permitted\x1b[0m" in rendered  # ours
    assert "\x1b[2J" not in rendered and "\\x1b[2J" in rendered  # theirs, shown


# --- 7. a closed pipe -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["schema"], ["compare", "mit", "apache-2.0", "llama-3.1"], ["validate", "--format", "json"]],
)
def test_a_closed_pipe_exits_141_quietly(args: list[str]) -> None:
    # `licensecmp ... | head -0`: the reader is gone before the first write.
    proc = subprocess.Popen(
        [sys.executable, "-m", "licensecmp", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    try:
        err = proc.stderr.read()
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
    assert code == 141, err
    assert err == ""  # no traceback, no "Exception ignored … BrokenPipeError"


def test_check_into_a_closed_pipe_exits_141_quietly(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    snapshot.save(_snapshot([_facts(i) for i in range(50)]), path)
    ids = [f"org/model-{i:06d}" for i in range(50)]
    for fmt in ("text", "json"):
        proc = subprocess.Popen(
            [sys.executable, "-m", "licensecmp", "check", "--snapshot", str(path), "--format", fmt,
             *ids],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        try:
            err = proc.stderr.read()
            code = proc.wait(timeout=120)
        finally:
            proc.kill()
        assert (code, err) == (141, ""), fmt


def test_many_snapshot_errors_are_listed_in_file_order_and_capped(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "s.json"
    snapshot.save(_snapshot([_facts(i) for i in range(30)]), path)
    doc = json.loads(path.read_text())
    for facts in doc["models"].values():
        facts["downloads"] = "many"
    path.write_text(json.dumps(doc, indent=1, sort_keys=True))
    result = runner.invoke(main, ["check", "--snapshot", str(path), "org/model-000001"])
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0] == "licensecmp: error: invalid snapshot:"
    assert lines[-1] == "… and more"
    located = [int(line.split(":")[1]) for line in lines[1:-1]]
    assert len(located) == 20 and located == sorted(located)
    assert lines[1].endswith(
        '"many" is not of types "null", "integer" [$.models.org/model-000000.downloads]'
    )


def test_an_interrupted_stream_keeps_what_it_finished_only_when_asked(tmp_path: Path) -> None:
    from licensecmp.safeio import open_atomic

    target = tmp_path / "out.jsonl"
    target.write_text("previous run\n")
    with pytest.raises(KeyboardInterrupt), open_atomic(target) as handle:
        handle.write("half")
        raise KeyboardInterrupt
    assert target.read_text() == "previous run\n"
    with pytest.raises(KeyboardInterrupt), open_atomic(target, keep_on_error=True) as handle:
        handle.write("first result\n")
        raise KeyboardInterrupt
    assert target.read_text() == "first result\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temporary file left


def test_from_file_reads_stdin_with_a_dash(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    snapshot.save(_snapshot([_facts(1), _facts(2)]), path)
    result = runner.invoke(
        main,
        ["check", "--snapshot", str(path), "--format", "json", "--from-file", "-"],
        input="org/model-000001  # first\n\norg/model-000002\n",
    )
    assert result.exit_code == 0, result.output
    # JSON lines come as each model finishes, in no fixed order.
    assert sorted(json.loads(line)["model"] for line in result.stdout.splitlines()) == [
        "org/model-000001",
        "org/model-000002",
    ]
