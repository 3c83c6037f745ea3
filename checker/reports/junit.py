"""JUnit XML, for CI test reports (GitLab, Jenkins, Azure DevOps, GitHub test-report actions).

One <testsuite> per hall file; one <testcase> per rule and hall: classname = the hall file,
name = the rule id.

- pass: an empty testcase.
- fail: <failure type="SEVERITY">; the message is the first finding (FILE:LINE:COL: message,
  "(+N more)" when there are more), the body every finding, the clause cited and the remediation.
  Every failed rule is a <failure>, whatever --fail-on says; --fail-on decides only the exit code,
  which the suite's properties record with it.
- unknown: <skipped message="unknown: REASON">. Undecidable is not a failure, so it does not turn
  the test report red, yet every CI report lists it as skipped with the reason, to be looked at.
- not_applicable: <skipped message="not_applicable: REASON">; waived likewise ("waived: ...").
- error (the engine could not decide a rule): <error>.
- an unusable hall file: one testcase named "hall-file" with an <error> listing every problem
  at its FILE:LINE:COL.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .messages import pick, problem_line, render as render_message
from .report import calendar_citation, exit_code, finding_message, reason_text
from .formats import citation, quoted, remediation

# characters XML 1.0 cannot carry at all, even escaped
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
UNUSABLE_CASE = "hall-file"
NOTHING_CHECKED_CASE = "nothing-checked"  # audited, yet no rule could be decided


def _x(text) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def render(reports, lang: str, fail_on: str, register: dict, run=None) -> str:
    code = exit_code(reports, fail_on, run)
    root = ET.Element("testsuites", {"name": "hallcheck"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for report in reports:
        suite = _suite(report, lang, fail_on, code, register)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(report, lang: str, fail_on: str, code: int, register: dict) -> ET.Element:
    suite = ET.Element("testsuite", {"name": _x(report.file)})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("hall", report.hall), ("level", report.level), ("kind", report.kind),
                        ("as_of", report.as_of.isoformat() if report.as_of else None),
                        ("as_of_source", report.as_of_source), ("engine", report.engine),
                        ("lang", lang), ("fail_on", fail_on), ("exit_code", code)):
        ET.SubElement(properties, "property", {"name": name, "value": _x("" if value is None else value)})
    for item in report.calendar:
        ET.SubElement(properties, "property", {"name": "calendar", "value": _x(calendar_citation(item, lang))})
    for notice in report.notices:  # who chose the audit date, how old the data is
        ET.SubElement(properties, "property", {"name": f"notice.{notice.code}",
                                               "value": _x(render_message(notice.code, notice.params, lang))})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.problems:
        case = ET.SubElement(suite, "testcase", {"classname": _x(report.file), "name": UNUSABLE_CASE})
        head = "无法审核" if lang == "zh" else "cannot audit"
        error = ET.SubElement(case, "error", {"message": _x(f"{head}: {problem_line(report.problems[0], lang)}"),
                                              "type": "unusable-input"})
        error.text = _x("\n".join(problem_line(p, lang) for p in report.problems))
        counts["tests"], counts["errors"] = 1, 1
    if report.checked_nothing:
        case = ET.SubElement(suite, "testcase", {"classname": _x(report.file), "name": NOTHING_CHECKED_CASE})
        ET.SubElement(case, "error", {"message": _x(render_message("audit.nothing_checked", {}, lang)), "type": "nothing-checked"})
        counts["tests"] += 1
        counts["errors"] += 1
    for result in report.results:
        case = ET.SubElement(suite, "testcase", {"classname": _x(report.file), "name": _x(result.rule.id)})
        counts["tests"] += 1
        if result.status == "fail":
            _failure(case, result, lang, register)
            counts["failures"] += 1
        elif result.status == "error":
            ET.SubElement(case, "error", {"message": _x(reason_text(result, lang) or "error"), "type": "engine"})
            counts["errors"] += 1
        elif result.status in ("unknown", "not_applicable", "waived"):
            skipped = ET.SubElement(case, "skipped", {"message": _x(f"{result.status}: {reason_text(result, lang)}")})
            if result.status == "waived":
                skipped.text = _x("\n".join(_waived_lines(result, lang)))
            counts["skipped"] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def _finding_line(result, finding, lang: str) -> str:
    return f"{finding.location}: {finding_message(result, finding, lang)}"


def _failure(case: ET.Element, result, lang: str, register: dict) -> None:
    rule = result.rule
    lines = [_finding_line(result, finding, lang) for finding in result.findings]
    message = lines[0] if lines else pick(rule.title, lang)
    if len(lines) > 1:
        message += f"（另有 {len(lines) - 1} 处）" if lang == "zh" else f" (+{len(lines) - 1} more)"
    failure = ET.SubElement(case, "failure", {"message": _x(message), "type": rule.severity})
    body = [pick(rule.title, lang), f"{quoted(rule)} — {citation(rule, register)}", ""] + lines
    body += _waived_lines(result, lang)
    if rule.remediation:
        body += ["", ("整改建议：" if lang == "zh" else "Remediation: ") + remediation(rule, lang)]
    failure.text = _x("\n".join(body))


def _waived_lines(result, lang: str) -> list[str]:
    """Findings an approved waiver covers: listed, not counted."""
    word = "已豁免" if lang == "zh" else "waived"
    return [f"{word}: {_finding_line(result, item.finding, lang)} — {item.waiver.justification}"
            for item in getattr(result, "waived", ())]
