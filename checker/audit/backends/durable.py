"""The durable-rules backend.

Each distinct match tree becomes one small ruleset of two rules, `pass` and `fail`, whose
patterns are the tree and its negation. The compiler and this runner keep every measured trap
of durable-rules 2.0.28 out of reach of a rule file:

- every pattern is anchored on `t == "hc"`, which the engine's own state fact never carries, so
  no pattern matches the state the engine re-asserts after each action (the 100 % CPU loop);
- negation never reaches the engine: the compiler pushes it down to the operators, so there is
  no order-dependent `$not` and no lone `$not` that never fires;
- no `$iall`/`$iany`: list conditions are derived to True/False before matching, so an empty
  list is decided by our code, not by the engine's "never fires";
- numbers are floats and dates day ordinals on both sides, and the type checker only lets like
  compare with like, so the engine's string coercion ('9' > 10) never comes into play;
- an unknown atom is left out of the fact: both `pass` and `fail` then fail to match (the engine
  does not match `$neq` on a missing attribute), which is exactly "unknown";
- a third rule, `seen`, matches every anchored fact, so no fact goes unhandled: an unhandled
  fact is dropped, and deleting a session whose only fact was unhandled aborts the process
  (double free, measured);
- facts are asserted one at a time with `assert_fact`, so every matching rule fires;
- the engine refuses a fact whose `id` has the same 32-bit FNV-1a hash as a fact already in the
  session ("observed"): 300,000 facts made such a collision certain. Ids are numbers chosen so
  that no two in a session share that hash (`SessionIds`), so no fact is ever refused;
- one session per audit, deleted afterwards (1,025 live sessions exhaust a ruleset);
- pattern sizes stay under the engine's limits (checked by the compiler).
"""

from __future__ import annotations

import hashlib
import itertools
import json

from durable import engine

from ...language.compile import MAll, MAny, MatchTree, negation
from ...language.operators import OPERATORS


def pattern(tree: MatchTree) -> dict:
    """The durable-rules JSON pattern for a match tree."""
    if isinstance(tree, MAll):
        return {"$and": [pattern(child) for child in tree.children]}
    if isinstance(tree, MAny):
        return {"$or": [pattern(child) for child in tree.children]}
    return OPERATORS[tree.op].durable(tree.atom, tree.value)


def ruleset_definition(tree: MatchTree) -> dict:
    anchored = lambda t: {"all": [{"m": {"$and": [{"t": "hc"}, pattern(t)]}}]}  # noqa: E731
    return {"pass": anchored(tree), "fail": anchored(negation(tree)), "seen": {"all": [{"m": {"t": "hc"}}]}}


class Host:
    """The process's one engine host, and the rulesets registered on it. Each durable Host
    starts threads that never stop, and a ruleset can never be unregistered, so every user of
    the engine (the audits, `hallcheck watch`) shares one host and registers a ruleset once,
    under a name made from its definition."""

    _host = None
    _registered: set = set()

    @classmethod
    def ruleset(cls, prefix: str, definition: dict, recorder) -> str:
        """The name of the ruleset `definition`, registered with `recorder(rule)` as each rule's action."""
        if cls._host is None:
            cls._host = engine.Host()
        text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
        name = prefix + hashlib.sha256(text.encode()).hexdigest()[:20]
        if name not in cls._registered:
            # the engine deletes `run` from the dict it is given: hand it fresh copies
            runnable = {rule: dict(body, run=recorder(rule)) for rule, body in definition.items()}
            cls._host.set_rulesets({name: runnable})
            cls._registered.add(name)
        return name

    @classmethod
    def engine(cls):
        return cls._host


class DurableBackend:
    name = "durable"
    _sessions = itertools.count(1)
    _verdicts: dict = {}  # fact ref -> verdict, written by the rule actions

    @property
    def _host(self):
        return Host.engine()

    def _ruleset(self, tree: MatchTree) -> str:
        return Host.ruleset("hc", ruleset_definition(tree), _recorder)

    def match(self, batches) -> dict[str, str]:
        sid = f"audit{next(self._sessions)}"
        ids = SessionIds()
        used = set()
        verdicts: dict[str, str] = {}
        try:
            for rule, facts in batches:
                name = self._ruleset(rule.match)
                used.add(name)
                for fact in facts:
                    verdicts[fact.id] = self._assert(name, sid, fact, ids)
        finally:
            for name in used:
                self._host.delete_state(name, sid)
        return verdicts

    def _assert(self, ruleset: str, sid: str, fact, ids: "SessionIds") -> str:
        body = {"t": "hc", "ref": fact.id, "sid": sid, "id": ids.next(), **fact.values}
        self._host.assert_fact(ruleset, body)
        return self._verdicts.pop(fact.id)


def fnv1a32(text: str) -> int:
    """The engine's hash of a message id (durable-rules src/rules/state.c, fnv1Hash32)."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


class SessionIds:
    """Fact ids for one session whose engine hashes are all different: collision-free by
    construction, however many facts (an id whose hash is taken is skipped)."""

    def __init__(self):
        self._next = 1
        self._hashes: set[int] = set()

    def next(self) -> int:
        while True:
            candidate, self._next = self._next, self._next + 1
            digest = fnv1a32(str(candidate))
            if digest not in self._hashes:
                self._hashes.add(digest)
                return candidate


def _recorder(rule: str):
    def run(c):
        ref = c.m["ref"]
        if rule != "seen" or ref not in DurableBackend._verdicts:
            DurableBackend._verdicts[ref] = "unknown" if rule == "seen" else rule
    return run
