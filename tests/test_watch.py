"""hallcheck watch: red-yellow-green warnings on open cases, as a supervisor meets them.

Calendar traps (National Day, a weekend made a working day, the year end, May Day, the Dragon
Boat festival) are pinned by the warning rules' own examples, run here on both engines; the
clock-stopping events by the counts below; the two engines' agreement on generated months of
events; a restart mid-stream re-alerting nothing; bad input located at its line; the summary.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cli
from checker.audit.backends import durable_import_error
from checker.paths import bundled
from checker.problems import InputError, Location
from checker.ruleset.rules import warning_files
from checker.watch.engines import DurableEngine, PythonEngine
from checker.watch.events import event_from, parse_line, read_events
from checker.watch.examples import run_examples
from checker.watch.policy import compiled, policy_for
from checker.watch.run import load_warning_rules, replay
from checker.watch.watcher import Watcher
from helpers import durable_backend, durable_expected, register

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("hallcheck_bench_watch", ROOT / "bench" / "watch.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

RULES = load_warning_rules(warning_files(bundled("rules")), register())


def engines():
    """Every engine this Python has: the pure-Python one, and durable-rules wherever it should
    import (failing where it should and does not)."""
    if durable_import_error() and not durable_expected():
        return [PythonEngine()]
    durable_backend()
    return [PythonEngine(), DurableEngine()]


def both_engines():
    """The two engines, for a comparison: skipped on Python 3.13+, where durable-rules cannot be."""
    durable_backend()
    return PythonEngine(), DurableEngine()


def watcher(regulation: str = "jining-2018", engine=None) -> Watcher:
    return Watcher(policy_for(RULES, regulation), engine or PythonEngine())


def events(*lines: dict) -> list:
    return read_events([json.dumps(line, ensure_ascii=False) for line in lines], "events.jsonl")


def moves(found) -> list[tuple]:
    return [(t.case, t.transition, t.on.isoformat()) for t in found]


# ---------------------------------------------------------------- the rules' own examples


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_warning_rule_examples_give_their_transitions_on_both_engines(rule):
    for engine in engines():
        for outcome in run_examples(rule, engine):
            assert outcome.actual == outcome.expected, (engine.name, outcome.title)


def test_every_regulation_that_asks_for_time_limits_has_a_case_warning():
    assert {rule.regulation for rule in RULES if rule.times == "case"} == \
        {"jining-2018", "kaifeng-2014", "wuhai-2022", "longgang-2020"}


# ---------------------------------------------------------------- calendar and clock stopping


def test_national_day_is_skipped_and_the_sunday_before_it_counts():
    # accepted Friday 2024-09-27, 3 working days: Sunday 09-29 (a working day), Monday 09-30,
    # then nothing until 10-08; the limit has passed on 10-09
    found = replay(events({"event": "accepted", "case": "A", "on": "2024-09-27", "limit": 3}), watcher(),
                   dt.date(2024, 10, 31))
    assert moves(found) == [("A", "green_to_yellow", "2024-09-30"), ("A", "yellow_to_red", "2024-10-09")]


def test_the_year_end_holiday_is_skipped():
    found = replay(events({"event": "accepted", "case": "Y", "on": "2024-12-30", "limit": 2}), watcher(),
                   dt.date(2025, 1, 10))
    # 12-31 is the first working day, 2025-01-01 a holiday, 01-02 the second: red on 01-03
    assert moves(found) == [("Y", "green_to_yellow", "2024-12-31"), ("Y", "yellow_to_red", "2025-01-03")]


def test_materials_requested_on_the_acceptance_day_start_the_limit_when_they_are_complete():
    w = watcher()
    found = replay(events({"event": "accepted", "case": "C", "on": "2024-03-04", "limit": 3},
                          {"event": "materials_requested", "case": "C", "on": "2024-03-04"},
                          {"event": "resumed", "case": "C", "on": "2024-03-11"}), w, dt.date(2024, 3, 14))
    # the limit runs from Monday 03-11, when the materials were complete: 03-12, 03-13, 03-14
    assert w.clocks["case:C"].used(dt.date(2024, 3, 14)) == 3
    assert moves(found) == [("C", "green_to_yellow", "2024-03-13")]


def test_a_case_waiting_for_its_materials_since_acceptance_is_not_timed_while_it_waits():
    found = replay(events({"event": "accepted", "case": "M", "on": "2024-03-04", "limit": 2},
                          {"event": "materials_requested", "case": "M", "on": "2024-03-04"}),
                   watcher(), dt.date(2024, 6, 28))
    assert moves(found) == []


def test_a_later_request_for_materials_does_not_stop_the_clock():
    # limit 5 from Monday 03-04; materials asked for on the 4th working day, received a month later
    w = watcher()
    found = replay(events({"event": "accepted", "case": "D", "on": "2024-03-04", "limit": 5},
                          {"event": "materials_requested", "case": "D", "on": "2024-03-08"},
                          {"event": "resumed", "case": "D", "on": "2024-04-08"},
                          {"event": "completed", "case": "D", "on": "2024-04-09"}), w, dt.date(2024, 4, 30))
    assert moves(found) == [("D", "green_to_yellow", "2024-03-08"), ("D", "yellow_to_red", "2024-03-12"),
                            ("D", "completed_late", "2024-04-09")]
    assert w.clocks["case:D"].late is True


def test_a_suspended_case_turns_red_while_it_waits():
    found = replay(events({"event": "accepted", "case": "S", "on": "2024-03-04", "limit": 2},
                          {"event": "suspended", "case": "S", "on": "2024-03-05"}), watcher(), dt.date(2024, 6, 28))
    assert moves(found) == [("S", "green_to_yellow", "2024-03-05"), ("S", "yellow_to_red", "2024-03-07")]


def test_a_warning_rule_cannot_say_an_event_stops_the_clock(tmp_path, capsys):
    source = Path(policy_for(RULES, "jining-2018").cases[0].file).read_text(encoding="utf-8")
    (tmp_path / "a.warning.yaml").write_text(
        source.replace("  times: case\n", "  times: case\n  stops_clock: [suspended]\n"), encoding="utf-8")
    assert cli.main(["rules", "lint", str(tmp_path), "--lang", "en"]) == 2
    assert "warning.stops_clock" in capsys.readouterr().out


def test_a_one_day_limit_is_yellow_on_the_acceptance_day_and_a_same_day_one_red_the_next_working_day():
    # yellow while the rest of the day is still there to act in, not on the due day only
    found = replay(events({"event": "accepted", "case": "J1", "on": "2024-03-08", "limit": 1},
                          {"event": "accepted", "case": "J2", "on": "2024-03-08", "limit": 0},
                          {"event": "completed", "case": "J1", "on": "2024-03-11"}),
                   watcher(), dt.date(2024, 3, 12))
    assert moves(found) == [("J1", "green_to_yellow", "2024-03-08"), ("J2", "green_to_yellow", "2024-03-08"),
                            ("J2", "yellow_to_red", "2024-03-11"),
                            ("J1", "completed_on_time_after_warning", "2024-03-11")]


def test_completed_late_and_completed_in_time_after_a_warning():
    found = replay(events({"event": "accepted", "case": "L", "on": "2024-03-04", "limit": 2},
                          {"event": "accepted", "case": "T", "on": "2024-03-04", "limit": 2},
                          {"event": "completed", "case": "T", "on": "2024-03-06"},
                          {"event": "completed", "case": "L", "on": "2024-03-08"}), watcher(), None)
    assert ("T", "completed_on_time_after_warning", "2024-03-06") in moves(found)
    assert ("L", "completed_late", "2024-03-08") in moves(found)


def test_a_complaint_is_timed_by_the_complaint_rule():
    found = replay(events({"event": "complaint_received", "case": "K", "complaint": "T1", "on": "2024-06-03"}),
                   watcher("longgang-2020"), dt.date(2024, 6, 30))
    assert [(t.subject, t.complaint, t.transition) for t in found] == \
        [("complaint", "T1", "green_to_yellow"), ("complaint", "T1", "yellow_to_red")]


# ---------------------------------------------------------------- engines, idempotence


@pytest.mark.parametrize("seed", [1, 2])
def test_engines_give_identical_transitions_on_a_generated_stream(seed):
    lines = [json.dumps(e, ensure_ascii=False) for e in bench.month_of_events(cases=300, seed=seed)]
    python, durable = both_engines()
    first = replay(read_events(lines, "month.jsonl"), watcher("kaifeng-2014", python), dt.date(2024, 10, 31))
    second = replay(read_events(lines, "month.jsonl"), watcher("kaifeng-2014", durable), dt.date(2024, 10, 31))
    assert [t.to_json() for t in first] == [t.to_json() for t in second]
    assert {t.transition for t in first} >= {"green_to_yellow", "yellow_to_red", "completed_late",
                                               "completed_on_time_after_warning"}


def test_both_engines_decide_every_transition_tree_alike_on_edge_facts():
    trees = compiled(1, 0.2)
    facts = [(f"k{n}", {"open": o, "closing": not o, "colour": c, "remaining": r, "share": s, "warned": w})
             for n, (o, c, r, s, w) in enumerate(
                 (o, c, r, s, w) for o in (True, False) for c in ("green", "yellow", "red")
                 for r, s in ((-1.0, -0.5), (0.0, 0.0), (1.0, 0.5), (2.0, 0.2), (5.0, 1.0)) for w in (True, False))]
    python, durable = both_engines()
    assert python.decide(trees, facts) == durable.decide(trees, facts)


def test_the_same_event_twice_changes_nothing():
    stream = [{"event": "accepted", "case": "A", "on": "2024-03-04", "limit": 2},
              {"id": "x1", "event": "completed", "case": "A", "on": "2024-03-07"}]
    w = watcher()
    once = replay(events(*stream), w, None)
    again = replay(events(*stream, {"id": "x1", "event": "completed", "case": "A", "on": "2024-03-07"}), w, None)
    assert moves(once)[-1] == ("A", "completed_late", "2024-03-07") and again == []


# ---------------------------------------------------------------- bad input


def test_a_bad_line_is_located_and_every_bad_line_is_listed(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_text('{"event": "accepted", "case": "A", "on": "2024-03-04", "limit": 2}\n'
                    '{"event": "acepted", "case": "B", "on": "2024-03-04"}\n'
                    '{"event": "accepted", "case": "C", "on": "2024-13-04", "limit": 2}\n'
                    '{"event": "accepted", "case": "D", "on": "2024-03-04", "limit": 2,\n', encoding="utf-8")
    assert cli.main(["watch", "--replay", str(path), "--regulation", "jining-2018", "--level", "county", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "events.jsonl:2:2: event: unknown event 'acepted'; did you mean: accepted" in err
    assert "events.jsonl:3:36: on: '2024-13-04' is not a date" in err
    assert "events.jsonl:4:" in err and "not valid JSON" in err


def test_an_event_that_does_not_fit_the_case_stops_a_live_run_at_its_line_after_saving(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    store = tmp_path / "watch.sqlite"
    path.write_text('{"event": "accepted", "case": "A", "on": "2024-03-04", "limit": 2}\n'
                    '{"event": "resumed", "case": "A", "on": "2024-03-05"}\n', encoding="utf-8")
    code = cli.main(["watch", str(path), "--regulation", "jining-2018", "--level", "county", "--store", str(store), "--lang", "zh",
                     "--as-of", "2024-03-05", "--format", "jsonl"])
    assert code == 2
    assert "events.jsonl:2:1: 办件 A 未在补正或挂起中，不能恢复办理" in capsys.readouterr().err


def test_a_case_without_a_limit_takes_its_items_from_the_hall_file(tmp_path, capsys):
    hall = tmp_path / "hall.yaml"
    hall.write_text("hallcheck: 1\nhall: {name: 任城区政务服务中心, level: county, kind: comprehensive_centre, "
                    "jurisdiction: {province: 山东省, city: 济宁市, district: 任城区}}\n"
                    "items:\n  - {code: '370811-001', promised_limit_days: 2}\n", encoding="utf-8")
    path = tmp_path / "events.jsonl"
    path.write_text('{"event": "accepted", "case": "A", "on": "2024-03-04", "item": "370811-001"}\n'
                    '{"event": "accepted", "case": "B", "on": "2024-03-04", "item": "370811-999"}\n', encoding="utf-8")
    args = ["watch", "--replay", str(path), "--regulation", "jining-2018", "--level", "county", "--as-of", "2024-03-29", "--lang", "en"]
    assert cli.main(args + ["--hall", str(hall)]) == 2
    assert "events.jsonl:2:1: case B has no promised limit" in capsys.readouterr().err
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert cli.main(args + ["--hall", str(hall), "--format", "jsonl"]) == 1
    assert [json.loads(line)["transition"] for line in capsys.readouterr().out.splitlines()] == \
        ["green_to_yellow", "yellow_to_red"]


def test_a_hall_the_clause_does_not_bind_is_not_warned_under_it(tmp_path, capsys):
    # jining-2018 art14 binds the county centre: a township centre runs no warning rule of it
    hall = tmp_path / "hall.yaml"
    hall.write_text("hallcheck: 1\nhall: {name: 唐口街道便民服务中心, level: township, kind: convenience_centre, "
                    "jurisdiction: {province: 山东省, city: 济宁市, district: 任城区}}\n", encoding="utf-8")
    path = tmp_path / "events.jsonl"
    path.write_text('{"event": "accepted", "case": "A", "on": "2024-03-04", "limit": 2}\n', encoding="utf-8")
    assert cli.main(["watch", "--replay", str(path), "--regulation", "jining-2018", "--hall", str(hall),
                     "--as-of", "2024-03-29", "--lang", "en"]) == 2
    assert "hall.yaml:2:7: hall: no warning rule of jining-2018 reaches a hall of level township and kind " \
           "convenience_centre" in capsys.readouterr().err


def test_without_a_hall_a_rule_bound_to_some_levels_runs_only_once_the_level_is_given(tmp_path, capsys):
    # jining-2018 art14 binds the county centre: without a hall file the watcher cannot tell
    # whether the events are a county centre's, so it asks rather than time them under it
    path = tmp_path / "events.jsonl"
    path.write_text('{"event": "accepted", "case": "A", "on": "2024-03-04", "limit": 2}\n', encoding="utf-8")
    args = ["watch", "--replay", str(path), "--regulation", "jining-2018", "--as-of", "2024-03-29", "--format", "jsonl"]
    assert cli.main(args + ["--lang", "en"]) == 2
    assert "--level: warning rule jining-2018.art14.red-yellow-green applies only to halls of level county, " \
           "which cannot be told without a hall" in capsys.readouterr().err
    assert cli.main(args + ["--lang", "zh"]) == 2
    assert "--level: 预警规则 jining-2018.art14.red-yellow-green 只适用于层级为 county 的大厅" in capsys.readouterr().err
    assert cli.main(args + ["--level", "乡镇级", "--lang", "en"]) == 2
    assert "--level: no warning rule of jining-2018 reaches a hall of level township" in capsys.readouterr().err
    assert cli.main(args + ["--level", "省级", "--lang", "en"]) == 2
    assert "--level: " in capsys.readouterr().err
    assert cli.main(args + ["--level", "县级"]) == 1
    assert [json.loads(line)["transition"] for line in capsys.readouterr().out.splitlines()] == \
        ["green_to_yellow", "yellow_to_red"]
    hall = tmp_path / "hall.yaml"
    hall.write_text("hallcheck: 1\nhall: {name: 唐口街道便民服务中心, level: township, kind: convenience_centre, "
                    "jurisdiction: {province: 山东省, city: 济宁市, district: 任城区}}\n", encoding="utf-8")
    assert cli.main(args + ["--level", "county", "--hall", str(hall), "--lang", "en"]) == 2
    assert "--level: county disagrees with the hall file, which says township" in capsys.readouterr().err
    # a regulation whose warning rules bind every hall it governs needs no level
    assert cli.main(["watch", "--replay", str(path), "--regulation", "wuhai-2022", "--as-of", "2024-03-29",
                     "--format", "jsonl"]) == 1


def test_a_limit_promised_in_calendar_days_is_counted_in_calendar_days(tmp_path, capsys):
    # kaifeng art23-2-committed-cases counts an item's limit in calendar days where its
    # limit_unit says so: the warning turns red when the check rule finds the case late
    hall = tmp_path / "hall.yaml"
    hall.write_text("hallcheck: 1\nhall: {name: 开封市民之家, level: city, kind: civic_centre, "
                    "jurisdiction: {province: 河南省, city: 开封市}}\n"
                    "items:\n  - {code: C1, mode: 承诺件, promised_limit_days: 5, limit_unit: 自然日}\n"
                    "  - {code: C2, mode: 承诺件, promised_limit_days: 5}\n", encoding="utf-8")
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in (
        {"event": "accepted", "case": "N", "on": "2024-09-27", "item": "C1"},
        {"event": "accepted", "case": "W", "on": "2024-09-27", "item": "C2"},
        {"event": "accepted", "case": "E", "on": "2024-09-27", "limit": 5, "unit": "自然日"})), encoding="utf-8")
    args = ["watch", "--replay", str(path), "--regulation", "kaifeng-2014", "--hall", str(hall),
            "--as-of", "2024-10-31", "--format", "jsonl"]
    found = {}
    for engine in engines():
        assert cli.main(args + ["--engine", engine.name]) == 1
        found[engine.name] = [(t["case"], t["transition"], t["on"], t["unit"])
                              for t in map(json.loads, capsys.readouterr().out.splitlines())]
    # 5 calendar days from Friday 09-27: due 10-02, in the National Day holiday; red on 10-03.
    # 5 working days: 09-29 (a working Sunday), 09-30, 10-08, 10-09, 10-10; red on 10-11
    assert found["python"] == [
        ("E", "green_to_yellow", "2024-10-01", "calendar_days"), ("N", "green_to_yellow", "2024-10-01", "calendar_days"),
        ("E", "yellow_to_red", "2024-10-03", "calendar_days"), ("N", "yellow_to_red", "2024-10-03", "calendar_days"),
        ("W", "green_to_yellow", "2024-10-09", "working_days"), ("W", "yellow_to_red", "2024-10-11", "working_days")]
    assert all(moves == found["python"] for moves in found.values())


def test_an_events_unit_needs_its_limit_and_is_a_known_unit():
    with pytest.raises(InputError) as err:
        read_events(['{"event": "accepted", "case": "A", "on": "2024-03-04", "unit": "自然日"}',
                     '{"event": "accepted", "case": "B", "on": "2024-03-04", "limit": 2, "unit": "hours"}'], "e.jsonl")
    assert [(p.code, str(p.location)) for p in err.value.problems] == \
        [("watch.unit_without_limit", "e.jsonl:1:56"), ("watch.bad_unit", "e.jsonl:2:68")]


def test_kaifeng_times_each_case_by_its_items_handling_mode(tmp_path, capsys):
    hall = tmp_path / "hall.yaml"
    hall.write_text("hallcheck: 1\nhall: {name: 开封市民之家, level: city, kind: civic_centre, "
                    "jurisdiction: {province: 河南省, city: 开封市}}\n"
                    "items:\n  - {code: I1, mode: 即办件}\n  - {code: C1, mode: 承诺件, promised_limit_days: 2}\n"
                    "  - {code: R1, mode: 报批件}\n", encoding="utf-8")
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in (
        {"event": "accepted", "case": "I", "on": "2024-03-08", "item": "I1"},
        {"event": "accepted", "case": "C", "on": "2024-03-08", "item": "C1"},
        {"event": "accepted", "case": "R", "on": "2024-03-08", "item": "R1"})), encoding="utf-8")
    assert cli.main(["watch", "--replay", str(path), "--regulation", "kaifeng-2014", "--hall", str(hall),
                     "--as-of", "2024-03-29", "--format", "jsonl"]) == 1
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # 即办件: red the next day, a Saturday (当场, calendar days); 承诺件: its 2 working days;
    # 报批件: no limit to time, so neither refused for lacking one nor warned
    assert [(t["case"], t["transition"], t["on"], t["rule"]) for t in found] == [
        ("I", "green_to_red", "2024-03-09", "kaifeng-2014.art23(1).on-the-spot"),
        ("C", "green_to_yellow", "2024-03-11", "kaifeng-2014.art23(2).time-limited"),
        ("C", "yellow_to_red", "2024-03-13", "kaifeng-2014.art23(2).time-limited")]
    assert found[0]["unit"] == "calendar_days" and found[1]["unit"] == "working_days"


def test_two_case_rules_of_one_regulation_must_time_different_modes(tmp_path, capsys):
    for rule in RULES:
        if rule.regulation == "kaifeng-2014" and rule.times == "case":
            (tmp_path / Path(rule.file).name).write_text(
                Path(rule.file).read_text(encoding="utf-8").replace("modes: [immediate]", "modes: [immediate, committed]"),
                encoding="utf-8")
    assert cli.main(["rules", "lint", str(tmp_path), "--lang", "en"]) == 2
    assert "regulation kaifeng-2014 already has a case warning rule" in capsys.readouterr().out


def test_timing_cases_of_unknown_mode_needs_a_recorded_reading(tmp_path, capsys):
    source = Path(next(rule.file for rule in RULES if rule.id == "kaifeng-2014.art23(1).on-the-spot"))
    (tmp_path / "a.warning.yaml").write_text(source.read_text(encoding="utf-8").replace(
        "  modes: [immediate]\n", "  modes: [immediate]\n  mode_unknown: true\n"), encoding="utf-8")
    assert cli.main(["rules", "lint", str(tmp_path), "--lang", "en"]) == 2
    assert "warning.mode_unknown: timing cases whose mode is not known may reach beyond the clause" \
        in capsys.readouterr().out


def test_a_warning_rule_graded_below_its_mandatory_words_needs_a_reason(tmp_path, capsys):
    source = Path(next(rule.file for rule in RULES if rule.id == "kaifeng-2014.art23(1).on-the-spot"))
    text = source.read_text(encoding="utf-8").replace("quote: 即办件，实行当场办结", "quote: 应根据不同情况按照下列方式办理") \
        .replace("clause: art23(1)", "clause: art23").replace("art23(1).on-the-spot", "art23.on-the-spot") \
        .replace("severity: major", "severity: minor")
    (tmp_path / "a.warning.yaml").write_text(text, encoding="utf-8")
    assert cli.main(["rules", "lint", str(tmp_path), "--lang", "en"]) == 2
    line = text.splitlines().index("severity: minor") + 1
    assert f"a.warning.yaml:{line}:11: severity: the quote has mandatory words (应); grading it minor needs a " \
           "severity_reason" in capsys.readouterr().out


def test_a_check_rule_file_cannot_hold_a_warning_rule(tmp_path):
    from checker.ruleset.rules import load_rule
    source = Path(policy_for(RULES, "jining-2018").cases[0].file)
    target = tmp_path / "red-yellow-green.yaml"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rule(target, register())
    assert [p.code for p in err.value.problems] == ["rule.warning_file"]


# ---------------------------------------------------------------- the summary


def test_replay_summary_in_both_languages_and_as_json(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in (
        {"event": "accepted", "case": "A", "on": "2024-03-04", "limit": 2, "department": "公安局"},
        {"event": "accepted", "case": "B", "on": "2024-03-04", "limit": 10, "department": "公安局"},
        {"event": "accepted", "case": "C", "on": "2024-03-04", "limit": 3, "department": "税务局"},
        {"event": "completed", "case": "A", "on": "2024-03-08"},
        {"event": "completed", "case": "C", "on": "2024-03-06"},
        {"event": "rated", "case": "C", "on": "2024-03-06", "rating": "不满意"},
    )) + "\n", encoding="utf-8")
    args = ["watch", "--replay", str(path), "--regulation", "jining-2018", "--level", "county", "--as-of", "2024-03-08"]
    assert cli.main(args + ["--format", "json"]) == 1  # an overdue case
    found = json.loads(capsys.readouterr().out)
    police = next(row for row in found["departments"] if row["department"] == "公安局")
    assert police["open"] == {"green": 1, "yellow": 0, "red": 0}
    assert (police["completed"], police["completed_late"], police["overdue"]) == (1, 1, 1)
    assert (police["used_average"], police["promised_average"]) == (4.0, 2.0)
    assert found["total"]["used_average"] == 3.0 and found["ratings"] == {"rated": 1, "dissatisfied": 1}
    cli.main(args + ["--lang", "zh"])
    text = capsys.readouterr().out
    assert "办件预警汇总（jining-2018，截至 2024-03-08；天数均为工作日）" in text and "逾期办结" in text and "合计" in text
    assert "好差评：评价 1 件，其中不满意 1 件" in text
    cli.main(args + ["--lang", "en"])
    text = capsys.readouterr().out
    assert "Case warnings (jining-2018, as of 2024-03-08; days are working days)" in text and "completed late 1" in text


# ---------------------------------------------------------------- restart, the live view


def test_a_restart_mid_stream_re_alerts_nothing(tmp_path):
    events_ = bench.month_of_events(cases=150, seed=5)
    lines = [json.dumps(e, ensure_ascii=False) for e in events_]
    half = len(lines) // 2
    stopped = events_[half - 1]["on"]  # the day the first watcher stopped
    path, store = tmp_path / "events.jsonl", tmp_path / "watch.sqlite"
    common = [str(path), "--regulation", "jining-2018", "--level", "county", "--store", str(store), "--engine", "python"]
    path.write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
    code, first = _live(common + ["--as-of", stopped])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # the file has grown; the watcher restarts
    code2, second = _live(common + ["--as-of", "2024-10-31"])
    code3, third = _live(common + ["--as-of", "2024-10-31"])
    whole = [t.to_json() for t in replay(read_events(lines, "x"), watcher(), dt.date(2024, 10, 31))]
    assert (code, code2, code3) == (0, 0, 0)
    assert first and second and third == []
    # together the two runs said exactly what one run says, each transition once
    assert first + second == whole


def _live(args: list[str]) -> tuple[int, list[dict]]:
    out = subprocess.run([sys.executable, str(ROOT / "cli.py"), "watch", *args, "--format", "jsonl"],
                         capture_output=True, text=True, timeout=120)
    assert not out.stderr, out.stderr
    return out.returncode, [json.loads(line) for line in out.stdout.splitlines()]


def test_a_live_run_on_a_growing_file_shows_the_table_of_open_cases(tmp_path):
    import pty  # POSIX: the terminal the live view needs
    path, store = tmp_path / "events.jsonl", tmp_path / "watch.sqlite"
    path.write_text('{"event": "accepted", "case": "B001", "on": "2024-09-27", "limit": 3, "department": "市场监管局"}\n',
                    encoding="utf-8")
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "watch", str(path), "--follow", "--poll", "0.05",
                                "--regulation", "jining-2018", "--level", "county", "--store", str(store), "--as-of", "2024-10-09",
                                "--lang", "en", "--engine", "python"],
                               stdin=subprocess.DEVNULL, stdout=child, stderr=child,
                               env={**os.environ, "COLUMNS": "140", "LINES": "40"})
    os.close(child)
    try:
        seen = _read_until(main, "B001", 30)
        with open(path, "a", encoding="utf-8") as stream:
            stream.write('{"event": "accepted", "case": "B002", "on": "2024-10-09", "limit": 5, "department": "公安局"}\n')
        seen += _read_until(main, "B002", 30)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        os.close(main)
    assert process.returncode == 0
    assert "Open cases (jining-2018, 2024-10-09): red 1, yellow 0, green 1" in seen
    assert "yellow→red: 4 of 3 working days used [jining-2018 art14]" in seen


def _read_until(fd: int, text: str, seconds: float) -> str:
    seen, end = b"", time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if text.encode() in seen:
                break
    return seen.decode("utf-8", "replace")


def test_an_example_that_gives_other_transitions_is_a_lint_problem(tmp_path, capsys):
    source = Path(policy_for(RULES, "jining-2018").cases[0].file).read_text(encoding="utf-8")
    (tmp_path / "a.warning.yaml").write_text(source.replace('on: "2024-09-30"', 'on: "2024-10-01"'), encoding="utf-8")
    assert cli.main(["rules", "lint", str(tmp_path), "--lang", "en"]) == 2
    err = capsys.readouterr()
    line = source.splitlines().index("    expect:") + 2  # the first expected transition
    assert f"a.warning.yaml:{line}:7: examples[0].expect: example" in err.out + err.err
    assert "should give A1 green_to_yellow 2024-10-01" in err.out + err.err


def test_events_from_a_rule_example_are_located_in_the_rule_file():
    with pytest.raises(InputError) as err:
        event_from({"event": "accepted", "case": "A", "on": "soon"}, Location("r.warning.yaml", 30, 9),
                   lambda key: Location("r.warning.yaml", 30, 20, key))
    assert str(err.value.problems[0].location) == "r.warning.yaml:30:20"
    assert parse_line("   ", "x", 1) is None


def test_case_exports_read_through_the_import_mapping_are_replayed(tmp_path, capsys):
    import shutil
    for name in ("map.yaml", "base.yaml", "办件.csv", "花名册.xlsx"):
        shutil.copy(ROOT / "ledgers" / name, tmp_path / name)
    base = tmp_path / "base.yaml"
    args = ["watch", "--import", str(tmp_path / "map.yaml"), "--hall", str(base), "--regulation", "jining-2018",
            "--as-of", "2024-06-30", "--lang", "en", "--format", "jsonl"]
    assert cli.main(args) == 2  # no item gives B001 its limit: refused at its cell
    assert "办件.csv!D3: cases[0].applied_on: case B001 has no promised limit" in capsys.readouterr().err
    base.write_text(base.read_text(encoding="utf-8") + "items:\n"
                    "  - {code: '1001', department: 市场监管局, promised_limit_days: 3}\n"
                    "  - {code: '1002', department: 自然资源局, promised_limit_days: 10}\n", encoding="utf-8")
    assert cli.main(args) == 1
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # B002, an enterprise opening accepted 2024-03-04 and completed 03-11: 5 working days of 3
    assert {"case": "B002", "transition": "completed_late", "used": 5, "department": "市场监管局"}.items() <= \
        next(t for t in found if t["transition"] == "completed_late" and t["case"] == "B002").items()


def test_imported_cases_with_incomplete_materials_are_timed_only_to_a_due_date(tmp_path):
    # as the check rules: a case whose materials were incomplete is not judged from its
    # application day (its limit runs from complete materials, a day the export lacks); one
    # with its promised completion date is judged against that date
    from checker.input.load import load_file
    from checker.input.validate import validate_hall
    from checker.watch.exports import events_from_cases
    hall = tmp_path / "hall.yaml"
    hall.write_text("hallcheck: 1\nhall: {name: 开封市民之家, level: city, kind: civic_centre, "
                    "jurisdiction: {province: 河南省, city: 开封市}}\n"
                    "items:\n  - {code: C1, mode: 承诺件, promised_limit_days: 2}\n"
                    "cases:\n"
                    "  - {id: P, kind: 一般事项, item: C1, applied_on: 2024-03-04, materials_incomplete: true}\n"
                    "  - {id: Q, kind: 一般事项, item: C1, applied_on: 2024-03-04, materials_incomplete: true, due_on: 2024-03-08}\n"
                    "  - {id: R, kind: 一般事项, item: C1, applied_on: 2024-03-04, materials_incomplete: false}\n", encoding="utf-8")
    found = events_from_cases(validate_hall(load_file(str(hall))))
    assert [(e.case, e.kind, e.limit) for e in found] == [("Q", "accepted", 4), ("R", "accepted", None)]


def test_a_live_run_on_standard_input_alerts_before_the_input_ends(tmp_path):
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "watch", "--regulation", "jining-2018", "--level", "county",
                                "--store", str(tmp_path / "watch.sqlite"), "--as-of", "2024-10-09",
                                "--engine", "python", "--format", "jsonl"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        process.stdin.write(b'{"event": "accepted", "case": "A", "on": "2024-09-27", "limit": 3}\n')
        process.stdin.flush()
        first = json.loads(process.stdout.readline())  # while standard input is still open
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert (first["case"], first["transition"], first["on"]) == ("A", "green_to_yellow", "2024-09-30")
    assert [json.loads(line)["transition"] for line in process.stdout.read().splitlines()] == ["yellow_to_red"]
    assert process.returncode == 0
