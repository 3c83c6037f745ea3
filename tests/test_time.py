"""Time as the regulations count it: the span conventions (checker/input/workdays.py), a holiday notice
the user supplies (--calendar), provisional counts at the end of a year, dates that decide
applicability (built_on), and half-yearly duties whose records cannot be told apart."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest

import cli
from checker.input import workdays as calendar
from checker.input.load import load_text
from checker.paths import bundled

D = dt.date


@pytest.fixture(autouse=True)
def packaged_calendar():
    """Every test starts and ends on the packaged calendar alone."""
    calendar.use_notices(())
    yield
    calendar.use_notices(())


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv) -> tuple[int, dict, str]:
    code, out, err = run(capsys, *argv, "--format", "json")
    return code, json.loads(out), err


def result(report: dict, rule_id: str) -> dict:
    return next(r for r in report["halls"][0]["results"] if r["rule"] == rule_id)


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def only(tmp_path: Path, *rule_files: str) -> Path:
    """A rule directory with just these bundled rules, so that a test depends on them alone."""
    for name in rule_files:
        target = tmp_path / "rules" / Path(name).parent
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(bundled("rules") / name, target)
    return tmp_path / "rules"


# ------------------------------------------------------------------ how spans are counted

@pytest.mark.parametrize("start, end, months", [
    (D(2019, 3, 15), D(2019, 5, 14), 1),
    (D(2019, 3, 15), D(2019, 5, 15), 2),
    (D(2023, 1, 31), D(2023, 2, 28), 1),  # the shorter month's last day completes it
    (D(2024, 1, 31), D(2024, 2, 28), 0),  # ... but not a day before it in a leap year
    (D(2024, 1, 31), D(2024, 2, 29), 1),
    (D(2024, 2, 29), D(2025, 2, 28), 12),  # a leap day's anniversary falls on 02-28
    (D(2023, 2, 28), D(2024, 2, 28), 12),
])
def test_completed_months(start, end, months):
    assert calendar.months_between(start, end) == months


@pytest.mark.parametrize("unit, start, end, value", [
    ("years", D(2022, 3, 15), D(2024, 3, 14), 2.0),  # first and last day served, both counted
    ("months", D(2023, 1, 31), D(2023, 2, 27), 0.0),
    ("months", D(2023, 1, 31), D(2023, 2, 28), 1.0),  # 01-30 has no 02-30: the month's last day ends it
    ("years", D(2024, 3, 1), D(2025, 2, 28), 1.0),  # from the day after a leap day
    ("years", D(2022, 3, 1), D(2024, 2, 28), 2.0),  # the corresponding day of 2022-02-28
    ("days", D(2024, 2, 1), D(2024, 2, 29), 29.0),  # a leap February served in full
    ("working_days", D(2024, 9, 30), D(2024, 10, 8), 2.0),  # 9-30 and 10-08 themselves
])
def test_a_stretch_from_its_first_day_counts_both_ends(unit, start, end, value):
    assert calendar.span(unit, start, end, first_day=True) == value


def test_working_days_leave_out_the_first_day_and_count_the_last():
    # applied on Friday 2024-09-27, done on Tuesday 2024-10-08: 9-29 (a Sunday made a working
    # day), 9-30 and 10-08; the National Day holiday 10-01..10-07 is not counted
    assert calendar.working_days_between(D(2024, 9, 27), D(2024, 10, 8)) == 3
    assert calendar.working_days_between(D(2024, 10, 8), D(2024, 10, 8)) == 0


STATIONING = """\
hallcheck: 1
as_of: 2024-06-30
hall:
  name: 开封市民之家
  level: 市级
  kind: 市民之家
  jurisdiction: {{province: 河南省, city: 开封市}}
staff:
  - id: S01
    name: 王芳
    stationed_from: {start}
    stationed_until: {end}
"""
ART28 = "kaifeng-2014.art28.two-year-stationing"


@pytest.mark.parametrize("start, end, status, years", [
    ("2022-03-15", "2024-03-14", "pass", None),  # the last day served counts: two full years
    ("2022-03-15", "2024-03-13", "fail", "1.92"),
    ("2022-03-01", "2024-02-28", "pass", None),  # complete on the corresponding day of 2022-02-28 (民法典 art. 203)
    ("2022-03-01", "2024-02-27", "fail", "1.92"),
])
def test_a_last_day_served_is_counted_in_the_years_served(start, end, status, years, capsys, tmp_path):
    hall = write(tmp_path / "hall.yaml", STATIONING.format(start=start, end=end))
    code, report, _ = run_json(capsys, "check", hall, "--rules", only(tmp_path, "kaifeng-2014/art28-two-year-stationing.yaml"),
                               "--lang", "en")
    found = result(report, ART28)
    assert found["status"] == status
    if years:
        assert f"left after {years} years" in found["findings"][0]["message"]


# ------------------------------------------------------------------ a notice the user supplies

POLICY_RULE = "wuhai-2022/s2-4-1-policy-publication-20-days.yaml"
POLICY = "wuhai-2022.s2.4.1.policy-publication-20-days"
WUHAI = """\
hallcheck: 1
as_of: {as_of}
hall:
  name: 乌海市政务服务中心
  level: 市级
  kind: 政务服务中心
  jurisdiction: {{province: 内蒙古自治区, city: 乌海市}}
policies:
  - title: 关于优化营商环境的若干措施
    formed_on: {formed}
    published_on: {published}
"""

NOTICE_2027 = """\
# 2027 年节假日安排（测试用的虚构通知）
year: 2027
document: 国办发明电〔2026〕99号
title: 国务院办公厅关于2027年部分节假日安排的通知
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 春节, from: 2027-02-05, to: 2027-02-12}
working_days: [2027-02-13, 2027-02-14]
"""

HOLIDAY_CN_2027 = {
    "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
    "year": 2027,
    "papers": ["https://www.gov.cn/zhengce/content/2026-11/example.htm"],
    "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": True},
        {"name": "元旦", "date": "2027-01-02", "isOffDay": True},
        {"name": "元旦", "date": "2027-01-03", "isOffDay": True},
        {"name": "春节", "date": "2027-02-13", "isOffDay": False},
    ],
}


def wuhai(tmp_path: Path, formed: str, published: str, as_of: str = "2027-03-01") -> Path:
    return write(tmp_path / "hall.yaml", WUHAI.format(formed=formed, published=published, as_of=as_of))


def test_a_span_into_an_unpublished_year_is_unknown_until_its_notice_is_given(capsys, tmp_path):
    hall, rules = wuhai(tmp_path, "2026-12-10", "2027-01-12"), only(tmp_path, POLICY_RULE)
    _, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en")
    assert result(report, POLICY)["status"] == "unknown"
    assert result(report, POLICY)["reason"]["params"] == {"years": [2027]}
    assert "calendar" not in report["halls"][0]

    notice = write(tmp_path / "2027.yaml", NOTICE_2027)
    code, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en", "--calendar", notice)
    # 12-11..12-31: 15 working days; 2027-01-04..01-12 (after the New Year holiday): 7 -> 22
    found = result(report, POLICY)
    assert (code, found["status"]) == (1, "fail")
    assert "22 working days later" in found["findings"][0]["message"]
    cited = report["halls"][0]["calendar"]
    assert [(c["year"], c["document"], Path(c["file"]).name) for c in cited] == [(2027, "国办发明电〔2026〕99号", notice.name)]


def test_the_holiday_cn_layout_is_read_too(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hall, rules = wuhai(tmp_path, "2026-12-10", "2027-01-12"), only(tmp_path, POLICY_RULE)
    (tmp_path / "2027.json").write_text(json.dumps(HOLIDAY_CN_2027, ensure_ascii=False), encoding="utf-8")
    # given through the environment this time
    monkeypatch.setenv("HALLCHECK_CALENDAR", "2027.json")
    code, out, _ = run(capsys, "check", hall, "--rules", rules, "--lang", "zh")
    assert code == 1 and "用时 22 个工作日" in out
    assert "节假日安排：2027 年依据https://www.gov.cn/zhengce/content/2026-11/example.htm（2027.json），覆盖内置日历" in out


def test_a_notice_is_the_authority_for_its_year(capsys, tmp_path):
    """A notice for a year the package knows replaces it: here one that adds a day off."""
    hall, rules = wuhai(tmp_path, "2026-11-30", "2026-12-18", as_of="2026-12-31"), only(tmp_path, POLICY_RULE)
    notice = write(tmp_path / "2026.yaml", """\
        year: 2026
        document: 国办发明电〔2025〕7号（改）
        holidays: [{name: 测试假日, from: 2026-12-18, to: 2026-12-18}]
        working_days: []
    """)
    _, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en")
    assert result(report, POLICY)["status"] == "pass"
    _, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en", "--calendar", notice)
    assert result(report, POLICY)["status"] == "pass"
    assert calendar.working_days_between(D(2026, 11, 30), D(2026, 12, 18)) == 13  # 14 without the notice


def test_every_format_cites_the_notice(capsys, tmp_path):
    hall, rules = wuhai(tmp_path, "2026-12-10", "2027-01-12"), only(tmp_path, POLICY_RULE)
    notice = write(tmp_path / "2027.yaml", NOTICE_2027)
    for format in ("sarif", "junit", "markdown", "html"):
        _, out, _ = run(capsys, "check", hall, "--rules", rules, "--lang", "zh", "--calendar", notice, "--format", format)
        assert "国办发明电〔2026〕99号" in out, format


def test_explain_counts_with_the_notice_and_cites_it(capsys, tmp_path):
    hall = wuhai(tmp_path, "2026-12-10", "2027-01-12")
    notice = write(tmp_path / "2027.yaml", NOTICE_2027)
    code, out, _ = run(capsys, "explain", POLICY, "--hall", hall, "--calendar", notice, "--lang", "en")
    assert code == 0
    assert "holiday calendar: 2027 from 国办发明电〔2026〕99号" in out
    assert "working_days(formed_on → published_on) = 22" in out


def test_the_calendar_schema_is_printed_and_accepts_both_layouts(capsys):
    code, out, _ = run(capsys, "schema", "calendar")
    schema = json.loads(out)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert validator.is_valid(load_text(NOTICE_2027, "2027.yaml").data)  # dates as written, as the check sees them
    assert validator.is_valid(HOLIDAY_CN_2027)
    assert not validator.is_valid({"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01"}]})


@pytest.mark.parametrize("name, text, where, en, zh", [
    ("weekday.yaml", NOTICE_2027.replace("working_days: [2027-02-13, 2027-02-14]", "working_days: [2027-02-13, 2027-02-15]"),
     "weekday.yaml:8:28: working_days[1]: ", "2027-02-15 is not a Saturday or Sunday", "2027-02-15 不是周六或周日"),
    ("reversed.yaml", NOTICE_2027.replace("from: 2027-01-01, to: 2027-01-03", "from: 2027-01-03, to: 2027-01-01"),
     "reversed.yaml:6:38: holidays[0].to: ", "the holiday's last day 2027-01-01 is before its first day 2027-01-03",
     "假期的最后一天 2027-01-01 早于第一天 2027-01-03"),
    ("nodoc.yaml", NOTICE_2027.replace("document: 国办发明电〔2026〕99号\n", ""),
     "nodoc.yaml:2:1: ", "required field 'document' is missing", "缺少必填字段 “document”"),
    ("both.yaml", NOTICE_2027.replace("[2027-02-13, 2027-02-14]", "[2027-02-13, 2027-01-02]"),
     "both.yaml:8:28: working_days[1]: ", "2027-01-02 is both a day off and a working day (see also line 6)",
     "2027-01-02 既是放假日又是上班日（另见第 6 行）"),
    ("bad.json", json.dumps({**HOLIDAY_CN_2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": "true"}]}),
     "bad.json:1:244: days[0].isOffDay: ", "expected true/false, got text 'true'", "应为true/false，实际是文字 'true'"),
])
def test_a_bad_calendar_file_is_located_and_stops_the_run(name, text, where, en, zh, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hall = wuhai(tmp_path, "2026-12-10", "2027-01-12")
    (tmp_path / name).write_text(text, encoding="utf-8")
    for lang, words in (("en", en), ("zh", zh)):
        code, out, err = run(capsys, "check", hall, "--calendar", name, "--lang", lang)
        assert code == 2 and out == ""
        assert where in err and words in err, err


def test_a_missing_calendar_file_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", wuhai(tmp_path, "2026-12-10", "2027-01-12"), "--calendar", tmp_path / "none.yaml",
                       "--lang", "en")
    assert code == 2 and "none.yaml: file not found" in err


def test_two_notices_for_one_year_are_refused(capsys, tmp_path):
    first = write(tmp_path / "a.yaml", NOTICE_2027)
    second = write(tmp_path / "b.yaml", NOTICE_2027)
    code, _, err = run(capsys, "check", wuhai(tmp_path, "2026-12-10", "2027-01-12"), "--calendar", first,
                       "--calendar", second, "--lang", "en")
    assert code == 2 and "b.yaml:2:7: year: the 2027 arrangement is already given by" in err


# ------------------------------------------------------------------ provisional counts

def test_a_count_ending_in_late_december_before_an_unpublished_year_is_provisional(capsys, tmp_path):
    rules = only(tmp_path, POLICY_RULE)
    # formed 2026-11-16, published 2026-12-21: 25 working days, a failure either way, but the
    # 2027 notice could still move days of the last two weeks of 2026
    hall = wuhai(tmp_path, "2026-11-16", "2026-12-21", as_of="2026-12-31")
    code, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en")
    found = result(report, POLICY)
    assert (code, found["status"], found["provisional"]["years"]) == (1, "fail", [2027])
    assert "provisional" in found["provisional"]["message"]
    _, out, _ = run(capsys, "check", hall, "--rules", rules, "--lang", "zh")
    assert "暂定：" in out and "2027" in out

    # published a few days earlier, before the last two weeks: settled
    hall = wuhai(tmp_path, "2026-11-16", "2026-12-17", as_of="2026-12-31")
    _, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en")
    assert "provisional" not in result(report, POLICY)

    # once the 2027 notice is given, the same count is settled
    hall = wuhai(tmp_path, "2026-11-16", "2026-12-21", as_of="2026-12-31")
    notice = write(tmp_path / "2027.yaml", NOTICE_2027)
    _, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en", "--calendar", notice)
    assert result(report, POLICY)["status"] == "fail" and "provisional" not in result(report, POLICY)


def test_the_report_with_a_notice_and_a_provisional_result_validates(capsys, tmp_path):
    rules = only(tmp_path, POLICY_RULE)
    hall = wuhai(tmp_path, "2026-11-30", "2026-12-21", as_of="2026-12-31")
    notice = write(tmp_path / "2026.yaml", """\
        year: 2026
        document: 国办发明电〔2025〕7号
        holidays: [{name: 元旦, from: 2026-01-01, to: 2026-01-03}]
        working_days: [2026-01-04]
    """)
    _, report, _ = run_json(capsys, "check", hall, "--rules", rules, "--lang", "en", "--calendar", notice)
    assert result(report, POLICY)["provisional"]["years"] == [2027]
    _, schema, _ = run(capsys, "schema", "report")
    jsonschema.Draft202012Validator(json.loads(schema)).validate(report)


# ------------------------------------------------------------------ dates that decide applicability

NEW_HALL = "jining-2018.art7.county-new-hall-area"
JIAXIANG = """\
hallcheck: 1
as_of: 2024-06-30
hall:
  name: 嘉祥县为民服务中心
  level: 县级
  kind: 政务服务中心
  jurisdiction: {{province: 山东省, city: 济宁市, district: 嘉祥县}}
  built_on: {built_on}
  floor_area_m2: 16800
{extra}"""


@pytest.mark.parametrize("built_on, extra, status", [
    ("2023-04-30", "", "fail"),  # completed after the 2018 standard: newly built under it, no flag needed
    ("2012-10-01", "", "not_applicable"),  # an older hall is not judged by the figure for new ones
    ("2023-04-30", "  newly_built: false\n", "not_applicable"),  # an explicit answer overrides the date
])
def test_a_hall_completed_after_the_standard_is_newly_built_under_it(built_on, extra, status, capsys, tmp_path):
    hall = write(tmp_path / "hall.yaml", JIAXIANG.format(built_on=built_on, extra=extra))
    _, report, _ = run_json(capsys, "check", hall, "--rules", only(tmp_path, "jining-2018/art7-county-new-hall-area.yaml"),
                            "--lang", "en")
    assert result(report, NEW_HALL)["status"] == status


def test_without_built_on_or_newly_built_the_new_hall_figure_is_unknown_naming_built_on(capsys, tmp_path):
    hall = write(tmp_path / "hall.yaml", JIAXIANG.format(built_on="2023-04-30", extra="").replace("  built_on: 2023-04-30\n", ""))
    _, report, _ = run_json(capsys, "check", hall, "--rules", only(tmp_path, "jining-2018/art7-county-new-hall-area.yaml"),
                            "--lang", "en")
    found = result(report, NEW_HALL)
    assert found["status"] == "unknown" and "built_on" in found["reason"]["params"]["fields"]


# ------------------------------------------------------------------ half-yearly duties

REPORTS = "dongying-2017.art5.reports-to-centre"
DONGYING = """\
hallcheck: 1
as_of: 2022-09-30
hall:
  name: 东营市住房公积金管理中心服务大厅
  level: 市级
  kind: 分中心
  jurisdiction: {{province: 山东省, city: 东营市}}
  opened_on: 2021-01-01
reports:
  - {{date: 2021-03-31, to: 市政务服务中心}}
  - {{date: 2021-09-30{second}}}
  - {{date: 2022-03-31, to: 市政务服务中心}}
"""


@pytest.mark.parametrize("second, status", [
    (", to: 市政务服务中心", "pass"),
    (", to: 主管部门", "fail"),  # 2021 H2 went to the department only: no report to the centre
    ("", "unknown"),  # 2021 H2's only report does not say whom it went to
])
def test_a_report_that_does_not_say_its_recipient_leaves_its_half_year_undecided(second, status, capsys, tmp_path):
    hall = write(tmp_path / "hall.yaml", DONGYING.format(second=second))
    _, report, _ = run_json(capsys, "check", hall, "--rules", only(tmp_path, "dongying-2017/art5-reports-to-centre.yaml"),
                            "--lang", "en")
    found = result(report, REPORTS)
    assert found["status"] == status
    if status == "unknown":
        assert found["reason"]["params"]["fields"] == ["to"]
    if status == "fail":
        assert "2021 H2" in found["findings"][0]["message"]


def test_an_undecided_report_in_a_covered_half_year_changes_nothing(capsys, tmp_path):
    text = DONGYING.format(second=", to: 市政务服务中心") + "  - {date: 2022-02-01}\n"
    _, report, _ = run_json(capsys, "check", write(tmp_path / "hall.yaml", text),
                            "--rules", only(tmp_path, "dongying-2017/art5-reports-to-centre.yaml"), "--lang", "en")
    assert result(report, REPORTS)["status"] == "pass"


def test_worker_processes_count_with_the_notice_too(capsys, tmp_path):
    first = wuhai(tmp_path, "2026-12-10", "2027-01-12")
    second = tmp_path / "second.yaml"
    second.write_text(first.read_text(encoding="utf-8").replace("2027-01-12", "2027-01-08"), encoding="utf-8")
    notice = write(tmp_path / "2027.yaml", NOTICE_2027)
    code, report, _ = run_json(capsys, "check", first, second, "--rules", only(tmp_path, POLICY_RULE), "--jobs", "2",
                               "--calendar", notice, "--lang", "en")
    # 22 and 18 working days: both counted with the 2027 notice in the workers
    assert [result({"halls": [hall]}, POLICY)["status"] for hall in report["halls"]] == ["fail", "pass"]
    assert all(hall["calendar"][0]["year"] == 2027 for hall in report["halls"])
