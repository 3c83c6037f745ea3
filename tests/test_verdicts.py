"""Verdicts an inspector can sign: places written as people write them, no silent clean, and
omitted data that is unknown, never a failure."""

from __future__ import annotations

import json
import re

import pytest

import cli
from helpers import KAIFENG_HALL

WUHAI = """\
hallcheck: 1
as_of: 2024-06-30
hall:
  name: 海勃湾区政务服务中心
  level: 县级
  kind: 政务服务中心
  jurisdiction: {jurisdiction}
  working_rules: [首问负责制]
  opening_hours: {{weekdays: "09:00-17:00", lunch_break_service: false, weekend: false}}
"""


def run(capsys, tmp_path, text: str, *args: str) -> tuple[int, dict, str]:
    hall = tmp_path / "hall.yaml"
    hall.write_text(text, encoding="utf-8")
    code = cli.main(["check", str(hall), "--format", "json", "--engine", "python", "--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def statuses(report: dict) -> dict[str, str]:
    return {r["rule"]: r["status"] for r in report["halls"][0]["results"]}


@pytest.mark.parametrize("place", [
    "{province: 内蒙古, city: 乌海, district: 海勃湾}",
    "{province: 内蒙古自治区, city: 乌海市, district: 乌海市海勃湾区}",
    "{code: 150302}",
    "{code: '150302'}",
    "{province: '150000', city: 乌海, district: 海勃湾区}",
])
def test_a_place_written_any_usual_way_reaches_the_same_regulation(place, capsys, tmp_path):
    canonical = WUHAI.format(jurisdiction="{province: 内蒙古自治区, city: 乌海市, district: 海勃湾区}")
    _, expected, _ = run(capsys, tmp_path, canonical)
    code, report, err = run(capsys, tmp_path, WUHAI.format(jurisdiction=place))
    assert report["halls"][0]["problems"] == [], err
    assert statuses(report) == statuses(expected)
    assert any(s == "pass" for rule, s in statuses(report).items() if rule.startswith("wuhai-2022."))
    scope = {s["regulation"]: s for s in report["halls"][0]["regulations"]}
    assert scope["wuhai-2022"]["status"] == "applies"
    assert "内蒙古自治区乌海市" in scope["wuhai-2022"]["reason"]["message"]


def test_a_place_that_is_no_division_is_an_error_with_the_nearest_names(capsys, tmp_path):
    code, report, err = run(capsys, tmp_path, WUHAI.format(jurisdiction="{province: 内蒙古, city: 乌梅}"))
    assert code == 2
    (problem,) = report["halls"][0]["problems"]
    assert (problem["line"], problem["path"], problem["code"]) == (7, "hall.jurisdiction.city", "hall.unknown_place")
    assert "乌海市" in problem["message"] and "内蒙古自治区" in problem["message"]


def test_a_functional_zone_stands_where_a_district_would(capsys, tmp_path):
    text = WUHAI.format(jurisdiction="{province: 山东, city: 济宁, district: 济宁高新区}")
    code, report, err = run(capsys, tmp_path, text)
    assert report["halls"][0]["problems"] == [], err


def test_a_regulation_that_needs_a_left_out_district_is_unknown_not_inapplicable(capsys, tmp_path):
    text = """\
hallcheck: 1
as_of: 2024-06-30
hall:
  name: 龙港区行政服务中心税务分中心
  level: 县级
  kind: 分中心
  jurisdiction: {province: 辽宁, city: 葫芦岛}
  working_rules: [首问负责制]
"""
    code, report, err = run(capsys, tmp_path, text)
    hall = report["halls"][0]
    longgang = [r for r in hall["results"] if r["regulation"] == "longgang-2020"]
    assert longgang and all(r["status"] == "unknown" for r in longgang)
    assert all(r["reason"]["params"]["fields"] == ["hall.jurisdiction.district"] for r in longgang)
    scope = next(s for s in hall["regulations"] if s["regulation"] == "longgang-2020")
    assert scope["status"] == "unknown"
    # nothing else reaches a 葫芦岛 hall, and an audit of unknowns only has checked nothing
    assert hall["nothing_checked"] is True and code == 2


@pytest.mark.parametrize("fmt, words", [
    ("text", "nothing was checked"), ("sarif", "nothing was checked"), ("junit", "nothing was checked"),
    ("markdown", "nothing was checked"), ("html", "nothing was checked"), ("csv", "nothing was checked"),
])
def test_a_hall_no_regulation_reaches_is_never_a_quiet_exit_0(fmt, words, capsys, tmp_path):
    hall = tmp_path / "beijing.yaml"
    hall.write_text(WUHAI.format(jurisdiction="{province: 北京, city: 北京, district: 海淀}"), encoding="utf-8")
    code = cli.main(["check", str(hall), "--format", fmt, "--engine", "python", "--lang", "en"])
    out, _ = capsys.readouterr()
    assert code == 2
    assert words in out
    assert cli.main(["check", str(hall), "--format", fmt, "--engine", "python", "--lang", "en",
                     "--allow-nothing-checked"]) == 0
    capsys.readouterr()


def test_an_audit_date_before_every_regulation_checks_nothing(capsys, tmp_path):
    text = WUHAI.format(jurisdiction="{province: 内蒙古, city: 乌海, district: 海勃湾}").replace(
        "as_of: 2024-06-30", "as_of: 2000-01-01")
    code, report, _ = run(capsys, tmp_path, text)
    assert code == 2 and report["exit_code"] == 2 and report["halls"][0]["nothing_checked"]


def test_the_text_report_says_why_each_regulation_applies_or_not(capsys, tmp_path):
    hall = tmp_path / "hall.yaml"
    hall.write_text(WUHAI.format(jurisdiction="{province: 内蒙古, city: 乌海, district: 海勃湾}"), encoding="utf-8")
    cli.main(["check", str(hall), "--engine", "python", "--lang", "zh"])
    out = capsys.readouterr().out
    assert "wuhai-2022: 适用：2022-06-16起施行，适用于内蒙古自治区乌海市" in out
    assert "本大厅为县级政务服务中心" in out
    assert re.search(r"kaifeng-2014: \d+ 条规则不适用: 法规适用于河南省，本大厅在内蒙古自治区", out)


KAIFENG = KAIFENG_HALL


def test_an_omitted_field_is_unknown_and_a_field_written_empty_fails(capsys, tmp_path):
    rule = "kaifeng-2014.art13.fee-basis"
    omitted = KAIFENG + 'items:\n  - {code: "410200-QR-0501", fee: 80}\n'
    _, report, _ = run(capsys, tmp_path, omitted)
    result = next(r for r in report["halls"][0]["results"] if r["rule"] == rule)
    assert result["status"] == "unknown" and result["reason"]["params"]["fields"] == ["fee_basis"]
    empty = KAIFENG + 'items:\n  - {code: "410200-QR-0501", fee: 80, fee_basis: null}\n'
    code, report, _ = run(capsys, tmp_path, empty)
    result = next(r for r in report["halls"][0]["results"] if r["rule"] == rule)
    assert result["status"] == "fail" and code == 1
    assert result["findings"][0]["line"] == 9


def test_an_enumeration_written_empty_is_named_as_empty_in_the_message(capsys, tmp_path):
    # `mode: null` says the item has no handling mode; its finding must read "—", not crash
    text = KAIFENG + 'items:\n  - {code: "410200-XK-0205", name: 竣工联合验收, mode: null}\n'
    for lang in ("en", "zh"):
        hall = tmp_path / "hall.yaml"
        hall.write_text(text, encoding="utf-8")
        code = cli.main(["check", str(hall), "--engine", "python", "--lang", lang])
        out = capsys.readouterr().out
        assert code == 1 and "410200-XK-0205" in out
    _, report, _ = run(capsys, tmp_path, text)
    assert statuses(report)["kaifeng-2014.art23.mode-assigned"] == "fail"


def test_an_explicit_empty_posting_list_fails_and_an_omitted_one_is_unknown(capsys, tmp_path):
    rule = "wuhai-2022.s2.3.window-posts"
    base = WUHAI.format(jurisdiction="{province: 内蒙古, city: 乌海, district: 海勃湾}")
    _, report, _ = run(capsys, tmp_path, base + "windows:\n  - {id: C02, type: 投诉窗口, staff: []}\n")
    assert statuses(report)[rule] == "fail"
    _, report, _ = run(capsys, tmp_path, base + "windows:\n  - {id: C02, type: 投诉窗口}\n")
    assert statuses(report)[rule] == "unknown"
    # the posting written on the person's side is the same story
    _, report, _ = run(capsys, tmp_path, base + "windows:\n  - {id: C02, type: 投诉窗口}\nstaff:\n  - {id: S1, window: C02}\n")
    assert statuses(report)[rule] == "pass"


def test_unknown_names_only_the_fields_that_could_decide_it(capsys, tmp_path):
    # S01 is still stationed (no stationed_until, by the hall format's definition) and lacks the
    # training result and its date: the unknown names those, not stationed_until
    text = KAIFENG + "staff:\n  - {id: S01, employer: 开封市市场监督管理局, stationed_from: 2023-03-01}\n"
    _, report, _ = run(capsys, tmp_path, text)
    result = next(r for r in report["halls"][0]["results"] if r["rule"] == "kaifeng-2014.art27.training-before-post")
    assert result["status"] == "unknown"
    assert result["reason"]["params"]["fields"] == ["training_passed", "training_passed_on"]


def test_lint_refuses_a_rule_that_fails_on_omission(capsys, tmp_path, monkeypatch):
    rule = tmp_path / "fee.yaml"
    rule.write_text("""\
id: kaifeng-2014.art13.fee-basis-strict
regulation: kaifeng-2014
clause: art13
quote: 收费
title: {zh: 收费有依据, en: fees have a basis}
severity: major
for_each: items
require: {field: fee_basis, present: true}
message: {zh: "{entity}", en: "{entity}"}
""", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["rules", "lint", "fee.yaml", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "fee.yaml:8:38: require.present: present in require turns an omitted fee_basis into a verdict" in out + err
