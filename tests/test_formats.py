"""The report formats of `hallcheck check --format`: sarif, junit, markdown, html, csv.

Each format is read back with a parser of its own kind (jsonschema, xml.etree, html.parser, csv)
and checked against the JSON report of the same run, which is rendered by different code.

The SARIF schema in tests/fixtures/sarif-2.1.0.schema.json is the OASIS SARIF 2.1.0 schema
(errata01, draft-04), copied unchanged from github.com/oasis-tcs/sarif-spec, file
sarif-2.1/schema/sarif-schema-2.1.0.json, last changed there in commit
a560296ca8c921f3bdb8d4a8db57ab83dae968a7 (2024-05-02); its id is
https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

import cli
from checker.paths import bundled
from checker.ruleset.rules import load_rules, rule_files

from helpers import KAIFENG_HALL, register

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif-2.1.0.schema.json"
BAD_HALLS = ROOT / "tests" / "fixtures" / "bad_halls"
FORMATS = ("sarif", "junit", "markdown", "html", "csv")
LEVELS = {"critical": "error", "major": "error", "minor": "warning", "info": "note"}
CSV_COLUMNS = ["file", "hall", "rule", "regulation", "clause", "severity", "status", "reason",
               "findings", "first_line", "first_message"]

# A hall of our own, so the tests do not depend on what the samples hold: its name is hostile
# (HTML, Markdown, a spreadsheet formula) and one staff member leaves before two years.
HOSTILE_NAME = '=HYPERLINK("x")<script>alert(1)</script> & | *x* _y_'
HOSTILE_HALL = KAIFENG_HALL.replace("name: 开封市民之家", "name: " + json.dumps(HOSTILE_NAME)) + """\
staff:
  - id: S01
    name: 王芳
    employment: 事业编
    stationed_from: 2019-03-01
    stationed_until: 2021-01-31
  - id: S02
    name: 李强
    employment: 行政编制
    stationed_from: 2019-03-01
    stationed_until: 2021-03-01
"""


@contextmanager
def at_root():
    """hallcheck shows paths relative to where it runs: run it in the checkout."""
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def run(fmt: str, paths: list[str], out: Path, lang: str = "en", extra: tuple = ()) -> tuple[int, bytes]:
    with at_root():
        code = cli.main(["check", *paths, "--format", fmt, "--engine", "python", "--lang", lang,
                         "-o", str(out), *extra])
    return code, out.read_bytes()


def all_rules():
    return load_rules(rule_files(bundled("rules")), register())


class Run:
    """Every format, and the JSON report, for one set of hall paths."""

    def __init__(self, directory: Path, paths: list[str], lang: str = "en"):
        self.paths = paths
        self.code, raw = run("json", paths, directory / "report.json", lang)
        self.json = json.loads(raw)
        self.out = {fmt: run(fmt, paths, directory / f"report.{fmt}", lang) for fmt in FORMATS}

    def text(self, fmt: str) -> str:
        return self.out[fmt][1].decode("utf-8")

    @property
    def halls(self):
        return self.json["halls"]

    def results(self, status: str | None = None):
        return [(hall, r) for hall in self.halls for r in hall["results"] if status is None or r["status"] == status]

    def findings(self):
        return [(hall, r, f) for hall, r in self.results("fail") for f in r["findings"]]


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return Run(tmp_path_factory.mktemp("samples"), ["samples/"])


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A usable hall with a hostile name and a failure, and two hall files that cannot be used."""
    directory = tmp_path_factory.mktemp("mixed")
    halls = directory / "halls"
    halls.mkdir()
    (halls / "hostile.yaml").write_text(HOSTILE_HALL, encoding="utf-8")
    for name in ("yaml_syntax_error.yaml", "three_schema_errors.yaml"):
        shutil.copy(BAD_HALLS / name, halls / name)
    return Run(directory, [str(halls)])


def test_the_runs_have_something_to_show(samples, mixed):
    """The assertions below are only worth something if there are failures and unusable files."""
    assert samples.findings(), "the samples should have at least one failing finding"
    assert samples.results("not_applicable")
    assert mixed.findings()
    assert mixed.results("unknown"), "the hostile hall has no windows: A/B posts cannot be decided"
    assert sum(len(hall["problems"]) for hall in mixed.halls) >= 4
    assert mixed.code == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_code_is_the_same_in_every_format(samples, mixed, fmt):
    assert samples.out[fmt][0] == samples.code == samples.json["exit_code"] == 1
    assert mixed.out[fmt][0] == mixed.code == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_byte_identical_across_runs(tmp_path, samples, fmt):
    code, again = run(fmt, ["samples/"], tmp_path / f"again.{fmt}")
    assert again == samples.out[fmt][1]
    assert code == samples.out[fmt][0]


# ------------------------------------------------------------------ SARIF

@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def schema_errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def test_the_sarif_schema_rejects_a_broken_log(sarif_validator, samples):
    """The validator really checks: a log without its version, or with a bad level, is refused."""
    document = json.loads(samples.text("sarif"))
    del document["version"]
    assert schema_errors(sarif_validator, document)
    document = json.loads(samples.text("sarif"))
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert schema_errors(sarif_validator, document)


@pytest.mark.parametrize("which", ["samples", "mixed"])
def test_sarif_is_valid_against_the_official_schema(sarif_validator, samples, mixed, which):
    document = json.loads({"samples": samples, "mixed": mixed}[which].text("sarif"))
    assert schema_errors(sarif_validator, document) == []
    assert document["version"] == "2.1.0"


def test_sarif_has_one_result_per_finding_at_its_line(samples):
    run_ = json.loads(samples.text("sarif"))["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    failed = [r for r in run_["results"] if r["kind"] == "fail"]
    got = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  r["locations"][0]["physicalLocation"]["region"]["startLine"],
                  r["locations"][0]["physicalLocation"]["region"].get("startColumn"),
                  r["level"], r["message"]["text"]) for r in failed)
    expected = sorted((r["rule"], f["file"], f["line"], f["column"], LEVELS[r["severity"]], f["message"])
                      for _, r, f in samples.findings())
    assert got == expected
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert run_["invocations"][0]["exitCode"] == 1
    assert run_["invocations"][0]["executionSuccessful"] is True


@pytest.mark.parametrize("which", ["samples", "mixed"])
def test_sarif_reports_unknown_as_review_with_level_none(samples, mixed, which):
    chosen = {"samples": samples, "mixed": mixed}[which]
    results = json.loads(chosen.text("sarif"))["runs"][0]["results"]
    unknown = [r for r in results if r["kind"] == "review"]
    assert sorted(r["ruleId"] for r in unknown) == sorted(r["rule"] for _, r in chosen.results("unknown"))
    assert all(r["level"] == "none" for r in unknown)
    reasons = {(hall["file"], r["rule"]): r["reason"]["message"] for hall, r in chosen.results("unknown")}
    for result in unknown:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        file = Path(uri.removeprefix("file://")).as_posix() if uri.startswith("file://") else uri
        assert result["message"]["text"].endswith(reasons[(file, result["ruleId"])])
    assert {r["kind"] for r in results} <= {"fail", "review"}  # pass and not applicable give no result


def test_sarif_rule_metadata_cites_the_clause(tmp_path):
    rules = {rule.id: rule for rule in all_rules()}
    rule = rules["kaifeng-2014.art28.two-year-stationing"]
    path = tmp_path / "hall.yaml"
    path.write_text(HOSTILE_HALL, encoding="utf-8")
    _, raw = run("sarif", [str(path)], tmp_path / "out.sarif")
    driver = json.loads(raw)["runs"][0]["tool"]["driver"]
    descriptor = next(d for d in driver["rules"] if d["id"] == rule.id)
    assert descriptor["shortDescription"]["text"] == rule.title["en"]
    assert "进驻人员在服务窗口的工作时间不得少于两年" in descriptor["fullDescription"]["text"]
    assert "汴政办〔2014〕42号" in descriptor["fullDescription"]["text"]
    assert "第二十八条" in descriptor["fullDescription"]["text"]
    assert descriptor["help"]["text"] == rule.remediation["en"]
    assert descriptor["defaultConfiguration"]["level"] == "error"
    assert descriptor["properties"] == {"regulation": "kaifeng-2014", "clause": "art28", "severity": "major",
                                        "tags": list(rule.tags)}
    assert len(driver["rules"]) == len({d["id"] for d in driver["rules"]}) == len(rules)


def test_sarif_turns_unusable_halls_into_located_notifications(mixed):
    invocation = json.loads(mixed.text("sarif"))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    got = sorted((n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  n["locations"][0]["physicalLocation"]["region"]["startLine"], n["descriptor"]["id"], n["level"])
                 for n in invocation["toolExecutionNotifications"])
    expected = sorted((Path(p["file"]).as_uri() if Path(p["file"]).is_absolute() else p["file"], p["line"] or 1,
                       p["code"], level) for hall in mixed.halls
                      for key, level in (("problems", "error"), ("notices", "warning")) for p in hall[key])
    assert got == expected


def test_sarif_and_junit_show_a_waived_finding_as_suppressed(tmp_path, sarif_validator):
    hall = tmp_path / "hall.yaml"
    hall.write_text(HOSTILE_HALL, encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("""\
waivers:
  - rule: kaifeng-2014.art28.two-year-stationing
    entity: staff[0]
    justification: 借调期满提前返回，经批准
    approved_by: 开封市政务服务和大数据管理局
    document: 汴政务〔2024〕12号
    expires: 2030-12-31
""", encoding="utf-8")
    extra = ("--waivers", str(waivers))
    _, raw = run("sarif", [str(hall)], tmp_path / "out.sarif", extra=extra)
    document = json.loads(raw)
    assert schema_errors(sarif_validator, document) == []
    results = [r for r in document["runs"][0]["results"] if r["ruleId"] == "kaifeng-2014.art28.two-year-stationing"]
    assert len(results) == 1
    suppression = results[0]["suppressions"][0]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert "借调期满提前返回，经批准" in suppression["justification"]
    assert suppression["location"]["physicalLocation"]["region"]["startLine"] == 2
    code, raw = run("junit", [str(hall)], tmp_path / "out.xml", extra=extra)
    case = next(c for c in ET.fromstring(raw).iter("testcase") if c.get("name") == results[0]["ruleId"])
    assert case.find("failure") is None
    assert case.find("skipped").get("message").startswith("waived: ")
    assert "借调期满提前返回" in case.find("skipped").text


def test_sarif_says_which_findings_the_baseline_already_had(tmp_path, sarif_validator):
    hall = tmp_path / "hall.yaml"
    hall.write_text(HOSTILE_HALL, encoding="utf-8")
    run("json", [str(hall)], tmp_path / "baseline.json")
    _, raw = run("sarif", [str(hall)], tmp_path / "out.sarif", extra=("--baseline", str(tmp_path / "baseline.json")))
    document = json.loads(raw)
    assert schema_errors(sarif_validator, document) == []
    failed = [r for r in document["runs"][0]["results"] if r["kind"] == "fail"]
    assert failed and {r.get("baselineState") for r in failed} == {"unchanged"}


# ------------------------------------------------------------------ JUnit

def test_junit_has_one_testcase_per_rule_and_hall(samples):
    root = ET.fromstring(samples.out["junit"][1])
    cases = root.findall("./testsuite/testcase")
    rules = all_rules()
    assert len(cases) == len(rules) * len(samples.halls)
    assert sorted((c.get("classname"), c.get("name")) for c in cases) == \
        sorted((hall["file"], rule.id) for hall in samples.halls for rule in rules)
    assert int(root.get("tests")) == len(cases)


def test_junit_failures_carry_every_finding(samples):
    root = ET.fromstring(samples.out["junit"][1])
    failing = {(c.get("classname"), c.get("name")): c.find("failure") for c in root.iter("testcase")
               if c.find("failure") is not None}
    expected = {(hall["file"], r["rule"]): r for hall, r in samples.results("fail")}
    assert set(failing) == set(expected)
    assert int(root.get("failures")) == len(expected)
    for key, failure in failing.items():
        result = expected[key]
        first = result["findings"][0]
        assert failure.get("message").startswith(f"{first['file']}:{first['line']}:{first['column']}: {first['message']}")
        assert failure.get("type") == result["severity"]
        for finding in result["findings"]:
            assert f"{finding['file']}:{finding['line']}:{finding['column']}: {finding['message']}" in failure.text


@pytest.mark.parametrize("which", ["samples", "mixed"])
def test_junit_skips_unknown_and_not_applicable_with_the_reason(samples, mixed, which):
    chosen = {"samples": samples, "mixed": mixed}[which]
    root = ET.fromstring(chosen.out["junit"][1])
    skipped = {(c.get("classname"), c.get("name")): c.find("skipped").get("message") for c in root.iter("testcase")
               if c.find("skipped") is not None}
    expected = {(hall["file"], r["rule"]): f"{r['status']}: {r['reason']['message']}"
                for hall, r in chosen.results() if r["status"] in ("unknown", "not_applicable")}
    assert skipped == expected
    assert int(root.get("skipped")) == len(expected)
    assert any(message.startswith("unknown: ") for message in skipped.values()) == bool(chosen.results("unknown"))
    for case in root.iter("testcase"):
        if case.find("skipped") is not None:
            assert case.find("failure") is None and case.find("error") is None


def test_junit_unusable_hall_is_an_error_testcase(mixed):
    root = ET.fromstring(mixed.out["junit"][1])
    errors = [c for c in root.iter("testcase") if c.find("error") is not None]
    unusable = [hall for hall in mixed.halls if hall["problems"]]
    assert sorted(c.get("classname") for c in errors) == sorted(hall["file"] for hall in unusable)
    for case in errors:
        assert case.get("name") == "hall-file"
        hall = next(h for h in unusable if h["file"] == case.get("classname"))
        for problem in hall["problems"]:
            assert f"{problem['file']}:{problem['line']}:{problem['column']}: " in case.find("error").text
            assert problem["message"] in case.find("error").text
    assert int(root.get("errors")) == len(unusable)
    hostile = root.find("./testsuite/properties/property[@name='hall']")
    assert hostile is not None and hostile.get("value") == HOSTILE_NAME


# ------------------------------------------------------------------ Markdown

def unmarkdown(cell: str) -> str:
    """A table cell back to plain text: no backslash escapes, no code span, no entities."""
    cell = cell.strip()
    if cell.startswith("`") and cell.endswith("`"):
        cell = cell[1:-1]
    return html.unescape(re.sub(r"\\(.)", r"\1", cell.replace("<br>", "\n")))


def table_rows(markdown: str) -> list[list[str]]:
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            rows.append([unmarkdown(c) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return rows


@pytest.fixture
def unlimited(monkeypatch):
    """Markdown as long as it needs to be: the samples are more than one GitHub comment holds."""
    from checker.reports import markdown
    monkeypatch.setattr(markdown, "LIMIT", 10**9)


def full_markdown(chosen, tmp_path) -> str:
    return run("markdown", chosen.paths, tmp_path / "full.md")[1].decode("utf-8")


@pytest.mark.parametrize("which", ["samples", "mixed"])
def test_markdown_has_a_failure_row_per_finding(samples, mixed, which, unlimited, tmp_path):
    chosen = {"samples": samples, "mixed": mixed}[which]
    rows = [row for row in table_rows(full_markdown(chosen, tmp_path)) if len(row) == 4 and ":" in row[2]]
    expected = [[r["rule"], r["severity"], f"{f['file']}:{f['line']}:{f['column']}", f["message"]]
                for _, r, f in chosen.findings()]
    assert rows == expected


@pytest.mark.parametrize("which", ["samples", "mixed"])
def test_markdown_has_a_heading_per_hall_and_details_for_the_rest(samples, mixed, which, unlimited, tmp_path):
    chosen = {"samples": samples, "mixed": mixed}[which]
    text = full_markdown(chosen, tmp_path)
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert len(headings) == len(chosen.halls)
    for hall, heading in zip(chosen.halls, headings):
        assert unmarkdown(heading.replace("`", "")).endswith(hall["file"])
    for status, words in (("not_applicable", "not applicable"), ("unknown", "unknown")):
        halls = [hall for hall in chosen.halls if any(r["status"] == status for r in hall["results"])]
        summaries = re.findall(rf"<summary>{words} \((\d+)\)</summary>", text)
        assert [int(n) for n in summaries] == [hall["summary"][status] for hall in halls]
    assert text.count("<details>") == text.count("</details>")
    unknown_rows = {row[0] for row in table_rows(text) if len(row) == 4}
    assert {r["rule"] for _, r in chosen.results("unknown")} <= unknown_rows


def test_markdown_escapes_what_it_quotes(mixed):
    text = mixed.text("markdown")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    heading = next(line for line in text.splitlines() if "script" in line)
    assert unmarkdown(heading[4:].split(" — ")[0]) == HOSTILE_NAME


def test_markdown_fits_a_github_comment(tmp_path, monkeypatch, samples):
    from checker.reports import markdown
    assert len(samples.text("markdown")) <= 65_536
    monkeypatch.setattr(markdown, "LIMIT", 10**9)
    full = full_markdown(samples, tmp_path)
    assert "<details>" in full
    monkeypatch.setattr(markdown, "LIMIT", len(full) - 1)
    _, raw = run("markdown", ["samples/"], tmp_path / "short.md")
    short = raw.decode("utf-8")
    assert len(short) < len(full) and "<details>" not in short
    def failure_rows(text):
        return [r for r in table_rows(text) if len(r) == 4 and ":" in r[2]]
    assert failure_rows(short) == failure_rows(full) != []
    monkeypatch.setattr(markdown, "LIMIT", 2000)
    _, raw = run("markdown", ["samples/"], tmp_path / "cut.md")
    cut = raw.decode("utf-8")
    assert len(cut) <= 2000
    assert cut.startswith(full.splitlines()[0]) and "more lines not shown" in cut


# ------------------------------------------------------------------ HTML

class Page(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.attrs, self.data, self.unbalanced = [], [], [], [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.data.append(data)

    @property
    def text(self) -> str:
        return "".join(self.data)


def test_html_shows_each_failure_with_its_clause(samples):
    page = Page(samples.text("html"))
    assert page.unbalanced == [] and page.stack == []
    assert page.tags.count("article") == len(samples.results("fail"))
    reg = register()
    for _, result, finding in samples.findings():
        assert result["rule"] in page.text
        assert finding["message"] in page.text
        assert f"line {finding['line']}" in page.text  # of the description file the hall's section names
        assert reg[result["regulation"]].full_text(result["clause"]) in page.text
    for hall in samples.halls:
        assert hall["hall"] in page.text and hall["as_of"] in page.text and hall["file"] in page.text
    for regulation in reg.values():
        assert regulation.title in page.text
        if regulation.document_number:
            assert regulation.document_number in page.text
    assert "Inspector's signature" in page.text and "Signed for the hall" in page.text and "Date" in page.text


def test_html_is_standalone_and_printable(samples):
    text = samples.text("html")
    page = Page(text)
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    assert [value for name, value in page.attrs if name == "src"] == []
    assert all(value.startswith("#") for name, value in page.attrs if name == "href")  # within the page
    assert not re.search(r"url\(|@import|https?://|//fonts", text.split("</style>")[0])
    assert "@media print" in text
    assert ("lang", "en") in page.attrs


def test_html_speaks_chinese_with_lang_zh(tmp_path):
    _, raw = run("html", ["samples/"], tmp_path / "zh.html", lang="zh")
    page = Page(raw.decode("utf-8"))
    assert ("lang", "zh-CN") in page.attrs
    assert "政务服务大厅合规检查汇总报告" in page.text and "检查人员签名" in page.text and "整改建议" in page.text


def test_html_escapes_everything(mixed):
    page = Page(mixed.text("html"))
    assert "script" not in page.tags
    assert HOSTILE_NAME in page.text
    assert page.unbalanced == [] and page.stack == []
    assert "YAML" in page.text  # the unusable files are listed


# ------------------------------------------------------------------ CSV

def csv_rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_starts_with_a_bom_and_has_a_row_per_rule_and_hall(samples):
    raw = samples.out["csv"][1]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(raw)
    assert list(rows[0]) == CSV_COLUMNS
    notices = [row for row in rows if row["status"] == "notice"]
    assert [(row["file"], row["reason"]) for row in notices] == [
        (hall["file"], notice["message"]) for hall in samples.halls for notice in hall["notices"]]
    rows = [row for row in rows if row["status"] != "notice"]
    assert len(rows) == len(all_rules()) * len(samples.halls)
    expected = {(hall["file"], r["rule"]): r for hall, r in samples.results()}
    assert {(row["file"], row["rule"]) for row in rows} == set(expected)
    for row in rows:
        result = expected[(row["file"], row["rule"])]
        assert row["status"] == result["status"]
        assert row["severity"] == result["severity"]
        assert row["reason"] == (result["reason"]["message"] if result["reason"] else "")
        assert int(row["findings"]) == len(result["findings"])
        first = result["findings"][0] if result["findings"] else None
        assert row["first_line"] == (str(first["line"]) if first else "")
        assert row["first_message"] == (first["message"] if first else "")


def test_csv_rows_for_unusable_files_and_formula_cells(mixed):
    rows = csv_rows(mixed.out["csv"][1])
    problems = [(p["file"], str(p["line"])) for hall in mixed.halls for p in hall["problems"]]
    errors = [(row["file"], row["first_line"]) for row in rows if row["status"] == "error"]
    assert sorted(errors) == sorted(problems)
    usable = [hall for hall in mixed.halls if not hall["problems"]]
    notices = sum(len(hall["notices"]) for hall in mixed.halls)
    assert len(rows) == len(all_rules()) * len(usable) + len(problems) + notices
    names = {row["hall"] for row in rows if row["rule"]}
    assert names == {"'" + HOSTILE_NAME}


# ------------------------------------------------------------------ every format, both languages

@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_in_chinese(tmp_path, sarif_validator, fmt):
    code, raw = run(fmt, ["samples/"], tmp_path / f"zh.{fmt}", lang="zh")
    assert code == 1
    text = raw.decode("utf-8-sig")
    assert re.search(r"[\u4e00-\u9fff]", text)
    if fmt == "sarif":
        document = json.loads(text)
        assert schema_errors(sarif_validator, document) == []
        assert document["runs"][0]["language"] == "zh-CN"
    elif fmt == "junit":
        assert ET.fromstring(raw).tag == "testsuites"
