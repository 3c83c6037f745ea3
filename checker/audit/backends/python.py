"""The pure-Python backend: the match tree evaluated directly, in three-valued logic.

It runs wherever Python does, and it is the oracle the durable-rules backend is tested against.
"""

from __future__ import annotations

from ...language.compile import MAll, MAny, MatchTree, Test, negation, passes


def holds(tree: MatchTree, values: dict) -> bool:
    """Whether `tree` is known to be true of these atom values (an absent atom matches nothing)."""
    if isinstance(tree, Test):
        if tree.atom not in values:
            return False
        return passes(tree.op, values[tree.atom], tree.value)
    if isinstance(tree, MAll):
        return all(holds(child, values) for child in tree.children)
    return any(holds(child, values) for child in tree.children)


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
