"""Stage 5, report: HallReports -> text for a terminal, or JSON for machines.

The JSON format is versioned and has a schema (`hallcheck schema report`). Output is a pure
function of the audits: no timestamps, stable order, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .. import __version__
from .messages import MAX_SHOWN_ITEMS, SEVERITY, STATUS, entity_kind, expectation, pick, problem_line, render, show, show_label
from .terminal import visible
from ..audit.results import STATUSES, EnumValue, Finding, HallReport, RuleResult, RunInfo
from ..ruleset.packs import BUILTIN as BUILTIN_PACK

REPORT_VERSION = 1
# A finding's message: a rule's placeholders filled with a hall's values, each capped at loading
# (load.MAX_TEXT); this caps their product.
MAX_MESSAGE = 2_000
FAIL_ON = ("critical", "major", "minor", "info", "never")
_PLACEHOLDER = re.compile(r"{([a-z_][a-z0-9_.]*)}")
_STYLE = {"pass": "green", "fail": "bold red", "unknown": "yellow", "error": "bold magenta",
          "waived": "cyan", "not_applicable": "dim"}


def exit_code(reports, fail_on: str, run: RunInfo | None = None) -> int:
    """2 when a hall could not be audited (bad input, or an audit that timed out or crashed), or
    when nothing was checked in a hall (no rule decided either way) unless the run accepts it;
    else 1 when a rule failed at or above `fail_on` (with the run's fail_on_new: with a finding
    that is new against the baseline); else 0. Every format reports this same code."""
    return tally(reports).exit_code(fail_on, run)


class Tally:
    """What a run's summaries need, gathered one hall at a time so that no format has to keep
    the halls' reports: counts by status, a row per hall, per rule its verdicts across halls,
    the baseline's counts, and what decides the exit code."""

    def __init__(self, rows: bool = True):
        self.keep_rows = rows  # the text overview's row per hall; a JSON-lines run keeps nothing per hall
        self.halls = 0
        self.unusable = 0
        self.nothing_checked = 0
        self.counts: Counter = Counter()
        self.rows: list[tuple] = []  # (hall, file, counts, did not finish) per hall; counts None if unusable
        self.rules: dict[str, dict] = {}  # rule id -> {"rule", status counts...}
        self.baseline = {"new": 0, "persisting": 0, "fixed": 0}
        self.failed_ranks: set[int] = set()  # severity ranks of failed rules
        self.new_failed_ranks: set[int] = set()  # ... of failed rules with a finding new against the baseline

    def add(self, report: HallReport) -> HallReport:
        self.halls += 1
        if report.problems:
            self.unusable += 1
            finished = not all(p.code.startswith("audit.") for p in report.problems)
            if self.keep_rows:
                self.rows.append((report.hall, report.file, None, not finished))
            return report
        counts = report.counts()
        self.counts.update(counts)
        self.nothing_checked += report.checked_nothing
        if self.keep_rows:
            self.rows.append((report.hall, report.file, counts, False))
        self.baseline["fixed"] += len(report.fixed or ())
        for result in report.results:
            row = self.rules.setdefault(result.rule.id, {"rule": result.rule, **{s: 0 for s in STATUSES}})
            row[result.status] += 1
            findings = list(result.findings) + [w.finding for w in result.waived]
            for finding in findings:
                if finding.baseline in self.baseline:
                    self.baseline[finding.baseline] += 1
            if result.status == "fail":
                self.failed_ranks.add(result.rule.severity_rank())
                if any(f.baseline == "new" for f in result.findings):
                    self.new_failed_ranks.add(result.rule.severity_rank())
        return report

    def summary(self) -> dict:
        return {"halls": self.halls, "unusable": self.unusable,
                **{status: self.counts.get(status, 0) for status in STATUSES}}

    def exit_code(self, fail_on: str, run: RunInfo | None = None) -> int:
        run = run or RunInfo()
        if self.unusable:
            return 2
        if not run.accept_nothing_checked and self.nothing_checked:
            return 2
        if fail_on == "never":
            return 0
        limit = FAIL_ON.index(fail_on)
        ranks = self.new_failed_ranks if run.fail_on_new else self.failed_ranks
        return 1 if any(rank <= limit for rank in ranks) else 0

    def rule_compliance(self) -> list[dict]:
        rows = [dict(row) for row in self.rules.values()]
        for row in rows:
            decided = row["pass"] + row["fail"]
            row["rate"] = row["pass"] / decided if decided else None
        return rows


def tally(reports) -> Tally:
    """The Tally of these reports."""
    out = Tally()
    for report in reports:
        out.add(report)
    return out


def finding_message(result: RuleResult, finding: Finding, lang: str) -> str:
    primary = finding.primary
    values = {key: show(value, lang) for key, value in finding.placeholders.items()}
    values["entity"] = visible(show_label(finding.label, lang, finding.entity.split("[", 1)[0]))
    values["actual"] = show(primary.actual, lang) if primary else "—"
    values["expected"] = expectation(primary.op, primary.expected, lang) if primary else "—"
    values["missing"] = show(_missing(primary), lang) if primary else "—"
    template = pick(result.rule.message, lang)
    return shortened(_PLACEHOLDER.sub(lambda m: values.get(m.group(1), "—"), template), MAX_MESSAGE)


def shortened(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters saying how many were left out: a message repeats on
    every row of a report, so its size must not be the product of the rule and the hall."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"…(+{len(text) - limit})"


def entity_prefix(finding: Finding, lang: str) -> str:
    """Which entity a finding is about, before its message (which names it): its path, which a
    waiver cites, after its kind in Chinese words ("人员 staff[1]：" / "staff[1]: "); nothing for
    the hall itself."""
    if finding.entity == "hall":
        return ""
    if lang == "zh":
        return f"{entity_kind(finding.entity, lang)} {finding.entity}："
    return f"{finding.entity}: "


def _missing(evidence) -> list:
    """For a list that must contain values: those it lacks (the whole list when it is absent)."""
    if evidence.op not in ("contains", "contains_all") or evidence.expected is None:
        return []
    wanted = evidence.expected if isinstance(evidence.expected, (list, tuple)) else [evidence.expected]
    have = {str(v) for v in evidence.actual or []}
    return [v for v in wanted if str(v) not in have]


def reason_text(result: RuleResult, lang: str) -> str:
    return render(result.reason, _named(result.params), lang) if result.reason else ""


def _named(params: dict) -> dict:
    """Levels and kinds as enumeration values, so that a Chinese message names them in Chinese."""
    out = dict(params)
    for key, vocab in (("level", "level"), ("kind", "hall_kind")):
        if isinstance(out.get(key), str):
            out[key] = EnumValue(vocab, out[key])
    for key, vocab in (("levels", "level"), ("kinds", "hall_kind")):
        if isinstance(out.get(key), (list, tuple)):
            out[key] = [EnumValue(vocab, value) for value in out[key]]
    return out


def provisional_text(result: RuleResult, lang: str) -> str:
    """Why a decided verdict may still change: a count that next year's notice can move."""
    return render("result.provisional", {"years": list(result.provisional)}, lang) if result.provisional else ""


def calendar_citation(citation: dict, lang: str) -> str:
    """One holiday notice laid over the packaged calendar, as every report cites it."""
    document = citation["document"] or next(iter(citation["papers"]), None) or render("calendar.no_document", {}, lang)
    return render("calendar.cited", {"year": citation["year"], "document": document, "file": citation["file"]}, lang)


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


def status_counts(reports: list[HallReport]) -> dict:
    return tally(reports).summary()


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


def scope_text(scope, lang: str) -> str:
    """Why a regulation governs the hall or not, as a person checks it at a glance."""
    return render(scope.reason, _named(scope.params), lang)


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


# ------------------------------------------------------------------ text

def print_text(reports, lang: str, fail_on: str, console: Console, verbose: bool = False,
               run: RunInfo | None = None, quiet: bool = False) -> Tally:
    """The report for a terminal, each hall printed as it comes (`reports` may be a stream).
    `quiet`: only the failures and the summary line."""
    counted = Tally()
    for report in reports:
        print_hall(counted.add(report), lang, console, verbose, quiet)
    print_tail(counted, lang, console, run, quiet)
    return counted


def print_tail(counted: Tally, lang: str, console: Console, run: RunInfo | None = None, quiet: bool = False) -> None:
    """What follows the halls: the overview of many halls, the waiver notices, the summary line."""
    run = run or RunInfo()
    if counted.halls > 1 and not quiet:
        print_overview(counted, lang, console)
    for notice in run.notices:
        console.print(Text(problem_line(notice, lang), style="yellow"), soft_wrap=True)
    summary = counted.summary()
    words = [f"{pick(STATUS[s], lang)} {summary[s]}" for s in STATUSES if summary[s] or s in ("pass", "fail")]
    if run.baseline_file is not None:
        words += [f"{pick(BASELINE[key], lang)} {value}" for key, value in counted.baseline.items()]
    if run.rules is not None and not quiet:
        console.print(Text(visible(info_line(run.rules, lang)), style="dim"), soft_wrap=True)
    halls = f"{summary['halls']} 个大厅" if lang == "zh" else f"{summary['halls']} hall(s)"
    if summary["unusable"]:
        halls += f"（{summary['unusable']} 个无法读取）" if lang == "zh" else f" ({summary['unusable']} unusable)"
    sep = "，" if lang == "zh" else ", "
    console.print(Text(f"{halls}{'：' if lang == 'zh' else ': '}" + sep.join(words), style="bold"))


# below this many columns for the detail, a table is unreadable: findings are printed as blocks
MIN_DETAIL = 20


def print_hall(report: HallReport, lang: str, console: Console, verbose: bool, quiet: bool = False) -> None:
    """One hall of the text report."""
    if report.problems:
        head = (f"无法审核：{len(report.problems)} 个问题（见标准错误输出）" if lang == "zh"
                else f"cannot audit: {len(report.problems)} problem(s), listed on stderr")
        if all(problem.code.startswith("audit.") for problem in report.problems):
            head = "审核未完成（原因见标准错误输出）" if lang == "zh" else "audit did not finish (why: on stderr)"
        console.print(Text(f"✗ {visible(report.file)}: {head}", style="bold red"))
        return
    as_of = "审核日" if lang == "zh" else "as of"
    level, kind = show(EnumValue("level", report.level), lang), show(EnumValue("hall_kind", report.kind), lang)
    console.print(Text(f"{visible(report.hall)}  ({visible(report.file)}; {level}/{kind}; {as_of} {report.as_of})", style="bold"))
    for citation in report.calendar:
        console.print(Text(visible(f"  {calendar_citation(citation, lang)}"), style="dim"), soft_wrap=True)
    if report.checked_nothing:
        console.print(Text("  " + render("audit.nothing_checked", {}, lang), style="bold red"))
    for notice in report.notices:  # who chose the audit date, how old the data is: not to be missed
        console.print(Text("  ⚠ " + render(notice.code, notice.params, lang), style="bold yellow"))
    scopes = {scope.regulation: scope for scope in report.scopes}
    by_regulation: dict[str, list[RuleResult]] = {}
    for result in report.results:
        by_regulation.setdefault(result.rule.regulation, []).append(result)
    for regulation, results in by_regulation.items():
        if quiet:
            shown = [r for r in results if r.status == "fail"]
            if shown:
                _print_results(regulation, shown, lang, console)
            continue
        shown = [r for r in results if verbose or r.status != "not_applicable"]
        hidden = [r for r in results if r not in shown]
        scope = scopes.get(regulation)
        if not shown:
            reasons = [scope_text(scope, lang)] if scope and scope.status != "applies" else \
                sorted({reason_text(r, lang) for r in hidden})
            label = "条规则不适用" if lang == "zh" else "rule(s) not applicable"
            console.print(Text(f"  {regulation}: {len(hidden)} {label}: {'; '.join(reasons)}", style="dim"))
            continue
        if scope is not None:
            console.print(Text(f"  {regulation}: {scope_text(scope, lang)}", style="dim"))
        _print_results(regulation, shown, lang, console)
        if hidden:
            label = "条规则不适用（--verbose 显示）" if lang == "zh" else "more not applicable (--verbose shows them)"
            console.print(Text(f"  {len(hidden)} {label}", style="dim"))
    if report.fixed and not quiet:
        head = "与基线相比已整改：" if lang == "zh" else "fixed since the baseline:"
        console.print(Text(f"  {head}", style="green"))
        for fixed in report.fixed:
            console.print(Text(visible(f"    {fixed.rule} {fixed.entity}: {fixed.message}"), style="green"), soft_wrap=True)


def _print_results(regulation: str, shown: list[RuleResult], lang: str, console: Console) -> None:
    """A table of the results then a line per finding; as blocks when the terminal is too narrow
    for a table whose detail column keeps MIN_DETAIL characters."""
    if console.width < _table_width(shown, lang):
        _print_blocks(regulation, shown, lang, console)
        return
    table = Table(title=regulation, title_justify="left", show_lines=False, expand=False)
    for column in (("状态", "status"), ("级别", "severity"), ("规则", "rule"), ("说明", "detail")):
        table.add_column(pick(column, lang), overflow="fold", no_wrap=column[1] == "rule")
    for result in shown:
        table.add_row(Text(pick(STATUS[result.status], lang), style=_STYLE[result.status]),
                      pick(SEVERITY[result.rule.severity], lang), result.rule.id, _detail(result, lang))
    console.print(table)
    # findings below the table, one full line each, so that they can be read and grepped
    for result in shown:
        for line in _finding_lines(result, lang):
            console.print(line, soft_wrap=True)


def _table_width(shown: list[RuleResult], lang: str) -> int:
    """Columns a table of these results needs to leave the detail MIN_DETAIL characters."""
    from rich.cells import cell_len
    status = max(cell_len(pick(STATUS[r.status], lang)) for r in shown)
    severity = max(cell_len(pick(SEVERITY[r.rule.severity], lang)) for r in shown)
    rule = max(len(r.rule.id) for r in shown)
    return max(status, 6) + max(severity, 8) + rule + MIN_DETAIL + 13  # 5 borders, 4 × 2 padding


def _print_blocks(regulation: str, shown: list[RuleResult], lang: str, console: Console) -> None:
    """Each result as a block: status and severity, the rule id on its own line, the title and
    reason, then each finding's place and message, wrapped at word boundaries."""
    console.print(Text(regulation, style="bold"))
    for result in shown:
        head = Text("  ")
        head.append(pick(STATUS[result.status], lang), style=_STYLE[result.status])
        if result.status == "pass":  # nothing to read but that it passed: one line
            head.append(f" {result.rule.id}", style="dim")
            console.print(head, overflow="fold")
            continue
        head.append(f" · {pick(SEVERITY[result.rule.severity], lang)}")
        console.print(head)
        console.print(Text(f"    {result.rule.id}", style="dim"), overflow="fold")
        for text, style in [(pick(result.rule.title, lang), "")] + ([(reason_text(result, lang), "yellow")]
                                                                     if result.reason else []):
            console.print(Padding(Text(text, style=style), (0, 0, 0, 4)))
        for finding in result.findings:
            where = Text(visible(finding.location.short()), style="cyan")
            if finding.baseline:
                where.append(f" [{pick(BASELINE[finding.baseline], lang)}]")
            console.print(Padding(where, (0, 0, 0, 4)))
            message = entity_prefix(finding, lang) + finding_message(result, finding, lang)
            console.print(Padding(Text(message), (0, 0, 0, 6)))
        for item in result.waived:
            console.print(Padding(Text(f"[{pick(STATUS['waived'], lang)}] {visible(item.finding.location.short())} "
                                       f"{finding_message(result, item.finding, lang)}",
                                       style="dim"), (0, 0, 0, 4)))


def _detail(result: RuleResult, lang: str) -> Text:
    text = Text(visible(pick(result.rule.title, lang)))
    if result.reason:
        text.append("\n" + reason_text(result, lang), style="yellow")
    if result.provisional:
        text.append("\n" + provisional_text(result, lang), style="yellow")
    return text


def _finding_lines(result: RuleResult, lang: str) -> list[Text]:
    """FILE:LINE rule entity: message — for each finding, waived ones marked."""
    lines = []
    for finding in result.findings:
        text = Text(f"  {visible(finding.location.short())}", style="cyan")
        if finding.baseline:
            text.append(f" [{pick(BASELINE[finding.baseline], lang)}]", style="bold" if finding.baseline == "new" else "dim")
        text.append(f" {result.rule.id} ", style=_STYLE["fail"])
        text.append(entity_prefix(finding, lang) + finding_message(result, finding, lang))
        lines.append(text)
    for item in result.waived:
        finding, waiver = item.finding, item.waiver
        text = Text(f"  {visible(finding.location.short())}", style="cyan")
        text.append(f" [{pick(STATUS['waived'], lang)}] {result.rule.id} {entity_prefix(finding, lang)}"
                    f"{finding_message(result, finding, lang)}", style="dim")
        if result.reason != "waiver.applied":  # else the table's reason says it once for all
            text.append("\n    " + render("waiver.applied", {
                "justification": waiver.justification, "approved_by": waiver.approved_by,
                "document": waiver.document, "expires": waiver.expires}, lang), style="cyan")
        identity = [value for value in (item.matched_by or {}).values() if value]
        if identity:  # which identity of the hall the waiver rested on
            text.append("  " + render("waiver.matched_by", {"identity": identity}, lang), style="cyan")
        lines.append(text)
    return lines


# ------------------------------------------------------------------ many halls: an overview

BASELINE = {"new": ("新增", "new"), "persisting": ("遗留", "persisting"), "fixed": ("已整改", "fixed")}


def rule_compliance(reports) -> list[dict]:
    """Per rule, across the halls audited: how many passed, failed, were waived, and the
    compliance rate pass / (pass + fail) (None when no hall was decided either way)."""
    return tally(reports).rule_compliance()


def print_overview(counted: Tally, lang: str, console: Console) -> None:
    """Two tables after the halls: one row per hall, and per rule the compliance across halls."""
    zh = lang == "zh"
    columns = tuple(s for s in ("fail", "unknown", "error", "waived", "pass", "not_applicable")
                    if s in ("fail", "pass") or counted.counts.get(s))
    if console.width < OVERVIEW_WIDTH:
        _print_overview_lines(counted, lang, console)
        return
    table = Table(title="各大厅" if zh else "Halls", title_justify="left")
    for column in (("大厅", "hall"), ("文件", "file")):
        table.add_column(pick(column, lang), overflow="fold", no_wrap=column[1] == "file")  # a path stays whole
    for status in columns:
        table.add_column(pick(STATUS[status], lang), justify="right")
    for hall, file, counts, unfinished in counted.rows:
        if counts is None:
            note = (("审核未完成" if zh else "audit did not finish") if unfinished
                    else ("无法审核" if zh else "cannot audit"))
            table.add_row(Text(note, style="bold red"), visible(file), *["—"] * len(columns))
            continue
        table.add_row(visible(hall), visible(file),
                      *[Text(str(counts[s]), style=_STYLE[s] if counts[s] and s != "not_applicable" else "")
                        for s in columns])
    console.print(table)
    every = counted.rule_compliance()
    rows = [row for row in every if row["rate"] is not None or row["waived"]]
    rows.sort(key=lambda row: (1.0 if row["rate"] is None else row["rate"], row["rule"].id))
    table = Table(title="各规则符合率（通过 ÷（通过 + 不符合））" if zh else "Compliance by rule (pass / (pass + fail))",
                  title_justify="left")
    for column in (("规则", "rule"), ("级别", "severity"), ("通过", "pass"), ("不符合", "fail"),
                   ("已豁免", "waived"), ("符合率", "compliance")):
        table.add_column(pick(column, lang), overflow="fold",
                         justify="left" if column[1] in ("rule", "severity") else "right")
    for row in rows:
        rate = "—" if row["rate"] is None else f"{row['rate']:.0%}"
        style = "" if row["rate"] is None else ("green" if row["rate"] == 1 else "bold red")
        table.add_row(row["rule"].id, pick(SEVERITY[row["rule"].severity], lang), str(row["pass"]),
                      Text(str(row["fail"]), style=_STYLE["fail"] if row["fail"] else ""), str(row["waived"]),
                      Text(rate, style=style))
    console.print(table)
    if len(every) > len(rows):
        label = "条规则在所有大厅均不适用或无法判定" if zh else "rule(s) did not apply or could not be decided in any hall"
        console.print(Text(f"  {len(every) - len(rows)} {label}", style="dim"))


# below this width the overview's tables would split file names and rule ids: lines instead
OVERVIEW_WIDTH = 110


def _print_overview_lines(counted: Tally, lang: str, console: Console) -> None:
    """The overview for a narrow terminal: a hall per line (its file and counts indented below),
    then per rule its compliance, its count and its id, one line each."""
    zh = lang == "zh"
    console.print(Text("各大厅" if zh else "Halls", style="bold"))
    for hall, file, counts, _unfinished in counted.rows:
        if counts is None:
            console.print(Text(f"  {file}: " + ("无法审核" if zh else "cannot audit"), style="bold red"))
            continue
        console.print(Text(f"  {hall}"))
        console.print(Text(f"    {file}", style="cyan"))
        sep = "，" if zh else ", "
        console.print(Text("    " + sep.join(f"{pick(STATUS[s], lang)} {n}" for s, n in counts.items()
                                             if n or s in ("pass", "fail"))))
    every = counted.rule_compliance()
    rows = sorted((row for row in every if row["rate"] is not None), key=lambda row: (row["rate"], row["rule"].id))
    console.print(Text("各规则符合率（通过 ÷（通过 + 不符合））" if zh else "Compliance by rule (pass / (pass + fail))",
                       style="bold"))
    for row in rows:
        decided = row["pass"] + row["fail"]
        line = Text(f"  {row['rate']:>4.0%} {row['pass']:>3}/{decided:<3} ",
                    style="bold red" if row["rate"] < 1 else "green")
        line.append(row["rule"].id, style="")
        console.print(line, overflow="fold")
    if len(every) > len(rows):
        label = "条规则在所有大厅均不适用或无法判定" if zh else "rule(s) did not apply or could not be decided in any hall"
        console.print(Text(f"  {len(every) - len(rows)} {label}", style="dim"))


def info_line(info: dict, language: str) -> str:
    """One line for the text report: which rules, which pack, which overrides (from RuleSet.info)."""
    zh = language == "zh"
    if info["pack"] == BUILTIN_PACK:
        head = ("规则：内置规则 " if zh else "rules: builtin ") + (info["version"] or "")
    elif info["pack"] is None:
        head = ("规则：" if zh else "rules: ") + info["source"]
    else:
        head = (f"规则：规则包 {info['pack']} {info['version']} ({info['source']})" if zh
                else f"rules: pack {info['pack']} {info['version']} ({info['source']})")
        parents = [f"{ref['name']} {ref['version'] or ''}".strip() for ref in info["chain"][1:]]
        if parents:
            head += (" 继承 " if zh else " extends ") + " → ".join(parents)
    head += f"；共 {info['count']} 条规则" if zh else f"; {info['count']} rules"
    if info["overrides"]:
        head += ("；覆盖：" if zh else "; overrides: ") + "; ".join(_override_words(o, language) for o in info["overrides"])
    return head


def _override_words(override: dict, language: str) -> str:
    if override["action"] == "disabled":
        what = "停用" if language == "zh" else "disabled"
        return f"{override['rule']} {what}" + (f" ({override['reason']})" if override["reason"] else "")
    return f"{override['rule']} {override['path']} {show(override['from'], language)} → {show(override['to'], language)}"
