"""The coverage table as text, JSON or Markdown."""

from __future__ import annotations

import json

from .coverage import Reading, RegulationCoverage
from ..reports.messages import pick

_STATUS = {"encoded": ("已编码", "encoded"), "not_checkable": ("不可机器检查", "not checkable"),
           "missing": ("缺失", "MISSING")}


def render_coverage(result: list[RegulationCoverage], fmt: str, lang: str) -> str:
    if fmt == "json":
        return json.dumps([_json(c) for c in result], ensure_ascii=False, indent=2) + "\n"
    lines = []
    for reg in result:
        head = (f"{reg.regulation.id} {reg.regulation.title}: {reg.count('encoded')} encoded, "
                f"{reg.count('not_checkable')} not checkable, {reg.count('missing')} missing; "
                f"checkable clauses encoded {reg.share:.0%}")
        if fmt == "markdown":
            lines += [f"## {head}", "", "| clause | status | rules / reason |", "|---|---|---|"]
        else:
            lines.append(head)
        for row in reg.clauses:
            detail = ", ".join(row.rules) if row.rules else (pick(row.reason, lang) if row.reason else "")
            status = pick(_STATUS[row.status], lang)
            if fmt == "markdown":
                lines.append(f"| {row.path} | {status} | {detail} |")
            else:
                lines.append(f"  {row.path:<14} {status:<14} {detail}")
        lines.append("")
    return "\n".join(lines)


def render_readings(rows: list[Reading], fmt: str, lang: str) -> str:
    """Every interpretation and severity reason, for a policy owner to review in one place."""
    if fmt == "json":
        return json.dumps([{"rule": r.rule, "regulation": r.regulation, "clause": r.clause, "severity": r.severity,
                            "vague": list(r.vague), "reading": r.reading, "severity_reason": r.severity_reason}
                           for r in rows], ensure_ascii=False, indent=2) + "\n"
    words = {"reading": ("解读", "reading"), "reason": ("定级理由", "grading"), "vague": ("用语", "words")}
    lines = []
    if fmt == "markdown":
        lines += [f"| rule | {pick(words['vague'], lang)} | {pick(words['reading'], lang)} / {pick(words['reason'], lang)} |",
                  "|---|---|---|"]
    for r in rows:
        said = " ".join(f"{pick(words[key], lang)}: {pick(text, lang)}"
                        for key, text in (("reading", r.reading), ("reason", r.severity_reason)) if text)
        vague = "、".join(r.vague) if lang == "zh" else ", ".join(r.vague)
        if fmt == "markdown":
            lines.append(f"| {r.rule} ({r.severity}) | {vague} | {said} |")
        else:
            lines += [f"{r.rule}  [{r.severity}]" + (f"  {vague}" if vague else ""), f"    {said}"]
    return "\n".join(lines) + "\n"


def _json(reg: RegulationCoverage) -> dict:
    return {
        "regulation": reg.regulation.id,
        "encoded": reg.count("encoded"),
        "not_checkable": reg.count("not_checkable"),
        "missing": reg.count("missing"),
        "share_encoded": round(reg.share, 4),
        "clauses": [{"path": c.path, "label": c.label, "status": c.status, "rules": list(c.rules),
                     "reason": c.reason} for c in reg.clauses],
    }
