"""Waivers: approved exceptions to rules, applied to finished audits (`hallcheck check --waivers`).

A waiver names a rule, optionally a hall (its file as shown, and/or its stable identity
`hall_code`, the hall's `hall.code`) and an entity (staff[2]), and carries its justification, approving authority, document number and expiry
date. `apply_waivers` is a pure function over HallReports:

- a failing rule all of whose findings are matched by waivers in force becomes `waived`; when
  only some are matched it still fails with the rest, and the matched ones move to `waived`;
- a waiver is in force for a hall while the hall's audit date is on or before its expiry; an
  expired waiver that still targets an audited hall is reported (`waiver.expired`), and its
  findings count again;
- a waiver in force that matches no failure in any hall it targets is reported as stale
  (`waiver.stale`). A waiver for a hall that is not in this run, or whose file could not be
  audited, says nothing: it may well be needed there.

A hall's name is not an identity: any file can copy another hall's name and would inherit its
waivers. A waiver whose `hall` is only the name of an audited hall matches nothing and says so
(`waiver.name_only`). Each waived finding records the identity that matched (`matched_by`).

Notices are Problems located at the waiver's entry in the waivers file; they inform, they never
change the exit code. The first matching waiver, in file order, is the one a finding is waived by.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
from dataclasses import dataclass

from ..input.load import load_file
from ..problems import InputError, Location, Problem
from ..audit.results import Finding, HallReport, RuleResult
from ..input.validate import schema_problems


@dataclass(frozen=True)
class Waiver:
    rule: str
    hall: str | None
    entity: str | None
    justification: str
    approved_by: str
    document: str
    expires: dt.date
    location: Location  # its entry in the waivers file
    hall_paths: tuple[str, ...] = ()  # `hall` read as a path: absolute, normalised candidates
    hall_code: str | None = None

    @property
    def target(self) -> str:
        """How notices name it: rule, and hall and entity where given."""
        return " ".join(part for part in (self.rule, self.hall, self.hall_code, self.entity) if part)

    def matches_hall(self, report: HallReport) -> bool:
        if self.hall is not None and not (self.hall == report.file or _absolute(report.file) in self.hall_paths):
            return False
        return self.hall_code is None or self.hall_code == report.code

    def names_by_name_only(self, report: HallReport) -> bool:
        """The waiver's `hall` is this hall's name but not its file: the old, unsafe match."""
        return self.hall is not None and self.hall == report.hall and not self.matches_hall(report)

    def matched_by(self, report: HallReport) -> dict:
        """The identity a match rested on: the hall's file and/or code (none: every hall)."""
        return {"file": report.file if self.hall is not None else None,
                "code": report.code if self.hall_code is not None else None}

    def matches(self, report: HallReport, finding: Finding) -> bool:
        return (finding.rule == self.rule and (self.entity is None or finding.entity == self.entity)
                and self.matches_hall(report))

    def in_force(self, day: dt.date | None) -> bool:
        return day is None or day <= self.expires


@dataclass(frozen=True)
class WaivedFinding:
    finding: Finding
    waiver: Waiver
    matched_by: dict | None = None  # {"file": ..., "code": ...}: the identity the waiver matched


def load_waivers(path: str, display: str, rule_ids: set[str] | None = None) -> list[Waiver]:
    """The waivers in a file, or InputError with every problem located in it."""
    document = load_file(path, display_name=display)
    problems = schema_problems(document, "waivers")
    if problems:
        raise InputError(problems)
    base = os.path.dirname(os.path.abspath(path))
    waivers = []
    for index, entry in enumerate(document.data["waivers"]):
        if rule_ids is not None and entry["rule"] not in rule_ids:
            suggest = difflib.get_close_matches(entry["rule"], sorted(rule_ids), n=3, cutoff=0.6)
            problems.append(Problem("waiver.unknown_rule", document.locate(("waivers", index, "rule")),
                                    {"rule": entry["rule"], "suggest": suggest}))
            continue
        hall = entry.get("hall")
        paths = tuple(sorted({_absolute(hall), os.path.normpath(os.path.join(base, hall))})) if hall else ()
        waivers.append(Waiver(entry["rule"], hall, entry.get("entity"), entry["justification"],
                              entry["approved_by"], entry["document"], dt.date.fromisoformat(entry["expires"]),
                              document.locate(("waivers", index)), paths, entry.get("hall_code")))
    if problems:
        raise InputError(problems)
    return waivers


def apply_waivers(reports: list[HallReport], waivers: list[Waiver]) -> tuple[list[HallReport], list[Problem]]:
    """The reports with waived failures marked, and the notices about the waivers themselves."""
    waiving = Waiving(waivers)
    out = [waiving.apply(report) for report in reports]
    return out, waiving.notices()


class Waiving:
    """The waivers applied one hall at a time (a run's reports may be a stream); what to say about
    the waivers themselves (expired, stale, named by name only) is known once every hall has been seen."""

    def __init__(self, waivers: list[Waiver]):
        self.waivers = waivers
        self.used: set[int] = set()
        self.expired: dict[int, dt.date] = {}  # waiver -> the latest audit date it was expired for
        self.targeted: set[int] = set()  # waivers that target at least one hall audited in this run
        self.by_name: set[int] = set()  # waivers that name an audited hall by its name only

    def apply(self, report: HallReport) -> HallReport:
        """The report with waived failures marked."""
        if report.problems:
            return report
        for number, waiver in enumerate(self.waivers):
            if waiver.names_by_name_only(report):
                self.by_name.add(number)
            if waiver.matches_hall(report):
                self.targeted.add(number)
                if not waiver.in_force(report.as_of):
                    self.expired[number] = max(self.expired.get(number, report.as_of), report.as_of)
        results = tuple(_waive(report, result, self.waivers, self.used) if result.status == "fail" else result
                        for result in report.results)
        return dataclasses.replace(report, results=results)

    def notices(self) -> list[Problem]:
        """The notices about the waivers: named by name only, expired for a hall they target, or in
        force and matching nothing."""
        out = []
        for number, waiver in enumerate(self.waivers):
            if number in self.by_name and number not in self.targeted:
                out.append(Problem("waiver.name_only", waiver.location, {"target": waiver.target, "hall": waiver.hall}))
            elif number in self.expired:
                out.append(Problem("waiver.expired", waiver.location, {
                    "target": waiver.target, "rule": waiver.rule, "expires": waiver.expires,
                    "as_of": self.expired[number]}))
            elif number in self.targeted and number not in self.used:
                out.append(Problem("waiver.stale", waiver.location, {"target": waiver.target, "rule": waiver.rule}))
        return out


def _waive(report: HallReport, result: RuleResult, waivers: list[Waiver], used: set[int]) -> RuleResult:
    kept, waived = [], list(result.waived)
    for finding in result.findings:
        number = next((n for n, w in enumerate(waivers)
                       if w.in_force(report.as_of) and w.matches(report, finding)), None)
        if number is None:
            kept.append(finding)
        else:
            used.add(number)
            waived.append(WaivedFinding(finding, waivers[number], waivers[number].matched_by(report)))
    if not waived or len(waived) == len(result.waived):
        return result
    if kept:
        return dataclasses.replace(result, findings=tuple(kept), waived=tuple(waived))
    distinct = list(dict.fromkeys(item.waiver for item in waived))
    if len(distinct) == 1:
        w = distinct[0]
        reason, params = "waiver.applied", {"justification": w.justification, "approved_by": w.approved_by,
                                            "document": w.document, "expires": w.expires}
    else:
        reason, params = "waiver.applied_many", {"count": len(distinct)}
    return dataclasses.replace(result, status="waived", reason=reason, params=params, findings=(),
                               waived=tuple(waived))


def _absolute(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))
