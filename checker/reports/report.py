"""What every report format says alike: the exit code and the counts of a run (Tally), a
finding's message, why a rule did not apply or could not be decided, the calendar a count used.
The formats themselves are a module each (json_report, text, sarif, html ...)."""

from __future__ import annotations

import re
from collections import Counter


from .messages import entity_kind, expectation, pick, render, show, show_label
from .terminal import visible
from ..audit.results import STATUSES, EnumValue, Finding, HallReport, RuleResult, RunInfo

# A finding's message: a rule's placeholders filled with a hall's values, each capped at loading
# (load.MAX_TEXT); this caps their product.
MAX_MESSAGE = 2_000
FAIL_ON = ("critical", "major", "minor", "info", "never")
_PLACEHOLDER = re.compile(r"{([a-z_][a-z0-9_.]*)}")


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


def status_counts(reports: list[HallReport]) -> dict:
    """Rules per status over these reports, and the halls counted."""
    return tally(reports).summary()


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

def scope_text(scope, lang: str) -> str:
    """Why a regulation governs the hall or not, as a person checks it at a glance."""
    return render(scope.reason, _named(scope.params), lang)
