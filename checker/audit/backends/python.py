"""The pure-Python backend: the match tree evaluated directly, in three-valued logic.

It runs wherever Python does, and it is the oracle the durable-rules backend is tested against.
"""

from __future__ import annotations

from ...language.compile import MatchTree, three_valued

_STATUS = {True: "pass", False: "fail", None: "unknown"}


def holds(tree: MatchTree, values: dict) -> bool:
    """Whether `tree` is known to be true of these atom values (an absent atom is unknown)."""
    return three_valued(tree, values)[0] is True


def verdict(tree: MatchTree, values: dict) -> str:
    return _STATUS[three_valued(tree, values)[0]]


class PythonBackend:
    name = "python"

    def match(self, batches) -> dict[str, str]:
        return {fact.id: verdict(rule.match, fact.values) for rule, facts in batches for fact in facts}
