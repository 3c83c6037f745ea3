"""A warning rule's examples (its `examples:`): event streams and the transitions they must
give, run on an engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..problems import Location
from .events import event_from
from .policy import Policy, WarningRule


@dataclass(frozen=True)
class Outcome:
    rule: str
    index: int
    title: str
    expected: tuple  # (case, complaint, transition, on) sorted
    actual: tuple
    location: Location

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def run_examples(rule: WarningRule, engine) -> list[Outcome]:
    """Each example run on `engine` (a fresh watcher, its clock stopped at the example's as_of)."""
    from .run import replay
    from .watcher import Watcher
    policy = Policy(rule.regulation, (rule,) if rule.times == "case" else (), rule if rule.times == "complaint" else None)
    outcomes = []
    for index, example in enumerate(rule.examples):
        document = rule.document
        events = []
        for at, raw in enumerate(example["events"]):
            path = ("examples", index, "events", at)
            events.append(event_from(raw, document.locate(path), lambda key, path=path: document.locate(path + (key,))))
        found = replay(events, Watcher(policy, engine), dt.date.fromisoformat(example["as_of"]))
        actual = tuple(sorted((t.case, t.complaint, t.transition, t.on.isoformat()) for t in found))
        expected = tuple(sorted((e["case"], e.get("complaint"), e["transition"], e["on"]) for e in example["expect"]))
        outcomes.append(Outcome(rule.id, index, example["title"], expected, actual,
                                document.locate(("examples", index, "expect"))))
    return outcomes
