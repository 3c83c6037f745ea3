"""Case events, one JSON object a line, read and checked where they were written.

    {"event": "accepted", "case": "B001", "on": "2024-09-27", "item": "370800-001", "department": "市场监管局", "limit": 5}
    {"event": "suspended", "case": "B001", "on": "2024-09-29"}
    {"event": "resumed", "case": "B001", "on": "2024-10-09"}
    {"event": "completed", "case": "B001", "on": "2024-10-10"}

`on` is an ISO date, or a date and time (the day counts). `limit` is the promised limit, in
working days unless `unit` says calendar_days (自然日); left out, the item's `promised_limit_days`
in the hall file (`--hall`) gives it, in the item's `limit_unit`.
`mode` is the case's handling mode (即办件, 承诺件, ... or their ids); left out, its item's `mode`.
An event's identity is its `id` when it has one, else the hash of its content: the same event
read twice is the same event, and changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from dataclasses import dataclass

from ..input.schema import canonical, suggestions
from ..problems import InputError, Location, Problem

# what happened to a case; a case waits (补正, 挂起) from the second or third until it is resumed
# (what a wait does to the clock: checker.watch.state)
EVENT_KINDS = ("accepted", "suspended", "materials_requested", "resumed", "completed", "rated",
               "complaint_received", "complaint_answered")
WAITING = ("suspended", "materials_requested")
# 好差评's five grades (国办发〔2019〕51号), in English ids and the words a platform exports
RATINGS = {"very_satisfied": "非常满意", "satisfied": "满意", "basically_satisfied": "基本满意",
           "dissatisfied": "不满意", "very_dissatisfied": "非常不满意"}
BAD_RATINGS = ("dissatisfied", "very_dissatisfied")
FIELDS = {"id", "event", "case", "on", "item", "department", "limit", "unit", "mode", "complaint", "rating"}
# the units a promised limit counts in, as an item's limit_unit writes them
UNITS = {"working_days": "working_days", "工作日": "working_days", "calendar_days": "calendar_days", "自然日": "calendar_days"}
MAX_LIMIT = 3650  # working days: ten years is no promise a hall makes
MAX_TEXT = 200


@dataclass(frozen=True)
class Event:
    key: str  # its id, or the hash of its content
    kind: str
    case: str
    on: dt.date
    location: Location
    item: str | None = None
    department: str | None = None
    limit: int | None = None
    complaint: str | None = None
    rating: str | None = None
    mode: str | None = None  # a handling mode id (immediate, committed, ...)
    unit: str | None = None  # of `limit`: working_days or calendar_days; None: working days

    def to_json(self) -> dict:
        out = {"event": self.kind, "case": self.case, "on": self.on.isoformat(), "key": self.key}
        for name in ("item", "department", "limit", "unit", "mode", "complaint", "rating"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


def event_key(data: dict) -> str:
    """The event's own id, or a digest of what it says (keys sorted, so spacing and order do not matter)."""
    if data.get("id") is not None:
        return f"id:{data['id']}"
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:40]


def parse_line(text: str, file: str, line: int) -> Event | None:
    """The event on one line (None for a blank line), or InputError with every problem it has."""
    if not text.strip():
        return None
    where = Location(file, line, 1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError([Problem("watch.bad_json", Location(file, line, err.colno), {"detail": err.msg})]) from None
    except RecursionError:
        raise InputError([Problem("watch.bad_json", where, {"detail": "nested too deeply"})]) from None

    def at(key: str) -> Location:
        column = text.find(json.dumps(key, ensure_ascii=False))
        return Location(file, line, column + 1 if column >= 0 else 1, key)

    return event_from(data, where, at)


def event_from(data, where: Location, at) -> Event:
    """The event a parsed JSON object (or a YAML mapping of a rule's examples) describes;
    `where` locates the object, `at(key)` one of its fields."""
    if not isinstance(data, dict):
        raise InputError([Problem("watch.not_object", where, {})])
    problems: list[Problem] = []
    file, line = where.file, where.line
    for key in sorted(set(data) - FIELDS):
        problems.append(Problem("watch.unknown_field", at(key),
                                {"field": key, "suggest": difflib.get_close_matches(key, sorted(FIELDS), n=1)}))
    kind = data.get("event")
    if kind is None:
        problems.append(Problem("schema.required", Location(file, line, 1), {"field": "event"}))
    elif kind not in EVENT_KINDS:
        problems.append(Problem("watch.unknown_event", at("event"),
                                {"value": _shown(kind), "known": ", ".join(EVENT_KINDS),
                                 "suggest": difflib.get_close_matches(str(kind), EVENT_KINDS, n=1)}))
    case = _text(data, "case", True, at, problems, file, line)
    day = _day(data, at, problems, file, line)
    item = _text(data, "item", False, at, problems, file, line)
    department = _text(data, "department", False, at, problems, file, line)
    complaint = _text(data, "complaint", False, at, problems, file, line)
    ident = data.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int)) or len(str(ident)) > MAX_TEXT):
        problems.append(Problem("watch.bad_text", at("id"), {"value": _shown(ident)}))
    limit = data.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT):
        problems.append(Problem("watch.bad_limit", at("limit"), {"value": _shown(limit), "max": MAX_LIMIT}))
    rating = data.get("rating")
    if kind == "rated":
        rating = _rating(rating, at, problems, file, line)
    elif rating is not None:
        problems.append(Problem("watch.not_for_event", at("rating"), {"field": "rating", "event": _shown(kind)}))
    mode = data.get("mode")
    if mode is not None:
        mode = canonical("handling_mode", mode)
        if mode is None:
            problems.append(Problem("cond.unknown_value", at("mode"),
                                    {"value": _shown(data["mode"]), "vocab": "handling_mode",
                                     "suggest": suggestions("handling_mode", data["mode"])}))
    unit = _unit(data, limit, at, problems)
    for name in ("item", "department", "limit", "unit", "mode"):
        if data.get(name) is not None and kind != "accepted":
            problems.append(Problem("watch.not_for_event", at(name), {"field": name, "event": _shown(kind)}))
    if problems:
        raise InputError(problems)
    return Event(event_key(data), kind, case, day, where, item, department, limit,
                 complaint if kind.startswith("complaint") else None, rating, mode, unit)


def _unit(data: dict, limit, at, problems: list) -> str | None:
    """The unit of the event's own limit (working_days, calendar_days; 工作日, 自然日)."""
    value = data.get("unit")
    if value is None:
        return None
    if not isinstance(value, str) or value.strip() not in UNITS:
        problems.append(Problem("watch.bad_unit", at("unit"), {"value": _shown(value), "known": ", ".join(UNITS)}))
        return None
    if limit is None:
        problems.append(Problem("watch.unit_without_limit", at("unit"), {}))
    return UNITS[value.strip()]


def read_events(lines, file: str) -> list[Event]:
    """Every event of a recorded stream; InputError listing every bad line when any is bad."""
    events, problems = [], []
    for number, text in enumerate(lines, start=1):
        try:
            event = parse_line(text, file, number)
        except InputError as err:
            problems.extend(err.problems)
            continue
        if event is not None:
            events.append(event)
    if problems:
        raise InputError(problems)
    return events


def _text(data: dict, key: str, required: bool, at, problems: list, file: str, line: int) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            problems.append(Problem("schema.required", Location(file, line, 1), {"field": key}))
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip() \
            or len(str(value)) > MAX_TEXT:
        problems.append(Problem("watch.bad_text", at(key), {"value": _shown(value)}))
        return None
    return str(value).strip()


def _day(data: dict, at, problems: list, file: str, line: int) -> dt.date | None:
    value = data.get("on")
    if value is None:
        problems.append(Problem("schema.required", Location(file, line, 1), {"field": "on"}))
        return None
    day = parse_day(value) if isinstance(value, str) else None
    if day is None:
        problems.append(Problem("watch.bad_date", at("on"), {"value": _shown(value)}))
    return day


def parse_day(text: str) -> dt.date | None:
    """2024-09-27, or a date and time (2024-09-27T10:03:00, 2024-09-27 10:03:00+08:00): the day
    as written, without moving it to another time zone."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        if len(text) > 10 and text[10] in "T ":
            dt.datetime.fromisoformat(text[:10] + "T" + text[11:].replace("Z", "+00:00"))
            return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return None


def _rating(value, at, problems: list, file: str, line: int) -> str | None:
    if value is None:
        problems.append(Problem("schema.required", Location(file, line, 1), {"field": "rating"}))
        return None
    words = {zh: ident for ident, zh in RATINGS.items()}
    if isinstance(value, str) and (value in RATINGS or value.strip() in words):
        return value if value in RATINGS else words[value.strip()]
    problems.append(Problem("watch.bad_rating", at("rating"),
                            {"value": _shown(value), "known": "、".join(RATINGS.values()) + " / " + ", ".join(RATINGS)}))
    return None


def _shown(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
