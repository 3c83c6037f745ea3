"""One clock per case and per complaint, and what each event does to it.

A case's clock counts official working days (checker.input.workdays) from the day after its
acceptance, against its promised limit; a complaint's counts from its receipt against its
rule's period. A limit in calendar days counts every day: a rule's own (`unit: calendar_days`),
an event's (`unit`), or an item's (`limit_unit: 自然日`), as the check rules count it.

What stops a clock: only what the clauses and the check rules on the same clauses say. None of
the clauses timed names a stop, and the limit runs from acceptance of complete materials
(行政许可法 arts. 32, 42; kaifeng-2014 art23(2) and jining-2018 art5's check rules read it so). So
a request for materials on the acceptance day (补正 before the application is complete) holds
the clock until the materials arrive (`resumed`), and the limit runs from then: the day they
arrive counts nothing, as an acceptance day does. A request on a later day, or a suspension
(挂起), is recorded but does not stop the clock. The periods 行政许可法 art. 45 leaves out
(听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审, notified in writing) are not subtracted: an
event does not say which procedure it is, and the check rules do not subtract them either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from ..input import workdays
from ..problems import InputError, Problem
from .events import WAITING, Event
from .policy import Policy

COLOURS = ("green", "yellow", "red")


@dataclass
class Clock:
    key: str  # case:ID or complaint:CASE:ID
    subject: str  # case or complaint
    case: str
    started: dt.date
    limit: int | None  # in `unit`; None: nothing times it (no rule for its mode, or for complaints)
    department: str | None = None
    item: str | None = None
    complaint: str | None = None
    colour: str = "green"
    warned: bool = False  # has been yellow or red
    paused_since: dt.date | None = None  # waiting for materials or suspended since
    pause_stops: bool = False  # whether the wait stops the clock (materials requested on the acceptance day)
    paused_days: int = 0  # days of the closed waits that stopped the clock
    rule: str | None = None  # the id of the warning rule timing it
    unit: str = "working_days"  # or calendar_days
    closed_on: dt.date | None = None
    late: bool | None = None  # set when closed
    rating: str | None = None

    @property
    def open(self) -> bool:
        return self.closed_on is None

    @property
    def running(self) -> bool:
        """Open and counting: not closed, not waiting for the materials its limit starts from."""
        return self.open and not (self.paused_since is not None and self.pause_stops)

    def days_between(self, start: dt.date, end: dt.date) -> int:
        """The days this clock counts after `start` up to and including `end`."""
        if self.unit == "calendar_days":
            return max(0, (end - start).days)
        return workdays.working_days_between(start, end)

    def used(self, day: dt.date) -> int:
        """Days counted on the clock up to `day` (the closing day once closed)."""
        end = min(day, self.closed_on) if self.closed_on else day
        if end <= self.started:
            return 0
        used = self.days_between(self.started, end) - self.paused_days
        if self.paused_since is not None and self.pause_stops and end > self.paused_since:
            used -= self.days_between(self.paused_since, end)
        return used

    def remaining(self, day: dt.date) -> int:
        return self.limit - self.used(day)

    def to_json(self) -> dict:
        out = asdict(self)
        for name in ("started", "paused_since", "closed_on"):
            out[name] = out[name].isoformat() if out[name] else None
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Clock":
        data = dict(data)
        for name in ("started", "paused_since", "closed_on"):
            data[name] = dt.date.fromisoformat(data[name]) if data[name] else None
        return cls(**data)


def facts(clock: Clock, day: dt.date, closing: bool) -> dict:
    """What the engines match a clock on (see policy): numbers as floats, as every backend compares."""
    remaining = clock.remaining(day)
    share = remaining / clock.limit if clock.limit else (0.0 if remaining >= 0 else -1.0)
    return {"open": clock.running, "closing": closing, "colour": clock.colour, "remaining": float(remaining),
            "share": round(share, 4) + 0.0, "warned": clock.warned}


def case_key(case: str) -> str:
    return f"case:{case}"


def complaint_key(case: str, complaint: str | None) -> str:
    return f"complaint:{case}:{complaint or '1'}"


def apply(clocks: dict[str, Clock], event: Event, policy: Policy, limits: dict[str, tuple[int, str]],
          modes: dict[str, str] | None = None) -> tuple[str | None, bool]:
    """Change the clocks as `event` says: (the key of the clock it touched, whether it closed
    it). InputError when the event does not fit the case's history (a case accepted twice, a
    resumption of a case that was not waiting); `limits` and `modes` are the item catalogue's
    promised limits (with their units) and handling modes."""
    def refuse(code: str, **params):
        raise InputError([Problem(code, event.location, {"case": event.case, "event": event.kind, **params})])

    if event.kind == "complaint_received":
        key = complaint_key(event.case, event.complaint)
        if key in clocks:
            refuse("watch.complaint_exists", complaint=event.complaint or "1")
        rule = policy.complaint
        clocks[key] = Clock(key, "complaint", event.case, event.on, rule.limit_days if rule else None,
                            _department(clocks, event.case), _item(clocks, event.case), event.complaint or "1",
                            rule=rule.id if rule else None, unit=rule.unit if rule else "working_days")
        return key, False
    if event.kind == "complaint_answered":
        key = complaint_key(event.case, event.complaint)
        clock = clocks.get(key)
        if clock is None or not clock.open:
            refuse("watch.no_open_complaint", complaint=event.complaint or "1")
        _close(clock, event, refuse)
        return key, True
    key = case_key(event.case)
    clock = clocks.get(key)
    if event.kind == "accepted":
        if clock is not None:
            refuse("watch.case_exists", since=clock.started.isoformat())
        rule = policy.case_rule(event.mode or (modes or {}).get(event.item or ""))
        limit, unit = promise(rule, event, limits)
        if rule is not None and limit is None:
            refuse("watch.no_limit", item=event.item or "—")
        clocks[key] = Clock(key, "case", event.case, event.on, limit, event.department, event.item,
                            rule=rule.id if rule else None, unit=unit)
        return key, False
    if clock is None:
        refuse("watch.unknown_case")
    if event.kind == "rated":
        clock.rating = event.rating
        return None, False
    if not clock.open:
        refuse("watch.case_closed", closed=clock.closed_on.isoformat())
    if event.kind in WAITING:
        if clock.paused_since is not None:
            refuse("watch.already_stopped", since=clock.paused_since.isoformat())
        _not_before(clock, event, refuse)
        clock.paused_since = event.on
        # the limit runs from complete materials: only a request on the acceptance day holds it
        clock.pause_stops = event.kind == "materials_requested" and event.on == clock.started
        return key, False
    if event.kind == "resumed":
        if clock.paused_since is None:
            refuse("watch.not_stopped")
        _resume(clock, event, refuse)
        return key, False
    _close(clock, event, refuse)  # completed
    return key, True


def promise(rule, event: Event, limits: dict[str, tuple[int, str]]) -> tuple[int | None, str]:
    """The limit a case is timed against and its unit: the rule's where its clause fixes one
    (当场办结), else the event's (working days unless its `unit` says otherwise), else its item's
    promised limit in the item's `limit_unit` (as the check rules count it)."""
    if rule is None:
        return None, "working_days"
    if rule.limit_days is not None:
        return rule.limit_days, rule.unit
    if event.limit is not None:
        return event.limit, event.unit or "working_days"
    return limits.get(event.item or "", (None, "working_days"))


def _resume(clock: Clock, event: Event, refuse) -> None:
    if event.on < clock.paused_since:
        refuse("watch.before", day=clock.paused_since.isoformat())
    if clock.pause_stops:
        clock.paused_days += clock.days_between(clock.paused_since, event.on)
    clock.paused_since, clock.pause_stops = None, False


def _close(clock: Clock, event: Event, refuse) -> None:
    _not_before(clock, event, refuse)
    if clock.paused_since is not None:  # completed while stopped: the stop ends that day
        _resume(clock, event, refuse)
    clock.closed_on = event.on
    if clock.limit is not None:
        clock.late = clock.remaining(event.on) < 0


def _not_before(clock: Clock, event: Event, refuse) -> None:
    if event.on < clock.started:
        refuse("watch.before", day=clock.started.isoformat())


def _department(clocks: dict, case: str) -> str | None:
    clock = clocks.get(case_key(case))
    return clock.department if clock else None


def _item(clocks: dict, case: str) -> str | None:
    clock = clocks.get(case_key(case))
    return clock.item if clock else None
