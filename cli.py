"""hallcheck's command line: `hallcheck check samples/` and friends.

Every command turns bad input into located messages and exit code 2; no traceback reaches
the user. Exit codes: 0 clean, 1 violations at or above --fail-on, 2 unusable input (or a hall
whose audit timed out or crashed: the report is incomplete), 3 an internal error (a bug: please
report it).
"""

from __future__ import annotations

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
from checker.reports.messages import SEVERITY, default_lang, pick, problem_line, render
from checker.paths import bundled, display
from checker.problems import InputError, Location, Problem
from checker.reports.terminal import console as terminal_console, stderr_console, stdout_console, visible, visible_lines

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


def _dash_is_stdout(value: Optional[Path]) -> Optional[Path]:
    """--output -: standard output, as every tool reads it, never a file named '-'."""
    return None if value is not None and str(value) == "-" else value


def _finite_seconds(value: Optional[float]) -> Optional[float]:
    """A time in seconds is a number: NaN and infinity compare false with every bound, so the
    option's min and max cannot refuse them (and older typers let them through)."""
    import math
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number of seconds")
    return value


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


def _fail_with(problems: list[Problem], lang: str) -> None:
    console = stderr_console()
    for problem in problems:
        console.print(problem_line(problem, lang), markup=False)
    raise Exit(2)


class _Failing:
    """`with _Failing(lang):` turns the InputError of what it runs into located lines and exit 2."""

    def __init__(self, lang: str):
        self.lang = lang

    def __enter__(self):
        return self

    def __exit__(self, kind, err, _trace):
        if isinstance(err, InputError):
            _fail_with(err.problems, self.lang)
        return False


def load_register(directory: Path):
    from checker.ruleset.regulations import load_register as load
    return load(directory)


def _backend(engine: "Engine", lang: str):
    from checker.run.check import backend
    with _Failing(lang):
        return backend(engine.value)


def _use_calendar(option: Optional[List[Path]], lang: str) -> None:
    """Lay the holiday notices named by --calendar (else the environment, else the configuration
    file) over the packaged calendar; a bad notice stops the run (exit 2) before anything is
    counted with it."""
    from checker.run.check import use_notices
    settings, _ = _settings({"calendar": tuple(option or ())})
    with _Failing(lang):
        use_notices(_notices(settings["calendar"]))


def _notices(setting) -> tuple:
    """The calendar setting (checker.run.config.Setting) as (notice file, where it was set) pairs."""
    return tuple((path, setting.origin) for path in setting.value)


def _load_ruleset(rules_dir: Optional[Path], lang: str):
    """The register and the rules in force: --rules, else the configuration file's rules."""
    if rules_dir is None:
        rules_dir = _settings({})[0]["rules"].value
    register, rule_set = _load_rule_set(rules_dir, lang)
    return register, rule_set.rules


def _load_rule_set(rules_dir: Optional[Path], lang: str):
    """The register and the checker.ruleset.packs.RuleSet at --rules: a pack (pack.yaml), a directory or
    a file of rules; the bundled rules without it."""
    from checker.ruleset.loading import load_rules
    with _Failing(lang):
        loaded = load_rules(rules_dir)
    return loaded.register, loaded.rule_set


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
    from checker.run.check import check_output
    with _Failing(lang):
        check_output(output, inputs)


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., metavar="PATH", help="Hall description files, or directories of them (*.hall.yaml first).", show_default=False),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE", help="Audit date YYYY-MM-DD; default: the file's as_of, else today."),
    format: Optional[Format] = typer.Option(None, "--format", metavar="FORMAT", show_default=False,
                                            help="text (default), json, jsonl (a hall a line, written as each finishes), sarif, junit, markdown, html, csv, pdf (printed by Chromium), "
                                                 "xlsx (a rectification ledger), gitlab (Code Quality) or github (workflow annotations)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", callback=_dash_is_stdout, metavar="FILE", help="Write the report to this file."),
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
    timeout: Optional[float] = typer.Option(None, "--timeout", callback=_finite_seconds, min=0.001, max=MAX_TIMEOUT, metavar="SECONDS", show_default=False,
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
    from checker.run import check as run
    settings, found = _settings({"rules": rules, "lang": lang.value if lang else None, "fail-on": _value(fail_on),
                                 "format": _value(format), "engine": _value(engine), "jobs": jobs, "timeout": timeout,
                                 "waivers": waivers, "baseline": baseline, "fail-on-new": fail_on_new,
                                 "calendar": tuple(calendar or ())}, lang)
    value = {key: setting.value for key, setting in settings.items()}
    language = value["lang"] or default_lang()
    with _Failing(language):
        request = run.CheckRequest(
            paths=tuple(paths), lang=language, format=value["format"], fail_on=value["fail-on"],
            as_of=run.parse_date(as_of), output=output, rules=value["rules"], engine=value["engine"],
            jobs=value["jobs"], timeout=value["timeout"], waivers=value["waivers"],
            baseline=str(value["baseline"]) if value["baseline"] is not None else None,
            fail_on_new=value["fail-on-new"], allow_nothing_checked=allow_nothing_checked,
            calendar=_notices(settings["calendar"]), max_data_age=max_data_age, refuse_hall_date=refuse_hall_date,
            imports=imports, store=store, shard=run.parse_shard(shard) if shard is not None else None,
            dask=run.dask_scheduler(scheduler) if executor is Executor.dask else None,
            omit=tuple(status.value for status in omit or ()), ignore=value["ignore"],
            base=found.directory if found else None, verbose=verbose, quiet=quiet, appendix=appendix,
            progress=run.progress_wanted(value["format"] == "text", output))
        raise Exit(run.check(request).exit_code)


def _value(choice: Optional[Enum]):
    return choice.value if choice is not None else None


@app.command("config")
def config_command(lang: Optional[Lang] = LANG_OPTION):
    """The effective settings of `hallcheck check` here, and where each came from: the
    configuration file (.hallcheck.yaml, or [tool.hallcheck] in pyproject.toml, from this
    directory up), the environment, or the default. Options on the command line override them."""
    settings, found = _settings({"lang": lang.value if lang else None}, lang)
    language = settings["lang"].value or default_lang()
    console = stdout_console()
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
    output: Optional[Path] = typer.Option(None, "--output", "-o", callback=_dash_is_stdout, metavar="FILE", help="Write the report to this file."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """Make the reports of `check --shard K/N` runs one report, halls in the order of one whole run."""
    from checker.run.merge import in_order, merged_json, merged_totals, read_part, write_jsonl
    language = _lang(lang)
    with _Failing(language):
        parts = in_order([read_part(str(path), display(path)) for path in reports])
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
    output: Optional[Path] = typer.Option(None, "--output", "-o", callback=_dash_is_stdout, metavar="FILE", help="Write it to this file."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """A hall's audits over time: per audit what is new, still there, and fixed since the one before."""
    language = _lang(lang)
    from checker.run.check import open_store
    with _Failing(language):
        found = open_store(store or "").history(hall)
    if not found:
        _fail_with([Problem("history.unknown_hall", Location(hall), {"hall": hall})], language)
    from checker.reports.history import history_html, print_history
    if format is HistoryFormat.html:
        _write(history_html(found, language), output)
        return
    with _opened(output) as out:
        print_history(found, language, stdout_console() if output is None else terminal_console(file=out, width=120, highlight=False))


@app.command()
def schema(name: SchemaName = typer.Argument(..., help="hall, calendar (--calendar FILE), rule, regulation, report, waivers, examples (a rule's *.test.yaml), pack (pack.yaml) or config (.hallcheck.yaml).")):
    """Print a JSON Schema, for editors and validators."""
    from checker.input import schema as schemas
    if name is SchemaName.rule:  # its condition spelled out from the operator table
        from checker.ruleset.rules import rule_schema
        document = rule_schema()
    else:
        document = schemas.hall_schema() if name is SchemaName.hall else schemas.named_schema(name.value)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@app.command("import")
def import_(
    mapping: Optional[Path] = typer.Argument(None, metavar="MAP", help="A mapping file (`hallcheck schema mapping`).", show_default=False),
    base: Optional[Path] = typer.Option(None, "--base", metavar="HALL.yaml", help="The hand-written hall file the rows are merged into."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", callback=_dash_is_stdout, metavar="FILE", help="Write the merged hall YAML here (never overwrites); default stdout."),
    infer: Optional[Path] = typer.Option(None, "--infer", metavar="FILE", help="Propose a mapping for this ledger from the headers it recognises."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="With --infer: the sheet to read (default the first)."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """Read ledgers (.xlsx .xls .ods .csv) into a hall description for review; the ledgers are only read."""
    from checker.input import imports
    language = _lang(lang)
    with _Failing(language):
        if infer is not None:
            text, found = imports.infer(str(infer), display(infer), sheet)
            sys.stdout.write(text)
            words = imports.layout(found["layout"])["description"]
            stderr_console().print(render("import.inferred", {"layout": found["layout"], "layout_zh": words["zh"],
                                                       "layout_en": words["en"], "row": found["row"],
                                                       "fields": found["fields"]}, language), markup=False)
            return
        if mapping is None or base is None:
            _fail_with([Problem("import.needs_map", Location("hallcheck import"))], language)
        if output is not None and output.exists():
            _fail_with([Problem("cli.exists", Location(display(output)), {"path": display(output)})], language)
        hall = imports.imported_hall(str(base), display(base), str(mapping), display(mapping))
    text = imports.hall_yaml(hall.document.data)
    if output is None:
        sys.stdout.write(text)
        return
    with open(output, "x", encoding="utf-8") as stream:
        stream.write(text)
    stderr_console().print(render("cli.wrote_file", {"path": display(output)}, language), markup=False)


@app.command()
def init(
    path: Path = typer.Argument(Path("hall.yaml"), help="Where to write the template; - for standard output."),
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
    with _Failing(language):
        text = template_text(checked_selection(rule_set.rules, register, regulation, level, kind))
    if str(path) == "-":  # as every tool reads it: standard output, never a file named "-"
        sys.stdout.write(text)
        return
    from checker.run.output import create_new
    with _Failing(language):
        create_new(path, text, display)
    stderr_console().print(render("cli.wrote_file", {"path": display(path)}, language), markup=False)


@regulations_app.command("list")
def regulations_list(lang: Optional[Lang] = LANG_OPTION):
    """List the regulations in the register."""
    language = _lang(lang)
    from rich.table import Table
    table = Table()
    for column in (("编号", "id"), ("名称", "title"), ("文号", "document"), ("施行日期", "in force"),
                   ("失效日期", "expires"), ("条款数", "clauses")):
        # ids and dates whole at 80 columns; titles and document numbers wrap
        table.add_column(pick(column, language), no_wrap=column[1] in ("id", "in force", "expires"), overflow="fold")
    for regulation in load_register(bundled("regulations")).values():
        table.add_row(regulation.id, regulation.title, regulation.document_number or "—",
                      regulation.in_force.isoformat(), regulation.expires.isoformat() if regulation.expires else "—",
                      str(len(regulation.clauses)))
    stdout_console().print(table)


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
    for column in (("编号", "id"), ("条款", "clause"), ("严重程度", "severity"), ("标题", "title")):
        table.add_column(pick(column, language), overflow="fold")
    for rule in ruleset:
        table.add_row(rule.id, rule.clause, pick(SEVERITY[rule.severity], language),
                      visible(pick(rule.title, language)))  # a pack's words
    stdout_console().print(table)


class TestFormat(str, Enum):
    table = "table"
    junit = "junit"


@rules_app.command("test")
def rules_test(paths: Optional[List[Path]] = typer.Argument(None, help="Rule files, directories of rules or rule packs; default: the bundled rules."),
               rules: Optional[Path] = typer.Option(None, "--rules", help="Same as a PATH."),
               engine: Engine = typer.Option(Engine.auto, "--engine"),
               format: TestFormat = typer.Option(TestFormat.table, "--format", help="table, or junit (XML, one testcase per example case) for CI."),
               output: Optional[Path] = typer.Option(None, "--output", "-o", callback=_dash_is_stdout, help="Write the report to this file."),
               lang: Optional[Lang] = LANG_OPTION):
    """Run the rules' examples: a pass/fail line per rule, and every mismatch side by side.
    Exit 1 when a case does not give what it expects, 2 when examples cannot be run."""
    from checker.authoring.ruletest import collect_suite, junit_xml, print_test_table, run_suite
    language = _lang(lang)
    inputs = list(paths or []) + ([rules] if rules else [])
    _check_output(output, inputs, language)
    with _Failing(language):
        register = load_register(bundled("regulations"))
    backend = _backend(engine, language)
    suite = collect_suite(list(paths or []) + ([rules] if rules else []), register, display)
    outcomes, problems = run_suite(suite, register, backend, display)
    failures = sum(not outcome.ok for outcome in outcomes)
    if format is TestFormat.junit:
        _write(junit_xml(outcomes, problems, language), output, inputs)
    elif output is None:
        print_test_table(outcomes, language, stdout_console())
    else:
        console = terminal_console(file=open(os.devnull, "w"), record=True, width=120, highlight=False)
        print_test_table(outcomes, language, console)
        _write(console.export_text(), output, inputs)
    if problems:
        _fail_with(problems, language)
    raise Exit(1 if failures else 0)


@rules_app.command("lint")
def rules_lint(paths: Optional[List[Path]] = typer.Argument(None, help="Rule files, example files, directories of rules or rule packs; default: the bundled rules."),
               lang: Optional[Lang] = LANG_OPTION):
    """Every problem in every rule file at once, as FILE:LINE:COL: path: message. Exit 2 when any."""
    from checker.authoring.lint import lint
    language = _lang(lang)
    with _Failing(language):
        register = load_register(bundled("regulations"))
    report = lint(list(paths or [bundled("rules")]), register, display)
    console = stdout_console()
    for problem in report.problems:
        console.print(problem_line(problem, language), markup=False, soft_wrap=True)
    files = len({problem.location.file for problem in report.problems})
    if report.problems:
        console.print(render("lint.problems", {"problems": len(report.problems), "files": files, "rules": report.rules},
                             language), markup=False)
        raise Exit(2)
    console.print(render("lint.clean", {"rules": report.rules, "examples": report.examples}, language), markup=False)
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
    with _Failing(language):
        register = load_register(bundled("regulations"))
        written = new_rule(register, regulation, clause, slug, directory or Path("rules") / regulation, display)
    for path in written:
        stderr_console().print(render("cli.wrote_file", {"path": display(path)}, language), markup=False)


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
        from checker.run.check import parse_date
        with _Failing(language):
            day = parse_date(as_of)
            the_hall = validate_hall(load_file(str(hall), display_name=display(hall)))
        backend = _backend(engine, language)
        trace = trace_rule(the_hall, rule, register, backend, day)
        console.print("\n" + visible_lines(explain_trace(trace, the_hall, language)), markup=False)


class WatchFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.command()
def watch(
    events: Optional[Path] = typer.Argument(None, help="JSON Lines of case events; standard input when left out or -."),
    replay: Optional[Path] = typer.Option(None, "--replay", metavar="FILE",
                                          help="Run a recorded stream to its end and print the supervisor's summary."),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep reading the file as it grows (until interrupted)."),
    regulation: Optional[str] = typer.Option(None, "--regulation", help="Whose warning rules to run (default: the only regulation that has any)."),
    hall: Optional[Path] = typer.Option(None, "--hall", help="A hall file whose items give the promised limits of cases that do not give theirs."),
    level: Optional[str] = typer.Option(None, "--level", help="Without --hall: the hall's level (city, county, township, village, or 县级 ...), for rules that bind some levels only."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Without --hall: the hall's kind, for rules that bind some kinds only."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                        help="The watcher's clock stops at this day (default: today in a live run; the last event in a replay)."),
    store: Optional[str] = typer.Option(None, "--store", metavar="[PATH|URL]",
                                        help="Where the watcher's state is kept (an SQLite file or a database URL); a live run "
                                             "uses the one in your data directory without it, a replay keeps none."),
    name: Optional[str] = typer.Option(None, "--name", help="The watcher's name in the store (default: the input's name)."),
    format: Optional[WatchFormat] = typer.Option(None, "--format",
                                                 help="Replay: text or json (the summary) or jsonl (the transitions). Live: jsonl "
                                                      "(the default when stdout is not a terminal) or text (the live table)."),
    engine: Engine = typer.Option(Engine.auto, "--engine", help="auto (durable where it imports), durable or python."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="A directory holding warning rules (*.warning.yaml) instead of the bundled ones."),
    poll: float = typer.Option(0.5, "--poll", callback=_finite_seconds, min=0.01, max=60.0, metavar="SECONDS", help="With --follow: how often to look for more."),
    imports: Optional[Path] = typer.Option(None, "--import", metavar="MAP",
                                           help="Replay the case exports a mapping file names (`hallcheck import`), merged into --hall."),
    lang: Optional[Lang] = LANG_OPTION,
    calendar: Optional[List[Path]] = CALENDAR_OPTION,
):
    """Supervise open cases: red-yellow-green warnings as case events arrive (电子监察)."""
    from checker.run.check import parse_date
    from checker.watch.command import WatchRequest, watch as run_watch
    language = _lang(lang)
    _use_calendar(calendar, language)
    with _Failing(language):
        request = WatchRequest(
            lang=language, events=events, replay=replay, imports=imports, hall=hall, level=level, kind=kind,
            follow=follow, poll=poll,
            regulation=regulation, as_of=parse_date(as_of), store=store, name=name,
            format=format.value if format is not None else ("text" if replay is not None or imports is not None else None),
            engine=engine.value, rules=rules)
        raise Exit(run_watch(request))


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
            stderr_console().print(problem_line(problem, language), markup=False)
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
            stderr_console().print(problem_line(Problem("file.unwritable", Location(STDOUT),
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
        stderr_console().print(problem_line(problem, default_lang()), markup=False)


def _internal_error(err: Exception) -> int:
    stderr_console().print(f"hallcheck: internal error ({type(err).__name__}: {err}); please report it. "
                    "Set HALLCHECK_DEBUG=1 for details.", markup=False)
    if os.environ.get("HALLCHECK_DEBUG"):
        raise err
    return 3


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
