"""The rectification ledger (整改台账) as an Excel workbook: one row per failing finding with the
hall, the clause, its words, what was found and where, the severity and the remediation, then
empty columns the hall fills in — who is responsible, by when, and what was done — which is the
ledger Chinese service halls keep.

Written with openpyxl: a maintained library that writes and reads .xlsx (the tests open the
ledger back with it), so one dependency serves both; XlsxWriter only writes. Every cell taken
from a hall or a rule is stored as text, never as a formula, whatever it starts with. The
workbook is deterministic: fixed document dates and zip entry times, so the same audit gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from .messages import pick
from .report import finding_message
from .formats import citation, quoted, remediation, severity_word

COLUMNS = (  # (key, zh, en, width)
    ("number", "序号", "No.", 6),
    ("hall", "大厅", "Hall", 22),
    ("regulation", "依据（法规条款）", "Regulation and clause", 34),
    ("requirement", "规定", "Requirement", 28),
    ("words", "条款原文摘录", "Words of the clause", 34),
    ("finding", "发现的问题", "What was found", 44),
    ("where", "位置", "Where", 20),
    ("severity", "严重程度", "Severity", 9),
    ("remediation", "整改建议", "Remediation", 40),
    ("owner", "责任人", "Responsible", 12),
    ("deadline", "整改期限", "Deadline", 12),
    ("progress", "整改情况", "Progress", 20),
)
FILL_IN = ("owner", "deadline", "progress")
PROGRESS = {"zh": ("未整改", "整改中", "已整改"), "en": ("not started", "in progress", "done")}
FIXED_TIME = dt.datetime(2000, 1, 1)
# characters an .xlsx cannot hold (XML 1.0 forbids them): shown as \\xNN, never dropped
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(value) -> str:
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", "" if value is None else str(value))


def ledger_rows(reports, lang: str, register: dict) -> list[dict]:
    """One row per failing finding, most severe first within each hall."""
    rows = []
    for report in reports:
        failures = sorted((r for r in report.results if r.status == "fail"), key=lambda r: r.rule.severity_rank())
        for result in failures:
            rule = result.rule
            for finding in result.findings:
                line = _where(finding.location, lang)
                rows.append({"hall": report.hall, "regulation": citation(rule, register),
                             "requirement": pick(rule.title, lang), "words": quoted(rule),
                             "finding": finding_message(result, finding, lang), "where": line,
                             "severity": severity_word(rule.severity, lang), "remediation": remediation(rule, lang),
                             "rule": rule.id})
    for number, row in enumerate(rows, 1):
        row["number"] = number
    return rows


def render(reports, lang: str, fail_on: str, register: dict, run=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账" if lang == "zh" else "Rectification ledger"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([zh if lang == "zh" else en for _, zh, en, _ in COLUMNS])
    for column, (key, _, _, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC" if key in FILL_IN else "E7E6E6")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = width
    rows = ledger_rows(reports, lang, register)
    for index, row in enumerate(rows, 2):
        for column, (key, _, _, _) in enumerate(COLUMNS, 1):
            cell = sheet.cell(row=index, column=column)
            if key == "number":
                cell.value = row["number"]
            elif key not in FILL_IN:
                cell.value = cell_text(row[key])
                cell.data_type = "s"  # text, even when it starts with = + - @
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
    last = max(len(rows) + 1, 2)
    progress = DataValidation(type="list", formula1='"' + ",".join(PROGRESS[lang]) + '"', allow_blank=True)
    progress_column = get_column_letter(len(COLUMNS))
    progress.add(f"{progress_column}2:{progress_column}{max(last, 200)}")
    sheet.add_data_validation(progress)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    book.properties.creator = "hallcheck"
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    book.save(raw)
    return _deterministic(raw.getvalue())


def _deterministic(data: bytes) -> bytes:
    """The same workbook with fixed zip entry times and document dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _where(location, lang: str) -> str:
    """FILE line N, or the cell of an imported row (花名册.xlsx!进驻人员!D5)."""
    if location.sheet is not None:
        return str(location)
    return f"{location.file} 第 {location.line} 行" if lang == "zh" else f"{location.file} line {location.line}"
