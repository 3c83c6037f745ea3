"""Tools for policy authors: rules lint, rules test, rules new, explain --hall, and rule packs.

The broken rules under fixtures/bad_rules/ are one per lint check; each test names the file,
line, column, path and words of the message it must produce. The packs under fixtures/packs/
are a city pack that extends the shipped rules and a county pack that extends the city's.
"""

from __future__ import annotations

import json
import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

import cli
from checker.authoring.lint import never_true
from checker.paths import bundled, display
from checker.ruleset.rules import load_rule

from helpers import kaifeng_rule, register

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad_rules"
PACKS = FIXTURES / "packs"
COUNTY, CITY = PACKS / "county", PACKS / "city"
PACK_HALL = PACKS / "halls" / "kaifeng.yaml"
TWO_YEARS = "kaifeng-2014.art28.two-year-stationing"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def located(text: str, file: Path, line: int, col: int, path: str) -> list[str]:
    """The lines of `text` that report a problem at FILE:LINE:COL: path:."""
    prefix = f"{display(file)}:{line}:{col}: " + (f"{path}: " if path else "")
    return [row[len(prefix):] for row in text.splitlines() if row.startswith(prefix)]


def assert_located(text: str, file: Path, line: int, col: int, path: str, words: list[str]) -> None:
    found = located(text, file, line, col, path)
    assert found, f"no problem at {display(file)}:{line}:{col}: {path}: in\n{text}"
    assert any(all(word in message for word in words) for message in found), \
        f"{words} not in the message(s) {found}"


# ------------------------------------------------------------------ rules lint: one check per fixture

# (files to lint, file the problem is in, line, column, path, words of the English message)
LINT_CASES = {
    "schema error": (["schema_error.yaml"], "schema_error.yaml", 7, 11, "severity", ["unknown value 'high'"]),
    "duplicate id": (["duplicate_id_a.yaml", "duplicate_id_b.yaml"], "duplicate_id_b.yaml", 2, 5, "id",
                     ["'kaifeng-2014.art28.duplicate' is used twice", "duplicate_id_a.yaml:2"]),
    "unknown regulation": (["unknown_regulation.yaml"], "unknown_regulation.yaml", 3, 13, "regulation",
                           ["regulation 'kaifeng-2015' is not in the register"]),
    "unknown clause": (["unknown_clause.yaml"], "unknown_clause.yaml", 4, 9, "clause",
                       ["regulation kaifeng-2014 has no clause 'art99'"]),
    "quote not in clause": (["quote_not_in_clause.yaml"], "quote_not_in_clause.yaml", 5, 8, "quote",
                            ["'工作时间不得少于三年' do not appear in clause art28"]),
    "field the hall format does not have": (["unknown_field.yaml"], "unknown_field.yaml", 10, 10, "require.field",
                                            ["no field 'stationed_untill' in staff", "did you mean: stationed_until"]),
    "placeholder the rule cannot fill": (["bad_placeholder.yaml"], "bad_placeholder.yaml", 12, 7, "message.en",
                                         ["placeholder {nickname} cannot be filled"]),
    "a date compared with a number": (["date_vs_number.yaml"], "date_vs_number.yaml", 11, 13, "require.at_least",
                                      ["cannot compare a number with a date"]),
    "a level the regulation does not govern": (["level_not_governed.yaml"], "level_not_governed.yaml", 10, 12,
                                               "applies_to.levels[0]",
                                               ["'county' is outside what the regulation governs (city)"]),
    "a when that can never hold": (["when_contradiction.yaml"], "when_contradiction.yaml", 10, 5, "applies_to.when",
                                   ["can never hold", "the rule never applies"]),
    "no examples": (["no_examples.yaml"], "no_examples.yaml", 2, 1, "id",
                    ["rule kaifeng-2014.art28.no-examples has no examples", "no_examples.test.yaml"]),
    "no fail case": (["no_fail_case.yaml"], "no_fail_case.test.yaml", 2, 3, "cases",
                     ["kaifeng-2014.art28.no-fail-case has no example case that expects fail"]),
    "an example that is not a hall": (["example_not_a_hall.yaml"], "example_not_a_hall.test.yaml", 8, 29,
                                      "cases[1].hall.hall.working_rulez",
                                      ["unknown field 'working_rulez'", "did you mean: working_rules"]),
    "examples without a rule": (["orphan.test.yaml"], "orphan.test.yaml", 1, 1, "",
                                ["no rule file beside this example file", "orphan.yaml"]),
    "days_in over a field that is not a list of periods": (
        ["days_in_not_periods.yaml"], "days_in_not_periods.yaml", 10, 39, "require.working_days_in[1]",
        ["expected a list of periods (each with from and to dates), got a date"]),
    "not YAML": (["yaml_syntax.yaml"], "yaml_syntax.yaml", 4, 7, "", ["YAML syntax error"]),
}


@pytest.mark.parametrize("case", list(LINT_CASES), ids=list(LINT_CASES))
def test_lint_locates_each_kind_of_problem(case, capsys):
    files, where, line, col, path, words = LINT_CASES[case]
    code, out, err = run(capsys, "rules", "lint", *(BAD / name for name in files), "--lang", "en")
    assert code == 2, out + err
    assert_located(out, BAD / where, line, col, path, words)


def test_lint_reports_every_broken_file_in_one_run(capsys):
    """A file that is not even YAML does not stop the files after it from being checked."""
    code, out, err = run(capsys, "rules", "lint", BAD, "--lang", "en")
    assert code == 2
    for files, where, line, col, path, words in LINT_CASES.values():
        assert_located(out, BAD / where, line, col, path, words)
    assert "problem(s) in" in out.splitlines()[-1]


def test_lint_speaks_chinese(capsys):
    code, out, err = run(capsys, "rules", "lint", BAD / "quote_not_in_clause.yaml", "--lang", "zh")
    assert code == 2
    assert_located(out, BAD / "quote_not_in_clause.yaml", 5, 8, "quote",
                   ["引文 “工作时间不得少于三年” 不在条款 art28 的原文中"])
    assert_located(out, BAD / "quote_not_in_clause.yaml", 2, 1, "id", ["没有示例"])


def test_lint_of_the_shipped_rules_finds_no_contradiction(capsys):
    """The contradiction search must not cry wolf on real rules (any, not, some, field against field)."""
    code, out, err = run(capsys, "rules", "lint", bundled("rules"), "--lang", "en")
    assert "can never hold" not in out, out
    assert "rule(s)" in out.splitlines()[-1]


@pytest.mark.parametrize("condition, impossible", [
    ("all: [{field: employment, equals: 行政编制}, {field: employment, equals: 合同制}]", True),
    ("all: [{field: employment, in: [行政编制, 事业编制]}, {field: employment, not_in: [事业编制, 行政编制]}]", True),
    ("all: [{field: stationed_until, present: true}, {field: stationed_until, present: false}]", True),
    ("all: [{field: stationed_from, more_than: 2020-01-01}, {field: stationed_from, less_than: 2020-01-02}]", True),
    ("all: [{field: hall.floor_area_m2, at_least: 100}, {field: hall.floor_area_m2, less_than: 50}]", True),
    ("all: [{field: training_passed, equals: true}, {not: {field: training_passed, equals: true}}]", True),
    ("all: [{field: stationed_from, more_than: 2020-01-01}, {field: stationed_from, less_than: 2020-01-03}]", False),
    ("all: [{field: hall.floor_area_m2, at_least: 100}, {field: hall.floor_area_m2, less_than: 101}]", False),
    ("any: [{field: stationed_until, present: false}, {field: stationed_until, more_than: {field: audit.as_of}}]", False),
    ("all: [{field: roles, contains: 首席代表}, {not: {field: roles, contains: 首席代表}}]", False),  # not searched
])
def test_never_true_proves_only_real_contradictions(condition, impossible):
    rule = kaifeng_rule(condition + "\n", for_each="staff")
    assert never_true(rule.require) is impossible


# ------------------------------------------------------------------ packs in lint

BROKEN_PACK = PACKS / "broken" / "pack.yaml"


@pytest.mark.parametrize("line, col, path, words", [
    (6, 11, "overrides[0].rule", ["no rule 'kaifeng-2014.art28.two-year-stationng'",
                                  "did you mean: kaifeng-2014.art28.two-year-stationing"]),
    (9, 17, "overrides[1].set.path", ["'require.at_most' does not exist", "it stops at require"]),
    (11, 17, "overrides[2].set.path", ["is not a literal a condition compares with"]),
    (13, 42, "overrides[3].set.value", ["three must be a number", "(2)"]),
    (14, 5, "overrides[4]", ["required field 'reason' is missing"]),
    (17, 15, "overrides[5].severity", ["vague clause may not be graded above minor"]),
])
def test_lint_locates_each_bad_override(line, col, path, words, capsys):
    code, out, err = run(capsys, "rules", "lint", BROKEN_PACK.parent, "--lang", "en")
    assert code == 2
    assert_located(out, BROKEN_PACK, line, col, path, words)


def test_a_pack_that_is_fine_lints_clean(capsys):
    code, out, err = run(capsys, "rules", "lint", COUNTY, "--lang", "en")
    assert code == 0, out + err
    assert out.startswith("no problems")


# ------------------------------------------------------------------ rules test

def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def art28_dir(tmp_path) -> Path:
    """The shipped two-year rule and its base hall, alone in a directory, with examples of our own."""
    directory = tmp_path / "kaifeng-2014"
    directory.mkdir()
    shutil.copy(bundled("rules") / "kaifeng-2014" / "art28-two-year-stationing.yaml", directory)
    shutil.copy(bundled("rules") / "kaifeng-2014" / "_base.yaml", directory)
    write(directory / "art28-two-year-stationing.test.yaml", """\
        cases:
          - name: left after exactly two years
            hall:
              staff: [{id: S01, stationed_from: 2019-03-01, stationed_until: 2021-03-01}]
            expect: pass
          - name: left after 23 months
            hall:
              staff: [{id: S01, name: 王芳, stationed_from: 2019-03-01, stationed_until: 2021-01-31}]
            expect: fail
            findings:
              - entity: staff[0]
                message: left after 1.92 years
        """)
    return directory


def test_rules_test_runs_the_extra_example_files_beside_a_rule(capsys, art28_dir):
    write(art28_dir / "art28-two-year-stationing.edge.test.yaml", """\
        cases:
          - name: still stationed is not judged
            hall:
              staff: [{id: S01, stationed_from: 2024-03-01}]
            expect: not_applicable
        """)
    code, out, err = run(capsys, "rules", "test", art28_dir, "--lang", "en")
    assert code == 0, out + err
    assert "3/3" in out  # two cases in the main file, one in the extra one


def test_rules_test_shows_a_mismatch_side_by_side_and_exits_1(capsys, art28_dir):
    write(art28_dir / "art28-two-year-stationing.wrong.test.yaml", """\
        cases:
          - name: a wrong expectation
            hall:
              staff: [{id: S01, name: 王芳, stationed_from: 2019-03-01, stationed_until: 2021-01-31}]
            expect: fail
            findings:
              - entity: staff[0]
                message: left after 3 years
              - entity: staff[1]
        """)
    code, out, err = run(capsys, "rules", "test", art28_dir, "--lang", "en")
    assert code == 1, out + err
    assert "2/3" in out and "a wrong expectation" in out
    side = out[out.index("✗ " + TWO_YEARS + " — a wrong expectation"):]
    assert "expected" in side and "actual" in side
    assert "left after 3 years" in side  # what the case expected...
    assert "left after 1.92 years at the window" in side  # ...next to what the rule said
    assert "✗ staff[1]" in side and "—" in side  # an expected finding that did not happen


def test_rules_test_junit_has_one_testcase_per_case(capsys, art28_dir, tmp_path):
    write(art28_dir / "art28-two-year-stationing.wrong.test.yaml", """\
        cases:
          - name: expects a pass that is a fail
            hall:
              staff: [{id: S01, stationed_from: 2019-03-01, stationed_until: 2020-03-01}]
            expect: pass
        """)
    report = tmp_path / "junit.xml"
    code, out, err = run(capsys, "rules", "test", art28_dir, "--format", "junit", "--output", report)
    assert code == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "0")
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == TWO_YEARS
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"left after exactly two years", "left after 23 months", "expects a pass that is a fail"}
    assert all(case.get("classname") == TWO_YEARS for case in cases.values())
    failure = cases["expects a pass that is a fail"].find("failure")
    assert failure is not None and "status: expected 'pass', got 'fail'" in failure.get("message")
    assert cases["left after 23 months"].find("failure") is None


def test_rules_test_junit_reports_missing_examples_as_errors(capsys, art28_dir):
    (art28_dir / "art28-two-year-stationing.test.yaml").unlink()
    code, out, err = run(capsys, "rules", "test", art28_dir, "--format", "junit", "--lang", "en")
    assert code == 2
    root = ET.fromstring(out)
    assert root.get("errors") == "1"
    assert "has no examples" in root.find("testsuite/testcase/error").get("message")
    assert "has no examples" in err


def test_rules_test_of_a_pack_runs_its_tests_against_the_overridden_rule(capsys):
    """county/tests/ holds cases at three years: they pass only if the pack's `set` was applied."""
    code, out, err = run(capsys, "rules", "test", COUNTY, "--format", "junit")
    assert code == 0, out + err
    root = ET.fromstring(out)
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == ["left after exactly three years", "left after two and a half years"]
    assert root.get("failures") == "0"


# ------------------------------------------------------------------ rules new

def test_rules_new_writes_a_skeleton_that_loads_once_filled(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "rules", "new", "--regulation", "kaifeng-2014", "--clause", "art28",
                         "--slug", "min-stationing", "--dir", "pack", "--lang", "en")
    assert code == 0, err
    rule_file, test_file = Path("pack/art28-min-stationing.yaml"), Path("pack/art28-min-stationing.test.yaml")
    assert rule_file.exists() and test_file.exists() and Path("pack/_base.yaml").exists()
    text = rule_file.read_text(encoding="utf-8")
    source = yaml.safe_load(text)
    assert source["id"] == "kaifeng-2014.art28.min-stationing"
    assert (source["regulation"], source["clause"]) == ("kaifeng-2014", "art28")
    assert "进驻人员在服务窗口的工作时间不得少于两年" in source["quote"]  # the clause's own words

    # as written it does not load, and lint says where the work is
    code, out, err = run(capsys, "rules", "lint", "pack", "--lang", "en")
    assert code == 2
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("  field: TODO"))
    assert_located(out, rule_file, line, 10, "require.field", ["'TODO' is not a field name"])

    # the author fills it in ...
    text = text.replace("for_each: hall", "for_each: staff\nwhere: {field: stationed_until, present: true}")
    text = text.replace("  field: TODO  # a field of the hall format (hallcheck schema hall)\n  present: true",
                        "  years_between: {from: stationed_from, to: stationed_until}\n  at_least: 2")
    text = text.replace("TODO 规则标题", "进驻不少于两年").replace("TODO the rule's title", "two years")
    text = text.replace('"{entity} TODO"', '"{entity} left after {actual} years"').replace("TODO", "done")
    rule_file.write_text(text, encoding="utf-8")
    write(test_file, """\
        cases:
          - name: two years
            hall: {staff: [{id: S01, stationed_from: 2019-03-01, stationed_until: 2021-03-01}]}
            expect: pass
          - name: 23 months
            hall: {staff: [{id: S01, stationed_from: 2019-03-01, stationed_until: 2021-01-31}]}
            expect: fail
            findings: [{entity: "staff[0]", message: left after 1.92 years}]
        """)
    # ... and it loads, lints clean and passes its examples
    assert load_rule(rule_file, register()).id == "kaifeng-2014.art28.min-stationing"
    code, out, err = run(capsys, "rules", "lint", "pack", "--lang", "en")
    assert code == 0, out
    code, out, err = run(capsys, "rules", "test", "pack", "--lang", "en")
    assert code == 0, out + err
    assert "2/2" in out


def test_rules_new_never_overwrites(capsys, tmp_path):
    args = ("rules", "new", "--regulation", "kaifeng-2014", "--clause", "art28", "--dir", tmp_path, "--lang", "en")
    assert run(capsys, *args)[0] == 0
    written = tmp_path / "art28-new-rule.yaml"
    written.write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, *args)
    assert code == 2
    assert "will not be overwritten" in err and "art28-new-rule.yaml" in err
    assert written.read_text(encoding="utf-8") == "mine"


def test_rules_new_refuses_a_clause_that_does_not_exist(capsys, tmp_path):
    code, out, err = run(capsys, "rules", "new", "--regulation", "kaifeng-2014", "--clause", "art99",
                         "--dir", tmp_path, "--lang", "en")
    assert code == 2
    assert "--clause: regulation kaifeng-2014 has no clause 'art99'" in err
    assert not list(tmp_path.iterdir())


def test_rules_new_marks_a_vague_clause(tmp_path, capsys):
    assert run(capsys, "rules", "new", "--regulation", "jining-2018", "--clause", "art7", "--slug", "area",
               "--dir", tmp_path, "--lang", "en")[0] == 0
    source = yaml.safe_load((tmp_path / "art7-area.yaml").read_text(encoding="utf-8"))
    assert source["severity"] == "minor"
    assert source["interpretation"]["vague"] == ["原则上"]


# ------------------------------------------------------------------ explain --hall

def test_explain_hall_shows_every_value_read_for_passing_entities_too(capsys):
    code, out, err = run(capsys, "explain", "--engine", "python", TWO_YEARS, "--hall", PACK_HALL, "--lang", "en")
    assert code == 0, err
    audit = out[out.index("Audit of"):]
    assert ": pass" in audit.splitlines()[0]
    s01 = audit[audit.index("staff[0] S01 王芳"):audit.index("staff[1]")]
    assert "PASS" in s01.splitlines()[0]
    assert "stationed_from = 2019-03-01" in s01 and "stationed_until = 2021-09-01" in s01
    assert "years(stationed_from → stationed_until) = 2.5  (at least 2: holds)" in s01
    s02 = audit[audit.index("staff[1] S02 李强"):]
    assert "not chosen" in s02.splitlines()[0]
    assert "stationed_until = —  (present: does not hold)" in s02


def test_explain_hall_with_a_pack_fails_and_says_why(capsys):
    code, out, err = run(capsys, "explain", "--engine", "python", TWO_YEARS, "--hall", PACK_HALL, "--rules", COUNTY, "--lang", "en")
    assert code == 0, err
    audit = out[out.index("Audit of"):]
    assert ": fail" in audit.splitlines()[0]
    assert "= 2.5  (at least 3: does not hold)" in audit
    assert f"staff[0] ({display(PACK_HALL)}:12:" in audit and "left after 2.5 years" in audit


def test_explain_hall_says_why_a_rule_does_not_apply(capsys):
    code, out, err = run(capsys, "explain", "--engine", "python", "jining-2018.art7.county-new-hall-area", "--hall", PACK_HALL,
                         "--lang", "en")
    assert code == 0, err
    audit = out[out.index("Audit of"):]
    assert "not applicable" in audit.splitlines()[0]
    assert "the regulation governs 山东省; this hall is in 河南省" in audit


def test_explain_hall_names_the_missing_fields(capsys, tmp_path):
    hall = tmp_path / "hall.yaml"
    hall.write_text(PACK_HALL.read_text(encoding="utf-8").replace(", training_passed: true", ""), encoding="utf-8")
    code, out, err = run(capsys, "explain", "--engine", "python", "kaifeng-2014.art27.training-before-post", "--hall", hall, "--lang", "en")
    assert code == 0, err
    audit = out[out.index("Audit of"):]
    assert ": unknown" in audit.splitlines()[0]
    s02 = audit[audit.index("staff[1] S02"):]
    assert "UNKNOWN" in s02.splitlines()[0]
    assert "training_passed = —" in s02 and "data missing: training_passed" in s02


def test_explain_hall_names_the_elements_a_quantifier_found(capsys, tmp_path):
    hall = tmp_path / "hall.yaml"
    hall.write_text(PACK_HALL.read_text(encoding="utf-8").split("staff:")[0] + textwrap.dedent("""\
        windows: [{id: W01, name: 综合受理窗口, type: 综合受理窗口}]
        staff:
          - {id: S01, name: 王芳, window: W01, roles: [A岗]}
          - {id: S02, name: 李强, window: W01, roles: [B岗]}
        """), encoding="utf-8")
    code, out, err = run(capsys, "explain", "--engine", "python", "kaifeng-2014.art28.ab-posts", "--hall", hall, "--lang", "en")
    assert code == 0, err
    audit = out[out.index("Audit of"):]
    assert "windows[0] W01 综合受理窗口" in audit and "PASS" in audit
    assert "some(staff) [require.all[0]] matched by: staff[0] S01 王芳" in audit
    assert "some(staff) [require.all[1]] matched by: staff[1] S02 李强" in audit


def test_explain_hall_refuses_a_bad_hall_with_a_located_message(capsys, tmp_path):
    hall = tmp_path / "hall.yaml"
    hall.write_text(PACK_HALL.read_text(encoding="utf-8").replace("kind: civic_centre", "kind: 分中新"),
                    encoding="utf-8")
    code, out, err = run(capsys, "explain", "--engine", "python", TWO_YEARS, "--hall", hall, "--lang", "en")
    assert code == 2
    assert f"{display(hall)}:8:9: hall.kind:" in err


# ------------------------------------------------------------------ packs in check

def test_check_with_a_pack_applies_its_overrides_and_the_report_says_so(capsys):
    code, out, err = run(capsys, "check", "--engine", "python", PACK_HALL, "--format", "json", "--lang", "en")
    plain = json.loads(out)
    code, out, err = run(capsys, "check", "--engine", "python", PACK_HALL, "--rules", COUNTY, "--format", "json", "--lang", "en")
    packed = json.loads(out)
    jsonschema.validate(packed, json.loads(run(capsys, "schema", "report")[1]))

    def results(report):
        return {r["rule"]: r for r in report["halls"][0]["results"]}

    before, after = results(plain), results(packed)
    # tightened threshold: 2.5 years passed two years, fails three
    assert before[TWO_YEARS]["status"] == "pass"
    assert after[TWO_YEARS]["status"] == "fail"
    assert after[TWO_YEARS]["findings"][0]["evidence"][0]["expected"] == 3
    # severities: the city's change and the county's own
    assert (before["kaifeng-2014.art28.ab-post-system"]["severity"], after["kaifeng-2014.art28.ab-post-system"]["severity"]) \
        == ("minor", "major")
    assert after["kaifeng-2014.art27.training-before-post"]["severity"] == "critical"
    # switched off: the dispatched worker fails the shipped rule, and the pack does not run it
    assert before["kaifeng-2014.art30.formal-establishment"]["status"] == "fail"
    assert "kaifeng-2014.art30.formal-establishment" not in after

    assert "rules" not in plain  # a plain run's report stays as it was
    rules = packed["rules"]
    assert (rules["pack"], rules["version"], rules["source"]) == ("kaifeng-county", "0.3.0", display(COUNTY))
    assert [link["name"] for link in rules["chain"]] == ["kaifeng-county", "kaifeng-city", "builtin"]
    assert rules["count"] == len(after)
    overrides = [(o["pack"], o["rule"], o["action"], o["path"], o["from"], o["to"]) for o in rules["overrides"]]
    assert overrides == [
        ("kaifeng-city", "kaifeng-2014.art28.ab-post-system", "severity", "severity", "minor", "major"),
        ("kaifeng-county", TWO_YEARS, "set", "require.at_least", 2, 3),
        ("kaifeng-county", "kaifeng-2014.art27.training-before-post", "severity", "severity", "major", "critical"),
        ("kaifeng-county", "kaifeng-2014.art30.formal-establishment", "disabled", None, None, None),
    ]
    disabled = rules["overrides"][3]
    assert disabled["reason"] == "编制改革过渡期内由区编办另行核查" and disabled["document"] == "区编办〔2024〕1号"


def test_check_with_a_pack_prints_one_line_about_it(capsys):
    code, out, err = run(capsys, "check", "--engine", "python", PACK_HALL, "--rules", COUNTY, "--lang", "en")
    lines = [line for line in out.splitlines() if line.startswith("rules: pack kaifeng-county 0.3.0")]
    assert len(lines) == 1, out
    assert "extends kaifeng-city 1.0.0 → builtin" in lines[0]
    assert "require.at_least 2 → 3" in lines[0] and "kaifeng-2014.art30.formal-establishment disabled" in lines[0]
    code, out, err = run(capsys, "check", "--engine", "python", PACK_HALL, "--lang", "en")
    assert "rules: pack" not in out


def test_a_set_that_breaks_the_rule_is_refused_where_it_is_written(capsys, tmp_path):
    """The changed rule is checked again: an unknown enumeration value is found, in pack.yaml."""
    write(tmp_path / "pack.yaml", """\
        name: bad-enum
        version: "1"
        extends: builtin
        overrides:
          - rule: kaifeng-2014.art30.formal-establishment
            set: {path: require.in, value: [civil_servant, 正式工]}
        """)
    code, out, err = run(capsys, "check", "--engine", "python", PACK_HALL, "--rules", tmp_path, "--lang", "en")
    assert code == 2
    assert_located(err, tmp_path / "pack.yaml", 6, 52, "overrides[0].set.value[1]", ["'正式工' is not a employment value"])


def test_packs_that_extend_each_other_are_refused(capsys, tmp_path):
    write(tmp_path / "a" / "pack.yaml", "name: a\nversion: '1'\nextends: ../b\n")
    write(tmp_path / "b" / "pack.yaml", "name: b\nversion: '1'\nextends: ../a\n")
    code, out, err = run(capsys, "check", "--engine", "python", PACK_HALL, "--rules", tmp_path / "a", "--lang", "en")
    assert code == 2
    assert "extend each other in a circle" in err


def test_the_editor_schemas_are_printed(capsys):
    for name, title in (("examples", "hallcheck rule examples"), ("pack", "hallcheck rule pack manifest (pack.yaml)")):
        code, out, err = run(capsys, "schema", name)
        assert code == 0 and json.loads(out)["title"] == title
    manifest = yaml.safe_load((COUNTY / "pack.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, json.loads(run(capsys, "schema", "pack")[1]))
