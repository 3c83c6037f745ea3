"""Running a rule's examples: the fixtures beside each rule file.

`rules/<regulation>/<name>.yaml` is the rule; its examples are

- `<name>.test.yaml` beside it (the one `hallcheck rules new` writes),
- any `<name>.<anything>.test.yaml` beside it (an author's extra cases, e.g. `<name>.edge.test.yaml`),
- in a rule pack, any `*.test.yaml` below the pack's `tests/` directory whose top-level
  `rule: ID` names the rule (these may test rules the pack inherits, with its overrides applied).

A file beside the rule may also say `rule: ID`; it must then be that rule's id. Each file holds
cases:

    cases:
      - name: left after 23 months
        as_of: 2024-06-30
        hall:                 # merged onto _base.yaml (lists replace)
          staff: [{id: S01, stationed_from: 2019-03-01, stationed_until: 2021-02-28}]
        expect: fail          # pass, fail, not_applicable or unknown
        findings:             # for fail: exactly the failing entities, and words of each message
          - entity: staff[0]
            message: 1.92 years

The base is the `_base.yaml` beside the example file, else the one beside the rule. A case
passes when the status is as expected and, for a failure, the failing entities are exactly those
listed and each message contains the listed words (English, and Chinese under message_zh).
`hallcheck schema examples` prints the schema of these files.
"""

from __future__ import annotations

import copy
import datetime as dt
import glob
from dataclasses import dataclass, field
from pathlib import Path

from ..audit.hall import audit_hall
from ..input.load import Document, load_file
from ..problems import InputError, Location, Problem
from ..ruleset.regulations import Regulation
from ..reports.messages import pick, render
from ..reports.report import finding_message
from ..reports.terminal import visible, visible_lines
from ..ruleset.rules import TESTS_DIR, Rule, files_below, links_out_of_its_directory
from ..input.validate import schema_problems, validate_hall

EXAMPLES_SUFFIX = ".test.yaml"
EXPECTATIONS = ("pass", "fail", "not_applicable", "unknown")


@dataclass(frozen=True)
class CaseOutcome:
    rule: str
    name: str
    file: str
    line: int | None
    expected: str
    actual: str  # a status, or "error" when the case's hall is not a valid hall
    ok: bool
    detail: list  # what differed: (what, expected, actual)
    findings: list  # actual (entity, en message)
    wanted: list = field(default_factory=list)  # expected findings as written: [{entity, message, ...}]
    findings_zh: list = field(default_factory=list)  # actual (entity, zh message)


# ------------------------------------------------------------------ where examples are

def examples_path(rule: Rule) -> Path:
    """The main example file of a rule: <name>.test.yaml beside it."""
    return sibling_path(Path(rule.file))


def sibling_path(rule_file: Path) -> Path:
    return rule_file.with_name(rule_file.name[: -len(".yaml")] + EXAMPLES_SUFFIX)


def base_path(rule: Rule) -> Path:
    return Path(rule.file).with_name("_base.yaml")


def sibling_examples(rule_file: Path) -> list[Path]:
    """<name>.test.yaml and <name>.*.test.yaml beside the rule file, that exist; a file that is
    exactly another rule file's <other>.test.yaml belongs to that rule."""
    stem = rule_file.name[: -len(".yaml")]
    main = sibling_path(rule_file)
    extras = sorted(rule_file.parent.glob(glob.escape(stem) + ".*" + EXAMPLES_SUFFIX))
    extras = [p for p in extras if not p.with_name(p.name[: -len(EXAMPLES_SUFFIX)] + ".yaml").exists()]
    found = ([main] if main.exists() else []) + [p for p in extras if p != main]
    return [p for p in found if not links_out_of_its_directory(p)]  # a pack reads only its own files


def tests_dir_files(directory: Path) -> list[Path]:
    """The example files below a pack's tests/ directory."""
    tests = directory / TESTS_DIR
    return sorted(files_below(tests, EXAMPLES_SUFFIX)) if tests.is_dir() else []


def owner_of(rule_file: Path, rule_files: set) -> Path | None:
    """For an example file beside rules: the rule file it belongs to, or None (an orphan)."""
    name = rule_file.name[: -len(EXAMPLES_SUFFIX)]
    while True:
        candidate = rule_file.with_name(name + ".yaml")
        if candidate in rule_files:
            return candidate
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]


def declared_rule(path: Path, display=str) -> tuple[str | None, Document | None, list[Problem]]:
    """The `rule:` an example file names (None when it names none), the loaded file, problems."""
    try:
        document = load_file(str(path), display_name=display(path))
    except InputError as err:
        return None, None, err.problems
    rule = document.data.get("rule") if isinstance(document.data, dict) else None
    return (rule if isinstance(rule, str) else None), document, []


# ------------------------------------------------------------------ running

def merge(base, overlay):
    """Overlay onto base: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(overlay)


def load_examples(path: Path, display=str) -> tuple[Document | None, list[Problem]]:
    """An example file, checked against the examples schema."""
    try:
        document = load_file(str(path), display_name=display(path))
    except InputError as err:
        return None, err.problems
    data = document.data
    if isinstance(data, dict) and not data.get("cases") and isinstance(data.get("cases", []), list):
        return None, [Problem("examples.no_cases", document.locate(("cases",)), {})]
    problems = schema_problems(document, "examples")
    return (None if problems else document), problems


def load_base(examples: Document, rule_file: str | Path, display=str) -> tuple[dict | None, list[Problem]]:
    """The hall every case of `examples` overlays: _base.yaml beside it, else beside the rule."""
    for candidate in (Path(examples.file).with_name("_base.yaml"), Path(rule_file).with_name("_base.yaml")):
        if candidate.exists() and links_out_of_its_directory(candidate):
            where = str(Path(display(candidate.parent)) / candidate.name)  # the link, not its target
            return None, [Problem("pack.link_outside", Location(where), {})]
        if candidate.exists():
            try:
                document = load_file(str(candidate), display_name=display(candidate))
            except InputError as err:
                return None, err.problems
            return (document.data if isinstance(document.data, dict) else {}), []
    return {}, []


def case_document(examples: Document, base: dict, index: int) -> Document:
    """The hall a case describes, with the positions of what the case wrote in the example file."""
    case = examples.data["cases"][index]
    prefix = ("cases", index, "hall")
    positions = {path[len(prefix):]: spot for path, spot in examples.positions.items()
                 if path[: len(prefix)] == prefix}
    if () not in positions:
        positions[()] = examples.positions.get(("cases", index), (None, None))
    return Document(examples.file, merge(base, case.get("hall") or {}), positions)


def case_problems(problems: list[Problem], index: int) -> list[Problem]:
    """Problems of a case's hall, their paths put under cases[i].hall of the example file."""
    out = []
    for problem in problems:
        loc = problem.location
        path = f"cases[{index}].hall" + (f".{loc.path}" if loc.path else "")
        out.append(Problem(problem.code, Location(loc.file, loc.line, loc.column, path), problem.params))
    return out


def run_file(rule: Rule, path: Path, register: dict[str, Regulation], backend,
             display=str) -> tuple[list[CaseOutcome], list[Problem]]:
    """Every case of one example file; a case whose hall is not valid is an error outcome and its
    problems are returned located in the example file."""
    examples, problems = load_examples(path, display)
    if examples is None:
        return [], problems
    declared = examples.data.get("rule")
    if declared is not None and declared != rule.id:
        return [], [Problem("examples.wrong_rule", examples.locate(("rule",)), {"rule": declared, "expected": rule.id})]
    base, problems = load_base(examples, rule.file, display)
    if base is None:
        return [], problems
    outcomes = []
    for index, case in enumerate(examples.data["cases"]):
        outcome, found = _run_case(rule, register, backend, examples, base, index, case)
        outcomes.append(outcome)
        problems.extend(found)
    return outcomes, problems


def run_examples(rule: Rule, register: dict[str, Regulation], backend, extra: list[Path] = (),
                 display=str) -> list[CaseOutcome]:
    """All of a rule's cases; raises InputError with every problem when any file is unusable."""
    outcomes, problems = run_rule(rule, register, backend, extra, display)
    if problems:
        raise InputError(problems)
    return outcomes


def run_rule(rule: Rule, register: dict[str, Regulation], backend, extra: list[Path] = (),
             display=str) -> tuple[list[CaseOutcome], list[Problem]]:
    files = sibling_examples(Path(rule.file)) + [p for p in extra if p not in sibling_examples(Path(rule.file))]
    if not files:
        return [], [missing_examples(rule)]
    outcomes, problems = [], []
    for path in files:
        found, trouble = run_file(rule, path, register, backend, display)
        outcomes.extend(found)
        problems.extend(trouble)
    return outcomes, problems


def missing_examples(rule: Rule) -> Problem:
    return Problem("examples.missing", Location(rule.file, rule.line, 1, "id"),
                   {"rule": rule.id, "expected": str(examples_path(rule))})


def _run_case(rule, register, backend, examples: Document, base, index: int, case: dict):
    name = str(case.get("name", f"case {index + 1}"))
    line = examples.locate(("cases", index)).line
    expected = case.get("expect")
    wanted = list(case.get("findings") or [])
    as_of = case.get("as_of")
    try:
        day = dt.date.fromisoformat(str(as_of)) if as_of else None
        hall = validate_hall(case_document(examples, base, index))
    except InputError as err:
        problems = case_problems(err.problems, index)
        return CaseOutcome(rule.id, name, examples.file, line, str(expected), "error", False,
                           [("hall", "a valid hall", f"{len(problems)} problem(s)")], [], wanted), problems
    except ValueError:
        problem = Problem("schema.format", examples.locate(("cases", index, "as_of")), {"value": as_of})
        return CaseOutcome(rule.id, name, examples.file, line, str(expected), "error", False,
                           [("as_of", "a date", as_of)], [], wanted), [problem]
    report = audit_hall(hall, [rule], register, backend, day)
    result = report.results[0]
    findings = [(f.entity, finding_message(result, f, "en"), finding_message(result, f, "zh")) for f in result.findings]
    detail = []
    if result.status != expected:
        detail.append(("status", expected, result.status))
    if expected == "fail" and result.status == "fail":
        if sorted(w.get("entity") for w in wanted) != sorted(f[0] for f in findings):
            detail.append(("entities", sorted(w.get("entity") for w in wanted), sorted(f[0] for f in findings)))
        for want in wanted:
            got = next((f for f in findings if f[0] == want.get("entity")), None)
            if got is None:
                continue
            for key, position in (("message", 1), ("message_zh", 2)):
                if key in want and str(want[key]) not in got[position]:
                    detail.append((f"{want['entity']} {key}", want[key], got[position]))
    return CaseOutcome(rule.id, name, examples.file, line, str(expected), result.status, not detail, detail,
                       [(f[0], f[1]) for f in findings], wanted, [(f[0], f[2]) for f in findings]), []


# ------------------------------------------------------------------ a test run over paths

@dataclass
class Suite:
    """What `hallcheck rules test PATH...` runs: for each rule, the example files to run."""

    entries: list = field(default_factory=list)  # (rule, [example files], own: bool)
    problems: list = field(default_factory=list)


def collect_suite(paths: list[Path], register: dict[str, Regulation], display=str) -> Suite:
    """Rules to test below `paths` (rule files, directories of rules, packs; none: the bundled
    rules). A pack's or directory's own rules run all their examples; a rule it inherits runs only
    the examples in its tests/ directory that name it, against the rule as the pack changed it."""
    from ..ruleset.packs import collect_ruleset
    suite = Suite()
    for path in paths or [None]:
        ruleset, problems = collect_ruleset(path, register, display)
        suite.problems += problems
        if ruleset is None:
            continue
        by_id = {rule.id: rule for rule in ruleset.rules}
        own = {rule.id for rule in ruleset.own}
        extra: dict[str, list[Path]] = {}
        for test_file in tests_dir_files(ruleset.directory) if ruleset.directory else []:
            rule_id, document, trouble = declared_rule(test_file, display)
            suite.problems += trouble
            if document is None:
                continue
            if rule_id is None:
                suite.problems.append(Problem("examples.needs_rule", document.locate(()), {}))
            elif rule_id not in by_id:
                suite.problems.append(Problem("examples.unknown_rule", document.locate(("rule",)),
                                              {"rule": rule_id, "suggest": []}))
            else:
                extra.setdefault(rule_id, []).append(test_file)
        for rule in ruleset.rules:
            if rule.id in own or rule.id in extra:
                suite.entries.append((rule, extra.get(rule.id, []), rule.id in own))
    return suite


def run_suite(suite: Suite, register: dict[str, Regulation], backend, display=str) -> tuple[list, list]:
    """(outcomes, problems) of every case of the suite."""
    outcomes, problems = [], list(suite.problems)
    for rule, extra, own in suite.entries:
        if own:
            found, trouble = run_rule(rule, register, backend, extra, display)
        else:
            found, trouble = [], []
            for path in extra:
                more, worse = run_file(rule, path, register, backend, display)
                found += more
                trouble += worse
        outcomes += found
        problems += trouble
    return outcomes, problems


def junit_xml(outcomes: list[CaseOutcome], problems: list[Problem], language: str) -> str:
    """JUnit XML for CI: one testsuite per rule, one testcase per example case; a problem that
    kept examples from running (no examples, a file that does not load) is an errored testcase."""
    import xml.etree.ElementTree as ET
    from ..reports.messages import problem_line
    root = ET.Element("testsuites", name="hallcheck rules test")
    suites: dict[str, ET.Element] = {}
    for outcome in outcomes:
        suite = suites.get(outcome.rule)
        if suite is None:
            suite = suites[outcome.rule] = ET.SubElement(root, "testsuite", name=outcome.rule)
        case = ET.SubElement(suite, "testcase", classname=outcome.rule, name=outcome.name, file=outcome.file)
        if outcome.line:
            case.set("line", str(outcome.line))
        if outcome.actual == "error":
            ET.SubElement(case, "error", message="the case's hall is not a valid hall description")
        elif not outcome.ok:
            failure = ET.SubElement(case, "failure", message="; ".join(
                f"{what}: expected {want!r}, got {got!r}" for what, want, got in outcome.detail))
            failure.text = mismatch_text(outcome)
    if problems:
        suite = ET.SubElement(root, "testsuite", name="problems")
        for problem in problems:
            case = ET.SubElement(suite, "testcase", classname=problem.location.file, name=problem.code)
            ET.SubElement(case, "error", message=problem_line(problem, language))
    for suite in root:
        cases = list(suite)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key)) for s in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def mismatch_rows(outcome: CaseOutcome) -> list[tuple[str, str, str, bool]]:
    """(what, expected, actual, differs) rows: a mismatch side by side."""
    rows = [("status", outcome.expected, outcome.actual, outcome.expected != outcome.actual)]
    if outcome.expected != "fail" and outcome.actual != "fail":
        return rows
    wanted = {str(w.get("entity")): w for w in outcome.wanted} if outcome.expected == "fail" else {}
    actual_en, actual_zh = dict(outcome.findings), dict(outcome.findings_zh)
    for entity in list(wanted) + [e for e in actual_en if e not in wanted]:
        want = wanted.get(entity)
        if want is None:
            expected = "—"
        else:
            expected = "\n".join(f"{key}: …{want[key]}…" for key in ("message", "message_zh") if key in want) \
                or "(a finding)"
        got = "\n".join(m for m in (actual_en.get(entity), actual_zh.get(entity)) if m) or "—"
        differs = want is None or entity not in actual_en or any(
            key in want and str(want[key]) not in (actual_en if key == "message" else actual_zh).get(entity, "")
            for key in ("message", "message_zh"))
        rows.append((entity, expected, got, differs))
    return rows


def mismatch_text(outcome: CaseOutcome) -> str:
    lines = []
    for what, expected, actual, differs in mismatch_rows(outcome):
        lines.append(f"{'✗' if differs else ' '} {what}")
        lines.append("    expected: " + expected.replace("\n", "\n              "))
        lines.append("    actual:   " + actual.replace("\n", "\n              "))
    return "\n".join(lines)


def print_test_table(outcomes: list[CaseOutcome], language: str, console) -> None:
    """A line per rule with its cases passed, then every failing case with what it expected and
    what it got side by side, then the totals."""
    from rich.table import Table
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
    console.print(render("ruletest.summary", {"rules": len(by_rule), "cases": len(outcomes), "passed": len(outcomes) - failed,
                                              "failed": failed,
                                              "rules_failed": sum(any(not c.ok for c in cases) for cases in by_rule.values())},
                         language), markup=False)
