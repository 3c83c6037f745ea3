"""Broken hall files: each is refused with exit code 2 and one located line on stderr.

Every fixture in tests/fixtures/bad_halls/ is the minimal kaifeng hall (rules/kaifeng-2014/_base.yaml)
with exactly the one fault its name says. The contract (README, "Exit codes"): exit 2, and every
problem printed as `FILE:LINE:COL: path: what was expected` (no `path: ` when the problem is about
the whole document). Lines and columns are 1-based and point at what is wrong.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import KAIFENG_HALL

import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad_halls"

# A message template whose placeholder was not filled, e.g. "expected {expected_en}".
UNFILLED = re.compile(r"\{[a-z_]+\}")

# a kaifeng hall that gives the rules something to decide (a bare one checks nothing: exit 2)
VALID_HALL = KAIFENG_HALL + "  working_rules: [首问负责制]\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def problem_lines(text: str, file: str) -> list[str]:
    """The located problem lines about `file` in `text` (indentation stripped)."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith(file + ":")]


def assert_located(code: int, out: str, err: str, file: str, line: int, col: int, path: str,
                   keywords: list[str]) -> str:
    """Exit 2 and exactly one located line `file:line:col: path: ...` with `keywords`, on stderr."""
    assert code == 2, f"exit code {code}, expected 2\nstdout:\n{out}\nstderr:\n{err}"
    # First where and what (wherever it was printed), so that a wrong location is reported as such
    # and not hidden behind the stream it went to.
    found = problem_lines(out + "\n" + err, file)
    assert len(found) == 1, f"expected exactly one problem line for {file}, got {found}\nstdout:\n{out}\nstderr:\n{err}"
    text = found[0]
    prefix = f"{file}:{line}:{col}: " + (f"{path}: " if path else "")
    assert text.startswith(prefix), f"expected the line to start with {prefix!r}, got {text!r}"
    message = text[len(prefix):]
    for word in keywords:
        assert word in message, f"{word!r} not in the message {message!r}"
    assert not UNFILLED.search(message), f"unfilled placeholder in {message!r}"
    # Then where it goes: diagnostics belong on stderr.
    assert text in problem_lines(err, file), (
        f"the problem line is not on stderr\nstderr:\n{err}\nstdout:\n{out}")
    return message


# name, line, column, path ("" = the whole document), key words of the English message
CASES = [
    ("yaml_syntax_error.yaml", 4, 15, "", ["YAML syntax error", "mapping values are not allowed"]),
    ("duplicate_key_top_level.yaml", 8, 1, "as_of", ["duplicate key", "'as_of'", "line 2"]),
    ("duplicate_key_in_list_item.yaml", 12, 5, "staff[0].stationed_from",
     ["duplicate key", "'stationed_from'", "line 10"]),
    ("wrong_type_floor_area_text.yaml", 8, 18, "hall.floor_area_m2", ["expected a number", "很大"]),
    ("unknown_enum_kind_typo.yaml", 6, 9, "hall.kind", ["unknown value", "分中新", "did you mean", "分中心"]),
    # The problem is the key's name, so it points at the key (column 3), not at its value.
    ("unknown_field_floor_aera.yaml", 8, 3, "hall.floor_aera",
     ["unknown field", "floor_aera", "did you mean", "floor_area_m2"]),
    # ...which matters most when the value is a block starting lines below the key.
    ("unknown_field_opening_hourz_block.yaml", 8, 3, "hall.opening_hourz",
     ["unknown field", "opening_hourz", "did you mean", "opening_hours"]),
    ("impossible_date_feb_30.yaml", 10, 21, "staff[0].stationed_from", ["2023-02-30", "not a valid date"]),
    ("date_written_as_number.yaml", 10, 21, "staff[0].stationed_from", ["expected a date", "20230105"]),
    ("empty_file.yaml", 1, 1, "", ["empty", "mapping"]),
    ("list_at_top_level.yaml", 1, 1, "", ["expected a mapping", "got a list"]),
    ("missing_hall_level.yaml", 4, 3, "hall", ["required", "'level'", "missing"]),
    ("python_object_tag.yaml", 4, 9, "hall.name", ["python/object/apply:os.system", "not allowed"]),
    ("two_documents.yaml", 9, 1, "", ["one YAML document", "has 2"]),
    # The NUL byte is the 14th character of line 5 ("  level: city\0").
    ("nul_bytes.yaml", 5, 14, "", ["binary", "NUL"]),
    ("window_staff_unknown_id.yaml", 11, 18, "windows[0].staff[1]", ["staff", "'S09'", "does not exist"]),
    ("stationed_until_before_from.yaml", 11, 22, "staff[0].stationed_until",
     ["2019-03-01", "before", "2020-03-01"]),
    ("approval_period_ends_before_start.yaml", 14, 45, "cases[0].approval_periods[1].to",
     ["2024-04-10", "before", "2024-05-06"]),
    ("format_version_2.yaml", 1, 12, "hallcheck", ["expected 1", "got 2"]),
    ("window_staff_posted_elsewhere.yaml", 9, 55, "windows[0].staff[0]", ["W01 lists staff S01", "window W02"]),
]


def test_every_fixture_has_a_case():
    """A fixture added without a case would never be run."""
    named = {case[0] for case in CASES} | {"alias_bomb.yaml", "three_schema_errors.yaml"}
    on_disk = {path.name for path in FIXTURES.glob("*.yaml")}
    assert on_disk == named


@pytest.mark.parametrize("name, line, col, path, keywords", CASES, ids=[case[0][:-5] for case in CASES])
def test_bad_hall_is_refused_with_a_located_message(name, line, col, path, keywords, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the file is then shown exactly as given
    file = str(FIXTURES / name)
    code, out, err = run(capsys, "check", file, "--lang", "en")
    assert_located(code, out, err, file, line, col, path, keywords)


def test_python_tag_is_not_executed(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", str(FIXTURES / "python_object_tag.yaml"), "--lang", "en")
    assert code == 2
    assert not (tmp_path / "hallcheck-pwned").exists()


def test_alias_bomb_is_refused_before_anything_is_expanded(capsys, monkeypatch, tmp_path):
    """Billion laughs: 9 levels of 9 aliases (9^9 values) in a few hundred bytes. It must be
    refused from the size it would expand to, without building a single value."""
    import checker.input.load

    build = checker.input.load._Builder.build

    def must_not_build(self, *args, **kwargs):
        if self.name.endswith("alias_bomb.yaml"):
            raise AssertionError("values were built from an alias bomb")
        return build(self, *args, **kwargs)

    monkeypatch.setattr(checker.input.load._Builder, "build", must_not_build)
    monkeypatch.chdir(tmp_path)
    bomb = FIXTURES / "alias_bomb.yaml"
    assert bomb.stat().st_size < 1024
    file = str(bomb)
    code, out, err = run(capsys, "check", file, "--lang", "en")
    assert code == 2, f"exit code {code}\nstdout:\n{out}\nstderr:\n{err}"
    found = problem_lines(err, file)
    assert len(found) == 1, found
    assert re.match(re.escape(file) + r":\d+:\d+: ", found[0]), found[0]
    assert "too many values" in found[0]


def test_not_utf8_is_located_at_the_first_bad_byte(capsys, monkeypatch, tmp_path):
    """A hall saved in GBK, as Chinese Windows editors do: 开 is 0xBF 0xAA, at line 4 column 9."""
    monkeypatch.chdir(tmp_path)
    hall = tmp_path / "gbk.yaml"
    hall.write_bytes(VALID_HALL.encode("gbk"))
    file = hall.name  # below the working directory: shown relative to it
    code, out, err = run(capsys, "check", file, "--lang", "en")
    assert_located(code, out, err, file, 4, 9, "", ["not valid UTF-8", "0xbf", "UTF-8"])


def test_utf8_bom_is_harmless(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    hall = tmp_path / "bom.yaml"
    hall.write_bytes(b"\xef\xbb\xbf" + VALID_HALL.encode("utf-8"))
    code, out, err = run(capsys, "check", hall.name, "--lang", "en", "--format", "json")
    assert code in (0, 1), f"exit code {code}\nstdout:\n{out}\nstderr:\n{err}"
    report = json.loads(out)
    (audited,) = report["halls"]
    assert audited["problems"] == []
    assert audited["hall"] == "开封市民之家"
    assert audited["as_of"] == "2024-06-30"
    assert audited["results"], "no rule was run"


def test_utf8_bom_does_not_shift_locations(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    hall = tmp_path / "bom.yaml"
    hall.write_bytes(b"\xef\xbb\xbf" + (VALID_HALL + "  floor_area_m2: 很大\n").encode("utf-8"))  # line 9
    file = hall.name
    code, out, err = run(capsys, "check", file, "--lang", "en")
    assert_located(code, out, err, file, 9, 18, "hall.floor_area_m2", ["expected a number", "很大"])


def test_all_problems_of_a_file_are_reported_at_once(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    file = str(FIXTURES / "three_schema_errors.yaml")
    code, out, err = run(capsys, "check", file, "--lang", "en")
    assert code == 2
    lines = problem_lines(out + "\n" + err, file)
    assert len(lines) == 3, f"expected three problem lines, got {lines}\nstdout:\n{out}\nstderr:\n{err}"
    kind, area, date = lines  # in file order
    assert kind.startswith(f"{file}:6:9: hall.kind: ") and "分中新" in kind
    assert area.startswith(f"{file}:8:18: hall.floor_area_m2: ") and "很大" in area
    assert date.startswith(f"{file}:11:21: staff[0].stationed_from: ") and "2023-02-30" in date
    assert problem_lines(err, file) == lines, f"not on stderr\nstderr:\n{err}"


ZH_CASES = [
    ("wrong_type_floor_area_text.yaml", 8, 18, "hall.floor_area_m2", ["应为数字", "实际是文字", "很大"]),
    ("unknown_enum_kind_typo.yaml", 6, 9, "hall.kind", ["未知的值", "分中新", "是否要写", "分中心"]),
]


@pytest.mark.parametrize("name, line, col, path, keywords", ZH_CASES, ids=[case[0][:-5] for case in ZH_CASES])
def test_bad_hall_message_in_chinese(name, line, col, path, keywords, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    file = str(FIXTURES / name)
    code, out, err = run(capsys, "check", file, "--lang", "zh")
    message = assert_located(code, out, err, file, line, col, path, keywords)
    assert "expected" not in message and "unknown" not in message


@pytest.mark.parametrize("text,line", [
    ("hallcheck: 1\nhall: " + "[" * 30000 + "]" * 30000 + "\n", 2),  # overflowed the C composer's stack
    ("hallcheck: 1\nhall:\n  " + "- " * 30000 + "x\n", 3),
])
def test_absurdly_deep_nesting_is_refused_before_parsing(text, line, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", str(path), "--lang", "en", "--engine", "python")
    assert code == 2
    assert f"deep.yaml:{line}:1: nested too deeply (limit 64 levels)" in err


def test_large_halls_take_the_quick_check_and_still_get_located_errors(monkeypatch, capsys, tmp_path):
    # the compiled validator only says yes or no; a no must still give jsonschema's located errors
    import checker.input.validate as validate
    monkeypatch.setattr(validate, "QUICK_CHECK_FROM_VALUES", 1)
    monkeypatch.chdir(tmp_path)  # the file is then shown exactly as given
    for name in ("unknown_enum_kind_typo.yaml", "impossible_date_feb_30.yaml", "unknown_field_floor_aera.yaml"):
        case = next(c for c in CASES if c[0] == name)
        code, out, err = run(capsys, "check", str(FIXTURES / name), "--lang", "en", "--engine", "python")
        assert_located(code, out, err, str(FIXTURES / name), *case[1:])
    good = tmp_path / "good.yaml"
    good.write_text(VALID_HALL, encoding="utf-8")
    assert run(capsys, "check", str(good), "--lang", "en", "--engine", "python")[0] in (0, 1)
    assert validate._compiled_hall_validator.cache_info().currsize == 1  # the quick check did run
