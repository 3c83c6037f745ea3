"""Traceability: for every clause of every regulation, the rules that encode it or the recorded
reason it is not machine-checkable.

The unit is the leaf clause (nothing nested under it), and a clause with items under it that
carries duties in its own words (wuhai s2.1.3). A rule encodes the clause whose own words contain
its quote; a quote that no single clause holds is credited to the clause the rule cites.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ruleset.regulations import Regulation, normalise_quote
from ..ruleset.rules import Rule


@dataclass(frozen=True)
class ClauseCoverage:
    regulation: str
    path: str
    label: str
    status: str  # encoded, not_checkable, missing
    rules: tuple[str, ...]
    reason: dict | None


@dataclass(frozen=True)
class RegulationCoverage:
    regulation: Regulation
    clauses: tuple[ClauseCoverage, ...]

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.clauses)

    @property
    def share(self) -> float:
        """Encoded among the checkable clauses (those not recorded as not checkable)."""
        checkable = len(self.clauses) - self.count("not_checkable")
        return 1.0 if checkable == 0 else self.count("encoded") / checkable


def credited_clauses(rule: Rule, regulation: Regulation) -> set[str]:
    """The clause paths whose words the rule quotes."""
    scope = [rule.clause] + _descendants(regulation, rule.clause)
    credited = set()
    for quote in rule.quote:
        wanted = normalise_quote(quote)
        holders = [path for path in scope if wanted in normalise_quote(regulation.clause(path).text)]
        credited.update(holders or [rule.clause])
    return credited


def _descendants(regulation: Regulation, path: str) -> list[str]:
    out = []
    for child in regulation.children(path):
        out += [child.path] + _descendants(regulation, child.path)
    return out


@dataclass(frozen=True)
class Reading:
    """A reading decision a policy owner reviews: how a rule read words its clause leaves open
    (interpretation), or why it is graded against what its words suggest (severity_reason)."""

    rule: str
    regulation: str
    clause: str
    severity: str
    vague: tuple[str, ...]
    reading: dict | None
    severity_reason: dict | None


def readings(rules: list[Rule]) -> list[Reading]:
    """Every recorded reading decision of the rule set, in regulation and clause order."""
    out = [Reading(rule.id, rule.regulation, rule.clause, rule.severity,
                   tuple((rule.interpretation or {}).get("vague", ())),
                   (rule.interpretation or {}).get("reading"), rule.source.get("severity_reason"))
           for rule in rules if rule.interpretation or "severity_reason" in rule.source]
    return sorted(out, key=lambda r: (r.regulation, r.clause, r.rule))


def coverage(register: dict[str, Regulation], rules: list[Rule]) -> list[RegulationCoverage]:
    by_clause: dict[tuple[str, str], list[str]] = {}
    for rule in rules:
        for path in credited_clauses(rule, register[rule.regulation]):
            by_clause.setdefault((rule.regulation, path), []).append(rule.id)
    out = []
    for regulation in register.values():
        rows = []
        for clause in regulation.coverage_units():
            ids = tuple(sorted(by_clause.get((regulation.id, clause.path), [])))
            if ids:
                status = "encoded"
            elif clause.checkable is False:
                status = "not_checkable"
            else:
                status = "missing"
            rows.append(ClauseCoverage(regulation.id, clause.path, clause.label, status, ids, clause.reason))
        out.append(RegulationCoverage(regulation, tuple(rows)))
    return out
