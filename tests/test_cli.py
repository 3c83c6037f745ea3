"""The command line as a user meets it: exit codes, options, the JSON report, the other commands.

Halls are written into tmp_path from the kaifeng base hall (rules/kaifeng-2014/_base.yaml). The
rule that makes them fail is kaifeng-2014.art28.two-year-stationing (severity major): a person
who left the window less than two years after being stationed there.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from helpers import KAIFENG_HALL
import yaml

import checker
import cli
from checker.paths import bundled

ART28 = "kaifeng-2014.art28.two-year-stationing"
REGULATION_IDS = {"dongying-2017", "jining-2018", "kaifeng-2014", "longgang-2020", "wuhai-2022"}

BASE = KAIFENG_HALL

# 王芳 left after 23 months: fails art28. Her stationed_from is on line 11, column 21.
FAILING = BASE + """\
staff:
  - id: S01
    name: 王芳
    stationed_from: 2019-03-01
    stationed_until: 2021-01-31
"""
FAILING_LINE = 11

# 李强 left after exactly two years: passes art28.
PASSING = BASE + """\
staff:
  - id: S02
    name: 李强
    stationed_from: 2019-03-01
    stationed_until: 2021-03-01
"""

BROKEN = BASE.replace("kind: civic_centre", "kind: 分中新")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str) -> tuple[int, dict, str]:
    code, out, err = run(capsys, *argv, "--format", "json")
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        pytest.fail(f"not JSON (exit {code}):\nstdout:\n{out}\nstderr:\n{err}")


def result(report: dict, rule_id: str, hall: int = 0) -> dict:
    matches = [r for r in report["halls"][hall]["results"] if r["rule"] == rule_id]
    assert len(matches) == 1, f"{rule_id} not in the results: {[r['rule'] for r in report['halls'][hall]['results']]}"
    return matches[0]


@pytest.fixture
def work(tmp_path, monkeypatch):
    """An empty working directory; files below it are shown relative to it."""
    directory = tmp_path / "work"
    directory.mkdir()
    monkeypatch.chdir(directory)
    return directory


@pytest.fixture
def art28_only(tmp_path) -> Path:
    """A rule directory holding only the bundled art28 rule, so exit codes depend on it alone."""
    directory = tmp_path / "rules" / "kaifeng-2014"
    directory.mkdir(parents=True)
    shutil.copy(bundled("rules") / "kaifeng-2014" / "art28-two-year-stationing.yaml", directory)
    return directory.parent


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ unusable input

def test_missing_file_exits_2_and_names_it(capsys, work):
    code, out, err = run(capsys, "check", "no-such-hall.yaml", "--lang", "en")
    assert code == 2
    lines = [line.strip() for line in (out + err).splitlines() if "no-such-hall.yaml" in line]
    assert any("file not found" in line for line in lines), out + err


def test_directory_without_yaml_exits_2(capsys, work):
    (work / "empty-dir").mkdir()
    (work / "empty-dir" / "notes.txt").write_text("not a hall", encoding="utf-8")
    code, out, err = run(capsys, "check", "empty-dir", "--lang", "en")
    assert code == 2
    assert "empty-dir" in out + err


def test_directory_without_yaml_says_there_are_no_yaml_files(capsys, work):
    """Directories are accepted, so 'this is a directory, not a file' would mislead."""
    (work / "empty-dir").mkdir()
    code, out, err = run(capsys, "check", "empty-dir", "--lang", "en")
    assert code == 2
    lines = [line.strip() for line in (out + err).splitlines() if line.strip().startswith("empty-dir")]
    assert any("no .yaml or .yml files" in line for line in lines), out + err


def test_bad_as_of_exits_2_with_a_message(capsys, work):
    write(work, "hall.yaml", FAILING)
    code, out, err = run(capsys, "check", "hall.yaml", "--as-of", "2024-13-01", "--lang", "en")
    assert code == 2
    assert "--as-of" in err and "2024-13-01" in err and "not a valid date" in err, err
    assert out == ""  # nothing was audited


# ------------------------------------------------------------------ exit codes and --fail-on

@pytest.mark.parametrize("fail_on, expected", [
    (None, 1),  # the default is minor
    ("info", 1),
    ("minor", 1),
    ("major", 1),
    ("critical", 0),  # only a major rule fails
    ("never", 0),
])
def test_fail_on_decides_the_exit_code(fail_on, expected, capsys, work, art28_only):
    write(work, "hall.yaml", FAILING)
    options = ["--fail-on", fail_on] if fail_on else []
    code, report, err = run_json(capsys, "check", "hall.yaml", "--rules", art28_only, "--lang", "en", *options)
    assert result(report, ART28)["status"] == "fail"
    assert result(report, ART28)["severity"] == "major"
    assert code == expected
    assert report["exit_code"] == expected
    assert report["fail_on"] == (fail_on or "minor")


def test_default_fail_on_counts_a_minor_failure(capsys, work, tmp_path):
    rules = tmp_path / "minor-rules"
    rules.mkdir()
    text = (bundled("rules") / "kaifeng-2014" / "art28-two-year-stationing.yaml").read_text(encoding="utf-8")
    assert "severity: major" in text
    (rules / "minor.yaml").write_text(text.replace("severity: major", "severity: minor"), encoding="utf-8")
    write(work, "hall.yaml", FAILING)
    assert run(capsys, "check", "hall.yaml", "--rules", rules, "--lang", "en")[0] == 1
    assert run(capsys, "check", "hall.yaml", "--rules", rules, "--lang", "en", "--fail-on", "major")[0] == 0


def test_passing_hall_exits_0(capsys, work, art28_only):
    write(work, "hall.yaml", PASSING)
    code, report, err = run_json(capsys, "check", "hall.yaml", "--rules", art28_only, "--lang", "en")
    assert result(report, ART28)["status"] == "pass"
    assert code == 0


def test_text_report_of_a_failing_hall(capsys, work, art28_only):
    write(work, "hall.yaml", FAILING)
    code, out, err = run(capsys, "check", "hall.yaml", "--rules", art28_only, "--lang", "en")
    assert code == 1
    assert f"hall.yaml:{FAILING_LINE}" in out
    assert "1.92" in out and "王芳" in out
    assert "1 hall(s): fail 1, pass 0" in out


# ------------------------------------------------------------------ several files

def test_one_broken_file_does_not_stop_the_others(capsys, work):
    halls = work / "halls"
    halls.mkdir()
    write(halls, "a-failing.yaml", FAILING)
    write(halls, "b-broken.yaml", BROKEN)
    write(halls, "c-passing.yaml", PASSING)
    code, report, err = run_json(capsys, "check", "halls", "--lang", "en")
    assert code == 2
    assert report["exit_code"] == 2
    files = [hall["file"] for hall in report["halls"]]
    assert files == ["halls/a-failing.yaml", "halls/b-broken.yaml", "halls/c-passing.yaml"]
    failing, broken, passing = report["halls"]
    assert failing["problems"] == [] and result(report, ART28, 0)["status"] == "fail"
    assert passing["problems"] == [] and result(report, ART28, 2)["status"] == "pass"
    assert broken["results"] == []
    assert [p["code"] for p in broken["problems"]] == ["schema.enum"]
    assert broken["problems"][0]["line"] == 6 and broken["problems"][0]["path"] == "hall.kind"
    assert report["summary"]["halls"] == 3 and report["summary"]["unusable"] == 1


# ------------------------------------------------------------------ JSON report

def test_json_report_shape_and_finding_location(capsys, work):
    write(work, "hall.yaml", FAILING)
    code, report, err = run_json(capsys, "check", "hall.yaml", "--lang", "en")
    assert report["format"] == "hallcheck-report"
    assert report["version"] == 1
    assert report["tool"] == {"name": "hallcheck", "version": checker.__version__}
    assert report["lang"] == "en"
    (hall,) = report["halls"]
    assert hall["file"] == "hall.yaml"
    assert hall["hall"] == "开封市民之家"
    assert hall["as_of"] == "2024-06-30" and hall["as_of_source"] == "file"
    statuses = {"pass", "fail", "not_applicable", "unknown", "waived", "error"}
    assert hall["results"] and all(r["status"] in statuses for r in hall["results"])
    art28 = result(report, ART28)
    assert art28["status"] == "fail"
    assert art28["regulation"] == "kaifeng-2014" and art28["clause"] == "art28"
    (finding,) = art28["findings"]
    assert finding["file"] == "hall.yaml"
    assert isinstance(finding["line"], int) and finding["line"] == FAILING_LINE
    assert FAILING.splitlines()[finding["line"] - 1].strip().startswith("stationed_from:")
    assert finding["entity"] == "staff[0]"
    assert "王芳" in finding["message"] and "1.92" in finding["message"]
    assert code == 1


def _report_schema(capsys) -> dict:
    if not (Path(checker.__file__).resolve().parent / "schemas" / "report.schema.yaml").exists():
        pytest.skip("checker/schemas/report.schema.yaml does not exist yet: no report schema to validate against")
    code, out, err = run(capsys, "schema", "report")
    assert code == 0, err
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_json_report_validates_against_the_report_schema(capsys, work):
    schema = _report_schema(capsys)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    write(work, "failing.yaml", FAILING)
    write(work, "passing.yaml", PASSING)
    write(work, "broken.yaml", BROKEN)
    for argv in (["failing.yaml", "passing.yaml", "broken.yaml"],
                 ["failing.yaml", "--as-of", "2013-01-01", "--lang", "zh"],
                 ["no-such.yaml"]):
        code, report, err = run_json(capsys, "check", *argv)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(report)]
        assert errors == [], f"check {' '.join(argv)}: {errors}"
    # and the schema is not vacuous
    report["format"] = "something-else"
    assert not validator.is_valid(report)


def test_output_file_is_written_and_nothing_else(capsys, work):
    hall = write(work, "hall.yaml", FAILING)
    before = hall.read_bytes()
    out_dir = work / "reports"
    out_dir.mkdir()
    code, out, err = run(capsys, "check", "hall.yaml", "--format", "json", "--output", "reports/report.json", "--lang", "en")
    assert code == 1
    assert out == ""
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.json"]  # no temp file left behind
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    assert result(report, ART28)["status"] == "fail"
    assert sorted(p.name for p in work.iterdir()) == ["hall.yaml", "reports"]
    assert hall.read_bytes() == before  # the user's file is untouched


def test_output_file_in_text_format(capsys, work, art28_only):
    write(work, "hall.yaml", FAILING)
    code, out, err = run(capsys, "check", "hall.yaml", "--rules", art28_only, "--output", "report.txt", "--lang", "en")
    assert code == 1
    assert out == ""
    text = (work / "report.txt").read_text(encoding="utf-8")
    assert "1 hall(s): fail 1, pass 0" in text and f"hall.yaml:{FAILING_LINE}" in text
    assert sorted(p.name for p in work.iterdir()) == ["hall.yaml", "report.txt"]


def test_output_file_is_an_ordinary_file_not_a_private_temp(capsys, work):
    write(work, "hall.yaml", PASSING)
    old = os.umask(0o022)
    try:
        run(capsys, "check", "hall.yaml", "--format", "json", "--output", "report.json", "--lang", "en")
    finally:
        os.umask(old)
    assert (work / "report.json").stat().st_mode & 0o777 == 0o644


def test_output_into_a_missing_directory_is_exit_2_with_a_message(capsys, work):
    write(work, "hall.yaml", PASSING)
    code, out, err = run(capsys, "check", "hall.yaml", "--format", "json", "--output", "no/such/dir/r.json", "--lang", "en")
    assert code == 2
    assert "no/such/dir/r.json: cannot write the report: No such file or directory" in err
    assert "Traceback" not in out + err


def test_output_file_replaces_an_old_report(capsys, work):
    write(work, "hall.yaml", PASSING)
    (work / "report.json").write_text("old and much longer " * 1000, encoding="utf-8")
    run(capsys, "check", "hall.yaml", "--format", "json", "--output", "report.json", "--lang", "en")
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert report["format"] == "hallcheck-report"


def test_audit_leaves_the_input_byte_identical(capsys, work):
    # odd but valid bytes: a BOM, CRLF line ends, comments, no final newline
    text = ("\ufeff# my hall\r\n" + FAILING.replace("\n", "\r\n")).rstrip("\r\n")
    hall = work / "hall.yaml"
    hall.write_bytes(text.encode("utf-8"))
    before = hall.read_bytes()
    mtime = hall.stat().st_mtime_ns
    for fmt in ("text", "json"):
        code, out, err = run(capsys, "check", "hall.yaml", "--format", fmt, "--lang", "en")
        assert code == 1, out + err
    assert hall.read_bytes() == before
    assert hall.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in work.iterdir()) == ["hall.yaml"]


def test_same_check_twice_gives_identical_json(capsys, work):
    write(work, "a.yaml", FAILING)
    write(work, "b.yaml", PASSING)
    write(work, "c.yaml", BROKEN)
    first = run(capsys, "check", "a.yaml", "b.yaml", "c.yaml", "--format", "json", "--lang", "zh")
    second = run(capsys, "check", "a.yaml", "b.yaml", "c.yaml", "--format", "json", "--lang", "zh")
    assert first[1] and first[1].encode("utf-8") == second[1].encode("utf-8")
    assert first[0] == second[0] == 2


# ------------------------------------------------------------------ the audit date

def test_before_kaifeng_took_effect_its_rules_do_not_apply(capsys, work):
    write(work, "hall.yaml", FAILING)
    code, report, err = run_json(capsys, "check", "hall.yaml", "--as-of", "2013-01-01", "--lang", "en")
    hall = report["halls"][0]
    assert hall["as_of"] == "2013-01-01" and hall["as_of_source"] == "option"
    kaifeng = [r for r in hall["results"] if r["regulation"] == "kaifeng-2014"]
    assert any(r["rule"] == ART28 for r in kaifeng)
    for r in kaifeng:
        assert r["status"] == "not_applicable", r
        assert r["reason"]["code"] == "na.not_yet_in_force"
        assert r["reason"]["params"] == {"date": "2014-06-26"}
        assert "2014-06-26" in r["reason"]["message"]
    # no other regulation reaches a 开封 hall either: nothing was checked, which is never a quiet 0
    assert hall["nothing_checked"] is True and code == 2
    scope = next(s for s in hall["regulations"] if s["regulation"] == "kaifeng-2014")
    assert scope["status"] == "not_applicable" and "2014-06-26" in scope["reason"]["message"]
    code, report, err = run_json(capsys, "check", "hall.yaml", "--as-of", "2013-01-01", "--lang", "en",
                                 "--allow-nothing-checked")
    assert code == 0 and report["exit_code"] == 0


@pytest.mark.parametrize("as_of, status", [("2014-06-25", "not_applicable"), ("2014-06-26", "fail")])
def test_kaifeng_applies_from_the_day_it_took_effect(as_of, status, capsys, work, art28_only):
    write(work, "hall.yaml", FAILING)
    code, report, err = run_json(capsys, "check", "hall.yaml", "--rules", art28_only, "--as-of", as_of, "--lang", "en")
    assert result(report, ART28)["status"] == status


DONGYING_RULE = """\
id: dongying-2017.art4.branch-sign
regulation: dongying-2017
clause: art4
quote: 加挂“东营市政务服务中心×××分中心”的牌子
title: {zh: 加挂分中心牌子, en: The hall hangs the branch-centre sign}
severity: minor
require: {field: sign, matches: 分中心}
message: {zh: "{entity} 未加挂分中心牌子", en: "{entity} does not hang the branch-centre sign"}
"""

DONGYING_HALL = """\
hallcheck: 1
hall:
  name: 东营市不动产登记服务大厅
  level: city
  kind: department_hall
  jurisdiction: {province: 山东省, city: 东营市}
  sign: [东营市不动产登记服务大厅]
"""


@pytest.mark.parametrize("as_of, status, reason", [
    ("2022-06-01", "fail", None),
    ("2022-12-22", "fail", None),  # the last day it was in force
    ("2022-12-23", "not_applicable", "na.expired"),
    ("2024-06-30", "not_applicable", "na.expired"),
])
def test_after_dongying_expired_its_rules_do_not_apply(as_of, status, reason, capsys, work, tmp_path):
    rules = tmp_path / "dongying-rules"
    rules.mkdir()
    (rules / "art4-branch-sign.yaml").write_text(DONGYING_RULE, encoding="utf-8")
    write(work, "hall.yaml", DONGYING_HALL)
    code, report, err = run_json(capsys, "check", "hall.yaml", "--rules", rules, "--as-of", as_of, "--lang", "en")
    assert report["halls"][0]["problems"] == [], report["halls"][0]["problems"]
    found = result(report, "dongying-2017.art4.branch-sign")
    assert found["status"] == status
    if reason:
        assert found["reason"]["code"] == reason
        assert found["reason"]["params"] == {"date": "2022-12-22"}
        assert code == 2 and report["halls"][0]["nothing_checked"]  # its only rule could not apply
    else:
        assert code == 1


# ------------------------------------------------------------------ schemas

class _NoDates(yaml.SafeLoader):
    """Reads dates as the strings the JSON Schemas describe."""


_NoDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _schema(capsys, name: str) -> dict:
    code, out, err = run(capsys, "schema", name)
    assert code == 0, err
    document = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


def test_hall_schema_is_valid_and_accepts_a_valid_hall(capsys):
    validator = jsonschema.Draft202012Validator(_schema(capsys, "hall"), format_checker=jsonschema.FormatChecker())
    for text in (FAILING, PASSING, BASE.replace("level: city", "level: 市级").replace("kind: civic_centre", "kind: 市民之家")):
        hall = yaml.load(text, Loader=_NoDates)
        assert [e.message for e in validator.iter_errors(hall)] == []
    assert not validator.is_valid(yaml.load(BROKEN, Loader=_NoDates))
    assert not validator.is_valid(yaml.load(FAILING.replace("2019-03-01", "2023-02-30"), Loader=_NoDates))


def test_rule_schema_is_valid_and_accepts_the_bundled_rule(capsys):
    validator = jsonschema.Draft202012Validator(_schema(capsys, "rule"))
    rule = yaml.load((bundled("rules") / "kaifeng-2014" / "art28-two-year-stationing.yaml").read_text(encoding="utf-8"),
                     Loader=_NoDates)
    assert [e.message for e in validator.iter_errors(rule)] == []
    del rule["quote"]
    assert not validator.is_valid(rule)


def test_regulation_schema_is_valid_and_accepts_the_register(capsys):
    validator = jsonschema.Draft202012Validator(_schema(capsys, "regulation"), format_checker=jsonschema.FormatChecker())
    for regulation_id in sorted(REGULATION_IDS):
        text = (bundled("regulations") / f"{regulation_id}.yaml").read_text(encoding="utf-8")
        document = yaml.load(text, Loader=_NoDates)
        assert [e.message for e in validator.iter_errors(document)] == [], regulation_id


def test_report_schema_command(capsys):
    schema = _report_schema(capsys)
    assert schema["properties"]["format"] == {"const": "hallcheck-report"}


# ------------------------------------------------------------------ regulations and rules

def test_regulations_list_shows_the_five_ids(capsys):
    code, out, err = run(capsys, "regulations", "list")
    assert code == 0
    first_cells = {line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")}
    assert first_cells - {""} == REGULATION_IDS


def test_regulations_show_prints_the_clause(capsys):
    code, out, err = run(capsys, "regulations", "show", "kaifeng-2014", "art28")
    assert code == 0
    assert "第二十八条" in out
    assert "进驻人员在服务窗口的工作时间不得少于两年" in out


def test_regulations_show_unknown_id_exits_2(capsys):
    code, out, err = run(capsys, "regulations", "show", "kaifeng-2099", "--lang", "en")
    assert code == 2
    assert "kaifeng-2099" in err and "no regulation" in err


def test_regulations_show_unknown_clause_exits_2(capsys):
    code, out, err = run(capsys, "regulations", "show", "kaifeng-2014", "art999", "--lang", "en")
    assert code == 2
    assert "art999" in err


def test_rules_list(capsys):
    code, out, err = run(capsys, "rules", "list", "--lang", "en")
    assert code == 0, err
    row = next((line for line in out.splitlines() if ART28 in line), None)
    assert row is not None, out
    assert "art28" in row and "major" in row


def test_the_lists_speak_chinese_in_chinese(capsys):
    code, out, _ = run(capsys, "rules", "list", "--lang", "zh")
    header = next(line for line in out.splitlines() if line.startswith("┃"))
    assert ("编号" in header, "severity" in header) == (True, False)
    assert "major" not in next(line for line in out.splitlines() if ART28 in line)
    code, out, _ = run(capsys, "regulations", "list", "--lang", "zh")
    header = next(line for line in out.splitlines() if line.startswith("┃"))
    assert ("施行日期" in header, "in force" in header) == (True, False)


def test_version(capsys):
    code, out, err = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"hallcheck {checker.__version__}"
    assert checker.__version__.count(".") >= 1


# ------------------------------------------------------------------ language

@pytest.mark.parametrize("lang, summary, title, message", [
    ("zh", "1 个大厅：不符合 1，通过 0", "进驻人员在窗口工作不少于两年",
     "S01 王芳 在窗口工作 1.92 年即离开（2019-03-01 至 2021-01-31），应不少于 2 年"),
    ("en", "1 hall(s): fail 1, pass 0", "Stationed staff serve at least two years at the window",
     "S01 王芳 left after 1.92 years at the window (2019-03-01 to 2021-01-31); expected at least 2"),
], ids=["zh", "en"])
def test_lang_option(lang, summary, title, message, capsys, work, art28_only):
    write(work, "hall.yaml", FAILING)
    code, out, err = run(capsys, "check", "hall.yaml", "--rules", art28_only, "--lang", lang)
    assert code == 1
    assert summary in out
    code, report, err = run_json(capsys, "check", "hall.yaml", "--rules", art28_only, "--lang", lang)
    assert report["lang"] == lang
    art28 = result(report, ART28)
    assert art28["title"] == title
    assert art28["findings"][0]["message"] == message


@pytest.mark.parametrize("env, summary", [
    ({"HALLCHECK_LANG": "zh", "LANG": "en_US.UTF-8"}, "1 个大厅"),
    ({"HALLCHECK_LANG": "en", "LANG": "zh_CN.UTF-8"}, "1 hall(s)"),
    ({"LANG": "zh_CN.UTF-8"}, "1 个大厅"),
    ({"LANG": "en_US.UTF-8"}, "1 hall(s)"),
])
def test_default_language_from_the_environment(env, summary, capsys, work, art28_only, monkeypatch):
    for var in ("HALLCHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    write(work, "hall.yaml", FAILING)
    code, out, err = run(capsys, "check", "hall.yaml", "--rules", art28_only)
    assert code == 1
    assert summary in out
    other = "1 hall(s)" if summary == "1 个大厅" else "1 个大厅"
    assert other not in out


def test_lang_env_applies_to_located_messages(capsys, work, monkeypatch):
    monkeypatch.setenv("HALLCHECK_LANG", "zh")
    write(work, "hall.yaml", FAILING)
    code, out, err = run(capsys, "check", "hall.yaml", "--as-of", "2024-13-01")
    assert code == 2
    assert "不是有效日期" in err


def test_output_dash_is_standard_output_in_every_command(capsys, tmp_path, monkeypatch):
    hall = tmp_path / "hall.yaml"
    hall.write_text(FAILING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", hall, "--format", "json", "--lang", "en", "-o", "-")
    assert code == 1 and json.loads(out)["summary"]["fail"] >= 1 and "wrote" not in err
    code, out, _ = run(capsys, "rules", "test", "--lang", "en", "-o", "-", "--format", "junit",
                       str(Path(__file__).parent.parent / "rules" / "kaifeng-2014" / "art28-two-year-stationing.yaml"))
    assert code == 0 and out.startswith("<?xml")
    assert not (tmp_path / "-").exists()
