"""Policy evaluation over the real catalogue: the examples procurement teams rely on."""

from __future__ import annotations

import pytest

from licensecmp import policyfile, verdict
from licensecmp.catalogue import Catalogue
from licensecmp.model import Finding, ModelFacts, Money, Policy, Severity, Use, Verdict
from licensecmp.policy import DEFAULT
from licensecmp.resolution import Term
from licensecmp.service import open_catalogue

from .conftest import DATA

POLICIES = DATA / "policies"
LLAMAS = ["llama-2", "llama-3", "llama-3.1", "llama-3.2", "llama-3.3", "llama-4"]
TEXT_MODEL = ModelFacts(id="org/model", sha="0" * 40, pipeline_tag="text-generation")
VISION_MODEL = ModelFacts(id="org/model", sha="0" * 40, pipeline_tag="image-text-to-text")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return open_catalogue()[0]


def decide(
    catalogue: Catalogue,
    policy: Policy,
    *license_ids: str,
    model: ModelFacts = TEXT_MODEL,
) -> verdict.Decision:
    """The verdict for a model that declares `license_ids`, all applying together."""
    case = verdict.Case(model, " AND ".join(license_ids), (tuple(Term(i, i) for i in license_ids),))
    return verdict.decide(case, catalogue, policy)


def _evaluate(
    catalogue: Catalogue, policy: str, license_id: str, model: ModelFacts = TEXT_MODEL
) -> tuple[Verdict, dict[str, Finding]]:
    decision = decide(
        catalogue, policyfile.load(POLICIES / f"{policy}.yaml", catalogue), license_id, model=model
    )
    return decision.verdict, {f.code: f for f in decision.findings}


@pytest.mark.parametrize("license_id", LLAMAS)
def test_900m_monthly_users_are_denied_by_every_llama_licence(
    catalogue: Catalogue, license_id: str
) -> None:
    verdict_, findings = _evaluate(catalogue, "big-platform", license_id)
    assert verdict_ is Verdict.DENY
    finding = findings["user-threshold-exceeded"]
    assert finding.clause == "user_threshold"
    assert finding.section and finding.section.startswith("2")
    assert finding.message.startswith(
        "900,000,000 monthly active users exceed the licence's 700,000,000: "
    )
    assert finding.license == license_id and finding.model == "org/model"


@pytest.mark.parametrize(
    ("users", "expected"),
    [(699_999_999, Verdict.ALLOW), (700_000_000, Verdict.ALLOW), (700_000_001, Verdict.DENY)],
)
def test_a_user_threshold_is_exceeded_only_above_the_number(
    catalogue: Catalogue, users: int, expected: Verdict
) -> None:
    """Llama counts "greater than 700 million": 700,000,000 itself is not over."""
    policy = Policy(monthly_active_users=users, domicile="US", uses=DEFAULT.uses)
    decision = decide(catalogue, policy, "llama-3.1")
    assert decision.verdict is expected
    assert ("user-threshold-exceeded" in {f.code for f in decision.findings}) is (
        expected is Verdict.DENY
    )


def test_thresholds_apply_whatever_the_uses(catalogue: Catalogue) -> None:
    """A right-withholding threshold binds any use: an empty use list never skips it."""
    policy = Policy(monthly_active_users=900_000_000, domicile="US", uses=frozenset())
    assert decide(catalogue, policy, "llama-3.1").verdict is Verdict.DENY


@pytest.mark.parametrize("license_id", ["llama-3.2", "llama-4"])
def test_eu_company_gets_no_rights_to_multimodal_llama(
    catalogue: Catalogue, license_id: str
) -> None:
    verdict_, findings = _evaluate(catalogue, "eu-startup", license_id, VISION_MODEL)
    assert verdict_ is Verdict.DENY
    finding = findings["regional-restriction"]
    assert finding.document and "Acceptable Use Policy" in finding.document
    assert finding.message == "rights are withheld in EU, which covers DE"


def test_the_eu_has_27_members_hungary_included(catalogue: Catalogue) -> None:
    from licensecmp.policy import EU

    assert len(EU) == 27 and "HU" in EU and "GB" not in EU and "CH" not in EU
    hungary = Policy(monthly_active_users=10, domicile="HU", uses=DEFAULT.uses)
    decision = decide(catalogue, hungary, "llama-3.2", model=VISION_MODEL)
    assert decision.verdict is Verdict.DENY
    swiss = Policy(monthly_active_users=10, domicile="CH", uses=DEFAULT.uses)
    assert decide(catalogue, swiss, "llama-3.2", model=VISION_MODEL).verdict is Verdict.ALLOW


def test_eu_company_keeps_rights_to_a_text_only_llama_3_2(catalogue: Catalogue) -> None:
    verdict_, findings = _evaluate(catalogue, "eu-startup", "llama-3.2", TEXT_MODEL)
    assert verdict_ is Verdict.ALLOW
    assert findings["regional-restriction-not-applicable"].severity is Severity.INFO


def test_unknown_modality_asks_for_review(catalogue: Catalogue) -> None:
    unknown = ModelFacts(id="org/model", sha=None)
    verdict_, findings = _evaluate(catalogue, "eu-startup", "llama-3.2", unknown)
    assert verdict_ is Verdict.REVIEW
    assert findings["regional-restriction"].severity is Severity.REVIEW


@pytest.mark.parametrize(
    ("policy", "license_id", "code"),
    [
        ("mid-size", "qwen", "user-threshold-exceeded"),
        ("distiller", "llama-2", "outputs-training-prohibited"),
        ("mid-size", "stability-ai-community", "revenue-threshold-exceeded"),
        ("small-us", "cc-by-nc-4.0", "commercial-use-prohibited"),
        ("small-us", "flux-1-dev-non-commercial", "commercial-use-prohibited"),
    ],
)
def test_denials_cite_the_clause_section_and_quote(
    catalogue: Catalogue, policy: str, license_id: str, code: str
) -> None:
    verdict_, findings = _evaluate(catalogue, policy, license_id)
    assert verdict_ is Verdict.DENY
    finding = findings[code]
    assert finding.severity is Severity.DENY
    assert finding.section and finding.quote and finding.document
    lic = catalogue.get(license_id)
    assert lic is not None and finding.clause is not None
    assert finding.quote in [e.quote for e in lic.clauses[finding.clause].evidence]


def test_a_non_commercial_user_may_use_a_non_commercial_licence(catalogue: Catalogue) -> None:
    research = Policy(monthly_active_users=10, domicile="US", uses=frozenset({Use.RESEARCH}))
    assert decide(catalogue, research, "cc-by-nc-4.0").verdict is Verdict.ALLOW


@pytest.mark.parametrize(
    ("revenue", "expected"),
    [(1_000_000, Verdict.ALLOW), (1_000_001, Verdict.DENY)],
)
def test_a_revenue_threshold_is_exceeded_only_above_the_amount(
    catalogue: Catalogue, revenue: int, expected: Verdict
) -> None:
    policy = Policy(annual_revenue=Money(revenue, "USD"), uses=frozenset({Use.INTERNAL_USE}))
    assert decide(catalogue, policy, "stability-ai-community").verdict is expected


def test_revenue_in_another_currency_needs_a_rate(catalogue: Catalogue) -> None:
    euros = Policy(annual_revenue=Money(2_000_000, "EUR"), uses=frozenset({Use.INTERNAL_USE}))
    decision = decide(catalogue, euros, "stability-ai-community")
    assert decision.verdict is Verdict.REVIEW
    (finding,) = [f for f in decision.findings if f.code == "revenue-threshold-unknown"]
    assert "gives no exchange rate for USD" in finding.message
    # 1 USD = 0.9 EUR: the US$1,000,000 threshold is EUR 900,000.
    rated = Policy(
        annual_revenue=Money(900_000, "EUR"),
        exchange_rates={"USD": 0.9},
        uses=frozenset({Use.INTERNAL_USE}),
    )
    assert decide(catalogue, rated, "stability-ai-community").verdict is Verdict.ALLOW
    over = Policy(
        annual_revenue=Money(900_001, "EUR"),
        exchange_rates={"USD": 0.9},
        uses=frozenset({Use.INTERNAL_USE}),
    )
    assert decide(catalogue, over, "stability-ai-community").verdict is Verdict.DENY


def test_mit_is_allowed_with_its_notice_duty(catalogue: Catalogue) -> None:
    policy = policyfile.load(POLICIES / "small-us.yaml", catalogue)
    decision = decide(catalogue, policy, "mit")
    assert decision.verdict is Verdict.ALLOW
    assert all(f.severity is Severity.INFO for f in decision.findings)
    clauses = {o.clause for o in decision.obligations}
    assert clauses == {"attribution", "license_copy_on_redistribution"}


def test_llama_3_1_in_a_commercial_product_must_display_built_with_llama(
    catalogue: Catalogue,
) -> None:
    policy = Policy(
        monthly_active_users=10, domicile="US", uses=frozenset({Use.COMMERCIAL_PRODUCT})
    )
    decision = decide(catalogue, policy, "llama-3.1")
    assert decision.verdict is Verdict.ALLOW
    duties = {o.clause: o for o in decision.obligations}
    assert duties["attribution"].duty.startswith('display "Built with Llama"')
    assert duties["attribution"].uses == ("commercial_product",)
    assert duties["attribution"].quote
    assert set(duties) == {
        "attribution",
        "license_copy_on_redistribution",
        "restrictions_flow_down",
        "use_policy",
    }
    redistributing = Policy(
        monthly_active_users=10,
        domicile="US",
        uses=frozenset({Use.FINE_TUNE_AND_REDISTRIBUTE}),
    )
    names = {o.clause: o for o in decide(catalogue, redistributing, "llama-3.1").obligations}
    assert '"Llama" at the beginning of its name' in names["derivative_naming"].duty


def test_kimi_threshold_only_adds_a_display_duty(catalogue: Catalogue) -> None:
    verdict_, _ = _evaluate(catalogue, "big-platform", "kimi-k2-modified-mit")
    assert verdict_ is Verdict.ALLOW
    decision = decide(
        catalogue,
        policyfile.load(POLICIES / "big-platform.yaml", catalogue),
        "kimi-k2-modified-mit",
    )
    assert any("Kimi K2" in o.duty for o in decision.obligations)


def test_an_unknown_fact_asks_for_review_only_when_it_could_change_the_verdict(
    catalogue: Catalogue,
) -> None:
    """Kimi's thresholds only add a display duty: unknown revenue and users cannot deny."""
    decision = decide(catalogue, DEFAULT, "kimi-k2-modified-mit")
    assert decision.verdict is Verdict.ALLOW
    assert not [f for f in decision.findings if f.severity is not Severity.INFO]
    above = [o for o in decision.obligations if o.clause.endswith("_threshold")]
    assert {o.clause for o in above} == {"user_threshold", "revenue_threshold"}
    assert all(o.duty.startswith("above the threshold: Display duty only") for o in above)


def test_policy_rules_deny_clause_values(catalogue: Catalogue) -> None:
    verdict_, findings = _evaluate(catalogue, "small-us", "fair-ai-public-1.0")
    assert verdict_ is Verdict.DENY
    assert findings["clause-denied"].clause == "share_alike"


def test_review_clause_values_ask_for_review(catalogue: Catalogue) -> None:
    policy = Policy(
        monthly_active_users=10,
        domicile="US",
        uses=frozenset({Use.INTERNAL_USE}),
        review_clause_values={"use_policy": frozenset({"incorporated"})},
    )
    decision = decide(catalogue, policy, "llama-3.1")
    assert decision.verdict is Verdict.REVIEW
    (finding,) = [f for f in decision.findings if f.code == "clause-review"]
    assert finding.message == "the policy asks for review of Use policy: Incorporated"


def test_allow_and_deny_lists(catalogue: Catalogue) -> None:
    small = {"monthly_active_users": 10, "domicile": "US", "uses": frozenset({Use.RESEARCH})}
    deny = Policy(deny_licenses=frozenset({"mit"}), **small)  # type: ignore[arg-type]
    (finding,) = [f for f in decide(catalogue, deny, "mit").findings if f.code == "license-denied"]
    assert finding.message == "mit is on the policy's deny list"
    only = Policy(allow_licenses=frozenset({"apache-2.0"}), **small)  # type: ignore[arg-type]
    assert decide(catalogue, only, "mit").verdict is Verdict.DENY
    assert decide(catalogue, only, "apache-2.0").verdict is Verdict.ALLOW


def test_every_declared_licence_applies(catalogue: Catalogue) -> None:
    deny_llama = Policy(
        monthly_active_users=10,
        domicile="US",
        uses=frozenset({Use.RESEARCH}),
        deny_licenses=frozenset({"llama-3.1"}),
    )
    decision = decide(catalogue, deny_llama, "apache-2.0", "llama-3.1")
    assert decision.verdict is Verdict.DENY
    assert decision.licenses == ("apache-2.0", "llama-3.1")


def test_a_choice_of_licence_takes_the_most_favourable(catalogue: Catalogue) -> None:
    big = Policy(monthly_active_users=900_000_000, domicile="US", uses=DEFAULT.uses)
    case = verdict.Case(
        TEXT_MODEL,
        "llama-3.1 OR mit",
        ((Term("llama-3.1", "llama-3.1"),), (Term("mit", "mit"),)),
    )
    decision = verdict.decide(case, catalogue, big)
    assert decision.verdict is Verdict.ALLOW and decision.licenses == ("mit",)


@pytest.mark.parametrize(
    ("setting", "expected"), [(Verdict.REVIEW, Verdict.REVIEW), (Verdict.DENY, Verdict.DENY)]
)
def test_an_unknown_licence_is_never_allowed(
    catalogue: Catalogue, setting: Verdict, expected: Verdict
) -> None:
    policy = Policy(unknown_license=setting, uses=frozenset({Use.RESEARCH}))
    case = verdict.Case(TEXT_MODEL, "acme-1.0", ((Term("acme-1.0", None),),))
    decision = verdict.decide(case, catalogue, policy)
    assert decision.verdict is expected
    (finding,) = decision.findings
    assert finding.code == "unknown-license"
    assert finding.message == "licence 'acme-1.0' is not in the catalogue: its terms are unknown"
    assert decision.unknown == ("acme-1.0",)
    twice = verdict.Case(
        TEXT_MODEL,
        "acme-1.0 AND mit AND acme-1.0",
        ((Term("acme-1.0", None), Term("mit", "mit"), Term("acme-1.0", None)),),
    )
    assert verdict.decide(twice, catalogue, policy).unknown == ("acme-1.0",)
    nothing = verdict.decide(verdict.Case(TEXT_MODEL, None, ()), catalogue, policy)
    assert nothing.verdict is expected
    assert nothing.findings[0].message.startswith("no licence is declared")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (Verdict.ALLOW, Verdict.ALLOW),
        (Verdict.REVIEW, Verdict.REVIEW),
        (Verdict.DENY, Verdict.DENY),
    ],
)
def test_dropped_base_terms_follow_the_policy(
    catalogue: Catalogue, setting: Verdict, expected: Verdict
) -> None:
    llama = catalogue.get("llama-3.1")
    assert llama is not None
    policy = Policy(
        monthly_active_users=10,
        domicile="US",
        uses=frozenset({Use.INTERNAL_USE}),
        dropped_base_terms=setting,
    )
    case = verdict.Case(
        TEXT_MODEL,
        "apache-2.0",
        ((Term("apache-2.0", "apache-2.0"),),),
        inherited=(verdict.Inherited(llama, "meta-llama/Llama-3.1-8B"),),
    )
    decision = verdict.decide(case, catalogue, policy)
    assert decision.verdict is expected
    assert decision.licenses == ("apache-2.0", "llama-3.1")
    (dropped,) = [f for f in decision.findings if f.code == "base-terms-dropped"]
    assert dropped.model == "meta-llama/Llama-3.1-8B" and dropped.license == "llama-3.1"
    assert dropped.message == (
        "org/model declares apache-2.0 but derives from meta-llama/Llama-3.1-8B, under "
        "llama-3.1, whose terms still apply (user threshold, derivative naming, "
        "use restrictions, restrictions flow down)"
    )


def test_default_policy_reviews_thresholds_it_cannot_judge(catalogue: Catalogue) -> None:
    decision = decide(catalogue, DEFAULT, "llama-3.1")
    assert decision.verdict is Verdict.REVIEW
    assert "user-threshold-unknown" in {f.code for f in decision.findings}
    assert decide(catalogue, DEFAULT, "mit").verdict is Verdict.ALLOW


EVERY_USE = Policy(
    monthly_active_users=900_000_000,
    product_monthly_active_users=900_000_000,  # Kimi K2 and Qwen count per product
    annual_revenue=Money(50_000_000_000, "USD"),
    domicile="US",
    uses=frozenset(Use),
)


def _duties(catalogue: Catalogue, license_id: str) -> dict[str, tuple[tuple[str, ...], str]]:
    decision = decide(catalogue, EVERY_USE, license_id)
    return {o.clause: (o.uses, o.duty) for o in decision.obligations}


def test_each_duty_says_what_to_do_from_the_clause(catalogue: Catalogue) -> None:
    llama = catalogue.get("llama-3.1")
    assert llama is not None
    p = {name: clause.params for name, clause in llama.clauses.items()}
    sharing = ("commercial_product", "fine_tune_and_redistribute", "hosted_service")
    assert _duties(catalogue, "llama-3.1") == {
        "outputs_to_train_other_models": (
            ("train_other_models_on_outputs",),
            "training other models on outputs is allowed on a condition: "
            + str(p["outputs_to_train_other_models"]["condition"]),
        ),
        "attribution": (
            sharing,
            f'display "{p["attribution"]["text"]}" ({p["attribution"]["where"]}); '
            f"when: {p['attribution']['when']}",
        ),
        "derivative_naming": (
            ("fine_tune_and_redistribute", "train_other_models_on_outputs"),
            f"naming rule for derivatives: {p['derivative_naming']['rule']}",
        ),
        "license_copy_on_redistribution": (
            ("commercial_product", "fine_tune_and_redistribute"),
            "ship a copy of the licence with every copy",
        ),
        "restrictions_flow_down": (
            sharing,
            "pass the use restrictions on to every downstream user",
        ),
        "use_policy": (
            tuple(sorted(u.value for u in Use)),
            "every use must follow the incorporated use policy (the licensor may change it)",
        ),
    }
    assert _duties(catalogue, "fair-ai-public-1.0")["share_alike"] == (
        ("fine_tune_and_redistribute",),
        "release derivatives under the same licence",
    )


def test_a_duty_only_threshold_above_its_number_is_a_duty_not_a_denial(
    catalogue: Catalogue,
) -> None:
    kimi = catalogue.get("kimi-k2-modified-mit")
    assert kimi is not None
    consequence = kimi.clauses["user_threshold"].params["consequence"]
    duties = _duties(catalogue, "kimi-k2-modified-mit")
    assert duties["user_threshold"] == (
        (),
        f"900,000,000 monthly active users exceed the licence's 100,000,000: {consequence}",
    )
    revenue = kimi.clauses["revenue_threshold"].params
    assert duties["revenue_threshold"] == (
        (),
        f"revenue of USD 50,000,000,000 a year exceeds the licence's USD 20,000,000 "
        f"({revenue['period']}): {revenue['consequence']}",
    )
    assert decide(catalogue, EVERY_USE, "kimi-k2-modified-mit").verdict is Verdict.ALLOW


def test_exceeded_findings_cite_the_consequence(catalogue: Catalogue) -> None:
    stability = catalogue.get("stability-ai-community")
    assert stability is not None
    p = stability.clauses["revenue_threshold"].params
    decision = decide(catalogue, EVERY_USE, "stability-ai-community")
    (over,) = [f for f in decision.findings if f.code == "revenue-threshold-exceeded"]
    assert (over.severity, over.clause, over.license, over.model) == (
        Severity.DENY,
        "revenue_threshold",
        "stability-ai-community",
        "org/model",
    )
    assert over.message == (
        f"revenue of USD 50,000,000,000 a year exceeds the licence's USD 1,000,000 "
        f"({p['period']}): {p['consequence']}"
    )


def test_monthly_revenue_thresholds_compare_a_twelfth_of_annual_revenue(
    catalogue: Catalogue,
) -> None:
    def revenue_duty(amount: int) -> bool:
        policy = Policy(annual_revenue=Money(amount, "USD"), uses=frozenset({Use.INTERNAL_USE}))
        decision = decide(catalogue, policy, "kimi-k2-modified-mit")
        return any(
            o.clause == "revenue_threshold" and o.duty.startswith("revenue of")
            for o in decision.obligations
        )

    assert not revenue_duty(240_000_000)  # US$20M a month, exactly
    assert revenue_duty(240_000_012)


def test_per_product_thresholds_use_the_largest_product(catalogue: Catalogue) -> None:
    from dataclasses import replace

    qwen = catalogue.get("qwen")
    assert qwen is not None
    clause = qwen.clauses["user_threshold"]
    per_product = replace(clause, params={**clause.params, "per_product": True})
    patched = replace(qwen, clauses={**qwen.clauses, "user_threshold": per_product})
    sub = Catalogue([patched if lic.id == "qwen" else lic for lic in catalogue])
    big = {"domicile": "US", "uses": frozenset({Use.COMMERCIAL_PRODUCT})}
    cases = [
        (Policy(monthly_active_users=150_000_000, **big), Verdict.REVIEW),  # type: ignore[arg-type]
        (
            Policy(
                monthly_active_users=150_000_000,
                product_monthly_active_users=100_000_000,
                **big,  # type: ignore[arg-type]
            ),
            Verdict.ALLOW,
        ),
        (
            Policy(
                monthly_active_users=150_000_000,
                product_monthly_active_users=100_000_001,
                **big,  # type: ignore[arg-type]
            ),
            Verdict.DENY,
        ),
        (Policy(monthly_active_users=90_000_000, **big), Verdict.ALLOW),  # type: ignore[arg-type]
    ]
    for policy, expected in cases:
        assert decide(sub, policy, "qwen").verdict is expected, policy
    unknown = decide(sub, Policy(monthly_active_users=150_000_000, **big), "qwen")  # type: ignore[arg-type]
    (finding,) = [f for f in unknown.findings if f.code == "user-threshold-unknown"]
    assert finding.message == (
        "the licence changes above 100,000,000 monthly active users per product; "
        "the policy does not state its largest product's monthly active users"
    )


SMALL = {"monthly_active_users": 10, "annual_revenue": Money(10, "USD"), "domicile": "US"}


@pytest.mark.parametrize(
    ("policy", "license_id", "model", "code", "severity", "message"),
    [
        (
            Policy(uses=frozenset({Use.INTERNAL_USE}), **SMALL),  # type: ignore[arg-type]
            "llama-3.1",
            TEXT_MODEL,
            "changeable-policy",
            Severity.INFO,
            "the licence incorporates a use policy the licensor may change unilaterally",
        ),
        (
            Policy(uses=frozenset({Use.INTERNAL_USE}), **SMALL),  # type: ignore[arg-type]
            "bigscience-openrail-m",
            TEXT_MODEL,
            "use-restrictions",
            Severity.INFO,
            None,
        ),
        (
            Policy(uses=frozenset({Use.RESEARCH}), allow_licenses=frozenset({"mit"}), **SMALL),  # type: ignore[arg-type]
            "apache-2.0",
            TEXT_MODEL,
            "license-not-allowed",
            Severity.DENY,
            "apache-2.0 is not on the policy's allow list",
        ),
        (
            Policy(uses=frozenset({Use.RESEARCH}), monthly_active_users=10),
            "tencent-hunyuan-3d-2.0",
            TEXT_MODEL,
            "region-unknown",
            Severity.REVIEW,
            "rights are withheld in EU, GB, KR; the policy does not say where the "
            "organisation is domiciled or operates",
        ),
        (
            Policy(uses=frozenset({Use.RESEARCH}), regions_served=("FR",), **SMALL),  # type: ignore[arg-type]
            "tencent-hunyuan-3d-2.0",
            TEXT_MODEL,
            "regional-restriction",
            Severity.DENY,
            "rights are withheld in EU, GB, KR, which covers FR",
        ),
        (
            Policy(uses=frozenset({Use.RESEARCH}), **SMALL),  # type: ignore[arg-type]
            "flux-1-dev-non-commercial",
            TEXT_MODEL,
            "region-undetermined",
            Severity.REVIEW,
            None,
        ),
        (
            Policy(uses=frozenset({Use.TRAIN_OTHER_MODELS_ON_OUTPUTS}), **SMALL),  # type: ignore[arg-type]
            "exaone-1.1-nc",
            TEXT_MODEL,
            "outputs-training-prohibited",
            Severity.DENY,
            "the licence forbids using its outputs to train or improve other models",
        ),
    ],
)
def test_each_licence_finding(
    catalogue: Catalogue,
    policy: Policy,
    license_id: str,
    model: ModelFacts,
    code: str,
    severity: Severity,
    message: str | None,
) -> None:
    decision = decide(catalogue, policy, license_id, model=model)
    found = [f for f in decision.findings if f.code == code]
    assert found, [f.code for f in decision.findings]
    assert found[0].severity is severity and found[0].license == license_id
    if message is not None:
        assert found[0].message == message


def test_where_the_licence_binds_by_where_the_model_is_used(catalogue: Catalogue) -> None:
    """Tencent withholds rights by location of use: a US company serving France is covered;
    Llama's multimodal clause binds by domicile: serving France from the US is not."""
    serving_fr = Policy(uses=frozenset({Use.RESEARCH}), regions_served=("FR",), **SMALL)  # type: ignore[arg-type]
    assert decide(catalogue, serving_fr, "tencent-hunyuan-3d-2.0").verdict is Verdict.DENY
    assert decide(catalogue, serving_fr, "llama-3.2", model=VISION_MODEL).verdict is Verdict.ALLOW
    serving_eu = Policy(uses=frozenset({Use.RESEARCH}), regions_served=("EU",), **SMALL)  # type: ignore[arg-type]
    assert decide(catalogue, serving_eu, "tencent-hunyuan-3d-2.0").verdict is Verdict.DENY


@pytest.mark.parametrize(
    "pipeline",
    sorted(
        {
            "image-text-to-text",
            "visual-question-answering",
            "image-to-text",
            "any-to-any",
            "video-text-to-text",
            "audio-text-to-text",
            "document-question-answering",
        }
    ),
)
def test_multimodal_pipelines_reach_the_eu_clause(catalogue: Catalogue, pipeline: str) -> None:
    eu = Policy(uses=frozenset({Use.RESEARCH}), monthly_active_users=10, domicile="FR")
    model = ModelFacts(id="org/model", sha=None, pipeline_tag=pipeline)
    assert decide(catalogue, eu, "llama-4", model=model).verdict is Verdict.DENY


def test_a_multimodal_tag_reaches_the_eu_clause(catalogue: Catalogue) -> None:
    eu = Policy(uses=frozenset({Use.RESEARCH}), monthly_active_users=10, domicile="FR")
    tagged = ModelFacts(
        id="org/model", sha=None, pipeline_tag="text-generation", tags=("multimodal",)
    )
    assert decide(catalogue, eu, "llama-4", model=tagged).verdict is Verdict.DENY


@pytest.mark.parametrize(
    ("gated", "eu_disallowed", "policy", "codes"),
    [
        ("manual", False, Policy(gated=Verdict.DENY), [("gated", Severity.DENY)]),
        ("auto", False, Policy(gated=Verdict.REVIEW), [("gated", Severity.REVIEW)]),
        (None, True, Policy(domicile="US"), [("eu-disallowed", Severity.INFO)]),
        (None, True, Policy(domicile="FR"), [("eu-disallowed", Severity.REVIEW)]),
        (None, True, Policy(regions_served=("EU",)), [("eu-disallowed", Severity.REVIEW)]),
        (None, True, Policy(), [("eu-disallowed", Severity.REVIEW)]),
    ],
)
def test_gating_findings(
    catalogue: Catalogue,
    gated: str | None,
    eu_disallowed: bool,
    policy: Policy,
    codes: list[tuple[str, Severity]],
) -> None:
    model = ModelFacts(id="org/model", sha=None, gated=gated, eu_disallowed=eu_disallowed)
    case = verdict.Case(model, "mit", ((Term("mit", "mit"),),))
    decision = verdict.decide(case, catalogue, policy)
    assert [(f.code, f.severity) for f in decision.findings] == codes
    assert decision.verdict is codes[0][1].verdict


@pytest.mark.parametrize("license_id", ["qwen", "tongyi-qianwen"])
@pytest.mark.parametrize(
    ("product_users", "expected"),
    [(None, Verdict.REVIEW), (50_000_000, Verdict.ALLOW), (150_000_000, Verdict.DENY)],
)
def test_qwen_counts_users_per_product(
    catalogue: Catalogue, license_id: str, product_users: int | None, expected: Verdict
) -> None:
    """150M users in all: whether one product passes Qwen's 100M decides (per_product: true)."""
    lic = catalogue.get(license_id)
    assert lic is not None and lic.clauses["user_threshold"].params["per_product"] is True
    policy = Policy(
        monthly_active_users=150_000_000,
        product_monthly_active_users=product_users,
        uses=frozenset({Use.COMMERCIAL_PRODUCT}),
    )
    decision = decide(catalogue, policy, license_id)
    codes = {f.code for f in decision.findings if f.clause == "user_threshold"}
    assert decision.verdict is expected
    assert (
        codes
        == {
            Verdict.REVIEW: {"user-threshold-unknown"},
            Verdict.ALLOW: set(),
            Verdict.DENY: {"user-threshold-exceeded"},
        }[expected]
    )


def _with_clause(catalogue: Catalogue, license_id: str, name: str, **params: object) -> Catalogue:
    """The catalogue with one clause's parameters replaced (None removes one)."""
    from dataclasses import replace

    lic = catalogue.get(license_id)
    assert lic is not None
    clause = lic.clauses[name]
    merged = {k: v for k, v in {**clause.params, **params}.items() if v is not None}
    patched = replace(lic, clauses={**lic.clauses, name: replace(clause, params=merged)})
    return Catalogue([patched if x.id == license_id else x for x in catalogue])


def _only(decision: verdict.Decision, code: str) -> Finding:
    (finding,) = [f for f in decision.findings if f.code == code]
    return finding


def test_regions_without_codes_ask_for_review_in_words(catalogue: Catalogue) -> None:
    sub = _with_clause(catalogue, "llama-3.2", "geographic_restriction", region_codes=())
    policy = Policy(uses=frozenset({Use.RESEARCH}), domicile="US", monthly_active_users=1)
    finding = _only(decide(sub, policy, "llama-3.2", model=VISION_MODEL), "regional-restriction")
    assert (finding.severity, finding.message) == (
        Severity.REVIEW,
        "rights withheld in: European Union",
    )


def test_a_restriction_binds_by_domicile_unless_it_says_otherwise(catalogue: Catalogue) -> None:
    sub = _with_clause(catalogue, "tencent-hunyuan-3d-2.0", "geographic_restriction", basis=None)
    serving_eu = Policy(uses=frozenset({Use.RESEARCH}), regions_served=("EU",), **SMALL)  # type: ignore[arg-type]
    assert decide(sub, serving_eu, "tencent-hunyuan-3d-2.0").verdict is Verdict.ALLOW
    german = Policy(uses=frozenset({Use.RESEARCH}), monthly_active_users=1, domicile="DE")
    finding = _only(decide(sub, german, "tencent-hunyuan-3d-2.0"), "regional-restriction")
    assert finding.message == "rights are withheld in EU, GB, KR, which covers DE"


def test_countries_outside_the_list_have_no_regional_finding(catalogue: Catalogue) -> None:
    us = Policy(uses=frozenset({Use.RESEARCH}), regions_served=("US", "CA"), **SMALL)  # type: ignore[arg-type]
    decision = decide(catalogue, us, "tencent-hunyuan-3d-2.0")
    assert decision.verdict is Verdict.ALLOW
    assert not [f for f in decision.findings if "region" in f.code]


def test_a_list_beside_country_codes_still_matches_them(catalogue: Catalogue) -> None:
    sub = _with_clause(
        catalogue,
        "flux-1-dev-non-commercial",
        "geographic_restriction",
        region_codes=("EU", "SANCTIONED"),
    )
    french = Policy(uses=frozenset({Use.RESEARCH}), monthly_active_users=1, domicile="FR")
    finding = _only(decide(sub, french, "flux-1-dev-non-commercial"), "regional-restriction")
    assert finding.severity is Severity.DENY
    us = Policy(uses=frozenset({Use.RESEARCH}), regions_served=("US", "CA"), **SMALL)  # type: ignore[arg-type]
    unknown = _only(decide(catalogue, us, "flux-1-dev-non-commercial"), "region-undetermined")
    regions = "; ".join(
        catalogue.get("flux-1-dev-non-commercial")
        .clauses["geographic_restriction"]
        .items("regions")  # type: ignore[union-attr]
    )
    assert unknown.message == (
        f"rights are withheld in {regions}; whether CA, US is among them cannot be told from "
        "country codes"
    )


def test_multimodal_findings_in_words(catalogue: Catalogue) -> None:
    eu = Policy(uses=frozenset({Use.RESEARCH}), monthly_active_users=1, domicile="FR")
    text = _only(
        decide(catalogue, eu, "llama-4", model=TEXT_MODEL), "regional-restriction-not-applicable"
    )
    assert text.message == (
        "rights to multimodal models are withheld in EU; this model is not multimodal"
    )
    unknown = ModelFacts(id="org/model", sha=None)
    maybe = _only(decide(catalogue, eu, "llama-4", model=unknown), "regional-restriction")
    assert maybe.message == (
        "rights to multimodal models are withheld in EU (FR); whether this model is "
        "multimodal is unknown"
    )


def test_gating_findings_in_words(catalogue: Catalogue) -> None:
    model = ModelFacts(id="org/gated", sha=None, gated="manual", eu_disallowed=True)
    case = verdict.Case(model, "mit", ((Term("mit", "mit"),),))
    decision = verdict.decide(case, catalogue, Policy())
    assert [(f.code, f.message, f.model) for f in decision.findings] == [
        (
            "gated",
            "gated (manual): files need a Hub account that accepted the model's terms",
            "org/gated",
        ),
        (
            "eu-disallowed",
            "the model's gate refuses users in the EU; the policy does not say where the "
            "organisation is",
            "org/gated",
        ),
    ]
    known = verdict.decide(case, catalogue, Policy(domicile="US"))
    assert known.findings[1].message == "the model's gate refuses users in the EU"


def test_unknown_licence_findings_name_the_model(catalogue: Catalogue) -> None:
    policy = Policy(uses=frozenset({Use.RESEARCH}))
    other = verdict.decide(verdict.Case(TEXT_MODEL, "other", ()), catalogue, policy)
    assert [(f.code, f.message, f.model) for f in other.findings] == [
        (
            "unknown-license",
            "licence 'other' names no licence the catalogue knows: the model's terms are unknown",
            "org/model",
        )
    ]
    term = verdict.Case(TEXT_MODEL, "acme", ((Term("acme", None),),))
    assert verdict.decide(term, catalogue, policy).findings[0].model == "org/model"


def test_every_inherited_licence_and_every_duty_is_kept(catalogue: Catalogue) -> None:
    llama = catalogue.get("llama-3.1")
    qwen = catalogue.get("qwen")
    assert llama is not None and qwen is not None
    policy = Policy(
        uses=frozenset({Use.FINE_TUNE_AND_REDISTRIBUTE}),
        monthly_active_users=1,
        product_monthly_active_users=1,
        domicile="US",
    )
    case = verdict.Case(
        TEXT_MODEL,
        "mit",
        ((Term("mit", "mit"),),),
        inherited=(verdict.Inherited(llama, "base/llama"), verdict.Inherited(qwen, "base/qwen")),
    )
    decision = verdict.decide(case, catalogue, policy)
    assert decision.licenses == ("mit", "llama-3.1", "qwen")
    dropped = [f for f in decision.findings if f.code == "base-terms-dropped"]
    assert [(f.license, f.model, f.clause) for f in dropped] == [
        ("llama-3.1", "base/llama", "user_threshold"),
        ("qwen", "base/qwen", "user_threshold"),
    ]
    assert {(o.license, o.model) for o in decision.obligations} >= {
        ("mit", "org/model"),
        ("llama-3.1", "base/llama"),
        ("qwen", "base/qwen"),
    }
    nothing = verdict.Case(
        TEXT_MODEL, None, ((Term("mit", "mit"),),), inherited=(verdict.Inherited(llama, "b"),)
    )
    (only,) = [
        f
        for f in verdict.decide(nothing, catalogue, policy).findings
        if f.code == "base-terms-dropped"
    ]
    assert only.message.startswith(
        "org/model declares no licence but derives from b, under llama-3.1"
    )


def test_a_prohibited_use_says_so(catalogue: Catalogue) -> None:
    commercial = Policy(uses=frozenset({Use.COMMERCIAL_PRODUCT}), **SMALL)  # type: ignore[arg-type]
    finding = _only(decide(catalogue, commercial, "cc-by-nc-4.0"), "commercial-use-prohibited")
    assert finding.message == "the licence does not allow commercial use"
    sub = _with_clause(catalogue, "mit", "modification")
    from dataclasses import replace

    mit = sub.get("mit")
    assert mit is not None
    nd = replace(
        mit,
        clauses={
            **mit.clauses,
            "modification": replace(mit.clauses["modification"], value="prohibited"),
            "redistribution": replace(mit.clauses["redistribution"], value="prohibited"),
        },
    )
    nd_catalogue = Catalogue([nd if x.id == "mit" else x for x in catalogue])
    sharing = Policy(uses=frozenset({Use.FINE_TUNE_AND_REDISTRIBUTE}), **SMALL)  # type: ignore[arg-type]
    decision = decide(nd_catalogue, sharing, "mit")
    assert [(f.code, f.message) for f in decision.findings if f.severity is Severity.DENY] == [
        ("modification-prohibited", "the licence does not allow modification"),
        ("redistribution-prohibited", "the licence does not allow redistribution"),
    ]
    research = Policy(uses=frozenset({Use.RESEARCH}), **SMALL)  # type: ignore[arg-type]
    assert decide(nd_catalogue, research, "mit").verdict is Verdict.ALLOW


@pytest.mark.parametrize(
    ("setting", "expected"), [(Verdict.REVIEW, Verdict.REVIEW), (Verdict.DENY, Verdict.DENY)]
)
def test_a_base_with_unknown_terms_is_never_allowed(
    catalogue: Catalogue, setting: Verdict, expected: Verdict
) -> None:
    """A fine-tune declaring MIT over a base that declares nothing: the base's terms may still
    bind it, and nobody knows them."""
    policy = Policy(unknown_license=setting, uses=frozenset({Use.RESEARCH}))
    case = verdict.Case(
        TEXT_MODEL,
        "mit",
        ((Term("mit", "mit"),),),
        unknown_bases=(
            verdict.UnknownBase("acme/base", None),
            verdict.UnknownBase("acme/other", "acme-license"),
        ),
    )
    decision = verdict.decide(case, catalogue, policy)
    assert decision.verdict is expected
    assert [(f.severity.value, f.code, f.message, f.model) for f in decision.findings] == [
        (
            setting.value,
            "base-license-unknown",
            "base model acme/base declares no licence: the terms it passes to org/model are "
            "unknown",
            "acme/base",
        ),
        (
            setting.value,
            "base-license-unknown",
            "base model acme/other declares 'acme-license', which names no licence the "
            "catalogue knows: the terms it passes to org/model are unknown",
            "acme/other",
        ),
    ]
    assert decision.licenses == ("mit",)
    plain = verdict.decide(
        verdict.Case(TEXT_MODEL, "mit", ((Term("mit", "mit"),),)), catalogue, policy
    )
    assert plain.verdict is Verdict.ALLOW
