"""Stage 5, report: HallReports -> text for a terminal, or JSON for machines.

The JSON format is versioned and has a schema (`hallcheck schema report`). Output is a pure
function of the audits: no timestamps, stable order, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__
from .messages import SEVERITY, STATUS, expectation, pick, problem_line, render, show
from .results import STATUSES, Finding, HallReport, RuleResult

REPORT_VERSION = 1
FAIL_ON = ("critical", "major", "minor", "info", "never")
_PLACEHOLDER = re.compile(r"{([a-z_][a-z0-9_.]*)}")
_STYLE = {"pass": "green", "fail": "bold red", "unknown": "yellow", "error": "bold magenta",
          "waived": "cyan", "not_applicable": "dim"}


def exit_code(reports: list[HallReport], fail_on: str) -> int:
    if any(report.problems for report in reports):
        return 2
    if fail_on == "never":
        return 0
    limit = FAIL_ON.index(fail_on)
    failed = any(result.status == "fail" and result.rule.severity_rank() <= limit
                 for report in reports for result in report.results)
    return 1 if failed else 0


def finding_message(result: RuleResult, finding: Finding, lang: str) -> str:
    primary = finding.primary
    values = {key: show(value, lang) for key, value in finding.placeholders.items()}
    values["entity"] = finding.label
    values["actual"] = show(primary.actual, lang) if primary else "—"
    values["expected"] = expectation(primary.op, primary.expected, lang) if primary else "—"
    template = pick(result.rule.message, lang)
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), "—"), template)


def reason_text(result: RuleResult, lang: str) -> str:
    return render(result.reason, result.params, lang) if result.reason else ""


# ------------------------------------------------------------------ JSON

def to_json(reports: list[HallReport], lang: str, fail_on: str) -> str:
    document = {
        "format": "hallcheck-report",
        "version": REPORT_VERSION,
        "tool": {"name": "hallcheck", "version": __version__},
        "lang": lang,
        "fail_on": fail_on,
        "exit_code": exit_code(reports, fail_on),
        "summary": _summary(reports),
        "halls": [_hall_json(report, lang) for report in reports],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _summary(reports: list[HallReport]) -> dict:
    counts = Counter()
    for report in reports:
        counts.update(report.counts())
    return {"halls": len(reports), "unusable": sum(bool(r.problems) for r in reports),
            **{status: counts.get(status, 0) for status in STATUSES}}


def _hall_json(report: HallReport, lang: str) -> dict:
    return {
        "file": report.file,
        "hall": report.hall,
        "level": report.level,
        "kind": report.kind,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "as_of_source": report.as_of_source,
        "engine": report.engine,
        "problems": [_problem_json(p, lang) for p in report.problems],
        "summary": report.counts(),
        "results": [_result_json(result, lang) for result in report.results],
    }


def _problem_json(problem, lang: str) -> dict:
    loc = problem.location
    return {"file": loc.file, "line": loc.line, "column": loc.column, "path": loc.path,
            "code": problem.code, "message": render(problem.code, problem.params, lang)}


def _result_json(result: RuleResult, lang: str) -> dict:
    rule = result.rule
    return {
        "rule": rule.id,
        "regulation": rule.regulation,
        "clause": rule.clause,
        "severity": rule.severity,
        "status": result.status,
        "title": pick(rule.title, lang),
        "reason": {"code": result.reason, "message": reason_text(result, lang),
                   "params": _jsonable(result.params)} if result.reason else None,
        "checked": result.checked,
        "findings": [_finding_json(result, f, lang) for f in result.findings],
    }


def _finding_json(result: RuleResult, finding: Finding, lang: str) -> dict:
    loc = finding.location
    return {
        "entity": finding.entity,
        "label": finding.label,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "message": finding_message(result, finding, lang),
        "evidence": [{"subject": e.subject, "actual": _jsonable(e.actual), "operator": e.op,
                      "expected": _jsonable(e.expected), "holds": e.held} for e in finding.evidence],
    }


def _jsonable(value):
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# ------------------------------------------------------------------ text

def print_text(reports: list[HallReport], lang: str, fail_on: str, console: Console, verbose: bool = False) -> None:
    for report in reports:
        _print_hall(report, lang, console, verbose)
    summary = _summary(reports)
    words = [f"{pick(STATUS[s], lang)} {summary[s]}" for s in STATUSES if summary[s] or s in ("pass", "fail")]
    halls = f"{summary['halls']} 个大厅" if lang == "zh" else f"{summary['halls']} hall(s)"
    if summary["unusable"]:
        halls += f"（{summary['unusable']} 个无法读取）" if lang == "zh" else f" ({summary['unusable']} unusable)"
    console.print(Text(f"{halls}: " + ", ".join(words), style="bold"))


def _print_hall(report: HallReport, lang: str, console: Console, verbose: bool) -> None:
    if report.problems:
        head = "无法审核" if lang == "zh" else "cannot audit"
        console.print(Text(f"✗ {report.file}: {head}", style="bold red"))
        for problem in report.problems:
            console.print(Text("  " + problem_line(problem, lang)), soft_wrap=True)
        return
    as_of = "审核日" if lang == "zh" else "as of"
    console.print(Text(f"{report.hall}  ({report.file}; {report.level}/{report.kind}; {as_of} {report.as_of})",
                       style="bold"))
    by_regulation: dict[str, list[RuleResult]] = {}
    for result in report.results:
        by_regulation.setdefault(result.rule.regulation, []).append(result)
    for regulation, results in by_regulation.items():
        shown = [r for r in results if verbose or r.status != "not_applicable"]
        hidden = [r for r in results if r not in shown]
        if not shown:
            reasons = sorted({reason_text(r, lang) for r in hidden})
            label = "条规则不适用" if lang == "zh" else "rule(s) not applicable"
            console.print(Text(f"  {regulation}: {len(hidden)} {label}: {'; '.join(reasons)}", style="dim"))
            continue
        table = Table(title=regulation, title_justify="left", show_lines=False, expand=False)
        for column in (("状态", "status"), ("级别", "severity"), ("规则", "rule"), ("条款", "clause"), ("说明", "detail")):
            table.add_column(pick(column, lang), overflow="fold")
        for result in shown:
            table.add_row(Text(pick(STATUS[result.status], lang), style=_STYLE[result.status]),
                          pick(SEVERITY[result.rule.severity], lang), result.rule.id, result.rule.clause,
                          _detail(result, lang))
        console.print(table)
        if hidden:
            label = "条规则不适用（--verbose 显示）" if lang == "zh" else "more not applicable (--verbose shows them)"
            console.print(Text(f"  {len(hidden)} {label}", style="dim"))


def _detail(result: RuleResult, lang: str) -> Text:
    text = Text(pick(result.rule.title, lang))
    if result.reason:
        text.append("\n" + reason_text(result, lang), style="yellow")
    for finding in result.findings:
        text.append(f"\n{finding.location.file}:{finding.location.line}", style="cyan")
        text.append(f" {finding.entity}: {finding_message(result, finding, lang)}")
    return text
