"""GitHub-flavoured Markdown, for a pull-request comment.

A heading and summary line for the whole run, then per hall: a heading, a summary line of counts,
a table of the failures (rule, severity, location FILE:LINE:COL, message; one row per finding)
and collapsible <details> for the rules that are unknown, and for those that do not apply.
A comment longer than GitHub accepts (65,536 characters) drops the <details> tables, the counts
staying in each summary line; if it is still too long, it is cut at a line, saying so.
Everything taken from a hall or a rule is escaped: it cannot break the table, inject HTML,
mention a person (@name) or make a link; a cell is cut at MAX_CELL characters.
"""

from __future__ import annotations

import html
import re

from .messages import pick, problem_line, show
from .messages import render as render_message
from .report import calendar_citation, exit_code, finding_message, reason_text, shortened
from ..audit.results import EnumValue
from .terminal import visible_lines
from .formats import by_regulation, counts_text, failures_by_severity, regulation_reach, severity_word, status_word, total_counts

# GitHub refuses a comment longer than 65,536 characters
LIMIT = 65_000
_PUNCT = re.compile(r"([\\`*_\[\]{}#~|!])")
_AUTOLINK = re.compile(r"(@)(?=[A-Za-z0-9])|(:)(?=//)|(www)(?=\.)", re.IGNORECASE)
# one cell of a table: a name or a message; the whole comment has LIMIT
MAX_CELL = 500


def text(value) -> str:
    """Plain text inside Markdown: no emphasis, links, HTML, table breaks, mentions or autolinks
    from data, and no cell longer than MAX_CELL (a long name must not push every table out)."""
    value = shortened(str(value).replace("\r\n", "\n"), MAX_CELL)
    escaped = html.escape(visible_lines(value), quote=False)  # a lone CR would start a new table row
    escaped = _PUNCT.sub(r"\\\1", escaped)
    # an empty HTML comment splits the text GitHub scans for @mentions and bare links
    escaped = _AUTOLINK.sub(lambda m: m.group() + "<!-- -->", escaped)
    return escaped.replace("\n", "<br>")


def code(value) -> str:
    """`value` as a code span, unless it holds what a code span cannot."""
    value = str(value)
    if "`" in value or not value or len(value) > MAX_CELL or visible_lines(value) != value or "\n" in value:
        return text(value)
    return "`" + value.replace("|", "\\|") + "`"


def render(reports, lang: str, fail_on: str, register: dict, run=None) -> str:
    """The comment; past GitHub's comment limit, first without the <details> tables, then cut."""
    full = _document(reports, lang, fail_on, run, details=True)
    if len(full) <= LIMIT:
        return full
    lines = _document(reports, lang, fail_on, run, details=False).splitlines()
    kept, size = [], 0
    for number, line in enumerate(lines):
        if size + len(line) + 1 > LIMIT - 300:
            more = len(lines) - number
            kept += ["", f"… 另有 {more} 行未显示；完整报告请用 --format html 或 json。" if lang == "zh"
                     else f"… {more} more lines not shown; see --format html or json for the full report."]
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept) + "\n"


def _document(reports, lang: str, fail_on: str, run, details: bool) -> str:
    zh = lang == "zh"
    out = []
    code_ = exit_code(reports, fail_on, run)
    mark = {0: "✅", 1: "❌", 2: "⚠️"}.get(code_, "")
    title = "hallcheck 合规检查" if zh else "hallcheck compliance check"
    out.append(f"## {mark} {title}")
    out.append("")
    halls = f"{len(reports)} 个大厅" if zh else f"{len(reports)} hall(s)"
    unusable = sum(bool(r.problems) for r in reports)
    if unusable:
        halls += f"（{unusable} 个无法读取）" if zh else f" ({unusable} unusable)"
    line = f"**{text(halls)}**: {text(counts_text(total_counts(reports), lang))}"
    severities = [f"{severity_word(s, lang)} {n}" for s, n in failures_by_severity(reports).items() if n]
    if severities:
        line += ("；不符合项按级别：" if zh else "; failures by severity: ") + text(("、" if zh else ", ").join(severities))
    line += (f"；`--fail-on {fail_on}`，退出码 {code_}" if zh else f"; `--fail-on {fail_on}`: exit code {code_}")
    out.append(line)
    for report in reports:
        out.append("")
        out.extend(_hall(report, lang, details))
    return "\n".join(out).rstrip("\n") + "\n"


def _hall(report, lang: str, details: bool = True) -> list[str]:
    zh = lang == "zh"
    if report.problems:
        head = "无法审核" if zh else "cannot audit"
        lines = [f"### ⚠️ {text(report.file)}", "", f"**{head}**:", ""]
        lines += [f"- {text(problem_line(p, lang))}" for p in report.problems]
        return lines
    as_of = "审核日" if zh else "as of"
    lines = [f"### {text(report.hall)} — {code(report.file)}", ""]
    lines.append(f"{text(counts_text(report.counts(), lang))} · {as_of} {report.as_of} · "
                 f"{text(show(EnumValue('level', report.level), lang))} / {text(show(EnumValue('hall_kind', report.kind), lang))}")
    lines += [f"<br>{text(calendar_citation(item, lang))}" for item in report.calendar]
    if report.checked_nothing:
        lines += ["", f"**⚠️ {text(render_message('audit.nothing_checked', {}, lang))}**"]
    for notice in report.notices:  # who chose the audit date, how old the data is
        lines += ["", f"> ⚠️ **{text(render_message(notice.code, notice.params, lang))}**"]
    failures = [r for r in report.results if r.status == "fail"]
    lines.append("")
    if failures:
        header = ("规则", "级别", "位置", "说明") if zh else ("rule", "severity", "location", "message")
        lines += ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
        for result in failures:
            for finding in result.findings:
                lines.append(f"| {code(result.rule.id)} | {text(severity_word(result.rule.severity, lang))} | "
                             f"{code(str(finding.location))} | {text(finding_message(result, finding, lang))} |")
    else:
        lines.append("没有不符合项。" if zh else "No failures.")
    for status in ("error", "unknown", "waived", "not_applicable"):
        chosen = [r for r in report.results if r.status == status]
        if chosen and details:
            lines += [""] + _details(status, chosen, lang)
    return lines


def _details(status: str, results, lang: str) -> list[str]:
    zh = lang == "zh"
    header = ("规则", "级别", "标题", "原因") if zh else ("rule", "severity", "title", "reason")
    lines = [f"<details><summary>{html.escape(status_word(status, lang))} ({len(results)})</summary>", "",
             "| " + " | ".join(header) + " |", "|---|---|---|---|"]
    grouped = by_regulation(results)
    for regulation, chosen in grouped.items():
        outside = regulation_reach(chosen) if status == "not_applicable" else None
        if outside is not None and len(chosen) > 1:
            # a regulation that does not reach the hall: one row, not one per rule
            rules = f"{len(chosen)} 条规则" if zh else f"{len(chosen)} rules"
            lines.append(f"| {code(regulation)} | — | {text(rules)} | {text(reason_text(outside, lang))} |")
            continue
        for result in chosen:
            lines.append(f"| {code(result.rule.id)} | {text(severity_word(result.rule.severity, lang))} | "
                         f"{text(pick(result.rule.title, lang))} | {text(reason_text(result, lang))} |")
    lines += ["", "</details>"]
    return lines
