"""Words a reader meets: every catalogue entry and a set of `check` results, rendered in every
format, read for leaks of our internals and for sentences that came out garbled, and compared
across formats (one verdict, one rating, said with the same icon and word everywhere).

Text, Markdown and HTML are for people: no raw value (`not_addressed`, `rights_withheld`), no
clause id, no finding code, no Python `None`. JSON is for programs and keeps the values.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from licensecmp import clauses, families, reportset
from licensecmp.catalogue import Catalogue
from licensecmp.cli import main
from licensecmp.compare import compare, diff
from licensecmp.model import Rating, Severity, Verdict
from licensecmp.report import comparison, entry, markdown, terminal
from licensecmp.report import html as html_pages
from licensecmp.report.meta import Meta
from licensecmp.report.wording import SEVERITIES, UNDECIDED, VERDICTS, rated
from licensecmp.service import open_catalogue
from tests.hubserver import start_hub


def _internal_values() -> list[str]:
    """Every identifier of the vocabulary a reader must never see as is: clause ids, clause
    and parameter values, ratings and statuses written with an underscore."""
    names: set[str] = {r.value for r in clauses.RATINGS} | {s.value for s in clauses.STATUSES}
    for spec in clauses.CLAUSES:
        names.add(spec.name)
        names.update(v.name for v in spec.values)
        for param in spec.params:
            names.add(param.name)
            names.update(v.name for v in param.values)
    return sorted(n for n in names if "_" in n)


INTERNAL = _internal_values()
#: Patterns no reader-facing output may contain, and why.
FORBIDDEN: dict[str, str] = {
    r"\b(?:" + "|".join(map(re.escape, INTERNAL)) + r")\b": "a raw internal value",
    r"\bNone\)|\(None\b|'None'|\bmodel: None\b": "Python's None",
    r"\b(?:True|False)\b": "a Python boolean",
    r"\{'|\['|object at 0x|<function ": "a Python repr",
    r"(?i)\b(\w+(?: \w+)?) \(\1\)": "a label repeating itself",
    r"\bno licence is not\b": "a garbled negation",
    r"does not state the organisation's(?! monthly)": "a truncated sentence",
    r"\(\s*\)": "empty brackets",
    r"(?<![\w./-])ai(?![\w./-])": "'AI' written lower-case",
    r"\)\):": "brackets nested into a knot",
}
MODELS = {
    "acme/llama-ft": {"license": "llama3.1", "base_model": "meta-llama/Llama-3.1-8B"},
    "acme/mit": {"license": "mit"},
    "acme/nc": {"license": "cc-by-nc-4.0"},
    "acme/gpl": {"license": "gpl"},
    "acme/custom": {"license": "other", "license_name": "acme-custom"},
    "acme/no-licence": {},
    "acme/gated": {"license": "other"},
    "acme/expr": {"license": "MIT OR GPL-3.0"},
    "acme/DeepSeek-R1-Distill-Llama-8B": {"license": "mit"},
    "acme/orphan": {"license": "apache-2.0", "base_model": "acme/gone"},
    "acme/gemma-ft": {"license": "gemma"},
    "acme/qwen": {"license": "other", "license_name": "qwen"},
    "acme/llama32": {"license": "llama3.2"},
    "acme/missing": None,
    "llama-3.1": None,
}
POLICY = """\
name: acme
organisation:
  name: Acme SAS
  monthly_active_users: 900000000
  largest_product_monthly_active_users: 400000000
  annual_revenue: {amount: 5000000, currency: EUR}
  domicile: FR
  regions_served: [EU, US]
uses: [commercial_product, internal_use, fine_tune_and_redistribute, hosted_service,
       train_other_models_on_outputs, research]
rules:
  deny_licenses: [cc-by-nc-4.0]
  review_clause_values: {use_policy: [incorporated]}
"""
FORMATS = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}


class _Text(HTMLParser):
    """What a reader of an HTML page sees or hears: text, titles and labels, not markup."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts += [f" {v} " for k, v in attrs if k in ("title", "aria-label", "alt") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def readable(name: str, text: str) -> str:
    """The words of an output as read: HTML without markup, Markdown without link targets."""
    if name.endswith(".html"):
        parser = _Text()
        parser.feed(text)
        return re.sub(r"[ \t]+", " ", "".join(parser.parts))
    if name.endswith(".md"):
        return re.sub(r"\]\([^)]*\)", "]", text).replace("\\_", "_")
    return text


@functools.cache
def _catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


@functools.cache
def catalogue_outputs() -> dict[str, str]:
    """Every entry as `show` prints it and as its report page, every family, `list`, the
    comparison of the whole catalogue, every version step as `diff` renders it, the set."""
    cat = _catalogue()
    meta = Meta(cat.digest, "2026-01-01")
    out = {f"report/{k}": v for k, v in reportset.render_set(cat, meta).items()}
    out["list.txt"] = terminal.table(cat.identities())
    for lic in cat:
        out[f"show/{lic.id}.txt"] = terminal.show(lic)
        out[f"show/{lic.id}.json"] = entry.as_json(lic)
    for family_id in families.FAMILIES:
        found = families.match(family_id, cat)
        assert found is not None
        out[f"show/{family_id}.family.txt"] = terminal.family(found)
        out[f"show/{family_id}.family.json"] = entry.family_json(found)
    everything = compare(list(cat))
    out["compare.txt"] = comparison.text(everything)
    out["compare.json"] = comparison.as_json(everything)
    for lic in cat:
        older = cat.get(lic.supersedes or "")
        if older is None:
            continue
        step = diff(older, lic)
        name = f"diff/{older.id}..{lic.id}"
        out[f"{name}.txt"] = comparison.diff_text(step)
        out[f"{name}.json"] = comparison.diff_json(step)
        out[f"{name}.md"] = markdown.history([older, lic], [step], meta)
        out[f"{name}.html"] = html_pages.history([older, lic], [step], meta)
    return out


@pytest.fixture(scope="module")
def check_outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`check` of models that reach every kind of finding, under the default policy and a
    rich one, in every format, against the fake Hub."""
    hub = start_hub()
    llama = (
        b"LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n"
    )
    hub.add_model(
        "meta-llama/Llama-3.1-8B",
        card_data={"license": "llama3.1"},
        gated="manual",
        files={"LICENSE": llama},
    )
    for model, card in MODELS.items():
        if card is not None:
            gated = "auto" if model == "acme/gated" else False
            hub.add_model(model, card_data=card, gated=gated, files={"LICENSE": b"x"})
    policy = tmp_path_factory.mktemp("policy") / "acme.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_ENDPOINT", hub.url)
    mp.delenv("HF_TOKEN", raising=False)
    out = {}
    try:
        for name, extra in (("default", []), ("acme", ["--policy", str(policy)])):
            for fmt, ext in FORMATS.items():
                args = ["check", *extra, "--format", fmt, "--date", "2026-01-01", *MODELS]
                result = CliRunner().invoke(main, args)
                assert result.exit_code == 3, result.output  # acme/missing is undecided
                assert "Traceback" not in result.output
                out[f"check-{name}.{ext}"] = result.stdout
        yield out
    finally:
        mp.undo()
        hub.stop()


def leaks(outputs: dict[str, str], extra: dict[str, str] | None = None) -> list[str]:
    found = []
    patterns = {**FORBIDDEN, **(extra or {})}
    for name, text in outputs.items():
        if name.endswith(".json"):
            continue
        words = readable(name, text)
        for pattern, why in patterns.items():
            for m in itertools.islice(re.finditer(pattern, words, re.MULTILINE), 3):
                around = words[max(0, m.start() - 50) : m.end() + 30].replace("\n", " ")
                found.append(f"{name}: {why}: {m.group(0)!r} in …{around}…")
    return found


def test_the_forbidden_words_are_the_vocabularys() -> None:
    """The list is built from the vocabulary, so a new value is guarded too."""
    assert {"not_addressed", "rights_withheld", "in_force", "user_threshold"} <= set(INTERNAL)


def test_no_catalogue_output_leaks_internals_or_garbles() -> None:
    outputs = catalogue_outputs()
    assert len([n for n in outputs if n.startswith("show/") and n.endswith(".txt")]) > 80
    assert leaks(outputs) == []


def test_no_check_output_leaks_internals_or_garbles(check_outputs: dict[str, str]) -> None:
    codes = {
        f["code"]
        for line in check_outputs["check-default.json"].splitlines()
        + check_outputs["check-acme.json"].splitlines()
        for f in json.loads(line)["findings"]
    }
    assert {"license-family", "unknown-license", "suspected-undeclared-base"} <= codes
    # Finding codes are for programs; the ones that read as words ("gated") are not codes.
    coded = {rf"\b{re.escape(c)}\b": "a finding code" for c in codes if "-" in c}
    assert leaks(check_outputs, coded) == []


def test_the_guard_catches_what_it_is_for() -> None:
    """Each pattern fires on the leak it names (a guard that cannot fail proves nothing)."""
    bad = {
        "a.txt": "lineage: acme/x (model: None) <- acme/gone (finetune: None)",
        "b.md": "| User threshold | not_addressed | rights_withheld |",
        "c.html": "<p>Conditional (conditional)</p><p>the policy does not state the "
        "organisation's</p><p>no licence is not in the catalogue</p>",
        "d.txt": "presenting ai output as human; README.md could not be read (gated (x)): y",
        "e.json": '{"rating": "not_addressed"}',
    }
    why = {line.split(": ")[1] for line in leaks(bad)}
    assert why == {
        "Python's None",
        "a raw internal value",
        "a label repeating itself",
        "a truncated sentence",
        "a garbled negation",
        "'AI' written lower-case",
        "brackets nested into a knot",
    }
    assert not any(line.startswith("e.json") for line in leaks(bad))
    assert leaks({"f.md": "[Gemma terms](https://ai.google.dev/gemma/prohibited_use_policy)"}) == []


def test_a_verdict_reads_the_same_in_every_format(check_outputs: dict[str, str]) -> None:
    for policy in ("default", "acme"):
        docs = [json.loads(line) for line in check_outputs[f"check-{policy}.json"].splitlines()]
        text = check_outputs[f"check-{policy}.txt"]
        md = check_outputs[f"check-{policy}.md"]
        page = readable(".html", check_outputs[f"check-{policy}.html"])
        assert len(docs) == len(MODELS)
        for doc in docs:
            if doc["verdict"] is None:
                words, model = " ".join(UNDECIDED), doc["requested"]
            else:
                words, model = " ".join(VERDICTS[Verdict(doc["verdict"])]), doc["model"]
            assert f"\n{model}: {words}" in "\n" + text, (policy, model)
            assert f"\n## {model}: {words}\n" in md, (policy, model)
            assert re.search(rf"{re.escape(model)}\s+{re.escape(words)}", page), (policy, model)
            for finding in doc["findings"]:
                icon, word = SEVERITIES[Severity(finding["severity"])]
                assert f"  {icon} {word}: " in text
                assert f"| {icon} {word} | " in md


def test_a_rating_reads_the_same_in_every_format() -> None:
    """`show` as text, as JSON, and the licence page in Markdown and HTML: one rating, one
    icon and word, the value's label beside it unless it repeats the word."""
    outputs = catalogue_outputs()
    for lic in _catalogue():
        doc = json.loads(outputs[f"show/{lic.id}.json"])
        text = outputs[f"show/{lic.id}.txt"]
        md = outputs[f"report/licenses/{lic.id}.md"]
        page = readable(".html", outputs[f"report/licenses/{lic.id}.html"])
        for clause in doc["clauses"]:
            icon = clauses.RATINGS[Rating(clause["rating"])].icon
            words = f"{icon} {clause['rating_word']}"
            if clause["label"].lower() != clause["rating_word"].lower():
                words += f": {clause['label']}"
            assert words == rated(clause["clause"], clause["value"])
            assert f"  {clause['title']}: {words}\n" in text, (lic.id, clause["clause"])
            assert f"**{markdown.md(words)}**" in md, (lic.id, clause["clause"])
            assert words.split(": ")[0] in page, (lic.id, clause["clause"])


def test_comparison_text_uses_the_same_icons_as_the_pages() -> None:
    outputs = catalogue_outputs()
    legend = "  legend: " + "  ".join(f"{r.icon} {r.word}" for r in clauses.RATINGS.values())
    assert outputs["compare.txt"].replace("\n          ", "  ").count(legend) == 1
