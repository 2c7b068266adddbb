"""The HTML reports in a real headless Chromium: they render, print to A4 landscape, fetch nothing.

Debian's `chromium` (CI installs it, see .ci/run); without it these tests fail, saying why.
Chromium is driven by its command line only: --screenshot, --dump-dom, --print-to-pdf and a
--log-net-log that records every request the network stack starts.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from licensecmp import policy, reportset
from licensecmp.compare import catalogue_digest, compare
from licensecmp.report import html
from licensecmp.report.meta import Meta
from licensecmp.service import open_catalogue
from tests.proof import cannot_prove

from .cdp import Browser
from .test_reports import SCRIPT, check_results, hostile_license, inert

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
    "--hide-scrollbars",
    "--disable-features=NetworkTimeServiceQuerying",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # whatever slips through resolves nowhere
]
BROWSER_INTERNAL = "not an origin"
"""The net log's initiator for Chromium's own requests (update checks, account probes)."""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        cannot_prove("chromium is not installed: `apt-get install chromium` (.ci/run does)")
    return found


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The standard set, and a page of hostile licences, written as a user would get them."""
    out = tmp_path_factory.mktemp("reports")
    catalogue, _ = open_catalogue()
    meta = Meta(catalogue_digest(catalogue))
    reportset.write_set(catalogue, out, meta)
    llama = catalogue.get("llama-3.2")
    assert llama is not None
    bad = hostile_license(llama)
    (out / "hostile.html").write_text(html.license_page(bad, meta), encoding="utf-8")
    checked = html.check_result(check_results(catalogue), meta, catalogue, policy.DEFAULT)
    (out / "check.html").write_text(checked, encoding="utf-8")
    return out


def run(chromium: str, tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_comparison_renders_to_a_real_picture(chromium: str, reports: Path, tmp_path: Path) -> None:
    png = tmp_path / "comparison.png"
    run(
        chromium,
        tmp_path,
        reports / "comparison.html",
        f"--screenshot={png}",
        "--window-size=1600,1000",
    )
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = _chunks(data)
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (width, height, depth) == (1600, 1000, 8)
    channels = {2: 3, 6: 4}[colour]  # RGB or RGBA
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + channels * width)
    # A blank 1600x1000 page compresses to about 7 KB; the comparison's tables to ~200 KB.
    assert len(chunks[b"IDAT"]) > 60_000


def _chunks(data: bytes) -> dict[bytes, bytes]:
    """Each chunk type's bodies, joined; every chunk's checksum verified."""
    pos, found = 8, {}
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        (crc,) = struct.unpack(">I", data[pos + 8 + size : pos + 12 + size])
        assert crc == zlib.crc32(kind + body), kind
        found[kind] = found.get(kind, b"") + body
        pos += 12 + size
    assert kind == b"IEND"
    return found


def test_rendered_dom_has_the_content_and_no_script(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    dom = run(chromium, tmp_path, reports / "comparison.html", "--dump-dom").stdout
    for name in ("Llama 3.1 Community License Agreement", "Gemma Terms of Use", "MIT License"):
        assert name in dom
    assert "not legal advice" in dom.lower()
    assert "700,000,000 monthly active users" in dom
    assert "<script" not in dom


def test_hostile_page_stays_text_in_the_browser(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    dom = run(chromium, tmp_path, reports / "hostile.html", "--dump-dom").stdout
    page = inert(dom)  # no script, no handler, no fetching element, links only to http(s)
    assert SCRIPT in page.root.text()  # shown to the reader, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_the_pages_policy_blocks_scripts_and_requests_even_if_markup_got_in(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    """Defence in depth: markup injected past the escaping still cannot run or fetch."""
    page = (reports / "comparison.html").read_text(encoding="utf-8")
    injected = (
        '<img src="http://127.0.0.1:9/beacon.png">'
        "<script>document.body.setAttribute('data-ran', 'yes')</script></body>"
    )
    target = tmp_path / "injected.html"
    target.write_text(page.replace("</body>", injected), encoding="utf-8")
    log = tmp_path / "injected.json"
    dom = run(chromium, tmp_path, target, "--dump-dom", f"--log-net-log={log}").stdout
    assert 'data-ran="yes"' not in dom
    assert _page_requests(log) == []
    control = tmp_path / "control.html"
    control.write_text(page.replace('<meta http-equiv="Content-Security-Policy"', "<meta x")
                       .replace("</body>", injected), encoding="utf-8")  # fmt: skip
    log = tmp_path / "control.json"
    dom = run(chromium, tmp_path, control, "--dump-dom", f"--log-net-log={log}").stdout
    assert 'data-ran="yes"' in dom  # without the policy both would have happened
    assert _page_requests(log) == ["http://127.0.0.1:9/beacon.png"]


def test_no_page_of_the_set_makes_a_network_request(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    for name in ("comparison.html", "index.html", "history/llama.html", "licenses/gpt-oss.html"):
        log = tmp_path / (name.replace("/", "-") + ".json")
        run(chromium, tmp_path, reports / name, "--dump-dom", f"--log-net-log={log}")
        assert _page_requests(log) == [], name


def _page_requests(net_log: Path) -> list[str]:
    """URLs of every request the page started (Chromium's own background requests aside)."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start
        and "url" in event.get("params", {})
        and event["params"].get("initiator") != BROWSER_INTERNAL
    ]


def printed(chromium: str, tmp_path: Path, page: Path) -> list[str]:
    """The text of each page of `page` printed to PDF by Chromium, as a user prints it."""
    from pypdf import PdfReader

    pdf = tmp_path / (page.stem + ".pdf")
    run(chromium, tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    reader = PdfReader(pdf)
    return [p.extract_text() for p in reader.pages]


def _size(chromium: str, tmp_path: Path, page: Path) -> tuple[int, int]:
    from pypdf import PdfReader

    pdf = tmp_path / (page.stem + ".pdf")
    box = PdfReader(pdf).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_flagship_comparison_prints_to_ten_a4_pages_answer_first(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    """It printed to 28 pages at 7.6 pt, every evidence block open, with no page numbers."""
    pages = printed(chromium, tmp_path, reports / "comparison.html")
    assert len(pages) <= 10
    assert _size(chromium, tmp_path, reports / "comparison.html") == (842, 595)  # landscape
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
    first = " ".join(pages[0].split())
    assert "The answer first" in first and "May we use it commercially?" in first
    assert "Yes, up to 700 million monthly active users on 2024-07-23" in first
    clauses = next(i for i, t in enumerate(pages) if "Clause by clause" in t)
    evidence = next(i for i, t in enumerate(pages) if "Each number in the tables above" in t)
    assert 0 < clauses < evidence  # the answer, the clause table, then numbered endnotes
    assert "Evidence [1]" in pages[clauses] or "Evidence [1]" in pages[clauses + 1]
    # link addresses are printed after their text
    assert "<https://llama.meta.com/llama3_1/license/>" in " ".join(pages)


def test_every_licence_page_prints_to_at_most_six_a4_pages(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    for page in sorted((reports / "licenses").glob("*.html")):
        pages = printed(chromium, tmp_path, page)
        assert len(pages) <= 6, (page.name, len(pages))
        assert f"Page 1 of {len(pages)}" in pages[0], page.name
        assert "May we use it commercially?" in pages[0], page.name
    assert _size(chromium, tmp_path, reports / "licenses" / "mit.html") == (595, 842)  # portrait


def test_check_report_prints_with_its_overview_first(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    pages = printed(chromium, tmp_path, reports / "check.html")
    first = " ".join(pages[0].split())
    assert "Overview" in first and "The facts the policy gave" in first
    assert f"Page 1 of {len(pages)}" in pages[0]


PHONE = 390
MEASURE = """(() => {
  const d = document.documentElement;
  const over = [];
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > d.clientWidth + 0.5 || r.left < -0.5))
      over.push(`${e.tagName}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  const narrow = [];
  for (const e of document.querySelectorAll("td, th")) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.width < 120 && e.textContent.trim().length > 20)
      narrow.push(`${e.tagName.toLowerCase()} ${Math.round(r.width)}px`);
  }
  return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, over, narrow};
})()"""


def test_at_390_px_nothing_scrolls_sideways_and_columns_stay_readable(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    """A phone's width, emulated over the DevTools protocol (headless windows stop at 500 px)."""
    pages = [
        "index.html",
        "comparison.html",
        "licenses/llama-3.1.html",
        "licenses/tencent-hunyuan-3d-2.0.html",
        "history/llama.html",
        "check.html",
    ]
    with Browser(chromium, tmp_path / "cdp-profile", FLAGS) as browser:
        for name in pages:
            session = browser.open(reports / name, PHONE, 844, mobile=True)
            found = browser.evaluate(session, MEASURE)
            assert found["clientWidth"] == PHONE, name
            assert found["scrollWidth"] <= PHONE, (name, found["over"][:5])
            assert found["over"] == [], name
            assert found["narrow"] == [], (name, found["narrow"][:5])  # no 20 px columns


def test_the_first_900_px_of_a_licence_page_answer_and_list_the_duties(
    chromium: str, reports: Path, tmp_path: Path
) -> None:
    where = """(() => {
      const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                         return [Math.round(r.top), Math.round(r.bottom)]; };
      return {answer: box(".answer .yes"), duties: box(".answer .todo"),
              text: document.querySelector(".answer .yes").textContent};
    })()"""
    with Browser(chromium, tmp_path / "cdp-profile", FLAGS) as browser:
        session = browser.open(reports / "licenses" / "llama-3.1.html", 1280, 900)
        found = browser.evaluate(session, where)
    assert found["text"] == "Yes, up to 700 million monthly active users on 2024-07-23"
    assert found["answer"][1] <= 900 and found["duties"][1] <= 900, found


def test_the_comparison_of_the_brief_opens_offline(chromium: str, tmp_path: Path) -> None:
    """`licensecmp compare llama3.1 gemma qwen mit gpt-oss -o comparison.html`, as rendered."""
    catalogue, _ = open_catalogue()
    names = ["llama3.1", "gemma", "qwen", "mit", "gpt-oss"]
    found = [catalogue.resolve(n) for n in names]
    assert all(found)
    c = compare([r.license for r in found if r is not None])
    page = tmp_path / "comparison.html"
    page.write_text(html.comparison(c, Meta(catalogue_digest(catalogue))), encoding="utf-8")
    log = tmp_path / "net.json"
    dom = run(chromium, tmp_path, page, "--dump-dom", f"--log-net-log={log}").stdout
    assert _page_requests(log) == []
    assert "Gemma Terms of Use (2025-03-24)" in dom  # `gemma` is the version in force
    assert dom.count('<td class="cell') == 5 * (22 + 3)  # every clause, and the thresholds
