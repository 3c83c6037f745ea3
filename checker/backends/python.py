"""The pure-Python backend: the match tree evaluated directly, in three-valued logic.

It runs wherever Python does, and it is the oracle the durable-rules backend is tested against.
"""

from __future__ import annotations

from ..compile import MAll, MAny, MatchTree, Test, negation


def holds(tree: MatchTree, values: dict) -> bool:
    """Whether `tree` is known to be true of these atom values (an absent atom matches nothing)."""
    if isinstance(tree, Test):
        if tree.atom not in values:
            return False
        return _test(tree.op, values[tree.atom], tree.value)
    if isinstance(tree, MAll):
        return all(holds(child, values) for child in tree.children)
    return any(holds(child, values) for child in tree.children)


def _test(op: str, actual, expected) -> bool:
    if op == "is":
        return actual is True
    if op == "is_not":
        return actual is False
    if op == "equals":
        return actual == expected
    if op == "not_equals":
        return actual != expected
    if op == "at_least":
        return actual >= expected
    if op == "at_most":
        return actual <= expected
    if op == "more_than":
        return actual > expected
    if op == "less_than":
        return actual < expected
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    raise ValueError(op)


def verdict(tree: MatchTree, values: dict) -> str:
    if holds(tree, values):
        return "pass"
    if holds(negation(tree), values):
        return "fail"
    return "unknown"


class PythonBackend:
    name = "python"

    def match(self, batches) -> dict[str, str]:
        return {fact.id: verdict(rule.match, fact.values) for rule, facts in batches for fact in facts}
