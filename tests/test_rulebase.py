"""The rule base as a whole: every clause accounted for, every rule's examples passing, every
sample hall giving exactly the findings it was written to show."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import yaml

import cli
from checker.authoring.coverage import coverage
from checker.paths import bundled
from checker.ruleset.regulations import normalise_quote
from checker.ruleset.rules import load_rules, rule_files
from checker.authoring.ruletest import run_examples
from checker.audit.backends.python import PythonBackend

from helpers import register

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = yaml.safe_load((ROOT / "tests" / "fixtures" / "sample_findings.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def bundled_rules():
    return tuple(load_rules(rule_files(bundled("rules")), register()))


def test_every_clause_is_encoded_or_explained():
    unaccounted = [f"{reg.regulation.id} {row.path}" for reg in coverage(register(), list(bundled_rules()))
                   for row in reg.clauses if row.status == "missing"]
    assert unaccounted == []


def test_every_not_checkable_clause_says_why_in_both_languages():
    for regulation in register().values():
        for clause in regulation.leaves():
            if clause.checkable is False:
                assert clause.reason and clause.reason.get("zh") and clause.reason.get("en"), (regulation.id, clause.path)


def test_every_quote_stands_in_the_clause_it_cites():
    # loading already refuses a misquote; this keeps the promise visible and independent of it
    for rule in bundled_rules():
        text = normalise_quote(register()[rule.regulation].full_text(rule.clause))
        for quote in rule.quote:
            assert normalise_quote(quote) in text, (rule.id, quote)


def test_coverage_command_exits_0_and_reports_every_regulation_complete(capsys):
    assert cli.main(["coverage", "--format", "json", "--lang", "en"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert {row["regulation"]: (row["missing"], row["share_encoded"]) for row in table} == {
        regulation: (0, 1.0) for regulation in register()}


@pytest.mark.parametrize("rule", bundled_rules(), ids=lambda rule: rule.id)
def test_rule_examples_pass_and_include_a_pass_and_a_fail(rule):
    outcomes = run_examples(rule, register(), PythonBackend())
    assert [o.name for o in outcomes if not o.ok] == []
    expected = {o.expected for o in outcomes}
    assert {"pass", "fail"} <= expected, expected


@functools.lru_cache(maxsize=None)
def sample_report():
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["check", "samples/", "--engine", "python", "--format", "json", "--lang", "en"])
    return code, json.loads(out.getvalue())


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_every_sample_is_pinned(in_root):
    _, report = sample_report()
    assert sorted(hall["file"] for hall in report["halls"]) == sorted(EXPECTED)


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_sample_gives_exactly_its_intended_findings(sample, in_root):
    _, report = sample_report()
    hall = next(h for h in report["halls"] if h["file"] == sample)
    found = sorted(f"{r['rule']} {f['entity']}" for r in hall["results"] if r["status"] == "fail" for f in r["findings"])
    assert found == sorted(EXPECTED[sample])
    assert hall["summary"]["unknown"] == 0 and hall["problems"] == []
    if "noncompliant" in sample:
        assert found, "a non-compliant sample must fail something"
    else:
        assert found == [], "a compliant sample must audit clean"


def test_each_rule_fires_only_within_its_own_regulations_place(in_root):
    # two-year stationing is in both 开封 and 济宁: a hall of one never gets the other's verdict
    _, report = sample_report()
    for hall in report["halls"]:
        decided = {r["regulation"] for r in hall["results"] if r["status"] != "not_applicable"}
        assert len(decided) == 1, (hall["file"], decided)
