"""hallcheck's command line: `hallcheck check samples/` and friends.

Every command turns bad input into located messages and exit code 2; no traceback reaches
the user. Exit codes: 0 clean, 1 violations at or above --fail-on, 2 unusable input,
3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from checker import __version__
from checker.audit import audit_file
from checker.backends import EngineUnavailable, get_backend
from checker.messages import default_lang, pick, problem_line, render
from checker.paths import bundled, display
from checker.problems import InputError, Location, Problem
from checker.regulations import load_register
from checker.report import exit_code, print_text, to_json
from checker.rules import load_rules, rule_files

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
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
    rule = "rule"
    regulation = "regulation"
    report = "report"


LANG_OPTION = typer.Option(None, "--lang", help="zh or en; default from the locale (HALLCHECK_LANG overrides).")


class Exit(Exception):
    def __init__(self, code: int):
        self.code = code


def _lang(lang: Optional[Lang]) -> str:
    return lang.value if lang else default_lang()


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    """The terminal's width on a terminal; 120 columns into a pipe or file, not rich's 80."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def _fail_with(problems: list[Problem], lang: str) -> None:
    console = _stderr()
    for problem in problems:
        console.print(problem_line(problem, lang), markup=False)
    raise Exit(2)


def _parse_date(value: Optional[str], lang: str) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail_with([Problem("cli.bad_date", Location("--as-of"), {"value": value})], lang)


def _load_ruleset(rules_dir: Optional[Path], lang: str):
    directory = rules_dir or bundled("rules")
    if not directory.exists():
        _fail_with([Problem("file.not_found", Location(display(directory)))], lang)
    paths = [directory] if directory.is_file() else rule_files(directory)
    try:
        register = load_register(bundled("regulations"))
        return register, load_rules(paths, register, display)
    except InputError as err:
        _fail_with(err.problems, lang)


def _hall_files(paths: List[Path]) -> list[tuple[str, str]]:
    """(path to read, name to show) for every hall file named or found below a directory."""
    out = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            out.extend((str(p), display(p)) for p in found)
            if not found:
                out.append((str(path), display(path)))
        else:
            out.append((str(path), display(path)))
    return out


def _write(text: str, output: Optional[Path]) -> None:
    """To stdout, or atomically to a file: a reader never sees half a report."""
    if output is None:
        sys.stdout.write(text)
        return
    directory = output.resolve().parent
    handle, temp = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, output)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Hall description files, or directories of them."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Audit date YYYY-MM-DD; default: the file's as_of, else today."),
    format: Format = typer.Option(Format.text, "--format", help="text or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    lang: Optional[Lang] = LANG_OPTION,
    fail_on: FailOn = typer.Option(FailOn.minor, "--fail-on", help="Lowest severity whose failure gives exit 1."),
    engine: Engine = typer.Option(Engine.auto, "--engine", help="auto (durable where it imports), durable or python."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="A directory of rules instead of the bundled ones."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list rules that do not apply."),
):
    """Audit halls: every rule, clause by clause."""
    language = _lang(lang)
    day = _parse_date(as_of, language)
    register, ruleset = _load_ruleset(rules, language)
    try:
        backend = get_backend(engine.value)
    except EngineUnavailable as err:
        _fail_with([Problem("engine.unavailable", Location("--engine"), {"engine": err.engine, "reason": err.reason})],
                   language)
    reports = [audit_file(path, name, ruleset, register, backend, day) for path, name in _hall_files(paths)]
    if format is Format.json:
        _write(to_json(reports, language, fail_on.value), output)
    elif output is not None:
        console = Console(file=open(os.devnull, "w"), record=True, width=120, highlight=False)
        print_text(reports, language, fail_on.value, console, verbose)
        _write(console.export_text(), output)
    else:
        print_text(reports, language, fail_on.value, _stdout(), verbose)
    raise Exit(exit_code(reports, fail_on.value))


@app.command()
def schema(name: SchemaName = typer.Argument(..., help="hall, rule, regulation or report.")):
    """Print a JSON Schema, for editors and validators."""
    from checker import schema as schemas
    document = schemas.hall_schema() if name is SchemaName.hall else schemas.named_schema(name.value)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@app.command()
def init(
    path: Path = typer.Argument(Path("hall.yaml"), help="Where to write the template."),
    lang: Optional[Lang] = LANG_OPTION,
):
    """Write a commented hall description template (never overwrites)."""
    from importlib import resources
    language = _lang(lang)
    if path.exists():
        _fail_with([Problem("cli.exists", Location(display(path)), {"path": display(path)})], language)
    template = resources.files("checker").joinpath("templates/hall.yaml").read_text(encoding="utf-8")
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(template)
    _stderr().print(("已写入 " if language == "zh" else "wrote ") + display(path), markup=False)


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


@regulations_app.command("show")
def regulations_show(regulation_id: str = typer.Argument(..., metavar="ID"),
                     clause: Optional[str] = typer.Argument(None, metavar="[CLAUSE]"),
                     lang: Optional[Lang] = LANG_OPTION):
    """Print a regulation, or one clause of it, with everything nested under it."""
    language = _lang(lang)
    register = load_register(bundled("regulations"))
    regulation = register.get(regulation_id)
    if regulation is None:
        _fail_with([Problem("cli.unknown_regulation", Location(regulation_id), {"id": regulation_id})], language)
    console = Console(highlight=False, soft_wrap=True)
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
        table.add_row(rule.id, rule.clause, rule.severity, pick(rule.title, language))
    _stdout().print(table)


@rules_app.command("test")
def rules_test(rules: Optional[Path] = typer.Option(None, "--rules"),
               engine: Engine = typer.Option(Engine.auto, "--engine"),
               lang: Optional[Lang] = LANG_OPTION):
    """Run every rule's examples; exit 1 when any case does not give what it expects."""
    from rich.table import Table
    from checker.ruletest import run_examples
    language = _lang(lang)
    register, ruleset = _load_ruleset(rules, language)
    backend = get_backend(engine.value)
    table = Table()
    for column in ("rule", "case", "expected", "actual", ""):
        table.add_column(column, overflow="fold")
    failures = 0
    problems = []
    for rule in ruleset:
        try:
            outcomes = run_examples(rule, register, backend)
        except InputError as err:
            problems.extend(err.problems)
            continue
        for outcome in outcomes:
            failures += not outcome.ok
            mark = "ok" if outcome.ok else "\n".join(f"{what}: expected {want!r}, got {got!r}"
                                                     for what, want, got in outcome.detail)
            table.add_row(rule.id, outcome.name, outcome.expected, outcome.actual, mark)
    _stdout().print(table)
    if problems:
        _fail_with(problems, language)
    raise Exit(1 if failures else 0)


@app.command()
def explain(rule_id: str = typer.Argument(..., metavar="RULE"),
            rules: Optional[Path] = typer.Option(None, "--rules"), lang: Optional[Lang] = LANG_OPTION):
    """The clause a rule encodes, the rule in words, and its examples."""
    from checker.explain import explain_rule
    language = _lang(lang)
    register, ruleset = _load_ruleset(rules, language)
    rule = next((r for r in ruleset if r.id == rule_id), None)
    if rule is None:
        _fail_with([Problem("cli.unknown_rule", Location(rule_id), {"id": rule_id})], language)
    Console(highlight=False, soft_wrap=True).print(explain_rule(rule, register[rule.regulation], language), markup=False)


def _version(value: bool):
    if value:
        print(f"hallcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version.")):
    pass


def main(argv: Optional[list[str]] = None) -> int:
    """Run the CLI and return its exit code; only here do errors become exit codes."""
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
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - the last line of defence: never a traceback
        import click
        if isinstance(err, click.exceptions.ClickException):
            err.show()
            return err.exit_code
        if isinstance(err, click.exceptions.Abort):
            return 130
        _stderr().print(f"hallcheck: internal error ({type(err).__name__}: {err}); please report it. "
                        "Set HALLCHECK_DEBUG=1 for details.", markup=False)
        if os.environ.get("HALLCHECK_DEBUG"):
            raise
        return 3


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
