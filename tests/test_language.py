"""The condition language, tested once: what each operator decides on each kind of value.

The conformance table below is the language's contract. Each row is an operator on a field of
one kind (number, date, string, enum, boolean, list) with the verdict it must give on a value
that holds, one that does not, the field written empty (`null`, `[]`: the hall has none) and
the field omitted (unknown: Kleene's third value). Every row runs on every engine, as written
and negated (`not:` swaps pass and fail and leaves unknown unknown). An operator on a kind the
table does not list must be refused when the rule loads.

The property test at the end drives both backends with random match trees over random atom
values, absent ones included, against Kleene's logic written out here: the engines differ only
in how they match a tree, so that is where they are compared.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.audit.hall import audit_hall
from checker.audit.backends.python import PythonBackend
from checker.language.compile import MAll, MAny
from checker.language.compile import Test as Leaf  # not collected as a test class
from checker.language.operators import COMPARISONS, FLAG, OPERATORS
from checker.language.operators import NEGATED as OPPOSITE
from checker.ruleset.rules import rule_schema
from checker.problems import InputError

from helpers import durable_backend, hall, kaifeng_rule, register

EMPTY, OMITTED = "<written empty>", "<omitted>"

# kind -> (what the rule is for, the field of that kind)
FIELDS = {
    "number": ("hall", "floor_area_m2"),
    "date": ("staff", "retrained_on"),
    "string": ("staff", "employer"),
    "enum": ("staff", "employment"),
    "boolean": ("staff", "badge"),
    "list": ("staff", "roles"),  # of an enumeration
    "text list": ("staff", "authorised_for"),  # of free text: the one list `matches` reads
    # a date whose omission says something (still stationed): the one kind of field `present`
    # may decide a verdict on; elsewhere a rule would fail a hall for what it leaves out
    "open date": ("staff", "stationed_until"),
}
# the kinds every operator is tried on: an operator on one the table does not list is refused
KINDS = ("number", "date", "string", "enum", "boolean", "list")

UNKNOWN_WHEN_EMPTY = {EMPTY: "unknown", OMITTED: "unknown"}
EMPTY_LIST = {EMPTY: "fail", OMITTED: "unknown"}  # [] holds none of what is sought


def row(op, kind, literal, **cases):
    """`cases`: written value -> verdict; values are YAML text."""
    return op, kind, literal, cases


def cases(*pairs, tail=UNKNOWN_WHEN_EMPTY):
    return dict(pairs) | tail


TABLE = [
    row("equals", "number", "100", **cases(("100", "pass"), ("100.0", "pass"), ("99.5", "fail"))),
    row("equals", "date", "2024-01-01", **cases(("2024-01-01", "pass"), ("2024-01-02", "fail"))),
    row("equals", "string", "人社局", **cases(("人社局", "pass"), ("人社", "fail"))),
    row("equals", "enum", "temporary", **cases(("temporary", "pass"), ("临时人员", "pass"), ("career_staff", "fail"))),
    row("equals", "boolean", "true", **cases(("true", "pass"), ("false", "fail"))),
    row("not_equals", "number", "100", **cases(("100.0", "fail"), ("99.5", "pass"))),
    row("not_equals", "date", "2024-01-01", **cases(("2024-01-01", "fail"), ("2024-01-02", "pass"))),
    row("not_equals", "string", "人社局", **cases(("人社局", "fail"), ("人社", "pass"))),
    row("not_equals", "enum", "temporary", **cases(("temporary", "fail"), ("career_staff", "pass"))),
    row("not_equals", "boolean", "true", **cases(("true", "fail"), ("false", "pass"))),
    row("at_least", "number", "100", **cases(("100", "pass"), ("150", "pass"), ("99.99", "fail"))),
    row("at_least", "date", "2024-01-01", **cases(("2024-01-01", "pass"), ("2023-12-31", "fail"))),
    row("at_most", "number", "100", **cases(("100", "pass"), ("100.01", "fail"), ("0", "pass"))),
    row("at_most", "date", "2024-01-01", **cases(("2024-01-01", "pass"), ("2024-01-02", "fail"))),
    row("more_than", "number", "100", **cases(("100", "fail"), ("100.5", "pass"))),
    row("more_than", "date", "2024-01-01", **cases(("2024-01-01", "fail"), ("2024-01-02", "pass"))),
    row("less_than", "number", "100", **cases(("100", "fail"), ("99", "pass"))),
    row("less_than", "date", "2024-01-01", **cases(("2024-01-01", "fail"), ("2023-12-31", "pass"))),
    row("in", "number", "[10, 20]", **cases(("20", "pass"), ("20.0", "pass"), ("15", "fail"))),
    row("in", "string", "[甲, 乙]", **cases(("乙", "pass"), ("丙", "fail"))),
    row("in", "enum", "[temporary, career_staff]", **cases(("career_staff", "pass"), ("civil_servant", "fail"))),
    row("not_in", "number", "[10, 20]", **cases(("20", "fail"), ("15", "pass"))),
    row("not_in", "string", "[甲, 乙]", **cases(("乙", "fail"), ("丙", "pass"))),
    row("not_in", "enum", "[temporary, career_staff]", **cases(("career_staff", "fail"), ("civil_servant", "pass"))),
    row("matches", "string", "'^人社'", **cases(("人社局", "pass"), ("市人社局", "fail"))),
    row("matches", "text list", "'^户籍'", **cases(("[社保, 户籍迁移]", "pass"), ("[社保]", "fail"), tail=EMPTY_LIST)),
    row("contains", "list", "guide", **cases(("[a_post, guide]", "pass"), ("[a_post]", "fail"), tail=EMPTY_LIST)),
    row("contains_all", "list", "[guide, a_post]",
        **cases(("[a_post, b_post, guide]", "pass"), ("[guide]", "fail"), tail=EMPTY_LIST)),
    row("contains_any", "list", "[guide, a_post]",
        **cases(("[a_post]", "pass"), ("[b_post]", "fail"), tail=EMPTY_LIST)),
    # whether the description gives a value: never unknown
    row("present", "open date", "true", **{"2024-01-01": "pass", EMPTY: "fail", OMITTED: "fail"}),
    # a value (true), written empty: the hall has none (false), omitted (unknown)
    *(row("recorded", kind, "true", **{value: "pass", EMPTY: "fail", OMITTED: "unknown"})
      for kind, value in [("number", "0"), ("date", "2024-01-01"), ("string", "x"), ("enum", "temporary"),
                          ("boolean", "false"), ("list", "[guide]")]),
]

NEGATED = {"pass": "fail", "fail": "pass", "unknown": "unknown"}


def written(kind: str, value: str):
    """The hall with the field of `kind` written as `value` (or empty, or omitted)."""
    collection, name = FIELDS[kind]
    if value == EMPTY:
        value = "[]" if kind.endswith("list") else "null"
    pair = "" if value == OMITTED else f"{name}: {value}"
    if collection == "hall":
        return hall(fields=pair)
    return hall(f"staff:\n  - {{id: S1{', ' + pair if pair else ''}}}\n")


def condition(op: str, kind: str, literal: str, negated: bool) -> str:
    test = f"field: {FIELDS[kind][1]}\n{op}: {literal}\n"
    return "not:\n" + "".join(f"  {line}\n" for line in test.splitlines()) if negated else test


@pytest.fixture(params=["python", "durable"])
def engine(request):
    return PythonBackend() if request.param == "python" else durable_backend()


def _ids(entry):
    op, kind, literal, _ = entry
    return f"{op}-{kind}"


@pytest.mark.parametrize("negated", [False, True], ids=["as-written", "negated"])
@pytest.mark.parametrize("entry", TABLE, ids=_ids)
def test_conformance_table(entry, negated, engine):
    op, kind, literal, expected = entry
    rule = kaifeng_rule(condition(op, kind, literal, negated), for_each=FIELDS[kind][0])
    got = {}
    for value in expected:
        (result,) = audit_hall(written(kind, value), [rule], register(), engine, None).results
        got[value] = result.status
    assert got == {value: NEGATED[v] if negated else v for value, v in expected.items()}


def test_the_table_covers_every_operator_on_some_kind():
    assert {op for op, *_ in TABLE} == set(COMPARISONS)


@pytest.mark.parametrize("op,kind", sorted(set(itertools.product(COMPARISONS, KINDS))
                                           - {(op, kind) for op, kind, *_ in TABLE}))
def test_an_operator_on_a_kind_the_table_does_not_list_is_refused_when_the_rule_loads(op, kind):
    literal = "[a, b]" if op in ("in", "not_in", "contains_all", "contains_any") else "1"
    with pytest.raises(InputError):
        kaifeng_rule(f"field: {FIELDS[kind][1]}\n{op}: {literal}\n", for_each=FIELDS[kind][0])



# ------------------------------------------------------------------ one operator, one entry

def test_each_operator_of_the_table_has_words_a_negation_and_a_schema_entry():
    """What an operator needs besides its conformance rows comes from its one entry: a report's
    words in both languages, the operator the compiler swaps it for under `not`, the engines'
    pattern, the printed rule schema's operand."""
    comparison = rule_schema()["$defs"]["condition"]["anyOf"][-1]["properties"]
    for op in OPERATORS.values():
        said = [op.words] + ([op.words_false] if op.operand == FLAG and op.in_rules else [])
        for zh, en in said:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and en and en.isascii(), op.name
        assert op.negation is None or OPPOSITE[op.negation] == op.name, op.name
        assert op.native == (op.negation is not None), op.name  # the engines match either side of a native test
        assert (op.name in comparison) == op.in_rules, op.name


def test_the_printed_rule_schema_accepts_every_bundled_rule_and_refuses_a_second_operator():
    import json
    from pathlib import Path

    import jsonschema

    from checker.input.load import load_file

    validator = jsonschema.Draft202012Validator(rule_schema())
    root = Path(__file__).resolve().parent.parent / "rules"
    files = [p for p in sorted(root.rglob("*.yaml")) if not p.name.endswith(".test.yaml")
             and not p.name.startswith("_") and p.name != "pack.yaml"]
    as_json = [json.loads(json.dumps(load_file(str(p)).data, default=str)) for p in files]  # as rules load
    refused = {str(p.relative_to(root)): err.message for p, data in zip(files, as_json)
               for err in list(validator.iter_errors(data))[:1]}
    assert len(files) > 200 and refused == {}
    broken = dict(as_json[0], require={"field": "floor_area_m2", "at_least": 100, "at_most": 200})
    assert not validator.is_valid(broken)


# ------------------------------------------------------------------ both backends on random match trees

# atoms of three kinds, as the compiler hands them over: numbers (dates are day ordinals) and
# strings compared natively, and verdicts of derived conditions tested with is / is_not
ATOMS = {"a0": "number", "a1": "number", "a2": "string", "a3": "verdict", "a4": "boolean"}
VALUES = {"number": st.sampled_from([0.0, 1.0, 2.5, 10.0, 738886.0]), "string": st.sampled_from(["甲", "乙", ""]),
          "verdict": st.booleans(), "boolean": st.booleans()}
OPS = {"number": ["equals", "not_equals", "at_least", "at_most", "more_than", "less_than", "in", "not_in"],
       "string": ["equals", "not_equals", "in", "not_in"], "verdict": ["is", "is_not"],
       "boolean": ["equals", "not_equals"]}


@st.composite
def leaves(draw):
    atom = draw(st.sampled_from(sorted(ATOMS)))
    kind = ATOMS[atom]
    op = draw(st.sampled_from(OPS[kind]))
    if op in ("is", "is_not"):
        return Leaf(atom, op, True)
    if op in ("in", "not_in"):
        return Leaf(atom, op, tuple(draw(st.lists(VALUES[kind], min_size=1, max_size=3, unique=True))))
    return Leaf(atom, op, draw(VALUES[kind]))


match_trees = st.recursive(leaves(), lambda children: st.builds(
    lambda kind, parts: kind(tuple(parts)), st.sampled_from([MAll, MAny]), st.lists(children, min_size=1, max_size=3)),
    max_leaves=8)
atom_values = st.fixed_dictionaries({}, optional={atom: VALUES[kind] for atom, kind in ATOMS.items()})


def kleene(tree, values):
    """True, False or None (unknown): the verdict the language defines, written out plainly."""
    if isinstance(tree, Leaf):
        if tree.atom not in values:
            return None
        actual, expected = values[tree.atom], tree.value
        return {"equals": lambda: actual == expected, "not_equals": lambda: actual != expected,
                "at_least": lambda: actual >= expected, "at_most": lambda: actual <= expected,
                "more_than": lambda: actual > expected, "less_than": lambda: actual < expected,
                "in": lambda: actual in expected, "not_in": lambda: actual not in expected,
                "is": lambda: actual is True, "is_not": lambda: actual is False}[tree.op]()
    results = [kleene(child, values) for child in tree.children]
    decisive = isinstance(tree, MAny)
    if decisive in results:
        return decisive
    return None if None in results else not decisive


STATUS = {True: "pass", False: "fail", None: "unknown"}
_fact_ids = itertools.count()


def verdicts(backend, tree, many_values):
    rule = SimpleNamespace(match=tree)
    facts = [SimpleNamespace(id=f"t{next(_fact_ids)}", values=values) for values in many_values]
    found = backend.match([(rule, facts)])
    return [found[fact.id] for fact in facts]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(tree=match_trees, many_values=st.lists(atom_values, min_size=1, max_size=6))
def test_both_backends_give_kleene_verdicts_on_any_match_tree(tree, many_values):
    expected = [STATUS[kleene(tree, values)] for values in many_values]
    assert verdicts(PythonBackend(), tree, many_values) == expected
    assert verdicts(durable_backend(), tree, many_values) == expected
