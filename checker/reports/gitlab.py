"""GitLab Code Quality JSON: the findings GitLab shows on a merge request and in the pipeline's
Code Quality tab (`artifacts: reports: codequality:`).

A JSON array of issues, each `{description, check_name, fingerprint, severity, location: {path,
lines: {begin}}}`:

- one issue per failing finding, at the hall file's line; check_name is the rule id; severity
  as the rule's (critical, major, minor, info are GitLab's words too);
- one issue per problem of an unusable hall file (severity blocker: the hall was not audited),
  and one for a hall where nothing was checked;
- one `info` issue per notice about the audit (the hall file chose its own audit date, its data
  is old): the reviewer should know, nothing in the hall is wrong;
- waived findings, unknown, pass and not applicable give none: Code Quality lists what to fix.

The fingerprint is stable across edits that move a finding (hall file, rule, entity), so GitLab
tells new issues from old ones as the baseline does. Paths are as hallcheck shows them, relative
to where it ran: run it from the repository's root.
"""

from __future__ import annotations

import hashlib
import json

from .messages import render as render_message
from .report import entity_prefix, finding_message

SEVERITY = {"critical": "critical", "major": "major", "minor": "minor", "info": "info"}


def render(reports, lang: str, fail_on: str, register: dict, run=None) -> str:
    issues = []
    for report in reports:
        for problem in report.problems:
            issues.append(_issue(_problem_text(problem, lang), problem.code, "blocker", problem.location.file,
                                 problem.location.line, (report.file, problem.code, problem.location.path)))
        for notice in report.notices:  # who chose the audit date, how old the data is
            issues.append(_issue(render_message(notice.code, notice.params, lang), notice.code, "info",
                                 notice.location.file or report.file, notice.location.line, (report.file, notice.code)))
        if report.checked_nothing:
            issues.append(_issue(render_message("audit.nothing_checked", {}, lang), "audit.nothing_checked", "blocker",
                                 report.file, None, (report.file, "audit.nothing_checked")))
        for result in report.results:
            if result.status != "fail":
                continue
            for finding in result.findings:
                issues.append(_issue(entity_prefix(finding, lang) + finding_message(result, finding, lang), result.rule.id,
                                     SEVERITY[result.rule.severity], finding.location.file or report.file,
                                     finding.location.line, (report.file, result.rule.id, finding.entity)))
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _issue(description: str, check: str, severity: str, path: str, line: int | None, identity: tuple) -> dict:
    return {
        "type": "issue",
        "description": description,
        "check_name": check,
        "fingerprint": hashlib.sha256("\0".join(map(str, identity)).encode("utf-8")).hexdigest()[:32],
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line or 1}},
    }


def _problem_text(problem, lang: str) -> str:
    text = render_message(problem.code, problem.params, lang)
    return f"{problem.location.path}: {text}" if problem.location.path else text
