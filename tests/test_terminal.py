"""The text report in a terminal: 80 columns readable (findings as blocks when a table cannot
fit, no word or id split), --quiet, --output saying what it wrote, NO_COLOR."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

import cli

from test_formats import at_root

NONCOMPLIANT = "samples/kaifeng-civic-centre-noncompliant.yaml"
# a word, an id or a file name's parts; numbers and dates are not words
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-.\[\]²]*[A-Za-z0-9\]²]|[A-Za-z]")


def check(capsys, *args: str) -> tuple[int, str, str]:
    with at_root():
        code = cli.main(["check", *args, "--engine", "python"])
    out, err = capsys.readouterr()
    return code, out, err


def report_json(capsys, *args: str) -> dict:
    _, out, _ = check(capsys, *args, "--format", "json")
    return json.loads(out)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_80_columns_no_line_is_wider_and_no_word_or_id_is_split(capsys, monkeypatch, lang):
    document = report_json(capsys, NONCOMPLIANT, "samples/jining-xizhuang-village-station-noncompliant.yaml",
                           "--lang", lang)
    corpus = json.dumps(document, ensure_ascii=False)
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = check(capsys, NONCOMPLIANT, "samples/jining-xizhuang-village-station-noncompliant.yaml",
                         "--lang", lang)
    assert code == 1
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    whole = set()
    for line in lines:
        whole.update(WORD.findall(line))
    # every word on screen is a whole word of the report: a split one ("stati" of "stationed") is not
    split = sorted(w for w in whole if not w.isdigit() and not re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", corpus)
                   and w not in UI_WORDS)
    assert split == [], split
    for hall in document["halls"]:
        for result in hall["results"]:
            if result["status"] == "fail":
                assert any(line.strip() == result["rule"] for line in lines), result["rule"]  # on its own line
                for finding in result["findings"]:
                    assert any(f"{finding['file']}:{finding['line']}" in line for line in lines)


# the words of the text report's own frame (headings, counts), which the JSON report does not hold
UI_WORDS = {"rule", "rules", "s", "not", "applicable", "more", "verbose", "shows", "them", "hall", "halls", "as", "of",
            "fail", "pass", "unknown", "major", "minor", "critical", "info", "item", "staff", "window", "case",
            "policy", "meeting", "assessment", "system", "report", "complaint", "department", "city", "civic_centre",
            "village", "convenience_station", "Compliance", "by", "Halls", "file", "compliance", "waived",
            "severity", "did", "apply", "or", "could", "be", "decided", "in", "any", "unusable"}


def test_a_wide_terminal_keeps_the_table(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    _, out, _ = check(capsys, NONCOMPLIANT, "--lang", "en")
    assert "┃ status" in out


def test_quiet_prints_only_the_failures_and_the_summary(capsys):
    document = report_json(capsys, NONCOMPLIANT, "--lang", "en")
    code, out, _ = check(capsys, NONCOMPLIANT, "--lang", "en", "--quiet")
    assert code == 1
    failing = {r["rule"] for r in document["halls"][0]["results"] if r["status"] == "fail"}
    passing = {r["rule"] for r in document["halls"][0]["results"] if r["status"] == "pass"}
    assert failing and passing
    assert all(rule in out for rule in failing)
    assert not any(rule in out for rule in passing)
    assert "not applicable" not in out.splitlines()[-1] or "fail" in out.splitlines()[-1]
    assert out.splitlines()[-1].startswith("1 hall(s): fail ")


@pytest.mark.parametrize("fmt", ["text", "json", "html", "xlsx"])
def test_output_says_what_it_wrote(capsys, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    code, out, err = check(capsys, NONCOMPLIANT, "--lang", "en", "--format", fmt, "-o", str(target))
    assert code == 1 and out == ""
    assert target.stat().st_size > 0
    assert err.strip() == f"wrote {target} (1 hall(s), 21 failure(s))"


def test_no_color_is_honoured(capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    _, coloured, _ = check(capsys, NONCOMPLIANT, "--lang", "en")
    assert re.search(r"\x1b\[[0-9;]*3[0-9]m", coloured)  # red and green, without NO_COLOR
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = check(capsys, NONCOMPLIANT, "--lang", "en")
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", plain)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_regulation_list_keeps_ids_and_dates_whole_at_80_columns(capsys, monkeypatch, lang):
    monkeypatch.setenv("COLUMNS", "80")
    assert cli.main(["regulations", "list", "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    first_cells = {line.split("│")[1].strip() for line in lines if line.startswith("│")} - {""}
    assert first_cells == {"dongying-2017", "jining-2018", "kaifeng-2014", "longgang-2020", "wuhai-2022"}
    assert any("2014-06-26" in line for line in lines)
