"""Case exports (办件导出) as events: the platform's case ledger, read through an import
mapping (`hallcheck import`, checker.input.imports) into the hall's `cases`, becomes one `accepted`
event per case and a `completed` event for each completed one, each located at its cell.

A case's promised limit is the working days from its acceptance to its due date (承诺办结日期,
`due_on`), else its item's (the hall's items, `promised_limit_days` in their `limit_unit`); a
case with neither is refused at its cell, as an event without a limit is. An export says
nothing of corrections or suspensions, so its clocks never stop.

A case whose materials were incomplete when applied for (`materials_incomplete: true`) and that
has no due date becomes no event: its limit runs from complete materials, a day the export does
not give, and the check rules do not judge such a case either (jining-2018 art5,
kaifeng-2014 art23-2-committed-cases); timed from its application, it would turn red early. One
with a due date is timed to that date, as the check rules on due dates judge it
(kaifeng-2014 art23-2-committed-due-date, longgang-2020 s3-3-1-completed-on-time): the hall
counted it from complete materials.
"""

from __future__ import annotations

from ..input import workdays
from .events import Event


def events_from_cases(hall) -> list[Event]:
    """The events of a validated hall's cases (checker.input.validate.Hall), in the order of their days,
    but for the cases whose limit's first day is not known (incomplete materials, no due date)."""
    departments = {str(item["code"]): item.get("department") for item in hall.data.get("items") or ()}
    events = []
    for index, case in enumerate(hall.data.get("cases") or ()):
        if case.get("materials_incomplete") is True and case.get("due_on") is None:
            continue  # its limit's first day is not known (see above)
        ident = str(case.get("id") or f"cases[{index}]")
        item = str(case["item"]) if case.get("item") is not None else None
        limit = None
        if case.get("due_on") is not None:
            limit = max(0, workdays.working_days_between(case["applied_on"], case["due_on"]))
        events.append(Event(f"export:{ident}:accepted", "accepted", ident, case["applied_on"],
                            hall.document.locate(("cases", index, "applied_on")), item, departments.get(item or ""),
                            limit))
        if case.get("completed_on") is not None:
            events.append(Event(f"export:{ident}:completed", "completed", ident, case["completed_on"],
                                hall.document.locate(("cases", index, "completed_on"))))
    return sorted(events, key=lambda event: event.on)  # stable: a case's acceptance before its completion
