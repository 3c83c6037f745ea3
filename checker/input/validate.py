"""Stage 2, validate: a loaded document -> a normalised hall, or every problem it has.

Normalising means: Chinese enumeration values become their canonical ids and ISO date strings
become dates, so that later stages compare like with like.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass

# jsonschema is imported where a document is checked by it, or a failed check explained: a hall
# the cached compiled validator accepts never needs it (and it is a sixth of a small audit's start).
from .load import Document
from ..problems import InputError, Problem
from . import places
from . import schema as schemas

_JSON_TYPES = {
    dict: "object", list: "array", str: "string", bool: "boolean",
    int: "integer", float: "number", type(None): "null",
}


@dataclass(frozen=True)
class Hall:
    """A validated hall description: normalised data plus where each value was written."""

    document: Document
    data: dict

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def name(self) -> str:
        return self.data["hall"]["name"]


@functools.lru_cache(maxsize=None)
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    import jsonschema
    schema = schemas.hall_schema() if kind == "hall" else schemas.named_schema(kind)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_problems(document: Document, kind: str, data=None) -> list[Problem]:
    """Every way `document` (or `data`, what the schema sees of it) breaks the `kind` schema,
    each located and explained."""
    data = document.data if data is None else data
    return [_problem(document, err) for err in _validator(kind).iter_errors(data)]


def without_empty(value, schema: dict | None = None):
    """The document as the schema checks it. An optional field written empty
    (`stationed_until:`, `fee_basis: null`) says the hall has none of it, which to the schema is
    what leaving it out says; the audit still tells the two apart (see language.evaluate.recorded). A
    required field or an unknown key written empty stays, for the schema to report."""
    shape = _shape(schemas.hall_schema() if schema is None else schema)
    if isinstance(value, dict):
        props, required = shape.props, shape.required
        return {key: without_empty(item, props[key]) if key in props else item for key, item in value.items()
                if item is not None or key in required or key not in props}
    if isinstance(value, list):
        items = shape.items
        return [without_empty(item, items) for item in value]
    return value


@dataclass(frozen=True)
class _Shape:
    """What reading a document against one node of the hall schema asks of that node, worked
    out once: a hall has thousands of values and the schema a few hundred nodes."""

    schema: dict
    vocab: str | None
    date: bool  # a date written as text
    array: bool
    props: dict
    required: frozenset
    items: dict
    enum: bool


_SHAPES: dict[int, _Shape] = {}
_NO_SCHEMA: dict = {}  # the schema of a key the hall schema does not describe


def _shape(schema: dict) -> _Shape:
    known = _SHAPES.get(id(schema))
    if known is not None and known.schema is schema:
        return known
    resolved = schemas.resolve(schema)
    known = _SHAPES[id(schema)] = _Shape(
        schema, schemas.vocab_of(schema), resolved.get("format") == "date", resolved.get("type") == "array",
        resolved.get("properties", {}), frozenset(resolved.get("required", ())), resolved.get("items", {}),
        bool(resolved.get("enum")))
    return known


def validate_hall(document: Document) -> Hall:
    if not isinstance(document.data, dict):
        raise InputError([Problem("schema.type", document.locate(()), {
            "expected": "object", "actual": _JSON_TYPES.get(type(document.data), "value"),
            "value": _short(document.data)})])
    written = without_empty(document.data)
    if not _quickly_valid(document, written):
        problems = schema_problems(document, "hall", written)
        if problems:
            raise InputError(problems)
    try:
        data = _normalise(document.data, schemas.hall_schema())
    except ValueError:  # a date the quick check let through (2023-02-30): the full check says where
        raise InputError(schema_problems(document, "hall", written)) from None
    problems = _reference_problems(document, data) + _place_problems(document, data) \
        + _indicator_problems(document, data)
    if problems:
        raise InputError(problems)
    _complete_postings(data)
    return Hall(document, data)


def _place_problems(document: Document, data: dict) -> list[Problem]:
    """The jurisdiction resolved against the register of divisions, in place; a name that is
    no division there is a problem naming the nearest ones."""
    hall = data["hall"]
    written = {key: str(value) if key == "code" else value for key, value in hall["jurisdiction"].items()}
    try:
        hall["jurisdiction"] = places.resolve(written)
    except places.PlaceError as err:
        where = document.locate(("hall", "jurisdiction", err.field))
        return [Problem("hall.unknown_place", where, {"value": err.value, "suggest": err.suggest,
                                                       "parent_zh": f"{err.parent}下的" if err.parent else "",
                                                       "parent_en": f" in {err.parent}" if err.parent else ""})]
    return []


def _complete_postings(data: dict) -> None:
    """Who staffs which window can be written on either side (`windows[].staff`,
    `staff[].window`); both sides are made to tell the whole story, so that a rule reading
    either sees the same postings. A window nobody is named for has an empty list only when
    every staff record says where its person is posted; otherwise who staffs it is unknown."""
    windows, staff = data.get("windows"), data.get("staff")
    if not windows or staff is None:
        return
    named = {}
    for window in windows:
        for ident in window.get("staff") or ():
            named.setdefault(ident, []).append(window["id"])
    every_posting_known = all(person.get("window") is not None or person["id"] in named for person in staff)
    for window in windows:
        listed = list(window.get("staff") or ())
        listed += [p["id"] for p in staff if p.get("window") == window["id"] and p["id"] not in listed]
        if listed or window.get("staff") is not None or every_posting_known:
            window["staff"] = listed
    for person in staff:
        if person.get("window") is None and len(named.get(person["id"], ())) == 1:
            person["window"] = named[person["id"]][0]


# A document is checked by a compiled validator first (about 25 times faster than jsonschema).
# Compiling it costs about 0.3 s: it is compiled once and kept with the rule cache, and without
# the cache only documents this large, for which it pays off within the run, are checked by it.
QUICK_CHECK_FROM_VALUES = 5000
_DATE = r"^\d{4}-\d{2}-\d{2}$"  # an impossible date (2023-02-30) is caught when dates are read


@functools.lru_cache(maxsize=None)
def _compiled_hall_validator():
    return _validator_from_code(_hall_validator_code())


def _cached_hall_validator():
    """The compiled validator from the cache, or None where the cache is off."""
    from .. import cache
    return _hall_validator_from_cache() if cache.enabled() else None


@functools.lru_cache(maxsize=None)
def _hall_validator_from_cache():
    """Its code object, marshalled, loads in a millisecond."""
    from .. import cache
    return _validator_from_code(cache.cached("hall-validator", [], _hall_validator_code))


def _validator_from_code(code: bytes):
    import marshal
    namespace: dict = {}
    exec(marshal.loads(code), namespace)  # noqa: S102 - code fastjsonschema generated from our own schema
    return namespace[_ENTRY]


_ENTRY = "validate_hall"
# The generated code names the place of an error for its message, building the name of every
# array element it enters with str.format(**locals()): a third of the check's time. Only whether
# the document is valid is used here (jsonschema explains a failure), so no name is built.
_ELEMENT_NAME = re.compile(r'\(name_prefix or "data"\) \+ "[^"\n]*"\.format\(\*\*locals\(\)\)')


def _hall_validator_code() -> bytes:
    import copy
    import marshal

    import fastjsonschema
    # a copy: fastjsonschema rewrites every $ref of what it compiles into an absolute address,
    # and the shared schema is what `hallcheck schema hall` prints and the API's callers read
    source = fastjsonschema.compile_to_code(copy.deepcopy(schemas.hall_schema()), formats={"date": _DATE})
    source = _ELEMENT_NAME.sub("name_prefix", source)
    source += f"\n{_ENTRY} = {_entry_name(source)}\n"
    return marshal.dumps(compile(source, "<hall schema>", "exec"))


def _entry_name(source: str) -> str:
    """The first function fastjsonschema generates checks the whole document."""
    return source.split("def ", 1)[1].split("(", 1)[0]


def _quickly_valid(document: Document, data) -> bool:
    """True when the document is surely valid; False means: ask jsonschema, which also
    explains every problem with its location."""
    import fastjsonschema
    check = _cached_hall_validator()
    if check is None:
        imported = document.origins.cells if document.origins is not None else 0  # rows read from ledgers
        if len(document.positions) + imported < QUICK_CHECK_FROM_VALUES:
            return False
        check = _compiled_hall_validator()
    try:
        check(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _problem(document: Document, err: jsonschema.ValidationError) -> Problem:
    path = tuple(err.absolute_path)
    loc = document.locate(path)
    kind = err.validator
    if kind == "anyOf" and _vocab_from_error(err):  # an enumeration value, or {other: ...}
        return _problem(document, _meant(err))
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return Problem("schema.required", loc, {"field": missing})
    if kind == "additionalProperties":
        known = sorted(err.schema.get("properties", {}))
        extra = sorted(set(err.instance) - set(known))
        field = extra[0] if extra else "?"
        loc = document.locate_key(path + (field,))
        return Problem("schema.unknown_field", loc, {
            "field": field, "suggest": difflib.get_close_matches(field, known, n=3, cutoff=0.5)})
    if kind == "enum":
        vocab = _vocab_from_error(err)
        if vocab:
            return Problem("schema.enum", loc, {
                "value": err.instance, "vocab": vocab, "suggest": schemas.suggestions(vocab, err.instance)})
        return Problem("schema.enum", loc, {"value": err.instance, "vocab": "", "suggest": list(err.validator_value)})
    if kind == "type":
        expected = err.validator_value
        if expected == "string" and err.schema.get("format") == "date":
            expected = "date"
        return Problem("schema.type", loc, {
            "expected": expected, "actual": _JSON_TYPES.get(type(err.instance), "value"), "value": _short(err.instance)})
    if kind == "format":
        return Problem("schema.format", loc, {"format": err.validator_value, "value": err.instance})
    if kind in ("minimum", "maximum", "const", "pattern", "minLength", "exclusiveMinimum"):
        return Problem(f"schema.{kind}", loc, {"limit": err.validator_value, "value": _short(err.instance)})
    return Problem("schema.other", loc, {"detail": err.message})


def _meant(err: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Of an enumeration's two forms, the one the writer meant: a mapping is an `{other: ...}`
    gone wrong, anything else a word not in the vocabulary."""
    wanted = [e for e in err.context if (e.validator == "enum") != isinstance(err.instance, dict)]
    import jsonschema
    return jsonschema.exceptions.best_match(wanted) if wanted else err


def _vocab_from_error(err: jsonschema.ValidationError) -> str | None:
    for ref in reversed(list(err.schema_path)):
        if isinstance(ref, str) and ref.startswith("vocab_"):
            return ref[len("vocab_"):]
    enum = err.validator_value
    if err.validator == "anyOf":
        enum = next((form.get("enum") for form in enum if "enum" in form), None)
    for vocab in schemas.vocabulary():
        if enum == schemas.spellings(vocab):
            return vocab
    return None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _normalise(value, schema: dict):
    shape = _shape(schema)
    if value is None:  # written empty: a list of none, or no value
        return [] if shape.array else None
    if shape.vocab:
        return schemas.enum_value(shape.vocab, value)
    if shape.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, dict):
        props = shape.props
        return {key: _normalise(val, props.get(key, _NO_SCHEMA)) for key, val in value.items()}
    if isinstance(value, list):
        items = shape.items
        return [_normalise(val, items) for val in value]
    if shape.enum and value in ("工作日", "自然日"):
        return {"工作日": "working_days", "自然日": "calendar_days"}[value]
    return value


# Indicators a hall declares that its own records also give: indicator -> (which items count,
# which of them it is the share of). An item whose deciding fields are not given (or written
# outside the vocabulary) leaves the share open, and then nothing is compared.
DERIVED_INDICATORS = {
    "online_item_share": (lambda item: True, lambda item: item["online"] is True, ("online",)),
    "online_licensing_share": (lambda item: item["kind"] == "administrative_licensing",
                               lambda item: item["online"] is True, ("kind", "online")),
    "one_visit_share": (lambda item: True, lambda item: item["visits_required"] <= 1, ("visits_required",)),
}
# A declared share agrees with the records when it is their share rounded to a whole percent.
INDICATOR_TOLERANCE = 0.005


def _indicator_problems(document: Document, data: dict) -> list[Problem]:
    """A declared indicator that its records contradict (an online share of 0.85 over an item
    list that is wholly online): one of the two is wrong, and a verdict on either would be a
    guess. The hall's author decides which; no figure is preferred silently."""
    declared = data.get("indicators") or {}
    problems = []
    for name in DERIVED_INDICATORS:
        counts = indicator_from_records(name, data.get("items"))
        if declared.get(name) is None or counts is None:
            continue
        hits, total = counts
        if abs(declared[name] - hits / total) > INDICATOR_TOLERANCE + 1e-9:
            problems.append(Problem("hall.indicator_contradicts", document.locate(("indicators", name)), {
                "declared": declared[name], "derived": round(hits / total, 4), "hits": hits, "total": total}))
    return problems


def indicator_from_records(name: str, items: list | None) -> tuple[int, int] | None:
    """(items that count towards the indicator, items it is a share of) in a normalised item
    list, or None when the list cannot say: no items, none it counts, or one that does not give
    a field the share depends on."""
    counted, hit, fields = DERIVED_INDICATORS[name]
    if not items or not all(_known(item, fields) for item in items):
        return None
    among = [item for item in items if counted(item)]
    return (sum(1 for item in among if hit(item)), len(among)) if among else None


def _known(item: dict, fields: tuple) -> bool:
    return all(item.get(key) is not None and not isinstance(item[key], schemas.Unlisted) for key in fields)


def _reference_problems(document: Document, data: dict) -> list[Problem]:
    """Cross-references the schema cannot express: ids that must exist, dates in order."""
    problems = []
    staff_ids = [person["id"] for person in data.get("staff", [])]
    window_ids = [window["id"] for window in data.get("windows", [])]
    for collection, ids in (("staff", staff_ids), ("windows", window_ids)):
        seen = set()
        for index, ident in enumerate(ids):
            if ident in seen:
                problems.append(Problem("hall.duplicate_id", document.locate((collection, index, "id")), {"id": ident}))
            seen.add(ident)
    posted = {person["id"]: person.get("window") for person in data.get("staff", [])}
    known_staff, known_windows = set(staff_ids), set(window_ids)  # sets: 60,000 windows took 40 s as lists
    for index, window in enumerate(data.get("windows", [])):
        for pos, ident in enumerate(window.get("staff", [])):
            if ident not in known_staff:
                problems.append(Problem("hall.unknown_ref", document.locate(("windows", index, "staff", pos)),
                                        {"id": ident, "target": "staff"}))
            elif posted[ident] not in (None, window["id"]):  # the two records must tell one story
                problems.append(Problem("hall.window_mismatch", document.locate(("windows", index, "staff", pos)),
                                        {"id": ident, "window": window["id"], "other": posted[ident]}))
    for index, person in enumerate(data.get("staff", [])):
        if person.get("window") is not None and person["window"] not in known_windows:
            problems.append(Problem("hall.unknown_ref", document.locate(("staff", index, "window")),
                                    {"id": person["window"], "target": "windows"}))
        start, end = person.get("stationed_from"), person.get("stationed_until")
        if start and end and end < start:
            problems.append(Problem("hall.dates_reversed", document.locate(("staff", index, "stationed_until")),
                                    {"start": start.isoformat(), "end": end.isoformat()}))
    for index, case in enumerate(data.get("cases", [])):
        start, end = case.get("applied_on"), case.get("completed_on")
        if start and end and end < start:
            problems.append(Problem("hall.dates_reversed", document.locate(("cases", index, "completed_on")),
                                    {"start": start.isoformat(), "end": end.isoformat()}))
        for key in ("approval_periods", "intermediary_periods"):
            for pos, period in enumerate(case.get(key) or ()):
                if period.get("to") and period["to"] < period["from"]:
                    problems.append(Problem("hall.dates_reversed", document.locate(("cases", index, key, pos, "to")),
                                            {"start": period["from"].isoformat(), "end": period["to"].isoformat()}))
    return problems
