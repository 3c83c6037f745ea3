"""hallcheck's command line: `hallcheck check samples/` and friends.

Every command turns bad input into located messages and exit code 2; no traceback reaches
the user. Exit codes: 0 clean, 1 violations at or above --fail-on, 2 unusable input (or a hall
whose audit timed out or crashed: the report is incomplete), 3 an internal error (a bug: please
report it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.cells import cell_len

from checker import __version__
from checker.run.dates import DEFAULT_MAX_AGE_DAYS
from checker.reports.messages import default_lang, pick, problem_line, render
from checker.paths import bundled, display
from checker.problems import InputError, Location, Problem
from checker.reports.terminal import console as terminal_console, visible, visible_lines

# The audit, its engines and the register are imported by the commands that use them, not here:
# `hallcheck --help` and `hallcheck schema` start without them.

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                  help="Check government service halls against the regulations that govern them.")
regulations_app = typer.Typer(no_args_is_help=True, help="The regulation register.")
rules_app = typer.Typer(no_args_is_help=True, help="The rule set.")
app.add_typer(regulations_app, name="regulations")
app.add_typer(rules_app, name="rules")


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"
    html = "html"
    csv = "csv"
    pdf = "pdf"
    xlsx = "xlsx"
    gitlab = "gitlab"
    github = "github"


class Executor(str, Enum):
    local = "local"
    dask = "dask"


class Omit(str, Enum):
    not_applicable = "not_applicable"


# formats written hall by hall as the audits finish: a run's memory does not grow with its halls
STREAMED = ("text", "jsonl")


class FailOn(str, Enum):
    critical = "critical"
    major = "major"
    minor = "minor"
    info = "info"
    never = "never"


class Engine(str, Enum):
    auto = "auto"
    durable = "durable"
    python = "python"


class SchemaName(str, Enum):
    hall = "hall"
    calendar = "calendar"
    rule = "rule"
    regulation = "regulation"
    report = "report"
    waivers = "waivers"
    examples = "examples"
    pack = "pack"
    mapping = "mapping"
    config = "config"


# Each worker is a process holding the rule set: more than this only thrashes a machine.
MAX_JOBS = 64
# A day: the alarm that stops a hall takes whole seconds, and infinity is not a time.
MAX_TIMEOUT = 86_400.0

LANG_OPTION = typer.Option(None, "--lang", help="zh or en; default from the locale (HALLCHECK_LANG overrides).")
CALENDAR_OPTION = typer.Option(None, "--calendar", metavar="FILE",
                               help="A year's official holiday notice as data (`hallcheck schema calendar`, or the holiday-cn JSON), "
                                    "laid over the packaged calendar; repeat for several years. Default: HALLCHECK_CALENDAR.")


class Exit(Exception):
    def __init__(self, code: int):
        self.code = code


def _lang(lang: Optional[Lang]) -> str:
    """--lang, else HALLCHECK_LANG, else the configuration file's, else the locale's."""
    if lang:
        return lang.value
    return _settings({})[0]["lang"].value or default_lang()


def _settings(options: dict, lang: Optional[Lang] = None):
    """(every setting with where it came from, the configuration file or None): the command
    line's `options` (None where not given) over the environment over the configuration file
    found from the working directory up (checker.run.config). A bad file stops the run, located."""
    from checker.run import config
    try:
        found = config.discover(Path.cwd(), display)
    except InputError as err:
        _fail_with(err.problems, lang.value if lang else default_lang())
    return config.effective(found, options), found


def _stderr() -> Console:
    return terminal_console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    """The terminal's width on a terminal (or COLUMNS); 120 columns into a pipe or file, not rich's 80."""
    return terminal_console(highlight=False, width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120)


def _fail_with(problems: list[Problem], lang: str) -> None:
    console = _stderr()
    for problem in problems:
        console.print(problem_line(problem, lang), markup=False)
    raise Exit(2)


def load_register(directory: Path):
    from checker.ruleset.regulations import load_register as load
    return load(directory)


def _backend(engine: "Engine", lang: str):
    from checker.audit.backends import EngineUnavailable, get_backend
    try:
        return get_backend(engine.value)
    except EngineUnavailable as err:
        _fail_with([Problem("engine.unavailable", Location("--engine"), {"engine": err.engine, "reason": err.reason})],
                   lang)


def _parse_date(value: Optional[str], lang: str) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail_with([Problem("cli.bad_date", Location("--as-of"), {"value": value})], lang)


def _use_calendar(option: Optional[List[Path]], lang: str) -> None:
    """Lay the holiday notices named by --calendar (else the environment, else the configuration
    file) over the packaged calendar; a bad notice stops the run (exit 2) before anything is
    counted with it."""
    settings, _ = _settings({"calendar": tuple(option or ())})
    _use_notices(settings["calendar"], lang)


def _use_notices(setting, lang: str) -> None:
    """The calendar setting (checker.run.config.Setting) laid over the packaged calendar."""
    from checker.input import workdays as calendar
    from checker.input.notices import load_notices
    try:
        calendar.use_notices(load_notices([(str(path), setting.origin) for path in setting.value], display))
    except InputError as err:
        _fail_with(err.problems, lang)


def _load_ruleset(rules_dir: Optional[Path], lang: str):
    """The register and the rules in force: --rules, else the configuration file's rules."""
    if rules_dir is None:
        rules_dir = _settings({})[0]["rules"].value
    register, rule_set = _load_rule_set(rules_dir, lang)
    return register, rule_set.rules


def _load_rule_set(rules_dir: Optional[Path], lang: str):
    """The register and the checker.ruleset.packs.RuleSet at --rules: a pack (pack.yaml), a directory or
    a file of rules; the bundled rules without it."""
    from checker import api
    try:
        loaded = api.load_rules(rules_dir)
    except InputError as err:
        _fail_with(err.problems, lang)
    return loaded.register, loaded.rule_set


def _hall_files(paths: List[Path], ignore: tuple = (), base: Optional[Path] = None) -> list[tuple[str, str]]:
    """(path to read, name to show) for every hall file named or found below a directory (see
    checker.run.discover: *.hall.yaml first; `ignore` patterns relative to `base`)."""
    from checker.run.discover import hall_files
    return hall_files(paths, display, ignore, base)


def _report_unusable(reports, lang: str) -> None:
    """Why a hall file could not be used goes to stderr, whatever the report format."""
    console = _stderr()
    for report in reports:
        for problem in report.problems:
            console.print(problem_line(problem, lang), markup=False)


def _write(text: "str | bytes", output: Optional[Path], inputs=()) -> None:
    """To stdout, or to --output without harming it or any input (checker.run.output)."""
    from checker.run.output import write_report
    write_report(text, output, display, inputs)


def _opened(output: Optional[Path], inputs=()):
    """A text stream to stdout or to --output, for a report written piece by piece (checker.run.output)."""
    from checker.run.output import report_stream
    return report_stream(output, display, inputs)


def _check_output(output: Optional[Path], inputs: list, lang: str) -> None:
    """Refuse an --output that cannot take the report before any work is done."""
    if output is None:
        return
    from checker.run.output import check_target
    try:
        check_target(output, display, inputs)
    except InputError as err:
        _fail_with(err.problems, lang)


def _progress_wanted(format_is_text: bool, output: Optional[Path]) -> bool:
    """A progress bar only for a person at a terminal: not in CI, not into a pipe, and not while
    a machine-readable report is being written to the same terminal."""
    if os.environ.get("CI"):
        return False
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        return False
    return format_is_text or output is not None


def _audit_run(files: list[tuple[str, str]], rule_set, register, backend, day, lang: str, *, jobs: int,
               timeout: float, waivers: Optional[Path], baseline: Optional[str], fail_on_new: bool,
               progress: bool, dates: tuple = (None, False), imports: Optional[Path] = None,
               dask=None):
    """The reports of every hall (checker.audit.batch), as a stream in input order, each with the
    waivers applied and compared with the baseline; and a function giving the run's RunInfo
    once the stream is consumed (the waivers' notices need every hall). The waivers and the
    baseline are read first, so that a bad one stops the run before it starts."""
    from checker.audit.results import RunInfo
    ruleset = rule_set.rules
    if fail_on_new and baseline is None:
        _fail_with([Problem("cli.needs_baseline", Location("--fail-on-new"))], lang)
    if imports is not None and len(files) != 1:
        _fail_with([Problem("import.one_hall", Location("--import"))], lang)
    mapping = (str(imports), display(imports)) if imports is not None else None
    waiving = earlier = None
    try:
        if waivers is not None:
            from checker.run.waivers import Waiving, load_waivers
            waiving = Waiving(load_waivers(str(waivers), display(waivers), {rule.id for rule in ruleset}))
        if baseline is not None:
            earlier = _load_baseline(baseline, lang)
    except InputError as err:
        _fail_with(err.problems, lang)

    def finish() -> RunInfo:
        return RunInfo(waivers_file=display(waivers) if waivers is not None else None,
                       notices=tuple(waiving.notices()) if waiving is not None else (),
                       baseline_file=earlier.file if earlier is not None else None, fail_on_new=fail_on_new)

    stream = _audited(files, ruleset, register, backend, day, lang, jobs, timeout, progress, dask, mapping)
    return _marked(stream, waiving, earlier, dates), finish


def _load_baseline(baseline: str, lang: str):
    """An earlier JSON report, or the last audit of each hall in an audit history."""
    from checker.run.store import is_store
    if is_store(baseline):
        return _open_store(baseline, lang).baseline(lang)
    from checker.run.baseline import load_baseline
    return load_baseline(baseline, display(Path(baseline)))


def _audited(files, ruleset, register, backend, day, lang: str, jobs: int, timeout: float, progress: bool,
             dask=None, imports: Optional[tuple] = None):
    """Each hall's report as its audit finishes, in input order, under a progress bar when wanted.
    `dask`: None for this machine; else on Dask, at the scheduler it names (True: a local cluster)."""
    def audits(on_progress=None):
        if dask is None:
            from checker.audit.batch import audit_stream
            return audit_stream(files, ruleset, register, backend, day, jobs=jobs, timeout=timeout,
                                on_progress=on_progress, imports=imports)
        from checker.audit.executor_dask import audit_on_dask
        return audit_on_dask(files, ruleset, register, backend, day, timeout,
                             scheduler=dask if isinstance(dask, str) else None, workers=max(2, jobs),
                             on_progress=on_progress, imports=imports)

    if not (progress and len(files) > 1):
        yield from audits()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    with Progress(TextColumn("审核" if lang == "zh" else "auditing"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=_stderr(), transient=True) as bar:
        task = bar.add_task("", total=len(files))
        yield from audits(lambda done, _total: bar.update(task, completed=done))


def _marked(stream, waiving, earlier, dates: tuple):
    """The reports with the notices about their audit date, the waivers applied, and their
    findings compared with the baseline."""
    from checker.run.dates import with_date_notice
    from checker.run.baseline import compare_hall
    today = dt.date.today()
    for report in stream:
        report = with_date_notice(report, today, *dates)
        if waiving is not None:
            report = waiving.apply(report)
        if earlier is not None:
            report = compare_hall(report, earlier)
        yield report


def _report_notices(run, lang: str) -> None:
    """Waiver notices go to stderr when the report format has no place for them."""
    console = _stderr()
    for notice in run.notices:
        console.print(problem_line(notice, lang), markup=False)


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., metavar="PATH", help="Hall description files, or directories of them (*.hall.yaml first).", show_default=False),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE", help="Audit date YYYY-MM-DD; default: the file's as_of, else today."),
    format: Optional[Format] = typer.Option(None, "--format", metavar="FORMAT", show_default=False,
                                            help="text (default), json, jsonl (a hall a line, written as each finishes), sarif, junit, markdown, html, csv, pdf (printed by Chromium), "
                                                 "xlsx (a rectification ledger), gitlab (Code Quality) or github (workflow annotations)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report to this file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text report: only the failures and the summary."),
    appendix: bool = typer.Option(False, "--appendix", help="html and pdf: list every rule that does not apply, with its reason."),
    lang: Optional[Lang] = LANG_OPTION,
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", show_default=False,
                                             help="Lowest severity whose failure gives exit 1 (default minor)."),
    engine: Optional[Engine] = typer.Option(None, "--engine", show_default=False,
                                            help="auto (default: durable where it imports), durable or python."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="A rule pack (a directory with pack.yaml) or a directory of rules instead of the bundled ones."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list rules that do not apply."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, max=MAX_JOBS, show_default=False,
                                       help=f"Audit with N worker processes (default 1, at most {MAX_JOBS})."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.001, max=MAX_TIMEOUT, metavar="SECONDS", show_default=False,
                                            help="Time one hall may take (default 60, at most a day); past it the hall is reported as not audited (exit 2) and the run goes on."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="A YAML file of approved waivers (`hallcheck schema waivers`)."),
    baseline: Optional[str] = typer.Option(None, "--baseline", metavar="REPORT.json|STORE",
                                           help="An earlier --format json report, or an audit history (an SQLite file, a database "
                                                "URL, or `store` for the one of --store): its last audit of each hall. Marks each "
                                                "finding new, persisting or fixed."),
    fail_on_new: Optional[bool] = typer.Option(None, "--fail-on-new", show_default=False, help="With --baseline: exit 1 only for new findings."),
    allow_nothing_checked: bool = typer.Option(False, "--allow-nothing-checked",
                                               help="A hall no rule could be decided for (none applies, or data is missing for all) is reported but is not exit 2."),
    calendar: Optional[List[Path]] = CALENDAR_OPTION,
    max_data_age: int = typer.Option(DEFAULT_MAX_AGE_DAYS, "--max-data-age", min=0, max=100_000, metavar="DAYS",
                                     envvar="HALLCHECK_MAX_DATA_AGE",
                                     help="Flag a hall whose data (its as_of) is older than this many days."),
    refuse_hall_date: bool = typer.Option(False, "--refuse-hall-date", envvar="HALLCHECK_REFUSE_HALL_DATE",
                                          help="Do not audit a hall whose own as_of would decide the audit date (for CI: give --as-of)."),
    imports: Optional[Path] = typer.Option(None, "--import", metavar="MAP",
                                           help="A mapping file (`hallcheck schema mapping`): audit the one hall file with the ledgers it names merged in; findings name their cells."),
    store: Optional[str] = typer.Option(None, "--store", metavar="[PATH|URL]",
                                        help="Record this run in an audit history (`hallcheck history`): an SQLite file, or a "
                                             "database URL (postgresql://user@host/db) shared by a team. Alone (last, or before "
                                             "another option): an SQLite file in your data directory."),
    executor: Executor = typer.Option(Executor.local, "--executor",
                                      help="local (this machine: --jobs worker processes) or dask (a Dask cluster; "
                                           "pip install 'hallcheck[dask]')."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="With --executor dask: the scheduler's address (tcp://host:8786); "
                                                 "default: a cluster of --jobs (at least 2) processes on this machine."),
    shard: Optional[str] = typer.Option(None, "--shard", metavar="K/N",
                                        help="Audit only the K-th of N equal parts of the halls (1/4 ... 4/4), for "
                                             "jobs run apart; `hallcheck merge` makes their reports one."),
    omit: Optional[List[Omit]] = typer.Option(None, "--omit", metavar="STATUS",
                                              help="json and jsonl: leave out the results of this status "
                                                   "(not_applicable); they are still counted."),
):
    """Audit halls: every rule, clause by clause. Options not given are read from .hallcheck.yaml
    (or [tool.hallcheck] in pyproject.toml) in this directory or above: `hallcheck config`."""
    settings, found = _settings({"rules": rules, "lang": lang.value if lang else None, "fail-on": _value(fail_on),
                                 "format": _value(format), "engine": _value(engine), "jobs": jobs, "timeout": timeout,
                                 "waivers": waivers, "baseline": baseline, "fail-on-new": fail_on_new,
                                 "calendar": tuple(calendar or ())}, lang)
    value = {key: setting.value for key, setting in settings.items()}
    language = value["lang"] or default_lang()
    chosen, fail_level = Format(value["format"]), value["fail-on"]
    day = _parse_date(as_of, language)
    _use_notices(settings["calendar"], language)
    baseline = value["baseline"]
    inputs = [*paths, *value["calendar"], *(p for p in (value["rules"], value["waivers"], baseline, store) if p)]
    _check_output(output, inputs, language)
    register, rule_set = _load_rule_set(value["rules"], language)
    ruleset = rule_set.rules
    backend = _backend(Engine(value["engine"]), language)
    files = _hall_files(paths, value["ignore"], found.directory if found else None)
    history = _open_store(store, language) if store is not None else None
    if baseline is not None and str(baseline) == "store":  # the audit history of --store, or the default one
        baseline = history.name if history is not None else store_location("")
    part = _shard(shard, language) if shard is not None else None
    if part is not None:
        files = files[len(files) * (part["index"] - 1) // part["count"]:len(files) * part["index"] // part["count"]]
    dask = (_dask_available(language) and (scheduler or True)) if executor is Executor.dask else None
    stream, finish = _audit_run(files, rule_set, register, backend, day, language, jobs=value["jobs"],
                                timeout=value["timeout"], waivers=value["waivers"],
                                baseline=str(baseline) if baseline is not None else None,
                                fail_on_new=value["fail-on-new"], progress=_progress_wanted(chosen is Format.text, output),
                                dates=(max_data_age, refuse_hall_date), imports=imports, dask=dask)
    recorder = None
    if history is not None:
        from checker.run.store import rules_digest
        recorder = history.recorder(rule_set.info(), rules_digest(ruleset), day, __version__)
        stream = _recorded(stream, files, recorder)

    def run_info():
        import dataclasses
        run = dataclasses.replace(finish(), accept_nothing_checked=allow_nothing_checked)
        if value["rules"] is not None:  # the report says which pack and overrides were in force
            run = dataclasses.replace(run, rules=rule_set.info())
        return dataclasses.replace(run, shard=part)

    omitted = tuple(status.value for status in omit or ())
    try:
        if chosen.value in STREAMED:
            counted, run = _stream_report(chosen, stream, run_info, language, fail_level, output, inputs,
                                          verbose=verbose, quiet=quiet, omit=omitted, shard=part)
        else:
            counted, run = _whole_report(chosen, list(stream), run_info, language, fail_level, output, inputs,
                                         register, rule_set, verbose=verbose, quiet=quiet, appendix=appendix,
                                         omit=omitted)
    except BaseException:
        if recorder is not None:
            recorder.abandon()  # a run that did not finish is not history
        raise
    code = counted.exit_code(fail_level, run)
    if recorder is not None:
        recorder.finish(code)
    if output is not None:
        _confirm(output, counted, language)
    raise Exit(code)


def _dask_available(lang: str) -> bool:
    """True when the dask extra is installed; else exit 2 saying how to install it."""
    import importlib.util
    if importlib.util.find_spec("distributed") is None:
        _fail_with([Problem("executor.no_dask", Location("--executor"), {"command": "pip install 'hallcheck[dask]'"})],
                   lang)
    return True


def _shard(option: str, lang: str) -> dict:
    """--shard K/N as {"index": K, "count": N}; exit 2 unless 1 <= K <= N."""
    index, _, count = option.partition("/")
    if index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count):
        return {"index": int(index), "count": int(count)}
    _fail_with([Problem("cli.bad_shard", Location("--shard"), {"value": option})], lang)


def store_location(option: str) -> str:
    """Where --store records: the path or URL given, else the SQLite file in the user's data directory."""
    from checker.run.store import default_location
    return option or default_location()


def _open_store(option: str, lang: str):
    from checker.run.store import open_store
    try:
        return open_store(store_location(option))
    except InputError as err:
        _fail_with(err.problems, lang)


def _recorded(stream, files, recorder):
    """The reports, each recorded in the audit history as it passes."""
    for report, (path, _name) in zip(stream, files):
        recorder.record(report, path)
        yield report


def _stream_report(format: Format, stream, run_info, lang: str, fail_on: str, output: Optional[Path], inputs: list,
                   *, verbose: bool, quiet: bool, omit: tuple, shard: Optional[dict] = None):
    """Text or JSON lines, each hall written as its audit finishes: (the run's Tally, its RunInfo)."""
    from checker.reports.report import Tally, jsonl_end, jsonl_hall, jsonl_head, print_hall, print_tail
    counted = Tally(rows=format is not Format.jsonl)
    with _opened(output, inputs) as out:
        if format is Format.jsonl:
            out.write(jsonl_head(lang, fail_on, shard))
            for report in stream:
                _report_unusable([report], lang)
                out.write(jsonl_hall(counted.add(report), lang, omit))
                out.flush()  # a reader following the stream sees each hall as it finishes
            run = run_info()
            _report_notices(run, lang)
            out.write(jsonl_end(counted, lang, fail_on, run))
            return counted, run
        console = _stdout() if output is None else terminal_console(file=out, width=120, highlight=False)
        for report in stream:
            _report_unusable([report], lang)
            print_hall(counted.add(report), lang, console, verbose, quiet)
        run = run_info()
        print_tail(counted, lang, console, run, quiet)
    return counted, run


def _whole_report(format: Format, reports: list, run_info, lang: str, fail_on: str, output: Optional[Path],
                  inputs: list, register, rule_set, *, verbose: bool, quiet: bool, appendix: bool, omit: tuple):
    """A report written once every hall is audited (JSON and the documents): (its Tally, its RunInfo)."""
    from checker.reports.report import tally, to_json
    run = run_info()
    _report_unusable(reports, lang)
    _report_notices(run, lang)
    if format is Format.json:
        _write(to_json(reports, lang, fail_on, run, omit=omit), output, inputs)
    else:
        from checker import api
        from checker.reports import formats
        if format.value in formats.BINARY and output is None and sys.stdout.isatty():
            _fail_with([Problem("cli.binary_to_terminal", Location("--output"), {"format": format.value})], lang)
        _write(api.render(reports, format.value, lang=lang, fail_on=fail_on, rules=api.Rules(register, rule_set),
                          run=run, verbose=verbose, quiet=quiet, appendix=appendix), output, inputs)
    return tally(reports), run


def _value(choice: Optional[Enum]):
    return choice.value if choice is not None else None


def _confirm(output: Path, counted, lang: str) -> None:
    """Say on stderr what was written where: a report file is the point of the run."""
    failures = counted.summary()["fail"]
    what = (f"{counted.halls} 个大厅，不符合 {failures} 项" if lang == "zh"
            else f"{counted.halls} hall(s), {failures} failure(s)")
    _stderr().print(render("cli.wrote", {"path": display(output), "what": what}, lang), markup=False)


@app.command("config")
def config_command(lang: Optional[Lang] = LANG_OPTION):
    """The effective settings of `hallcheck check` here, and where each came from: the
    configuration file (.hallcheck.yaml, or [tool.hallcheck] in pyproject.toml, from this
    directory up), the environment, or the default. Options on the command line override them."""
    settings, found = _settings({"lang": lang.value if lang else None}, lang)
    language = settings["lang"].value or default_lang()
    console = _stdout()
    console.print(render("config.file", {"file": found.file}, language) if found else render("config.none", {}, language),
                  markup=False)
    rows = [(pick(("设置", "setting"), language), pick(("值", "value"), language), pick(("来源", "from"), language))]
    rows += [(setting.name, _shown(setting, language), _origin(setting, language)) for setting in settings.values()]
    widths = [max(cell_len(row[i]) for row in rows) for i in (0, 1)]
    for name, value, origin in rows:  # one line a setting, never wrapped: paths stay whole
        console.print(name + " " * (widths[0] - cell_len(name) + 2) + value + " " * (widths[1] - cell_len(value) + 2) + origin,
                      markup=False, soft_wrap=True)


def _shown(setting, lang: str) -> str:
    """A setting's value as an option would take it; paths relative to here."""
    value = setting.value
    if setting.name == "lang" and value is None:
        return default_lang()
    if setting.name == "rules" and value is None:
        return render("config.builtin", {}, lang)
    if isinstance(value, Path):
        return display(value)
    if isinstance(value, tuple):
        return ", ".join(display(item) if isinstance(item, Path) else str(item) for item in value) or "—"
    if value is None:
        return "—"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _origin(setting, lang: str) -> str:
    if setting.origin != "default":
        return setting.origin
    return render("config.locale" if setting.name == "lang" else "config.default", {}, lang)
class MergeFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"


@app.command()
def merge(
    reports: List[Path] = typer.Argument(..., metavar="REPORT", help="The reports of a run's shards (json or jsonl)."),
    format: MergeFormat = typer.Option(MergeFormat.json, "--format", help="json, or jsonl (a hall a line)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report to this file."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """Make the reports of `check --shard K/N` runs one report, halls in the order of one whole run."""
    from checker.run.merge import in_order, merged_json, merged_totals, read_part, write_jsonl
    language = _lang(lang)
    try:
        parts = in_order([read_part(str(path), display(path)) for path in reports])
    except InputError as err:
        _fail_with(err.problems, language)
    if format is MergeFormat.json:
        _write(merged_json(parts), output)
    else:
        with _opened(output) as out:
            write_jsonl(parts, out)
    raise Exit(merged_totals(parts)["exit_code"])


class HistoryFormat(str, Enum):
    text = "text"
    html = "html"


@app.command()
def history(
    hall: str = typer.Argument(..., metavar="HALL", help="The hall's file (as `check` shows it) or its name."),
    store: Optional[str] = typer.Option(None, "--store", metavar="[PATH|URL]",
                                        help="The audit history: an SQLite file or a database URL; default: the one in your data directory."),
    format: HistoryFormat = typer.Option(HistoryFormat.text, "--format", help="text, or html (with a trend chart)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write it to this file."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """A hall's audits over time: per audit what is new, still there, and fixed since the one before."""
    language = _lang(lang)
    found = _open_store(store or "", language).history(hall)
    if not found:
        _fail_with([Problem("history.unknown_hall", Location(hall), {"hall": hall})], language)
    from checker.reports.history import history_html, print_history
    if format is HistoryFormat.html:
        _write(history_html(found, language), output)
        return
    with _opened(output) as out:
        print_history(found, language, _stdout() if output is None else Console(file=out, width=120, highlight=False))


@app.command()
def schema(name: SchemaName = typer.Argument(..., help="hall, calendar (--calendar FILE), rule, regulation, report, waivers, examples (a rule's *.test.yaml), pack (pack.yaml) or config (.hallcheck.yaml).")):
    """Print a JSON Schema, for editors and validators."""
    from checker.input import schema as schemas
    document = schemas.hall_schema() if name is SchemaName.hall else schemas.named_schema(name.value)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@app.command("import")
def import_(
    mapping: Optional[Path] = typer.Argument(None, metavar="MAP", help="A mapping file (`hallcheck schema mapping`).", show_default=False),
    base: Optional[Path] = typer.Option(None, "--base", metavar="HALL.yaml", help="The hand-written hall file the rows are merged into."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the merged hall YAML here (never overwrites); default stdout."),
    infer: Optional[Path] = typer.Option(None, "--infer", metavar="FILE", help="Propose a mapping for this ledger from the headers it recognises."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="With --infer: the sheet to read (default the first)."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """Read ledgers (.xlsx .xls .ods .csv) into a hall description for review; the ledgers are only read."""
    from checker.input import imports
    language = _lang(lang)
    try:
        if infer is not None:
            text, found = imports.infer(str(infer), display(infer), sheet)
            sys.stdout.write(text)
            words = imports.layout(found["layout"])["description"]
            _stderr().print(render("import.inferred", {"layout": found["layout"], "layout_zh": words["zh"],
                                                       "layout_en": words["en"], "row": found["row"],
                                                       "fields": found["fields"]}, language), markup=False)
            return
        if mapping is None or base is None:
            _fail_with([Problem("import.needs_map", Location("hallcheck import"))], language)
        if output is not None and output.exists():
            _fail_with([Problem("cli.exists", Location(display(output)), {"path": display(output)})], language)
        hall = imports.imported_hall(str(base), display(base), str(mapping), display(mapping))
    except InputError as err:
        _fail_with(err.problems, language)
    text = imports.hall_yaml(hall.document.data)
    if output is None:
        sys.stdout.write(text)
        return
    with open(output, "x", encoding="utf-8") as stream:
        stream.write(text)
    _stderr().print(("已写入 " if language == "zh" else "wrote ") + display(output), markup=False)


@app.command()
def init(
    path: Path = typer.Argument(Path("hall.yaml"), help="Where to write the template."),
    regulation: Optional[str] = typer.Option(None, "--regulation", metavar="ID",
                                             help="Only the fields this regulation's rules read, each under the clause that needs it."),
    level: Optional[str] = typer.Option(None, "--level", help="Only the rules for halls of this level (city, county, township, village, or 乡镇级 ...)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="The hall's kind; default: the kind most of the selected rules govern."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """Write a commented hall description template holding every field the rules read (never overwrites)."""
    from checker.authoring.hall_template import checked_selection, template_text
    language = _lang(lang)
    register, rule_set = _load_rule_set(None, language)
    try:
        text = template_text(checked_selection(rule_set.rules, register, regulation, level, kind))
    except InputError as err:
        _fail_with(err.problems, language)
    from checker.run.output import create_new
    try:
        create_new(path, text, display)
    except InputError as err:
        _fail_with(err.problems, language)
    _stderr().print(("已写入 " if language == "zh" else "wrote ") + visible(display(path)), markup=False)


@regulations_app.command("list")
def regulations_list(lang: Optional[Lang] = LANG_OPTION):
    """List the regulations in the register."""
    language = _lang(lang)
    from rich.table import Table
    table = Table()
    for column in ("id", "title", "document", "in force", "expires", "clauses"):
        table.add_column(column)
    for regulation in load_register(bundled("regulations")).values():
        table.add_row(regulation.id, regulation.title, regulation.document_number or "—",
                      regulation.in_force.isoformat(), regulation.expires.isoformat() if regulation.expires else "—",
                      str(len(regulation.clauses)))
    _stdout().print(table)


def complete_regulation(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the regulation ids starting with what is typed, with their titles."""
    from checker.completion import regulation_ids
    return regulation_ids(incomplete)


def complete_clause(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the clause paths of the regulation already typed."""
    from checker.completion import clause_paths
    return clause_paths(ctx.params.get("regulation_id") or "", incomplete)


def complete_rule(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the rule ids (of --rules when already typed) starting with what is typed."""
    from checker.completion import rule_ids
    return rule_ids(incomplete, ctx.params.get("rules"))


@regulations_app.command("show")
def regulations_show(regulation_id: str = typer.Argument(..., metavar="ID", autocompletion=complete_regulation),
                     clause: Optional[str] = typer.Argument(None, metavar="CLAUSE", autocompletion=complete_clause),
                     lang: Optional[Lang] = LANG_OPTION):
    """Print a regulation, or one clause of it, with everything nested under it."""
    language = _lang(lang)
    register = load_register(bundled("regulations"))
    regulation = register.get(regulation_id)
    if regulation is None:
        _fail_with([Problem("cli.unknown_regulation", Location(regulation_id), {"id": regulation_id})], language)
    console = terminal_console(highlight=False, soft_wrap=True)
    if clause is None:
        console.print(f"{regulation.title}\n{regulation.issuer}  {regulation.document_number or ''}", markup=False)
        for item in regulation.clauses:
            console.print(f"[{item.path}] {item.label} {item.text}", markup=False)
        return
    if regulation.clause(clause) is None:
        _fail_with([Problem("rule.unknown_clause", Location(regulation_id), {"clause": clause, "regulation": regulation_id})],
                   language)
    console.print(f"{regulation.title} [{clause}] {regulation.clause(clause).label}", markup=False)
    console.print(regulation.full_text(clause), markup=False)


@rules_app.command("list")
def rules_list(rules: Optional[Path] = typer.Option(None, "--rules"), lang: Optional[Lang] = LANG_OPTION):
    """List the rules: id, clause, severity, title."""
    language = _lang(lang)
    _, ruleset = _load_ruleset(rules, language)
    from rich.table import Table
    table = Table()
    for column in ("id", "clause", "severity", "title"):
        table.add_column(column, overflow="fold")
    for rule in ruleset:
        table.add_row(rule.id, rule.clause, rule.severity, visible(pick(rule.title, language)))  # a pack's words
    _stdout().print(table)


class TestFormat(str, Enum):
    table = "table"
    junit = "junit"


@rules_app.command("test")
def rules_test(paths: Optional[List[Path]] = typer.Argument(None, help="Rule files, directories of rules or rule packs; default: the bundled rules."),
               rules: Optional[Path] = typer.Option(None, "--rules", help="Same as a PATH."),
               engine: Engine = typer.Option(Engine.auto, "--engine"),
               format: TestFormat = typer.Option(TestFormat.table, "--format", help="table, or junit (XML, one testcase per example case) for CI."),
               output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
               lang: Optional[Lang] = LANG_OPTION):
    """Run the rules' examples: a pass/fail line per rule, and every mismatch side by side.
    Exit 1 when a case does not give what it expects, 2 when examples cannot be run."""
    from checker.authoring.ruletest import collect_suite, junit_xml, run_suite
    language = _lang(lang)
    inputs = list(paths or []) + ([rules] if rules else [])
    _check_output(output, inputs, language)
    try:
        register = load_register(bundled("regulations"))
    except InputError as err:
        _fail_with(err.problems, language)
    backend = _backend(engine, language)
    suite = collect_suite(list(paths or []) + ([rules] if rules else []), register, display)
    outcomes, problems = run_suite(suite, register, backend, display)
    failures = sum(not outcome.ok for outcome in outcomes)
    if format is TestFormat.junit:
        _write(junit_xml(outcomes, problems, language), output, inputs)
    else:
        _print_test_table(outcomes, language, output, inputs)
    if problems:
        _fail_with(problems, language)
    raise Exit(1 if failures else 0)


def _print_test_table(outcomes, language: str, output: Optional[Path], inputs=()) -> None:
    from rich.table import Table
    from checker.authoring.ruletest import mismatch_rows
    zh = language == "zh"
    console = terminal_console(file=open(os.devnull, "w"), record=True, width=120, highlight=False) if output else _stdout()
    by_rule: dict = {}
    for outcome in outcomes:
        by_rule.setdefault(outcome.rule, []).append(outcome)
    table = Table(box=None, pad_edge=False, show_header=True)
    for column in (("", ""), ("规则", "rule"), ("用例", "cases"), ("未通过的用例", "failing cases")):
        table.add_column(pick(column, language), overflow="fold")
    for rule_id, cases in by_rule.items():
        bad = [c for c in cases if not c.ok]
        table.add_row("✗" if bad else "✓", rule_id, f"{len(cases) - len(bad)}/{len(cases)}",
                      visible("; ".join(c.name for c in bad)), style="red" if bad else None)
    console.print(table)
    for outcome in (c for c in outcomes if not c.ok):
        side = Table(title=visible(f"✗ {outcome.rule} — {outcome.name} ({outcome.file}:{outcome.line})"), title_justify="left",
                     show_lines=True)
        for column in (("", ""), ("期望", "expected"), ("实际", "actual")):
            side.add_column(pick(column, language), overflow="fold")
        for what, expected, actual, differs in mismatch_rows(outcome):
            side.add_row(("✗ " if differs else "  ") + what, visible_lines(expected), visible_lines(actual),
                         style="red" if differs else None)
        console.print(side)
    failed = sum(not c.ok for c in outcomes)
    rules_failed = sum(any(not c.ok for c in cases) for cases in by_rule.values())
    console.print((f"{len(by_rule)} 条规则，{len(outcomes)} 个用例：通过 {len(outcomes) - failed}，未通过 {failed}"
                   f"（涉及 {rules_failed} 条规则）") if zh else
                  (f"{len(by_rule)} rule(s), {len(outcomes)} case(s): {len(outcomes) - failed} passed, {failed} failed"
                   f" (in {rules_failed} rule(s))"), markup=False)
    if output is not None:
        _write(console.export_text(), output, inputs)


@rules_app.command("lint")
def rules_lint(paths: Optional[List[Path]] = typer.Argument(None, help="Rule files, example files, directories of rules or rule packs; default: the bundled rules."),
               lang: Optional[Lang] = LANG_OPTION):
    """Every problem in every rule file at once, as FILE:LINE:COL: path: message. Exit 2 when any."""
    from checker.authoring.lint import lint
    language = _lang(lang)
    try:
        register = load_register(bundled("regulations"))
    except InputError as err:
        _fail_with(err.problems, language)
    report = lint(list(paths or [bundled("rules")]), register, display)
    console = _stdout()
    for problem in report.problems:
        console.print(problem_line(problem, language), markup=False, soft_wrap=True)
    files = len({problem.location.file for problem in report.problems})
    if report.problems:
        console.print(f"{len(report.problems)} 个问题，涉及 {files} 个文件（检查了 {report.rules} 条规则）" if language == "zh"
                      else f"{len(report.problems)} problem(s) in {files} file(s) ({report.rules} rule(s) checked)",
                      markup=False)
        raise Exit(2)
    console.print(f"没有问题：{report.rules} 条规则，{report.examples} 个示例文件" if language == "zh"
                  else f"no problems: {report.rules} rule(s), {report.examples} example file(s)", markup=False)
    raise Exit(0)


@rules_app.command("new")
def rules_new(regulation: str = typer.Option(..., "--regulation", metavar="ID", help="The regulation, e.g. kaifeng-2014."),
              clause: str = typer.Option(..., "--clause", metavar="PATH", help="The clause path, e.g. art28."),
              slug: Optional[str] = typer.Option(None, "--slug", help="The last part of the rule id; default: todo."),
              directory: Optional[Path] = typer.Option(None, "--dir", help="Where to write; default rules/<regulation>."),
              lang: Optional[Lang] = LANG_OPTION):
    """Write a rule skeleton (citation and the clause's words filled in) and its example file; never overwrites."""
    from checker.authoring.scaffold import new_rule
    language = _lang(lang)
    try:
        register = load_register(bundled("regulations"))
        written = new_rule(register, regulation, clause, slug, directory or Path("rules") / regulation, display)
    except InputError as err:
        _fail_with(err.problems, language)
    for path in written:
        _stderr().print(("已写入 " if language == "zh" else "wrote ") + visible(display(path)), markup=False)


class CoverageFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def coverage(regulation: Optional[str] = typer.Option(None, "--regulation", help="Only this regulation."),
             format: CoverageFormat = typer.Option(CoverageFormat.text, "--format"),
             rules: Optional[Path] = typer.Option(None, "--rules"),
             lang: Optional[Lang] = LANG_OPTION,
             interpretations: bool = typer.Option(False, "--interpretations",
                                                  help="Instead: every reading decision the rules record (interpretations, severity reasons).")):
    """Every clause: the rules that encode it, or why it is not checkable; exit 1 if any is neither."""
    from checker.authoring.coverage import coverage as measure, readings
    from checker.authoring.coverage_report import render_coverage, render_readings
    language = _lang(lang)
    register, ruleset = _load_ruleset(rules, language)
    if regulation is not None and regulation not in register:
        _fail_with([Problem("cli.unknown_regulation", Location(regulation), {"id": regulation})], language)
    if interpretations:
        rows = [r for r in readings(ruleset) if regulation in (None, r.regulation)]
        text = render_readings(rows, format.value, language)
        sys.stdout.write(visible_lines(text) if format is CoverageFormat.text else text)
        raise Exit(0)
    result = [c for c in measure(register, ruleset) if regulation in (None, c.regulation.id)]
    text = render_coverage(result, format.value, language)
    sys.stdout.write(visible_lines(text) if format is CoverageFormat.text else text)
    raise Exit(1 if any(c.count("missing") for c in result) else 0)


@app.command()
def explain(rule_id: str = typer.Argument(..., metavar="RULE", autocompletion=complete_rule),
            rules: Optional[Path] = typer.Option(None, "--rules"), lang: Optional[Lang] = LANG_OPTION,
            hall: Optional[Path] = typer.Option(None, "--hall", metavar="FILE",
                                                help="Audit this hall with this rule alone and show every value it read."),
            as_of: Optional[str] = typer.Option(None, "--as-of", help="With --hall: the audit date."),
            engine: Engine = typer.Option(Engine.auto, "--engine"),
            calendar: Optional[List[Path]] = CALENDAR_OPTION):
    """The clause a rule encodes, the rule in words, and its examples; with --hall, what it read there."""
    from checker.authoring.explain import explain_rule
    language = _lang(lang)
    _use_calendar(calendar, language)
    register, ruleset = _load_ruleset(rules, language)
    rule = next((r for r in ruleset if r.id == rule_id), None)
    if rule is None:
        _fail_with([Problem("cli.unknown_rule", Location(rule_id), {"id": rule_id})], language)
    console = terminal_console(highlight=False, soft_wrap=True)
    console.print(visible_lines(explain_rule(rule, register[rule.regulation], language)), markup=False)
    if hall is not None:
        from checker.audit.hall import trace_rule
        from checker.authoring.explain import explain_trace
        from checker.input.load import load_file
        from checker.input.validate import validate_hall
        day = _parse_date(as_of, language)
        try:
            the_hall = validate_hall(load_file(str(hall), display_name=display(hall)))
        except InputError as err:
            _fail_with(err.problems, language)
        backend = _backend(engine, language)
        trace = trace_rule(the_hall, rule, register, backend, day)
        console.print("\n" + visible_lines(explain_trace(trace, the_hall, language)), markup=False)


def _version(value: bool):
    if value:
        print(f"hallcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version.")):
    pass


def _store_without_path(argv: list[str]) -> list[str]:
    """`--store` with no path after it (last, or before another option) stands for the default
    store: an empty value, which the option reads so."""
    out = []
    for at, arg in enumerate(argv):
        out.append(arg)
        if arg == "--store" and (at + 1 == len(argv) or argv[at + 1].startswith("-")):
            out.append("")
    return out


def main(argv: Optional[list[str]] = None) -> int:
    """Run the CLI and return its exit code; only here do errors become exit codes."""
    argv = _store_without_path(list(sys.argv[1:] if argv is None else argv))
    try:
        app(args=argv, prog_name="hallcheck", standalone_mode=False)
        return 0
    except Exit as done:
        return done.code
    except InputError as err:
        language = default_lang()
        for problem in err.problems:
            _stderr().print(problem_line(problem, language), markup=False)
        return 2
    except typer.Exit as done:
        return done.exit_code
    except SystemExit as done:  # typer's shell completion ends with sys.exit
        return done.code if isinstance(done.code, int) else 0
    except KeyboardInterrupt:
        return 130
    except OSError as err:
        from checker.run.output import STDOUT, is_output_error, silence_stdout
        if not is_output_error(err):
            if err.filename is None:
                return _internal_error(err)
            # a path the user named that the system refuses (too long a name, no permission)
            _fail_quietly([Problem("file.unreadable", Location(display(Path(os.fsdecode(err.filename)))),
                                   {"reason": err.strerror or str(err)})])
            return 2
        silence_stdout()  # a full disk or a reader that left: say so where it can still be read
        try:
            _stderr().print(problem_line(Problem("file.unwritable", Location(STDOUT),
                                                 {"reason": err.strerror or str(err)}), default_lang()), markup=False)
        except OSError:
            pass
        return 2
    except Exception as err:  # noqa: BLE001 - the last line of defence: never a traceback
        # click's usage errors, or typer's own copy of them in typer 0.16+ (which drops click)
        if hasattr(err, "show") and isinstance(getattr(err, "exit_code", None), int):
            err.show()
            return err.exit_code
        if type(err).__name__ == "Abort":
            return 130
        return _internal_error(err)


def _fail_quietly(problems: list[Problem]) -> None:
    for problem in problems:
        _stderr().print(problem_line(problem, default_lang()), markup=False)


def _internal_error(err: Exception) -> int:
    _stderr().print(f"hallcheck: internal error ({type(err).__name__}: {err}); please report it. "
                    "Set HALLCHECK_DEBUG=1 for details.", markup=False)
    if os.environ.get("HALLCHECK_DEBUG"):
        raise err
    return 3


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
