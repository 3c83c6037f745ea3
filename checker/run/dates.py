"""Who chose the audit date, and how old the data is: notices every report format shows.

The audit date is `--as-of`, else the hall file's own `as_of`, else today. A hall file's
`as_of` is the date its data is true for, but when it also decides the audit date, the audited
party has chosen it: `as_of: 2000-01-01` switches every regulation off. So:

- a hall whose own `as_of` decided the audit date carries the notice `audit.date_from_file`,
  shown prominently in every format;
- a hall whose data (its `as_of`) is older than `max_age_days` before today carries
  `audit.data_old` (--max-data-age, HALLCHECK_MAX_DATA_AGE; default a year);
- with `refuse_file_date` (--refuse-hall-date, HALLCHECK_REFUSE_HALL_DATE=1, for CI) such a hall
  is not audited at all: it is reported unusable (exit 2) until the run gives --as-of.

A pure function over finished HallReports, as waivers and baselines are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..problems import Location, Problem
from ..audit.results import HallReport

DEFAULT_MAX_AGE_DAYS = 365


def with_date_notices(reports: list[HallReport], today: dt.date, max_age_days: int | None = DEFAULT_MAX_AGE_DAYS,
                      refuse_file_date: bool = False) -> list[HallReport]:
    return [_one(report, today, max_age_days, refuse_file_date) for report in reports]


def with_date_notice(report: HallReport, today: dt.date, max_age_days: int | None = DEFAULT_MAX_AGE_DAYS,
                     refuse_file_date: bool = False) -> HallReport:
    """One hall's report with the same notices (for a run whose reports are a stream)."""
    return _one(report, today, max_age_days, refuse_file_date)


def _one(report: HallReport, today: dt.date, max_age_days: int | None, refuse_file_date: bool) -> HallReport:
    if report.problems:
        return report
    at = Location(report.file, path="as_of")
    if report.as_of_source == "file" and refuse_file_date:
        refused = Problem("audit.hall_date_refused", at, {"date": report.as_of})
        return dataclasses.replace(report, results=(), problems=(refused,))
    notices = list(report.notices)
    if report.as_of_source == "file":
        notices.append(Problem("audit.date_from_file", at, {"date": report.as_of}))
    data_date = report.data_as_of
    if max_age_days is not None and data_date is not None and (today - data_date).days > max_age_days:
        notices.append(Problem("audit.data_old", at, {"date": data_date, "days": (today - data_date).days,
                                                      "limit": max_age_days}))
    return dataclasses.replace(report, notices=tuple(notices))
