"""The comparison operators of the rule language, each defined once.

One entry says everything about an operator: the field kinds it accepts and what a rule writes
after it (the parser, and the `condition` part of the rule schema), how a present value compares
(the evaluator, the python engine, the evidence a report shows), the operator that holds exactly
when it does not (the compiler's De Morgan), its durable-rules pattern (the durable engine; an
operator without one is decided in Python before matching), its words in Chinese and English
(reports), and whether lint's never-true analysis enumerates its values. Adding an operator is
adding an entry here (and its rows in the language's conformance table).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable

# What a rule writes after an operator:
VALUE = "value"  # one literal of the field's kind, or {field: other}
VALUES = "values"  # a non-empty list of literals of the field's (or its elements') kind
ELEMENT = "element"  # one literal of the kind of the list's elements
FLAG = "flag"  # true or false
PATTERN = "pattern"  # a regular expression (RE2)

# What an operator reads of its subject:
READS_VALUE = "value"  # the value; unknown when the description gives none
READS_GIVEN = "given"  # whether the description gives a value at all: never unknown
READS_RECORD = "record"  # a value (true), written empty (false), omitted (unknown)

SOME, ALL, NONE = "some", "all", "none"

EQUALITY = frozenset({"string", "enum", "number", "boolean", "date"})
ORDERED = frozenset({"number", "date"})
MEMBERS = frozenset({"string", "enum", "number"})
LIST = frozenset({"array"})


@dataclass(frozen=True)
class Operator:
    name: str
    accepts: frozenset | None  # the kinds of field (FieldSpec.comparable) it compares; None: any
    operand: str  # VALUE, VALUES, ELEMENT, FLAG or PATTERN
    holds: Callable[[Any, Any], bool]  # on a present value and the rule's operand
    words: tuple[str, str]  # (zh, en), before the expected value in a report
    negation: str | None = None  # holds exactly when this does not, on a present value
    durable: Callable[[str, Any], dict] | None = None  # the engine's pattern for (atom, value)
    reads: str = READS_VALUE
    analysed: bool = False  # lint's never-true analysis tries its values
    example: bool = False  # its operand is a value a hall may hold (an example hall can write it)
    words_false: tuple[str, str] | None = None  # a FLAG operator's words when the rule writes false
    in_rules: bool = True  # False: a test of the match trees only, never written in a rule
    # membership in a list: whether it holds when one of the values sought is there (SOME), all
    # of them (ALL) or none (NONE); a value written outside the vocabulary may be one of them
    sought: str | None = None

    @property
    def native(self) -> bool:
        """Whether the engines compare it themselves (otherwise its verdict is derived first)."""
        return self.durable is not None


def _matches(actual, expected) -> bool:
    """RE2, linear in the text whoever wrote the pattern (checker.language.regex); on a list of
    strings, some element matches. RE2 is imported on first use: reports read this table too."""
    from .regex import search
    return any(search(expected, str(text)) for text in (actual if isinstance(actual, list) else [actual]))


def _compared(engine_op: str):
    return lambda atom, value: {engine_op: {atom: value}}


_TABLE = (
    Operator("equals", EQUALITY, VALUE, operator.eq, ("等于", "equal to"), "not_equals",
             lambda atom, value: {atom: value}, analysed=True, example=True),
    Operator("not_equals", EQUALITY, VALUE, operator.ne, ("不等于", "not equal to"), "equals",
             _compared("$neq"), analysed=True),
    Operator("at_least", ORDERED, VALUE, operator.ge, ("不少于", "at least"), "less_than",
             _compared("$gte"), analysed=True, example=True),
    Operator("at_most", ORDERED, VALUE, operator.le, ("不超过", "at most"), "more_than",
             _compared("$lte"), analysed=True, example=True),
    Operator("more_than", ORDERED, VALUE, operator.gt, ("多于", "more than"), "at_most",
             _compared("$gt"), analysed=True),
    Operator("less_than", ORDERED, VALUE, operator.lt, ("少于", "less than"), "at_least",
             _compared("$lt"), analysed=True),
    Operator("in", MEMBERS, VALUES, lambda actual, expected: actual in expected, ("属于", "one of"), "not_in",
             lambda atom, values: {"$or": [{atom: v} for v in values]}, analysed=True, example=True, sought=SOME),
    Operator("not_in", MEMBERS, VALUES, lambda actual, expected: actual not in expected, ("不属于", "none of"),
             "in", lambda atom, values: {"$and": [{"$neq": {atom: v}} for v in values]}, analysed=True, sought=NONE),
    Operator("matches", frozenset({"string", "array"}), PATTERN, _matches, ("符合", "matching")),
    Operator("present", None, FLAG, lambda actual, expected: (actual is not None) == expected,
             ("已填写", "present"), reads=READS_GIVEN, analysed=True, words_false=("未填写", "absent")),
    Operator("recorded", None, FLAG, operator.eq, ("有记录", "recorded"), reads=READS_RECORD,
             words_false=("记录为空", "recorded empty")),
    Operator("contains", LIST, ELEMENT, lambda actual, expected: expected in actual, ("包含", "containing"),
             example=True, sought=SOME),
    Operator("contains_all", LIST, VALUES, lambda actual, expected: all(value in actual for value in expected),
             ("包含全部", "containing all of"), example=True, sought=ALL),
    Operator("contains_any", LIST, VALUES, lambda actual, expected: any(value in actual for value in expected),
             ("包含任一", "containing any of"), example=True, sought=SOME),
    # a derived atom's verdict, as the match trees test it
    Operator("is", None, FLAG, lambda actual, expected: actual is True, ("是", "is"), "is_not",
             lambda atom, value: {atom: True}, in_rules=False),
    Operator("is_not", None, FLAG, lambda actual, expected: actual is False, ("否", "is not"), "is",
             lambda atom, value: {atom: False}, in_rules=False),
)

OPERATORS: dict[str, Operator] = {op.name: op for op in _TABLE}
# The operators a rule may write, with the field kinds each accepts (None: any).
COMPARISONS = {op.name: (set(op.accepts) if op.accepts is not None else None) for op in _TABLE if op.in_rules}
# The operators of a rule the engines compare themselves; the rest are derived to True/False.
NATIVE = {op.name for op in _TABLE if op.in_rules and op.native}
# The operators whose operand is a list of literals.
LIST_OPERANDS = {op.name for op in _TABLE if op.in_rules and op.operand == VALUES}
# operator -> how a present value compares with the rule's operand
COMPARE = {op.name: op.holds for op in _TABLE}
# the operator that holds exactly when the other does not (on a present value)
NEGATED = {op.name: op.negation for op in _TABLE if op.negation}
