"""A standalone inspection report in HTML, in Chinese or English (--lang), made to be printed on
A4 and handed to a hall director (`--format pdf` prints this page through a browser).

Per hall: who was inspected and when; a conclusion in one sentence; which regulations apply
and why the others do not (one line each, the not-applicable rules counted, not listed);
the failures first, most severe first, each with the clause it breaks (the quoted words
marked), the finding at its line of the description file, what was recorded against what
is required, and the remediation; the data to supply (one row per entity, not per rule); the
rules passed; lines to sign. With `appendix`, every not-applicable rule with its reason. With
several halls, an overview page first: every hall with its compliance rate and failures by
severity, the rules failing most often across halls (a bar chart), each linking to the hall.
Developer words (engine, exit code, options) are kept to a small technical footer.

One file, nothing fetched: no scripts, no web fonts, no images beyond CSS. Everything taken
from a hall, a rule or a regulation goes through html.escape (or css_string in the style sheet).
"""

from __future__ import annotations

import html
from collections import Counter

from .. import __version__
from .messages import SEVERITY, entity_kind, entity_words, expectation, pick, problem_line, show
from .messages import render as render_message
from .report import calendar_citation, exit_code, finding_message, provisional_text, reason_text
from ..audit.results import EnumValue
from .formats import by_regulation, citation, clause_label, clause_text, failures_by_severity, regulation_reach, remediation, severity_word, status_word

WORDS = {
    "title": ("政务服务大厅合规检查报告", "Government service hall inspection report"),
    "batch_title": ("政务服务大厅合规检查汇总报告", "Government service halls: inspection summary"),
    "overview": ("总览", "Overview"),
    "halls_count": ("共检查 {n} 个大厅", "{n} halls inspected"),
    "unusable": ("{n} 个描述文件无法使用", "{n} description file(s) could not be used"),
    "hall": ("大厅", "Hall"),
    "level": ("层级", "Level"),
    "kind": ("类型", "Kind"),
    "rate": ("符合率", "Compliance"),
    "rate_note": ("符合率 = 通过 ÷（通过 + 不符合）", "compliance = passed / (passed + failed)"),
    "unknown_short": ("待补数据", "Data missing"),
    "top_failing": ("各大厅最常见的不符合项", "Failures most common across halls"),
    "halls_failing": ("{n}/{of} 个大厅", "{n} of {of} halls"),
    "no_top": ("各大厅均未发现不符合项。", "No hall has a failure."),
    "identity": ("被检查大厅", "Hall inspected"),
    "name": ("名称", "Name"),
    "file": ("描述文件", "Description file"),
    "as_of": ("检查基准日", "Date of audit"),
    "source_option": ("检查时指定", "set for this inspection"),
    "source_file": ("取自描述文件", "from the description file"),
    "source_today": ("检查当日", "the day of the inspection"),
    "conclusion": ("结论", "Conclusion"),
    "conclusion_fail": ("发现 {n} 项不符合（{severities}）。", "{n} failure(s) found ({severities})."),
    "conclusion_clean": ("未发现不符合项。", "No failure found."),
    "conclusion_rest": ("{unknown} 项因缺少数据无法判定，{passed} 项符合；{na} 条规则不适用于本大厅。",
                        "{unknown} could not be decided for lack of data, {passed} passed; {na} rules do not apply to this hall."),
    "regulations": ("检查依据", "Regulations applied"),
    "regulation": ("法规", "Regulation"),
    "applies": ("是否适用", "Applies"),
    "results": ("检查结果", "Results"),
    "yes": ("适用", "Applies"),
    "rules_n": ("（{n} 条规则）", " ({n} rules)"),
    "na_level": ("{n} 条针对其他层级", "{n} for another level"),
    "na_kind": ("{n} 条针对其他类型", "{n} for another kind of hall"),
    "na_condition": ("{n} 条适用条件不满足", "{n} whose condition does not hold here"),
    "na_selected": ("{n} 条所指对象本大厅没有", "{n} about things this hall does not have"),
    "na_other": ("{n} 条其他原因", "{n} for other reasons"),
    "na_of": ("不适用 {n} 条：", "{n} not applicable: "),
    "failures": ("不符合项", "Failures"),
    "no_failures": ("未发现不符合项。", "No failures found."),
    "clause": ("条款原文", "Clause"),
    "interpretation": ("检查口径", "How it is read"),
    "line": ("第 {line} 行", "line {line}"),
    "where": ("位置", "Where"),
    "entity": ("对象", "Entity"),
    "found": ("发现的问题", "What was found"),
    "recorded": ("记录为", "recorded"),
    "required": ("要求", "required"),
    "remediation": ("整改建议", "Remediation"),
    "supply": ("需补充的数据", "Data to supply"),
    "supply_intro": ("以下规则因描述文件缺少数据无法判定；补齐后重新检查。",
                     "These rules could not be decided because the description lacks data; supply it and inspect again."),
    "fields": ("缺少的字段", "Missing fields"),
    "needed_for": ("用于判定", "Needed for"),
    "calendar": ("官方节假日安排", "Official holiday calendar"),
    "passed": ("符合的规定", "Requirements met"),
    "other": ("其他结果", "Other results"),
    "status": ("结果", "Result"),
    "rule": ("规定", "Requirement"),
    "reason": ("原因", "Reason"),
    "appendix": ("附录：不适用的规则", "Appendix: rules that do not apply"),
    "cannot_audit": ("无法检查：描述文件不可用", "Cannot inspect: the description file cannot be used"),
    "sign": ("签署", "Sign-off"),
    "inspector": ("检查人员签名", "Inspector's signature"),
    "date": ("日期", "Date"),
    "hall_rep": ("被检查单位负责人签名", "Signed for the hall"),
    "tech": ("技术信息", "Technical details"),
    "tech_line": ("hallcheck {version}；检查引擎 {engine}；判定阈值 {fail_on}；程序退出码 {code}",
                  "hallcheck {version}; engine {engine}; --fail-on {fail_on}; exit code {code}"),
    "page": ("第 \" counter(page) \" 页 共 \" counter(pages) \" 页", "Page \" counter(page) \" of \" counter(pages) \""),
}

NA_GROUPS = {"na.level": "na_level", "na.kind": "na_kind", "na.condition": "na_condition",
             "na.nothing_selected": "na_selected"}

# Fonts: the CJK fonts found on Windows, macOS and Linux, named before the generic family so that
# no character falls back to a font without Chinese glyphs.
FONTS = ('"Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
         '"Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei", "SimHei", "SimSun", "宋体", sans-serif')

# Status marks tell fail, unknown and pass apart in greyscale too: fail is solid dark with white
# words, unknown a dashed outline, pass a thin solid outline.
CSS = """
* { box-sizing: border-box; }
body { font-family: %(fonts)s; color: #111; margin: 1.5rem auto; max-width: 52rem; padding: 0 1rem;
       line-height: 1.5; font-size: 11pt; }
h1 { font-size: 17pt; margin: 0 0 .2rem; }
h2 { font-size: 14pt; margin: 1.2rem 0 .4rem; border-bottom: 1.5pt solid #111; padding-bottom: .1rem; }
h3 { font-size: 12pt; margin: 1rem 0 .3rem; border-bottom: .5pt solid #888; }
h4 { font-size: 11pt; margin: 0 0 .25rem; }
p { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%%; margin: .3rem 0 .6rem; table-layout: fixed; font-size: 9.5pt; }
th, td { border: .5pt solid #999; padding: .15rem .35rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; word-break: normal; }
th { background: #eee; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.meta { color: #444; font-size: 9.5pt; }
.mark { display: inline-block; padding: 0 .3rem; border-radius: 2pt; font-size: 8.5pt; line-height: 1.4;
        white-space: nowrap; border: .75pt solid #111; }
.m-fail { background: #8f1d1d; border-color: #8f1d1d; color: #fff; font-weight: 700; }
.m-unknown { background: #fff; border: 1pt dashed #6b4a00; color: #6b4a00; }
.m-pass { background: #fff; border-color: #1d6b3a; color: #1d6b3a; }
.m-critical { background: #111; color: #fff; } .m-major { background: #555; border-color: #555; color: #fff; }
.m-minor { background: #fff; color: #111; } .m-info { background: #fff; border-style: dotted; color: #333; }
.conclusion { border: 1pt solid #111; padding: .35rem .6rem; margin: .4rem 0 .6rem; }
.na-line { color: #444; font-size: 9pt; }
article.finding { border: .75pt solid #999; border-left: 4pt solid #8f1d1d; padding: .35rem .6rem; margin: .5rem 0;
                  break-inside: avoid; page-break-inside: avoid; }
blockquote.clause { margin: .2rem 0 .3rem; padding: .2rem .5rem; background: #f4f4f4; border-left: 2pt solid #999;
                    white-space: pre-line; font-size: 9.5pt; }
mark { background: #ffe58a; font-weight: 600; }
.cite { color: #444; font-size: 9pt; }
code, .id { font-family: "DejaVu Sans Mono", Consolas, "Courier New", monospace; font-size: 8.5pt; color: #444;
            overflow-wrap: anywhere; }
.evidence { color: #333; font-size: 9pt; }
ul.passed { columns: 2; column-gap: 1.2rem; padding-left: 1rem; margin: .2rem 0; font-size: 9.5pt; }
ul.passed li { break-inside: avoid; }
.problems li { font-size: 9.5pt; }
.chart { display: grid; grid-template-columns: minmax(0, 1fr) 12rem 6rem; gap: .15rem .5rem; align-items: center;
         font-size: 9.5pt; margin: .3rem 0; }
.bar { height: .7rem; border: .5pt solid #111; background: #fff; }
.fill { display: block; height: 100%%; background: #555; }
a { color: inherit; }
footer.sign { margin-top: .8rem; break-inside: avoid; page-break-inside: avoid; }
.sign-row { display: grid; grid-template-columns: 11rem 1fr 3rem 8rem; gap: .5rem; align-items: end; margin: 1.2rem 0 0; }
.line { border-bottom: .75pt solid #111; min-height: 1.2rem; }
footer.tech { margin-top: 1.2rem; border-top: .5pt solid #999; color: #666; font-size: 8pt; }
@page { size: A4; margin: 16mm 14mm 16mm 14mm;
        @top-left { content: %(title)s; font-size: 8pt; color: #555; font-family: %(fonts)s; }
        @bottom-center { content: "%(page)s"; font-size: 8pt; color: #555; font-family: %(fonts)s; } }
%(pages)s
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.hall { break-before: page; page-break-before: always; }
  section.hall:first-child { break-before: auto; page-break-before: auto; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
}
"""


def e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def css_string(value: str) -> str:
    """A CSS string literal holding any text: every character but letters and digits escaped,
    so that nothing in it can close the string, the rule or the style element."""
    out = []
    for char in value:
        if char.isalnum() and char.isprintable():
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def render(reports, lang: str, fail_on: str, register: dict, run=None, appendix: bool = False) -> str:
    w = _words(lang)
    many = len(reports) > 1
    title = w["batch_title"] if many else w["title"]
    names = [r.hall for r in reports if r.hall]
    head_title = title + (f" — {names[0]}" if not many and names else "")
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', "<head>",
           '<meta charset="utf-8">',
           # nothing may run or be fetched, whatever a hall file holds
           """<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">""",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<meta name="generator" content="hallcheck {e(__version__)}">', f"<title>{e(head_title)}</title>",
           f"<style>{_css(reports, lang, title)}</style>", "</head>", "<body>"]
    if many:
        out += _overview(reports, lang, title)
    tech = _tech(reports, lang, fail_on, run)
    for number, report in enumerate(reports, 1):
        out += _hall(number, report, lang, register, appendix, None if many else title, tech)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _words(lang: str) -> dict[str, str]:
    return {key: pick(pair, lang) for key, pair in WORDS.items()}


def _css(reports, lang: str, title: str) -> str:
    """The style sheet; each hall's pages are a named page whose running header names the hall
    and its audit date."""
    w = _words(lang)
    pages = []
    for number, report in enumerate(reports, 1):
        header = " · ".join(str(part) for part in (report.hall or report.file, report.as_of) if part)
        pages.append(f"#hall-{number} {{ page: hall{number}; }} "
                     f"@page hall{number} {{ @top-left {{ content: {css_string(header)}; }} }}")
    return CSS % {"fonts": FONTS, "title": css_string(title), "page": w["page"], "pages": "\n".join(pages)}


def _vocab(vocab: str, value, lang: str) -> str:
    """A level or kind as a reader says it: 乡镇级 / township, convenience centre."""
    if value is None:
        return "—"
    return show(EnumValue(vocab, value), lang) if lang == "zh" else value.replace("_", " ")


def _mark(status: str, lang: str) -> str:
    return f'<span class="mark m-{e(status)}">{e(status_word(status, lang))}</span>'


def _severity_mark(severity: str, lang: str) -> str:
    return f'<span class="mark m-{e(severity)}">{e(severity_word(severity, lang))}</span>'


def _rate(counts: dict) -> float | None:
    decided = counts["pass"] + counts["fail"]
    return counts["pass"] / decided if decided else None


# ------------------------------------------------------------------ many halls: the overview page

def _overview(reports, lang: str, title: str) -> list[str]:
    w = _words(lang)
    unusable = sum(bool(r.problems) for r in reports)
    days = sorted({r.as_of.isoformat() for r in reports if r.as_of})
    out = ['<section class="overview" id="overview">', f"<h1>{e(title)}</h1>",
           f'<p class="meta">{e(w["halls_count"].format(n=len(reports)))}'
           + (f" · {e(w['as_of'])} {e(days[0] if len(days) == 1 else days[0] + ' – ' + days[-1])}" if days else "")
           + (f" · {e(w['unusable'].format(n=unusable))}" if unusable else "") + "</p>",
           "<table>", '<colgroup><col style="width:2.2rem"><col><col style="width:5.5rem"><col style="width:4.5rem">'
           + '<col style="width:3.6rem">' * len(SEVERITY) + '<col style="width:4.6rem"></colgroup>',
           f'<tr><th class="n">#</th><th>{e(w["hall"])}</th><th>{e(w["level"])}</th><th class="n">{e(w["rate"])}</th>'
           + "".join(f'<th class="n">{e(severity_word(s, lang))}</th>' for s in SEVERITY)
           + f'<th class="n">{e(w["unknown_short"])}</th></tr>']
    for number, report in enumerate(reports, 1):
        link = f'<a href="#hall-{number}">{e(report.hall or report.file)}</a>'
        if report.problems:
            out.append(f'<tr><td class="n">{number}</td><td>{link}</td>'
                       f'<td colspan="{2 + len(SEVERITY) + 1}">{e(w["cannot_audit"])}</td></tr>')
            continue
        counts = report.counts()
        rate = _rate(counts)
        severities = failures_by_severity([report])
        out.append(f'<tr><td class="n">{number}</td><td>{link}</td><td>{e(_vocab("level", report.level, lang))}</td>'
                   f'<td class="n">{"—" if rate is None else f"{rate:.0%}"}</td>'
                   + "".join(f'<td class="n">{n or ""}</td>' for n in severities.values())
                   + f'<td class="n">{counts["unknown"] or ""}</td></tr>')
    out.append("</table>")
    out.append(f'<p class="meta">{e(w["rate_note"])}</p>')
    out += _top_failing(reports, lang)
    out.append("</section>")
    return out


def _top_failing(reports, lang: str, limit: int = 10) -> list[str]:
    """The rules that fail in the most halls, as bars: how many halls of those audited."""
    w = _words(lang)
    audited = [r for r in reports if not r.problems]
    failing: Counter = Counter()
    first_hall: dict[str, int] = {}
    rules = {}
    for number, report in enumerate(reports, 1):
        for result in report.results:
            if result.status == "fail":
                failing[result.rule.id] += 1
                first_hall.setdefault(result.rule.id, number)
                rules[result.rule.id] = result.rule
    out = [f"<h3>{e(w['top_failing'])}</h3>"]
    if not failing:
        return out + [f"<p>{e(w['no_top'])}</p>"]
    out.append('<div class="chart">')
    ranked = sorted(failing.items(), key=lambda item: (-item[1], item[0]))[:limit]
    for rule_id, count in ranked:
        share = 100 * count / max(len(audited), 1)
        out.append(f'<span><a href="#hall-{first_hall[rule_id]}">{e(pick(rules[rule_id].title, lang))}</a></span>'
                   f'<span class="bar"><span class="fill" style="width:{share:.0f}%"></span></span>'
                   f'<span class="n">{e(w["halls_failing"].format(n=count, of=len(audited)))}</span>')
    out.append("</div>")
    return out


# ------------------------------------------------------------------ one hall

def _hall(number: int, report, lang: str, register: dict, appendix: bool, title: str | None,
          tech: list[str]) -> list[str]:
    """One hall's report, its technical footer last (on the hall's own last page)."""
    w = _words(lang)
    out = [f'<section class="hall" id="hall-{number}">']
    if title:
        out.append(f"<h1>{e(title)}</h1>")
    out.append(f"<h2>{e(report.hall or report.file)}</h2>")
    if report.problems:
        out += [f"<p><strong>{e(w['cannot_audit'])}</strong></p>", '<ul class="problems">']
        out += [f"<li>{e(problem_line(p, lang))}</li>" for p in report.problems]
        return out + ["</ul>", *tech, "</section>"]
    out += _identity(report, lang)
    # who chose the audit date, how old the data is: before any verdict
    out += [f'<p class="notice"><strong>⚠ {e(render_message(n.code, n.params, lang))}</strong></p>' for n in report.notices]
    if report.checked_nothing:
        out.append(f'<p class="nothing-checked"><strong>{e(render_message("audit.nothing_checked", {}, lang))}</strong></p>')
    out += _conclusion(report, lang)
    out += _regulations(report, lang, register)
    failures = sorted((r for r in report.results if r.status == "fail"), key=lambda r: r.rule.severity_rank())
    out.append(f"<h3>{e(w['failures'])}（{len(failures)}）</h3>" if lang == "zh"
               else f"<h3>{e(w['failures'])} ({len(failures)})</h3>")
    if not failures:
        out.append(f"<p>{e(w['no_failures'])}</p>")
    for index, result in enumerate(failures, 1):
        out += _failure(index, result, lang, register)
    out += _supply(report, lang)
    out += _passed(report, lang, register)
    out += _others(report, lang)
    out += _sign(lang)
    if appendix:
        out += _appendix(report, lang, register)
    out += tech
    out.append("</section>")
    return out


def _identity(report, lang: str) -> list[str]:
    w = _words(lang)
    source = w.get(f"source_{report.as_of_source}", report.as_of_source)
    day = f"{e(report.as_of)}（{e(source)}）" if lang == "zh" else f"{e(report.as_of)} ({e(source)})"
    return ['<table class="identity"><colgroup><col style="width:6.5rem"><col><col style="width:6.5rem"><col>'
            '</colgroup>',
            f"<tr><th>{e(w['level'])}</th><td>{e(_vocab('level', report.level, lang))}</td>"
            f"<th>{e(w['kind'])}</th><td>{e(_vocab('hall_kind', report.kind, lang))}</td></tr>",
            f"<tr><th>{e(w['as_of'])}</th><td>{day}</td>"
            f"<th>{e(w['file'])}</th><td><code>{e(report.file)}</code></td></tr>",
            *(f"<tr><th>{e(w['calendar'])}</th><td colspan=\"3\">{e(calendar_citation(item, lang))}</td></tr>"
              for item in report.calendar), "</table>"]


def _conclusion(report, lang: str) -> list[str]:
    w = _words(lang)
    counts = report.counts()
    sep = "、" if lang == "zh" else ", "
    severities = sep.join(f"{severity_word(s, lang)} {n}" for s, n in failures_by_severity([report]).items() if n)
    head = (w["conclusion_fail"].format(n=counts["fail"], severities=severities) if counts["fail"]
            else w["conclusion_clean"])
    rest = w["conclusion_rest"].format(unknown=counts["unknown"], passed=counts["pass"], na=counts["not_applicable"])
    return [f'<div class="conclusion"><strong>{e(w["conclusion"])}</strong>{"：" if lang == "zh" else ": "}'
            f"{e(head)} {e(rest)}</div>"]


def _regulations(report, lang: str, register: dict) -> list[str]:
    """One row per regulation: whether it reaches the hall (and why not), and what was found; the
    rules of an applying regulation that do not apply at this hall counted by reason."""
    w = _words(lang)
    out = [f"<h3>{e(w['regulations'])}</h3>", "<table>",
           '<colgroup><col style="width:46%"><col style="width:24%"><col></colgroup>',
           f"<tr><th>{e(w['regulation'])}</th><th>{e(w['applies'])}</th><th>{e(w['results'])}</th></tr>"]
    sep = "，" if lang == "zh" else ", "
    for regulation_id, results in by_regulation(report.results).items():
        regulation = register.get(regulation_id)
        name = e(regulation_id) if regulation is None else f"《{e(regulation.title)}》" + (
            f'<br><span class="cite">{e(regulation.document_number)}</span>' if regulation.document_number else "")
        outside = regulation_reach(results)
        if outside is not None:
            out.append(f'<tr><td>{name}</td><td colspan="2" class="na-line">{e(reason_text(outside, lang))}'
                       f"{e(w['rules_n'].format(n=len(results)))}</td></tr>")
            continue
        counts = Counter(r.status for r in results)
        found = sep.join(f"{status_word(s, lang)} {counts[s]}" for s in ("fail", "unknown", "waived", "error", "pass")
                         if counts[s] or s in ("fail", "pass"))
        na = [r for r in results if r.status == "not_applicable"]
        if na:
            groups = Counter(NA_GROUPS.get(r.reason, "na_other") for r in na)
            found += f'<br><span class="na-line">{e(w["na_of"].format(n=len(na)))}' + e(sep.join(
                w[key].format(n=n) for key, n in sorted(groups.items(), key=lambda kv: -kv[1]))) + "</span>"
        out.append(f"<tr><td>{name}</td><td><strong>{e(w['yes'])}</strong></td><td>{found}</td></tr>")
    out.append("</table>")
    return out


def _marked(text: str, quotes) -> str:
    """The clause, escaped, with the rule's quoted words marked where they appear verbatim."""
    spans = []
    for quote in quotes:
        at = text.find(quote) if quote else -1
        if at >= 0:
            spans.append((at, at + len(quote)))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, done = [], 0
    for start, end in merged:
        out += [e(text[done:start]), "<mark>", e(text[start:end]), "</mark>"]
        done = end
    out.append(e(text[done:]))
    return "".join(out)


def _evidence(finding, lang: str) -> str:
    """What was recorded against what is required, for the values that fell short (the rule's
    own names for them stay out: the message above says what they are)."""
    w = _words(lang)
    sep = "；" if lang == "zh" else "; "
    parts = [f"{w['recorded']} {show(item.actual, lang)}{sep}{w['required']} {expectation(item.op, item.expected, lang)}"
             for item in finding.evidence if item.held is False and item.op != "holds"]
    return f'<div class="evidence">{e(" · ".join(parts))}</div>' if parts else ""


def _failure(number: int, result, lang: str, register: dict) -> list[str]:
    w = _words(lang)
    rule = result.rule
    colon = "：" if lang == "zh" else ": "
    out = ['<article class="finding">',
           f"<h4>{number}. {e(pick(rule.title, lang))} {_severity_mark(rule.severity, lang)}</h4>",
           f'<p class="cite">{e(citation(rule, register))} · <span class="id">{e(rule.id)}</span></p>',
           *([f'<p class="provisional">{e(provisional_text(result, lang))}</p>'] if result.provisional else []),
           f'<blockquote class="clause">{_marked(clause_text(rule, register), rule.quote)}</blockquote>']
    if rule.interpretation:
        out.append(f'<p class="cite"><strong>{e(w["interpretation"])}</strong>{colon}'
                   f"{e(pick(rule.interpretation['reading'], lang))}</p>")
    out += ['<table class="findings"><colgroup><col style="width:5.5rem"><col style="width:11rem"><col></colgroup>',
            f"<tr><th>{e(w['where'])}</th><th>{e(w['entity'])}</th><th>{e(w['found'])}</th></tr>"]
    for finding in result.findings:
        out.append(f'<tr><td class="nowrap">{e(_where(finding.location, w))}</td>'
                   f"<td>{e(entity_words(finding.entity, finding.label, lang))}</td>"
                   f"<td>{e(finding_message(result, finding, lang))}{_evidence(finding, lang)}</td></tr>")
    out.append("</table>")
    if rule.remediation:
        out.append(f"<p><strong>{e(w['remediation'])}</strong>{colon}{e(remediation(rule, lang))}</p>")
    out.append("</article>")
    return out


def _supply(report, lang: str) -> list[str]:
    """The unknowns as a list of what to supply: per entity, the missing fields and the
    requirements that need them."""
    w = _words(lang)
    unknown = [r for r in report.results if r.status == "unknown"]
    if not unknown:
        return []
    rows: dict[str, tuple[set, list]] = {}
    for result in unknown:
        if result.reason == "unknown.missing":
            entities = result.params.get("entities") or ["hall"]
            fields = result.params.get("fields") or []
        else:
            entities, fields = [w["calendar"]], []
        for entity in entities:
            have = rows.setdefault(entity, (set(), []))
            have[0].update(fields)
            title = pick(result.rule.title, lang)
            if title not in have[1]:
                have[1].append(title)
    sep = "；" if lang == "zh" else "; "
    out = [f"<h3>{e(w['supply'])}（{len(unknown)}）</h3>" if lang == "zh" else f"<h3>{e(w['supply'])} ({len(unknown)})</h3>",
           f"<p>{e(w['supply_intro'])}</p>", "<table>",
           '<colgroup><col style="width:9rem"><col style="width:14rem"><col></colgroup>',
           f"<tr><th>{e(w['entity'])}</th><th>{e(w['fields'])}</th><th>{e(w['needed_for'])}</th></tr>"]
    for entity, (fields, titles) in rows.items():
        out.append(f"<tr><td>{e(_entity_place(entity, report, lang))}</td>"
                   f"<td>{'、'.join(f'<code>{e(f)}</code>' for f in sorted(fields)) or '—'}</td>"
                   f"<td>{e(sep.join(titles))}</td></tr>")
    out.append("</table>")
    return out


def _entity_place(entity: str, report, lang: str) -> str:
    """items[1] -> 事项（第 2 项）: an entity by its kind and its place in the description."""
    if entity == "hall":
        return report.hall
    if "[" not in entity:
        return entity
    collection, rest = entity.split("[", 1)
    try:
        index = int(rest.split("]", 1)[0]) + 1
    except ValueError:
        return entity
    kind = entity_kind(collection, lang)
    return f"{kind}（第 {index} 项）" if lang == "zh" else f"{kind} no. {index}"


def _passed(report, lang: str, register: dict) -> list[str]:
    w = _words(lang)
    passed = [r for r in report.results if r.status == "pass"]
    if not passed:
        return []
    out = [f"<h3>{e(w['passed'])}（{len(passed)}）</h3>" if lang == "zh" else f"<h3>{e(w['passed'])} ({len(passed)})</h3>",
           '<ul class="passed">']
    for result in passed:
        regulation = register.get(result.rule.regulation)
        where = clause_label(regulation, result.rule.clause) if regulation else result.rule.clause
        out.append(f'<li>{e(pick(result.rule.title, lang))} <span class="cite">{e(where)}</span></li>')
    out.append("</ul>")
    return out


def _others(report, lang: str) -> list[str]:
    """Waived and errored rules, if any: rare, so a plain table."""
    w = _words(lang)
    others = [r for r in report.results if r.status in ("waived", "error")]
    if not others:
        return []
    out = [f"<h3>{e(w['other'])}</h3>", "<table>",
           '<colgroup><col style="width:6rem"><col style="width:40%"><col></colgroup>',
           f"<tr><th>{e(w['status'])}</th><th>{e(w['rule'])}</th><th>{e(w['reason'])}</th></tr>"]
    for result in others:
        out.append(f"<tr><td>{_mark(result.status, lang)}</td><td>{e(pick(result.rule.title, lang))}<br>"
                   f'<span class="id">{e(result.rule.id)}</span></td><td>{e(reason_text(result, lang))}</td></tr>')
    out.append("</table>")
    return out


def _appendix(report, lang: str, register: dict) -> list[str]:
    w = _words(lang)
    na = [r for r in report.results if r.status == "not_applicable"]
    if not na:
        return []
    out = ['<div class="appendix">', f"<h3>{e(w['appendix'])}（{len(na)}）</h3>" if lang == "zh"
           else f"<h3>{e(w['appendix'])} ({len(na)})</h3>", "<table>",
           '<colgroup><col style="width:45%"><col></colgroup>',
           f"<tr><th>{e(w['rule'])}</th><th>{e(w['reason'])}</th></tr>"]
    for result in na:
        out.append(f"<tr><td>{e(pick(result.rule.title, lang))}<br><span class=\"id\">{e(result.rule.id)}</span></td>"
                   f"<td>{e(reason_text(result, lang))}</td></tr>")
    out += ["</table>", "</div>"]
    return out


def _sign(lang: str) -> list[str]:
    """Blank lines to fill in by hand: who inspected, who received the report, and when."""
    w = _words(lang)
    out = ['<footer class="sign">', f"<h3>{e(w['sign'])}</h3>"]
    for who in ("inspector", "hall_rep"):
        out.append(f'<div class="sign-row"><span>{e(w[who])}</span>'
                   f'<span class="line"></span><span>{e(w["date"])}</span><span class="line"></span></div>')
    out.append("</footer>")
    return out


def _tech(reports, lang: str, fail_on: str, run) -> list[str]:
    w = _words(lang)
    engines = "、".join(sorted({r.engine for r in reports if r.engine})) or "—"
    threshold = severity_word(fail_on, lang) if fail_on in SEVERITY else ("不判定" if lang == "zh" else fail_on)
    line = w["tech_line"].format(version=__version__, engine=engines, fail_on=threshold if lang == "zh" else fail_on,
                                 code=exit_code(reports, fail_on, run))
    return [f'<footer class="tech">{e(w["tech"])}{"：" if lang == "zh" else ": "}{e(line)}</footer>']


def _where(location, w: dict) -> str:
    """Line N of the hall file, or the cell of an imported row (花名册.xlsx!进驻人员!D5)."""
    return str(location) if location.sheet is not None else w["line"].format(line=location.line)
