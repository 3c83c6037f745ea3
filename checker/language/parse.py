"""Parsing a condition: the YAML a rule file holds, checked against the hall format, into the
syntax tree (checker/language/ast.py).

Nothing here executes text as code. Parsing checks every field name against the hall schema
and every literal against the field's type, so a rule that cannot work fails when it loads,
naming its file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..input import schema as schemas
from ..input.schema import FieldSpec
from .ast import (DURATIONS, QUANTIFIERS, SPANS, SPECIAL_FIELDS, SUBJECTS, All, Any_,
                  Between, Compare, Count, DaysIn, FieldRef, Node, Not, PeriodsWithout, Quantified, Share, Subject)
from .operators import COMPARISONS, ELEMENT, FLAG, NATIVE, OPERATORS, PATTERN, READS_VALUE, VALUES
from .regex import PatternError, compile_pattern


class RuleSyntaxError(Exception):
    """A problem in a condition, with the path inside the rule document where it is."""

    def __init__(self, code: str, path: tuple, **params):
        super().__init__(code)
        self.code, self.path, self.params = code, path, params


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
    if OPERATORS[op].reads != READS_VALUE and subject_key != "field":
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
        if OPERATORS[op].operand == VALUES:  # membership of a list field: of its elements' type
            other = other.item if other.type == "array" and other.item else FieldSpec("array")
        if other.comparable != spec.comparable:
            raise RuleSyntaxError("cond.incompatible", path, left=spec.type, right=other.type)
        return ref
    operand = OPERATORS[op].operand
    if operand == FLAG:
        if not isinstance(raw, bool):
            raise RuleSyntaxError("cond.literal_type", path, expected="boolean", value=raw)
        return raw
    if operand == PATTERN:
        if spec.type == "array" and (spec.item is None or spec.item.comparable != "string"):
            raise RuleSyntaxError("cond.op_type", path, op=op, type=spec.type, accepted=["string"])
        if not isinstance(raw, str):
            raise RuleSyntaxError("cond.literal_type", path, expected="string", value=raw)
        try:
            compile_pattern(raw)  # RE2: linear time, whoever wrote the pattern (checker.language.regex)
        except PatternError as err:
            raise RuleSyntaxError("cond.bad_regex", path, detail=str(err)) from None
        return raw
    if operand == VALUES:
        if not isinstance(raw, list) or not raw:
            raise RuleSyntaxError("cond.literal_type", path, expected="list", value=raw)
        element = spec.item if spec.type == "array" else spec
        return tuple(_literal(item, element, path + (i,)) for i, item in enumerate(raw))
    element = spec.item if operand == ELEMENT else spec
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


def resolve_spec_or_none(dotted: str, collection: str) -> FieldSpec | None:
    """The spec of a message placeholder such as {name}, read from the current entity."""
    try:
        ref = field_ref(dotted, Scope(collection), ())
        return resolve_spec(ref, Scope(collection), ())
    except RuleSyntaxError:
        return None


# ---------------------------------------------------------------- the condition's JSON Schema

def condition_schema() -> dict:
    """The `condition` of the rule JSON Schema, spelled out from the keys of a condition and the
    operator table, for editors and validators. Loading checks more (every field against the
    hall format, every literal against the field's type), each problem located in the rule."""
    condition = {"$ref": "#/$defs/condition"}
    forms = [_closed({key: {"type": "array", "minItems": 1, "items": condition}}, [key]) for key in ("all", "any")]
    forms.append(_closed({"not": condition}, ["not"]))
    for kind in sorted(QUANTIFIERS):
        forms.append(_closed({kind: {"type": "string"}, "where": condition, "require": condition},
                             [kind, "require"] if kind == "every" else [kind]))
    comparison = _closed({**_subject_schemas(), "where": condition, "among": condition,
                          **{op: _operand_schema(OPERATORS[op]) for op in sorted(COMPARISONS)}}, [])
    comparison["allOf"] = [{"oneOf": [{"required": [key]} for key in sorted(SUBJECTS)]},
                           {"oneOf": [{"required": [op]} for op in sorted(COMPARISONS)]}]
    forms.append(comparison)
    return {"description": "A condition: all / any / not of conditions, a quantifier (some, every, none) over a "
                           "collection, or one subject compared by one operator. See the README's rule language "
                           "section; checked in detail when the rule loads.",
            "type": "object", "minProperties": 1, "anyOf": forms}


def _closed(properties: dict, required: list) -> dict:
    schema = {"type": "object", "additionalProperties": False, "properties": properties}
    return schema | ({"required": required} if required else {})


def _subject_schemas() -> dict:
    names = {"type": "string"}
    some_names = {"anyOf": [names, {"type": "array", "minItems": 1, "items": names}]}
    between = _closed({"from": some_names, "to": some_names}, ["from", "to"])
    periods = _closed({"of": names, "date": names, "since": some_names}, ["of", "date"])
    return {"field": names, "count": names, "share": names, "periods_without": periods,
            **{key: between for key in DURATIONS}, **{key: some_names for key in SPANS}}


_LITERAL = {"type": ["string", "number", "boolean"]}
_OPERANDS = {
    VALUES: {"type": "array", "minItems": 1, "items": _LITERAL},
    ELEMENT: _LITERAL,
    FLAG: {"type": "boolean"},
    PATTERN: {"type": "string", "description": "A regular expression (RE2)."},
}


def _operand_schema(operator) -> dict:
    """What a rule may write after `operator`: its literal, or (compared by the engines) another field."""
    literal = _OPERANDS.get(operator.operand, _LITERAL)
    if not operator.native:
        return literal
    other_field = _closed({"field": {"type": "string"}}, ["field"])
    return {"anyOf": [literal, other_field]}
