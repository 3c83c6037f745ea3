"""A month of a county centre's case events, replayed by `hallcheck watch` on both engines.

    python bench/watch.py                          # 3,000 cases from 2024-09-16, seed 1
    python bench/watch.py --cases 10000 --seed 7   # a busier centre
    python bench/watch.py --write events.jsonl     # keep the stream (hallcheck watch --replay events.jsonl)

The month runs across National Day (2024-10-01 to 07, with Sunday 09-29 and Saturday 10-12
made working days). A dozen departments each hold items with promised limits from 0 (即办件)
to 20 working days; cases are accepted on every working day, some wait for corrections (补正)
or are suspended (挂起) and resumed, most are completed in time, some late, some still open at
the end; many are rated, a few draw complaints. A few completions are reported a day late
(the event keeps its own date), and a few events arrive twice (the same id, or the same content
without one): a replay must change nothing for them.

Printed per engine: events, transitions, seconds and events per second, and whether the two
engines' transitions are identical, in order. Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.input import workdays  # noqa: E402

DEPARTMENTS = ("市场监管局", "公安局", "人社局", "不动产登记中心", "医保局", "税务局", "住建局", "交通运输局", "民政局",
               "卫健委", "自然资源局", "教育局")
LIMITS = (0, 1, 2, 3, 5, 5, 7, 10, 15, 20)


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The day `count` working days after `day` (itself when count is 0)."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= workdays.is_working_day(day)
    return day


def catalogue(rng: random.Random) -> list[tuple[str, str, int]]:
    """(department, item code, promised limit) for about eight items a department."""
    items = []
    for number, department in enumerate(DEPARTMENTS, start=1):
        for index in range(rng.randint(5, 11)):
            items.append((department, f"3708{number:02d}-{index:03d}", rng.choice(LIMITS)))
    return items


def month_of_events(cases: int = 3000, seed: int = 1, start: dt.date = dt.date(2024, 9, 16), days: int = 45) -> list[dict]:
    """The events of `cases` cases accepted over `days` calendar days from `start`, in the
    order they are reported."""
    rng = random.Random(seed)
    items = catalogue(rng)
    open_days = [start + dt.timedelta(days=n) for n in range(days) if workdays.is_working_day(start + dt.timedelta(days=n))]
    end = start + dt.timedelta(days=days)
    reported: list[tuple[dt.date, int, dict]] = []
    serial = 0

    def add(day: dt.date, event: dict, report: dt.date | None = None) -> None:
        nonlocal serial
        if (report or day) >= end:  # after the month: never reported (a case's later events are later still)
            return
        serial += 1
        event = {"id": f"E{serial:06d}", **event, "on": day.isoformat()}
        if rng.random() < 0.1:  # some platforms send no id: the content is the identity
            del event["id"]
        reported.append((report or day, serial, event))
        if rng.random() < 0.01:  # sent twice
            reported.append((report or day, serial, dict(event)))

    for number in range(cases):
        department, item, limit = rng.choice(items)
        case = f"B{number + 1:06d}"
        accepted = rng.choice(open_days)
        add(accepted, {"event": "accepted", "case": case, "item": item, "department": department, "limit": limit})
        used = rng.choices((rng.randint(0, limit), limit + rng.randint(1, 4)), weights=(88, 12))[0]
        done = working_days_after(accepted, used)
        if limit and rng.random() < 0.15:  # corrections, or a suspension, before the work is done
            before = rng.randint(0, max(0, used - 1))
            stop = working_days_after(accepted, before)
            add(stop, {"event": rng.choice(("materials_requested", "materials_requested", "suspended")), "case": case})
            if rng.random() < 0.1:
                continue  # still stopped at the end
            resumed = working_days_after(stop, rng.randint(1, 8))
            add(resumed, {"event": "resumed", "case": case})
            done = working_days_after(resumed, used - before)
        if rng.random() < 0.1:
            continue  # still open
        late_report = working_days_after(done, 1) if rng.random() < 0.03 else None
        add(done, {"event": "completed", "case": case}, late_report)
        after = late_report or done
        if rng.random() < 0.6:
            add(after, {"event": "rated", "case": case,
                        "rating": rng.choices(("非常满意", "满意", "基本满意", "不满意", "very_dissatisfied"),
                                              weights=(60, 25, 8, 5, 2))[0]})
        if rng.random() < 0.03:
            add(after, {"event": "complaint_received", "case": case, "complaint": "1"})
            if rng.random() < 0.8:
                add(working_days_after(after, rng.randint(1, 20)),
                    {"event": "complaint_answered", "case": case, "complaint": "1"})
    reported.sort(key=lambda entry: (entry[0], entry[1]))
    return [event for _, _, event in reported]


def replay_figures(lines: list[str], engine_name: str, regulation: str, as_of: dt.date, level: str | None = None) -> tuple:
    from checker.paths import bundled
    from checker.ruleset.regulations import load_register
    from checker.ruleset.rules import warning_files
    from checker.watch.engines import get_engine
    from checker.watch.events import read_events
    from checker.watch.run import choose_policy, load_warning_rules, replay
    from checker.watch.watcher import Watcher
    register = load_register(bundled("regulations"))
    policy = choose_policy(load_warning_rules(warning_files(bundled("rules")), register), regulation, register,
                           level=level)
    began = time.perf_counter()
    events = read_events(lines, "bench")
    watcher = Watcher(policy, get_engine(engine_name))
    transitions = replay(events, watcher, as_of)
    return time.perf_counter() - began, len(events), transitions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regulation", default="jining-2018")
    parser.add_argument("--level", default="county", help="the hall's level (济宁 art.14 binds the county centre)")
    parser.add_argument("--engines", default="python,durable")
    parser.add_argument("--write", type=Path, help="also write the stream here (JSON Lines)")
    args = parser.parse_args()
    events = month_of_events(args.cases, args.seed)
    lines = [json.dumps(event, ensure_ascii=False) for event in events]
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
    as_of = dt.date(2024, 10, 31)  # the last day of the month the events cover
    print(f"{args.cases} cases, {len(lines)} events (seed {args.seed}), {args.regulation}, clock to {as_of}")
    results = {}
    for name in args.engines.split(","):
        seconds, count, transitions = replay_figures(lines, name, args.regulation, as_of, args.level)
        results[name] = [t.to_json() for t in transitions]
        print(f"  {name:8} {seconds:6.2f} s  {count / seconds:8.0f} events/s  {len(transitions)} transitions")
    if len(results) > 1:
        first, *rest = results.values()
        print("  identical transitions on every engine:", all(other == first for other in rest))


if __name__ == "__main__":
    main()
