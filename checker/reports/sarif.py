"""SARIF 2.1.0 (OASIS), for code-scanning tools such as GitHub code scanning.

One run. tool.driver.rules holds every rule that has a result, with its clause: id, name,
shortDescription (the title), fullDescription (the quoted words and the citation), help (the
remediation), properties (regulation, clause, severity, tags).

- fail: one result per finding, at the hall file's line and column; level by severity:
  critical and major -> error, minor -> warning, info -> note. With --baseline, baselineState
  says new or unchanged.
- a finding an approved waiver covers (--waivers): the same result, with a suppression of kind
  external, status accepted, the waiver's justification and its place in the waivers file.
- unknown: one result per rule, kind "review" and level "none": a person has to look, nothing
  failed. It points at the hall file as a whole (region line 1) and its message says which data
  is missing.
- error (the engine could not decide a rule): a tool execution notification naming the rule.
- an unusable hall file: one tool execution notification per problem, level error, at the
  problem's file, line and column; invocation.executionSuccessful is then false.
- pass and not_applicable give no result.

Paths are relative to the directory hallcheck ran in (uriBaseId %SRCROOT%); columns count
Unicode code points (run.columnKind).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath
from urllib.parse import quote

from .. import __version__
from .messages import pick, render as render_message
from .report import calendar_citation, exit_code, finding_message, provisional_text, reason_text
from .formats import citation, quoted, remediation, rules_of

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"critical": "error", "major": "error", "minor": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"
_BASELINE = {"new": "new", "persisting": "unchanged"}  # --baseline: the finding against the earlier report


def render(reports, lang: str, fail_on: str, register: dict, run=None) -> str:
    rules = rules_of(reports)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results, notifications = [], []
    for report in reports:
        for problem in report.problems:
            notifications.append(_problem_notification(problem, lang))
        for notice in report.notices:  # who chose the audit date, how old the data is
            notifications.append(dict(_problem_notification(notice, lang), level="warning"))
        if report.checked_nothing:
            notifications.append({"level": "error", "message": {"text": render_message("audit.nothing_checked", {}, lang)},
                                  "locations": [_location(report.file, 1, 1)],
                                  "descriptor": {"id": "audit.nothing_checked"}})
        for result in report.results:
            if result.status in ("fail", "waived"):
                results.extend(_finding_result(report, result, finding, index, lang) for finding in result.findings)
                results.extend(_waived_result(report, result, item, index, lang)
                               for item in getattr(result, "waived", ()))
            elif result.status == "unknown":
                results.append(_unknown_result(report, result, index, lang))
            elif result.status == "error":
                notifications.append(_error_notification(report, result, index, lang))
    run = {
        "tool": {"driver": {
            "name": "hallcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "language": _language(lang),
            "rules": [_rule(rule, register, lang) for rule in rules],
        }},
        "invocations": [{
            "executionSuccessful": not any(report.problems for report in reports),
            "exitCode": exit_code(reports, fail_on, run),
            "toolExecutionNotifications": notifications,
            "properties": {"fail_on": fail_on, **_calendar(reports, lang)},
        }],
        "language": _language(lang),
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _calendar(reports, lang: str) -> dict:
    """The holiday notices laid over the packaged calendar, cited once for the run."""
    cited = {}
    for report in reports:
        for item in report.calendar:
            cited.setdefault((item["year"], item["file"]), dict(item, message=calendar_citation(item, lang)))
    return {"calendar": list(cited.values())} if cited else {}


def _language(lang: str) -> str:
    return "zh-CN" if lang == "zh" else "en-US"


def _rule(rule, register: dict, lang: str) -> dict:
    descriptor = {
        "id": rule.id,
        "name": rule.id.rsplit(".", 1)[-1],
        "shortDescription": {"text": pick(rule.title, lang)},
        "fullDescription": {"text": f"{quoted(rule)} — {citation(rule, register)}"},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
    }
    if rule.remediation:
        descriptor["help"] = {"text": remediation(rule, lang)}
    properties = {"regulation": rule.regulation, "clause": rule.clause, "severity": rule.severity,
                  "tags": list(dict.fromkeys(rule.tags))}
    if rule.interpretation:
        properties["interpretation"] = pick(rule.interpretation["reading"], lang)
    descriptor["properties"] = properties
    return descriptor


def _artifact(file: str) -> dict:
    path = PurePath(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _location(file: str, line: int | None, column: int | None) -> dict:
    region = {"startLine": line or 1}
    if line and column:
        region["startColumn"] = column
    return {"physicalLocation": {"artifactLocation": _artifact(file), "region": region}}


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _finding_result(report, result, finding, index: dict, lang: str) -> dict:
    loc = finding.location
    location = _location(loc.file, loc.line, loc.column)
    if loc.sheet is not None:  # an imported row: the file opens at its row; the cell is named too
        location["message"] = {"text": str(loc)}
        location["properties"] = {"sheet": loc.sheet, "cell": loc.cell}
    location["logicalLocations"] = [{"fullyQualifiedName": finding.entity, "name": finding.label, "kind": "object"}]
    return {
        "ruleId": result.rule.id,
        "ruleIndex": index[result.rule.id],
        "kind": "fail",
        "level": LEVEL[result.rule.severity],
        "message": {"text": finding_message(result, finding, lang)},
        "locations": [location],
        "partialFingerprints": {"hallcheck/v1": _fingerprint(report.file, result.rule.id, finding.entity)},
        "properties": {"hall": report.hall, "status": "fail", "severity": result.rule.severity,
                       **({"provisional": provisional_text(result, lang)} if result.provisional else {})},
        **({"baselineState": _BASELINE[finding.baseline]} if getattr(finding, "baseline", None) in _BASELINE else {}),
    }


def _waived_result(report, result, item, index: dict, lang: str) -> dict:
    """A finding an approved waiver covers: the failure, suppressed with the waiver's justification."""
    out = _finding_result(report, result, item.finding, index, lang)
    waiver = item.waiver
    suppression = {"kind": "external", "status": "accepted",
                   "justification": f"{waiver.justification} ({waiver.approved_by}, {waiver.document}, "
                                    f"{waiver.expires.isoformat()})"}
    if waiver.location is not None:
        suppression["location"] = _location(waiver.location.file, waiver.location.line, waiver.location.column)
    out["suppressions"] = [suppression]
    out["properties"]["status"] = "waived"
    return out


def _unknown_result(report, result, index: dict, lang: str) -> dict:
    sep = "：" if lang == "zh" else ": "
    return {
        "ruleId": result.rule.id,
        "ruleIndex": index[result.rule.id],
        "kind": "review",
        "level": "none",
        "message": {"text": f"{pick(result.rule.title, lang)}{sep}{reason_text(result, lang)}"},
        "locations": [_location(report.file, None, None)],
        "partialFingerprints": {"hallcheck/v1": _fingerprint(report.file, result.rule.id, "unknown")},
        "properties": {"hall": report.hall, "status": "unknown", "severity": result.rule.severity,
                       "reason": result.reason},
    }


def _error_notification(report, result, index: dict, lang: str) -> dict:
    return {
        "level": "error",
        "message": {"text": reason_text(result, lang) or result.status},
        "locations": [_location(report.file, None, None)],
        "associatedRule": {"id": result.rule.id, "index": index[result.rule.id]},
        "properties": {"hall": report.hall, "status": "error"},
    }


def _problem_notification(problem, lang: str) -> dict:
    loc = problem.location
    text = render_message(problem.code, problem.params, lang)
    notification = {
        "level": "error",
        "message": {"text": f"{loc.path}: {text}" if loc.path else text},
        "locations": [_location(loc.file, loc.line, loc.column)],
        "descriptor": {"id": problem.code},
    }
    if loc.path:
        notification["properties"] = {"path": loc.path}
    return notification
