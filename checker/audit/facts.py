"""Stage 3, derive facts: for each rule, does it apply to this hall, which entities does it
speak about, and what value does each atom of its condition take for each of them.

Everything the backends match is decided here, once, in Python: both backends then see exactly
the same facts, which is what makes their results comparable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..language import compile as compiler
from ..language import ast as syntax
from ..language import evaluate as evaluation
from ..ruleset.regulations import Regulation
from .results import HalfYear
from ..ruleset.rules import Rule
from ..input.validate import Hall


@dataclass(frozen=True)
class Fact:
    id: str
    rule: str
    entity: tuple  # path of the entity in the hall document
    values: dict  # atom -> scalar; an atom whose value is unknown is absent
    shown: dict  # atom -> the actual value as a person reads it
    missing: tuple  # fields that `where` needed and lacked (its choice of the entity is unknown)
    gaps: tuple  # calendar years that `where` could not count
    lacking: dict = field(default_factory=dict)  # atom -> (fields, calendar years) it lacked, for unknown atoms
    provisional: tuple = ()  # unpublished years that could still move a working-day count made for it


@dataclass(frozen=True)
class Skip:
    """The rule gives no facts for this hall: not applicable, or undecidable, and why."""

    status: str  # not_applicable or unknown
    reason: str
    params: dict


@dataclass(frozen=True)
class Scope:
    """Whether a regulation governs this hall on the audit date, and why: status `applies`,
    `not_applicable` or `unknown` (a place field it needs is left out), with the message code
    and the values a person checks it against."""

    regulation: str
    status: str
    reason: str
    params: dict

    def skip(self) -> Skip | None:
        return None if self.status == "applies" else Skip(self.status, self.reason, self.params)


def regulation_scope(regulation: Regulation, hall: Hall, as_of: dt.date) -> Scope:
    """Dates, then place (province, city, district in turn), then level and kind."""
    def scope(status: str, reason: str, **params) -> Scope:
        return Scope(regulation.id, status, reason, params)

    if as_of < regulation.in_force:
        return scope("not_applicable", "na.not_yet_in_force", date=regulation.in_force.isoformat())
    if regulation.expires and as_of > regulation.expires:
        return scope("not_applicable", "na.expired", date=regulation.expires.isoformat())
    info = hall.data["hall"]
    place = info["jurisdiction"]
    for part in ("province", "city", "district"):
        wanted = regulation.place.get(part)
        if not wanted:
            continue
        if place.get(part) is None:  # a place it needs is not given: whether it governs is unknown
            return scope("unknown", "unknown.missing", fields=[f"hall.jurisdiction.{part}"])
        if place[part] != wanted:
            return scope("not_applicable", "na.place", place=wanted, actual=place[part])
    if info["level"] not in regulation.levels:
        return scope("not_applicable", "na.level", level=info["level"], levels=list(regulation.levels))
    if info["kind"] not in regulation.kinds:
        return scope("not_applicable", "na.kind", kind=info["kind"], kinds=list(regulation.kinds))
    governed = "".join(regulation.place.get(part) or "" for part in ("province", "city", "district"))
    return scope("applies", "scope.applies", in_force=regulation.in_force.isoformat(), place=governed,
                 levels=list(regulation.levels), level=info["level"], kind=info["kind"])


def applicability(rule: Rule, regulation: Regulation, hall: Hall, as_of: dt.date,
                  scope: Scope | None = None, joins: evaluation.Joins | None = None) -> Skip | None:
    """Why the rule gives no facts for this hall (its regulation's scope, then the levels, kinds
    and `when` the rule narrows it to), or None when it applies."""
    scope = scope or regulation_scope(regulation, hall, as_of)
    if scope.status != "applies":
        return scope.skip()
    level, kind = hall.data["hall"]["level"], hall.data["hall"]["kind"]
    if rule.levels and level not in rule.levels:
        return Skip("not_applicable", "na.level", {"level": level, "levels": list(rule.levels)})
    if rule.kinds and kind not in rule.kinds:
        return Skip("not_applicable", "na.kind", {"kind": kind, "kinds": list(rule.kinds)})
    if rule.when is not None:
        ctx = entity_context(hall, hall.data["hall"], as_of, regulation, joins)
        verdict, lacked = evaluation.evaluate(rule.when, ctx)
        if verdict is False:
            return Skip("not_applicable", "na.condition", {})
        if verdict is None:
            return _unknown(lacked)
    return None


def derive(rule: Rule, regulation: Regulation, hall: Hall, as_of: dt.date, ids,
           joins: evaluation.Joins | None = None) -> list[Fact] | Skip:
    """The rule's facts for this hall (one per entity it speaks about), or why there are none.
    `joins`: the audit's join indices, shared by all its rules."""
    if rule.for_each != "hall" and rule.for_each not in _present(hall):
        return Skip("unknown", "unknown.missing", {"fields": [rule.for_each]})
    selected = []
    for path, entity in entities(rule.for_each, hall.data):
        ctx = entity_context(hall, entity, as_of, regulation, joins)
        chosen, lacked = (True, evaluation.NOTHING) if rule.where is None else evaluation.evaluate(rule.where, ctx)
        if chosen is False:
            continue
        if chosen is None:  # whether the clause speaks of it is unknown: so is its verdict
            selected.append(Fact(next(ids), rule.id, path, {}, {}, tuple(sorted(lacked.fields)),
                                 tuple(sorted(lacked.years))))
            continue
        selected.append(rule_fact(rule, path, ctx, next(ids)))
    if not selected:
        return Skip("not_applicable", "na.nothing_selected", {"collection": rule.for_each})
    return selected


def _present(hall: Hall) -> set:
    return set(hall.data) | ({"systems"} if "systems" in hall.data["hall"] else set())


def entities(collection: str, data: dict) -> list[tuple[tuple, dict]]:
    if collection == "hall":
        return [(("hall",), data["hall"])]
    if collection == "systems":
        return [(("hall", "systems", i), e) for i, e in enumerate(data["hall"].get("systems", []))]
    return [((collection, i), e) for i, e in enumerate(data.get(collection, []))]


def entity_context(hall: Hall, entity: dict, as_of: dt.date, regulation: Regulation,
                   joins: evaluation.Joins | None = None) -> evaluation.Context:
    """Where a rule's conditions are evaluated: one entity of the hall, on a day, under a
    regulation; `joins`, the audit's join indices (without them, each context builds its own)."""
    return evaluation.Context(hall.data, entity, as_of, regulation.in_force, since=audit_period_start(hall, regulation),
                              joins=joins or evaluation.Joins())


def audit_period_start(hall: Hall, regulation: Regulation) -> dt.date:
    """Where a periodic duty (a meeting each half-year, a monthly assessment) starts being owed:
    the latest of the regulation's entry into force, the hall's opening and the first day its
    records are complete from. Nothing is owed for a period before any of them."""
    info = hall.data["hall"]
    return max(d for d in (regulation.in_force, info.get("opened_on"), info.get("records_from")) if d is not None)


def _unknown(lacked: evaluation.Lacking) -> Skip:
    if lacked.years:
        return Skip("unknown", "unknown.calendar", {"years": sorted(lacked.years)})
    return Skip("unknown", "unknown.missing", {"fields": sorted(lacked.fields)})


def rule_fact(rule: Rule, path: tuple, ctx: evaluation.Context, fact_id: str) -> Fact:
    """The values of every atom of `rule` for the entity at `path` (one `where` chose), as the
    engines match them."""
    values, shown, lacking = {}, {}, {}
    for atom in rule.atoms:
        probe = ctx.probe()
        value, display = _atom_value(atom, probe)
        shown[atom.name] = display
        if value is None:  # only what an undecided atom lacked can explain an unknown verdict
            lacking[atom.name] = (tuple(sorted(probe.missing)), tuple(sorted(probe.gaps)))
        else:
            values[atom.name] = compiler.scalar(value)
    return Fact(fact_id, rule.id, path, values, shown, (), (), lacking, tuple(sorted(ctx.provisional)))


def unknown_because(rule: Rule, fact: Fact) -> tuple[tuple, tuple]:
    """(fields, calendar years) that an unknown verdict waited for: what `where` lacked, and
    what each atom lacked that could still have decided the rule."""
    fields, years = set(fact.missing), set(fact.gaps)
    for atom in compiler.undecided(rule.match, fact.values):
        lacked, uncounted = fact.lacking.get(atom, ((), ()))
        fields.update(lacked)
        years.update(uncounted)
    return tuple(sorted(fields)), tuple(sorted(years))


def _atom_value(atom: compiler.Atom, ctx: evaluation.Context):
    leaf = atom.leaf
    if isinstance(leaf, syntax.Quantified):
        verdict, lacked = evaluation.evaluate(leaf, ctx)
        ctx.note(lacked)
        return verdict, verdict
    if isinstance(leaf.subject, syntax.PeriodsWithout):
        gaps = evaluation.uncovered_half_years(leaf.subject, ctx)
        actual = None if gaps is None else float(len(gaps))
        display = None if gaps is None else [HalfYear(year, half) for year, half in gaps]
    else:
        actual = evaluation.subject_value(leaf.subject, ctx)
        display = actual
    if atom.native:
        return actual, display
    verdict, lacked = evaluation.evaluate(leaf, ctx)
    ctx.note(lacked)
    return verdict, display
