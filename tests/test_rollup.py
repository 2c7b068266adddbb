"""The roll-up of many check results (pure) and how it reads: stderr text and a JSON document."""

from __future__ import annotations

import json

from licensecmp import rollup
from licensecmp.checking import error_result
from licensecmp.model import CheckResult, Finding, Severity, Verdict
from licensecmp.report import rollup as render

LLAMA = "meta-llama/Llama-3.1-8B"


def result(
    model: str,
    verdict: Verdict,
    licenses: tuple[str, ...],
    declared: str | None = None,
    findings: tuple[Finding, ...] = (),
) -> CheckResult:
    return CheckResult(
        model=model,
        requested=model,
        revision="a" * 40,
        declared_license=declared,
        licenses=licenses,
        lineage=(),
        gated=None,
        verdict=verdict,
        findings=findings,
        policy="acme",
        source="hub https://huggingface.co",
    )


DROPPED = Finding(
    Severity.REVIEW,
    "base-terms-dropped",
    f"acme/ft declares apache-2.0 but derives from {LLAMA}, under llama-3.1, whose terms "
    "still apply (user threshold)",
    license="llama-3.1",
    clause="user_threshold",
    model=LLAMA,
)
SUSPECTED = Finding(
    Severity.REVIEW,
    "suspected-undeclared-base",
    "acme/distill declares mit and does not name Llama 3.1 as its base, but 1 signal(s) "
    'point to it (under llama-3.1): name: "Distill-Llama"',
    model="acme/distill",
    signals=('name: "Distill-Llama"',),
)
UNKNOWN_BASE = Finding(
    Severity.REVIEW,
    "base-license-unknown",
    "base model acme/base declares no licence: the terms it passes to acme/on-unknown are unknown",
    model="acme/base",
)
RESULTS = [
    result("acme/ft", Verdict.REVIEW, ("apache-2.0", "llama-3.1"), "apache-2.0", (DROPPED,)),
    result("acme/plain", Verdict.ALLOW, ("apache-2.0",), "apache-2.0"),
    result("acme/nc", Verdict.DENY, ("cc-by-nc-4.0",), "cc-by-nc-4.0"),
    result("acme/distill", Verdict.REVIEW, ("mit",), "mit", (SUSPECTED,)),
    result("acme/unknown", Verdict.REVIEW, (), "acme-terms"),
    result("acme/on-unknown", Verdict.REVIEW, ("mit",), "mit", (UNKNOWN_BASE, UNKNOWN_BASE)),
    error_result("acme/missing", "model not found (or private)", "acme", "hub"),
]


def test_counts_by_verdict_and_by_licence() -> None:
    r = rollup.of(RESULTS, "acme")
    assert (r.models, r.allow, r.review, r.deny, r.undecided) == (7, 1, 4, 1, 1)
    assert r.licenses == (
        rollup.LicenseCount("apache-2.0", 2, allow=1, review=1, deny=0),
        rollup.LicenseCount("mit", 2, allow=0, review=2, deny=0),  # most models first, then id
        rollup.LicenseCount("cc-by-nc-4.0", 1, allow=0, review=0, deny=1),
        rollup.LicenseCount("llama-3.1", 1, allow=0, review=1, deny=0),
    )
    assert r.no_license == 1  # acme/unknown; the undecided model is not counted here


def test_models_that_drop_a_base_models_terms() -> None:
    r = rollup.of(RESULTS, "acme")
    assert r.dropped == (
        rollup.Dropped(
            "acme/ft", "a" * 40, "apache-2.0", LLAMA, "llama-3.1", "review", DROPPED.message
        ),
    )
    assert r.suspected == (
        rollup.Suspected("acme/distill", "a" * 40, "mit", "review", SUSPECTED.message),
    )
    assert r.unknown_bases == (  # once per model and base
        rollup.UnknownBase(
            "acme/on-unknown", "a" * 40, "mit", "acme/base", "review", UNKNOWN_BASE.message
        ),
    )


def test_one_entry_per_model_base_and_licence() -> None:
    twice = result(
        "acme/ft", Verdict.DENY, ("apache-2.0", "llama-3.1"), "apache-2.0", (DROPPED, DROPPED)
    )
    assert len(rollup.of([twice], "acme").dropped) == 1


def test_nothing_checked() -> None:
    r = rollup.of([], "acme")
    assert (r.models, r.licenses, r.dropped, r.no_license) == (0, (), (), 0)
    assert render.text(r) == (
        "0 model(s) checked against policy acme: 0 allow, 0 review, 0 deny, "
        "0 could not be decided\n"
    )


def test_text() -> None:
    assert render.text(rollup.of(RESULTS, "acme")) == (
        "7 model(s) checked against policy acme: 1 allow, 4 review, 1 deny, "
        "1 could not be decided\n"
        "by licence (a model counts under every licence that applies to it):\n"
        "  apache-2.0: 2 (1 allow, 1 review, 0 deny)\n"
        "  mit: 2 (0 allow, 2 review, 0 deny)\n"
        "  cc-by-nc-4.0: 1 (0 allow, 0 review, 1 deny)\n"
        "  llama-3.1: 1 (0 allow, 1 review, 0 deny)\n"
        "  no catalogue licence: 1\n"
        "declared licence drops a base model's terms: 1\n"
        f"  acme/ft declares apache-2.0; its base {LLAMA} is under\n"
        "    llama-3.1 (review)\n"
        "base model's terms unknown: 1\n"
        "  base model acme/base declares no licence: the terms it passes to\n"
        "    acme/on-unknown are unknown\n"
        "suspected undeclared base model under other terms: 1\n"
        "  acme/distill declares mit and does not name Llama 3.1 as its base, but 1\n"
        '    signal(s) point to it (under llama-3.1): name: "Distill-Llama"\n'
    )


def test_text_makes_control_characters_visible() -> None:
    hostile = result("acme/x", Verdict.REVIEW, ("llama-3.1",), "apache-2.0\x1b[2J", (DROPPED,))
    text = render.text(rollup.of([hostile], "acme"))
    assert "\x1b" not in text
    assert "acme/x declares apache-2.0\\x1b[2J; its base" in text


def test_json_document() -> None:
    doc = json.loads(render.json_document(rollup.of(RESULTS, "acme")))
    assert doc == {
        "format_version": 1,
        "tool": doc["tool"],
        "policy": "acme",
        "models": 7,
        "verdicts": {"allow": 1, "review": 4, "deny": 1, "undecided": 1},
        "licenses": [
            {"license": "apache-2.0", "models": 2, "allow": 1, "review": 1, "deny": 0},
            {"license": "mit", "models": 2, "allow": 0, "review": 2, "deny": 0},
            {"license": "cc-by-nc-4.0", "models": 1, "allow": 0, "review": 0, "deny": 1},
            {"license": "llama-3.1", "models": 1, "allow": 0, "review": 1, "deny": 0},
        ],
        "no_license": 1,
        "dropped_base_terms": [
            {
                "model": "acme/ft",
                "revision": "a" * 40,
                "declared_license": "apache-2.0",
                "base_model": LLAMA,
                "base_license": "llama-3.1",
                "severity": "review",
                "message": DROPPED.message,
            }
        ],
        "unknown_base_terms": [
            {
                "model": "acme/on-unknown",
                "revision": "a" * 40,
                "declared_license": "mit",
                "base_model": "acme/base",
                "severity": "review",
                "message": UNKNOWN_BASE.message,
            }
        ],
        "suspected_undeclared_bases": [
            {
                "model": "acme/distill",
                "revision": "a" * 40,
                "declared_license": "mit",
                "severity": "review",
                "message": SUSPECTED.message,
            }
        ],
    }
    assert doc["tool"].startswith("licensecmp ")
