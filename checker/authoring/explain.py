"""A rule in plain words, in Chinese or English: for `hallcheck explain`."""

from __future__ import annotations

from collections import Counter

from ..language import ast as syntax
from ..reports.messages import STATUS, expectation, pick, show
from ..ruleset.regulations import Regulation
from ..audit.results import EnumValue
from ..ruleset.rules import Rule

_COLLECTION = {
    "hall": ("本大厅", "the hall"), "windows": ("窗口", "windows"), "staff": ("工作人员", "staff"),
    "items": ("事项", "service items"), "meetings": ("会议", "meetings"), "assessments": ("检查考核", "assessments"),
    "policies": ("政策文件", "policies"), "cases": ("办件", "cases"), "systems": ("信息系统", "systems"),
    "complaints": ("投诉", "complaints"), "reports": ("报送记录", "reports"), "departments": ("部门", "departments"),
}


def _collection_words(name: str, language: str) -> str:
    return pick(_COLLECTION.get(name, (name, name)), language)
_UNITS = {"days": ("天数", "days"), "months": ("月数", "months"), "years": ("年数", "years"),
          "working_days": ("工作日数", "working days")}


def describe(node: syntax.Node, language: str, depth: int = 0) -> str:
    """The condition as an indented list of sentences."""
    pad = "  " * depth
    zh = language == "zh"
    if isinstance(node, (syntax.All, syntax.Any_)):
        head = ("同时满足：" if zh else "all of:") if isinstance(node, syntax.All) else ("满足其一：" if zh else "any of:")
        return pad + head + "".join("\n" + describe(child, language, depth + 1) for child in node.children)
    if isinstance(node, syntax.Not):
        return pad + ("并非：" if zh else "not:") + "\n" + describe(node.child, language, depth + 1)
    if isinstance(node, syntax.Quantified):
        what = _collection_words(node.collection, language)
        words = {"some": ("至少有一个", "at least one of the"), "none": ("没有任何", "none of the"),
                 "every": ("每一个", "every one of the")}[node.kind]
        text = f"{pad}{pick(words, language)} {what}"
        if node.where:
            text += ("，其中：" if zh else ", where:") + "\n" + describe(node.where, language, depth + 1)
        if node.require:
            text += "\n" + pad + ("须满足：" if zh else "must satisfy:") + "\n" + describe(node.require, language, depth + 1)
        return text
    return pad + f"{subject_words(node.subject, language)} {expectation(node.op, _operand(node.value, node.spec), language)}"


def _operand(value, spec=None):
    """A field as [name]; an enumeration literal as its vocabulary value, so that a Chinese
    explanation names it in Chinese."""
    if isinstance(value, syntax.FieldRef):
        return f"[{value.text}]"
    vocab = spec and (spec.vocab or (spec.item.vocab if spec.item else None))
    if vocab and isinstance(value, str):
        return EnumValue(vocab, value)
    if vocab and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [EnumValue(vocab, v) for v in value]
    return value


def subject_words(subject, language: str) -> str:
    zh = language == "zh"
    if isinstance(subject, syntax.FieldRef):
        return f"[{subject.text}]"
    if isinstance(subject, syntax.Count):
        what = _collection_words(subject.collection, language)
        return (f"{what}的数量" if zh else f"the number of {what}") + _where(subject.where, language)
    if isinstance(subject, syntax.Share):
        what = _collection_words(subject.collection, language)
        return (f"{what}中满足条件的比例" if zh else f"the share of {what} that satisfy") + _where(subject.where, language)
    if isinstance(subject, syntax.Between):
        unit = pick(_UNITS[subject.unit], language)
        start = " / ".join(f"[{r.text}]" for r in subject.start)
        end = " / ".join(f"[{r.text}]" for r in subject.end)
        return f"{start} 至 {end} 的{unit}" if zh else f"the {unit} from {start} to {end}"
    if isinstance(subject, syntax.DaysIn):
        unit = pick(_UNITS[subject.unit], language)
        lists = " + ".join(f"[{r.text}]" for r in subject.lists)
        return (f"{lists} 各时段合计的{unit}（重叠只计一次）" if zh
                else f"the {unit} covered by the periods of {lists} (overlaps once)")
    if isinstance(subject, syntax.PeriodsWithout):
        what = _collection_words(subject.collection, language)
        since = " / ".join(f"[{r.text}]" for r in subject.since)
        return (f"自 {since} 起没有{what}的完整半年数" if zh
                else f"the complete half-years since {since} without {what}") + _where(subject.where, language)
    return str(subject)


def _where(node, language: str) -> str:
    if node is None:
        return ""
    return (" (条件：" if language == "zh" else " (where ") + describe(node, language).strip().replace("\n", " ") + ")"


def explain_rule(rule: Rule, regulation: Regulation, language: str) -> str:
    from .ruletest import examples_path
    zh = language == "zh"
    clause = regulation.clause(rule.clause)
    lines = [
        f"{rule.id}  [{rule.severity}]",
        pick(rule.title, language),
        "",
        f"{regulation.title} {regulation.document_number or ''} {clause.label if clause else ''} [{rule.clause}]".strip(),
        regulation.full_text(rule.clause),
        "",
        ("引文：" if zh else "Quoted: ") + " / ".join(f"“{q}”" for q in rule.quote),
    ]
    if rule.interpretation:
        lines += ["", ("解释（模糊用语 " if zh else "Interpretation (vague: ") + "、".join(rule.interpretation["vague"]) + ")",
                  pick(rule.interpretation["reading"], language)]
    scope = _collection_words(rule.for_each, language)
    lines += ["", ("规则：对每个" if zh else "The rule: for each ") + scope if rule.for_each != "hall"
              else ("规则：对本大厅" if zh else "The rule: for the hall")]
    if rule.levels or rule.kinds:
        sep = "、" if zh else ", "
        lines.append(("适用：" if zh else "applies to: ") + " ".join(part for part in (
            sep.join(show(EnumValue("level", v), language) for v in rule.levels or ()),
            sep.join(show(EnumValue("hall_kind", v), language) for v in rule.kinds or ())) if part))
    if rule.when:
        lines += [("当本大厅满足：" if zh else "when the hall satisfies:"), describe(rule.when, language, 1)]
    if rule.where:
        lines += [("所指对象：" if zh else "those where:"), describe(rule.where, language, 1)]
    lines += [("须满足：" if zh else "must satisfy:"), describe(rule.require, language, 1)]
    if rule.remediation:
        lines += ["", ("整改建议：" if zh else "Remediation: ") + pick(rule.remediation, language)]
    path = examples_path(rule)
    if path.exists():
        lines += ["", ("示例：" if zh else "Examples: ") + str(path)]
        from ..input.load import load_file
        cases = load_file(str(path)).data.get("cases", [])
        if zh:  # the cases are named by their authors, in English: counted by what they expect
            counts = Counter(str(case.get("expect")) for case in cases)
            lines.append(f"  {len(cases)} 个用例：" + "、".join(
                f"{pick(STATUS[expect], language) if expect in STATUS else expect} {n}" for expect, n in counts.items()))
        else:
            lines += [f"  - {case.get('name')}: {case.get('expect')}" for case in cases]
    return "\n".join(lines)


# ------------------------------------------------------------------ explain RULE --hall FILE

_HELD = {True: ("成立", "holds"), False: ("不成立", "does not hold"), None: ("无法判定", "unknown")}
_VERDICT = {"pass": ("通过", "PASS"), "fail": ("不符合", "FAIL"), "unknown": ("无法判定", "UNKNOWN")}


def evidence_line(evidence, language: str) -> str:
    """`subject = value (expected ...: holds)`: one value the rule read."""
    from ..reports.messages import show
    expected = "" if evidence.op == "holds" else expectation(evidence.op, evidence.expected, language) + ": "
    return f"{evidence.subject} = {show(evidence.actual, language)}  ({expected}{pick(_HELD[evidence.held], language)})"


def explain_trace(trace, hall, language: str) -> str:
    """What one rule read from a hall, entity by entity, and why it passed, failed, did not apply
    or could not be decided (see checker.audit.hall.trace_rule)."""
    from ..reports.messages import STATUS, render, show
    from ..input import workdays as calendar
    from ..reports.report import calendar_citation, finding_message, provisional_text
    zh = language == "zh"
    result, rule = trace.result, trace.result.rule
    info = hall.data["hall"]
    level, kind = show(EnumValue("level", info["level"]), language), show(EnumValue("hall_kind", info["kind"]), language)
    lines = [("审核 " if zh else "Audit of ") + f"{hall.file} — {hall.name} ({level}/{kind}), "
             + ("审核日 " if zh else "as of ") + f"{trace.as_of}: " + pick(STATUS[result.status], language)]
    lines += ["  " + calendar_citation(notice.citation(), language) for notice in calendar.notices()]
    if trace.when:
        lines.append("  " + ("适用条件（在本大厅上读取）：" if zh else "condition of application (read on the hall):"))
        lines += ["    " + evidence_line(e, language) for e in trace.when]
    if trace.entities:
        scope = _collection_words(rule.for_each, language)
        lines.append("  " + (f"逐一查看 {scope}：" if zh else f"each of {scope}:"))
    for entity in trace.entities:
        head = f"  - {entity.entity} {entity.label} ({entity.location})".rstrip()
        if entity.selected is True:
            verdict = pick(_VERDICT.get(entity.verdict, (entity.verdict, entity.verdict)), language)
        elif entity.selected is False:
            verdict = "未选中（where 不成立）" if zh else "not chosen (where does not hold)"
        else:
            verdict = "无法判断是否选中" if zh else "cannot tell whether where holds"
        lines.append(f"{head}: {verdict}")
        if entity.fields:
            lines.append("      " + ("字段：" if zh else "fields: ") + ", ".join(
                f"{name} = {show(_field_value(rule.for_each, name, value), language)}" for name, value in entity.fields))
        if entity.selection:
            lines.append("      " + ("where 读取：" if zh else "where read:"))
            lines += ["        " + evidence_line(e, language) for e in entity.selection]
        if entity.evidence:
            lines.append("      " + ("require 读取：" if zh else "require read:"))
            lines += ["        " + evidence_line(e, language) for e in entity.evidence]
        for label, where, elements in entity.matches:
            word = {"every": ("不满足的", "not satisfied by")}.get(label.split("(")[0], ("符合的", "matched by"))
            lines.append(f"        {label} [{where}] {pick(word, language)}: " + (", ".join(elements) or "—"))
        if entity.missing:
            lines.append("      " + render("unknown.missing", {"fields": list(entity.missing)}, language))
    why = {"pass": ("每个对象都满足要求", "every entity it speaks about meets the requirement"),
           "fail": ("以下对象不满足要求", "these entities do not meet it")}
    lines.append(("结论：" if zh else "Result: ") + pick(STATUS[result.status], language))
    if result.reason:
        lines.append("  " + render(result.reason, result.params, language))
    elif result.status in why:
        lines.append("  " + pick(why[result.status], language) + (f" ({result.checked})" if result.status == "pass" else ""))
    if result.provisional:
        lines.append("  " + provisional_text(result, language))
    for finding in result.findings:
        lines.append(f"  {finding.entity} ({finding.location}): {finding_message(result, finding, language)}")
    return "\n".join(lines)


def _field_value(collection: str, name: str, value):
    """A value read from an entity, its enumeration values wrapped so that Chinese shows them."""
    from ..input import schema as schemas
    try:
        spec = schemas.field_spec(collection, name)
    except (KeyError, TypeError):
        spec = None
    return _operand(value, spec) if spec is not None else value
