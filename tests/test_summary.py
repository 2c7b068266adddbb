"""The answer first: the summary box reads the same way for every licence, from clause values.

Exact lines per licence: a change in a clause value or the wording code shows up here first.
"""

from __future__ import annotations

import dataclasses

import pytest

from licensecmp.catalogue import Catalogue
from licensecmp.model import CheckResult, Money, Obligation, Policy, Rating, Use, Verdict
from licensecmp.report import html, markdown, overview
from licensecmp.report.meta import Meta
from licensecmp.report.summary import Summary, amount, summarise
from licensecmp.service import open_catalogue

from .test_reports import inert


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = open_catalogue()
    assert problems == []
    return found


def box(catalogue: Catalogue, license_id: str) -> Summary:
    lic = catalogue.get(license_id)
    assert lic is not None, license_id
    return summarise(lic)


def lines(s: Summary) -> dict[str, list[str]]:
    return {
        "commercial": [x.text for x in s.commercial],
        "must": [x.text for x in s.must],
        "may_not": [x.text for x in s.may_not],
        "terms": [x.text for x in s.terms],
    }


COPY = "Ship a copy of the licence with every copy."
FLOW = "Pass the use restrictions on to everyone who receives the model or a derivative."
OUTPUTS = "Meet the condition on models trained with its outputs."
FIXED = "No one: you keep the terms you received (no update right)."
SUING = "Suing over the model ends your licence."


def test_llama_3_1(catalogue: Catalogue) -> None:
    s = box(catalogue, "llama-3.1")
    assert (s.answer, s.rating) == (
        "Yes, up to 700 million monthly active users on 2024-07-23",
        Rating.CONDITIONAL,
    )
    got = lines(s)
    assert got["commercial"] == [
        "Above 700 million monthly active users on 2024-07-23: no rights until the licensor "
        "grants them."
    ]
    assert got["must"] == [
        "Give the credit “Built with Llama”.",
        COPY,
        "Follow the naming rule for derivatives.",
        "Follow the use policy (the licensor may change it).",
        FLOW,
        OUTPUTS,
    ]
    assert got["may_not"][0].startswith("Use it for the 27 restricted uses: illegal activity, ")
    assert got["may_not"][0].endswith(", fake engagement, undisclosed AI dangers.")
    assert got["may_not"][1:] == ["Use the licensor's marks beyond the use the licence prescribes."]
    assert got["terms"] == [
        "Meta Platforms, Inc. may change the terms that bind you, the use policy included.",
        "Governing law: California, USA.",
        SUING,
    ]
    # each line names its clause, and carries the sections its evidence quotes
    assert [x.clause for x in s.must] == [
        "attribution",
        "license_copy_on_redistribution",
        "derivative_naming",
        "use_policy",
        "restrictions_flow_down",
        "outputs_to_train_other_models",
    ]
    assert s.must[0].sections == ("1.b.i", "1.b.iii")
    assert 'in a "Notice" text file' in s.must[0].detail  # the Notice file, in the credit's terms
    assert s.must[3].detail == "https://llama.meta.com/llama3_1/use-policy"


def test_llama_3_2_carves_out_the_eu_for_multimodal_models_only(catalogue: Catalogue) -> None:
    s = box(catalogue, "llama-3.2")
    assert (
        s.answer == "Yes, up to 700 million monthly active users on 2024-09-25"
    )  # EU: some models
    assert (
        "Use it in: European Union (multimodal models only; the licensee's domicile)."
        in lines(s)["may_not"]
    )


def test_gemma(catalogue: Catalogue) -> None:
    s = box(catalogue, "gemma-2025-03-24")
    assert (s.answer, s.rating) == ("Yes", Rating.PERMISSIVE)
    got = lines(s)
    assert got["commercial"] == ["Allowed on the same terms as any other use."]
    assert got["must"] == [
        "Give the credit “Gemma is provided under and subject to the Gemma Terms of Use found at "
        "ai.google.dev/gemma/terms”.",
        COPY,
        "Follow the use policy (the licensor may change it).",
        FLOW,
        OUTPUTS,
    ]
    assert got["may_not"][0].startswith("Use it for the 23 restricted uses: illegal activity, ")
    assert got["may_not"][1:] == ["Use the licensor's marks."]
    assert got["terms"] == [
        "Google LLC may change the terms that bind you, the use policy included.",
        "Governing law: California, USA.",
    ]


def test_qwen(catalogue: Catalogue) -> None:
    s = box(catalogue, "qwen")
    assert s.answer == "Yes, up to 100 million monthly active users in one product"
    assert lines(s) == {
        "commercial": [
            "Above 100 million monthly active users in one product: no rights until the "
            "licensor grants them."
        ],
        "must": [
            "Give the credit “Built with Qwen (or, alternatively, Improved using Qwen)”.",
            COPY,
            OUTPUTS,
        ],
        "may_not": ["Use the licensor's marks beyond the use the licence prescribes."],
        "terms": [FIXED, "Governing law: People's Republic of China.", SUING],
    }


def test_mit(catalogue: Catalogue) -> None:
    s = box(catalogue, "mit")
    assert (s.answer, s.rating) == ("Yes", Rating.PERMISSIVE)
    assert lines(s) == {
        "commercial": ["Allowed on the same terms as any other use."],
        "must": ["Keep the credits and notices it requires.", COPY],
        "may_not": [],
        "terms": [FIXED, "The licence names no governing law."],
    }


def test_kimi_k2_adds_a_duty_above_its_thresholds_and_withholds_nothing(
    catalogue: Catalogue,
) -> None:
    s = box(catalogue, "kimi-k2-modified-mit")
    above = "100 million monthly active users in one product or USD 20 million of monthly revenue"
    assert (s.answer, s.rating) == (f"Yes, with an added duty above {above}", Rating.CONDITIONAL)
    assert lines(s) == {
        "commercial": [
            "Above 100 million monthly active users in one product: an added duty only.",
            "Above USD 20 million of monthly revenue: an added duty only.",
        ],
        "must": [f"Give the credit “Kimi K2”. Only above {above}.", COPY],
        "may_not": [],
        "terms": [FIXED, "The licence names no governing law."],
    }


def test_a_rail_licence(catalogue: Catalogue) -> None:
    s = box(catalogue, "bigscience-openrail-m")
    assert (s.answer, s.rating) == ("Yes", Rating.PERMISSIVE)
    got = lines(s)
    assert got["must"] == ["Keep the credits and notices it requires.", COPY, FLOW, OUTPUTS]
    assert got["may_not"] == [
        "Use it for the 14 restricted uses: illegal activity, children, disinformation, privacy, "
        "undisclosed machine-generated content, defamation, harassment, impersonation, automated "
        "decision-making, discrimination, exploitation of vulnerable groups, medical advice, law "
        "enforcement, justice and immigration.",
        "Use the licensor's marks.",
    ]
    assert got["terms"] == [FIXED, "The licence names no governing law.", SUING]


def test_non_commercial_and_revenue_and_regional_answers(catalogue: Catalogue) -> None:
    assert box(catalogue, "cc-by-nc-4.0").answer == "No"
    assert "Use it commercially." in lines(box(catalogue, "cc-by-nc-4.0"))["may_not"]
    assert box(catalogue, "stability-ai-community").answer == (
        "Yes, up to USD 1 million of annual revenue"
    )
    assert box(catalogue, "tencent-hunyuan-3d-2.0").answer == (
        "Yes, up to 1 million monthly active users on 2025-01-21, outside European Union, "
        "United Kingdom, South Korea"
    )


def test_every_licence_gets_every_question_answered_without_internal_names(
    catalogue: Catalogue,
) -> None:
    for lic in catalogue:
        s = summarise(lic)
        assert s.answer.startswith(("Yes", "No", "Not stated")), lic.id
        assert s.commercial and s.terms, lic.id
        for line in s.lines:
            assert line.clause in lic.clauses, (lic.id, line.clause)
            assert "_" not in line.text, (lic.id, line.text)
            assert line.text.endswith("."), (lic.id, line.text)


def test_amounts_read_as_words() -> None:
    assert [amount(n) for n in (700_000_000, 1_000_000, 20_000_000, 1_500_000, 1_234_567)] == [
        "700 million",
        "1 million",
        "20 million",
        "1.5 million",
        "1,234,567",
    ]


# --- the box on the pages ---------------------------------------------------------------------


def test_licence_page_opens_with_the_answer_linked_to_its_clauses(catalogue: Catalogue) -> None:
    lic = catalogue.get("llama-3.1")
    assert lic is not None
    page = inert(html.license_page(lic, Meta("digest")))
    first = page.root.find("section", "answer")[0]
    assert first.find("h2")[0].text() == "The answer first as of 2026-11-27"
    questions = [dt.text() for dt in first.find("dt")]
    assert questions == [
        "May we use it commercially?",
        "What must we do?",
        "What may we not do?",
        "Who can change the terms, which law?",
    ]
    links = [a.attrs["href"] for a in first.find("a") if a.attrs["href"].startswith("#")]
    ids = {e.attrs.get("id") for e in page.elements}
    assert links and all(href[1:] in ids for href in links)  # each line reaches its clause
    assert "#attribution" in links and "#governing_law" in links
    body = html.license_page(lic, Meta("digest"))
    assert body.index('class="answer"') < body.index('id="clauses"') < body.index('id="identity"')


def test_markdown_licence_page_opens_with_the_same_answer(catalogue: Catalogue) -> None:
    lic = catalogue.get("llama-3.1")
    assert lic is not None
    text = markdown.license_page(lic, Meta("digest"))
    head = text.split("## The answer first (as of 2026-11-27)", 1)[1].split("## ", 1)[0]
    assert (
        "**May we use it commercially?** Yes, up to 700 million monthly active users on 2024-07-23"
    ) in head
    assert "- Give the credit “Built with Llama”. — Prominently on" in head
    assert "[Attribution] (§ 1.b.i · 1.b.iii)" in head


# --- the check report's overview ----------------------------------------------------------------


def test_policy_facts_say_unknown_where_the_policy_is_silent() -> None:
    facts = dict(overview.policy_facts(Policy(name="p", uses=frozenset({Use.RESEARCH}))))
    assert facts == {
        "Policy": "p",
        "Organisation": "unknown",
        "Monthly active users (all products)": "unknown",
        "Largest product's monthly active users": "unknown",
        "Annual revenue": "unknown",
        "Domicile": "unknown",
        "Regions served": "unknown",
        "Intended uses": "research",
    }
    known = Policy(
        name="acme",
        organisation="Acme SAS",
        monthly_active_users=900_000_000,
        annual_revenue=Money(5_000_000, "EUR"),
        domicile="FR",
        regions_served=("EU", "US"),
    )
    facts = dict(overview.policy_facts(known))
    assert facts["Monthly active users (all products)"] == "900 million"
    assert facts["Annual revenue"] == "EUR 5 million a year"
    assert facts["Regions served"] == "EU, US"
    assert facts["Intended uses"] == "none stated"


def _result(model: str, verdict: Verdict, *duties: str) -> CheckResult:
    return CheckResult(
        model, model, "abc", "llama3.1", ("llama-3.1",), (), None, verdict, (), "p", "hub",
        obligations=tuple(Obligation("llama-3.1", "attribution", d) for d in duties),
    )  # fmt: skip


def test_each_duty_appears_once_with_every_model_it_applies_to() -> None:
    a = _result("org/a", Verdict.ALLOW, 'display "Built with Llama"', "ship the licence")
    b = _result("org/b", Verdict.ALLOW, 'display "Built with Llama"')
    duties = overview.duties([a, b])
    assert [(d.obligation.duty, d.models) for d in duties] == [
        ('display "Built with Llama"', ("org/a", "org/b")),
        ("ship the licence", ("org/a",)),
    ]
    rows = overview.rows([a, dataclasses.replace(b, error="not found")])
    assert [r.todo for r in rows] == [
        "use it, meeting the duties below; 2 duties",
        "fix the cause and run the check again",
    ]
    assert rows[1].reason == "not found"


def test_check_page_opens_with_overview_facts_and_duties_once(catalogue: Catalogue) -> None:
    a = _result("org/a", Verdict.ALLOW, "a duty both models share")
    b = _result("org/b", Verdict.ALLOW, "a duty both models share")
    text = html.check_result([a, b], Meta("digest", "2031-02-03"), catalogue, Policy(name="p"))
    page = inert(text)
    assert page.root.find("h2")[0].text() == "Overview checked 2031-02-03"
    assert "checked 2031-02-03" in page.root.find("p", "lede")[0].text()
    table = page.root.find("table", "overview-table")[0]
    assert [r.find("th")[0].text() for r in table.find("tbody")[0].rows()] == ["org/a", "org/b"]
    assert text.count("a duty both models share") == 1  # once, with both models
    duty = page.root.find("table", "obligations")[0].find("tbody")[0].rows()[0]
    assert duty.find("td")[2].text() == "org/a, org/b"
    facts = page.by_id("facts")
    assert facts.text() == "The facts the policy gave"
    assert "<dt>Domicile</dt><dd>unknown</dd>" in text


def test_superseded_and_replaced_read_differently_in_the_box(catalogue: Catalogue) -> None:
    """Superseded terms still govern their models; replaced ones no longer do."""

    def status_line(license_id: str) -> str:
        lic = catalogue.get(license_id)
        assert lic is not None
        page = inert(html.license_page(lic, Meta("digest")))
        return page.root.find("section", "answer")[0].find("p", "status-line")[0].text()

    assert status_line("llama-3.1") == (
        "Superseded: a newer version exists for new releases, but this one still governs the "
        "models released under it (newer: llama-3.2)."
    )
    assert status_line("gemma-2024-04-01") == (
        "Replaced: the licensor's newer terms apply to the models released under this one too "
        "(newer: gemma-2025-03-24)."
    )
    mit = catalogue.get("mit")
    assert mit is not None
    assert 'class="status-line"' not in html.license_page(mit, Meta("digest"))  # in force
