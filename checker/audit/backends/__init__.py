"""Stage 4, match: decide pass / fail / unknown for every fact.

Two backends with one contract. `python` evaluates the match tree directly; `durable` compiles
it to durable-rules rulesets and lets that engine match. Both receive the same facts and must
return the same verdicts: the test suite holds them to it.
"""

from __future__ import annotations

from typing import Protocol

from ..facts import Fact
from ...ruleset.rules import Rule


class Backend(Protocol):
    name: str

    def match(self, batches: list[tuple[Rule, list[Fact]]]) -> dict[str, str]:
        """Fact id -> 'pass', 'fail' or 'unknown'."""


class EngineUnavailable(Exception):
    def __init__(self, engine: str, reason: str):
        super().__init__(reason)
        self.engine, self.reason = engine, reason


def durable_import_error() -> str | None:
    try:
        import durable.engine  # noqa: F401
    except Exception as err:  # an ImportError, or a failing C extension on Python 3.13+
        return f"{type(err).__name__}: {err}"
    return None


def get_backend(name: str) -> Backend:
    """`auto` is durable-rules where it imports, the pure-Python backend elsewhere."""
    if name == "python" or (name == "auto" and durable_import_error()):
        from .python import PythonBackend
        return PythonBackend()
    problem = durable_import_error()
    if problem:
        raise EngineUnavailable("durable", problem)
    from .durable import DurableBackend
    return DurableBackend()
