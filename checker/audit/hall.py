"""One audit: a hall, a rule set and a date in; a HallReport out. The stages in order."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from dataclasses import dataclass

from ..input import workdays as calendar
from ..language import compile as compiler
from ..language import ast as syntax
from ..language import evaluate as evaluation
from ..language import kleene
from .backends import Backend
from .facts import Fact, Scope, Skip, applicability, derive, regulation_scope, unknown_because
from ..input.load import load_file
from ..problems import InputError, Location, Problem
from ..ruleset.regulations import Regulation
from ..input import schema as schemas
from .results import EnumValue, Evidence, Finding, HallReport, RuleResult
from ..ruleset.rules import Rule
from ..input.validate import Hall, validate_hall

_LABEL_FIELDS = ("id", "code", "name", "title", "kind", "date", "applied_on")


def audit_file(path: str, display: str, rules: list[Rule], register: dict[str, Regulation],
               backend: Backend, as_of: dt.date | None, imports: tuple | None = None) -> HallReport:
    """`imports`: (mapping file, its name to show), whose ledgers are merged into the hall."""
    try:
        if os.path.isdir(path):  # named on the command line, and nothing to audit inside it
            raise InputError([Problem("file.no_yaml", Location(display))])
        if imports is not None:
            from ..input.imports import imported_hall
            hall = imported_hall(path, display, *imports)
        else:
            hall = validate_hall(load_file(path, display_name=display))
    except InputError as err:
        return HallReport(display, "", None, None, as_of, "option" if as_of else "today", backend.name,
                          problems=tuple(err.problems))
    return audit_hall(hall, rules, register, backend, as_of)


def audit_hall(hall: Hall, rules: list[Rule], register: dict[str, Regulation], backend: Backend,
               as_of: dt.date | None) -> HallReport:
    day, source = _as_of(hall, as_of)
    ids = (f"{n}" for n in itertools.count(1))
    decided: dict[str, RuleResult] = {}
    batches: list[tuple[Rule, list[Fact]]] = []
    scopes: dict[str, Scope] = {}
    joins = evaluation.Joins()  # built as rules need them, dropped when this audit returns
    for rule in rules:
        regulation = register[rule.regulation]
        if rule.regulation not in scopes:
            scopes[rule.regulation] = regulation_scope(regulation, hall, day)
        outcome = applicability(rule, regulation, hall, day, scopes[rule.regulation], joins) \
            or derive(rule, regulation, hall, day, ids, joins)
        if isinstance(outcome, Skip):
            decided[rule.id] = RuleResult(rule, outcome.status, outcome.reason, outcome.params)
        else:
            batches.append((rule, outcome))
    verdicts = backend.match(batches)
    for rule, facts in batches:
        decided[rule.id] = _result(rule, facts, verdicts, hall, register[rule.regulation], day)
    info = hall.data["hall"]
    return HallReport(hall.file, hall.name, info["level"], info["kind"], day, source, backend.name,
                      tuple(decided[rule.id] for rule in rules), scopes=tuple(scopes.values()),
                      calendar=tuple(notice.citation() for notice in calendar.notices()),
                      code=info.get("code"), data_as_of=hall.data.get("as_of"))


def _as_of(hall: Hall, option: dt.date | None) -> tuple[dt.date, str]:
    if option is not None:
        return option, "option"
    if "as_of" in hall.data:
        return hall.data["as_of"], "file"
    return dt.date.today(), "today"


def _result(rule: Rule, facts: list[Fact], verdicts: dict, hall: Hall, regulation: Regulation,
            day: dt.date) -> RuleResult:
    failing = [fact for fact in facts if verdicts[fact.id] == "fail"]
    if failing:
        findings = tuple(_finding(rule, fact, hall, regulation, day) for fact in failing)
        return RuleResult(rule, "fail", findings=findings, checked=len(facts), provisional=_provisional(failing))
    unknown = [fact for fact in facts if verdicts[fact.id] == "unknown"]
    if unknown:
        reasons = [unknown_because(rule, fact) for fact in unknown]
        gaps = sorted({year for _, years in reasons for year in years})
        if gaps:
            return RuleResult(rule, "unknown", "unknown.calendar", {"years": gaps}, checked=len(facts))
        fields = sorted({name for names, _ in reasons for name in names})
        entities = [_path_text(fact.entity) for fact in unknown]
        return RuleResult(rule, "unknown", "unknown.missing", {"fields": fields, "entities": entities},
                          checked=len(facts))
    return RuleResult(rule, "pass", checked=len(facts), provisional=_provisional(facts))


def _provisional(facts: list[Fact]) -> tuple[int, ...]:
    """The unpublished years that could still move a count this verdict rests on."""
    return tuple(sorted({year for fact in facts for year in fact.provisional}))


def _finding(rule: Rule, fact: Fact, hall: Hall, regulation: Regulation, day: dt.date) -> Finding:
    entity = _entity(hall.data, fact.entity)
    evidence = tuple(_evidence(atom, fact) for atom in rule.atoms)
    field_path = _first_entity_field(rule, entity)
    location = hall.document.locate(fact.entity + field_path)
    label = entity_label(entity) if rule.for_each != "hall" else hall.name
    placeholders = {key: _display_value(rule.for_each, key, value) for key, value in entity.items()
                    if not isinstance(value, dict)}
    return Finding(rule.id, _path_text(fact.entity), label, location, evidence, placeholders)


def _display_value(collection: str, key: str, value):
    """An entity's field as a message shows it: enumeration values keep their vocabulary."""
    spec = schemas.field_spec(collection, key)
    if value is None:  # written empty (`mode: null`): nothing to name in either language
        return None
    if spec is not None and spec.type == "array" and spec.item and spec.item.vocab:
        return [EnumValue(spec.item.vocab, v) for v in value]
    if spec is not None and spec.vocab:
        return EnumValue(spec.vocab, value)
    return _plain(value)


def _enum(spec, value):
    """Wrap enumeration values (single, or in a list/tuple) so a Chinese report can name them."""
    vocab = spec.vocab or (spec.item.vocab if spec.item else None)
    if vocab is None or value is None or isinstance(value, bool):  # `present: false` compares with a flag
        return value
    if isinstance(value, (list, tuple)):
        return [EnumValue(vocab, v) for v in value]
    return EnumValue(vocab, value)


def _evidence(atom: compiler.Atom, fact: Fact) -> Evidence:
    leaf = atom.leaf
    if isinstance(leaf, syntax.Quantified):
        return Evidence(leaf.label(), fact.shown.get(atom.name), "holds", True, fact.values.get(atom.name))
    if atom.native:
        actual = fact.values.get(atom.name)
        held = None if actual is None else compiler.passes(leaf.op, actual, compiler.scalar(leaf.value))
    else:
        held = fact.values.get(atom.name)
    expected = leaf.value.text if isinstance(leaf.value, syntax.FieldRef) else _enum(leaf.spec, leaf.value)
    return Evidence(leaf.subject.label(), _enum(leaf.spec, fact.shown.get(atom.name)), leaf.op, expected, held)


def _first_entity_field(rule: Rule, entity: dict) -> tuple:
    """Point at the first field the rule compared, where the hall file has it."""
    for atom in rule.atoms:
        subject = getattr(atom.leaf, "subject", None)
        if isinstance(subject, (syntax.Between, syntax.DaysIn)):
            refs = subject.start + subject.end if isinstance(subject, syntax.Between) else subject.lists
            subject = next((ref for ref in refs if ref.scope == "entity"), None)
        if isinstance(subject, syntax.FieldRef) and subject.scope == "entity":
            probe = entity
            for part in subject.path:
                if not isinstance(probe, dict) or part not in probe:
                    break
                probe = probe[part]
            else:
                return subject.path
    return ()


def _entity(data: dict, path: tuple):
    value = data
    for part in path:
        value = value[part]
    return value


def entity_label(entity: dict) -> str:
    parts = [str(_plain(entity[key])) for key in _LABEL_FIELDS if key in entity][:2]
    return " ".join(parts)


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _path_text(path: tuple) -> str:
    from ..problems import format_path
    return format_path(path)


# ------------------------------------------------------------------ one rule, traced (explain --hall)

@dataclass(frozen=True)
class EntityTrace:
    """What one rule read from one entity, and what it made of it."""

    entity: str  # path in the hall document, e.g. staff[0]
    label: str
    location: Location
    selected: bool | None  # whether `where` chose it (True when the rule has no where)
    selection: tuple[Evidence, ...]  # the values `where` read
    verdict: str | None  # pass, fail or unknown for a selected entity; None otherwise
    evidence: tuple[Evidence, ...]  # the values `require` read
    missing: tuple[str, ...]  # fields needed and absent
    fields: tuple[tuple[str, object], ...] = ()  # the entity's and hall's fields its conditions name, as read
    matches: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (some/none/every, where in the rule, elements)


@dataclass(frozen=True)
class RuleTrace:
    result: RuleResult  # the rule's result, exactly as an audit reports it
    as_of: dt.date
    when: tuple[Evidence, ...]  # the values applies_to.when read on the hall
    entities: tuple[EntityTrace, ...]  # every entity the rule looked at, chosen or not


def trace_rule(hall: Hall, rule: Rule, register: dict[str, Regulation], backend: Backend,
               as_of: dt.date | None) -> RuleTrace:
    """Audit `hall` with `rule` alone, and keep what the rule read from every entity, passing ones too."""
    from .facts import entities, entity_context, rule_fact
    report = audit_hall(hall, [rule], register, backend, as_of)
    day, regulation = report.as_of, register[rule.regulation]
    when = condition_evidence(rule.when, entity_context(hall, hall.data["hall"], day, regulation)) if rule.when else ()
    if applicability(rule, regulation, hall, day) is not None:
        return RuleTrace(report.results[0], day, when, ())
    traced, ids = [], (f"t{n}" for n in itertools.count(1))
    for path, entity in entities(rule.for_each, hall.data):
        chosen, lacked = (True, evaluation.NOTHING) if rule.where is None else \
            evaluation.evaluate(rule.where, entity_context(hall, entity, day, regulation))
        selection = condition_evidence(rule.where, entity_context(hall, entity, day, regulation)) if rule.where else ()
        label = entity_label(entity) if rule.for_each != "hall" else hall.name
        verdict, evidence, missing = None, (), ()
        if chosen is True:
            fact = rule_fact(rule, path, entity_context(hall, entity, day, regulation), next(ids))
            verdict = backend.match([(rule, [fact])])[fact.id]
            evidence, missing = tuple(_evidence(atom, fact) for atom in rule.atoms), unknown_because(rule, fact)[0]
        elif chosen is None:
            missing = tuple(sorted(lacked.fields))
        read = fields_read([rule.where, rule.require], entity_context(hall, entity, day, regulation))
        matches = tuple(quantifier_matches(leaf, entity_context(hall, entity, day, regulation))
                        for leaf in syntax.leaves(rule.require) if isinstance(leaf, syntax.Quantified)) if chosen else ()
        traced.append(EntityTrace(_path_text(path), label, hall.document.locate(path), chosen, selection,
                                  verdict, evidence, missing, read, matches))
    return RuleTrace(report.results[0], day, when, tuple(traced))


def fields_read(nodes: list, ctx: evaluation.Context) -> tuple[tuple[str, object], ...]:
    """Each field the conditions name directly (not inside some/every/none), with its value: the
    dates behind a years_between, the field a comparison reads, the field it is compared with."""
    refs: dict[str, syntax.FieldRef] = {}
    for node in nodes:
        for leaf in syntax.leaves(node) if node is not None else ():
            subject = getattr(leaf, "subject", None)
            found = list(subject.start + subject.end) if isinstance(subject, syntax.Between) else \
                list(subject.lists) if isinstance(subject, syntax.DaysIn) else [subject]
            found.append(getattr(leaf, "value", None))
            refs.update({ref.text: ref for ref in found if isinstance(ref, syntax.FieldRef)
                         and ref.scope in ("entity", "hall", "document")})
    probe = ctx.probe()
    return tuple((text, _plain(evaluation.read_field(ref, probe))) for text, ref in refs.items())


def quantifier_matches(node: syntax.Quantified, ctx: evaluation.Context) -> tuple[str, str, tuple[str, ...]]:
    """The elements that decided a some/none/every: those that match (some, none), or those that
    do not hold or cannot be told (every)."""
    out = []
    for index, element in enumerate(evaluation.collection_items(ctx, node.collection) or []):
        inner = ctx.inner(element)
        chosen = True if node.where is None else evaluation.evaluate(node.where, inner)[0]
        held = True if node.require is None else evaluation.evaluate(node.require, inner)[0]
        # every: an element for which `chosen implies held` is not known true; some/none: one known to match
        hit = kleene.any_of((kleene.not_(chosen), held)) is not True if node.kind == "every" \
            else kleene.all_of((chosen, held)) is True
        if hit:
            out.append(f"{node.collection}[{index}] {entity_label(element)}".strip())
    return node.label(), _path_text(node.path), tuple(out)


def condition_evidence(node: syntax.Node, ctx: evaluation.Context) -> tuple[Evidence, ...]:
    """The value each comparison at the top of a condition read, and whether it held."""
    out = []
    for leaf in syntax.leaves(node):
        held = evaluation.evaluate(leaf, ctx)[0]
        if isinstance(leaf, syntax.Quantified):
            out.append(Evidence(leaf.label(), held, "holds", True, held))
            continue
        actual = evaluation.subject_value(leaf.subject, ctx)
        expected = leaf.value.text if isinstance(leaf.value, syntax.FieldRef) else _enum(leaf.spec, leaf.value)
        out.append(Evidence(leaf.subject.label(), _enum(leaf.spec, actual), leaf.op, expected, held))
    return tuple(out)
