"""CSV, for spreadsheets: one row per rule and hall.

Columns (the header row is always these English keys, whatever --lang, so scripts can rely on
them; the reason and message are in --lang): file, hall, rule, regulation, clause, severity,
status, reason, findings, first_line, first_message.

- The text starts with a UTF-8 byte order mark: Excel reads a CSV without one in the local
  code page and garbles the Chinese; with it, Excel, LibreOffice and Python's "utf-8-sig"
  read it right.
- Rows end in "\\n" (written through the platform's text mode, as every hallcheck report is).
- An unusable hall file gives one row per problem: rule empty, status "error", reason the
  problem, first_line its line.
- Control characters in a text cell (a lone carriage return, an escape) are written as their
  escapes (`\\x0d`), so no cell can split a row.
- A hall whose own `as_of` chose the audit date, or whose data is old, has a row with status
  "notice" (rule empty) saying so, before its rules.
- A text cell that a spreadsheet would run as a formula (starting with = + - @ or a tab or
  carriage return) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io

from .messages import render as render_message
from .terminal import visible
from .report import finding_message, reason_text

BOM = "\ufeff"
COLUMNS = ("file", "hall", "rule", "regulation", "clause", "severity", "status", "reason",
           "findings", "first_line", "first_message")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        # a control character (a lone CR) would end the row unquoted and start the next one with
        # whatever follows, a formula too: shown as its escape instead
        value = visible(value)
        if value.startswith(_FORMULA):
            return "'" + value
    return value


def render(reports, lang: str, fail_on: str, register: dict, run=None) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for report in reports:
        for problem in report.problems:
            loc = problem.location
            message = render_message(problem.code, problem.params, lang)
            reason = f"{loc.path}: {message}" if loc.path else message
            writer.writerow([_cell(v) for v in (report.file, report.hall, "", "", "", "", "error", reason,
                                                0, loc.line, reason)])
        for notice in report.notices:  # who chose the audit date, how old the data is
            writer.writerow([_cell(v) for v in (report.file, report.hall, "", "", "", "", "notice",
                                                render_message(notice.code, notice.params, lang), 0, None, None)])
        if report.checked_nothing:
            reason = render_message("audit.nothing_checked", {}, lang)
            writer.writerow([_cell(v) for v in (report.file, report.hall, "", "", "", "", "error", reason, 0, None, reason)])
        for result in report.results:
            rule = result.rule
            first = result.findings[0] if result.findings else None
            writer.writerow([_cell(v) for v in (
                report.file, report.hall, rule.id, rule.regulation, rule.clause, rule.severity, result.status,
                reason_text(result, lang), len(result.findings), _where(first.location) if first else None,
                finding_message(result, first, lang) if first else None)])
    return BOM + stream.getvalue()


def _where(location):
    """The first finding's line, or for one on an imported row its cell (FILE!SHEET!C12)."""
    return str(location) if location.sheet is not None else location.line
