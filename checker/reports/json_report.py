"""The JSON report of a run (`--format json`) and its streamed form, a hall a line as each audit
finishes (`--format jsonl`).

The JSON format is versioned and has a schema (`hallcheck schema report`). Output is a pure
function of the audits: no timestamps, stable order, so the same input gives the same bytes.
"""

from __future__ import annotations

import json


from .. import __version__
from .messages import MAX_SHOWN_ITEMS, pick, render
from ..audit.results import Finding, HallReport, RuleResult, RunInfo

from .report import Tally, calendar_citation, finding_message, provisional_text, reason_text, scope_text, tally

REPORT_VERSION = 1


# ------------------------------------------------------------------ JSON

def to_json(reports: list[HallReport], lang: str, fail_on: str, run: RunInfo | None = None,
            omit: tuple[str, ...] = ()) -> str:
    """The JSON report; `omit`: statuses whose results are left out of each hall (still counted)."""
    run = run or RunInfo()
    counted = tally(reports)
    document = {**_head(lang, fail_on, shard=run.shard), **_totals(counted, fail_on, run),
                "halls": [_hall_json(report, lang, omit) for report in reports], **_run_json(counted, lang, run)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _head(lang: str, fail_on: str, stream: bool = False, shard: dict | None = None) -> dict:
    return {"format": "hallcheck-report-lines" if stream else "hallcheck-report", "version": REPORT_VERSION,
            "tool": {"name": "hallcheck", "version": __version__}, "lang": lang, "fail_on": fail_on,
            **({"shard": shard} if shard else {})}


def _totals(counted: Tally, fail_on: str, run: RunInfo) -> dict:
    return {"exit_code": counted.exit_code(fail_on, run), "summary": counted.summary()}


def _run_json(counted: Tally, lang: str, run: RunInfo) -> dict:
    """What the run used, present only when it used it, so that a plain run's report stays as it was."""
    out = {}
    if run.waivers_file is not None:
        out["waivers"] = {"file": run.waivers_file, "notices": [_problem_json(p, lang) for p in run.notices]}
    if run.baseline_file is not None:
        out["baseline"] = {"file": run.baseline_file, "fail_on_new": run.fail_on_new, **counted.baseline}
    if run.rules is not None:
        out["rules"] = run.rules
    return out


# ------------------------------------------------------------------ JSON lines: a hall a line, as each finishes

def jsonl_head(lang: str, fail_on: str, shard: dict | None = None) -> str:
    """The first line of a `--format jsonl` report: what it is, in which language, which shard."""
    return json.dumps({"record": "report", **_head(lang, fail_on, stream=True, shard=shard)}, ensure_ascii=False) + "\n"


def jsonl_hall(report: HallReport, lang: str, omit: tuple[str, ...] = ()) -> str:
    """One hall of a `--format jsonl` report: the JSON report's hall, on one line."""
    return json.dumps({"record": "hall", **_hall_json(report, lang, omit)}, ensure_ascii=False) + "\n"


def jsonl_end(counted: Tally, lang: str, fail_on: str, run: RunInfo | None = None) -> str:
    """The last line: the run's totals and exit code (a stream without it did not finish)."""
    run = run or RunInfo()
    return json.dumps({"record": "end", **_totals(counted, fail_on, run), **_run_json(counted, lang, run)},
                      ensure_ascii=False) + "\n"



def _hall_json(report: HallReport, lang: str, omit: tuple[str, ...] = ()) -> dict:
    return {
        "file": report.file,
        "hall": report.hall,
        "level": report.level,
        "kind": report.kind,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "as_of_source": report.as_of_source,
        "engine": report.engine,
        "problems": [_problem_json(p, lang) for p in report.problems],
        "notices": [_problem_json(p, lang) for p in report.notices],
        "summary": report.counts(),
        **({"nothing_checked": report.checked_nothing,
            "regulations": [_scope_json(scope, lang) for scope in report.scopes]} if not report.problems else {}),
        "results": [_result_json(result, lang) for result in report.results if result.status not in omit],
        **({"calendar": [dict(c, message=calendar_citation(c, lang)) for c in report.calendar]}
           if report.calendar else {}),
        **({"fixed": [{"rule": f.rule, "entity": f.entity, "label": f.label, "message": f.message}
                      for f in report.fixed]} if report.fixed is not None else {}),
    }


def _scope_json(scope, lang: str) -> dict:
    return {"regulation": scope.regulation, "status": scope.status,
            "reason": {"code": scope.reason, "message": scope_text(scope, lang), "params": _jsonable(scope.params)}}



def _problem_json(problem, lang: str) -> dict:
    loc = problem.location
    return {"file": loc.file, "line": loc.line, "column": loc.column, "path": loc.path,
            **({"sheet": loc.sheet, "cell": loc.cell} if loc.sheet is not None else {}),
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
        **({"provisional": {"years": list(result.provisional), "message": provisional_text(result, lang)}}
           if result.provisional else {}),
        "findings": [_finding_json(result, f, lang) for f in result.findings],
        **({"waived": [dict(_finding_json(result, w.finding, lang), waiver=_waiver_json(w.waiver),
                            matched_by=w.matched_by) for w in result.waived]} if result.waived else {}),
    }


def _waiver_json(waiver) -> dict:
    loc = waiver.location
    return {"rule": waiver.rule, "hall": waiver.hall, "hall_code": waiver.hall_code, "entity": waiver.entity,
            "justification": waiver.justification, "approved_by": waiver.approved_by,
            "document": waiver.document, "expires": waiver.expires.isoformat(),
            "file": loc.file, "line": loc.line, "column": loc.column}


def _finding_json(result: RuleResult, finding: Finding, lang: str) -> dict:
    loc = finding.location
    return {
        "entity": finding.entity,
        "label": finding.label,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        **({"sheet": loc.sheet, "cell": loc.cell} if loc.sheet is not None else {}),
        "message": finding_message(result, finding, lang),
        "evidence": [{"subject": e.subject, "actual": _jsonable(e.actual), "operator": e.op,
                      "expected": _jsonable(e.expected), "holds": e.held} for e in finding.evidence],
        **({"baseline": finding.baseline} if finding.baseline is not None else {}),
    }


def _jsonable(value):
    if isinstance(value, (list, tuple)):
        # a hall-wide list read for every entity would make the report quadratic: its first
        # MAX_SHOWN_ITEMS, then how many more
        shown = [_jsonable(v) for v in value[:MAX_SHOWN_ITEMS]]
        return shown + ([f"…(+{len(value) - MAX_SHOWN_ITEMS})"] if len(value) > MAX_SHOWN_ITEMS else [])
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "vocab") or hasattr(value, "half"):  # EnumValue, HalfYear
        return str(value)
    return value
