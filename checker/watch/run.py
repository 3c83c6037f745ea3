"""Running a watcher: its policy and item catalogue, its input (a recorded stream, standard
input, or a file that grows), and when its state is saved and its transitions emitted.

Transitions are emitted only after the state that records them is saved: a watcher stopped at
any point has either saved a transition and emitted it, or done neither, and then emits it once
when it reads that event again. Events that bring no transition are saved with the next one
that does, every SAVE_EVERY events, and whenever the input has nothing more for now.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..problems import InputError, Location, Problem
from ..ruleset.regulations import Regulation
from .events import parse_line
from .policy import Policy, WarningRule, collect_warning_rules, policy_for
from .watcher import Transition, Watcher

SAVE_EVERY = 500
IDLE = (None, None)  # what a followed file yields when it has nothing more for now


def choose_policy(rules: list[WarningRule], regulation: str | None) -> Policy:
    """The warning rules of `regulation`; without one, of the only regulation that has any."""
    known = sorted({rule.regulation for rule in rules})
    if regulation is None:
        if len(known) != 1:
            raise InputError([Problem("watch.needs_regulation", Location("--regulation"), {"known": ", ".join(known)})])
        regulation = known[0]
    policy = policy_for(rules, regulation)
    if policy is None:
        raise InputError([Problem("watch.no_rules", Location("--regulation"),
                                  {"regulation": regulation, "known": ", ".join(known) or "—"})])
    return policy


def load_warning_rules(paths: list[Path], register: dict[str, Regulation], display=str) -> list[WarningRule]:
    rules, problems = collect_warning_rules(paths, register, display)
    if problems:
        raise InputError(problems)
    return rules


def item_limits(hall) -> dict[str, int]:
    """Item code -> promised limit in working days, from a validated hall (checker.input.validate.Hall).
    An item whose limits count calendar days is left out: its cases must give their limit."""
    limits = {}
    for item in hall.data.get("items") or ():
        unit = item.get("limit_unit")
        if item.get("promised_limit_days") is not None and unit in (None, "working_days", "工作日"):
            limits[str(item["code"])] = item["promised_limit_days"]
    return limits


def lines_of(stream, follow: bool = False, poll: float = 0.5, sleep=time.sleep) -> Iterator[tuple]:
    """(line number, text) of a binary stream; with `follow`, IDLE whenever it has nothing more
    for now and then the lines written to it later. A last line without its newline is only
    taken once the stream has ended (a writer may still be writing it)."""
    number, pending = 0, b""
    while True:
        chunk = stream.readline()
        if chunk:
            pending += chunk
            if pending.endswith(b"\n"):
                number += 1
                yield number, pending
                pending = b""
            continue
        if not follow:
            if pending:
                yield number + 1, pending
            return
        yield IDLE
        sleep(poll)


def decoded(number: int, raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError([Problem("file.not_utf8", Location(file, number, err.start + 1), {"byte": hex(raw[err.start])})]) from None
    return text.lstrip("\ufeff") if number == 1 else text


def watch_lines(lines: Iterable[tuple], file: str, watcher: Watcher, save: Callable[[], None],
                emit: Callable[[list[Transition]], None], idle: Callable[[], None],
                today: Callable[[], dt.date]) -> None:
    """Feed every line to the watcher until the input ends. Whenever the input is idle the
    watcher's clock moves to `today()` (the daily tick of a live run). A bad line stops the run
    (InputError) after what came before it is saved and emitted."""
    pending = 0
    try:
        for number, raw in lines:
            if number is None:
                out = watcher.advance(today())
                save()
                pending = 0
                emit(out)
                idle()
                continue
            event = parse_line(decoded(number, raw, file), file, number)
            if event is None:
                continue
            out = watcher.feed(event)
            pending += 1
            if out or pending >= SAVE_EVERY:
                save()
                pending = 0
                emit(out)
        out = watcher.advance(today())
    finally:
        save()
    emit(out)


def replay(events, watcher: Watcher, as_of: dt.date | None) -> list[Transition]:
    """Every transition of a recorded stream, run to its end and then to `as_of`."""
    out = []
    for event in events:
        out += watcher.feed(event)
    if as_of is not None:
        out += watcher.advance(as_of)
    return out
