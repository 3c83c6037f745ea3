"""The two backends on real halls, and the durable-rules traps the compiler and runner must keep
out of reach. (What each operator decides, on every engine, is in test_language.py: the rule
examples run once, on the python engine, in test_rulebase.py.)

Each trap measured in durable-rules 2.0.28 (see the engine notes) is pinned here by a test that
would fail if the compiler or runner let a rule file reach it.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest

from checker.audit.hall import audit_hall
from checker.audit.backends import EngineUnavailable, get_backend
from checker.audit.backends.python import PythonBackend
from checker.input.load import load_file
from checker.paths import bundled
from checker.problems import InputError
from checker.reports.json_report import to_json
from checker.ruleset.rules import load_rules, rule_files
from checker.input.validate import validate_hall

from helpers import durable_backend, hall, kaifeng_rule, register

ROOT = Path(__file__).resolve().parents[1]


def both(rules, the_hall, as_of=None):
    """The JSON report from each backend, with the engine name taken out so they can be compared."""
    out = []
    for backend in (PythonBackend(), durable_backend()):
        report = audit_hall(the_hall, rules, register(), backend, as_of)
        document = json.loads(to_json([report], "en", "minor"))
        for entry in document["halls"]:
            entry.pop("engine")
        out.append(document)
    return out


def statuses(document):
    return [(r["rule"], r["status"], [f["entity"] for f in r["findings"]]) for r in document["halls"][0]["results"]]


# ------------------------------------------------------------------ agreement on every hall we have

@functools.lru_cache(maxsize=None)
def _all_rules():
    return tuple(load_rules(rule_files(bundled("rules")), register()))


def _sample_halls():
    return sorted((ROOT / "samples").rglob("*.yaml"))


@pytest.mark.parametrize("path", _sample_halls(), ids=lambda p: p.name)
def test_backends_agree_on_every_sample(path):
    python, durable_report = both(list(_all_rules()), validate_hall(load_file(str(path))))
    assert python == durable_report


# ------------------------------------------------------------------ the traps

def _patterns(rule):
    from checker.audit.backends.durable import ruleset_definition
    return ruleset_definition(rule.match)


def _keys(tree):
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield key
            yield from _keys(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _keys(value)


def test_every_compiled_pattern_is_anchored_and_free_of_trap_operators():
    # the 100 % CPU loop: a pattern matching the re-asserted state fact; order-dependent $not;
    # $iall/$iany never firing on empty lists. None of them may appear in what we compile.
    durable_backend()
    for rule in list(_all_rules()) + [kaifeng_rule("not: {field: name, recorded: true}")]:
        patterns = _patterns(rule)
        assert patterns.pop("seen") == {"all": [{"m": {"t": "hc"}}]}
        for name, body in patterns.items():
            (pattern,) = body["all"]
            assert pattern["m"]["$and"][0] == {"t": "hc"}, (rule.id, name)
            assert not set(_keys(pattern)) & {"$not", "$nex", "$ex", "$iall", "$iany", "$mt"}, rule.id


def test_negation_does_not_depend_on_the_order_of_entities():
    rule = kaifeng_rule("""\
        not:
          some: staff
          where: {field: employment, equals: temporary}
        """)
    forward = hall("""\
        staff:
          - {id: S1, employment: career_staff}
          - {id: S2, employment: temporary}
        """)
    backward = hall("""\
        staff:
          - {id: S2, employment: temporary}
          - {id: S1, employment: career_staff}
        """)
    for the_hall in (forward, backward):
        python, durable_report = both([rule], the_hall)
        assert statuses(python) == statuses(durable_report) == [("kaifeng-2014.art28.probe", "fail", ["hall"])]


@pytest.mark.parametrize("area,expected,entities", [(50, "pass", []), (150, "fail", ["hall"])])
def test_a_negated_condition_alone_decides_both_ways(area, expected, entities):
    # a lone `$not` never fires in durable-rules; ours is compiled away, so both outcomes occur
    rule = kaifeng_rule("not: {field: floor_area_m2, at_least: 100}")
    python, durable_report = both([rule], hall(fields=f"floor_area_m2: {area}"))
    assert statuses(python) == statuses(durable_report) == [("kaifeng-2014.art28.probe", expected, entities)]


@pytest.mark.parametrize("require,expected", [
    ("every: windows\nrequire: {field: type, equals: comprehensive_acceptance}\n", "pass"),  # vacuously true
    ("some: windows\n", "fail"),
    ("field: zones\ncontains_all: [waiting]\n", "fail"),
    ("count: windows\nat_least: 1\n", "fail"),
])
def test_empty_lists_are_decided_by_us_not_by_the_engine(require, expected):
    rule = kaifeng_rule(require)
    empty = hall("windows: []\n", fields="zones: []")
    python, durable_report = both([rule], empty)
    assert statuses(python) == statuses(durable_report)
    assert statuses(python)[0][1] == expected


@pytest.mark.parametrize("area,expected", [(9, "fail"), (10, "pass"), (10.0, "pass"), (100, "pass"), (9.99, "fail")])
def test_numbers_compare_as_numbers_never_as_strings(area, expected):
    # durable-rules compares mixed types as strings ('9' > 10); 10 and 10.0 must be equal
    rule = kaifeng_rule("field: floor_area_m2\nat_least: 10\n")
    python, durable_report = both([rule], hall(fields=f"floor_area_m2: {area}"))
    assert statuses(python) == statuses(durable_report) == [("kaifeng-2014.art28.probe", expected, [] if expected == "pass" else ["hall"])]


def test_integer_equals_float():
    rule = kaifeng_rule("field: floor_area_m2\nequals: 10\n")
    python, durable_report = both([rule], hall(fields="floor_area_m2: 10.0"))
    assert statuses(python)[0][1] == statuses(durable_report)[0][1] == "pass"


def test_a_rule_comparing_a_date_with_a_number_does_not_load():
    with pytest.raises(InputError) as err:
        kaifeng_rule("field: opened_on\nat_least: 10\n")
    assert err.value.problems[0].code == "cond.literal_type"


@pytest.mark.parametrize("require", [
    "field: kind\nnot_equals: branch_centre\n",
    "field: floor_area_m2\nnot_equals: 10\n",
    "field: floor_area_m2\nnot_in: [10, 20]\n",
])
def test_a_missing_field_is_unknown_never_pass(require):
    # durable-rules' $neq does not match a fact lacking the attribute; nor may we call it a pass
    rule = kaifeng_rule(require.replace("kind", "parent_centre").replace("branch_centre", "X"))
    python, durable_report = both([rule], hall())
    assert statuses(python)[0][1] == statuses(durable_report)[0][1] == "unknown"
    assert python["halls"][0]["results"][0]["reason"]["params"]["fields"]


def test_a_session_whose_facts_are_all_unknown_is_deleted_safely():
    # measured: deleting a session whose only fact no rule handled aborts the process (double
    # free); the anchored `seen` rule handles every fact, so this audit and the next one run
    rule = kaifeng_rule("field: parent_centre\nnot_equals: 东营\n", rule_id="all-unknown")
    for _ in range(3):
        python, durable_report = both([rule], hall())
        assert statuses(durable_report) == [("kaifeng-2014.art28.all-unknown", "unknown", [])]


def test_identical_facts_are_not_lost_as_duplicates():
    # same content for many entities: each gets its own id, none is swallowed as "observed"
    rule = kaifeng_rule("field: employment\nequals: career_staff\n", for_each="staff")
    many = hall("staff:\n" + "".join(f"  - {{id: S{i}, employment: temporary}}\n" for i in range(50)))
    python, durable_report = both([rule], many)
    assert statuses(python) == statuses(durable_report)
    assert len(statuses(durable_report)[0][2]) == 50


def test_fact_ids_never_share_the_hash_the_engine_refuses_as_a_duplicate():
    # the engine refuses a fact whose id hashes (32-bit FNV-1a) like one already in the session:
    # 40189 and 797186 collide, and the real engine says so
    durable_backend()
    from durable import engine
    from checker.audit.backends.durable import SessionIds, fnv1a32
    assert fnv1a32("40189") == fnv1a32("797186")
    backend = get_backend("durable")
    backend._host.set_rulesets({"hc_ids_probe": {"seen": {"all": [{"m": {"t": "hc"}}], "run": lambda c: None}}})
    backend._host.assert_fact("hc_ids_probe", {"t": "hc", "sid": "probe", "id": 40189})
    with pytest.raises(engine.MessageObservedException):
        backend._host.assert_fact("hc_ids_probe", {"t": "hc", "sid": "probe", "id": 797186})
    # one session's ids, as many as a hall can have values (load.MAX_NODES): no shared hash
    from checker.input.load import MAX_NODES
    ids = SessionIds()
    chosen = [ids.next() for _ in range(MAX_NODES)]
    assert len({fnv1a32(str(n)) for n in chosen}) == MAX_NODES
    assert 797186 not in chosen


def test_sessions_are_deleted_so_many_audits_do_not_exhaust_the_engine():
    # 1,025 live sessions in one ruleset raise MemoryError in durable-rules
    backend = durable_backend()
    rule = kaifeng_rule("field: floor_area_m2\nat_least: 10\n")
    the_hall = hall(fields="floor_area_m2: 5")
    for _ in range(1100):
        report = audit_hall(the_hall, [rule], register(), backend, None)
    assert report.results[0].status == "fail"


def test_patterns_beyond_the_engine_limits_are_rejected_when_the_rule_loads():
    values = ", ".join(str(n) for n in range(100))
    with pytest.raises(InputError) as err:
        kaifeng_rule(f"field: floor_area_m2\nin: [{values}]\n")
    assert err.value.problems[0].code == "rule.too_complex"


def test_rulesets_register_again_after_the_engine_took_their_actions():
    # Ruleset.__init__ deletes `run` from the dict it is given: we must hand it a copy
    first, second = durable_backend(), get_backend("durable")
    rule = kaifeng_rule("field: floor_area_m2\nat_least: 11\n")
    for backend in (first, second):
        assert audit_hall(hall(fields="floor_area_m2: 5"), [rule], register(), backend, None).results[0].status == "fail"


def test_auto_falls_back_to_python_where_durable_cannot_import(monkeypatch):
    import checker.audit.backends as backends
    monkeypatch.setattr(backends, "durable_import_error", lambda: "ImportError: undefined symbol: PyEval_CallObject")
    assert get_backend("auto").name == "python"
    with pytest.raises(EngineUnavailable):
        get_backend("durable")


def test_engine_unavailable_is_exit_2_with_a_message(monkeypatch, capsys, tmp_path):
    import checker.audit.backends as backends
    import cli
    monkeypatch.setattr(backends, "durable_import_error", lambda: "ImportError: undefined symbol: PyEval_CallObject")
    path = tmp_path / "hall.yaml"
    path.write_text("hallcheck: 1\nhall: {name: x, level: city, kind: civic_centre, jurisdiction: {province: 河南省, city: 开封市}}\n",
                    encoding="utf-8")
    assert cli.main(["check", str(path), "--engine", "durable", "--lang", "en"]) == 2
    assert "the durable engine is unavailable" in capsys.readouterr().err


def test_an_engine_comparison_fails_where_durable_rules_should_be_installed_and_does_not_import(monkeypatch):
    # on Python < 3.13 pyproject.toml installs durable-rules: its absence is a failure, never a skip
    import checker.audit.backends as backends
    monkeypatch.setattr(backends, "durable_import_error", lambda: "ModuleNotFoundError: No module named 'durable'")
    monkeypatch.setattr(sys, "version_info", (3, 12, 0, "final", 0))
    with pytest.raises(pytest.fail.Exception, match="durable-rules must import"):
        durable_backend()
    monkeypatch.setattr(sys, "version_info", (3, 13, 0, "final", 0))
    with pytest.raises(pytest.skip.Exception):
        durable_backend()
