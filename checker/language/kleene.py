"""Kleene's three-valued logic, written once: True, False and None (unknown).

A result is a pair (value, why): `why` is what an unknown result lacked (anything joined with
`|`: fields and calendar years for a condition, atoms for a match tree), and `nothing` for a
decided one. `and` stops at its first false operand and `or` at its first true one: what they
would have read after it cannot change the verdict. An unknown result names the reasons of
every unknown operand, each of which could have decided it.

The evaluator (conditions on a hall), the match trees (the python engine, and which atoms an
unknown verdict waits for) and lint's never-true analysis all decide and/or/not here.
"""

from __future__ import annotations

from typing import Iterable


def conjunction(results: Iterable[tuple], nothing) -> tuple:
    """`and` of lazily computed results."""
    return _junction(results, False, nothing)


def disjunction(results: Iterable[tuple], nothing) -> tuple:
    """`or` of lazily computed results."""
    return _junction(results, True, nothing)


def negation(result: tuple) -> tuple:
    value, why = result
    return (None if value is None else not value), why


def _junction(results: Iterable[tuple], decisive: bool, nothing) -> tuple:
    why, unknown = nothing, False
    for value, lacked in results:
        if value is decisive:
            return decisive, nothing
        if value is None:
            unknown = True
            why = lacked if why is nothing else why | lacked
    return (None, why) if unknown else (not decisive, nothing)


# The same on plain values (no reasons): True, False or None.

_NONE = frozenset()


def all_of(values: Iterable) -> bool | None:
    return conjunction(((value, _NONE) for value in values), _NONE)[0]


def any_of(values: Iterable) -> bool | None:
    return disjunction(((value, _NONE) for value in values), _NONE)[0]


def not_(value) -> bool | None:
    return None if value is None else not value
