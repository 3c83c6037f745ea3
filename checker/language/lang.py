"""The condition language of rule files: parse, type-check, evaluate.

A condition is YAML a policy author can read:

    all:
      - field: employment
        in: [civil_servant, career_staff]
      - years_between: {from: stationed_from, to: [stationed_until, audit.as_of]}
        at_least: 2

Nothing here executes text as code. Parsing checks every field name against the hall schema
and every literal against the field's type, so a rule that cannot work fails when it loads,
naming its file and line. Evaluation is three-valued: a comparison on a missing value is
`None` (unknown), and all/any/not follow Kleene's logic, so missing data is reported as such.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..input import workdays as calendar
from ..input import schema as schemas
from ..input.schema import FieldSpec
from .operators import COMPARE
from .regex import PatternError, compile_pattern

# operator -> the field types it accepts
COMPARISONS = {
    "equals": {"string", "enum", "number", "boolean", "date"},
    "not_equals": {"string", "enum", "number", "boolean", "date"},
    "at_least": {"number", "date"},
    "at_most": {"number", "date"},
    "more_than": {"number", "date"},
    "less_than": {"number", "date"},
    "in": {"string", "enum", "number"},
    "not_in": {"string", "enum", "number"},
    "matches": {"string", "array"},  # on a list of strings: some element matches
    "present": None,  # any type: whether the description gives a value (never unknown)
    "recorded": None,  # any type: a value (true), written empty (false), omitted (unknown)
    "contains": {"array"},
    "contains_all": {"array"},
    "contains_any": {"array"},
}
# operators whose comparison the matching backends perform themselves; the rest are derived
NATIVE = {"equals", "not_equals", "at_least", "at_most", "more_than", "less_than", "in", "not_in"}
DURATIONS = {"days_between": "days", "months_between": "months", "years_between": "years",
             "working_days_between": "working_days"}
# the days covered by lists of periods ({from, to}): time spent, not time elapsed
SPANS = {"days_in": "days", "working_days_in": "working_days"}
SUBJECTS = {"field", "count", "share", "periods_without", *DURATIONS, *SPANS}
QUANTIFIERS = {"some", "every", "none"}
SPECIAL_FIELDS = {
    "audit.as_of": FieldSpec("date"),
    "regulation.in_force": FieldSpec("date"),
}


class RuleSyntaxError(Exception):
    """A problem in a condition, with the path inside the rule document where it is."""

    def __init__(self, code: str, path: tuple, **params):
        super().__init__(code)
        self.code, self.path, self.params = code, path, params


# ---------------------------------------------------------------- the syntax tree

@dataclass(frozen=True)
class FieldRef:
    scope: str  # entity, hall, document, audit, regulation, outer
    path: tuple[str, ...]
    text: str  # as the author wrote it
    first_day: bool = False  # a first day of a stretch, counted in it (`x-day: first`; see calendar.span)

    def label(self) -> str:
        return self.text


@dataclass(frozen=True)
class Count:
    collection: str
    where: "Node | None"

    def label(self) -> str:
        return f"count({self.collection})"


@dataclass(frozen=True)
class Share:
    collection: str
    among: "Node | None"
    where: "Node"

    def label(self) -> str:
        return f"share({self.collection})"


@dataclass(frozen=True)
class Between:
    unit: str  # days, months, years, working_days
    start: tuple[FieldRef, ...]  # the first one present is used
    end: tuple[FieldRef, ...]

    def label(self) -> str:
        return f"{self.unit}({self.start[0].text} → {self.end[0].text})"


@dataclass(frozen=True)
class PeriodsWithout:
    collection: str
    where: "Node | None"
    date: str
    since: tuple[FieldRef, ...]  # the latest one present is used

    def label(self) -> str:
        return f"half_years_without({self.collection})"


@dataclass(frozen=True)
class DaysIn:
    """The days covered by the periods of one or more lists (`approval_periods`), each period
    counting the days after its `from` up to and including its `to` (or the audit date while it
    runs), days covered by several periods once: the time spent on something, not the time
    between its first and last day."""

    unit: str  # days, working_days
    lists: tuple[FieldRef, ...]

    def label(self) -> str:
        return f"{self.unit}_in({', '.join(ref.text for ref in self.lists)})"


Subject = FieldRef | Count | Share | Between | PeriodsWithout | DaysIn


@dataclass(frozen=True)
class Compare:
    subject: Subject
    op: str
    value: Any  # a literal (already normalised), or a FieldRef
    spec: FieldSpec  # of the subject
    path: tuple  # where in the rule document


@dataclass(frozen=True)
class Quantified:
    kind: str  # some, every, none
    collection: str
    where: "Node | None"
    require: "Node | None"
    path: tuple

    def label(self) -> str:
        return f"{self.kind}({self.collection})"


@dataclass(frozen=True)
class All:
    children: tuple


@dataclass(frozen=True)
class Any_:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: "Node"


Node = Compare | Quantified | All | Any_ | Not


# ---------------------------------------------------------------- parsing

@dataclass(frozen=True)
class Scope:
    """What bare field names refer to where a condition stands."""

    collection: str  # hall, windows, staff, ...
    outer: str | None = None  # the enclosing entity's collection, inside some/every/count


def parse(raw, scope: Scope, path: tuple = ()) -> Node:
    if not isinstance(raw, dict) or not raw:
        raise RuleSyntaxError("cond.not_mapping", path)
    keys = set(raw)
    if keys & {"all", "any"}:
        (key,) = _exactly(raw, {"all", "any"}, path)
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise RuleSyntaxError("cond.empty_list", path + (key,), key=key)
        children = tuple(parse(item, scope, path + (key, i)) for i, item in enumerate(items))
        return All(children) if key == "all" else Any_(children)
    if "not" in keys:
        _exactly(raw, {"not"}, path)
        return Not(parse(raw["not"], scope, path + ("not",)))
    if keys & QUANTIFIERS:
        return _quantified(raw, scope, path)
    return _compare(raw, scope, path)


def _exactly(raw: dict, allowed: set, path: tuple) -> list:
    extra = sorted(set(raw) - allowed)
    if extra or len(raw) != 1:
        raise RuleSyntaxError("cond.extra_keys", path, keys=extra or sorted(raw))
    return list(raw)


def _quantified(raw: dict, scope: Scope, path: tuple) -> Quantified:
    kinds = sorted(set(raw) & QUANTIFIERS)
    if len(kinds) != 1:
        raise RuleSyntaxError("cond.extra_keys", path, keys=kinds)
    kind = kinds[0]
    extra = sorted(set(raw) - {kind, "where", "require"})
    if extra:
        raise RuleSyntaxError("cond.extra_keys", path, keys=extra)
    collection = _collection(raw[kind], scope, path + (kind,))
    inner = Scope(collection, scope.collection)
    where = parse(raw["where"], inner, path + ("where",)) if "where" in raw else None
    require = parse(raw["require"], inner, path + ("require",)) if "require" in raw else None
    if kind == "every" and require is None:
        raise RuleSyntaxError("cond.missing_key", path, key="require", form="every")
    return Quantified(kind, collection, where, require, path)


def _collection(name, scope: Scope, path: tuple) -> str:
    if name not in schemas.COLLECTIONS or name == "hall":
        raise RuleSyntaxError("cond.unknown_collection", path, name=name,
                              known=sorted(set(schemas.COLLECTIONS) - {"hall"}))
    return name


def _compare(raw: dict, scope: Scope, path: tuple) -> Compare:
    subjects = sorted(set(raw) & SUBJECTS)
    ops = sorted(set(raw) & set(COMPARISONS))
    if len(subjects) != 1:
        raise RuleSyntaxError("cond.no_subject" if not subjects else "cond.extra_keys", path,
                              keys=subjects, known=sorted(SUBJECTS | QUANTIFIERS | {"all", "any", "not"}))
    subject_key = subjects[0]
    allowed = {subject_key, *ops} | ({"where"} if subject_key in ("count", "periods_without") else set()) \
        | ({"where", "among"} if subject_key == "share" else set())
    extra = sorted(set(raw) - allowed)
    if extra:
        raise RuleSyntaxError("cond.extra_keys", path, keys=extra)
    if len(ops) != 1:
        raise RuleSyntaxError("cond.no_operator" if not ops else "cond.many_operators", path,
                              keys=ops, known=sorted(COMPARISONS))
    op = ops[0]
    if op in ("present", "recorded") and subject_key != "field":
        raise RuleSyntaxError("cond.op_type", path + (op,), op=op, type=subject_key, accepted=["field"])
    subject, spec = _subject(subject_key, raw, scope, path)
    value = _operand(raw[op], op, spec, scope, path + (op,))
    return Compare(subject, op, value, spec, path)


def _subject(key: str, raw: dict, scope: Scope, path: tuple) -> tuple[Subject, FieldSpec]:
    sub = path + (key,)
    if key == "field":
        ref = field_ref(raw[key], scope, sub)
        return ref, resolve_spec(ref, scope, sub)
    if key == "count":
        collection = _collection(raw[key], scope, sub)
        where = parse(raw["where"], Scope(collection, scope.collection), path + ("where",)) if "where" in raw else None
        return Count(collection, where), FieldSpec("number")
    if key == "share":
        collection = _collection(raw[key], scope, sub)
        inner = Scope(collection, scope.collection)
        if "where" not in raw:
            raise RuleSyntaxError("cond.missing_key", path, key="where", form="share")
        among = parse(raw["among"], inner, path + ("among",)) if "among" in raw else None
        return Share(collection, among, parse(raw["where"], inner, path + ("where",))), FieldSpec("number")
    if key == "periods_without":
        spec = raw[key]
        if not isinstance(spec, dict) or not {"of", "date"} <= set(spec) or set(spec) - {"of", "date", "since"}:
            raise RuleSyntaxError("cond.periods_form", sub)
        collection = _collection(spec["of"], scope, sub + ("of",))
        inner = Scope(collection, scope.collection)
        date_ref = field_ref(spec["date"], inner, sub + ("date",))
        _expect_type(resolve_spec(date_ref, inner, sub + ("date",)), "date", sub + ("date",))
        since = _date_refs(spec.get("since", "regulation.in_force"), scope, sub + ("since",))
        where = parse(raw["where"], inner, path + ("where",)) if "where" in raw else None
        return PeriodsWithout(collection, where, spec["date"], since), FieldSpec("number")
    if key in SPANS:
        return DaysIn(SPANS[key], _period_lists(raw[key], scope, sub)), FieldSpec("number")
    spec = raw[key]  # a duration
    if not isinstance(spec, dict) or set(spec) != {"from", "to"}:
        raise RuleSyntaxError("cond.between_form", sub)
    start = _date_refs(spec["from"], scope, sub + ("from",))
    end = _date_refs(spec["to"], scope, sub + ("to",))
    return Between(DURATIONS[key], start, end), FieldSpec("number")


def _date_refs(raw, scope: Scope, path: tuple) -> tuple[FieldRef, ...]:
    return _field_list(raw, scope, path, lambda spec, where: _expect_type(spec, "date", where))


def _period_lists(raw, scope: Scope, path: tuple) -> tuple[FieldRef, ...]:
    return _field_list(raw, scope, path, _expect_periods)


def _field_list(raw, scope: Scope, path: tuple, check) -> tuple[FieldRef, ...]:
    """One field name or a list of them, each resolved and passed to `check(spec, path)`."""
    names = raw if isinstance(raw, list) else [raw]
    if not names:
        raise RuleSyntaxError("cond.empty_list", path, key=path[-1])
    refs = []
    for i, name in enumerate(names):
        where = path + (i,) if isinstance(raw, list) else path
        ref = field_ref(name, scope, where)
        spec = resolve_spec(ref, scope, where)
        check(spec, where)
        refs.append(FieldRef(ref.scope, ref.path, ref.text, spec.first_day) if spec.first_day else ref)
    return tuple(refs)


def _expect_periods(spec: FieldSpec, path: tuple) -> None:
    if spec.type != "array" or spec.item is None or spec.item.type != "period":
        raise RuleSyntaxError("cond.not_periods", path, actual=spec.type)


def _expect_type(spec: FieldSpec, wanted: str, path: tuple) -> None:
    if spec.comparable != wanted:
        raise RuleSyntaxError("cond.wrong_type", path, expected=wanted, actual=spec.type)


def field_ref(text, scope: Scope, path: tuple) -> FieldRef:
    if not isinstance(text, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*", text):
        raise RuleSyntaxError("cond.bad_field", path, text=text)
    parts = tuple(text.split("."))
    if text in SPECIAL_FIELDS:
        return FieldRef(parts[0], parts[1:], text)
    if parts[0] in ("audit", "regulation"):
        raise RuleSyntaxError("cond.unknown_field", path, field=text, collection=parts[0],
                              suggest=sorted(SPECIAL_FIELDS))
    if parts[0] == "outer":
        if scope.outer is None:
            raise RuleSyntaxError("cond.no_outer", path, field=text)
        return FieldRef("outer", parts[1:], text)
    if parts[0] == "hall" and len(parts) > 1:
        return FieldRef("hall", parts[1:], text)
    if parts[0] == "indicators" and len(parts) > 1:
        return FieldRef("document", parts, text)
    return FieldRef("entity", parts, text)


def resolve_spec(ref: FieldRef, scope: Scope, path: tuple) -> FieldSpec:
    if ref.text in SPECIAL_FIELDS:
        return SPECIAL_FIELDS[ref.text]
    collection = {"entity": scope.collection, "outer": scope.outer, "hall": "hall",
                  "document": "document"}[ref.scope]
    spec = schemas.field_spec(collection, ".".join(ref.path))
    if spec is None:
        raise RuleSyntaxError("cond.unknown_field", path, field=ref.text, collection=collection,
                              suggest=_near(ref.path[-1], schemas.field_names(collection)))
    return spec


def _near(word: str, known: list[str]) -> list[str]:
    import difflib
    return difflib.get_close_matches(word, known, n=3, cutoff=0.5)


def _operand(raw, op: str, spec: FieldSpec, scope: Scope, path: tuple):
    accepted = COMPARISONS[op]
    if accepted is not None and spec.comparable not in accepted:
        raise RuleSyntaxError("cond.op_type", path, op=op, type=spec.type, accepted=sorted(accepted))
    if isinstance(raw, dict) and set(raw) == {"field"} and op in NATIVE:
        ref = field_ref(raw["field"], scope, path + ("field",))
        other = resolve_spec(ref, scope, path + ("field",))
        if op in ("in", "not_in"):  # membership of a list field: of its elements' type
            other = other.item if other.type == "array" and other.item else FieldSpec("array")
        if other.comparable != spec.comparable:
            raise RuleSyntaxError("cond.incompatible", path, left=spec.type, right=other.type)
        return ref
    if op in ("present", "recorded"):
        if not isinstance(raw, bool):
            raise RuleSyntaxError("cond.literal_type", path, expected="boolean", value=raw)
        return raw
    if op == "matches":
        if spec.type == "array" and (spec.item is None or spec.item.comparable != "string"):
            raise RuleSyntaxError("cond.op_type", path, op=op, type=spec.type, accepted=["string"])
        if not isinstance(raw, str):
            raise RuleSyntaxError("cond.literal_type", path, expected="string", value=raw)
        try:
            compile_pattern(raw)  # RE2: linear time, whoever wrote the pattern (checker.language.regex)
        except PatternError as err:
            raise RuleSyntaxError("cond.bad_regex", path, detail=str(err)) from None
        return raw
    if op in ("in", "not_in", "contains_all", "contains_any"):
        if not isinstance(raw, list) or not raw:
            raise RuleSyntaxError("cond.literal_type", path, expected="list", value=raw)
        element = spec.item if spec.type == "array" else spec
        return tuple(_literal(item, element, path + (i,)) for i, item in enumerate(raw))
    element = spec.item if op == "contains" else spec
    return _literal(raw, element, path)


def _literal(raw, spec: FieldSpec, path: tuple):
    """The literal, checked against the field type and normalised as the hall is."""
    kind = spec.comparable
    if kind == "enum":
        value = schemas.canonical(spec.vocab, raw)
        if value is None:
            raise RuleSyntaxError("cond.unknown_value", path, value=raw, vocab=spec.vocab,
                                  suggest=schemas.suggestions(spec.vocab, raw))
        return value
    if kind == "date":
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise RuleSyntaxError("cond.literal_type", path, expected="date", value=raw) from None
    if kind == "number" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    if kind == "boolean" and isinstance(raw, bool):
        return raw
    if kind == "string" and isinstance(raw, str):
        return raw
    raise RuleSyntaxError("cond.literal_type", path, expected=kind, value=raw)


# ---------------------------------------------------------------- evaluation

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

    def inner(self, entity: dict) -> "Context":
        return Context(self.document, entity, self.as_of, self.in_force, self.entity, self.missing, self.gaps,
                       self.since, self.provisional)

    def probe(self) -> "Context":
        """The same place in the same hall, with nothing found missing yet."""
        return Context(self.document, self.entity, self.as_of, self.in_force, self.outer, since=self.since,
                       provisional=self.provisional)


def collection_items(ctx: Context, name: str) -> list | None:
    if name == "systems":
        return ctx.document.get("hall", {}).get("systems")
    return ctx.document.get(name)


def _scope_value(ref: FieldRef, ctx: Context):
    return {"entity": ctx.entity, "outer": ctx.outer, "document": ctx.document,
            "hall": ctx.document.get("hall", {})}[ref.scope]


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
    for event in events:
        day = event.get(subject.date)
        if day is None:
            continue
        probe = ctx.inner(event).probe()
        chosen = True if subject.where is None else evaluate(subject.where, probe)
        if chosen is True:
            covered.add(calendar.half_year(day))
        elif chosen is None:
            undecided.setdefault(calendar.half_year(day), set()).update(probe.missing)
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


# Join indices of the hall being audited: (id of a collection list, field path) -> index. Only
# one hall's are kept, so that a batch of halls does not keep every earlier hall alive.
_index_cache: dict = {}
_index_owner: list = [None]


def candidates(elements: list, where, ctx: Context) -> list:
    """The elements `where` can hold for, without visiting the rest.

    A join such as `where: {field: code, equals: {field: outer.item}}` would otherwise compare
    every element with every outer entity. The elements are indexed once per collection by
    the joined field; an element lacking the field (or holding a list) is always kept, since
    for it `equals` is unknown, not false.
    """
    join = _equality_join(where)
    if join is None:
        return elements
    inner_path, outer_path = join
    key = _plain_read(ctx.entity, outer_path)
    if key is None or isinstance(key, (list, dict)):
        return elements
    if _index_owner[0] is not ctx.document:
        _index_cache.clear()
        _index_owner[0] = ctx.document
    cache_key = (id(elements), inner_path)
    cached = _index_cache.get(cache_key)
    if cached is None or cached[0] is not elements:
        by_value: dict = {}
        unkeyed = []
        for element in elements:
            value = _plain_read(element, inner_path)
            if value is None or isinstance(value, (list, dict)):
                unkeyed.append(element)
            else:
                by_value.setdefault(value, []).append(element)
        cached = (elements, by_value, unkeyed)
        _index_cache[cache_key] = cached
    _, by_value, unkeyed = cached
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
    for element in candidates(elements, where, ctx):
        verdict = True if where is None else evaluate(where, ctx.inner(element))
        total += verdict is True
        unknown |= verdict is None
    return None if unknown else float(total)


def compare(op: str, actual, expected):
    """Three-valued comparison of a present value; None only for a missing value."""
    if op == "present":
        return (actual is not None) == expected
    if actual is None:
        return None
    if op == "recorded":
        return actual == expected
    return COMPARE[op](actual, expected)


def operand_value(value, ctx: Context):
    return read_field(value, ctx) if isinstance(value, FieldRef) else value


# A verdict with what an undecided one lacked: (True/False/None, missing fields, calendar gaps).
_NOTHING = frozenset()
_TRUE = (True, _NOTHING, _NOTHING)
_FALSE = (False, _NOTHING, _NOTHING)


def evaluate(node: Node, ctx: Context):
    """True, False, or None for unknown. Only an unknown verdict notes what it lacked in ctx
    (the fields, the calendar years): a decided one needed nothing more, so it names nothing."""
    value, missing, gaps = verdict(node, ctx)
    if value is None:
        ctx.missing.update(missing)
        ctx.gaps.update(gaps)
    return value


def verdict(node: Node, ctx: Context) -> tuple:
    """(True/False/None, the fields an unknown lacked, the calendar years it could not count).

    and/or/some/every/none stop at the first operand that decides them (Kleene's logic): what
    they would have read after it cannot change the verdict, and an unknown verdict still
    names every field that could have decided it."""
    if isinstance(node, Compare):
        probe = ctx.probe()
        value = _compare_node(node, probe)
        return (value, _NOTHING, _NOTHING) if value is not None else \
            (None, frozenset(probe.missing), frozenset(probe.gaps))
    if isinstance(node, Quantified):
        return _quantify(node, ctx)
    if isinstance(node, Not):
        return _negate(verdict(node.child, ctx))
    decisive = isinstance(node, Any_)  # or stops at a true operand, and at a false one
    return _kleene((verdict(child, ctx) for child in node.children), decisive)


def _compare_node(node: Compare, ctx: Context):
    if node.op == "recorded":
        state = recorded(node.subject, ctx)
        return None if state is None else state == node.value
    if node.op == "present":
        return given(node.subject, ctx) == node.value
    actual = subject_value(node.subject, ctx)
    expected = operand_value(node.value, ctx)
    if isinstance(node.value, FieldRef) and expected is None:
        return None
    held = compare(node.op, actual, expected)
    open_list = _unlisted_list(node, actual, expected)
    if open_list is not None and held is (node.op == "not_in"):  # what is sought may be the other value
        ctx.missing.add(unlisted_label(open_list))
        return None
    return held


def _unlisted_list(node: Compare, actual, expected) -> FieldRef | None:
    """The list field of a membership test whose values written outside the vocabulary could
    each be one of the values sought, and so could still turn the verdict."""
    if node.op in ("contains", "contains_all", "contains_any"):
        ref, values = node.subject, actual
    elif node.op in ("in", "not_in") and isinstance(node.value, FieldRef):
        ref, values = node.value, expected
    else:
        return None
    unlisted = sum(isinstance(v, schemas.Unlisted) for v in values) if isinstance(values, list) else 0
    if not unlisted:
        return None
    if node.op == "contains_all":  # one other value stands for at most one value sought
        return ref if sum(v not in values for v in expected) <= unlisted else None
    return ref


def _negate(result: tuple) -> tuple:
    value, missing, gaps = result
    return (None if value is None else not value), missing, gaps


def _kleene(results, decisive: bool) -> tuple:
    """or (decisive True) / and (decisive False) of lazily computed verdicts."""
    missing, gaps, unknown = set(), set(), False
    for value, lacked, uncounted in results:
        if value is decisive:
            return _TRUE if decisive else _FALSE
        if value is None:
            unknown = True
            missing |= lacked
            gaps |= uncounted
    if unknown:
        return None, frozenset(missing), frozenset(gaps)
    return _FALSE if decisive else _TRUE


def _quantify(node: Quantified, ctx: Context) -> tuple:
    elements = collection_items(ctx, node.collection)
    if elements is None:
        return None, frozenset({node.collection}), _NOTHING
    every = node.kind == "every"
    each = (_element(node, ctx.inner(element), every) for element in candidates(elements, node.where, ctx))
    if every:
        return _kleene(each, False)
    some = _kleene(each, True)
    return _negate(some) if node.kind == "none" else some


def _element(node: Quantified, ctx: Context, every: bool) -> tuple:
    """some/none: the element is chosen and holds; every: chosen implies holds."""
    chosen = _TRUE if node.where is None else verdict(node.where, ctx)
    if chosen[0] is False:
        return _TRUE if every else _FALSE
    held = _TRUE if node.require is None else verdict(node.require, ctx)
    if every:
        return _kleene(iter((_negate(chosen), held)), True)
    return _kleene(iter((chosen, held)), False)


def walk(node: Node):
    """Every node of the tree, the node itself first."""
    yield node
    if isinstance(node, (All, Any_)):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)


def descend(node: Node):
    """Every node of the tree, down into quantifiers and the `where` of count/share/periods."""
    for each in walk(node):
        yield each
        inner = ()
        if isinstance(each, Quantified):
            inner = (each.where, each.require)
        elif isinstance(each, Compare):
            inner = tuple(getattr(each.subject, name, None) for name in ("where", "among"))
        for child in inner:
            if child is not None:
                yield from descend(child)


def decided_by_omission(node: Node) -> list[Compare]:
    """The comparisons that turn an omitted field into a verdict: `present` on a field whose
    absence the hall format gives no meaning. In `require` they would fail (or pass) a hall
    for what its description leaves out."""
    return [each for each in descend(node) if isinstance(each, Compare) and each.op == "present"
            and not each.spec.omission_decides]


def leaves(node: Node) -> list:
    """The comparisons and quantifiers at the top level of a condition, in order."""
    return [n for n in walk(node) if isinstance(n, (Compare, Quantified))]


def resolve_spec_or_none(dotted: str, collection: str) -> FieldSpec | None:
    """The spec of a message placeholder such as {name}, read from the current entity."""
    try:
        ref = field_ref(dotted, Scope(collection), ())
        return resolve_spec(ref, Scope(collection), ())
    except RuleSyntaxError:
        return None
