"""`hallcheck watch` as a request in and an exit code out: the command line only reads its
options into a WatchRequest. Bad input raises InputError (the command line prints it, exit 2)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ..input import workdays
from ..paths import bundled, display
from ..problems import InputError, Location, Problem


@dataclass(frozen=True)
class WatchRequest:
    lang: str
    events: Path | None = None  # a live run's input; None or - for standard input
    replay: Path | None = None  # a recorded stream to replay
    imports: Path | None = None  # a mapping of case exports to replay (with hall)
    hall: Path | None = None  # its items give the cases' limits
    level: str | None = None  # the hall's level and kind where no hall file says them
    kind: str | None = None
    follow: bool = False
    poll: float = 0.5
    regulation: str | None = None
    as_of: dt.date | None = None
    store: str | None = None  # "" for the default store
    name: str | None = None
    format: str | None = None  # text, json, jsonl; None: by where stdout goes
    engine: str = "auto"
    rules: Path | None = None


def watch(request: WatchRequest) -> int:
    """Run the watcher the request describes; its exit code."""
    if sum(given is not None for given in (request.replay, request.events, request.imports)) > 1:
        raise InputError([Problem("watch.replay_and_file", Location("--replay"))])
    if request.imports is not None and request.hall is None:
        raise InputError([Problem("watch.import_needs_hall", Location("--import"))])
    try:
        watcher = _watcher(request)
        if request.replay is not None or request.imports is not None:
            return _replay(watcher, request)
        return _live(watcher, request)
    except workdays.CalendarGap as gap:
        raise InputError([Problem("watch.calendar_gap", Location("--calendar"), {"year": gap.year})]) from None


def _watcher(request: WatchRequest):
    from ..audit.backends import EngineUnavailable
    from ..ruleset.regulations import load_register
    from ..ruleset.rules import WARNING_SUFFIX, warning_files
    from .engines import get_engine
    from .run import choose_policy, item_limits, item_modes, load_warning_rules
    from .watcher import Watcher
    rules = request.rules
    if rules is not None and not rules.exists():
        raise InputError([Problem("file.not_found", Location(display(rules)))])
    paths = warning_files(rules or bundled("rules")) if rules is None or rules.is_dir() else \
        [rules] if rules.name.endswith(WARNING_SUFFIX) else []
    register = load_register(bundled("regulations"))
    hall = _hall(request.hall, request.imports) if request.hall is not None else None
    policy = choose_policy(load_warning_rules(paths, register, display), request.regulation, register, hall,
                           request.level, request.kind)
    limits, modes = (item_limits(hall), item_modes(hall)) if hall is not None else ({}, {})
    try:
        engine = get_engine(request.engine)
    except EngineUnavailable as err:
        raise InputError([Problem("engine.unavailable", Location("--engine"),
                                  {"engine": err.engine, "reason": err.reason})]) from None
    return Watcher(policy, engine, limits, modes)


def _hall(hall: Path, imports: Path | None):
    """The hall file, with the ledgers of --import merged in."""
    from ..input.load import load_file
    from ..input.validate import validate_hall
    if imports is not None:
        from ..input.imports import imported_hall
        return imported_hall(str(hall), display(hall), str(imports), display(imports))
    return validate_hall(load_file(str(hall), display_name=display(hall)))


def _saver(store: str, name: str, watcher):
    """The watcher's state loaded from the store; a function that saves it there."""
    from ..run.check import open_store
    from . import persist
    opened = open_store(store)
    persist.load(opened, name, watcher)
    return lambda: persist.save(opened, name, watcher)


def _replay(watcher, request: WatchRequest) -> int:
    from ..reports.terminal import stdout_console
    from .run import replay
    from .summary import summary, summary_table
    if request.imports is not None:
        from .exports import events_from_cases
        events, source = events_from_cases(_hall(request.hall, request.imports)), display(request.imports)
    else:
        events, source = recorded_events(request.replay), display(request.replay)
    save = _saver(request.store, request.name or source, watcher) if request.store is not None else None
    transitions = replay(events, watcher, request.as_of)
    if save is not None:
        save()
    found = summary(watcher.clocks, watcher.day, watcher.policy.regulation, watcher.engine.name, transitions)
    if request.format == "jsonl":
        for transition in transitions:
            print(json.dumps(transition.to_json(), ensure_ascii=False))
    elif request.format == "json":
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
    else:
        table, lines = summary_table(found, request.lang)
        console = stdout_console()
        console.print(table)
        for line in lines:
            console.print(line, markup=False)
    return 1 if found.total.overdue or found.complaints["answered_late"] or found.complaints["open_red"] else 0


def recorded_events(path: Path) -> list:
    """Every event of a recorded stream, or every bad line of it (InputError)."""
    from .events import read_events
    from .run import decoded, lines_of
    if not path.is_file():
        raise InputError([Problem("file.not_found", Location(display(path)))])
    with open(path, "rb") as stream:
        texts = [decoded(number, raw, display(path)) for number, raw in lines_of(stream)]
    return read_events(texts, display(path))


def _live(watcher, request: WatchRequest) -> int:
    """Watch standard input or a file (growing, with follow) until it ends or is interrupted."""
    from ..reports.terminal import stdout_console
    from .run import lines_of, pipe_waiting, watch_lines
    from .view import LiveView
    events = request.events
    from_stdin = events is None or str(events) == "-"
    if not from_stdin and not events.exists():
        raise InputError([Problem("file.not_found", Location(display(events)))])
    shown = "<stdin>" if from_stdin else display(events)
    save = _saver(request.store or "", request.name or shown, watcher)
    today = (lambda: request.as_of) if request.as_of is not None else dt.date.today
    table = request.format == "text" or (request.format is None and sys.stdout.isatty())
    stream = sys.stdin.buffer if from_stdin else open(events, "rb")
    try:
        lines = lines_of(stream, follow=request.follow and not from_stdin, poll=request.poll,
                         waiting=pipe_waiting(stream) if from_stdin else None)
        if table:
            with LiveView(stdout_console(), watcher, request.lang) as view:
                watch_lines(lines, shown, watcher, save, view.emit, view.refresh, today)
        else:
            watch_lines(lines, shown, watcher, save, _json_lines, lambda: None, today)
    except KeyboardInterrupt:
        save()  # a supervisor stopping the watcher: what it has read is kept
    finally:
        if not from_stdin:
            stream.close()
    return 0


def _json_lines(transitions) -> None:
    for transition in transitions:
        sys.stdout.write(json.dumps(transition.to_json(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
