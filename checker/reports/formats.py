"""Report formats beyond the terminal text and the JSON report: `hallcheck check --format X`.

One module a format, each with `render(reports, lang, fail_on, register) -> str`:

- sarif: SARIF 2.1.0, for code-scanning tools
- junit: JUnit XML, for CI test reports
- markdown: a pull-request comment
- html: a standalone, printable inspection report
- csv: a spreadsheet, one row per rule and hall
- pdf: the html report printed by headless Chromium (bytes)
- xlsx: the rectification ledger (整改台账), one row per failing finding (bytes)
- gitlab: GitLab Code Quality JSON, the findings on a merge request
- github: GitHub Actions workflow commands, annotations on a pull request

Like the JSON report, every format is a pure function of the audits: no timestamps, stable
order, so the same input gives the same bytes. The words come from `checker.reports.messages` and
`checker.reports.report` (finding_message, reason_text, exit_code); what is here is only what more
than one format needs.
"""

from __future__ import annotations

import importlib

from .messages import SEVERITY, STATUS, expectation, pick, show
from .report import status_counts
from ..audit.results import STATUSES, Evidence, HallReport, RuleResult

FORMATS = ("sarif", "junit", "markdown", "html", "csv", "pdf", "xlsx", "gitlab", "github")
BINARY = ("pdf", "xlsx")
# the module of a format whose name would shadow a standard module
MODULES = {"csv": "csv_table"}
# formats that take `appendix` (every not-applicable rule listed)
WITH_APPENDIX = ("html", "pdf")

# a regulation that does not reach the hall at all (rather than one rule that does not apply)
REGULATION_REASONS = ("na.not_yet_in_force", "na.expired", "na.place")


def render(name: str, reports: list[HallReport], lang: str, fail_on: str, register: dict, run=None,
           appendix: bool = False) -> str | bytes:
    """The report in format `name` (one of FORMATS): text, or bytes for those in BINARY. `run`
    (checker.audit.results.RunInfo) is what the run adds around the audits, the options that decide
    the exit code among them."""
    if name not in FORMATS:
        raise ValueError(f"unknown report format {name!r}")
    module = importlib.import_module(f"{__package__}.{MODULES.get(name, name)}")
    if name in WITH_APPENDIX:
        return module.render(reports, lang, fail_on, register, run, appendix=appendix)
    return module.render(reports, lang, fail_on, register, run)


def rules_of(reports: list[HallReport]) -> list:
    """Every rule that has a result, once each, in the order the audits ran them."""
    seen: dict[str, object] = {}
    for report in reports:
        for result in report.results:
            seen.setdefault(result.rule.id, result.rule)
    return list(seen.values())


def clause_label(regulation, path: str) -> str:
    """第二十九条（一）: the clause's label after those of the clauses it is nested in."""
    labels = []
    clause = regulation.clause(path)
    while clause is not None:
        labels.append(clause.label)
        clause = regulation.clause(clause.parent) if clause.parent else None
    return "".join(reversed(labels))


def citation(rule, register: dict) -> str:
    """《title》（document number）clause label [clause path], as `hallcheck explain` cites it."""
    regulation = register.get(rule.regulation)
    if regulation is None:
        return f"{rule.regulation} [{rule.clause}]"
    number = f"（{regulation.document_number}）" if regulation.document_number else ""
    return f"《{regulation.title}》{number}{clause_label(regulation, rule.clause)} [{rule.clause}]"


def quoted(rule) -> str:
    """The clause words the rule quotes, each in quotation marks."""
    return " … ".join(f"“{q}”" for q in rule.quote)


def clause_text(rule, register: dict) -> str:
    regulation = register.get(rule.regulation)
    return regulation.full_text(rule.clause) if regulation else ""


def remediation(rule, lang: str) -> str:
    return pick(rule.remediation, lang) if rule.remediation else ""


def evidence_text(evidence: Evidence, lang: str) -> str:
    """✗ years(stationed_from → stationed_until) = 1.92; expected at least 2 (✓ held, ✗ did not, ? unknown)."""
    mark = {True: "✓", False: "✗"}.get(evidence.held, "?")
    if evidence.op == "holds":
        return f"{mark} {evidence.subject} = {show(evidence.actual, lang)}"
    wanted = "应" if lang == "zh" else "expected"
    sep = "；" if lang == "zh" else "; "
    return (f"{mark} {evidence.subject} = {show(evidence.actual, lang)}{sep}"
            f"{wanted} {expectation(evidence.op, evidence.expected, lang)}")


def status_word(status: str, lang: str) -> str:
    return pick(STATUS[status], lang)


def severity_word(severity: str, lang: str) -> str:
    return pick(SEVERITY[severity], lang)


def counts_text(counts: dict, lang: str) -> str:
    """fail 1, unknown 3, pass 0, not applicable 24: as the text report's summary line says it."""
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{status_word(s, lang)} {counts.get(s, 0)}" for s in STATUSES
                    if counts.get(s, 0) or s in ("pass", "fail"))


def failures_by_severity(reports: list[HallReport]) -> dict[str, int]:
    out = {severity: 0 for severity in SEVERITY}
    for report in reports:
        for result in report.results:
            if result.status == "fail":
                out[result.rule.severity] += 1
    return out


def total_counts(reports: list[HallReport]) -> dict[str, int]:
    """Results by status over every hall, as the JSON report's summary counts them."""
    summary = status_counts(reports)
    return {status: summary[status] for status in STATUSES}


def by_regulation(results) -> dict[str, list[RuleResult]]:
    """Results grouped by regulation, in their order."""
    out: dict[str, list[RuleResult]] = {}
    for result in results:
        out.setdefault(result.rule.regulation, []).append(result)
    return out


def regulation_reach(results: list[RuleResult]) -> RuleResult | None:
    """The result saying why a regulation does not reach the hall at all, or None when it does."""
    if results and all(r.status == "not_applicable" and r.reason in REGULATION_REASONS for r in results):
        return results[0]
    return None
