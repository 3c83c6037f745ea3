"""Small, stable inputs for the tests of whole runs (batch, waivers, baseline): one rule of our
own (so that changes to the bundled rules or samples do not move these tests) and hall files
whose stationed staff pass or fail it as each test needs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema

import cli
from checker.input import schema as schemas

RULE_ID = "kaifeng-2014.art28.two-year-stationing"

RULE = f"""\
id: {RULE_ID}
regulation: kaifeng-2014
clause: art28
quote: 进驻人员在服务窗口的工作时间不得少于两年
title: {{zh: 进驻人员在窗口工作不少于两年, en: Stationed staff serve at least two years at the window}}
severity: major
for_each: staff
where: {{field: stationed_until, present: true}}
require:
  years_between: {{from: stationed_from, to: stationed_until}}
  at_least: 2
message:
  zh: "{{entity}} 在窗口工作 {{actual}} 年即离开"
  en: "{{entity}} left after {{actual}} years"
"""


def hall_text(name: str, spans: list[tuple[str, str]], lead: str = "") -> str:
    """A kaifeng hall whose staff[i] served from spans[i][0] to spans[i][1] (under two years fails)."""
    staff = "".join(f"  - {{id: S{i:02d}, name: 人员{i}, stationed_from: {start}, stationed_until: {end}}}\n"
                    for i, (start, end) in enumerate(spans))
    return lead + textwrap.dedent(f"""\
        hallcheck: 1
        as_of: 2024-06-30
        hall:
          name: {name}
          level: 市级
          kind: 市民之家
          jurisdiction: {{province: 河南省, city: 开封市}}
        staff:
        """) + staff


FAIL = ("2019-03-01", "2020-03-01")  # one year: fails
PASS = ("2019-03-01", "2022-03-01")  # three years: passes


def setup(tmp_path: Path, halls: dict[str, list[tuple[str, str]]]) -> Path:
    """rules/ with our one rule and halls/<name>.yaml for each hall; returns tmp_path."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "two-year.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "halls").mkdir()
    for name, spans in halls.items():
        (tmp_path / "halls" / f"{name}.yaml").write_text(hall_text(name, spans), encoding="utf-8")
    return tmp_path


def run_json(capsys, *args: str) -> tuple[int, dict, str]:
    """cli.main with --format json; (exit code, the report, stderr). The report is checked
    against the report schema."""
    code = cli.main(["check", *args, "--format", "json", "--engine", "python", "--lang", "en"])
    out, err = capsys.readouterr()
    document = json.loads(out)
    jsonschema.Draft202012Validator(schemas.named_schema("report"),
                                    format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["exit_code"] == code
    return code, document, err


def result(document: dict, hall_file_end: str, rule: str = RULE_ID) -> dict:
    hall = next(h for h in document["halls"] if h["file"].endswith(hall_file_end))
    return next(r for r in hall["results"] if r["rule"] == rule)
