"""Auditing many halls: in worker processes, each hall under a time limit, reports in input order.

Why processes. durable-rules is a C extension that can spin at 100 % CPU for ever or abort the
whole process (a double free); a hang inside its C code cannot be interrupted by a signal handler
in the same process, only ended by killing the process (see checker/audit/backends/durable.py). So
whenever the durable backend is used, or more than one job is asked for, every audit runs in a
worker process of a pebble ProcessPool: pebble kills the worker whose hall runs past the time
limit and starts a fresh one, and reports a worker that died (ProcessExpired). Such a hall is
reported as not audited (`audit.timeout`, `audit.crashed`) and the run goes on. pebble was
chosen over concurrent.futures and loky because those cannot end one task without breaking the
whole pool; the hand-made pool it replaces needed pipes passed by descriptor and so ran on POSIX only.

Workers are started with the `spawn` method on every platform: it is the only one Windows has
and macOS's default, a fork of this process (whose durable engine runs threads) is unsafe, and
one start method everywhere is one that is tested. The rule set, the register and the holiday
notices are handed to each worker once, by the pool's initializer. A report travels back with
each rule replaced by its id (a Rule is large) and is rebuilt here.

Reports come out as a stream (`audit_stream`), in input order, as soon as each one and all
before it are done; at most a few halls per worker are in flight, so the memory of a run is that
of its largest halls, not of their number.

The pure-Python backend with one job runs in this process: it has no C code to hang in, so its
time limit is enforced with SIGALRM where the platform has one (Python code can be interrupted).

`before_audit` is a hook for the tests only: a picklable function called with the file path
before each audit, in whichever process audits it; the tests set it to sleep or to kill the
process. It is not an option a user can reach.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import signal
import threading
from collections import deque
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable, Iterator, Optional

from ..input import workdays as calendar
from .hall import audit_file
from ..problems import Location, Problem
from .results import HallReport

DEFAULT_TIMEOUT = 60.0  # seconds per hall
AHEAD = 4  # halls in flight per worker: enough to keep it busy, few enough to keep memory flat
RETIRED = 75  # a worker's exit status when it retires before a hall (see _audit_task)

before_audit: Optional[Callable[[str], None]] = None  # tests only; see the module docstring

Progress = Callable[[int, int], None]  # (halls done, halls in all)


@dataclasses.dataclass(frozen=True)
class _Settings:
    """Everything a worker needs, sent once when it starts."""

    rules: list
    register: dict
    engine: str
    as_of: dt.date | None
    hook: Optional[Callable[[str], None]]
    notices: tuple = ()  # checker.input.workdays.Notice: the holiday notices this process counts with
    imports: tuple | None = None  # (mapping file, its name to show): ledgers merged into the hall


class WorkerStartError(RuntimeError):
    """A worker process could not start (its engine would not load): not one hall's fault."""


def needs_isolation(engine: str, jobs: int) -> bool:
    return engine == "durable" or jobs > 1


def audit_many(files: list[tuple[str, str]], rules: list, register: dict, backend, as_of: dt.date | None,
               jobs: int = 1, timeout: float | None = DEFAULT_TIMEOUT,
               on_progress: Progress | None = None, isolate: bool | None = None,
               imports: tuple | None = None) -> list[HallReport]:
    """Audit every (path, name) in `files`; one report per file, in the same order."""
    return list(audit_stream(files, rules, register, backend, as_of, jobs, timeout, on_progress, isolate, imports))


def audit_stream(files: list[tuple[str, str]], rules: list, register: dict, backend, as_of: dt.date | None,
                 jobs: int = 1, timeout: float | None = DEFAULT_TIMEOUT,
                 on_progress: Progress | None = None, isolate: bool | None = None,
                 imports: tuple | None = None) -> Iterator[HallReport]:
    """Each (path, name) in `files` audited, its report yielded in input order as soon as it is done.

    A hall whose audit runs past `timeout` seconds, kills its process, or raises, becomes a
    report whose problems say so; the others are audited regardless.
    """
    if isolate is None:
        isolate = needs_isolation(backend.name, jobs)
    if not files:
        return
    settings = settings_for(rules, register, backend.name, as_of, imports)
    if isolate:
        yield from _pooled(files, settings, max(1, min(jobs, len(files))), timeout, on_progress)
        return
    for done, (path, name) in enumerate(files, 1):
        yield _in_process(path, name, settings, backend, timeout)
        if on_progress:
            on_progress(done, len(files))


def settings_for(rules: list, register: dict, engine: str, as_of: dt.date | None,
                 imports: tuple | None = None) -> _Settings:
    """What every worker is given once: the rules, the register, the engine, the audit date,
    the holiday notices this process counts with, the ledgers to merge, and the tests' hook."""
    return _Settings(list(rules), register, engine, as_of, before_audit, calendar.notices(), imports)


def error_report(name: str, engine: str, as_of: dt.date | None, code: str, params: dict) -> HallReport:
    """A hall that was not audited: shaped like the report of a file that could not be read."""
    return HallReport(name, "", None, None, as_of, "option" if as_of else "today", engine,
                      problems=(Problem(code, Location(name), params),))


def _audit_one(path: str, name: str, settings: _Settings, backend) -> HallReport:
    try:
        if settings.hook is not None:
            settings.hook(path)
        return audit_file(path, name, settings.rules, settings.register, backend, settings.as_of, settings.imports)
    except Exception as err:  # noqa: BLE001 - one hall's bug must not stop the run
        detail = f"{type(err).__name__}: {err}"
        if os.environ.get("HALLCHECK_DEBUG"):
            import traceback
            detail += "\n" + traceback.format_exc()
        return error_report(name, backend.name, settings.as_of, "audit.exception", {"detail": detail})


# ------------------------------------------------------------------ in this process

class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` in the audit eats it."""


def _in_process(path: str, name: str, settings: _Settings, backend, timeout: float | None) -> HallReport:
    alarm = (timeout is not None and hasattr(signal, "pthread_kill")
             and threading.current_thread() is threading.main_thread())
    if not alarm:
        return _audit_one(path, name, settings, backend)

    def ring(_signum, _frame):
        raise _Timeout()

    # The alarm is sent to this thread itself, not to the process: a process-wide SIGALRM may be
    # taken by any other thread alive in the process (a library's), and then a sleep or a wait in
    # this thread is not interrupted.
    main = threading.main_thread().ident
    timer = threading.Timer(timeout, lambda: signal.pthread_kill(main, signal.SIGALRM))
    timer.daemon = True
    previous = signal.signal(signal.SIGALRM, ring)
    try:
        timer.start()
        try:
            return _audit_one(path, name, settings, backend)
        finally:
            timer.cancel()
            timer.join()  # a ring already on its way arrives while our handler is still the one in place
    except _Timeout:
        return error_report(name, backend.name, settings.as_of, "audit.timeout", {"seconds": _seconds(timeout)})
    finally:
        signal.signal(signal.SIGALRM, previous)


def _seconds(timeout: float) -> int | float:
    return int(timeout) if float(timeout).is_integer() else timeout


# ------------------------------------------------------------------ in worker processes

# What a worker process keeps between halls: its settings and engine (set by _start_worker),
# and whether an internal error has left its engine in doubt (then it retires, see _audit_task).
_worker: dict = {}


def _start_worker(settings: _Settings) -> None:
    """The pool's initializer, once per worker: the settings and the engine. A failure is kept
    and reported by the first task, since a pool whose initializer raises restarts it for ever."""
    os.dup2(2, 1)  # anything the engine prints must not land in a report on stdout
    try:
        from .backends import get_backend
        calendar.use_notices(settings.notices)
        _worker.update(settings=settings, backend=get_backend(settings.engine), spoilt=False)
    except Exception as err:  # noqa: BLE001 - reported to the parent with the first hall
        _worker["failed"] = f"{type(err).__name__}: {err}"


def _audit_task(path: str, name: str):
    """One hall in a worker: its slimmed report, or ("failed", why) when the worker could not start.

    After an internal error the engine may be left in a bad state, so the worker does not audit
    another hall: it exits with RETIRED before touching the next one, and the parent gives that
    hall again to a fresh worker."""
    if "failed" in _worker:
        return ("failed", _worker["failed"])
    if _worker["spoilt"]:
        os._exit(RETIRED)
    report = _audit_one(path, name, _worker["settings"], _worker["backend"])
    if any(problem.code == "audit.exception" for problem in report.problems):
        _worker["spoilt"] = True
    return _slim(report)


def _slim(report: HallReport) -> HallReport:
    """The report with each Rule replaced by its id, to travel cheaply between processes."""
    return dataclasses.replace(report, results=tuple(dataclasses.replace(r, rule=r.rule.id) for r in report.results))


def rebuild(report: HallReport, rules: dict) -> HallReport:
    return dataclasses.replace(report, results=tuple(dataclasses.replace(r, rule=rules[r.rule])
                                                     for r in report.results))


def worker_pool(settings: _Settings, jobs: int):
    """A pebble ProcessPool of `jobs` spawned workers, each given the settings once."""
    from pebble import ProcessPool
    return ProcessPool(max_workers=jobs, initializer=_start_worker, initargs=(settings,),
                       context=multiprocessing.get_context("spawn"))


def _pooled(files: list[tuple[str, str]], settings: _Settings, jobs: int, timeout: float | None,
            on_progress: Progress | None) -> Iterator[HallReport]:
    """The halls audited by `jobs` workers, yielded in input order."""
    rules = {rule.id: rule for rule in settings.rules}
    pool = worker_pool(settings, jobs)
    try:
        for done, report in enumerate(pooled_slim(pool, files, settings, jobs, timeout), 1):
            yield rebuild(report, rules)
            if on_progress:
                on_progress(done, len(files))
    finally:
        pool.stop()
        pool.join()


def pooled_slim(pool, files: list[tuple[str, str]], settings: _Settings, jobs: int,
                timeout: float | None) -> Iterator[HallReport]:
    """The halls audited in `pool`, slim reports (rules as ids) in input order; at most AHEAD
    per worker in flight, so that finished reports never pile up."""
    todo = iter(enumerate(files))
    flight: deque = deque()  # (index, path, name, future), in input order

    def submit(path: str, name: str):
        return pool.schedule(_audit_task, args=(path, name), timeout=timeout)

    def fill() -> None:
        while len(flight) < jobs * AHEAD:
            item = next(todo, None)
            if item is None:
                return
            index, (path, name) = item
            flight.append((index, path, name, submit(path, name)))

    fill()
    while flight:
        index, path, name, future = flight[0]
        outcome = _outcome(future, name, settings, timeout)
        if outcome is None:  # the worker retired before this hall: give it to a fresh one
            flight[0] = (index, path, name, submit(path, name))
            continue
        flight.popleft()
        fill()
        yield outcome


def _outcome(future, name: str, settings: _Settings, timeout: float | None) -> HallReport | None:
    """The report a finished task stands for; None when its worker retired before starting it."""
    from pebble import ProcessExpired
    try:
        result = future.result()
    except FutureTimeout:
        return error_report(name, settings.engine, settings.as_of, "audit.timeout", {"seconds": _seconds(timeout)})
    except ProcessExpired as died:
        if died.exitcode == RETIRED:
            return None
        return error_report(name, settings.engine, settings.as_of, "audit.crashed", {"how": _how(died.exitcode)})
    if isinstance(result, tuple) and result[0] == "failed":
        raise WorkerStartError(f"a worker process could not start: {result[1]}")
    return result


def _how(code: int | None) -> str:
    """How a worker process ended, as its exit status tells it."""
    if code is not None and code < 0:
        try:
            return f"{signal.Signals(-code).name} ({code})"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"
