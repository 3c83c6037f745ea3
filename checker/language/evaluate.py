"""Evaluating a condition on a hall, in three values: a comparison on a missing value is `None`
(unknown), and all/any/not/some/every follow Kleene's logic, so missing data is reported as such.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

from ..input import workdays as calendar
from ..input import schema as schemas
from .ast import All, Any_, Between, Compare, Count, DaysIn, FieldRef, Node, Not, PeriodsWithout, Quantified, Share, Subject
from . import kleene
from .operators import ALL, LIST, NONE, OPERATORS, READS_GIVEN, READS_RECORD, READS_VALUE, VALUE, VALUES


@dataclass(slots=True)
class Context:
    """What a condition reads: the document, the current entity, the audit's date."""

    document: dict
    entity: dict
    as_of: dt.date
    in_force: dt.date
    outer: dict | None = None
    missing: set = field(default_factory=set)  # fields an undecided part of the condition lacked
    gaps: set = field(default_factory=set)  # calendar years that could not be counted
    since: dt.date | None = None  # where periodic duties start counting (see audit_period)
    # years whose unpublished calendar could still move a working-day count that was made; shared
    # by every probe and inner context, so that a decided verdict still carries the mark
    provisional: set = field(default_factory=set)
    joins: "Joins" = field(default_factory=lambda: Joins())  # the audit's join indices (see candidates)

    def inner(self, entity: dict) -> "Context":
        return Context(self.document, entity, self.as_of, self.in_force, self.entity, self.missing, self.gaps,
                       self.since, self.provisional, self.joins)

    def note(self, lacking: "Lacking") -> None:
        """Add what a part of the condition lacked to what this reading lacked."""
        self.missing.update(lacking.fields)
        self.gaps.update(lacking.years)

    def probe(self) -> "Context":
        """The same place in the same hall, with nothing found missing yet."""
        return Context(self.document, self.entity, self.as_of, self.in_force, self.outer, since=self.since,
                       provisional=self.provisional, joins=self.joins)


def collection_items(ctx: Context, name: str) -> list | None:
    if name == "systems":
        return ctx.document.get("hall", {}).get("systems")
    return ctx.document.get(name)


def _scope_value(ref: FieldRef, ctx: Context):
    """What the ref's path starts from (read on every comparison: no table built per call)."""
    scope = ref.scope
    if scope == "entity":
        return ctx.entity
    if scope == "outer":
        return ctx.outer
    if scope == "document":
        return ctx.document
    if scope == "hall":
        return ctx.document.get("hall", {})
    raise KeyError(scope)


def read_field(ref: FieldRef, ctx: Context):
    """The field's value, or None when the description does not give one (the field is then
    noted missing: written empty or omitted alike, nothing can be compared with it)."""
    if ref.scope == "audit":
        return ctx.as_of
    if ref.scope == "regulation":
        return ctx.in_force
    value = _scope_value(ref, ctx)
    for part in ref.path:
        if not isinstance(value, dict) or value.get(part) is None:
            ctx.missing.add(ref.text)
            return None
        value = value[part]
    if isinstance(value, schemas.Unlisted):  # written {other: ...}: nothing compares with it
        ctx.missing.add(unlisted_label(ref))
        return None
    return value


def unlisted_label(ref: FieldRef) -> str:
    """How an unknown verdict names a field written outside its vocabulary."""
    return f"{ref.text} (other)"


def given(ref: FieldRef, ctx: Context) -> bool:
    """Whether the description gives the field a value, one outside the vocabulary included."""
    if ref.scope in ("audit", "regulation"):
        return True
    return _plain_read(_scope_value(ref, ctx), ref.path) is not None


EMPTY = (None, "", [], {})  # how a description says that the hall has none of something


def recorded(ref: FieldRef, ctx: Context):
    """True when the description gives a value; False when it writes the field empty (`null`,
    `[]`, ``""``: the hall has none); None, noting the field missing, when it is omitted."""
    value = _scope_value(ref, ctx)
    for part in ref.path:
        if not isinstance(value, dict) or part not in value:
            ctx.missing.add(ref.text)
            return None
        value = value[part]
    return value not in EMPTY


def subject_value(subject: Subject, ctx: Context):
    """The subject's value, or None when it cannot be known (the reason lands in ctx)."""
    if isinstance(subject, FieldRef):
        return read_field(subject, ctx)
    if isinstance(subject, Count):
        return _count(subject.collection, subject.where, ctx)
    if isinstance(subject, Share):
        total = _count(subject.collection, subject.among, ctx)
        if total == 0:  # no element to take a share of: nothing can be said, and we say why
            ctx.missing.add(f"{subject.collection} (0)")
            return None
        if total is None:
            return None
        hits = _count(subject.collection, _and(subject.among, subject.where), ctx)
        return None if hits is None else hits / total
    if isinstance(subject, Between):
        start, end = _first_present(subject.start, ctx), _first_present(subject.end, ctx)
        if start is None or end is None:
            return None
        return duration(subject.unit, start[0], end[0], ctx, first_day=start[1].first_day)
    if isinstance(subject, PeriodsWithout):
        gaps = uncovered_half_years(subject, ctx)
        return None if gaps is None else float(len(gaps))
    if isinstance(subject, DaysIn):
        return days_in(subject, ctx)
    raise TypeError(subject)


def days_in(subject: DaysIn, ctx: Context):
    """The days the periods of `subject.lists` cover, or None when a list is omitted (an empty
    list covers none) or the calendar cannot count them."""
    spans = []
    for ref in subject.lists:
        periods = read_field(ref, ctx.probe())
        if periods is None:
            ctx.missing.add(ref.text)
            return None
        spans += [(period["from"], period.get("to") or ctx.as_of) for period in periods]
    total = 0.0
    for start, end in merged(spans):
        counted = duration(subject.unit, start, end, ctx)
        if counted is None:
            return None
        total += counted
    return total


def merged(spans: list) -> list:
    """Half-open spans (start, end] joined where they overlap or touch, in order; a span that
    ends before it starts (still running on an audit date before its start) covers nothing."""
    out: list = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def duration(unit: str, start: dt.date, end: dt.date, ctx: Context, first_day: bool = False):
    """The span in `unit`, counted as checker/input/workdays.py defines once for all rules; `first_day`:
    `start` is the first day of a stretch, counted in it."""
    try:
        value = calendar.span(unit, start, end, first_day)
    except calendar.CalendarGap as gap:
        ctx.gaps.add(gap.year)
        return None
    year = calendar.provisional_year(start, end) if unit == "working_days" else None
    if year is not None:
        ctx.provisional.add(year)
    return value


def uncovered_half_years(subject: PeriodsWithout, ctx: Context) -> list[tuple[int, int]] | None:
    """The half-years owed in the audit period with no record that `where` chooses; None when
    that cannot be told: a record whose `where` is undecided (a report that does not say whom it
    went to) could be the one an otherwise uncovered half-year needs, and the fields it lacked
    are noted missing."""
    since = [d for d in (read_field(ref, ctx.probe()) for ref in subject.since) if d is not None]
    if not since:
        ctx.missing.add(subject.since[0].text)
        return None
    events = collection_items(ctx, subject.collection)
    if events is None:
        ctx.missing.add(subject.collection)
        return None
    covered, undecided = set(), {}
    inner = ctx.inner(ctx.entity)  # moved from event to event: conditions do not keep it
    for event in events:
        day = event.get(subject.date)
        if day is None:
            continue
        inner.entity = event
        chosen, lacked = _TRUE if subject.where is None else evaluate(subject.where, inner)
        if chosen is True:
            covered.add(calendar.half_year(day))
        elif chosen is None:
            undecided.setdefault(calendar.half_year(day), set()).update(lacked.fields)
    start = max(since + ([ctx.since] if ctx.since else []))
    gaps = [h for h in calendar.complete_half_years(start, ctx.as_of) if h not in covered]
    lacked = set().union(*(undecided[h] for h in gaps if h in undecided))
    if lacked:
        ctx.missing.update(lacked)
        return None
    return gaps


def _first_present(refs, ctx: Context):
    """(value, the ref it came from) of the first of `refs` the description gives."""
    for ref in refs:
        value = read_field(ref, ctx.probe())
        if value is not None:
            return value, ref
    ctx.missing.add(refs[0].text)
    return None


def _and(a, b):
    if a is None:
        return b
    return All((a, b))


class Joins:
    """The join indices of one audit, each built the first time a join reads its collection and
    dropped with the audit (whoever starts an audit makes one and hands it to every context):
    nothing of a hall outlives its audit, however many halls a process audits."""

    __slots__ = ("_indices",)

    def __init__(self):
        self._indices: dict = {}  # (id of a collection list, field path) -> (the list, index, unkeyed)

    def index(self, elements: list, path: tuple) -> tuple[dict, list]:
        """(value -> the elements holding it at `path`, the elements holding none or a list)."""
        cached = self._indices.get((id(elements), path))
        if cached is None or cached[0] is not elements:
            by_value: dict = {}
            unkeyed = []
            for element in elements:
                value = _plain_read(element, path)
                if value is None or isinstance(value, (list, dict)):
                    unkeyed.append(element)
                else:
                    by_value.setdefault(value, []).append(element)
            cached = (elements, by_value, unkeyed)
            self._indices[(id(elements), path)] = cached
        return cached[1], cached[2]


def candidates(elements: list, where, ctx: Context) -> list:
    """The elements `where` can hold for, without visiting the rest.

    A join such as `where: {field: code, equals: {field: outer.item}}` would otherwise compare
    every element with every outer entity. The elements are indexed by the joined field once
    per collection and audit (ctx.joins); an element lacking the field (or holding a list) is
    always kept, since for it `equals` is unknown, not false.
    """
    join = _equality_join(where)
    if join is None:
        return elements
    inner_path, outer_path = join
    key = _plain_read(ctx.entity, outer_path)
    if key is None or isinstance(key, (list, dict)):
        return elements
    by_value, unkeyed = ctx.joins.index(elements, inner_path)
    return by_value.get(key, []) + unkeyed


def _equality_join(where):
    """(inner field path, outer field path) when `where` requires inner == outer."""
    if isinstance(where, All):
        return next((join for join in map(_equality_join, where.children) if join), None)
    if (isinstance(where, Compare) and where.op == "equals" and isinstance(where.subject, FieldRef)
            and where.subject.scope == "entity" and isinstance(where.value, FieldRef)
            and where.value.scope == "outer"):
        return where.subject.path, where.value.path
    return None


def _plain_read(entity, path: tuple):
    for part in path:
        if not isinstance(entity, dict) or part not in entity:
            return None
        entity = entity[part]
    return entity


def _count(collection: str, where, ctx: Context):
    elements = collection_items(ctx, collection)
    if elements is None:
        ctx.missing.add(collection)
        return None
    total, unknown = 0, False
    inner = ctx.inner(ctx.entity)  # moved from element to element: conditions do not keep it
    for element in candidates(elements, where, ctx):
        inner.entity = element
        verdict, lacked = _TRUE if where is None else evaluate(where, inner)
        if verdict is None:
            ctx.note(lacked)
        total += verdict is True
        unknown |= verdict is None
    return None if unknown else float(total)


def compare(op: str, actual, expected):
    """Three-valued comparison of a present value; None only for a missing value."""
    meaning = OPERATORS[op]
    if actual is None and meaning.reads != READS_GIVEN:
        return None
    return meaning.holds(actual, expected)


def operand_value(value, ctx: Context):
    return read_field(value, ctx) if isinstance(value, FieldRef) else value


@dataclass(frozen=True, slots=True)
class Lacking:
    """What an unknown verdict lacked: the fields (as the rule names them) and the calendar years
    it could not count. A decided verdict needed nothing more, so it names nothing."""

    fields: frozenset = frozenset()
    years: frozenset = frozenset()

    def __or__(self, other: "Lacking") -> "Lacking":
        return Lacking(self.fields | other.fields, self.years | other.years)


NOTHING = Lacking()
_TRUE = (True, NOTHING)
_FALSE = (False, NOTHING)


def evaluate(node: Node, ctx: Context) -> tuple[bool | None, Lacking]:
    """(True, False or None for unknown; what an unknown lacked). `ctx` is left as it was.

    and/or/some/every/none stop at the first operand that decides them (Kleene's logic,
    checker/language/kleene.py): what they would have read after it cannot change the verdict,
    and an unknown verdict still names every field that could have decided it."""
    entry = _PROGRAMS.get(id(node))
    if entry is None or entry[0] is not node:
        entry = _remember(node)
    return entry[1](ctx)


# Each node's closure, built the first time this process evaluates it. The rule cache keeps the
# parsed rules (closures do not pickle); a closure is cheap to rebuild from a node. Keyed on id()
# with the node kept beside it, so a later node given a freed id is never taken for it.
_PROGRAMS: dict = {}
_MAX_PROGRAMS = 200_000  # nodes of every rule set this process has used; beyond, start again


def _remember(node: Node) -> tuple:
    if len(_PROGRAMS) >= _MAX_PROGRAMS:
        _PROGRAMS.clear()
    entry = (node, _closure(node))
    _PROGRAMS[id(node)] = entry
    return entry


def _program(node: Node):
    entry = _PROGRAMS.get(id(node))
    return entry[1] if entry is not None and entry[0] is node else _remember(node)[1]


def _closure(node: Node):
    """ctx -> (value, lacking): what evaluate(node, ctx) returns, with the node's dispatch, its
    children's closures and its field paths resolved once."""
    if isinstance(node, Compare):
        return _field_test(node) or _list_test(node) or _flag_test(node) or functools.partial(_compare_verdict, node)
    if isinstance(node, Quantified):
        return _quantifier(node)
    if isinstance(node, Not):
        child = _program(node.child)
        return lambda ctx: kleene.negation(child(ctx))
    children = tuple(_program(child) for child in node.children)
    junction = kleene.disjunction if isinstance(node, Any_) else kleene.conjunction
    return lambda ctx: junction((child(ctx) for child in children), NOTHING)


def _compare_verdict(node: Compare, ctx: Context) -> tuple:
    probe = ctx.probe()
    value = _compare_node(node, probe)
    return (value, NOTHING) if value is not None else \
        (None, Lacking(frozenset(probe.missing), frozenset(probe.gaps)))


def _field_test(node: Compare):
    """The closure of the commonest comparisons, a field's value against a literal or against
    another field's value: what _compare_verdict decides for them, without a probe context.
    None for any other comparison."""
    meaning = OPERATORS[node.op]
    if not isinstance(node.subject, FieldRef) or meaning.reads != READS_VALUE or meaning.accepts == LIST \
            or (isinstance(node.value, FieldRef) and meaning.operand != VALUE):
        return None
    read, holds, expected = _reader(node.subject), meaning.holds, node.value
    subject_lacks = _lacks(node.subject)
    if isinstance(expected, FieldRef):
        return _fields_test(read, subject_lacks, _reader(expected), _lacks(expected), holds)

    def test(ctx: Context) -> tuple:
        value = read(ctx)
        if value is None:
            return None, subject_lacks[0]
        if isinstance(value, schemas.Unlisted):
            return None, subject_lacks[1]
        return holds(value, expected), NOTHING
    return test


def _fields_test(read, subject_lacks: tuple, read_other, other_lacks: tuple, holds):
    def test(ctx: Context) -> tuple:
        actual, expected = read(ctx), read_other(ctx)
        lacking = NOTHING
        if actual is None or isinstance(actual, schemas.Unlisted):
            lacking = subject_lacks[actual is not None]
        if expected is None or isinstance(expected, schemas.Unlisted):
            lacking = lacking | other_lacks[expected is not None]
        return (None, lacking) if lacking is not NOTHING else (holds(actual, expected), NOTHING)
    return test


def _list_test(node: Compare):
    """The closure of a membership test on a field's value: a list field holding a literal
    (contains, contains_all/any), or a value among another field's list (in/not_in with
    {field: ...}). What _compare_verdict decides for them without a probe context, values
    written outside the vocabulary read as _unlisted_list reads them. None for any other."""
    meaning = OPERATORS[node.op]
    if not isinstance(node.subject, FieldRef) or meaning.reads != READS_VALUE:
        return None
    other = node.value if isinstance(node.value, FieldRef) else None
    if not (meaning.accepts == LIST or (other is not None and meaning.operand == VALUES)):
        return None
    read, subject_lacks, holds = _reader(node.subject), _lacks(node.subject), meaning.holds
    read_other, other_lacks = (_reader(other), _lacks(other)) if other is not None else (None, None)
    undecided_by = meaning.sought == NONE  # the verdict a value outside the vocabulary could turn

    def test(ctx: Context) -> tuple:
        actual, lacking = read(ctx), NOTHING
        if actual is None or isinstance(actual, schemas.Unlisted):
            lacking, actual = subject_lacks[actual is not None], None
        expected = node.value
        if read_other is not None:
            expected = read_other(ctx)
            if expected is None or isinstance(expected, schemas.Unlisted):
                return None, lacking | other_lacks[expected is not None]
        if actual is None:
            return None, lacking
        held = holds(actual, expected)
        open_list = _unlisted_list(node, actual, expected)
        if open_list is not None and held is undecided_by:
            return None, Lacking(frozenset({unlisted_label(open_list)}))
        return (held, NOTHING) if held is not None else (None, Lacking())
    return test


def _flag_test(node: Compare):
    """The closure of `present` (whether the field is given) and `recorded` (given, written
    empty, or omitted: unknown) on a field of the entity, the outer entity or the document."""
    meaning = OPERATORS[node.op]
    if not isinstance(node.subject, FieldRef) or node.subject.scope not in _ROOTS \
            or meaning.reads not in (READS_GIVEN, READS_RECORD):
        return None
    root, path, holds, expected = _ROOTS[node.subject.scope], node.subject.path, meaning.holds, node.value
    if meaning.reads == READS_GIVEN:
        return lambda ctx: (holds(True if _plain_read(root(ctx), path) is not None else None, expected), NOTHING)
    omitted = Lacking(frozenset({node.subject.text}))

    def test(ctx: Context) -> tuple:
        value = root(ctx)
        for part in path:
            if not isinstance(value, dict) or part not in value:
                return None, omitted
            value = value[part]
        held = holds(value not in EMPTY, expected)
        return (held, NOTHING) if held is not None else (None, Lacking())
    return test


def _lacks(ref: FieldRef) -> tuple:
    """(what reading the field lacks when it is omitted, when it is written outside its vocabulary)."""
    return Lacking(frozenset({ref.text})), Lacking(frozenset({unlisted_label(ref)}))


_ROOTS = {"entity": operator.attrgetter("entity"), "outer": operator.attrgetter("outer"),
          "document": operator.attrgetter("document"), "hall": lambda ctx: ctx.document.get("hall", {})}


def _reader(ref: FieldRef):
    """ctx -> the field's value as read_field reads it, None where read_field notes it missing
    (a value outside the vocabulary is returned as it is)."""
    if ref.scope == "audit":
        return operator.attrgetter("as_of")
    if ref.scope == "regulation":
        return operator.attrgetter("in_force")
    root, path = _ROOTS[ref.scope], ref.path

    def read(ctx: Context):
        value = root(ctx)
        for part in path:
            if not isinstance(value, dict):
                return None
            value = value.get(part)
            if value is None:
                return None
        return value
    return read


def _compare_node(node: Compare, ctx: Context):
    reads = OPERATORS[node.op].reads
    if reads == READS_RECORD:
        return compare(node.op, recorded(node.subject, ctx), node.value)
    if reads == READS_GIVEN:
        return compare(node.op, True if given(node.subject, ctx) else None, node.value)
    actual = subject_value(node.subject, ctx)
    expected = operand_value(node.value, ctx)
    if isinstance(node.value, FieldRef) and expected is None:
        return None
    held = compare(node.op, actual, expected)
    open_list = _unlisted_list(node, actual, expected)
    if open_list is not None and held is (OPERATORS[node.op].sought == NONE):  # what is sought may be the other value
        ctx.missing.add(unlisted_label(open_list))
        return None
    return held


def _unlisted_list(node: Compare, actual, expected) -> FieldRef | None:
    """The list field of a membership test whose values written outside the vocabulary could
    each be one of the values sought, and so could still turn the verdict."""
    meaning = OPERATORS[node.op]
    if meaning.accepts == LIST:
        ref, values = node.subject, actual
    elif meaning.operand == VALUES and isinstance(node.value, FieldRef):
        ref, values = node.value, expected
    else:
        return None
    unlisted = sum(isinstance(v, schemas.Unlisted) for v in values) if isinstance(values, list) else 0
    if not unlisted:
        return None
    if meaning.sought == ALL:  # one other value stands for at most one value sought
        return ref if sum(v not in values for v in expected) <= unlisted else None
    return ref


def _quantifier(node: Quantified):
    """The closure of some/every/none: what Kleene's logic makes of each element's verdict (some
    and none: chosen and holds; every: chosen implies holds), decided element by element with
    the children's closures on one inner context moved from element to element, the reasons of
    an unknown joined in the same order as kleene.py joins them."""
    collection, where_node = node.collection, node.where
    where = None if where_node is None else _program(where_node)
    require = None if node.require is None else _program(node.require)
    absent = Lacking(frozenset({collection}))
    decisive = node.kind != "every"  # the element verdict that decides the whole: true for some/none
    negated = node.kind == "none"

    def run(ctx: Context) -> tuple:
        elements = collection_items(ctx, collection)
        if elements is None:
            return None, absent
        inner = ctx.inner(ctx.entity)
        why, unknown = NOTHING, False
        for element in candidates(elements, where_node, ctx):
            inner.entity = element
            if where is None:
                chosen = True
            else:
                chosen, chose_lacked = where(inner)
                if chosen is False:  # not chosen: neither decides nor leaves anything unknown
                    continue
            held, held_lacked = _TRUE if require is None else require(inner)
            if chosen is not None:
                if held is decisive:
                    return (not decisive, NOTHING) if negated else (decisive, NOTHING)
                if held is not None:
                    continue
                lacked = held_lacked
            else:  # whether it was chosen is unknown: only a verdict that would not decide is decided
                if held is not None and held is not decisive:
                    continue
                lacked = chose_lacked if held is not None else _joined(chose_lacked, held_lacked)
            unknown = True
            why = _joined(why, lacked)
        if unknown:
            return None, why
        return (decisive, NOTHING) if negated else (not decisive, NOTHING)
    return run


def _joined(why: Lacking, lacked: Lacking) -> Lacking:
    """kleene's joining of the reasons of two unknowns, in its order."""
    return lacked if why is NOTHING else why | lacked
