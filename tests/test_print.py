"""The printed reports, checked in a real browser: `--format pdf` prints the HTML report with
headless Chromium (Debian's `chromium`, with `fonts-noto-cjk`; `.ci/run` installs both), and
poppler's pdfinfo / pdftotext / pdffonts read the PDF back. The rectification ledger
(`--format xlsx`) is opened back with openpyxl.

Each report is printed once per module and shared by the tests (a print takes a few seconds).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import cli
from checker.reports.pdf import browser, browser_command

from test_formats import ROOT, Page, at_root

TOWNSHIP = "tests/fixtures/township_8_failures.yaml"
BATCH_TITLE = "政务服务大厅合规检查汇总报告"


def need(tool: str) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} is missing: .ci/run installs poppler-utils"
    return found


@pytest.fixture(scope="module", autouse=True)
def chromium():
    """No skip: the report is only known to print if a browser printed it."""
    found = browser()
    assert found, "Chromium is missing: .ci/run installs Debian's chromium and fonts-noto-cjk"
    return found


def check(paths: list[str], fmt: str, out: Path, lang: str = "zh", extra: tuple = ()) -> tuple[int, bytes]:
    with at_root():
        code = cli.main(["check", *paths, "--format", fmt, "--engine", "python", "--lang", lang, "-o", str(out), *extra])
    return code, out.read_bytes()


class Printed:
    """One audit: its JSON report, its HTML report, and that HTML printed to PDF by --format pdf."""

    def __init__(self, directory: Path, paths: list[str], lang: str = "zh"):
        self.code, raw = check(paths, "json", directory / "report.json", lang)
        self.json = json.loads(raw)
        _, page = check(paths, "html", directory / "report.html", lang)
        self.html = page.decode("utf-8")
        self.html_path = directory / "report.html"
        self.pdf_code, _ = check(paths, "pdf", directory / "report.pdf", lang)
        self.pdf = directory / "report.pdf"

    @property
    def pages(self) -> int:
        info = subprocess.run([need("pdfinfo"), str(self.pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))

    def page_text(self, page: int | None = None) -> str:
        command = [need("pdftotext"), "-raw", "-enc", "UTF-8"]  # in drawing order: table cells stay whole
        if page is not None:
            command += ["-f", str(page), "-l", str(page)]
        return subprocess.run(command + [str(self.pdf), "-"], capture_output=True, text=True, check=True).stdout

    def findings(self):
        return [(hall, r, f) for hall in self.json["halls"] for r in hall["results"] if r["status"] == "fail"
                for f in r["findings"]]


@pytest.fixture(scope="module")
def township(tmp_path_factory):
    return Printed(tmp_path_factory.mktemp("township"), [TOWNSHIP])


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return Printed(tmp_path_factory.mktemp("batch"), ["samples/"])


def squeeze(text: str) -> str:
    """Text without white space: a printed line may wrap anywhere in Chinese."""
    return re.sub(r"\s+", "", text)


def test_the_township_centre_has_eight_failures_and_prints_in_at_most_six_pages(township):
    assert township.pdf_code == township.code == 1
    assert len([r for h in township.json["halls"] for r in h["results"] if r["status"] == "fail"]) == 8
    assert 1 <= township.pages <= 6


def test_the_pdf_holds_every_failure_its_line_and_remediation(township, batch):
    for printed in (township, batch):
        text = squeeze(printed.page_text())
        for hall, result, finding in printed.findings():
            assert squeeze(finding["message"]) in text, finding["message"]
            assert squeeze(f"第 {finding['line']} 行") in text
            assert result["rule"] in text
        assert squeeze(BATCH_TITLE if printed is batch else "政务服务大厅合规检查报告") in text


def test_every_page_has_the_running_header_and_page_n_of_m(township):
    total = township.pages
    hall = township.json["halls"][0]
    for page in range(1, total + 1):
        text = township.page_text(page)
        assert f"第{page}页共{total}页" in squeeze(text)
        assert hall["hall"] in text and hall["as_of"] in text


def test_the_batch_overview_prints_in_at_most_two_pages(batch):
    """The overview's pages carry the batch title as their running header; each hall's pages its
    own name instead."""
    overview = [page for page in range(1, batch.pages + 1) if BATCH_TITLE in batch.page_text(page)]
    assert overview == list(range(1, len(overview) + 1))
    assert 1 <= len(overview) <= 2
    first = batch.page_text(overview[-1] + 1)
    assert batch.json["halls"][0]["hall"] in first


def test_not_applicable_rules_are_summarised_not_listed(township, tmp_path):
    """228 rules of other provinces' regulations: one line per regulation, the list only in the
    appendix a user asks for."""
    page = Page(township.html)
    na = [r for h in township.json["halls"] for r in h["results"] if r["status"] == "not_applicable"]
    assert len(na) > 200
    assert not any(r["rule"] in page.text for r in na)
    _, raw = check([TOWNSHIP], "html", tmp_path / "appendix.html", extra=("--appendix",))
    assert all(r["rule"] in raw.decode("utf-8") for r in na)


def test_no_glyph_is_missing_and_every_font_is_embedded(township, batch):
    """A character drawn as a box (no font has it) has no text behind it in the PDF: every
    character of the page must come back out of the PDF."""
    for printed in (township, batch):
        shown = set(squeeze(Page(re.sub(r"<(style|title)>.*?</\1>", "", printed.html, flags=re.S)).text))
        printed_chars = set(squeeze(printed.page_text()))
        assert shown - printed_chars == set()
        fonts = subprocess.run([need("pdffonts"), str(printed.pdf)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows, "the PDF has no fonts"
        assert all(row.split()[-5] == "yes" for row in rows), fonts  # the 'emb' column


def test_the_batch_page_links_resolve(batch):
    page = Page(batch.html)
    ids = {value for name, value in page.attrs if name == "id"}
    links = [value for name, value in page.attrs if name == "href"]
    assert len({link for link in links}) >= len(batch.json["halls"])
    assert all(link.startswith("#") and link[1:] in ids for link in links)
    raw = batch.pdf.read_bytes()
    targets = set(re.findall(rb"/Dest /([\w-]+)", raw))
    named = set(re.findall(rb"/([\w-]+) \[\d+ 0 R /XYZ", raw))
    assert {f"hall-{n}".encode() for n in range(1, len(batch.json["halls"]) + 1)} <= targets
    assert targets <= named, "a link in the PDF points at no destination"


# The script is added to a copy of the report for this check only (the report itself has none,
# and its Content-Security-Policy would refuse one): it lists every element whose content is
# wider than its box, at the width of an A4 page's text.
OVERFLOW_PROBE = """<script>
document.addEventListener('DOMContentLoaded', () => {
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
        || el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      bad.push(el.tagName + ': ' + el.textContent.slice(0, 60));
  }
  const out = document.createElement('pre'); out.id = 'overflow'; out.textContent = JSON.stringify(bad);
  document.body.appendChild(out);
});
</script>"""


def test_no_text_overflows_its_box(township, batch, chromium):
    for printed in (township, batch):
        page = printed.html.replace(re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', printed.html).group(), "")
        page = page.replace("</head>", OVERFLOW_PROBE + "</head>")
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "probe.html"
            source.write_text(page, encoding="utf-8")
            # 182 mm of text at 96 px per inch: an A4 page between its margins
            command = browser_command(chromium, str(Path(work) / "profile"), "--window-size=688,1000",
                                      "--dump-dom", source.as_uri())
            dom = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
        found = re.search(r'<pre id="overflow">(.*?)</pre>', dom, re.S)
        assert found, "the probe did not run"
        assert json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")) == []


# ------------------------------------------------------------------ the rectification ledger

LEDGER = ["序号", "大厅", "依据（法规条款）", "规定", "条款原文摘录", "发现的问题", "位置", "严重程度", "整改建议",
          "责任人", "整改期限", "整改情况"]


def test_the_xlsx_ledger_has_a_row_per_failing_finding(tmp_path, batch):
    from openpyxl import load_workbook
    code, _ = check(["samples/"], "xlsx", tmp_path / "ledger.xlsx")
    assert code == batch.code
    sheet = load_workbook(tmp_path / "ledger.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == LEDGER
    findings = batch.findings()
    assert len(rows) - 1 == len(findings)
    got = sorted((row[1], row[5]) for row in rows[1:])
    assert got == sorted((hall["hall"], finding["message"]) for hall, _, finding in findings)
    for row in rows[1:]:
        assert row[9] is None and row[10] is None and row[11] is None  # for the hall to fill in
        assert row[7] in ("严重", "重要", "一般", "提示") and row[8]
    again, _ = check(["samples/"], "xlsx", tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == (tmp_path / "ledger.xlsx").read_bytes()


def test_the_ledger_keeps_a_formula_looking_name_as_text(tmp_path):
    from openpyxl import load_workbook
    text = (ROOT / TOWNSHIP).read_text(encoding="utf-8").replace("name: 海勃湾区凤凰岭街道便民服务中心",
                                                                  'name: "=HYPERLINK(\\"x\\")\\u001b[31m"', 1)
    hall = tmp_path / "hall.yaml"
    hall.write_text(text, encoding="utf-8")
    code, _ = check([str(hall)], "xlsx", tmp_path / "ledger.xlsx", lang="en")
    assert code == 1
    sheet = load_workbook(tmp_path / "ledger.xlsx").active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert cells and all(cell.data_type == "s" and cell.value == '=HYPERLINK("x")\\x1b[31m' for cell in cells)


def test_without_a_browser_pdf_is_a_clear_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HALLCHECK_CHROMIUM", str(tmp_path / "no-such-browser"))
    with at_root():
        code = cli.main(["check", TOWNSHIP, "--format", "pdf", "--engine", "python", "--lang", "en",
                         "-o", str(tmp_path / "report.pdf")])
    assert code == 2
    assert "printing a PDF needs the Chromium browser" in capsys.readouterr().err
    assert not (tmp_path / "report.pdf").exists()
