"""Compile a rule's condition into what the matching backends run.

Each comparison or quantifier at the top of `require` becomes an *atom*: a named value the
facts stage derives per entity. Comparisons the backends can do on a scalar (equals, at_least,
in, ...) keep their operator, so the backend compares; everything else (regular expressions,
list membership, nested quantifiers, field-against-field) is derived to True/False.

The boolean structure above the atoms becomes a match tree. Negation is pushed down to the
operators (De Morgan), so no backend ever needs a negated pattern.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import ast as syntax
from . import kleene
from .operators import COMPARE, NATIVE, NEGATED, OPERATORS, VALUES

# The durable-rules engine rejects or mishandles bigger patterns (see the engine notes):
MAX_ATOMS = 200  # a fact carries at most 253 keys
MAX_TESTS = 60  # a fact may match at most 64 alpha nodes


@dataclass(frozen=True)
class Atom:
    name: str  # a0, a1, ...
    leaf: syntax.Compare | syntax.Quantified
    native: bool  # the backend applies the leaf's operator; otherwise the value is a verdict


@dataclass(frozen=True)
class Test:
    atom: str
    op: str  # a native operator, or is / is_not for a derived verdict
    value: object  # scalar, or a tuple for in / not_in


@dataclass(frozen=True)
class MAll:
    children: tuple


@dataclass(frozen=True)
class MAny:
    children: tuple


MatchTree = Test | MAll | MAny


class TooComplex(Exception):
    def __init__(self, what: str, count: int, limit: int):
        super().__init__(what)
        self.what, self.count, self.limit = what, count, limit


def scalar(value):
    """The one representation both backends compare: numbers are floats, dates day ordinals."""
    if isinstance(value, bool) or isinstance(value, str) or value is None:
        return value
    if isinstance(value, dt.date):
        return float(value.toordinal())
    if isinstance(value, (int, float)):
        # Compared to 1/10,000: durable-rules cannot parse the exponent form Python's JSON
        # writes below 1e-4 (1e-06 breaks the session), and no area, count, share or duration
        # means anything finer. The loader keeps magnitudes under 1e15, below exponent form too.
        return round(float(value), 4) + 0.0
    if isinstance(value, tuple):
        return tuple(scalar(v) for v in value)
    raise TypeError(f"not a scalar: {value!r}")


def compile_condition(node: syntax.Node) -> tuple[tuple[Atom, ...], MatchTree]:
    atoms: list[Atom] = []
    tree = _compile(node, atoms, negate=False)
    if len(atoms) > MAX_ATOMS:
        raise TooComplex("atoms", len(atoms), MAX_ATOMS)
    tests = count_tests(tree)
    if tests > MAX_TESTS:
        raise TooComplex("tests", tests, MAX_TESTS)
    return tuple(atoms), tree


def _compile(node, atoms: list, negate: bool) -> MatchTree:
    if isinstance(node, syntax.Not):
        return _compile(node.child, atoms, not negate)
    if isinstance(node, (syntax.All, syntax.Any_)):
        children = tuple(_compile(child, atoms, negate) for child in node.children)
        conjunctive = isinstance(node, syntax.All) != negate
        return MAll(children) if conjunctive else MAny(children)
    native = isinstance(node, syntax.Compare) and node.op in NATIVE and not isinstance(node.value, syntax.FieldRef)
    atom = Atom(f"a{len(atoms)}", node, native)
    atoms.append(atom)
    op = node.op if native else "is"
    return Test(atom.name, NEGATED[op] if negate else op, scalar(node.value) if native else True)


def passes(op: str, actual, expected) -> bool:
    """One test of a match tree on a known atom value: the meaning every backend matches."""
    return COMPARE[op](actual, expected)


def undecided(tree: MatchTree, values: dict) -> frozenset:
    """The atoms an undecided tree waits for: those whose value could still decide it (Kleene's
    logic: an operand of an and that is already false, or of an or already true, waits for none)."""
    return three_valued(tree, values)[1]


_NO_ATOM = frozenset()


def three_valued(tree: MatchTree, values: dict) -> tuple:
    """(True, False or None: the tree on these atom values, an absent atom unknown; the atoms an
    unknown waits for)."""
    if isinstance(tree, Test):
        if tree.atom not in values:
            return None, frozenset({tree.atom})
        return passes(tree.op, values[tree.atom], tree.value), _NO_ATOM
    children = (three_valued(child, values) for child in tree.children)
    return kleene.disjunction(children, _NO_ATOM) if isinstance(tree, MAny) else kleene.conjunction(children, _NO_ATOM)


def negation(tree: MatchTree) -> MatchTree:
    """The tree that matches exactly when `tree` is known to be false."""
    if isinstance(tree, Test):
        return Test(tree.atom, NEGATED[tree.op], tree.value)
    children = tuple(negation(child) for child in tree.children)
    return MAny(children) if isinstance(tree, MAll) else MAll(children)


def count_tests(tree: MatchTree) -> int:
    if isinstance(tree, Test):
        return len(tree.value) if OPERATORS[tree.op].operand == VALUES else 1
    return sum(count_tests(child) for child in tree.children)
