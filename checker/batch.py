"""Auditing many halls: in worker processes, each hall under a time limit, reports in input order.

Why processes. durable-rules is a C extension that can spin at 100 % CPU for ever or abort the
whole process (a double free); a hang inside its C code cannot be interrupted by a signal handler
in the same process, only ended by killing the process (see checker/backends/durable.py). So
whenever the durable backend is used, or more than one job is asked for, every audit runs in a
worker process and a watchdog here kills a worker whose hall takes longer than the time limit,
reports that hall as not audited (`audit.timeout`, or `audit.crashed` when the worker died), and
starts a fresh worker for the halls still to do. The run always completes.

The pure-Python backend with one job runs in this process: it has no C code to hang in, so its
time limit is enforced with SIGALRM where the platform has one (Python code can be interrupted).

Work units are (index, file path, name to show). Workers are fresh interpreters (never a fork of
this process, whose durable engine runs threads), started with this process's sys.path; the rule
set and the register are handed to each worker once, when it starts, through a private temporary
file. A report travels back with each rule replaced by its id (a Rule is large), and is rebuilt
here.

`before_audit` is a hook for the tests only: a picklable function called with the file path
before each audit, in whichever process audits it; the tests set it to sleep or to kill the
process. It is not an option a user can reach.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Callable, Optional

from . import calendar
from .audit import audit_file
from .problems import Location, Problem
from .results import HallReport

DEFAULT_TIMEOUT = 60.0  # seconds per hall
STARTUP_LIMIT = 120.0  # seconds a worker may take to start (imports, engine) before the run gives up

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
    notices: tuple = ()  # checker.calendar.Notice: the holiday notices this process counts with
    imports: tuple | None = None  # (mapping file, its name to show): ledgers merged into the hall


class WorkerStartError(RuntimeError):
    """A worker process died or stalled before it could audit anything: not one hall's fault."""


def needs_isolation(engine: str, jobs: int) -> bool:
    return engine == "durable" or jobs > 1


def audit_many(files: list[tuple[str, str]], rules: list, register: dict, backend, as_of: dt.date | None,
               jobs: int = 1, timeout: float | None = DEFAULT_TIMEOUT,
               on_progress: Progress | None = None, isolate: bool | None = None,
               imports: tuple | None = None) -> list[HallReport]:
    """Audit every (path, name) in `files`; one report per file, in the same order.

    A hall whose audit runs past `timeout` seconds, kills its process, or raises, becomes a
    report whose problems say so; the others are audited regardless.
    """
    if isolate is None:
        isolate = needs_isolation(backend.name, jobs)
    if not files:
        return []
    settings = _Settings(list(rules), register, backend.name, as_of, before_audit, calendar.notices(), imports)
    if isolate:
        return _Pool(settings, max(1, min(jobs, len(files))), timeout, on_progress).run(files)
    out = []
    for path, name in files:
        out.append(_in_process(path, name, settings, backend, timeout))
        if on_progress:
            on_progress(len(out), len(files))
    return out


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
    alarm = (timeout is not None and hasattr(signal, "setitimer")
             and threading.current_thread() is threading.main_thread())
    if not alarm:
        return _audit_one(path, name, settings, backend)

    def ring(_signum, _frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return _audit_one(path, name, settings, backend)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:
        return error_report(name, backend.name, settings.as_of, "audit.timeout", {"seconds": _seconds(timeout)})
    finally:
        signal.signal(signal.SIGALRM, previous)


def _seconds(timeout: float) -> int | float:
    return int(timeout) if float(timeout).is_integer() else timeout


# ------------------------------------------------------------------ in worker processes

_CHILD_CODE = ("import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
               "from checker.batch import _worker_main; _worker_main(*sys.argv[2:])")


def _worker_main(read_fd: str, write_fd: str, settings_file: str) -> None:
    """A worker: read the settings and start the engine once, then audit the files it is sent
    until told to stop (or until the parent goes away)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it kills us
    inbox = Connection(int(read_fd), writable=False)
    outbox = Connection(int(write_fd), readable=False)
    from .backends import get_backend
    with open(settings_file, "rb") as stream:
        settings: _Settings = pickle.load(stream)
    calendar.use_notices(settings.notices)
    backend = get_backend(settings.engine)
    outbox.send("ready")
    while True:
        try:
            task = inbox.recv()
        except EOFError:
            return
        if task is None:
            return
        index, path, name = task
        report = _audit_one(path, name, settings, backend)
        outbox.send((index, _slim(report)))
        if any(problem.code == "audit.exception" for problem in report.problems):
            return  # the engine may be left in a bad state: the next hall gets a fresh worker


def _slim(report: HallReport) -> HallReport:
    """The report with each Rule replaced by its id, to travel cheaply between processes."""
    return dataclasses.replace(report, results=tuple(dataclasses.replace(r, rule=r.rule.id) for r in report.results))


def _rebuild(report: HallReport, rules: dict) -> HallReport:
    return dataclasses.replace(report, results=tuple(dataclasses.replace(r, rule=rules[r.rule])
                                                     for r in report.results))


class _Worker:
    """One worker process and its two pipes.

    Started as `python -c ...` rather than with multiprocessing's 'spawn', which would import
    the parent's __main__ (the whole CLI) in every worker; what a worker needs is the parent's
    sys.path, which it is given. The settings (the whole rule set) go through a file, not a
    pipe, so that starting a worker never waits for it to read them."""

    def __init__(self, settings_file: str):
        parent_read, child_write = os.pipe()
        child_read, parent_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _CHILD_CODE, json.dumps(sys.path), str(child_read), str(child_write),
                 settings_file],
                pass_fds=(child_read, child_write), stdin=subprocess.DEVNULL,
                stdout=2)  # anything the engine prints must not land in a report on stdout
        finally:
            os.close(child_read)
            os.close(child_write)
        self.inbox = Connection(parent_read, writable=False)
        self.outbox = Connection(parent_write, readable=False)
        self.started = time.monotonic()
        self.ready = False
        self.task: tuple[int, str, str] | None = None
        self.deadline: float | None = None
        self.dead = False

    def send(self, task: tuple[int, str, str], timeout: float | None) -> None:
        self.task = task
        self.deadline = None if timeout is None else time.monotonic() + timeout
        try:
            self.outbox.send(task)
        except OSError:
            pass  # it died meanwhile; its pipe's end-of-file says so next

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None and self.ready and self.task is None and not self.dead:
            try:
                self.outbox.send(None)
                self.process.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        self.inbox.close()
        self.outbox.close()

    def how_it_died(self) -> str:
        try:
            code = self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.process.returncode
        if code < 0:
            try:
                return f"{signal.Signals(-code).name} ({code})"
            except ValueError:
                return f"signal {-code}"
        return f"exit status {code}"


class _Pool:
    """N workers, each with one hall at a time; a watchdog on each hall's deadline."""

    def __init__(self, settings: _Settings, jobs: int, timeout: float | None, on_progress: Progress | None):
        self.settings = settings
        self.jobs = jobs
        self.timeout = timeout
        self.on_progress = on_progress
        self.rules = {rule.id: rule for rule in settings.rules}

    def run(self, files: list[tuple[str, str]]) -> list[HallReport]:
        pending = deque((index, path, name) for index, (path, name) in enumerate(files))
        results: list[HallReport | None] = [None] * len(files)
        done = 0
        handle, settings_file = tempfile.mkstemp(prefix="hallcheck-", suffix=".pickle")
        workers: list[_Worker] = []
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(self.settings, stream, protocol=pickle.HIGHEST_PROTOCOL)
            workers = [_Worker(settings_file) for _ in range(self.jobs)]
            while done < len(files):
                for worker in workers:
                    if worker.ready and worker.task is None and pending:
                        worker.send(pending.popleft(), self.timeout)
                ready = wait([w.inbox for w in workers], timeout=self._wait_for(workers))
                now = time.monotonic()
                alive = []
                for worker in workers:
                    for index, report in self._step(worker, ready, now):
                        results[index] = report
                        done += 1
                        if self.on_progress:
                            self.on_progress(done, len(files))
                    if worker.dead:
                        worker.stop()
                        if pending:
                            alive.append(_Worker(settings_file))
                    else:
                        alive.append(worker)
                workers = alive
        finally:
            for worker in workers:
                worker.stop()
            os.unlink(settings_file)
        return results  # type: ignore[return-value]

    def _wait_for(self, workers: list[_Worker]) -> float:
        """Seconds until the next deadline: a hall's, or a worker's start."""
        now = time.monotonic()
        deadlines = [w.deadline for w in workers if w.task is not None and w.deadline is not None]
        deadlines += [w.started + STARTUP_LIMIT for w in workers if not w.ready]
        return max(0.0, min(deadlines) - now) if deadlines else 1.0

    def _step(self, worker: _Worker, ready: list, now: float) -> list[tuple[int, HallReport]]:
        """The halls this worker finished (or lost) since the last look; sets `dead` when it is gone."""
        if worker.inbox in ready:
            try:
                message = worker.inbox.recv()
            except (EOFError, OSError):
                message = None  # end of file: the process is gone
            if message == "ready":
                worker.ready = True
                return []
            if message is not None:
                index, report = message
                worker.task = worker.deadline = None
                if any(problem.code == "audit.exception" for problem in report.problems):
                    worker.dead = True  # it stops after an internal error (see _worker_main)
                return [(index, _rebuild(report, self.rules))]
            worker.dead = True
            how = worker.how_it_died()
            if not worker.ready:
                raise WorkerStartError(f"a worker process stopped while starting ({how})")
            if worker.task is None:
                return []
            index, _path, name = worker.task
            worker.task = None
            return [(index, error_report(name, self.settings.engine, self.settings.as_of, "audit.crashed",
                                         {"how": how}))]
        if not worker.ready and now - worker.started > STARTUP_LIMIT:
            raise WorkerStartError(f"a worker process did not start within {STARTUP_LIMIT:.0f} s")
        if worker.task is not None and worker.deadline is not None and now >= worker.deadline:
            index, _path, name = worker.task
            worker.kill()
            worker.task = None
            worker.dead = True
            return [(index, error_report(name, self.settings.engine, self.settings.as_of, "audit.timeout",
                                         {"seconds": _seconds(self.timeout)}))]
        return []
