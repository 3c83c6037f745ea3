"""The live view on a terminal: the open cases by colour, red first, refreshed as events
arrive; each transition is printed above it as one line. Every text the events carry is shown
through checker.reports.terminal.visible (no escape sequence of a case id reaches the terminal)."""

from __future__ import annotations

from ..reports.messages import render
from ..reports.terminal import visible
from .state import Clock
from .watcher import Transition

STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green"}
ORDER = {"red": 0, "yellow": 1, "green": 2}
ROWS = 30  # the view shows the most urgent; the rest are counted


def open_cases_table(clocks: dict[str, Clock], day, regulation: str, lang: str, rows: int = ROWS):
    from rich.table import Table
    from rich.text import Text
    cases = [clock for clock in clocks.values() if clock.subject == "case" and clock.limit is not None]
    running = [clock for clock in cases if clock.open]
    counts = {colour: sum(clock.colour == colour for clock in running) for colour in ORDER}
    title = render("watch.live_title", {"regulation": regulation, "day": day.isoformat() if day else "—",
                                        "completed": len(cases) - len(running), **counts}, lang)
    table = Table(title=title, title_justify="left")
    for key in ("colour", "case", "department", "item", "used", "remaining"):
        table.add_column(render(f"watch.column.{key}", {}, lang), justify="right" if key in ("used", "remaining") else "left")
    urgent = sorted(running, key=lambda c: (ORDER[c.colour], c.remaining(day) if day else 0, c.case))
    for clock in urgent[:rows]:
        table.add_row(Text(render(f"watch.colour.{clock.colour}", {}, lang), style=STYLE[clock.colour]),
                      Text(visible(clock.case)), Text(visible(clock.department or "—")), Text(visible(clock.item or "—")),
                      f"{clock.used(day)}/{clock.limit}" if day else "—", str(clock.remaining(day)) if day else "—")
    if len(urgent) > rows:
        table.caption = render("watch.live_more", {"count": len(urgent) - rows}, lang)
    return table


def transition_line(transition: Transition, lang: str) -> str:
    return render("watch.transition_line", {
        "on": transition.on.isoformat(), "subject": render(f"watch.subject.{transition.subject}", {}, lang),
        "case": visible(transition.case), "department": visible(transition.department or "—"),
        "change": render(f"watch.transition.{transition.transition}", {}, lang), "used": transition.used,
        "limit": transition.limit, "unit": render(f"watch.unit.{transition.unit}", {}, lang), "clause": transition.clause}, lang)


class LiveView:
    """The open cases' table kept on the terminal (rich.live), transitions printed above it."""

    def __init__(self, console, watcher, lang: str):
        from rich.live import Live
        self.watcher, self.lang, self.console = watcher, lang, console
        self.live = Live(self._table(), console=console, auto_refresh=False, transient=False)

    def _table(self):
        rows = max(5, min(ROWS, self.console.height - 8))  # the most urgent that fit on the screen
        return open_cases_table(self.watcher.clocks, self.watcher.day, self.watcher.policy.regulation, self.lang, rows)

    def __enter__(self):
        self.live.__enter__()
        return self

    def __exit__(self, *exc):
        self.refresh()
        return self.live.__exit__(*exc)

    def emit(self, transitions) -> None:
        for transition in transitions:
            self.live.console.print(transition_line(transition, self.lang), markup=False, highlight=False)
        self.refresh()

    def refresh(self) -> None:
        self.live.update(self._table(), refresh=True)
