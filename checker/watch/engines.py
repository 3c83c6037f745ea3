"""The two engines that decide a clock's transition from its facts: the pure-Python one, and
durable-rules. Both run the same compiled match trees (policy.compiled) and must decide the
same transitions: the test suite replays generated streams on both and compares.

durable-rules gets one ruleset per set of trees: a rule per transition, each pattern anchored
on `t == "hcw"` (the state the engine re-asserts after each action never matches, so no rule
loops), and a `seen` rule matching every anchored fact (an unhandled fact is dropped, and a
session whose only fact went unhandled aborts the process when deleted). A batch of facts (one
tick, or one event) is one session: facts asserted one at a time with `assert_fact`, so every
matching rule fires, with ids whose engine hashes never collide (checker.audit.backends.durable's
SessionIds), and the session deleted after the batch (1,025 live sessions exhaust a ruleset).
The trees are built so that at most one transition holds of a fact.
"""

from __future__ import annotations

import itertools
from typing import Protocol

from ..audit.backends import get_backend
from ..audit.backends.python import holds
from ..language.compile import MatchTree
from .policy import TRANSITIONS


class Engine(Protocol):
    name: str

    def decide(self, trees: dict[str, MatchTree], facts: list[tuple[str, dict]]) -> dict[str, str]:
        """Clock key -> the transition that holds of its facts (keys with none left out)."""


class PythonEngine:
    name = "python"

    def decide(self, trees, facts):
        out = {}
        for key, values in facts:
            for name in TRANSITIONS:
                if holds(trees[name], values):
                    out[key] = name
                    break
        return out


class DurableEngine:
    name = "durable"
    _sessions = itertools.count(1)
    _decided: dict = {}  # fact ref -> transition, written by the rule actions

    def decide(self, trees, facts):
        if not facts:
            return {}
        from ..audit.backends.durable import Host, SessionIds, pattern
        definition = {name: {"all": [{"m": {"$and": [{"t": "hcw"}, pattern(trees[name])]}}]} for name in TRANSITIONS}
        definition["seen"] = {"all": [{"m": {"t": "hcw"}}]}
        ruleset = Host.ruleset("hcw", definition, _recorder)
        host = Host.engine()
        sid = f"watch{next(self._sessions)}"
        ids = SessionIds()
        out = {}
        try:
            for key, values in facts:
                host.assert_fact(ruleset, {"t": "hcw", "ref": key, "sid": sid, "id": ids.next(), **values})
                decided = self._decided.pop(key, None)
                if decided:
                    out[key] = decided
        finally:
            host.delete_state(ruleset, sid)
        return out


def _recorder(rule: str):
    def run(c):
        if rule != "seen":
            DurableEngine._decided[c.m["ref"]] = rule
    return run


def get_engine(name: str) -> Engine:
    """The engine of the audit backend `name` would choose (checker.audit.backends.get_backend:
    `auto` is durable-rules where it imports, the pure-Python one elsewhere)."""
    return {"python": PythonEngine, "durable": DurableEngine}[get_backend(name).name]()
