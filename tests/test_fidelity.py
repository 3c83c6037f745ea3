"""A rule says what its clause says: numbers from the text, grades that follow the words, and
every reading decision listed where a policy owner reviews them."""

from __future__ import annotations

import json

import pytest

import cli
from helpers import KAIFENG_HALL
from checker.authoring.lint import number_in_text
from checker.ruleset.regulations import has_own_words

RULE = """\
id: kaifeng-2014.art28.{slug}
regulation: kaifeng-2014
clause: art28
quote: {quote}
title: {{zh: 标题, en: title}}
severity: {severity}
for_each: staff
where: {{field: stationed_until, present: true}}
require:
  years_between: {{from: stationed_from, to: stationed_until}}
  at_least: {years}
message: {{zh: "{{entity}}", en: "{{entity}}"}}
{extra}"""

EXAMPLES = """\
cases:
  - name: stayed
    hall: {staff: [{id: S1, stationed_from: 2019-03-01, stationed_until: 2023-03-01}]}
    expect: pass
  - name: left early
    hall: {staff: [{id: S1, stationed_from: 2019-03-01, stationed_until: 2019-09-01}]}
    expect: fail
"""


def lint(tmp_path, monkeypatch, capsys, **fields) -> tuple[int, str]:
    values = {"slug": "probe", "quote": "进驻人员在服务窗口的工作时间不得少于两年", "severity": "major", "years": 2,
              "extra": ""} | fields
    (tmp_path / "probe.yaml").write_text(RULE.format(**values), encoding="utf-8")
    (tmp_path / "probe.test.yaml").write_text(EXAMPLES, encoding="utf-8")
    (tmp_path / "_base.yaml").write_text(KAIFENG_HALL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["rules", "lint", "probe.yaml", "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("number, text", [(2, "不得少于两年"), (30, "30个工作日"), (30, "三十个工作日"),
                                          (100, "不超过100天"), (0.9, "达到90%"), (50, "５０平方米"),
                                          (20000, "不少于2万平方米"), (365, "三百六十五天")])
def test_numbers_are_found_however_the_clause_writes_them(number, text):
    assert number_in_text(float(number), text)
    assert not number_in_text(float(number) + 7, text)


def test_a_threshold_the_quote_does_not_give_needs_an_interpretation(tmp_path, monkeypatch, capsys):
    code, out = lint(tmp_path, monkeypatch, capsys, years=3)
    assert code == 2
    assert "probe.yaml:11:13: require.at_least: the quoted words do not give 3" in out
    code, out = lint(tmp_path, monkeypatch, capsys, years=2)
    assert code == 0, out


def test_mandatory_words_graded_minor_need_a_reason(tmp_path, monkeypatch, capsys):
    code, out = lint(tmp_path, monkeypatch, capsys, severity="minor")
    assert code == 2 and "probe.yaml:6:11: severity: the quote has mandatory words (不得)" in out
    reason = "severity_reason: {zh: 理由, en: why}\n"
    code, out = lint(tmp_path, monkeypatch, capsys, severity="minor", extra=reason)
    assert code == 0, out


def test_an_exhortation_graded_major_needs_a_reason(tmp_path, monkeypatch, capsys):
    code, out = lint(tmp_path, monkeypatch, capsys, quote="进驻人员在服务窗口的工作时间不得少于两年",
                     extra="")
    assert code == 0, out
    monkeypatch.setattr("checker.authoring.lint.EXHORTATION_WORDS", ("不得",))  # the same clause, read as an urging
    code, out = lint(tmp_path, monkeypatch, capsys)
    assert code == 2 and "the quote only urges (不得); grading it major needs a severity_reason" in out


def test_the_bundled_rules_pass_the_fidelity_checks(capsys):
    assert cli.main(["rules", "lint", "--lang", "en"]) == 0, capsys.readouterr()


def test_coverage_lists_every_reading_decision(capsys):
    cli.main(["coverage", "--interpretations", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    ids = {row["rule"] for row in rows}
    assert "kaifeng-2014.art36.monthly-assessments" in ids
    monthly = next(row for row in rows if row["rule"] == "kaifeng-2014.art36.monthly-assessments")
    assert monthly["severity"] == "minor" and "12" in monthly["reading"]["en"]
    assert any(row["severity_reason"] for row in rows)


def test_coverage_counts_a_clause_with_duties_in_its_own_words(capsys):
    assert has_own_words("规范政务服务环境形象。清除工作现场空置、多余、过期物品，保持常用物品唯一性。")
    assert not has_own_words("规范政务服务场所窗口、专区设置。")
    assert not has_own_words("市民之家的建设和管理，应当遵循以下原则：")
    cli.main(["coverage", "--regulation", "wuhai-2022", "--format", "json"])
    (wuhai,) = json.loads(capsys.readouterr().out)
    clause = next(c for c in wuhai["clauses"] if c["path"] == "s2.1.3")
    assert clause["status"] == "encoded" and clause["rules"] == ["wuhai-2022.s2.1.3.no-idle-items"]
