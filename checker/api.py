"""hallcheck as a library: audit a hall description, get the report, render it.

For a system that checks a hall description before saving it (an intake form, a document
store), without the command line::

    from checker import api

    rules = api.load_rules()                      # the bundled rules (or api.load_rules("my-pack/"))
    try:
        report = api.audit({"hallcheck": 1, "hall": {...}}, rules=rules, name="intake #42")
    except api.InputError as err:                 # unusable input: every problem located
        for problem in err.problems:
            print(api.describe(problem, "en"))    # intake #42: hall.level: required field ...
    else:
        print(report.counts()["fail"], api.exit_code([report]))
        html = api.render([report], "html", lang="zh", rules=rules)

`audit` takes a mapping (what yaml.safe_load gives, dates as datetime.date or ISO text) or a
path to a YAML file, and returns a `HallReport` (checker.audit.results): the hall's results rule by
rule, each with its status, findings and their locations. `audit_files` audits many files the
way `hallcheck check` does (worker processes, a time limit per hall) and never raises for a bad
hall file: its report carries the problems instead. `render` gives any `hallcheck check
--format`, as text (or bytes for pdf and xlsx).

The command line is built on these functions. What this module names (the functions, `Rules`,
`InputError`, `Problem`, `HallReport`) stays compatible within a major version; everything else
in `checker` may change.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, Union

from .input.load import Document, load_file
from .reports.messages import problem_line
from .paths import display
from .problems import InputError, Location, Problem
from .audit.results import HallReport, RunInfo
from .ruleset.loading import Rules, load_rules

__all__ = ["Rules", "InputError", "Problem", "HallReport", "RunInfo", "FORMATS", "load_rules", "audit",
           "audit_files", "render", "exit_code", "describe"]

PathLike = Union[str, "os.PathLike[str]"]

# every value of `hallcheck check --format`
FORMATS = ("text", "json", "jsonl", "sarif", "junit", "markdown", "html", "csv", "pdf", "xlsx", "gitlab", "github")


def audit(hall: Mapping | PathLike, *, rules: Rules | None = None, as_of: dt.date | None = None,
          engine: str = "auto", name: str | None = None) -> HallReport:
    """Audit one hall: a mapping, or the path of a YAML file. `name` is how the report names
    the hall's source (default: the path as given, or "<hall>"). Raises InputError when the
    description is unusable, EngineUnavailable when `engine` cannot run here."""
    from .audit.hall import audit_hall
    from .input.validate import validate_hall
    rules = rules or load_rules()
    if isinstance(hall, Mapping):
        document = Document(name or "<hall>", _plain(dict(hall), name or "<hall>"), {})
    else:
        document = load_file(os.fspath(hall), display_name=name or display(Path(hall)))
    return audit_hall(validate_hall(document), rules.rules, rules.register, backend(engine), as_of)


def audit_files(paths: Iterable[PathLike] | Sequence[tuple[str, str]], *, rules: Rules | None = None,
                as_of: dt.date | None = None, engine: str = "auto", jobs: int = 1, timeout: float = 60.0,
                on_progress: Callable[[int, int], None] | None = None,
                imports: tuple[str, str] | None = None) -> list[HallReport]:
    """Audit hall files, one report each in the order given; a file that cannot be used gives a
    report whose `problems` say why (nothing is raised for it). Items are paths, or (path to
    read, name to show) pairs. `imports`: a mapping file (path, name to show) whose ledgers are
    merged into the one hall file (`hallcheck check --import`)."""
    from .audit.batch import audit_many
    rules = rules or load_rules()
    files = [item if isinstance(item, tuple) else (os.fspath(item), display(Path(item))) for item in paths]
    return audit_many(files, rules.rules, rules.register, backend(engine), as_of, jobs=jobs, timeout=timeout,
                      on_progress=on_progress, imports=imports)


def render(reports: Sequence[HallReport], format: str = "json", *, lang: str = "zh", fail_on: str = "minor",
           rules: Rules | None = None, run: RunInfo | None = None, verbose: bool = False, quiet: bool = False,
           appendix: bool = False, width: int = 120) -> str | bytes:
    """The report in one of FORMATS: str, or bytes for pdf and xlsx. `run` adds what a run
    holds around its audits (waivers, baseline); `width` is the text report's width."""
    from .reports.json_report import to_json
    from .reports.text import print_text
    reports = list(reports)
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; one of {', '.join(FORMATS)}")
    if format == "json":
        return to_json(reports, lang, fail_on, run)
    if format == "jsonl":  # a hall a line, as `check --format jsonl` streams it
        from .reports.json_report import jsonl_end, jsonl_hall, jsonl_head
        from .reports.report import tally
        return "".join([jsonl_head(lang, fail_on), *(jsonl_hall(r, lang) for r in reports),
                        jsonl_end(tally(reports), lang, fail_on, run)])
    if format == "text":
        from .reports.terminal import console as terminal_console
        with open(os.devnull, "w") as sink:  # control characters in hall text shown, never obeyed
            console = terminal_console(file=sink, record=True, width=width, highlight=False)
            print_text(reports, lang, fail_on, console, verbose, run, quiet=quiet)
        return console.export_text()
    from .reports import formats
    register = (rules or load_rules()).register
    return formats.render(format, reports, lang, fail_on, register, run, appendix=appendix)


def exit_code(reports: Sequence[HallReport], fail_on: str = "minor", run: RunInfo | None = None) -> int:
    """What `hallcheck check` would exit with: 0 clean, 1 a failure at or above `fail_on`,
    2 a hall unusable, not audited, or with nothing checked."""
    from .reports.report import exit_code as code
    return code(list(reports), fail_on, run)


def describe(problem: Problem, lang: str = "zh") -> str:
    """A problem as the command line prints it: FILE:LINE:COL: path: what was expected."""
    return problem_line(problem, lang)


def backend(engine="auto"):
    """The matching backend: auto (durable-rules where it imports), durable or python (or a
    backend already made, as it is)."""
    from .audit.backends import get_backend
    return get_backend(engine) if isinstance(engine, str) else engine


def _plain(value, name: str, path: tuple = ()):
    """A caller's mapping as the YAML loader gives it: dates as ISO text (the schema checks
    them), tuples as lists, keys as text."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                from .problems import format_path
                raise InputError([Problem("yaml.complex_key", Location(name, path=format_path(path)))])
            out[key] = _plain(item, name, path + (key,))
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, name, path + (i,)) for i, item in enumerate(value)]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
