"""Which licences a card declares, and how far lineage is followed (pure, no server)."""

from __future__ import annotations

import pytest

from licensecmp import lineage, resolution
from licensecmp.catalogue import Catalogue
from licensecmp.errors import ModelNotFound
from licensecmp.model import BaseModelRef, Finding, ModelFacts, Severity
from licensecmp.resolution import Term
from licensecmp.service import open_catalogue


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return open_catalogue()[0]


def facts(**fields: object) -> ModelFacts:
    return ModelFacts(id="org/m", sha="0" * 40, **fields)  # type: ignore[arg-type]


def alternatives(declared: resolution.Declared) -> list[list[tuple[str, str | None]]]:
    return [[(t.name, t.license) for t in alt] for alt in declared.alternatives]


def brief(findings: tuple[Finding, ...]) -> list[tuple[str, str, str]]:
    return [(f.severity.value, f.code, f.message) for f in findings]


CASES = [
    # (card licences, tags, license_name, expected alternatives, expected declared)
    (["mit"], ["mit"], None, [[("mit", "mit")]], "mit"),
    (["MIT"], [], None, [[("MIT", "mit")]], "MIT"),
    ([], ["apache-2.0"], None, [[("apache-2.0", "apache-2.0")]], "apache-2.0"),
    (["other"], ["other"], "qwen", [[("qwen", "qwen")]], "qwen"),
    (["other"], [], None, [], "other"),
    ([], [], None, [], None),
    ([], [], "qwen", [[("qwen", "qwen")]], "qwen"),
    (
        ["apache-2.0", "llama3.1"],
        [],
        None,
        [[("apache-2.0", "apache-2.0"), ("llama3.1", "llama-3.1")]],
        "apache-2.0 AND llama3.1",
    ),
    (
        ["apache-2.0", "other"],
        [],
        "qwen",
        [[("apache-2.0", "apache-2.0"), ("qwen", "qwen")]],
        "apache-2.0 AND qwen",
    ),
    (["acme-1.0"], [], None, [[("acme-1.0", None)]], "acme-1.0"),
    (
        ["MIT OR Apache-2.0"],
        [],
        None,
        [[("MIT", "mit")], [("Apache-2.0", "apache-2.0")]],
        "MIT OR Apache-2.0",
    ),
    (
        ["mit AND (apache-2.0 OR llama3.1)"],
        [],
        None,
        [
            [("mit", "mit"), ("apache-2.0", "apache-2.0")],
            [("mit", "mit"), ("llama3.1", "llama-3.1")],
        ],
        "mit AND (apache-2.0 OR llama3.1)",
    ),
    (
        ["Apache-2.0 WITH LLVM-exception"],
        [],
        None,
        [[("Apache-2.0", "apache-2.0")]],
        "Apache-2.0 WITH LLVM-exception",
    ),
]


@pytest.mark.parametrize(("card", "tags", "name", "expected", "declared"), CASES)
def test_every_declared_licence_is_a_term(
    catalogue: Catalogue,
    card: list[str],
    tags: list[str],
    name: str | None,
    expected: list[list[tuple[str, str | None]]],
    declared: str | None,
) -> None:
    found = resolution.from_card(
        facts(card_licenses=tuple(card), tag_licenses=tuple(tags), license_name=name), catalogue
    )
    assert alternatives(found) == expected
    assert found.declared == declared


def test_card_and_tags_that_disagree_are_joined_and_flagged(catalogue: Catalogue) -> None:
    found = resolution.from_card(
        facts(card_licenses=("mit",), tag_licenses=("llama3.1", "MIT")), catalogue
    )
    assert alternatives(found) == [[("mit", "mit"), ("llama3.1", "llama-3.1")]]
    assert brief(found.findings) == [
        (
            "review",
            "sources-disagree",
            "card says license 'mit' but the Hub tags say 'llama3.1 AND MIT'; both are applied",
        )
    ]
    same = resolution.from_card(facts(card_licenses=("MIT",), tag_licenses=("mit",)), catalogue)
    assert same.findings == ()
    # A folder has no Hub: the tags are the card's own.
    folder = facts(card_licenses=("mit",), tag_licenses=("llama3.1",), path="models/m")
    assert [f.message for f in resolution.from_card(folder, catalogue).findings] == [
        "card says license 'mit' but its tags say 'llama3.1'; both are applied"
    ]


def test_expression_findings(catalogue: Catalogue) -> None:
    choice = resolution.from_card(facts(card_licenses=("MIT OR Apache-2.0",)), catalogue)
    assert brief(choice.findings) == [
        (
            "info",
            "license-choice",
            "'MIT OR Apache-2.0' offers a choice of licence; each choice is evaluated and the "
            "verdict is the most favourable",
        )
    ]
    exception = resolution.from_card(
        facts(card_licenses=("Apache-2.0 WITH LLVM-exception",)), catalogue
    )
    assert brief(exception.findings) == [
        (
            "review",
            "license-exception",
            "'Apache-2.0 WITH LLVM-exception' adds the exception 'LLVM-exception', whose terms "
            "the catalogue does not describe",
        )
    ]
    broken = resolution.from_card(facts(card_licenses=("MIT AND (Apache-2.0",)), catalogue)
    assert alternatives(broken) == [[("MIT AND (Apache-2.0", None)]]
    assert brief(broken.findings) == [
        (
            "review",
            "license-expression-invalid",
            "licence expression 'MIT AND (Apache-2.0' cannot be parsed; it is treated as one "
            "unknown licence",
        )
    ]


def test_an_ambiguous_hub_id_names_the_version_in_force(catalogue: Catalogue) -> None:
    found = resolution.from_card(facts(card_licenses=("gemma",)), catalogue)
    assert alternatives(found) == [[("gemma", "gemma-2025-03-24")]]
    (note,) = found.findings
    assert (note.severity, note.code, note.license) == (
        Severity.INFO,
        "ambiguous-hub-id",
        "gemma-2025-03-24",
    )
    assert note.message == (
        "'gemma' names several versions (gemma-2024-04-01, gemma-2025-03-24); assuming the one "
        "in force, gemma-2025-03-24"
    )


@pytest.mark.parametrize(
    ("files", "link", "expected"),
    [
        ((), None, None),
        (("LICENSE",), None, "LICENSE"),
        (("COPYING", "LICENSE.md"), None, "LICENSE.md"),
        (("LICENSE", "LICENSE.txt"), "LICENSE.txt", "LICENSE.txt"),
        (("LICENSE", "docs/TERMS.md"), "./docs/TERMS.md", "docs/TERMS.md"),
        (("LICENSE",), "https://example.org/LICENSE.txt", "LICENSE"),
        (("LICENSE",), "MISSING.md", "LICENSE"),
    ],
)
def test_the_licence_file_to_read(
    catalogue: Catalogue, files: tuple[str, ...], link: str | None, expected: str | None
) -> None:
    found = resolution.from_card(facts(files=files, license_link=link), catalogue)
    assert found.license_file == expected


def test_policy_files_to_read(catalogue: Catalogue) -> None:
    found = resolution.from_card(
        facts(files=("README.md", "USAGE_POLICY", "USE_POLICY.md", "NOTICE")), catalogue
    )
    assert found.policy_files == ("USE_POLICY.md", "USAGE_POLICY")


def test_settled_and_with_terms(catalogue: Catalogue) -> None:
    unknown = resolution.from_card(facts(card_licenses=("acme",)), catalogue)
    assert not unknown.settled and unknown.licenses == ()
    replaced = unknown.with_terms(Term("LICENSE", "mit"), replace_unknown=True)
    assert alternatives(replaced) == [[("LICENSE", "mit")]] and replaced.settled
    kept = unknown.with_terms(Term("LICENSE", "mit"))
    assert alternatives(kept) == [[("acme", None), ("LICENSE", "mit")]]
    nothing = resolution.from_card(facts(), catalogue)
    assert not nothing.settled
    assert alternatives(nothing.with_terms(Term("LICENSE", "mit"))) == [[("LICENSE", "mit")]]
    both = resolution.from_card(facts(card_licenses=("mit OR apache-2.0",)), catalogue)
    assert both.settled and both.licenses == ("mit", "apache-2.0")


# -- lineage --------------------------------------------------------------------------------


def chain(parents: dict[str, list[str]]) -> dict[str, ModelFacts]:
    return {
        m: ModelFacts(id=m, sha=None, base_models=tuple(BaseModelRef(p, "finetune") for p in ps))
        for m, ps in parents.items()
    }


def test_ancestors_breadth_first_each_once_with_depths() -> None:
    models = chain({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []})
    fetched: list[str] = []

    def fetch(mid: str) -> ModelFacts:
        fetched.append(mid)
        return models[mid]

    found, findings = lineage.ancestors(models["a"], fetch)
    assert [(x.ref.id, x.parent, x.depth) for x in found] == [
        ("b", "a", 1),
        ("c", "a", 1),
        ("d", "b", 2),
    ]
    assert fetched == ["b", "c", "d"] and findings == []


def test_a_cycle_is_a_review_finding() -> None:
    models = chain({"a": ["b"], "b": ["a"]})
    found, findings = lineage.ancestors(models["a"], models.__getitem__)
    assert [x.ref.id for x in found] == ["b"]
    assert brief(tuple(findings)) == [
        (
            "review",
            "lineage-cycle",
            "b names a as a base model, but a descends from it: the declared lineage is a cycle",
        )
    ]


@pytest.mark.parametrize(("depth", "followed"), [(2, 2), (3, 3), (4, 3)])
def test_the_depth_cap(depth: int, followed: int) -> None:
    names = [f"m{i}" for i in range(depth + 1)]
    models = chain({n: [names[i + 1]] if i < depth else [] for i, n in enumerate(names)})
    found, findings = lineage.ancestors(models["m0"], models.__getitem__, max_depth=3)
    assert len(found) == followed
    if depth > 3:
        assert brief(tuple(findings)) == [
            ("review", "lineage-too-deep", "lineage deeper than 3; m4 not followed")
        ]
    else:
        assert findings == []


def test_a_base_that_is_not_found_is_a_review_finding() -> None:
    models = chain({"a": ["gone"]})

    def fetch(mid: str) -> ModelFacts:
        raise ModelNotFound(mid, "model not found (or private)")

    found, findings = lineage.ancestors(models["a"], fetch)
    assert [(x.ref.id, x.facts, x.error) for x in found] == [
        ("gone", None, "model not found (or private)")
    ]
    assert brief(tuple(findings)) == [
        (
            "review",
            "base-model-unreadable",
            "base model gone could not be read: model not found (or private)",
        )
    ]
    assert findings[0].model == "gone"


def test_a_renamed_base_is_not_followed_twice() -> None:
    old = ModelFacts(id="a", sha=None, base_models=(BaseModelRef("old/name", "finetune"),))
    renamed = ModelFacts(id="new/name", sha=None, base_models=(BaseModelRef("a", "finetune"),))
    found, findings = lineage.ancestors(old, lambda mid: renamed)
    assert [x.facts.id for x in found if x.facts] == ["new/name"]
    assert [f.code for f in findings] == ["lineage-cycle"]


def test_lineage_goes_on_past_a_cycle_a_diamond_and_a_missing_base() -> None:
    """One bad parent never stops the others being followed."""
    models = chain({"a": ["a", "gone", "b", "c"], "b": ["d"], "c": ["d", "e"], "d": [], "e": []})

    def fetch(mid: str) -> ModelFacts:
        if mid == "gone":
            raise ModelNotFound(mid, "model not found (or private)")
        return models[mid]

    found, findings = lineage.ancestors(models["a"], fetch)
    assert [(x.ref.id, x.parent, x.depth) for x in found] == [
        ("gone", "a", 1),
        ("b", "a", 1),
        ("c", "a", 1),
        ("d", "b", 2),
        ("e", "c", 2),
    ]
    assert [(f.code, f.model) for f in findings] == [
        ("lineage-cycle", "a"),
        ("base-model-unreadable", "gone"),
    ]


def test_the_depth_cap_goes_on_with_other_parents() -> None:
    models = chain({"a": ["b", "x"], "b": ["c"], "c": [], "x": []})
    found, findings = lineage.ancestors(models["a"], models.__getitem__, max_depth=1)
    assert [x.ref.id for x in found] == ["b", "x"]
    assert [(f.code, f.model, f.message) for f in findings] == [
        ("lineage-too-deep", "b", "lineage deeper than 1; c not followed")
    ]


def test_with_terms_keeps_what_was_declared(catalogue: Catalogue) -> None:
    found = resolution.from_card(
        facts(card_licenses=("acme",), files=("LICENSE", "USAGE_POLICY")), catalogue
    )
    joined = found.with_terms(Term("LICENSE", "mit"), replace_unknown=True)
    assert joined.declared == "acme"
    assert joined.findings == found.findings
    assert joined.license_file == "LICENSE" and joined.policy_files == ("USAGE_POLICY",)
    twice = joined.with_terms(Term("LICENSE", "mit"))
    assert alternatives(twice) == [[("LICENSE", "mit")]]


def test_findings_name_the_model(catalogue: Catalogue) -> None:
    found = resolution.from_card(
        facts(card_licenses=("gemma", "MIT OR (Apache-2.0"), tag_licenses=("mit",)), catalogue
    )
    assert {f.model for f in found.findings} == {"org/m"}
    assert [f.license for f in found.findings] == [None, "gemma-2025-03-24", None]


def test_an_unknown_symbol_in_an_expression_is_kept_by_name(catalogue: Catalogue) -> None:
    found = resolution.from_card(facts(card_licenses=("mit AND acme-2",)), catalogue)
    assert alternatives(found) == [[("mit", "mit"), ("acme-2", None)]]


@pytest.mark.parametrize(("count", "capped"), [(3, False), (4, True)])
def test_bases_per_model_are_capped(count: int, capped: bool) -> None:
    parents = [f"p{i}" for i in range(count)]
    models = chain({"a": parents, **{p: [] for p in parents}})
    found, findings = lineage.ancestors(models["a"], models.__getitem__, max_bases=3)
    assert [x.ref.id for x in found] == parents[:3]
    expected = [
        ("review", "lineage-capped", "a names 4 base models; only the first 3 were followed")
    ]
    assert brief(tuple(findings)) == (expected if capped else [])
    assert all(f.model == "a" for f in findings)


@pytest.mark.parametrize(("count", "capped"), [(3, False), (4, True)])
def test_ancestors_per_check_are_capped(count: int, capped: bool) -> None:
    names = [f"m{i}" for i in range(count + 1)]
    models = chain({n: [names[i + 1]] if i < count else [] for i, n in enumerate(names)})
    found, findings = lineage.ancestors(models["m0"], models.__getitem__, max_ancestors=3)
    assert [x.ref.id for x in found] == names[1:4]
    if capped:
        assert brief(tuple(findings)) == [
            (
                "review",
                "lineage-capped",
                "more than 3 base models in the lineage; m4 and any after it were not followed",
            )
        ]
        assert findings[0].model == "m3"
    else:
        assert findings == []


def test_a_base_that_may_yet_be_read_leaves_the_model_undecided() -> None:
    from licensecmp.errors import HubUnavailable

    models = chain({"a": ["ok", "flaky"], "ok": []})

    def fetch(mid: str) -> ModelFacts:
        if mid == "flaky":
            raise HubUnavailable(mid, "Hub error 503")
        return models[mid]

    with pytest.raises(HubUnavailable) as caught:
        lineage.ancestors(models["a"], fetch)
    assert caught.value.model == "a"
    assert caught.value.reason == "base model flaky could not be read: Hub error 503"


def test_a_renamed_base_counts_once_under_both_names() -> None:
    """The Hub answers a renamed base under its new id; a sibling naming the new id is the
    same model, fetched once."""
    root = ModelFacts(
        id="r",
        sha=None,
        base_models=(BaseModelRef("old/x", "merge"), BaseModelRef("new/x", "merge")),
    )
    renamed = ModelFacts(id="new/x", sha=None)
    fetched: list[str] = []

    def fetch(mid: str) -> ModelFacts:
        fetched.append(mid)
        return renamed

    found, findings = lineage.ancestors(root, fetch)
    assert fetched == ["old/x"] and len(found) == 1 and findings == []


def test_a_diamond_is_followed_once_and_siblings_go_on() -> None:
    models = chain({"a": ["b", "c"], "b": ["d"], "c": ["d", "e"], "d": [], "e": []})
    found, _ = lineage.ancestors(models["a"], models.__getitem__)
    assert [x.ref.id for x in found] == ["b", "c", "d", "e"]


@pytest.mark.parametrize(
    ("link", "files", "expected"),
    [
        ("", ("LICENSE",), "LICENSE"),
        ("LICENSE.md", ("LICENSE", "LICENSE.md"), "LICENSE.md"),
        ("http://example.org/LICENSE", ("LICENSE", "http://example.org/LICENSE"), "LICENSE"),
    ],
)
def test_only_a_relative_license_link_names_a_repository_file(
    catalogue: Catalogue, link: str, files: tuple[str, ...], expected: str
) -> None:
    assert resolution.from_card(facts(files=files, license_link=link), catalogue).license_file == (
        expected
    )
