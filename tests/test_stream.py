"""Reports written as the audits finish: `--format jsonl` (a hall a line) and the text report,
and `--omit not_applicable`. What a user notices: each hall's line is there before the next hall
is audited, in input order, and the lines say what the whole JSON report says."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import cli
from checker.audit import batch
from run_helpers import FAIL, PASS, setup

ROOT = Path(__file__).resolve().parents[1]
VILLAGE = ROOT / "samples" / "jining-xizhuang-village-station-noncompliant.yaml"

WRITTEN_BEFORE_C: list[str] = []


def look_before_c(path: str) -> None:
    """Before hall c is audited: what the report has written so far (the test's captured stdout)."""
    if path.endswith("c.yaml"):
        WRITTEN_BEFORE_C.append(sys.stdout.getvalue())


def lines_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def three(tmp_path):
    return setup(tmp_path, {"a": [FAIL], "b": [PASS], "c": [PASS, FAIL]})


@pytest.mark.parametrize("format", ["jsonl", "text"])
def test_each_hall_is_written_before_the_next_is_audited(tmp_path, capsys, monkeypatch, format):
    WRITTEN_BEFORE_C.clear()
    monkeypatch.setattr(batch, "before_audit", look_before_c)
    root = three(tmp_path)
    code = cli.main(["check", str(root / "halls"), "--rules", str(root / "rules"), "--engine", "python",
                     "--lang", "en", "--format", format])
    out = capsys.readouterr().out
    assert code == 1
    [before] = WRITTEN_BEFORE_C
    assert "a.yaml" in before and "b.yaml" in before and "c.yaml" not in before
    assert "c.yaml" in out


def test_jsonl_says_what_the_json_report_says_a_hall_a_line(tmp_path, capsys):
    root = three(tmp_path)
    common = ["check", str(root / "halls"), "--rules", str(root / "rules"), "--lang", "en", "--jobs", "2"]
    code = cli.main([*common, "--format", "json"])
    whole = json.loads(capsys.readouterr().out)
    assert cli.main([*common, "--format", "jsonl"]) == code == 1
    head, *halls, end = lines_of(capsys.readouterr().out)
    assert head["record"] == "report" and head["format"] == "hallcheck-report-lines" and head["lang"] == "en"
    assert [h.pop("record") for h in halls] == ["hall"] * 3
    assert halls == whole["halls"]  # the same halls, in input order
    assert [Path(h["file"]).name for h in halls] == ["a.yaml", "b.yaml", "c.yaml"]
    assert end["record"] == "end"
    assert end["summary"] == whole["summary"] and end["exit_code"] == 1


def test_omit_not_applicable_leaves_them_out_but_counts_them(tmp_path, capsys):
    out = tmp_path / "village.jsonl"
    code = cli.main(["check", str(VILLAGE), "--lang", "en", "--format", "jsonl", "--omit", "not_applicable",
                     "-o", str(out)])
    assert code == 1
    assert "wrote" in capsys.readouterr().err
    _, hall, end = lines_of(out.read_text(encoding="utf-8"))
    statuses = {r["status"] for r in hall["results"]}
    assert "not_applicable" not in statuses and "fail" in statuses
    assert hall["summary"]["not_applicable"] > 200 and end["summary"]["not_applicable"] == hall["summary"]["not_applicable"]
    cli.main(["check", str(VILLAGE), "--lang", "en", "--format", "jsonl"])
    _, full, _ = lines_of(capsys.readouterr().out)
    assert len(full["results"]) == len(hall["results"]) + hall["summary"]["not_applicable"]


def test_a_text_report_file_is_the_terminal_report_without_colour(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    root = three(tmp_path)
    common = ["check", str(root / "halls"), "--rules", str(root / "rules"), "--lang", "en", "--engine", "python"]
    cli.main(common)
    printed = capsys.readouterr().out
    cli.main([*common, "-o", str(tmp_path / "report.txt")])
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == printed
    assert "\x1b[" not in printed
