"""HTML and Markdown reports: structure, inert hostile input, determinism, the written set."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from licensecmp import reportset
from licensecmp.catalogue import Catalogue
from licensecmp.clauses import GROUPS, SPECS
from licensecmp.compare import (
    KEY_CLAUSES,
    THRESHOLDS,
    Comparison,
    catalogue_digest,
    compare,
    diff,
    histories,
)
from licensecmp.loader import load_file
from licensecmp.model import (
    CheckResult,
    Clause,
    Evidence,
    Finding,
    License,
    LineageNode,
    Severity,
    Verdict,
)
from licensecmp.report import html, markdown, wording
from licensecmp.report.meta import Meta
from licensecmp.service import open_catalogue

from .conftest import DATA, REPO

FLAGSHIP = list(reportset.FLAGSHIP)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
SCRIPT = "<script>alert(1)</script>"
HOSTILE = f'{SCRIPT}</style><img src=x onerror=alert(2)>" onmouseover="alert(3)'


# --- a small DOM, enough to assert structure and inertness ----------------------------------


class Node:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag: str, cls: str | None = None) -> list[Node]:
        out = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and (cls is None or cls in child.classes):
                    out.append(child)
                out += child.find(tag, cls)
        return out

    def rows(self) -> list[Node]:
        return self.find("tr")


VOID = {"meta", "br", "hr", "img", "link", "input", "col", "base", "area", "source", "wbr"}


class Page(HTMLParser):
    """Parses a whole page; records every element and any end tag that does not match."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root
        self.elements: list[Node] = []
        self.mismatched: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        self.elements.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        self.elements.append(node)

    def handle_endtag(self, tag: str) -> None:
        if self.current.tag != tag or self.current.parent is None:
            self.mismatched.append(f"</{tag}> closes <{self.current.tag}>")
            return
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)

    def by_id(self, ident: str) -> Node:
        (node,) = [e for e in self.elements if e.attrs.get("id") == ident]
        return node

    def after(self, heading_id: str, tag: str = "table") -> Node:
        """The first `tag` element after the element with `heading_id`."""
        start = self.elements.index(self.by_id(heading_id))
        return next(e for e in self.elements[start:] if e.tag == tag)


def inert(text: str) -> Page:
    """Assert a page can run nothing and fetch nothing; returns it parsed."""
    page = Page(text)
    assert page.mismatched == [] and page.current is page.root, page.mismatched
    tags = {e.tag for e in page.elements}
    assert not tags & {"script", "iframe", "object", "embed", "img", "link", "base", "form"}
    assert not tags & {"svg", "math", "frame", "video", "audio", "input", "button"}
    for e in page.elements:
        assert not [a for a in e.attrs if a.startswith("on") or a in ("src", "srcset", "style")]
        href = e.attrs.get("href")
        if href is not None:
            assert re.fullmatch(r"https?://\S+|#[a-z0-9_-]+|[a-z0-9][a-z0-9./_-]*", href), href
    metas = [e.attrs for e in page.elements if e.tag == "meta"]
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in metas
    assert not [m for m in metas if (m.get("http-equiv") or "").lower() == "refresh"]
    (style,) = [e for e in page.elements if e.tag == "style"]
    css = (files("licensecmp") / "templates" / "report.css").read_text(encoding="utf-8")
    assert style.text().strip() == css.strip()
    return page


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    cat, problems = open_catalogue()
    assert not problems
    return cat


@pytest.fixture(scope="module")
def meta(catalogue: Catalogue) -> Meta:
    return Meta(catalogue_digest(catalogue))


@pytest.fixture(scope="module")
def flagship(catalogue: Catalogue) -> Comparison:
    licenses = [catalogue.get(i) for i in FLAGSHIP]
    assert all(licenses)
    return compare([lic for lic in licenses if lic is not None])


@pytest.fixture(scope="module")
def page(flagship: Comparison, meta: Meta) -> Page:
    return inert(html.comparison(flagship, meta))


def lic(catalogue: Catalogue, license_id: str) -> License:
    found = catalogue.get(license_id)
    assert found is not None
    return found


# --- the comparison page ------------------------------------------------------------------


def test_comparison_has_a_column_per_licence_and_a_row_per_clause_in_vocabulary_groups(
    page: Page, flagship: Comparison
) -> None:
    table = page.after("clauses")
    heads = [th.text() for th in table.find("thead")[0].find("th")]
    assert heads[0] == "Clause"
    for head, licence in zip(heads[1:], flagship.licenses, strict=True):
        assert head.startswith(licence.name)
    groups = [th.text() for tr in table.rows() if "group" in tr.classes for th in tr.find("th")]
    assert groups == [name for name, _ in GROUPS]
    clause_rows = [tr for tr in table.rows() if tr.attrs.get("id")]
    assert [tr.attrs["id"] for tr in clause_rows] == [s.name for _, g in GROUPS for s in g]
    for tr in clause_rows:
        assert len(tr.find("td", "cell")) == len(FLAGSHIP)


def test_every_cell_says_its_rating_in_words_and_icon_not_colour_alone(page: Page) -> None:
    words = {r.value: f"{w.icon} {w.word}" for r, w in wording.RATINGS.items()}
    cells = page.after("clauses").find("td", "cell")
    assert len(cells) == len(SPECS) * len(FLAGSHIP)
    seen = set()
    for td in cells:
        (rating,) = [c.removeprefix("r-") for c in td.classes if c.startswith("r-")]
        (badge,) = td.find("span", "badge")[:1]
        assert badge.text().strip() == words[rating]
        seen.add(rating)
    assert seen == set(words)  # the flagship shows all four states


def test_cells_carry_terms_for_people_and_evidence_with_section_quote_and_official_link(
    page: Page, catalogue: Catalogue
) -> None:
    row = page.by_id("user_threshold")
    llama = row.find("td", "cell")[0]
    assert "700,000,000 monthly active users" in llama.text()
    assert "no rights until the licensor grants them" in llama.text()
    (details,) = llama.find("details")
    clause = lic(catalogue, "llama-3.1").clauses["user_threshold"]
    quotes = [q.text() for q in details.find("q")]
    assert quotes == [e.quote for e in clause.evidence]
    assert "2. Additional Commercial Terms" in details.text()
    links = {a.attrs["href"]: a.text() for a in details.find("a")}
    assert links == {
        "https://llama.meta.com/llama3_1/license/": "Llama 3.1 Community License Agreement"
    }
    attribution = page.by_id("attribution").find("td", "cell")[0].text()
    assert "“Built with Llama”" in attribution


def test_licence_headers_name_version_date_status_and_licensor(
    page: Page, flagship: Comparison
) -> None:
    table = page.after("licences")
    rows = table.find("tbody")[0].rows()
    for tr, licence in zip(rows, flagship.licenses, strict=True):
        text = tr.text()
        for part in (licence.name, licence.version, licence.release_date, licence.licensor):
            assert part in text
        assert markdown.STATUSES[licence.status] in text
        assert {a.attrs["href"] for a in tr.find("a")} == {d.url for d in licence.documents}
    assert "Superseded" in rows[0].text() and "In force" in rows[1].text()


def test_differences_come_first_then_thresholds_then_every_clause(
    page: Page, flagship: Comparison
) -> None:
    order = [page.elements.index(page.by_id(i)) for i in ("differences", "thresholds", "clauses")]
    assert order == sorted(order)
    differing = [
        tr.find("th")[0].find("a")[0].text()
        for tr in page.after("differences").find("tbody")[0].rows()
    ]
    assert differing == [r.spec.title for r in flagship.differing]
    assert "User threshold" in differing and "Warranty disclaimer" not in differing
    prose = page.after("differences", "p").text()
    assert f"{len(differing)} of the {len(SPECS)} clauses shown differ" in prose
    assert "The same in every licence:" in prose and "Warranty disclaimer (disclaimed)" in prose


def test_thresholds_strip_sets_the_three_thresholds_side_by_side(page: Page) -> None:
    table = page.after("thresholds")
    rows = table.find("tbody")[0].rows()
    assert [tr.find("th")[0].text() for tr in rows] == [SPECS[n].title for n in THRESHOLDS]
    users = [td.text() for td in rows[0].find("td")]
    assert "700,000,000 monthly active users" in users[FLAGSHIP.index("llama-3.1")]
    assert "100,000,000 monthly active users" in users[FLAGSHIP.index("qwen")]
    assert "monthly active users" not in users[FLAGSHIP.index("mit")]


def test_money_regions_and_policies_read_for_people(catalogue: Catalogue, meta: Meta) -> None:
    stability = html.license_page(lic(catalogue, "stability-ai-community"), meta)
    assert "USD 1,000,000 per year" in stability
    assert "Powered by Stability AI" in stability
    llama = Page(html.license_page(lic(catalogue, "llama-3.2"), meta))
    geo = llama.by_id("geographic_restriction").text()
    assert "European Union" in geo and "multimodal models only" in geo
    policy = llama.by_id("use_policy")
    assert "https://www.llama.com/llama3_2/use-policy" in [
        a.attrs["href"] for a in policy.find("a")
    ]


def test_footer_names_tool_digest_and_not_legal_advice_and_a_date_only_when_asked(
    flagship: Comparison, meta: Meta
) -> None:
    plain = Page(html.comparison(flagship, meta))
    (footer,) = plain.root.find("footer")
    text = footer.text()
    assert meta.tool in text and meta.catalogue_digest in text and "not legal advice" in text
    assert "generated" not in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None  # no clock date (entries carry theirs)
    dated = Page(html.comparison(flagship, dataclasses.replace(meta, generated="2031-02-03")))
    assert "generated 2031-02-03" in dated.root.find("footer")[0].text()
    md_text = markdown.comparison(flagship, meta)
    assert md_text.rstrip().endswith(f"{meta.catalogue_digest} · not legal advice.")
    assert "2031-02-03" in markdown.comparison(
        flagship, dataclasses.replace(meta, generated="2031-02-03")
    )


def test_print_stylesheet_is_a4_with_page_numbers_printed_links_and_endnotes() -> None:
    """What the browser tests measure in print, stated where the rules live."""
    css = (files("licensecmp") / "templates" / "report.css").read_text(encoding="utf-8")
    assert "@page { size: A4 portrait;" in css  # licence pages and check reports
    assert "@page wide { size: A4 landscape;" in css  # comparisons, the index, histories
    assert css.count('content: "Page " counter(page) " of " counter(pages);') == 2
    print_rules = css.split("@media print", 1)[1]
    assert "html { font-size: 9pt; }" in print_rules  # never below 9 pt
    assert "thead { display: table-header-group; }" in print_rules
    assert ".screen-only, details { display: none; }" in print_rules  # evidence: endnotes
    assert 'a[href^="http"]::after { content: " <" attr(href) ">";' in print_rules
    assert "url(" not in css and "@import" not in css


# --- the other pages ----------------------------------------------------------------------


def test_license_page_shows_every_clause_and_the_change_from_its_predecessor(
    catalogue: Catalogue, meta: Meta
) -> None:
    new, old = lic(catalogue, "llama-3.2"), lic(catalogue, "llama-3.1")
    change = diff(old, new)
    page = inert(html.license_page(new, meta, change))
    assert [page.by_id(name).tag for name in SPECS] == ["tr"] * len(SPECS)
    changes = page.after("changes").find("tbody")[0].rows()
    heads = [tr.find("th")[0] for tr in changes]
    assert [str(h.children[0]) for h in heads] == [c.spec.title for c in change.changes]
    geo, restrictions = changes[0], changes[2]
    assert geo.find("span", "items")[0].text() == "New: European Union"
    assert restrictions.find("span", "items")[0].text() == (
        "New: circumventing safety measures, harmful third-party tools"
    )
    assert "European Union" in " ".join(li.text() for li in geo.find("li", "changed"))
    assert "Changes from" not in html.license_page(lic(catalogue, "mit"), meta)


def test_history_marks_what_changed_at_each_version(catalogue: Catalogue, meta: Meta) -> None:
    chain = catalogue.history("llama-3.1")
    diffs = [diff(a, b) for a, b in itertools.pairwise(chain)]
    page = inert(html.history(chain, diffs, meta))
    for d in diffs:  # a section per step, its heading naming both versions
        assert page.by_id(d.new.id).text() == f"{d.old.name} → {d.new.name}"
    marked = sum(len(d.changes) for d in diffs)
    overview = page.after("overview")
    assert (
        len([m for m in overview.find("span", "changed-mark") if m.text() == "Δ changed"]) == marked
    )
    geo = page.after("overview").find("tbody")[1].rows()[3]
    assert geo.find("th")[0].text() == "Geographic restriction"
    assert ["Δ changed" in td.text() for td in geo.find("td")] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]


def test_index_lists_every_licence_by_key_clauses_with_relative_links(
    catalogue: Catalogue, meta: Meta
) -> None:
    c = compare(list(catalogue))
    pages = {x.id: f"licenses/{x.id}.html" for x in catalogue}
    older = {"llama-3.1": "history/llama.html"}
    page = inert(html.index(c, meta, pages, older, "comparison.html"))
    groups = wording.by_kind(c.licenses)
    titles = ["Model licences", "Software licences", "Data and content licences"]
    assert [page.by_id(g.kind.value).text() for g in groups] == titles
    tables = page.root.find("table")
    assert len(tables) == len(groups)
    listed = []
    row_of = {}
    for table, group in zip(tables, groups, strict=True):
        heads = [th.text() for th in table.find("thead")[0].find("th")]
        # the answer, then the key clauses; no Hub column without a snapshot
        assert heads[3:] == ["Commercial use?", *(SPECS[k].title for k in KEY_CLAUSES)]
        rows = table.find("tbody")[0].rows()
        for tr, i in zip(rows, group.rows, strict=True):
            licence = c.licenses[i]
            assert licence.kind is group.kind
            assert tr.find("a")[0].attrs["href"] == f"licenses/{licence.id}.html"
            assert len(tr.find("td", "compact")) == len(KEY_CLAUSES)
            listed.append(licence.id)
            row_of[licence.id] = tr
    assert sorted(listed) == sorted(x.id for x in catalogue)  # every licence, once
    llama = row_of["llama-3.1"]
    answer, users = llama.find("td")[2].text(), llama.find("td")[4].text()
    assert answer == "Yes, up to 700 million monthly active users on 2024-07-23"
    assert "700,000,000 monthly active users" in users  # the number, not just "Applies"
    eu = row_of["llama-3.2"].find("td")[6].text()
    assert "European Union" in eu and "multimodal models only" in eu
    md_index = markdown.index(c, meta, {x.id: f"licenses/{x.id}.md" for x in catalogue})
    sections = [line for line in md_index.splitlines() if line.startswith("## ")]
    assert sections[: len(titles)] == [f"## {t}" for t in titles]
    hrefs = {a.attrs["href"] for a in page.root.find("a")}
    assert {"history/llama.html", "comparison.html"} <= hrefs
    for bad in ("javascript:alert(1)", "../../etc/passwd", "/abs.html", "https://x.test/"):
        with pytest.raises(ValueError):
            html.index(c, meta, {"mit": bad})
        with pytest.raises(ValueError):
            markdown.index(c, meta, {"mit": bad})


def test_index_groups_leave_out_empty_kinds(catalogue: Catalogue) -> None:
    licences = [lic(catalogue, "mit"), lic(catalogue, "cc-by-4.0"), lic(catalogue, "apache-2.0")]
    assert [(g.title, g.rows) for g in wording.by_kind(licences)] == [
        ("Software licences", (0, 2)),
        ("Data and content licences", (1,)),
    ]


def check_results(catalogue: Catalogue) -> list[CheckResult]:
    llama = lic(catalogue, "llama-3.1")
    aup = llama.clauses["use_restrictions"].evidence[0]
    findings = (
        Finding(Severity.REVIEW, "attribution", "Display “Built with Llama”.", "llama-3.1"),
        Finding(
            Severity.DENY,
            "clause-denied",
            "Use restrictions are denied by policy.",
            "llama-3.1",
            "use_restrictions",
            aup.document,
            aup.section,
            aup.quote,
            "acme/tuned",
        ),
    )
    lineage = (
        LineageNode("acme/tuned", "abc", None, None, 0, "other", ("llama-3.1",)),
        LineageNode(
            "meta-llama/base", "def", "finetune", "acme/tuned", 1, "llama3.1", ("llama-3.1",)
        ),
    )
    ok = CheckResult(
        "acme/tuned", "acme/tuned", "abc", "other", ("llama-3.1",), lineage, None,
        Verdict.DENY, findings, "default", "fake hub",
    )  # fmt: skip
    broken = dataclasses.replace(ok, model="acme/gone", requested="acme/gone", error="not found")
    return [ok, broken]


def test_check_result_shows_verdict_lineage_and_cited_findings(
    catalogue: Catalogue, meta: Meta
) -> None:
    results = check_results(catalogue)
    page = inert(html.check_result(results, meta, catalogue))
    heads = [h.text() for h in page.root.find("h2")]
    assert heads[0] == "Overview"
    first = page.root.find("table", "overview-table")[0].find("tbody")[0].rows()[0]
    assert [td.text() for td in first.find("td")][1:3] == [
        "Use restrictions are denied by policy. (and 1 more)",
        "do not use it under this policy",
    ]
    assert heads[1].startswith("acme/tuned") and "✕ Deny" in heads[1]
    assert heads[2].startswith("acme/gone") and "Could not decide" in heads[2]
    findings = page.root.find("table", "findings")[0].find("tbody")[0].rows()
    assert [tr.find("span", "badge")[0].text().strip() for tr in findings] == ["✕ Deny", "◐ Review"]
    aup = lic(catalogue, "llama-3.1").document("aup")
    assert aup is not None
    assert findings[0].find("a")[0].attrs["href"] == aup.url
    assert "meta-llama/base" in page.root.find("table", "lineage")[0].text()
    assert "700,000,000 monthly active users" in page.root.text()
    text = markdown.check_result(results, meta, catalogue)
    assert "## acme/tuned: ✕ Deny" in text and "## acme/gone: ? Could not decide" in text
    assert text.index("✕ Deny | Use restrictions") < text.index("◐ Review | Display")


# --- hostile licence files ----------------------------------------------------------------


def hostile_license(base: License, suffix: str = "") -> License:
    """`base` with attacker-chosen text in every field a licence file can carry."""
    docs = tuple(
        dataclasses.replace(d, title=HOSTILE + d.title, url=url)
        for d, url in zip(
            (*base.documents, *base.documents),
            ("javascript:alert(4)", ' https://x.test/" onmouseover="alert(5)'),
            strict=False,
        )
    )
    clauses = {
        name: dataclasses.replace(
            c,
            summary=HOSTILE + c.summary,
            notes=HOSTILE,
            evidence=(
                Evidence(HOSTILE, HOSTILE + "|pipe\nnewline", "license"),
                Evidence("§", "quote from a document that is not listed", "nowhere"),
            ),
            params={**c.params, "condition": HOSTILE, "url": "JaVaScRiPt:alert(6)"},
        )
        for name, c in base.clauses.items()
    }
    return dataclasses.replace(
        base,
        id=base.id + suffix,
        name=HOSTILE + base.name + suffix,
        version=HOSTILE,
        licensor=HOSTILE,
        notes=HOSTILE,
        documents=docs,
        clauses=clauses,
    )


def test_hostile_text_and_urls_stay_inert_text_on_every_html_page(
    catalogue: Catalogue, meta: Meta
) -> None:
    old = hostile_license(lic(catalogue, "llama-3.1"), "-old")
    new = hostile_license(lic(catalogue, "llama-3.2"))
    c = compare([old, new, lic(catalogue, "mit")], notes=[HOSTILE])
    finding = Finding(
        Verdict.DENY, HOSTILE, HOSTILE, new.id, "use_policy", "license", HOSTILE, HOSTILE, HOSTILE
    )
    result = dataclasses.replace(
        check_results(catalogue)[0], model=HOSTILE, licenses=(new.id,), findings=(finding,)
    )
    pages = [
        html.comparison(c, meta),
        html.license_page(new, meta, diff(old, new)),
        html.history([old, new], [diff(old, new)], meta),
        html.index(c, meta, {new.id: "licenses/x.html"}),
        html.check_result([result], meta, Catalogue([new])),
    ]
    for text in pages:
        page = inert(text)
        assert SCRIPT in page.root.text()  # shown to the reader, as text
        hrefs = [e.attrs["href"] for e in page.elements if "href" in e.attrs]
        assert not [h for h in hrefs if h and "javascript" in h.lower()]
        assert "https://x.test/" not in " ".join(h or "" for h in hrefs)  # leading space: no link
    assert "JaVaScRiPt:alert(6)" in Page(pages[1]).root.text()


def test_hostile_licence_file_loaded_from_yaml_renders_inert(tmp_path: Path, meta: Meta) -> None:
    data = yaml.safe_load((DATA / "good" / "mit.yaml").read_text(encoding="utf-8"))
    data["name"] = HOSTILE
    data["licensor"] = "</style></head><body onload=alert(1)>"
    data["documents"][0]["title"] = HOSTILE
    data["documents"][0]["url"] = 'https://example.test/"><script>alert(7)</script>'
    data["clauses"]["commercial_use"]["summary"] = HOSTILE
    data["clauses"]["commercial_use"]["evidence"][0] = {"section": HOSTILE, "quote": SCRIPT}
    path = tmp_path / "mit.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    loaded = load_file(path)
    assert loaded.problems == () and loaded.license is not None
    licence = loaded.license
    page = inert(html.license_page(licence, meta))
    assert page.root.find("h1")[0].text() == HOSTILE
    links = [a for a in page.root.find("a") if a.text() == HOSTILE]
    assert len(links) > 2  # the official texts list, and every quote's source
    for a in links:  # escaped, intact, one attribute
        assert a.attrs == {"href": data["documents"][0]["url"], "rel": "noopener noreferrer"}
    inert(html.comparison(compare([licence]), meta))
    text = markdown.license_page(licence, meta)
    assert "<script" not in text and "<img" not in text and "<body" not in text


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_escaping_keeps_cells_one_line_and_markup_free() -> None:
    assert markdown.md("a|b\nc <b>x</b> [l](javascript:y) *e* `c` _u_ ~s~ \\") == (
        "a\\|b c &lt;b&gt;x&lt;/b&gt; \\[l\\](javascript:y) \\*e\\* \\`c\\` \\_u\\_ \\~s\\~ \\\\"
    )
    assert markdown.link("text", "javascript:alert(1)") == "text"
    assert markdown.link("t|x", "https://a.test/p(1)|q") == "[t\\|x](https://a.test/p%281%29%7Cq)"
    assert markdown.link("t", "https://a.test/ x") == "t"


def pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_tables_keep_their_shape_with_hostile_text(
    catalogue: Catalogue, meta: Meta
) -> None:
    bad = hostile_license(lic(catalogue, "llama-3.2"))
    texts = [
        markdown.comparison(compare([bad, lic(catalogue, "mit")]), meta),
        markdown.license_page(bad, meta, diff(lic(catalogue, "llama-3.1"), bad)),
        markdown.history(
            [lic(catalogue, "llama-3.1"), bad], [diff(lic(catalogue, "llama-3.1"), bad)], meta
        ),
        markdown.index(compare([bad]), meta, {bad.id: "licenses/x.md"}),
        markdown.check_result(
            [dataclasses.replace(check_results(catalogue)[0], licenses=(bad.id,))],
            meta,
            Catalogue([bad]),
        ),
    ]
    tables = 0
    for text in texts:
        assert "<script" not in text.lower() and "](javascript" not in text.lower()
        assert re.search(r"<(?!br>)", text) is None  # the only tag is our own line break
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("| ---"):
                tables += 1
                rows = itertools.takewhile(lambda row: row.startswith("|"), lines[i + 1 :])
                assert {pipes(row) for row in rows} == {pipes(lines[i - 1])}, lines[i - 1]
    assert tables >= 15


def test_markdown_pages_carry_the_same_content(
    flagship: Comparison, catalogue: Catalogue, meta: Meta
) -> None:
    text = markdown.comparison(flagship, meta)
    assert text.index("## Where they differ") < text.index("## Thresholds at a glance")
    assert text.index("## Thresholds at a glance") < text.index("## Clause by clause")
    for licence in flagship.licenses:
        assert markdown.md(licence.name) in text
    assert "Threshold: 700,000,000 monthly active users" in text
    assert (
        "[Llama 3.1 Community License Agreement](https://llama.meta.com/llama3_1/license/)" in text
    )
    for group, _ in GROUPS:
        assert f"### {group}\n" in text
    assert "**Not legal advice.**" in text


# --- determinism and the written set ------------------------------------------------------


def test_same_input_same_bytes(flagship: Comparison, catalogue: Catalogue, meta: Meta) -> None:
    again = compare([lic(catalogue, i) for i in FLAGSHIP])
    assert html.comparison(flagship, meta) == html.comparison(again, meta)
    assert markdown.comparison(flagship, meta) == markdown.comparison(again, meta)
    reloaded, _ = open_catalogue()
    assert reportset.render_set(catalogue, meta) == reportset.render_set(reloaded, meta)


def expected_set(catalogue: Catalogue) -> set[str]:
    chains = histories(catalogue)
    names = reportset.history_names(chains)
    assert len(set(names)) == len(chains)  # every version chain gets its own page
    stems = {"index", "comparison"} | {f"licenses/{x.id}" for x in catalogue}
    stems |= {f"history/{f}" for f in names}
    return {f"{stem}.{fmt}" for stem in stems for fmt in ("html", "md")}


def test_write_set_writes_every_page_and_check_set_finds_every_drift(
    tmp_path: Path, catalogue: Catalogue, meta: Meta
) -> None:
    out = tmp_path / "reports"
    written = reportset.write_set(catalogue, out, meta)
    rel = {p.relative_to(out).as_posix() for p in written}
    assert rel == expected_set(catalogue)
    assert {"history/llama.html", "history/gemma.md", "licenses/llama-3.1.md"} <= rel
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == rel | {reportset.MANIFEST}  # and no temporary file left
    manifest = json.loads((out / reportset.MANIFEST).read_text())
    assert manifest == {
        "format": "licensecmp-report-manifest",
        "format_version": 1,
        "files": sorted(rel),
    }
    assert reportset.check_set(catalogue, out, meta) == []

    (out / "licenses" / "mit.md").write_text("edited by hand")
    (out / "history" / "llama.html").unlink()
    (out / "history" / "extra.md").write_text("the user's own file")  # not ours: not stale
    assert reportset.check_set(catalogue, out, meta) == ["history/llama.html", "licenses/mit.md"]
    dated = dataclasses.replace(meta, generated="2031-02-03")
    assert set(reportset.check_set(catalogue, out, dated)) == rel
    reportset.write_set(catalogue, out, meta)
    assert reportset.check_set(catalogue, out, meta) == []
    assert (out / "history" / "extra.md").read_text() == "the user's own file"


def test_a_page_the_set_no_longer_has_is_removed_only_when_the_manifest_lists_it(
    tmp_path: Path, catalogue: Catalogue, meta: Meta
) -> None:
    out = tmp_path / "reports"
    reportset.write_set(catalogue, out, meta)
    (out / "licenses" / "gone.html").write_text("from an older set")
    (out / "licenses" / "mine.html").write_text("the user's own page")
    manifest = json.loads((out / reportset.MANIFEST).read_text())
    # An older set listed gone.html; a hostile manifest also lists paths outside the set.
    manifest["files"] += ["licenses/gone.html", "../outside.md", "/etc/passwd", "README.txt"]
    (out / reportset.MANIFEST).write_text(json.dumps(manifest))
    (tmp_path / "outside.md").write_text("outside")
    (out / "README.txt").write_text("the user's readme")
    assert reportset.check_set(catalogue, out, meta) == [reportset.MANIFEST, "licenses/gone.html"]
    reportset.write_set(catalogue, out, meta)
    assert not (out / "licenses" / "gone.html").exists()
    assert (out / "licenses" / "mine.html").read_text() == "the user's own page"
    assert (tmp_path / "outside.md").read_text() == "outside"
    assert (out / "README.txt").read_text() == "the user's readme"
    assert reportset.check_set(catalogue, out, meta) == []


def test_every_relative_link_of_the_set_resolves(
    tmp_path: Path, catalogue: Catalogue, meta: Meta
) -> None:
    reportset.write_set(catalogue, tmp_path, meta)
    pages = sorted(tmp_path.rglob("*.html"))
    checked = 0
    for path in pages:
        for e in Page(path.read_text(encoding="utf-8")).elements:
            href = e.attrs.get("href") or ""
            if e.tag == "a" and href and not href.startswith(("http://", "https://", "#")):
                assert (path.parent / href).is_file(), f"{path}: {href}"
                checked += 1
    in_chains = sum(len(chain) for chain in histories(catalogue))
    assert checked == len(catalogue) + in_chains + 1  # pages, histories, the comparison
    md_index = (tmp_path / "index.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([a-z][^)]*\.md)\)", md_index):
        assert (tmp_path / target).is_file()
    licence = (tmp_path / "licenses" / "llama-3.1.html").read_text(encoding="utf-8")
    assert "Changes from Meta Llama 3 Community License Agreement" in licence


def test_nothing_is_written_when_a_page_fails_to_render(
    tmp_path: Path, catalogue: Catalogue, meta: Meta, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> str:
        raise RuntimeError("template bug")

    monkeypatch.setattr(markdown, "comparison", broken)
    with pytest.raises(RuntimeError):
        reportset.write_set(catalogue, tmp_path / "out", meta)
    assert not (tmp_path / "out").exists()


def test_a_licence_id_that_cannot_be_a_file_name_is_refused(
    catalogue: Catalogue, meta: Meta
) -> None:
    bad = dataclasses.replace(lic(catalogue, "mit"), id="../escape")
    with pytest.raises(ValueError, match="cannot name a report file"):
        reportset.render_set(Catalogue([bad]), meta)


def test_templates_ship_inside_the_package() -> None:
    templates = files("licensecmp") / "templates"
    names = {p.name for p in templates.iterdir()}
    assert {"base.html.j2", "macros.html.j2", "comparison.html.j2", "report.css"} <= names


def test_clause_helpers_used_by_both_formats() -> None:
    clause = Clause(
        "revenue_threshold",
        "applies",
        "s",
        params={"amount": 5, "currency": "EUR", "period": "monthly revenue"},
    )
    assert wording.terms(clause).headline == (wording.Fact("Threshold", "EUR 5 per month"),)
    assert wording.safe_url("HTTPS://ok.test/x") == "HTTPS://ok.test/x"
    for bad in ("javascript:x", "data:text/html,x", "//x.test", "http://x.test/\ty", "ftp://x"):
        assert wording.safe_url(bad) is None


def test_hub_section_says_plainly_when_there_is_no_snapshot(catalogue: Catalogue) -> None:
    from licensecmp.report import html, markdown

    meta = Meta("0" * 16)
    lic = catalogue.get("mit")
    assert lic is not None
    for module in (html, markdown):
        page = module.license_page(lic, meta)
        assert "No Hub snapshot was used for this report" in page


def test_hub_section_shows_snapshot_models_escaped_with_the_snapshot_date(
    catalogue: Catalogue,
) -> None:
    from licensecmp.hubusage import HubUsage, LicenseHub, ModelRow
    from licensecmp.report import html, markdown

    hostile = ModelRow(
        "evil/<script>alert(1)</script>",
        "javascript:alert(1)",
        5,
        "manual",
        '"><img src=x onerror=alert(1)>',
        "finetune",
    )
    hub = HubUsage(
        "2026-11-20T10:00:00Z", "https://huggingface.co", {"mit": LicenseHub(4, 1, 2, (hostile,))}
    )
    lic = catalogue.get("mit")
    assert lic is not None
    page = html.license_page(lic, Meta("0" * 16), None, hub)
    assert "taken 2026-11-20T10:00:00Z" in page
    assert "4 models · 25% gated · 50% derivatives" in page
    assert "<script>alert" not in page and "<img" not in page
    assert 'href="javascript:' not in page
    assert "evil/&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md_page = markdown.license_page(lic, Meta("0" * 16), None, hub)
    assert "<script>" not in md_page and "](javascript:" not in md_page
    index = html.index(compare([lic]), Meta("0" * 16), {}, hub=hub)
    assert "4 models · 25% gated · 50% derivatives" in index


# --- one vocabulary: ratings, labels and meanings come from licensecmp.clauses ------------------


def test_standard_terms_are_informational_never_a_condition(page: Page) -> None:
    for name in ("governing_law", "warranty_disclaimer", "liability_limitation"):
        for td in page.by_id(name).find("td", "cell"):
            assert "r-conditional" not in td.classes, name
            assert td.classes[-1] in ("r-informational", "r-not_addressed"), name
    (governing,) = page.by_id("governing_law").find("td", "cell")[:1]
    assert governing.find("span", "badge")[0].text().strip() == "i Informational"


def test_legend_and_value_meanings_read_from_the_vocabulary(page: Page) -> None:
    legend = next(d for d in page.elements if "legend" in d.classes).text()
    for words in wording.RATINGS.values():
        assert f"{words.icon} {words.word}" in legend and words.meaning in legend
    meanings = page.after("values", "dl").text()
    assert SPECS["patent_grant"].value("general_ip").definition in meanings
    assert "General IP grant, patents not named" in meanings


def test_general_ip_reads_as_a_label_and_conditional(page: Page) -> None:
    cells = page.by_id("patent_grant").find("td", "cell")
    llama = cells[FLAGSHIP.index("llama-3.1")]
    assert "r-conditional" in llama.classes
    assert "◐ Conditional General IP grant, patents not named" in " ".join(llama.text().split())


def _visible(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return re.sub(r"\]\([^)]*\)", "]", text)  # link targets are addresses, not words
    parsed = Page(text)
    return " ".join(
        n.text() for n in parsed.elements if n.tag not in ("style", "head", "title", "a")
    )


def test_no_report_shows_internal_names_or_repeats_a_label(catalogue: Catalogue) -> None:
    """Readers see the vocabulary's words: no clause id, value or parameter name with an
    underscore (`not_addressed`, `rights_withheld`, `general_ip`); no "Conditional (conditional)".
    """
    internal = {s.name for s in SPECS.values()}
    for spec in SPECS.values():
        internal |= {v.name for v in spec.values}
        for p in spec.params:
            internal |= {p.name} | {v.name for v in p.values}
    internal = {n for n in internal if "_" in n}
    reports = sorted(p for p in (REPO / "reports").rglob("*.*") if p.name != reportset.MANIFEST)
    assert len(reports) == len(expected_set(catalogue))
    for path in reports:
        text = _visible(path)
        leaked = {n for n in internal if re.search(rf"(?<![\w/.-]){n}(?![\w/-])", text)}
        assert not leaked, (path.name, leaked)
        repeated = re.search(r"\b(\w+(?: \w+)*) \(\1\)", text, re.IGNORECASE)
        assert repeated is None, (path.name, repeated.group(0) if repeated else "")
