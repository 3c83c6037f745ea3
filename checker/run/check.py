"""What one `hallcheck check` does: a request (every option resolved) in, an outcome out.

The command line only turns options into a CheckRequest and the Outcome into an exit code; a
program can run the same check. Everything the user gave that cannot be used raises InputError
with its located problems, before any hall is audited where that is possible (the output, the
rules, the waivers, the baseline). What reaches the terminal on the way — the report when it is
streamed, the progress bar, why a hall file could not be used, waiver notices — is written as
the halls finish, so a run's memory does not grow with its halls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..audit.results import RunInfo
from ..paths import display
from ..problems import InputError, Location, Problem
from ..reports.messages import problem_line, render
from ..reports.report import Tally, tally
from ..reports.terminal import console as terminal_console, stderr_console, stdout_console

# formats written hall by hall as the audits finish: a run's memory does not grow with its halls
STREAMED = ("text", "jsonl")


@dataclass(frozen=True)
class CheckRequest:
    """One `hallcheck check`, every option resolved (the command line, the environment and the
    configuration file already weighed: checker.run.config)."""

    paths: tuple[Path, ...]
    lang: str
    format: str = "text"
    fail_on: str = "minor"
    as_of: dt.date | None = None
    output: Path | None = None
    rules: Path | None = None
    engine: str = "auto"
    jobs: int = 1
    timeout: float = 60.0
    waivers: Path | None = None
    baseline: str | None = None  # a JSON report, an audit store, or "store": the one of `store`
    fail_on_new: bool = False
    allow_nothing_checked: bool = False
    calendar: tuple[tuple[Path, str], ...] = ()  # (notice file, where the setting came from)
    max_data_age: int | None = None
    refuse_hall_date: bool = False
    imports: Path | None = None
    store: str | None = None  # "" for the default store
    dask: bool | str | None = None  # None: this machine; True: a local cluster; else a scheduler
    shard: dict | None = None  # {"index": K, "count": N}
    omit: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()  # patterns of files not to audit, relative to `base`
    base: Path | None = None
    verbose: bool = False
    quiet: bool = False
    appendix: bool = False
    progress: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a check found, counted, and the exit code it gives."""

    counted: Tally
    run: RunInfo
    exit_code: int


def parse_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError([Problem("cli.bad_date", Location(option), {"value": value})]) from None


def parse_shard(option: str) -> dict:
    """--shard K/N as {"index": K, "count": N}, 1 <= K <= N."""
    index, _, count = option.partition("/")
    if index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count):
        return {"index": int(index), "count": int(count)}
    raise InputError([Problem("cli.bad_shard", Location("--shard"), {"value": option})])


def dask_scheduler(scheduler: str | None) -> bool | str:
    """Where to run on Dask: the scheduler's address, or True for a cluster on this machine;
    InputError saying how to install the extra when it is not installed."""
    if importlib.util.find_spec("distributed") is None:
        raise InputError([Problem("executor.no_dask", Location("--executor"), {"command": "pip install 'hallcheck[dask]'"})])
    return scheduler or True


def progress_wanted(format_is_text: bool, output: Path | None) -> bool:
    """A progress bar only for a person at a terminal: not in CI, not into a pipe, and not while
    a machine-readable report is being written to the same terminal."""
    if os.environ.get("CI"):
        return False
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        return False
    return format_is_text or output is not None


def use_notices(calendar: tuple[tuple[Path, str], ...]) -> None:
    """Lay the holiday notices over the packaged calendar; a bad notice raises InputError before
    anything is counted with it."""
    from ..input import workdays
    from ..input.notices import load_notices
    workdays.use_notices(load_notices([(str(path), origin) for path, origin in calendar], display))


def backend(engine: str):
    """The matching backend `engine` names; InputError when it cannot run here."""
    from ..audit.backends import EngineUnavailable, get_backend
    try:
        return get_backend(engine)
    except EngineUnavailable as err:
        raise InputError([Problem("engine.unavailable", Location("--engine"),
                                  {"engine": err.engine, "reason": err.reason})]) from None


def store_location(option: str) -> str:
    """Where --store records: the path or URL given, else the SQLite file in the user's data directory."""
    from .store import default_location
    return option or default_location()


def open_store(option: str):
    from .store import open_store as opened
    return opened(store_location(option))


def check_output(output: Path | None, inputs: list) -> None:
    """Refuse an --output that cannot take the report before any work is done."""
    if output is not None:
        from .output import check_target
        check_target(output, display, inputs)


def check(request: CheckRequest) -> Outcome:
    """Audit the halls of `request` and write its report."""
    from ..ruleset.loading import load_rules
    from .discover import hall_files
    use_notices(request.calendar)
    inputs = [*request.paths, *(path for path, _ in request.calendar),
              *(p for p in (request.rules, request.waivers, request.baseline, request.store) if p)]
    check_output(request.output, inputs)
    loaded = load_rules(request.rules)
    engine = backend(request.engine)
    files = hall_files(list(request.paths), display, request.ignore, request.base)
    history = open_store(request.store) if request.store is not None else None
    baseline = request.baseline
    if baseline is not None and str(baseline) == "store":  # the audit history of --store, or the default one
        baseline = history.name if history is not None else store_location("")
    part = request.shard
    if part is not None:
        files = files[len(files) * (part["index"] - 1) // part["count"]:len(files) * part["index"] // part["count"]]
    stream, finish = _audit_run(files, loaded, engine, request, baseline=str(baseline) if baseline is not None else None)
    recorder = None
    if history is not None:
        from .store import rules_digest
        recorder = history.recorder(loaded.rule_set.info(), rules_digest(loaded.rules), request.as_of, __version__)
        stream = _recorded(stream, files, recorder)

    def run_info() -> RunInfo:
        run = dataclasses.replace(finish(), accept_nothing_checked=request.allow_nothing_checked)
        if request.rules is not None:  # the report says which pack and overrides were in force
            run = dataclasses.replace(run, rules=loaded.rule_set.info())
        return dataclasses.replace(run, shard=part)

    try:
        if request.format in STREAMED:
            counted, run = _stream_report(request, stream, run_info, inputs)
        else:
            counted, run = _whole_report(request, list(stream), run_info, inputs, loaded)
    except BaseException:
        if recorder is not None:
            recorder.abandon()  # a run that did not finish is not history
        raise
    code = counted.exit_code(request.fail_on, run)
    if recorder is not None:
        recorder.finish(code)
    if request.output is not None:
        _confirm(request.output, counted, request.lang)
    return Outcome(counted, run, code)


def _audit_run(files: list[tuple[str, str]], loaded, engine, request: CheckRequest, baseline: str | None):
    """The reports of every hall (checker.audit.batch), as a stream in input order, each with the
    waivers applied and compared with the baseline; and a function giving the run's RunInfo
    once the stream is consumed (the waivers' notices need every hall). The waivers and the
    baseline are read first, so that a bad one stops the run before it starts."""
    if request.fail_on_new and baseline is None:
        raise InputError([Problem("cli.needs_baseline", Location("--fail-on-new"))])
    if request.imports is not None and len(files) != 1:
        raise InputError([Problem("import.one_hall", Location("--import"))])
    mapping = (str(request.imports), display(request.imports)) if request.imports is not None else None
    waiving = earlier = None
    if request.waivers is not None:
        from .waivers import Waiving, load_waivers
        waiving = Waiving(load_waivers(str(request.waivers), display(request.waivers), {rule.id for rule in loaded.rules}))
    if baseline is not None:
        earlier = _load_baseline(baseline, request.lang)

    def finish() -> RunInfo:
        return RunInfo(waivers_file=display(request.waivers) if request.waivers is not None else None,
                       notices=tuple(waiving.notices()) if waiving is not None else (),
                       baseline_file=earlier.file if earlier is not None else None, fail_on_new=request.fail_on_new)

    stream = _audited(files, loaded, engine, request, mapping)
    return _marked(stream, waiving, earlier, (request.max_data_age, request.refuse_hall_date)), finish


def _load_baseline(baseline: str, lang: str):
    """An earlier JSON report, or the last audit of each hall in an audit history."""
    from .store import is_store
    if is_store(baseline):
        return open_store(baseline).baseline(lang)
    from .baseline import load_baseline
    return load_baseline(baseline, display(Path(baseline)))


def _audited(files, loaded, engine, request: CheckRequest, imports: tuple | None):
    """Each hall's report as its audit finishes, in input order, under a progress bar when wanted."""

    def audits(on_progress=None):
        if request.dask is None:
            from ..audit.batch import audit_stream
            return audit_stream(files, loaded.rules, loaded.register, engine, request.as_of, jobs=request.jobs,
                                timeout=request.timeout, on_progress=on_progress, imports=imports)
        from ..audit.executor_dask import audit_on_dask
        return audit_on_dask(files, loaded.rules, loaded.register, engine, request.as_of, request.timeout,
                             scheduler=request.dask if isinstance(request.dask, str) else None,
                             workers=max(2, request.jobs), on_progress=on_progress, imports=imports)

    if not (request.progress and len(files) > 1):
        yield from audits()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    with Progress(TextColumn(render("cli.auditing", {}, request.lang)), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=stderr_console(), transient=True) as bar:
        task = bar.add_task("", total=len(files))
        yield from audits(lambda done, _total: bar.update(task, completed=done))


def _marked(stream, waiving, earlier, dates: tuple):
    """The reports with the notices about their audit date, the waivers applied, and their
    findings compared with the baseline."""
    from .baseline import compare_hall
    from .dates import with_date_notice
    today = dt.date.today()
    for report in stream:
        report = with_date_notice(report, today, *dates)
        if waiving is not None:
            report = waiving.apply(report)
        if earlier is not None:
            report = compare_hall(report, earlier)
        yield report


def _recorded(stream, files, recorder):
    """The reports, each recorded in the audit history as it passes."""
    for report, (path, _name) in zip(stream, files):
        recorder.record(report, path)
        yield report


def _say_problems(problems, lang: str) -> None:
    """Why a hall file could not be used, and waiver notices, go to stderr whatever the format."""
    console = stderr_console()
    for problem in problems:
        console.print(problem_line(problem, lang), markup=False)


def _stream_report(request: CheckRequest, stream, run_info, inputs: list):
    """Text or JSON lines, each hall written as its audit finishes: (the run's Tally, its RunInfo)."""
    from ..reports.json_report import jsonl_end, jsonl_hall, jsonl_head
    from ..reports.text import print_hall, print_tail
    from .output import report_stream
    lang = request.lang
    counted = Tally(rows=request.format != "jsonl")
    with report_stream(request.output, display, inputs) as out:
        if request.format == "jsonl":
            out.write(jsonl_head(lang, request.fail_on, request.shard))
            for report in stream:
                _say_problems(report.problems, lang)
                out.write(jsonl_hall(counted.add(report), lang, request.omit))
                out.flush()  # a reader following the stream sees each hall as it finishes
            run = run_info()
            _say_problems(run.notices, lang)
            out.write(jsonl_end(counted, lang, request.fail_on, run))
            return counted, run
        console = stdout_console() if request.output is None else terminal_console(file=out, width=120, highlight=False)
        for report in stream:
            _say_problems(report.problems, lang)
            print_hall(counted.add(report), lang, console, request.verbose, request.quiet)
        run = run_info()
        print_tail(counted, lang, console, run, request.quiet)
    return counted, run


def _whole_report(request: CheckRequest, reports: list, run_info, inputs: list, loaded):
    """A report written once every hall is audited (JSON and the documents): (its Tally, its RunInfo)."""
    from ..reports import formats
    from ..reports.json_report import to_json
    from .output import write_report
    lang = request.lang
    run = run_info()
    for report in reports:
        _say_problems(report.problems, lang)
    _say_problems(run.notices, lang)
    if request.format == "json":
        text = to_json(reports, lang, request.fail_on, run, omit=request.omit)
    else:
        if request.format in formats.BINARY and request.output is None and sys.stdout.isatty():
            raise InputError([Problem("cli.binary_to_terminal", Location("--output"), {"format": request.format})])
        text = formats.render(request.format, reports, lang, request.fail_on, loaded.register, run,
                              appendix=request.appendix)
    write_report(text, request.output, display, inputs)
    return tally(reports), run


def _confirm(output: Path, counted: Tally, lang: str) -> None:
    """Say on stderr what was written where: a report file is the point of the run."""
    what = render("cli.wrote_what", {"halls": counted.halls, "failures": counted.summary()["fail"]}, lang)
    stderr_console().print(render("cli.wrote", {"path": display(output), "what": what}, lang), markup=False)

