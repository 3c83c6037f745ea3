"""Dates as the regulations count them: calendar days, completed months and years, and working
days on China's official calendar (statutory holidays off, weekend days made working days on).

How a span is counted, defined here once for every rule:

| function                     | counts                        | `start`  | `end`    | example                                   |
|------------------------------|-------------------------------|----------|----------|-------------------------------------------|
| days_between(start, end)     | calendar days                 | not in   | in       | 2024-03-01 -> 2024-03-03: 2               |
| working_days_between(s, e)   | official working days         | not in   | in       | applied Mon, done Wed: 2 (Tue, Wed)       |
| months_between(start, end)   | completed calendar months     | not in   | in       | 2019-03-15 -> 2019-05-14: 1; -> 05-15: 2  |
| years_between(start, end)    | completed months / 12         | not in   | in       | 2022-03-14 -> 2024-03-14: 2.0             |
| span(unit, first, last,      | any of the above, for a       | in       | in       | stationed 2022-03-15, last day served     |
|      first_day=True)         | stretch from its first day    |          |          | 2024-03-14: 2 years                       |

Every date is read as the day something happened, and a span counts from the day after it, as
the Civil Code counts a period (民法典 arts. 201-203: the first day is not counted; a period of
months or years ends on the corresponding day of the last month, or on that month's last day
when it has none): "applied on Monday, decided on Wednesday" took 2 working days, and a month
from 01-31 is complete on 02-28 (02-29 in a leap year).

A date that is the *first day of a stretch*, counted in it (the hall schema marks such fields
`x-day: first`, e.g. `stationed_from`), is measured from the day before it, so that the day
itself is in; a last day (`stationed_until`, "the last day served, inclusive") is the end as it
stands. `span(..., first_day=True)` does this for every unit. So someone stationed from
2022-03-15 whose last day at the window was 2024-03-14 served two full years; from 2022-03-01
the two years are complete on 2024-02-28 (the corresponding day of 2022-02-28); 2024-02-01 to
2024-02-29, a leap February served in full, is 29 days.

The official calendar is published a year at a time: the `chinese_calendar` package carries
it, and a notice the user gives (`--calendar FILE`, see checker/input/notices.py) is laid over it
with `use_notices`. A span that reaches a year neither knows cannot be counted: CalendarGap
here, and a rule that needs it is reported `unknown`, never guessed. A span that ends in the
last two weeks of a year whose successor is not yet known is counted, but `provisional_year`
says so: next year's notice often moves those days (the New Year holiday and the weekend
days made working days around it).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar

PROVISIONAL_DAYS = 14  # the last two weeks of a year: next year's notice can still move them


class CalendarGap(Exception):
    """The official calendar for a year is not known."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


@dataclass(frozen=True)
class Notice:
    """One year's official holiday arrangement (the State Council's notice), as data."""

    year: int
    document: str | None  # its document number, e.g. 国办发明电〔2025〕7号
    file: str  # where it was read from, as shown to the user
    days_off: frozenset  # dates of the holidays, weekends inside them included
    working_days: frozenset  # weekend days made working days (调休上班)
    papers: tuple = ()  # where the notice is published (the holiday-cn layout's `papers`)

    def citation(self) -> dict:
        return {"year": self.year, "document": self.document, "file": self.file, "papers": list(self.papers)}


_notices: list[tuple[Notice, ...]] = [()]


def use_notices(notices) -> None:
    """Lay these notices over the packaged calendar, for every count from now on. A notice is
    the authority for its year: the package's entries for that year are set aside."""
    notices = tuple(sorted(notices, key=lambda n: n.year))
    if notices != _notices[0]:
        _notices[0] = notices
        _table.cache_clear()


def notices() -> tuple[Notice, ...]:
    """The notices in use (`use_notices`), by year."""
    return _notices[0]


def _package_years() -> set[int]:
    return {day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays}


@dataclass(frozen=True)
class _Table:
    first: dt.date
    counts: list  # working days before each day from `first`, one more entry for the day after the last
    years: frozenset  # the years whose calendar is known


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    """For each day of the known years, how many working days come before it.

    Built once from the tables: asking the package day by day costs a scan of its whole table
    per question (it validates every date against the table's min and max)."""
    laid = {notice.year: notice for notice in notices()}
    years = _package_years() | set(laid)
    days_off = {d for d in chinese_calendar.holidays if d.year not in laid}
    working = {d for d in chinese_calendar.workdays if d.year not in laid}
    for notice in laid.values():
        days_off |= notice.days_off
        working |= notice.working_days
    working -= {d for n in laid.values() for d in n.days_off}
    days_off -= {d for n in laid.values() for d in n.working_days}
    start, end = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    counts, total, day = [], 0, start
    while day <= end:
        counts.append(total)
        total += day in working or (day.weekday() < 5 and day not in days_off)
        day += dt.timedelta(days=1)
    counts.append(total)
    return _Table(start, counts, frozenset(years))


def known_years() -> frozenset:
    return _table().years


def is_working_day(day: dt.date) -> bool:
    return working_days_between(day - dt.timedelta(days=1), day) == 1


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (applied Monday, done Wednesday: 2).

    Negative when `end` is before `start`; CalendarGap when a year between is not known."""
    if end < start:
        return -working_days_between(end, start)
    if start == end:
        return 0
    table = _table()
    for year in range((start + dt.timedelta(days=1)).year, end.year + 1):
        if year not in table.years:
            raise CalendarGap(year)
    # days start+1 .. end inclusive
    return table.counts[(end - table.first).days + 1] - table.counts[(start - table.first).days + 1]


def provisional_year(start: dt.date, end: dt.date) -> int | None:
    """The year whose calendar is not yet known but could still move the days this span counts:
    the span ends in the last two weeks of a year whose successor is not published. None when
    the count is settled."""
    last = max(start, end)
    if last.year + 1 in known_years():
        return None
    if (dt.date(last.year, 12, 31) - last).days < PROVISIONAL_DAYS:
        return last.year + 1
    return None


def months_between(start: dt.date, end: dt.date) -> int:
    """Completed calendar months from `start` to `end` (2019-03-15 -> 2019-05-14 is 1)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day and not _is_month_end(end):
        months -= 1
    return months


def years_between(start: dt.date, end: dt.date) -> float:
    """Completed months as years: 23 months is 1.92 years, never rounded up to 2."""
    return months_between(start, end) / 12


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def span(unit: str, start: dt.date, end: dt.date, first_day: bool = False) -> float:
    """`start` to `end` in `unit` (days, working_days, months, years) as the table above counts;
    with `first_day`, `start` is the first day of a stretch and is counted in it too."""
    if first_day:
        start -= dt.timedelta(days=1)
    return float({"days": days_between, "working_days": working_days_between, "months": months_between,
                  "years": years_between}[unit](start, end))


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def half_year(day: dt.date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def complete_half_years(since: dt.date, until: dt.date) -> list[tuple[int, int]]:
    """Half-years that start on or after `since` and have ended by `until`."""
    year, half = half_year(since)
    if (dt.date(year, 1 if half == 1 else 7, 1)) < since:
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    out = []
    while year <= dt.MAXYEAR:  # an audit on 9999-12-31: the half-year after it does not exist
        end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        if end > until:
            return out
        out.append((year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return out
