"""What a supervisor reports upward after a replay: per department, the open cases by colour,
the cases completed and completed late, the overdue count (open and red, or completed late),
and the average working days the completed cases used against the average they promised (over
the cases timed in working days: 当场办结 counts calendar days);
then the complaints and the ratings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..reports.messages import render
from ..reports.terminal import visible
from .events import BAD_RATINGS
from .state import COLOURS, Clock


@dataclass(frozen=True)
class Row:
    department: str | None
    open: dict  # colour -> open cases
    completed: int
    completed_late: int
    used_average: float | None  # over the completed cases
    promised_average: float | None

    @property
    def overdue(self) -> int:
        return self.open["red"] + self.completed_late

    def to_json(self) -> dict:
        return {"department": self.department, "open": dict(self.open), "completed": self.completed,
                "completed_late": self.completed_late, "overdue": self.overdue,
                "used_average": self.used_average, "promised_average": self.promised_average}


@dataclass(frozen=True)
class Summary:
    day: dt.date | None
    regulation: str
    engine: str
    rows: tuple[Row, ...]
    total: Row
    complaints: dict
    ratings: dict
    transitions: dict  # transition -> count, of this run

    def to_json(self) -> dict:
        return {"as_of": self.day.isoformat() if self.day else None, "regulation": self.regulation,
                "engine": self.engine, "departments": [row.to_json() for row in self.rows],
                "total": self.total.to_json(), "complaints": self.complaints, "ratings": self.ratings,
                "transitions": self.transitions}


def summary(clocks: dict[str, Clock], day: dt.date | None, regulation: str, engine: str, transitions) -> Summary:
    # the cases a rule times (under kaifeng-2014, a 报批件 is timed by no rule)
    cases = [clock for clock in clocks.values() if clock.subject == "case" and clock.limit is not None]
    by_department: dict = {}
    for clock in cases:
        by_department.setdefault(clock.department, []).append(clock)
    rows = tuple(_row(name, by_department[name], day) for name in sorted(by_department, key=lambda d: (d is None, d or "")))
    complaints = [clock for clock in clocks.values() if clock.subject == "complaint"]
    return Summary(day, regulation, engine, rows, _row(None, cases, day),
                   {"received": len(complaints), "open": sum(c.open for c in complaints),
                    "open_red": sum(c.open and c.colour == "red" for c in complaints),
                    "answered_late": sum(bool(c.late) for c in complaints)},
                   {"rated": sum(c.rating is not None for c in cases),
                    "dissatisfied": sum(c.rating in BAD_RATINGS for c in cases)},
                   dict(sorted(Counter(t.transition for t in transitions).items())))


def _row(department, cases: list[Clock], day) -> Row:
    running = Counter(clock.colour for clock in cases if clock.open)
    done = [clock for clock in cases if not clock.open]
    timed = [clock for clock in done if clock.unit == "working_days"]  # the averages are in working days
    return Row(department, {colour: running.get(colour, 0) for colour in COLOURS}, len(done),
               sum(bool(clock.late) for clock in done),
               round(sum(clock.used(day) for clock in timed) / len(timed), 2) if timed else None,
               round(sum(clock.limit for clock in timed) / len(timed), 2) if timed else None)


def summary_table(found: Summary, lang: str):
    """The summary as a rich Table and the lines under it."""
    from rich.table import Table
    table = Table(title=render("watch.summary_title", {"day": found.day.isoformat() if found.day else "—",
                                                       "regulation": found.regulation}, lang),
                  title_justify="left")
    for key in ("department", "green", "yellow", "red", "completed", "completed_late", "overdue", "average"):
        # at 80 columns a department's name wraps rather than losing its end; counts never wrap
        table.add_column(render(f"watch.column.{key}", {}, lang), justify="left" if key == "department" else "right",
                         overflow="fold", min_width=10 if key == "department" else None)
    for row in found.rows + (found.total,):
        name = render("watch.total", {}, lang) if row is found.total else \
            (visible(row.department) if row.department else render("watch.no_department", {}, lang))
        average = "—" if row.used_average is None else f"{row.used_average:g} / {row.promised_average:g}"
        table.add_row(name, *(str(row.open[c]) for c in COLOURS), str(row.completed), str(row.completed_late),
                      str(row.overdue), average, end_section=row is found.rows[-1] if found.rows else False)
    lines = [render("watch.complaints_line", found.complaints, lang),
             render("watch.ratings_line", found.ratings, lang),
             render("watch.transitions_line", {"counts": _counts(found.transitions, lang) or "—",
                                               "engine": found.engine}, lang)]
    return table, lines


def _counts(transitions: dict, lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{render('watch.transition.' + name, {}, lang)} {count}" for name, count in transitions.items())

