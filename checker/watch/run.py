"""Running a watcher: its policy and item catalogue, its input (a recorded stream, standard
input, or a file that grows), and when its state is saved and its transitions emitted.

Transitions are emitted only after the state that records them is saved: a watcher stopped at
any point has either saved a transition and emitted it, or done neither, and then emits it once
when it reads that event again. The state is saved whenever the input has nothing more for now
(a live run's transitions come out as soon as their event is read), every SAVE_EVERY events of
a backlog, and at the end.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..input.schema import canonical
from ..problems import InputError, Location, Problem
from ..ruleset.regulations import Regulation, hall_options
from .events import parse_line
from .policy import Policy, WarningRule, collect_warning_rules, policy_for
from .watcher import Transition, Watcher

SAVE_EVERY = 500
IDLE = (None, None)  # what a followed file yields when it has nothing more for now


def choose_policy(rules: list[WarningRule], regulation: str | None, register: dict[str, Regulation] | None = None,
                  hall=None, level: str | None = None, kind: str | None = None) -> Policy:
    """The warning rules of `regulation` (without one, of the only regulation that has any)
    that reach the hall: as a check rule's, a warning rule's applies_to narrows the levels and
    kinds of hall its regulation governs. The hall's level and kind come from the hall file,
    else from `level` and `kind` (the options --level, --kind); a rule that narrows them while
    neither says them is refused rather than run on halls its clause may not bind."""
    known = sorted({rule.regulation for rule in rules})
    if regulation is None:
        if len(known) != 1:
            raise InputError([Problem("watch.needs_regulation", Location("--regulation"), {"known": ", ".join(known)})])
        regulation = known[0]
    governs = (register or {}).get(regulation)
    level, kind = _hall_identity(governs, hall, level, kind)
    policy = policy_for(rules, regulation, level, kind)
    if policy is None:
        raise InputError([Problem("watch.no_rules", Location("--regulation"),
                                  {"regulation": regulation, "known": ", ".join(known) or "—"})])
    outside = governs is not None and ((level is not None and level not in governs.levels)
                                       or (kind is not None and kind not in governs.kinds))
    if outside or not policy.rules:
        where = hall.document.locate(("hall",)) if hall is not None else Location("--level" if level else "--kind")
        raise InputError([Problem("watch.not_reached", where, {"regulation": regulation, "level": level, "kind": kind})])
    unsure = [Problem(code, Location(option), {"rule": rule.id, "values": ", ".join(values)})
              for rule in policy.rules
              for code, option, given, values in (("watch.needs_level", "--level", level, rule.levels),
                                                  ("watch.needs_kind", "--kind", kind, rule.kinds))
              if given is None and values is not None]
    if unsure:
        raise InputError(unsure)
    return policy


def _hall_identity(governs: Regulation | None, hall, level: str | None, kind: str | None) -> tuple:
    """The hall's level and kind: the hall file's, else the options' (checked against the
    regulation); InputError at an option the hall file contradicts."""
    problems: list[Problem] = []
    level, kind = hall_options(governs, level, kind, problems)
    if hall is not None:
        written = (hall.data["hall"].get("level"), hall.data["hall"].get("kind"))
        for option, given, says in zip(("--level", "--kind"), (level, kind), written):
            if given is not None and says is not None and given != says:
                problems.append(Problem("watch.level_conflict", Location(option),
                                        {"value": given, "hall": says}))
        level, kind = written[0] or level, written[1] or kind
    if problems:
        raise InputError(problems)
    return level, kind


def load_warning_rules(paths: list[Path], register: dict[str, Regulation], display=str) -> list[WarningRule]:
    rules, problems = collect_warning_rules(paths, register, display)
    if problems:
        raise InputError(problems)
    return rules


def item_limits(hall) -> dict[str, tuple[int, str]]:
    """Item code -> (promised limit, its unit: working_days or calendar_days), from a validated
    hall (checker.input.validate.Hall): the item's `limit_unit`, working days where it gives none."""
    return {str(item["code"]): (item["promised_limit_days"], item.get("limit_unit") or "working_days")
            for item in hall.data.get("items") or () if item.get("promised_limit_days") is not None}


def item_modes(hall) -> dict[str, str]:
    """Item code -> handling mode (immediate, committed, ...), from a validated hall."""
    return {str(item["code"]): canonical("handling_mode", item["mode"]) or item["mode"]
            for item in hall.data.get("items") or () if item.get("mode") is not None}


def lines_of(stream, follow: bool = False, poll: float = 0.5, sleep=time.sleep, waiting=None) -> Iterator[tuple]:
    """(line number, text) of a binary stream; IDLE whenever reading on would wait: with
    `follow`, at its end for now (and then the lines written to it later); with `waiting` (a
    function telling whether the next read would block, as on a pipe), before such a read. A
    last line without its newline is only taken once the stream has ended (a writer may still
    be writing it)."""
    number, pending = 0, b""
    while True:
        if waiting is not None and waiting():
            yield IDLE
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


def pipe_waiting(stream):
    """For lines_of: whether reading `stream` (standard input) would wait. Where that cannot be
    asked (select on a pipe is POSIX only), every read is taken as one that may wait."""
    import select
    try:
        fd = stream.fileno()
        select.select([fd], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return lambda: True
    return lambda: not select.select([fd], [], [], 0)[0]


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
    watcher's clock moves to `today()` (the daily tick of a live run), its state is saved and
    the transitions held since the last save are emitted; a backlog is saved every SAVE_EVERY
    events. A bad line stops the run (InputError) after what came before it is saved and emitted."""
    pending, held = 0, []

    def flush() -> None:
        nonlocal pending
        save()
        pending = 0
        emit(held[:])
        held.clear()

    try:
        for number, raw in lines:
            if number is None:
                held.extend(watcher.advance(today()))
                flush()
                idle()
                continue
            event = parse_line(decoded(number, raw, file), file, number)
            if event is None:
                continue
            held.extend(watcher.feed(event))
            pending += 1
            if pending >= SAVE_EVERY:
                flush()
        held.extend(watcher.advance(today()))
    finally:
        flush()


def replay(events, watcher: Watcher, as_of: dt.date | None) -> list[Transition]:
    """Every transition of a recorded stream, run to its end and then to `as_of`."""
    out = []
    for event in events:
        out += watcher.feed(event)
    if as_of is not None:
        out += watcher.advance(as_of)
    return out
