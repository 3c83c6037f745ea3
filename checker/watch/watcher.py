"""The watcher: events in, transitions out, the clock moved by a daily tick.

The watcher's day starts at its first event's. An event dated later moves it forward one
day at a time, and on each working day every open clock is matched (on another day only the
clocks counting calendar days: a working-day count does not change): this is the daily tick,
the same whether the days pass live or in a replay. Then the event changes its clock and that
clock alone is matched, a new clock included: a limit so short that its yellow band starts at
acceptance (a one-day limit with yellow at one day left) is yellow while the day of acceptance
still leaves time to act, not only on its due day. An event dated earlier than
the watcher's day (reported late) counts from its own date, and its transition is stamped with
the watcher's day. An event seen before (the same id, or the same content) changes nothing.

Only transitions are emitted: green to yellow, to red, a case completed late, or completed in
time after a warning (and the same for complaints: answered late, answered after a warning).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..input import workdays
from .engines import Engine
from .events import Event
from .policy import Policy
from .state import Clock, apply, facts

CLOSED_WORDS = {("case", "closed_late"): "completed_late", ("case", "closed_warned"): "completed_on_time_after_warning",
                ("complaint", "closed_late"): "answered_late",
                ("complaint", "closed_warned"): "answered_on_time_after_warning"}


@dataclass(frozen=True)
class Transition:
    on: dt.date
    transition: str  # green_to_yellow, green_to_red, yellow_to_red, completed_late, ...
    subject: str  # case or complaint
    case: str
    complaint: str | None
    department: str | None
    item: str | None
    used: int
    limit: int
    unit: str  # of used and limit: working_days or calendar_days
    rule: str
    clause: str
    event: str | None  # the event that caused it; None for the daily tick

    def to_json(self) -> dict:
        out = {"on": self.on.isoformat(), "transition": self.transition, "subject": self.subject, "case": self.case}
        if self.complaint is not None:
            out["complaint"] = self.complaint
        out.update({"department": self.department, "item": self.item, "used": self.used, "limit": self.limit,
                    "remaining": self.limit - self.used, "unit": self.unit, "rule": self.rule, "clause": self.clause,
                    "event": self.event})
        return out


class Watcher:
    def __init__(self, policy: Policy, engine: Engine, limits: dict | None = None, modes: dict | None = None):
        self.policy = policy
        self.engine = engine
        self.limits = limits or {}  # item code -> (promised limit, working_days or calendar_days)
        self.modes = modes or {}  # item code -> handling mode
        self.trees = {rule.id: rule.trees() for rule in policy.rules}
        self.clocks: dict[str, Clock] = {}
        self.seen: set[str] = set()
        self.day: dt.date | None = None
        # what changed since the last save (persist.save empties them)
        self.dirty: set[str] = set()
        self.new_events: list[str] = []
        self.emitted: list[Transition] = []

    def feed(self, event: Event) -> list[Transition]:
        """The transitions one event brings, the ticks before it included."""
        if event.key in self.seen:
            return []
        out = self.advance(event.on)
        touched, closing = apply(self.clocks, event, self.policy, self.limits, self.modes)
        self.seen.add(event.key)
        self.new_events.append(event.key)
        if touched is not None:
            self.dirty.add(touched)
            out += self._match([touched], closing, event.key)
        return out

    def advance(self, day: dt.date) -> list[Transition]:
        """Move the clock to `day`, matching every open clock on each working day passed."""
        if self.day is None:
            self.day = day
            return []
        out = []
        current = self.day
        while current < day:
            current += dt.timedelta(days=1)
            working = workdays.is_working_day(current)
            keys = sorted(key for key, clock in self.clocks.items()
                          if clock.open and (working or clock.unit == "calendar_days"))
            if keys:
                self.day = current
                out += self._match(keys, False, None)
        self.day = max(self.day, day)
        return out

    def _match(self, keys: list[str], closing: bool, event: str | None) -> list[Transition]:
        out = []
        for rule, trees in self.trees.items():
            batch = [(key, facts(self.clocks[key], self.day, closing)) for key in keys
                     if self.clocks[key].rule == rule and self.clocks[key].limit is not None]
            decided = self.engine.decide(trees, batch)
            for key, _ in batch:  # in the order given: the same order on every engine
                if key in decided:
                    out.append(self._move(self.clocks[key], decided[key], event))
        self.emitted += out
        return out

    def _move(self, clock: Clock, decided: str, event: str | None) -> Transition:
        rule = self.policy.rule(clock.rule)
        if decided in ("to_red", "to_yellow"):
            colour = decided[3:]
            name = f"{clock.colour}_to_{colour}"
            clock.colour, clock.warned = colour, True
        else:
            name = CLOSED_WORDS[(clock.subject, decided)]
        self.dirty.add(clock.key)
        return Transition(self.day, name, clock.subject, clock.case, clock.complaint, clock.department, clock.item,
                          clock.used(self.day), clock.limit, clock.unit, rule.id, f"{rule.regulation} {rule.clause}", event)
