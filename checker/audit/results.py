"""What an audit finds, as small immutable values. Rendering them is the report's job."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..problems import Location, Problem

STATUSES = ("fail", "unknown", "error", "waived", "pass", "not_applicable")


@dataclass(frozen=True)
class EnumValue:
    """An enumeration value: its canonical id in JSON, its Chinese words in a Chinese report."""

    vocab: str
    value: str

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int  # 1 or 2

    def __str__(self) -> str:
        return f"{self.year}H{self.half}"


@dataclass(frozen=True)
class Evidence:
    """One value the rule read, what it was, and what the clause expects of it."""

    subject: str  # as the rule names it, e.g. stationed_from or years(stationed_from → ...)
    actual: object
    op: str
    expected: object
    held: bool | None


@dataclass(frozen=True)
class Finding:
    rule: str
    entity: str  # path in the hall document, e.g. staff[2]
    label: str  # how a person names the entity, e.g. "S02 王芳"
    location: Location
    evidence: tuple[Evidence, ...]
    placeholders: dict  # values for the rule's message
    baseline: str | None = None  # new or persisting against --baseline; None without one

    @property
    def primary(self) -> Evidence | None:
        """The evidence that speaks most directly to the failure."""
        return next((e for e in self.evidence if e.held is False), self.evidence[0] if self.evidence else None)


@dataclass(frozen=True)
class RuleResult:
    rule: object  # checker.ruleset.rules.Rule
    status: str
    reason: str | None = None  # message code explaining not_applicable / unknown / error
    params: dict = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    checked: int = 0  # entities the rule was decided for
    waived: tuple = ()  # checker.run.waivers.WaivedFinding: failures a waiver covers (not in findings)
    # decided, but on a working-day count that reaches the last two weeks before a year whose
    # holiday notice is not published: these years' notices could still change the verdict
    provisional: tuple[int, ...] = ()


@dataclass(frozen=True)
class HallReport:
    file: str
    hall: str  # name
    level: str | None
    kind: str | None
    as_of: dt.date | None
    as_of_source: str  # option, file or today
    engine: str
    results: tuple[RuleResult, ...] = ()
    problems: tuple[Problem, ...] = ()  # the hall could not be audited: why
    fixed: tuple | None = None  # checker.run.baseline.Fixed: in the baseline, gone now; None without one
    calendar: tuple = ()  # checker.input.workdays.Notice citations (dicts) laid over the packaged calendar for this audit
    scopes: tuple = ()  # checker.audit.facts.Scope: per regulation, whether it governs this hall and why
    code: str | None = None  # hall.code: the stable identity waivers match on
    data_as_of: dt.date | None = None  # the hall file's own as_of: the date its data is true for
    notices: tuple[Problem, ...] = ()  # about the audit, not the hall: checker.run.dates

    @property
    def checked_nothing(self) -> bool:
        """Audited, yet no rule was decided either way: every rule did not apply or lacked data."""
        return not self.problems and not any(r.status in ("pass", "fail", "waived") for r in self.results)

    def counts(self) -> dict[str, int]:
        out = {status: 0 for status in STATUSES}
        for result in self.results:
            out[result.status] += 1
        return out


@dataclass(frozen=True)
class RunInfo:
    """What a run adds around its audits: waiver notices and a baseline. Defaults: none used."""

    waivers_file: str | None = None
    notices: tuple[Problem, ...] = ()  # about the waivers: expired, stale (never a reason for exit 2)
    baseline_file: str | None = None
    fail_on_new: bool = False
    accept_nothing_checked: bool = False  # --allow-nothing-checked: a hall no rule reached is not exit 2
    rules: dict | None = None  # with --rules: which pack and overrides were in force (checker.ruleset.packs RuleSet.info)
    shard: dict | None = None  # with --shard K/N: {"index": K, "count": N}, for `hallcheck merge`
