"""Holiday notices a user supplies: `--calendar FILE` (or HALLCHECK_CALENDAR), read into
checker.input.workdays.Notice values and laid over the packaged calendar.

China publishes next year's holidays late in the year (the State Council's notice), and the
Python packages follow weeks later; an office without internet never gets them. So a notice can
be given as data, in this project's YAML (`hallcheck schema calendar`) or in the holiday-cn JSON
layout that many sites mirror (`{year, papers, days: [{name, date, isOffDay}]}`). Every problem
in such a file is reported at its line and column, and the run stops (exit 2): a wrong calendar
would quietly move every working-day count.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .workdays import Notice
from .load import load_file
from ..problems import InputError, Location, Problem
from .validate import schema_problems

ENVIRONMENT = "HALLCHECK_CALENDAR"  # a list of files, separated like PATH (os.pathsep)


def calendar_files(option: list[Path] | None, environ=os.environ,
                   configured: tuple[list[Path], str] = ((), "")) -> list[tuple[str, str]]:
    """The calendar files to use and where each was named, the first source that names any
    winning: the command line, then the environment, then the configuration file
    (`configured`: its files and where it names them)."""
    sources = [
        ("--calendar", [str(path) for path in option or []]),
        (ENVIRONMENT, [part for part in environ.get(ENVIRONMENT, "").split(os.pathsep) if part]),
        (configured[1], [str(path) for path in configured[0]]),
    ]
    for origin, files in sources:
        if files:
            return [(file, origin) for file in files]
    return []


def load_notices(files: list[tuple[str, str]], display) -> tuple[Notice, ...]:
    """Every notice in `files` ((path, where it was named)), or InputError with every problem."""
    problems, notices, seen = [], [], {}
    for path, _origin in files:
        try:
            notice, where = _read_notice(path, display(Path(path)))
        except InputError as err:
            problems.extend(err.problems)
            continue
        if notice.year in seen:
            problems.append(Problem("calendar.duplicate_year", where, {"year": notice.year, "other": seen[notice.year]}))
            continue
        seen[notice.year] = notice.file
        notices.append(notice)
    if problems:
        raise InputError(problems)
    return tuple(notices)


def load_notice(path: str, name: str) -> Notice:
    """The notice in one file, or InputError with every problem located in it."""
    return _read_notice(path, name)[0]


def _read_notice(path: str, name: str) -> tuple[Notice, Location]:
    """The notice, and where its year is written."""
    document = load_file(path, display_name=name)
    problems = schema_problems(document, "calendar")
    if problems:
        raise InputError(problems)
    data = document.data
    if "days" in data:
        entries = _holiday_cn_days(data)
        document_number, papers = None, tuple(data.get("papers") or ())
    else:
        entries = _notice_days(data)
        document_number, papers = data["document"], ()
    problems = _day_problems(document, data["year"], entries)
    if problems:
        raise InputError(problems)
    off = frozenset(day for day, is_off, _ in entries if is_off)
    working = frozenset(day for day, is_off, _ in entries if not is_off)
    return Notice(data["year"], document_number, name, off, working, papers), document.locate(("year",))


def _holiday_cn_days(data: dict) -> list[tuple[dt.date, bool, tuple]]:
    return [(dt.date.fromisoformat(day["date"]), day["isOffDay"], ("days", i, "date"))
            for i, day in enumerate(data["days"])]


def _notice_days(data: dict) -> list[tuple[dt.date, bool, tuple]]:
    """(day, off?, where it is written) for every day the notice names."""
    out = []
    for i, holiday in enumerate(data["holidays"]):
        first, last = dt.date.fromisoformat(holiday["from"]), dt.date.fromisoformat(holiday["to"])
        day = first
        while day <= last:
            out.append((day, True, ("holidays", i)))
            day += dt.timedelta(days=1)
    out += [(dt.date.fromisoformat(day), False, ("working_days", i)) for i, day in enumerate(data["working_days"])]
    return out


def _day_problems(document, year: int, entries) -> list[Problem]:
    """What the schema cannot say: a range backwards, a day far from the notice's year, a
    working day that is not a weekend day, a day both off and working."""
    problems = []
    if "holidays" in document.data:
        for i, holiday in enumerate(document.data["holidays"]):
            if holiday["to"] < holiday["from"]:
                problems.append(Problem("calendar.reversed", document.locate(("holidays", i, "to")),
                                        {"start": holiday["from"], "end": holiday["to"]}))
    status: dict[dt.date, tuple[bool, tuple]] = {}
    for day, is_off, path in entries:
        if abs(day.year - year) > 1:
            problems.append(Problem("calendar.outside_year", document.locate(path), {"day": day, "year": year}))
        if not is_off and day.weekday() < 5:
            problems.append(Problem("calendar.not_weekend", document.locate(path), {"day": day}))
        earlier = status.setdefault(day, (is_off, path))
        if earlier[0] != is_off:
            problems.append(Problem("calendar.both", document.locate(path),
                                    {"day": day, "line": document.locate(earlier[1]).line}))
    return problems
