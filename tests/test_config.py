"""The configuration file (.hallcheck.yaml, [tool.hallcheck]), `hallcheck config`, and which
files `hallcheck check DIR` picks (*.hall.yaml first, `ignore`)."""

from __future__ import annotations

import json
import textwrap

import pytest

import cli
from run_helpers import FAIL, PASS, RULE_ID, hall_text, setup


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository of halls with our one rule: halls/bad.yaml fails it, halls/good.yaml passes;
    the tests run from halls/, below the configuration file."""
    setup(tmp_path, {"bad": [FAIL], "good": [PASS]})
    monkeypatch.delenv("HALLCHECK_LANG", raising=False)
    monkeypatch.delenv("HALLCHECK_CALENDAR", raising=False)
    monkeypatch.chdir(tmp_path / "halls")
    return tmp_path


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_configuration_found_above_the_working_directory_sets_every_option(repo, capsys):
    write(repo / ".hallcheck.yaml", """\
        rules: rules            # relative to this file, not to where hallcheck runs
        lang: en
        fail-on: never
        format: json
        engine: python
        """)
    code, out, _ = check(capsys, ".")
    report = json.loads(out)  # format: json
    assert code == 0  # fail-on: never, although bad.yaml fails
    assert report["fail_on"] == "never" and report["lang"] == "en"
    assert [r["rule"] for r in report["halls"][0]["results"]] == [RULE_ID]  # only the configured rules
    assert {h["file"]: h["results"][0]["status"] for h in report["halls"]} == {"bad.yaml": "fail", "good.yaml": "pass"}


def test_the_command_line_overrides_the_configuration(repo, capsys):
    write(repo / ".hallcheck.yaml", "rules: rules\nfail-on: never\nformat: json\nengine: python\n")
    code, out, _ = check(capsys, ".", "--fail-on", "minor", "--format", "csv")
    assert code == 1
    assert out.lstrip("\ufeff").startswith("file,hall,rule")


def test_pyproject_table_is_read_and_a_pyproject_without_one_is_passed_over(repo, capsys):
    write(repo / "pyproject.toml", """\
        [project]
        name = "halls"

        [tool.hallcheck]
        rules = "rules"
        fail-on = "never"
        format = "json"
        engine = "python"
        """)
    write(repo / "halls" / "pyproject.toml", "[project]\nname = 'not-this-one'\n")
    code, out, _ = check(capsys, ".")
    assert code == 0 and json.loads(out)["fail_on"] == "never"


def test_a_yaml_configuration_with_a_bad_value_is_located_and_exit_2(repo, capsys):
    write(repo / ".hallcheck.yaml", "rules: rules\nfail-on: sometimes\nlang: en\nformats: json\n")
    code, out, err = check(capsys, ".", "--lang", "en")
    assert code == 2 and out == ""
    assert f"{repo}/.hallcheck.yaml:2:10: fail-on: unknown value 'sometimes'" in err  # above here: in full
    assert f"{repo}/.hallcheck.yaml:4:1: formats: unknown field 'formats'" in err


def test_a_pyproject_configuration_with_a_bad_value_is_located_at_its_line(repo, capsys):
    write(repo / "pyproject.toml", '[project]\nname = "halls"\n\n[tool.hallcheck]\nlang = "en"\njobs = 0\ntimeout = 100000\n')
    code, _, err = check(capsys, ".", "--lang", "en")
    assert code == 2
    assert f"{repo}/pyproject.toml:6:8: jobs: 0 is below the minimum 1" in err
    assert f"{repo}/pyproject.toml:7:11: timeout: 100000 is above the maximum 86400" in err  # --timeout's bound


def test_a_pyproject_that_is_not_toml_is_located(repo, capsys):
    write(repo / "pyproject.toml", '[tool.hallcheck]\nlang = "en\n')
    code, _, err = check(capsys, ".", "--lang", "zh")
    assert code == 2
    assert err.startswith(f"{repo}/pyproject.toml:2:") and "TOML 语法错误" in err


def test_config_prints_each_setting_and_where_it_came_from(repo, capsys, monkeypatch):
    write(repo / ".hallcheck.yaml", "rules: rules\nlang: zh\nfail-on: major\nwaivers: waivers.yaml\n")
    monkeypatch.setenv("HALLCHECK_LANG", "en")  # the environment wins over the file
    code = cli.main(["config"])
    out = capsys.readouterr().out
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:]}
    assert out.splitlines()[0] == f"configuration file: {repo}/.hallcheck.yaml"
    assert rows["fail-on"] == ["major", f"{repo}/.hallcheck.yaml:3:1"]
    assert rows["lang"] == ["en", "HALLCHECK_LANG"]
    assert rows["rules"] == [f"{repo}/rules", f"{repo}/.hallcheck.yaml:1:1"]
    assert rows["waivers"] == [f"{repo}/waivers.yaml", f"{repo}/.hallcheck.yaml:4:1"]
    assert rows["jobs"] == ["1", "default"]


def test_config_without_a_file_says_so_in_chinese(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["config", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("没有配置文件")
    assert "默认值" in out and "--lang" in out


def test_a_configured_calendar_notice_is_read_and_located(repo, capsys):
    write(repo / "notices" / "2025.yaml", "year: 2025\ndocument: 国办发明电〔2024〕N号\nholidays: []\nworking_days: [2025-01-02]\n")
    write(repo / ".hallcheck.yaml", "rules: rules\ncalendar: notices/2025.yaml\nlang: en\n")
    code, _, err = check(capsys, ".")
    assert code == 2  # 2025-01-02 is a Thursday: no weekend day made a working day
    assert err.startswith(f"{repo}/notices/2025.yaml:4:")
    code = cli.main(["config"])
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("calendar"))
    assert row.split() == ["calendar", f"{repo}/notices/2025.yaml", f"{repo}/.hallcheck.yaml:2:1"]


def test_hall_yaml_files_are_preferred_below_a_directory(repo, capsys):
    write(repo / "halls" / "ci.yaml", "stages: [test]\n")  # not a hall: ignored once halls are named so
    (repo / "halls" / "bad.yaml").rename(repo / "halls" / "bad.hall.yaml")
    code, out, _ = check(capsys, ".", "--rules", "../rules", "--format", "json", "--engine", "python")
    assert code == 1
    assert [h["file"] for h in json.loads(out)["halls"]] == ["bad.hall.yaml"]


def test_without_hall_yaml_files_every_yaml_file_is_read(repo, capsys):
    write(repo / "halls" / "ci.yaml", "stages: [test]\n")
    code, out, _ = check(capsys, ".", "--rules", "../rules", "--format", "json", "--engine", "python")
    assert code == 2  # ci.yaml is read as a hall and is unusable
    assert [h["file"] for h in json.loads(out)["halls"]] == ["bad.yaml", "ci.yaml", "good.yaml"]


def test_ignored_paths_are_left_out_of_a_directory_but_not_out_of_named_files(repo, capsys):
    write(repo / "halls" / "drafts" / "new.yaml", hall_text("draft", [FAIL]))
    write(repo / "halls" / "ci.yaml", "stages: [test]\n")
    write(repo / ".hallcheck.yaml", "rules: rules\nengine: python\nformat: json\nignore: [drafts, halls/ci.yaml]\n")
    code, out, _ = check(capsys, ".")
    assert [h["file"] for h in json.loads(out)["halls"]] == ["bad.yaml", "good.yaml"]
    code, out, _ = check(capsys, "drafts/new.yaml")
    assert [h["file"] for h in json.loads(out)["halls"]] == ["drafts/new.yaml"]


def test_the_config_schema_is_printed(capsys):
    assert cli.main(["schema", "config"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"rules", "lang", "fail-on", "waivers", "baseline", "calendar", "format", "ignore"} <= set(schema["properties"])


def test_explain_rules_list_and_completion_use_the_configured_rule_pack(repo, capsys, monkeypatch):
    write(repo / "rules" / "extra.yaml", (repo / "rules" / "two-year.yaml").read_text(encoding="utf-8")
          .replace("two-year-stationing", "local-extra"))
    write(repo / ".hallcheck.yaml", "rules: rules\nlang: en\n")
    assert cli.main(["explain", "kaifeng-2014.art28.local-extra"]) == 0  # not a bundled rule
    assert "kaifeng-2014.art28.local-extra" in capsys.readouterr().out
    assert cli.main(["rules", "list"]) == 0
    assert "local-extra" in capsys.readouterr().out
    from checker.completion import rule_ids
    assert [rule for rule, _ in rule_ids("kaifeng-2014.art28.")] == [
        "kaifeng-2014.art28.local-extra", "kaifeng-2014.art28.two-year-stationing"]


def test_the_configuration_bounds_jobs_and_timeout_as_the_options_do():
    from checker.input.schema import named_schema
    properties = named_schema("config")["properties"]
    assert (properties["jobs"]["maximum"], properties["timeout"]["maximum"]) == (cli.MAX_JOBS, cli.MAX_TIMEOUT)
