"""The syntax tree of the condition language: the nodes a parsed condition is made of, the
keys a condition may use, and walks over a tree.

A condition is YAML a policy author can read:

    all:
      - field: employment
        in: [civil_servant, career_staff]
      - years_between: {from: stationed_from, to: [stationed_until, audit.as_of]}
        at_least: 2

checker/language/parse.py builds these nodes (type-checked against the hall format),
checker/language/evaluate.py decides them on a hall, checker/language/compile.py turns them
into what the engines match. Nodes are immutable values: a rule set is parsed once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..input.schema import FieldSpec
from .operators import OPERATORS, READS_GIVEN


# operator -> the field types it accepts
DURATIONS = {"days_between": "days", "months_between": "months", "years_between": "years",
             "working_days_between": "working_days"}
# the days covered by lists of periods ({from, to}): time spent, not time elapsed
SPANS = {"days_in": "days", "working_days_in": "working_days"}
SUBJECTS = {"field", "count", "share", "periods_without", *DURATIONS, *SPANS}
QUANTIFIERS = {"some", "every", "none"}
SPECIAL_FIELDS = {
    "audit.as_of": FieldSpec("date"),
    "regulation.in_force": FieldSpec("date"),
}


# ---------------------------------------------------------------- the syntax tree

@dataclass(frozen=True)
class FieldRef:
    scope: str  # entity, hall, document, audit, regulation, outer
    path: tuple[str, ...]
    text: str  # as the author wrote it
    first_day: bool = False  # a first day of a stretch, counted in it (`x-day: first`; see calendar.span)

    def label(self) -> str:
        return self.text


@dataclass(frozen=True)
class Count:
    collection: str
    where: "Node | None"

    def label(self) -> str:
        return f"count({self.collection})"


@dataclass(frozen=True)
class Share:
    collection: str
    among: "Node | None"
    where: "Node"

    def label(self) -> str:
        return f"share({self.collection})"


@dataclass(frozen=True)
class Between:
    unit: str  # days, months, years, working_days
    start: tuple[FieldRef, ...]  # the first one present is used
    end: tuple[FieldRef, ...]

    def label(self) -> str:
        return f"{self.unit}({self.start[0].text} → {self.end[0].text})"


@dataclass(frozen=True)
class PeriodsWithout:
    collection: str
    where: "Node | None"
    date: str
    since: tuple[FieldRef, ...]  # the latest one present is used

    def label(self) -> str:
        return f"half_years_without({self.collection})"


@dataclass(frozen=True)
class DaysIn:
    """The days covered by the periods of one or more lists (`approval_periods`), each period
    counting the days after its `from` up to and including its `to` (or the audit date while it
    runs), days covered by several periods once: the time spent on something, not the time
    between its first and last day."""

    unit: str  # days, working_days
    lists: tuple[FieldRef, ...]

    def label(self) -> str:
        return f"{self.unit}_in({', '.join(ref.text for ref in self.lists)})"


Subject = FieldRef | Count | Share | Between | PeriodsWithout | DaysIn


@dataclass(frozen=True)
class Compare:
    subject: Subject
    op: str
    value: Any  # a literal (already normalised), or a FieldRef
    spec: FieldSpec  # of the subject
    path: tuple  # where in the rule document


@dataclass(frozen=True)
class Quantified:
    kind: str  # some, every, none
    collection: str
    where: "Node | None"
    require: "Node | None"
    path: tuple

    def label(self) -> str:
        return f"{self.kind}({self.collection})"


@dataclass(frozen=True)
class All:
    children: tuple


@dataclass(frozen=True)
class Any_:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: "Node"


Node = Compare | Quantified | All | Any_ | Not


def walk(node: Node):
    """Every node of the tree, the node itself first."""
    yield node
    if isinstance(node, (All, Any_)):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)


def descend(node: Node):
    """Every node of the tree, down into quantifiers and the `where` of count/share/periods."""
    for each in walk(node):
        yield each
        inner = ()
        if isinstance(each, Quantified):
            inner = (each.where, each.require)
        elif isinstance(each, Compare):
            inner = tuple(getattr(each.subject, name, None) for name in ("where", "among"))
        for child in inner:
            if child is not None:
                yield from descend(child)


def decided_by_omission(node: Node) -> list[Compare]:
    """The comparisons that turn an omitted field into a verdict: `present` on a field whose
    absence the hall format gives no meaning. In `require` they would fail (or pass) a hall
    for what its description leaves out."""
    return [each for each in descend(node) if isinstance(each, Compare) and OPERATORS[each.op].reads == READS_GIVEN
            and not each.spec.omission_decides]


def leaves(node: Node) -> list:
    """The comparisons and quantifiers at the top level of a condition, in order."""
    return [n for n in walk(node) if isinstance(n, (Compare, Quantified))]
