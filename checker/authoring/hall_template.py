"""`hallcheck init`: a commented hall description holding every field the rules read.

The fields come from the loaded rules themselves (their `applies_to.when`, `where` and `require`,
down into quantifiers, counts and shares), so the template never falls behind the rules. With a
regulation (and a level), only that regulation's rules at that level count, and each field is
preceded by the clause words of the rules that need it. Example values are the values the rules
name where they name one, else a placeholder of the field's type; the result is a valid hall.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

import yaml

from ..language import ast as syntax
from ..input import schema as schemas
from ..language.operators import OPERATORS
from ..reports.messages import word
from ..problems import InputError, Location, Problem
from ..ruleset.regulations import Regulation, hall_options
from ..ruleset.rules import Rule
from .scaffold import example_as_of
from ..input.validate import DERIVED_INDICATORS, indicator_from_records

# The operators whose literal is a value a hall may hold (not one it must avoid).
_NAMING = {op.name for op in OPERATORS.values() if op.example}
# Ids of the first element of each collection, so that references between them resolve.
_IDS = {"windows": "W01", "staff": "S01", "cases": "C01", "complaints": "F01"}
_TEXT = "××"
_PATTERNS = {"weekdays": "09:00-17:00"}  # text fields whose schema sets a pattern
_MAX_CITED = 3
# The kind of hall a level usually has (a township's 便民服务中心, a village's 便民服务站).
_USUAL_KIND = {"city": "comprehensive_centre", "county": "comprehensive_centre", "township": "convenience_centre",
               "village": "convenience_station"}
_PLACEHOLDER = re.compile(r"{([a-z_][a-z0-9_.]*)}")
_COMPUTED = {"entity", "actual", "expected", "missing"}  # placeholders that are not fields


@dataclass
class _Field:
    """One field of the template: the rules that read it and the literals they name."""

    rules: list = field(default_factory=list)
    literals: list = field(default_factory=list)


# ---------------------------------------------------------------- what the rules read

def fields_read(rule: Rule) -> dict[tuple[str, tuple], list]:
    """(collection, field path) -> literals the rule names for it, for every field the rule
    reads; a collection it iterates or counts appears with the empty path."""
    found: dict = {}
    if rule.for_each != "hall":
        found.setdefault((rule.for_each, ()), [])
    if rule.when is not None:
        _collect(rule.when, "hall", None, found)
    if rule.where is not None:
        _collect(rule.where, rule.for_each, None, found)
    _collect(rule.require, rule.for_each, None, found)
    for text in rule.message.values():  # what a finding's message shows is read too
        for name in _PLACEHOLDER.findall(text):
            if name not in _COMPUTED and schemas.field_spec(rule.for_each, name) is not None:
                found.setdefault((rule.for_each, tuple(name.split("."))), [])
    return found


def _collect(node, collection: str, outer: str | None, found: dict) -> None:
    for each in syntax.walk(node):
        if isinstance(each, syntax.Quantified):
            found.setdefault((each.collection, ()), [])
            for child in (each.where, each.require):
                if child is not None:
                    _collect(child, each.collection, collection, found)
        elif isinstance(each, syntax.Compare):
            _subject(each.subject, collection, outer, found)
            literals = found.setdefault(_place(each.subject, collection, outer), []) \
                if isinstance(each.subject, syntax.FieldRef) and each.subject.scope not in ("audit", "regulation") else []
            if isinstance(each.value, syntax.FieldRef):
                _ref(each.value, collection, outer, found)
            elif each.op in _NAMING:
                literals.extend(each.value if isinstance(each.value, tuple) else (each.value,))


def _subject(subject, collection: str, outer: str | None, found: dict) -> None:
    if isinstance(subject, syntax.FieldRef):
        _ref(subject, collection, outer, found)
    elif isinstance(subject, syntax.Between):
        for ref in subject.start + subject.end:
            _ref(ref, collection, outer, found)
    elif isinstance(subject, (syntax.Count, syntax.Share, syntax.PeriodsWithout)):
        found.setdefault((subject.collection, ()), [])
        for child in (getattr(subject, "where", None), getattr(subject, "among", None)):
            if child is not None:
                _collect(child, subject.collection, collection, found)
        if isinstance(subject, syntax.PeriodsWithout):
            found.setdefault((subject.collection, (subject.date,)), [])
            for ref in subject.since:
                _ref(ref, collection, outer, found)


def _ref(ref: syntax.FieldRef, collection: str, outer: str | None, found: dict) -> None:
    if ref.scope not in ("audit", "regulation"):
        found.setdefault(_place(ref, collection, outer), [])


def _place(ref: syntax.FieldRef, collection: str, outer: str | None) -> tuple[str, tuple]:
    owner = {"entity": collection, "outer": outer, "hall": "hall", "document": "document"}[ref.scope]
    return owner, ref.path


# ---------------------------------------------------------------- the template

@dataclass(frozen=True)
class Selection:
    """Which rules a template is for, and the hall identity it starts from."""

    rules: tuple[Rule, ...]
    regulations: dict  # id -> Regulation
    level: str
    kind: str
    place: dict
    as_of: dt.date
    regulation: Regulation | None = None  # when the template is for one regulation


def checked_selection(rules, register: dict[str, Regulation], regulation_id: str | None, level: str | None,
                      kind: str | None) -> Selection:
    """`select`, once the options are known to name a regulation and a level and kind it
    governs (written as ids or in Chinese); InputError naming each option that does not."""
    problems = []
    regulation = register.get(regulation_id) if regulation_id else None
    if regulation_id and regulation is None:
        problems.append(Problem("rule.unknown_regulation", Location("--regulation"),
                                {"id": regulation_id, "known": sorted(register)}))
    level, kind = hall_options(regulation, level, kind, problems)
    if problems:
        raise InputError(problems)
    return select(rules, register, regulation_id, level, kind)


def select(rules, register: dict[str, Regulation], regulation_id: str | None, level: str | None,
           kind: str | None) -> Selection:
    """The rules of `regulation_id` (every regulation when None) that apply at `level` (every
    level when None) to a hall of `kind` (every kind when None), and the identity of the hall:
    the level's usual kind where no kind is given. The caller has checked the ids."""
    regulation = register[regulation_id] if regulation_id else None
    chosen = [r for r in rules if regulation is None or r.regulation == regulation.id]
    if level is not None:
        chosen = [r for r in chosen if level in (r.levels or register[r.regulation].levels)]
    if kind is not None:
        chosen = [r for r in chosen if kind in (r.kinds or register[r.regulation].kinds)]
    level = level or (regulation.levels[0] if regulation else "county")
    if kind is None:
        kinds = regulation.kinds if regulation else tuple(schemas.vocabulary()["hall_kind"])
        usual = _USUAL_KIND[level]
        kind = usual if usual in kinds else max(
            kinds, key=lambda k: (sum(k in (r.kinds or register[r.regulation].kinds) for r in chosen), -kinds.index(k)))
    if regulation:
        place = {k: v for k, v in regulation.place.items() if v and k in ("province", "city", "district")}
        as_of = example_as_of(regulation)
    else:
        place, as_of = {"province": "山东省", "city": "济宁市"}, dt.date(dt.date.today().year - 1, 12, 31)
    return Selection(tuple(chosen), register, level, kind, place, as_of, regulation)


def template_text(selection: Selection) -> str:
    fields = _fields(selection.rules)
    document = _document(selection, fields)
    lines = _header(selection) + _render(document, (), 0, fields, selection)
    return "\n".join(lines) + "\n"


def _fields(rules) -> dict[tuple, _Field]:
    """document path (no list positions) -> the rules that read the field and their literals."""
    fields: dict[tuple, _Field] = {}
    for rule in rules:
        for (collection, path), literals in fields_read(rule).items():
            entry = fields.setdefault(_document_path(collection, path), _Field())
            if rule not in entry.rules:
                entry.rules.append(rule)
            entry.literals.extend(v for v in literals if v not in entry.literals)
    return fields


def _document_path(collection: str, path: tuple) -> tuple:
    if collection == "document":
        return path
    if collection == "hall":
        return ("hall",) + path
    if collection == "systems":
        return ("hall", "systems") + path
    return (collection,) + path


def _document(selection: Selection, fields: dict[tuple, _Field]) -> dict:
    """The hall, as nested dicts: identity first, then every field the rules read."""
    level_word = _word("level", selection.level)
    document = {"hallcheck": 1, "as_of": selection.as_of, "hall": {
        "name": _TEXT, "level": level_word, "kind": _word("hall_kind", selection.kind),
        "jurisdiction": dict(selection.place)}}
    for path in sorted(fields, key=len):
        _put(document, path, fields, selection)
    if "staff" in document.get("windows", [{}])[0] or "handler" in document.get("cases", [{}])[0]:
        _element(document, "staff", fields, selection)
    if "window" in document.get("staff", [{}])[0] or "lead_window" in document.get("items", [{}])[0]:
        _element(document, "windows", fields, selection)
    for name in DERIVED_INDICATORS:  # declared indicators agree with the example items
        counts = indicator_from_records(name, _normalised_items(document))
        if name in document.get("indicators", {}) and counts:
            document["indicators"][name] = round(counts[0] / counts[1], 2)
    return document


def _element(document: dict, collection: str, fields: dict, selection: Selection) -> dict:
    """The first element of a collection, with its required fields."""
    if collection == "systems":
        elements = document["hall"].setdefault("systems", [{}])
    else:
        elements = document.setdefault(collection, [{}])
    element = elements[0]
    definition = schemas.hall_schema()["$defs"][schemas.COLLECTIONS[collection]]
    for name in definition.get("required", ()):
        if name not in element:
            element[name] = _value(collection, (name,), _literals(fields, collection, (name,)), selection)
    return element


def _literals(fields: dict, collection: str, path: tuple) -> list:
    entry = fields.get(_document_path(collection, path))
    return entry.literals if entry else []


def _put(document: dict, path: tuple, fields: dict, selection: Selection) -> None:
    head, rest = path[0], path[1:]
    literals = fields[path].literals
    if head in schemas.COLLECTIONS and head != "hall":
        element = _element(document, head, fields, selection)
        if rest:
            _nest(element, rest, _value(head, rest, literals, selection))
        return
    if head == "hall" and rest[:1] == ("systems",):
        element = _element(document, "systems", fields, selection)
        if rest[1:]:
            _nest(element, rest[1:], _value("systems", rest[1:], literals, selection))
        return
    if head == "hall":
        if rest and rest[0] != "jurisdiction":  # the place is the regulation's, not a placeholder
            _nest(document["hall"], rest, _value("hall", rest, literals, selection))
        return
    _nest(document, path, _value("document", path, literals, selection))


def _nest(target: dict, path: tuple, value) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target.setdefault(path[-1], value)


def _value(collection: str, path: tuple, literals: list, selection: Selection):
    """An example value of the field: what the rules name, else a placeholder of its type."""
    spec = schemas.field_spec(collection, ".".join(path))
    raw = _field_schema(collection, path)
    if spec is None or spec.type == "object":
        return {}
    if path[-1] == "id" and collection in _IDS:
        return _IDS[collection]
    if path == ("window",) or path == ("lead_window",):
        return _IDS["windows"]
    if path == ("handler",):
        return _IDS["staff"]
    if spec.type == "array":
        if path == ("staff",):
            return [_IDS["staff"]]
        item = spec.item
        named = [v for v in literals if v is not None] if item and item.type == "enum" else []
        return [_word(item.vocab, v) for v in named] if named else [_scalar(item, raw.get("items", {}), [], selection)]
    return _scalar(spec, raw, literals, selection, path[-1])


def _scalar(spec, raw: dict, literals: list, selection: Selection, name: str = ""):
    raw = schemas.resolve(raw)
    if spec.type == "enum":
        return _word(spec.vocab, literals[0] if literals else next(iter(schemas.vocabulary()[spec.vocab])))
    if spec.type == "date":
        return literals[0] if literals and isinstance(literals[0], dt.date) else selection.as_of
    if spec.type == "boolean":
        return literals[0] if literals and isinstance(literals[0], bool) else True
    if spec.type == "number":
        number = literals[0] if literals and isinstance(literals[0], float) else raw.get("minimum", 0)
        number = min(max(number, raw.get("minimum", number)), raw.get("maximum", number))
        return int(number) if raw.get("type") == "integer" or float(number).is_integer() else number
    if "enum" in raw:
        return raw["enum"][0]
    return _PATTERNS.get(name, _TEXT) if "pattern" in raw else _TEXT


def _field_schema(collection: str, path: tuple) -> dict:
    if collection == "document":
        schema = schemas.hall_schema()
    else:
        schema = schemas.hall_schema()["$defs"][schemas.COLLECTIONS[collection]]
    for part in path:
        schema = schemas.resolve(schema).get("properties", {}).get(part, {})
    return schema


def _word(vocab: str, value: str) -> str:
    """The Chinese word for a canonical id, as a person writes it."""
    return (schemas.vocabulary()[vocab].get(value) or [value])[0]


def _normalised_items(document: dict) -> list | None:
    items = document.get("items")
    if not items:
        return None
    return [{key: (schemas.canonical("item_kind", value) if key == "kind" else value) for key, value in item.items()}
            for item in items]


# ---------------------------------------------------------------- text

def _header(selection: Selection) -> list[str]:
    lines = ["# yaml-language-server: $schema=hall.schema.json",
             "# hallcheck 大厅描述模板 / hall description template"]
    if selection.regulation:
        reg = selection.regulation
        lines += [f"# {reg.title}（{reg.id}），{_word('level', selection.level)}{_word('hall_kind', selection.kind)} / "
                  f"{selection.level} {selection.kind}",
                  "# 只列出该法规在此层级的规则读取的字段，每个字段上方是需要它的条款原文。",
                  "# Only the fields this regulation's rules read at this level; above each, the words of the clause that needs it."]
    else:
        lines += ["# 列出全部规则读取的字段，每个字段上方是读取它的条款。",
                  "# Every field the rules read; above each, the clauses whose rules read it.",
                  "# hallcheck init --regulation ID --level LEVEL 只写出一部法规在一个层级所需的字段。",
                  "# hallcheck init --regulation ID --level LEVEL writes only what one regulation needs at one level."]
    lines += ["# 生成 schema 供编辑器补全 / for editor completion: hallcheck schema hall > hall.schema.json",
              "# 枚举值可写中文或英文 (综合受理窗口 = comprehensive_acceptance)，词表外的值写 {other: 你的说法}；日期写 YYYY-MM-DD；面积单位 m²。",
              "# Enumerations take Chinese or English, {other: your words} outside the vocabulary; dates are YYYY-MM-DD; areas in m².",
              "# 值只是示例：请按实际填写。不知道的字段请删除而不是乱填：缺少的数据会报告为“无法判定”，不会算作通过。",
              "# Values are only examples: write what is true. Delete what you do not know: missing data is reported as unknown, never as a pass.",
              ""]
    return lines


def _render(value: dict, path: tuple, indent: int, fields: dict, selection: Selection) -> list[str]:
    lines = []
    pad = " " * indent
    for key, item in value.items():
        here = path + (key,)
        lines += [pad + line for line in _comments(here, fields, selection)]
        absent = _absent_meaning(here)
        prefix = f"{pad}# " if absent else pad
        if isinstance(item, dict) and item:
            lines.append(f"{prefix}{key}:")
            lines += _render(item, here, indent + 2, fields, selection)
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            lines.append(f"{prefix}{key}:")
            element = _render(item[0], here, indent + 4, fields, selection)
            first = next(i for i, line in enumerate(element) if not line.lstrip().startswith("#"))
            element[first] = " " * (indent + 2) + "- " + element[first][indent + 4:]
            lines += element
        else:
            lines.append(f"{prefix}{key}: {_flow(item)}" + (f"  # 不写表示{word(absent, 'zh')} / leave out: {absent}" if absent else ""))
    return lines


def _absent_meaning(path: tuple) -> str | None:
    """What leaving the field out says, where the hall format gives it a meaning: such a field
    is shown commented out, since writing a value would say the opposite."""
    if len(path) < 2 or path[0] not in schemas.COLLECTIONS or path[0] == "hall":
        return None
    spec = schemas.field_spec(path[0], ".".join(path[1:]))
    return spec.absent if spec is not None else None


def _comments(path: tuple, fields: dict, selection: Selection) -> list[str]:
    entry = fields.get(path)
    if entry is None:
        return []
    clauses = []
    for rule in entry.rules:
        if (rule.regulation, rule.clause) not in [(r.regulation, r.clause) for r in clauses]:
            clauses.append(rule)
    if selection.regulation is None:
        cited = ", ".join(f"{r.regulation} {r.clause}" for r in clauses[:4])
        return [f"# {cited}" + (f" (+{len(clauses) - 4})" if len(clauses) > 4 else "")]
    lines = [f"# {rule.clause}: “{'…'.join(_cut(q) for q in rule.quote)}”" for rule in clauses[:_MAX_CITED]]
    if len(clauses) > _MAX_CITED:
        lines.append(f"# (+{len(clauses) - _MAX_CITED}: {', '.join(r.clause for r in clauses[_MAX_CITED:])})")
    return lines


def _cut(quote: str, limit: int = 48) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[:limit] + "…"


def _flow(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    plain = not re.search(r"[:#\[\]{},&*!|>'\"%@`]", text) and yaml.safe_load(text) == text
    return text if plain else json.dumps(text, ensure_ascii=False)
