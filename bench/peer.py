"""The floor the benchmark measures the engine against: a few bundled rules written by hand.

Each function below is one rule of rules/, written as a programmer would write it for the
generated halls (bench/generate.py): plain dict reads on what PyYAML's C loader returns, the
regulation's place, dates, levels and kinds checked inline, Kleene's unknown for an omitted
field. `bench/run.py` audits the same rules with hallcheck (a snapshot holding only these rule
files) and prints how far the engine is from this floor. It is a yardstick, not a second
implementation: the verdict counts of both are printed side by side, and a difference is
reported, never hidden.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# regulation -> (province, city, district or None, in force, expires or None, levels, kinds)
REGULATIONS = {
    "kaifeng-2014": ("河南省", "开封市", None, dt.date(2014, 6, 26), None, {"city"},
                     {"civic_centre", "branch_centre", "department_hall"}),
    "jining-2018": ("山东省", "济宁市", None, dt.date(2018, 8, 21), None, {"county", "township", "village"},
                    {"comprehensive_centre", "convenience_centre", "convenience_station"}),
    "wuhai-2022": ("内蒙古自治区", "乌海市", None, dt.date(2022, 6, 16), None, {"city", "county", "township", "village"},
                   {"comprehensive_centre", "branch_centre", "convenience_centre", "convenience_station"}),
    "longgang-2020": ("辽宁省", "葫芦岛市", "龙港区", dt.date(2020, 10, 15), None, {"county"}, {"branch_centre"}),
}


@functools.lru_cache(maxsize=None)
def _words() -> dict:
    """vocabulary -> {id or Chinese word: id}: the generated halls write either."""
    vocabulary = yaml.safe_load((ROOT / "checker" / "vocabulary.yaml").read_text(encoding="utf-8"))
    return {name: {word: key for key, words in (entries or {}).items() for word in [key, *(words or [])]}
            for name, entries in vocabulary.items() if isinstance(entries, dict)}


def _id(vocab: str, value):
    return _words()[vocab].get(value, value) if isinstance(value, str) else value


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _scope(doc: dict, regulation: str, levels=None, kinds=None) -> bool:
    province, city, district, in_force, expires, governed_levels, governed_kinds = REGULATIONS[regulation]
    hall = doc["hall"]
    as_of = _day(doc["as_of"])
    place = hall["jurisdiction"]
    if as_of < in_force or (expires and as_of > expires):
        return False
    if place.get("province") != province or place.get("city") != city or (district and place.get("district") != district):
        return False
    level, kind = _id("level", hall["level"]), _id("hall_kind", hall["kind"])
    return level in (levels or governed_levels) and level in governed_levels \
        and kind in (kinds or governed_kinds) and kind in governed_kinds


def _list_holds(values, vocab: str, wanted: set):
    """contains_all on an enumeration list: None when the list is omitted."""
    if values is None:
        return None
    return wanted <= {_id(vocab, v) for v in values}


def _some(items, test):
    if items is None:
        return None
    return any(test(item) for item in items)


def _status(verdict) -> str:
    return {True: "pass", False: "fail", None: "unknown"}[verdict]


def kaifeng_complaint_platform(doc):
    if not _scope(doc, "kaifeng-2014", kinds={"civic_centre"}):
        return "not_applicable"
    return _status(_some(doc["hall"].get("systems"), lambda s: _id("system", s.get("kind")) == "complaint_platform"))


def kaifeng_comprehensive_window(doc):
    if not _scope(doc, "kaifeng-2014", kinds={"civic_centre"}):
        return "not_applicable"
    return _status(_some(doc.get("windows"),
                         lambda w: _id("window_type", w.get("type")) == "comprehensive_acceptance"))


def kaifeng_ab_post(doc):
    if not _scope(doc, "kaifeng-2014"):
        return "not_applicable"
    return _status(_list_holds(doc["hall"].get("working_rules"), "working_rule", {"ab_post"}))


def jining_village_area(doc):
    return _area(doc, "village", 50)


def jining_township_area(doc):
    return _area(doc, "township", 1000)


def _area(doc, level, least):
    if not _scope(doc, "jining-2018", levels={level}):
        return "not_applicable"
    area = doc["hall"].get("floor_area_m2")
    return "unknown" if area is None else _status(area >= least)


def jining_no_home_duties(doc):
    if not _scope(doc, "jining-2018", levels={"county"}):
        return "not_applicable"
    staff = doc.get("staff")
    if staff is None:
        return "unknown"
    as_of = _day(doc["as_of"])
    verdicts = []
    for person in staff:
        start, end = person.get("stationed_from"), person.get("stationed_until")
        if person.get("employer") is None or (start is not None and _day(start) > as_of) \
                or (end is not None and _day(end) <= as_of):
            continue
        duties = person.get("home_duties")
        verdicts.append(None if duties is None else duties is False)
    if not verdicts:
        return "not_applicable"
    return "fail" if False in verdicts else "unknown" if None in verdicts else "pass"


def wuhai_evacuation_plan(doc):
    if not _scope(doc, "wuhai-2022"):
        return "not_applicable"
    return _status(_list_holds(doc["hall"].get("facilities"), "facility", {"evacuation_plan"}))


def wuhai_comprehensive_window(doc):
    if not _scope(doc, "wuhai-2022", levels={"city", "county"}, kinds={"comprehensive_centre"}):
        return "not_applicable"
    wanted = {"comprehensive_acceptance", "sector_comprehensive"}
    return _status(_some(doc.get("windows"), lambda w: _id("window_type", w.get("type")) in wanted))


def longgang_management_rules(doc):
    if not _scope(doc, "longgang-2020"):
        return "not_applicable"
    return _status(_list_holds(doc["hall"].get("working_rules"), "working_rule",
                               {"attendance", "accountability"}))


# rule file (under rules/) -> its hand-written peer
RULES = {
    "kaifeng-2014/art15-complaint-platform.yaml": kaifeng_complaint_platform,
    "kaifeng-2014/art26-comprehensive-window.yaml": kaifeng_comprehensive_window,
    "kaifeng-2014/art28-ab-post-system.yaml": kaifeng_ab_post,
    "jining-2018/art7-village-station-area.yaml": jining_village_area,
    "jining-2018/art7-township-centre-area.yaml": jining_township_area,
    "jining-2018/art14-no-home-duties.yaml": jining_no_home_duties,
    "wuhai-2022/s2-1-3-9-evacuation-plan.yaml": wuhai_evacuation_plan,
    "wuhai-2022/s2-1-2-3-comprehensive-window.yaml": wuhai_comprehensive_window,
    "longgang-2020/s2-2-management-rules.yaml": longgang_management_rules,
}


def audit(doc: dict) -> list[str]:
    """Every peer rule's status for one parsed hall."""
    return [check(doc) for check in RULES.values()]
