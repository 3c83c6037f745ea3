"""Case exports (办件导出) as events: the platform's case ledger, read through an import
mapping (`hallcheck import`, checker.input.imports) into the hall's `cases`, becomes one `accepted`
event per case and a `completed` event for each completed one, each located at its cell.

A case's promised limit is its item's (the hall's items, `promised_limit_days` in working days),
else the working days from its acceptance to its due date (承诺办结日期, `due_on`); a case with
neither is refused at its cell, as an event without a limit is. An export says nothing of
corrections or suspensions, so its clocks never stop.
"""

from __future__ import annotations

from ..input import workdays
from .events import Event


def events_from_cases(hall) -> list[Event]:
    """The events of a validated hall's cases (checker.validate.Hall), in the order of their days."""
    departments = {str(item["code"]): item.get("department") for item in hall.data.get("items") or ()}
    events = []
    for index, case in enumerate(hall.data.get("cases") or ()):
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
