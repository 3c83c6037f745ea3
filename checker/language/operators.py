"""The comparison operators of the rule language, each defined once.

Everything that compares a value with what a rule expects — the evaluator (evaluate.py), the
match trees the backends run (compile.py), the evidence a report shows — takes the meaning of
an operator from this table.
"""

from __future__ import annotations

import operator

from .regex import search

# operator -> how a present value compares with the rule's literal
COMPARE = {
    "equals": operator.eq,
    "not_equals": operator.ne,
    "at_least": operator.ge,
    "at_most": operator.le,
    "more_than": operator.gt,
    "less_than": operator.lt,
    "in": lambda actual, expected: actual in expected,
    "not_in": lambda actual, expected: actual not in expected,
    # RE2, linear in the text whoever wrote the pattern (checker.language.regex)
    "matches": lambda actual, expected: any(search(expected, str(text))
                                            for text in (actual if isinstance(actual, list) else [actual])),
    "contains": lambda actual, expected: expected in actual,
    "contains_all": lambda actual, expected: all(value in actual for value in expected),
    "contains_any": lambda actual, expected: any(value in actual for value in expected),
    # a derived atom's verdict, as the match trees test it
    "is": lambda actual, expected: actual is True,
    "is_not": lambda actual, expected: actual is False,
}

# the operator that holds exactly when the other does not (on a present value)
NEGATED = {"equals": "not_equals", "not_equals": "equals", "at_least": "less_than", "less_than": "at_least",
           "at_most": "more_than", "more_than": "at_most", "in": "not_in", "not_in": "in", "is": "is_not",
           "is_not": "is"}
