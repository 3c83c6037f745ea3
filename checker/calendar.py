"""Dates as the regulations count them: calendar days, completed months and years, and working
days on China's official calendar (statutory holidays off, weekend days made working days on).

The official calendar is published a year at a time; the `chinese_calendar` package carries it.
A span that reaches a year the package does not know cannot be counted: that is `None` here,
and a rule that needs it is reported `unknown`, never guessed.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar


class CalendarGap(Exception):
    """The official calendar for a year is not known."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


@functools.lru_cache(maxsize=None)
def known_years() -> tuple[int, int]:
    years = sorted({day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays})
    return years[0], years[-1]


@functools.lru_cache(maxsize=None)
def _working_days_before() -> tuple[dt.date, list[int]]:
    """For each day of the known years, how many working days come before it.

    Built once from the package's tables: asking the package day by day costs a scan of its
    whole table per question (it validates every date against the table's min and max).
    """
    first, last = known_years()
    start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
    holidays, workdays = set(chinese_calendar.holidays), set(chinese_calendar.workdays)
    counts, total, day = [], 0, start
    while day <= end:
        counts.append(total)
        total += day in workdays or (day.weekday() < 5 and day not in holidays)
        day += dt.timedelta(days=1)
    counts.append(total)  # the day after the last known one
    return start, counts


def is_working_day(day: dt.date) -> bool:
    return working_days_between(day - dt.timedelta(days=1), day) == 1


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (applied Monday, done Wednesday: 2).

    Negative when `end` is before `start`.
    """
    if end < start:
        return -working_days_between(end, start)
    first, counts = _working_days_before()
    for day in (start + dt.timedelta(days=1), end):
        offset = (day - first).days
        if not 0 <= offset < len(counts) - 1:
            raise CalendarGap(day.year)
    if start == end:
        return 0
    # days start+1 .. end inclusive
    return counts[(end - first).days + 1] - counts[(start - first).days + 1]


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
    while True:
        end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        if end > until:
            return out
        out.append((year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
