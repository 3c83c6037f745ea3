"""The text report for a terminal: a block per hall with its failures and unknowns, the
regulations that reach it, and for many halls an overview; written hall by hall as audits finish."""

from __future__ import annotations


from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .messages import SEVERITY, STATUS, pick, problem_line, render, show
from .terminal import visible
from ..audit.results import STATUSES, EnumValue, HallReport, RuleResult, RunInfo
from ..ruleset.packs import BUILTIN as BUILTIN_PACK

from .report import Tally, calendar_citation, entity_prefix, finding_message, provisional_text, reason_text, scope_text, tally

_STYLE = {"pass": "green", "fail": "bold red", "unknown": "yellow", "error": "bold magenta",
          "waived": "cyan", "not_applicable": "dim"}


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
