"""`hallcheck rules lint`: every problem in every rule file at once, each at its file and line.

What loading already checks is reused as is (rules.collect_rules: the rule schema, duplicate
ids, the citation and quote against the register, fields against the hall format, literal types,
placeholders, applicability outside what the regulation governs). Lint adds what loading does not
need but an author does:

- examples: a rule has example files, they follow the examples schema, each case's hall is a
  valid hall (located in the example file), and there is a case expecting pass and one expecting
  fail; example files without a rule beside them; tests/ files naming no rule or an unknown one;
- conditions that can never hold (applies_to.when, where, require), found by trying every
  combination of values that could make a difference, when there are few enough;
- TODO left in a rule (`hallcheck rules new` writes them);
- a pack's manifest: what it extends, and every override (checker.ruleset.packs).

A broken file never stops the others from being checked.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from ..language import ast as syntax
from ..language import evaluate as evaluation
from ..language import kleene
from ..language.operators import FLAG, OPERATORS
from ..input.load import Document, load_file
from ..ruleset.packs import collect_ruleset, is_pack, outside_problems
from ..problems import InputError, Location, Problem
from ..ruleset.regulations import Regulation
from ..ruleset.rules import PACK_MANIFEST, TESTS_DIR, WARNING_SUFFIX, Rule, collect_rules, rule_files, warning_files
from .ruletest import EXAMPLES_SUFFIX, case_document, case_problems, declared_rule, load_base, load_examples, owner_of, sibling_examples, sibling_path, tests_dir_files
from ..input.validate import validate_hall

MAX_COMBINATIONS = 50_000  # beyond this a condition is not searched for contradictions


@dataclass
class LintReport:
    problems: list[Problem] = field(default_factory=list)
    rules: int = 0  # rule files looked at
    examples: int = 0  # example files looked at


def lint(paths: list[Path], register: dict[str, Regulation], display=str) -> LintReport:
    report = LintReport()
    rule_paths: list[Path] = []
    test_dirs: list[Path] = []
    inherited: dict[str, str] = {}  # id -> where, of rules a linted pack extends
    warnings: list[Path] = []  # warning rules (hallcheck watch), linted by checker.watch
    for path in paths:
        if path.name.endswith(EXAMPLES_SUFFIX):
            path = _pack_of_tests_file(path) or path
        if not path.exists():
            report.problems.append(Problem("file.not_found", Location(display(path))))
        elif is_pack(path):
            directory = path.parent if path.is_file() else path
            report.problems.extend(_pack_problems(directory, register, display, inherited))
            rule_paths += rule_files(directory)
            warnings += warning_files(directory)
            test_dirs.append(directory)
        elif path.is_dir():
            rule_paths += rule_files(path)
            warnings += warning_files(path)
            report.problems.extend(outside_problems(path, display))
            test_dirs.append(path)
        elif path.name.endswith(EXAMPLES_SUFFIX):
            owner = owner_of(path, set(_rule_like(path.parent)))
            if owner is None:
                report.problems.append(_orphan(path, display))
            else:
                rule_paths.append(owner)
        elif path.name.endswith(WARNING_SUFFIX):
            warnings.append(path)
        else:
            rule_paths.append(path)
    rule_paths = list(dict.fromkeys(rule_paths))
    warnings = list(dict.fromkeys(warnings))
    report.rules = len(rule_paths) + len(warnings)
    if warnings:
        from .warning_lint import lint_warning_rules
        report.problems.extend(lint_warning_rules(warnings, register, display))
    rules, problems = collect_rules(rule_paths, register, display, seen=dict(inherited))
    report.problems.extend(problems)
    loaded = {rule.file: rule for rule in rules}
    for rule in rules:
        report.problems.extend(rule_problems(rule))
    known = set(inherited) | {rule.id for rule in rules}
    index, problems = _tests_index(test_dirs, known, display)
    report.problems.extend(problems)
    bases: set = set()
    for path in rule_paths:
        rule = loaded.get(display(path))
        ident = rule.id if rule else _raw_id(path, display)
        extra = index.get(ident, []) if ident else []
        report.examples += len(sibling_examples(path)) + len(extra)
        report.problems.extend(examples_problems(path, rule, ident, extra, display, bases))
    linted = {rule.id for rule in rules}
    for ident, files in index.items():  # a pack's tests of the rules it inherits
        if ident not in linted:
            rule_file = Path(inherited[ident].rsplit(":", 1)[0]) if ident in inherited else None
            for path in files:
                report.examples += 1
                report.problems.extend(example_file_problems(path, rule_file, ident, display, bases)[0])
    for directory in dict.fromkeys(path.parent for path in rule_paths):
        report.problems.extend(_orphans(directory, display))
    unique = {(p.sort_key(), repr(p.params)): p for p in report.problems}  # a shared _base.yaml says it once
    report.problems = sorted(unique.values(), key=Problem.sort_key)
    return report


# ------------------------------------------------------------------ one rule

def _pack_of_tests_file(path: Path) -> Path | None:
    """The pack whose tests/ directory holds this example file, if it is in one."""
    for directory in path.parents:
        if directory.name == TESTS_DIR and is_pack(directory.parent):
            return directory.parent
    return None


def rule_problems(rule: Rule) -> list[Problem]:
    """What a rule that loads can still have wrong: a condition that can never hold, a TODO."""
    try:
        document = load_file(rule.file)
    except InputError:
        return []
    problems = []
    for node, path, code in ((rule.when, ("applies_to", "when"), "lint.never_applies"),
                             (rule.where, ("where",), "lint.never_selects"),
                             (rule.require, ("require",), "lint.never_passes")):
        if node is not None and never_true(node):
            problems.append(Problem(code, document.locate(path), {}))
    for path, text in _strings(document.data, ()):
        if "TODO" in text:
            problems.append(Problem("lint.todo", document.locate(path), {}))
    return problems + grading_problems(rule, document)


# Words that make a clause binding, and words that only urge: the grade should follow them, or
# the rule says why not (severity_reason).
MANDATORY_WORDS = ("必须", "不得", "严禁", "禁止", "统一", "应当", "应")
EXHORTATION_WORDS = ("积极", "推进", "推动", "鼓励", "缩短", "力争", "提倡", "探索", "加强", "逐步")
_DIGITS = "零一二三四五六七八九"


def grading_problems(rule: Rule, document: Document) -> list[Problem]:
    """A threshold the quoted words do not give needs a recorded interpretation; mandatory words
    graded minor, or an exhortation graded major, need a severity_reason."""
    words = "".join(rule.quote)
    problems = []
    if rule.interpretation is None:
        for node in (n for part in (rule.when, rule.where, rule.require) if part is not None for n in syntax.descend(part)):
            if isinstance(node, syntax.Compare) and isinstance(node.value, float) and node.spec.comparable == "number" \
                    and node.value not in (0.0, 1.0) and not number_in_text(node.value, words):
                problems.append(Problem("lint.threshold_not_in_text", document.locate(node.path + (node.op,)),
                                        {"value": node.value}))
    return problems + severity_problems(words, rule.source, document)


def severity_problems(words: str, data: dict, document: Document) -> list[Problem]:
    """A rule's grade against its quoted words (a check rule's or a warning rule's): mandatory
    words graded minor or below need a severity_reason or an interpretation, an exhortation
    graded major or above a severity_reason."""
    problems = []
    reasoned = "severity_reason" in data or data.get("interpretation") is not None
    rank = SEVERITY_RANK[data["severity"]]
    if not reasoned and rank >= SEVERITY_RANK["minor"] and any(w in words for w in MANDATORY_WORDS):
        problems.append(Problem("lint.mandatory_minor", document.locate(("severity",)),
                                {"severity": data["severity"], "words": [w for w in MANDATORY_WORDS if w in words][:2]}))
    if "severity_reason" not in data and rank <= SEVERITY_RANK["major"] \
            and any(w in words for w in EXHORTATION_WORDS):
        problems.append(Problem("lint.exhortation_major", document.locate(("severity",)),
                                {"severity": data["severity"], "words": [w for w in EXHORTATION_WORDS if w in words]}))
    return problems


SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2, "info": 3}


def number_in_text(value: float, text: str) -> bool:
    """Whether the clause's words give this number: as digits (2, 50, 0.9 as 90%), or in Chinese
    numerals (两年, 三十个工作日, 百分之九十)."""
    forms = set()
    if 0 < value < 1:
        percent = round(value * 100, 4)
        forms |= {f"{percent:g}%", f"{percent:g}％", "百分之" + chinese_numeral(int(percent))} if percent == int(percent) else set()
    if value == int(value):
        number = int(value)
        forms |= {str(number), chinese_numeral(number)}
        if number == 2:
            forms.add("两")
        if number >= 10000 and number % 10000 == 0:  # 2万平方米
            forms |= {f"{number // 10000}万", chinese_numeral(number // 10000) + "万"}
    normal = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return any(form and form in normal for form in forms)


def chinese_numeral(number: int) -> str:
    """10 -> 十, 30 -> 三十, 15 -> 十五, 100 -> 一百, 365 -> 三百六十五, 20000 -> 二万."""
    if number < 10:
        return _DIGITS[number]
    if number >= 10000:
        wan, rest = divmod(number, 10000)
        return chinese_numeral(wan) + "万" + ("零" if 0 < rest < 1000 else "") + (chinese_numeral(rest) if rest else "")
    out = ""
    for unit, size in (("千", 1000), ("百", 100), ("十", 10)):
        digit, number = divmod(number, size)
        if digit:
            out += ("" if unit == "十" and digit == 1 and not out else _DIGITS[digit]) + unit
        elif out and number:
            out += "" if out.endswith("零") else "零"
    return out + (_DIGITS[number] if number else "")


def _strings(value, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))


# ------------------------------------------------------------------ contradictions

_ANALYSED = {op.name for op in OPERATORS.values() if op.in_rules and op.analysed}
_OTHER = "\x00another value"


def never_true(node: syntax.Node) -> bool:
    """Whether `node` is false or unknown whatever the hall says. Comparisons of one subject with
    literals are tried at every value that could change an answer (each literal, either side of
    it, another value, missing); anything else (quantifiers, two fields compared) may be true,
    false or unknown. Only a proof counts: False when there are too many combinations to try."""
    domains: dict = {}
    try:
        _collect(node, domains)
    except TypeError:  # something unhashable: do not guess
        return False
    keys = list(domains)
    values = [_candidates(domains[key]) for key in keys]
    size = 1
    for options in values:
        size *= len(options)
        if size > MAX_COMBINATIONS:
            return False
    for combination in itertools.product(*values):
        if _evaluate(node, dict(zip(keys, combination))) is True:
            return False
    return True


def _analysed(node) -> bool:
    return isinstance(node, syntax.Compare) and node.op in _ANALYSED and not isinstance(node.value, syntax.FieldRef)


def _collect(node, domains: dict) -> None:
    if isinstance(node, (syntax.All, syntax.Any_)):
        for child in node.children:
            _collect(child, domains)
    elif isinstance(node, syntax.Not):
        _collect(node.child, domains)
    elif _analysed(node):
        kind, literals = domains.setdefault(("subject", node.subject), (node.spec.comparable, set()))
        if OPERATORS[node.op].operand != FLAG:
            literals.update(node.value if isinstance(node.value, tuple) else (node.value,))
    else:
        domains[("opaque", node)] = ("opaque", set())


def _candidates(domain) -> list:
    kind, literals = domain
    if kind == "opaque":
        return [True, False, None]
    out = [None]
    if kind == "number":
        ordered = sorted(literals)
        out += [0.0] if not ordered else [ordered[0] - 1, ordered[-1] + 1] + ordered + \
            [(a + b) / 2 for a, b in zip(ordered, ordered[1:])]
    elif kind == "date":
        day = dt.timedelta(days=1)
        out += [dt.date(2000, 1, 1)] if not literals else sorted({d + k * day for d in literals for k in (-1, 0, 1)})
    elif kind == "boolean":
        out += [True, False]
    else:
        out += sorted(literals, key=str) + [_OTHER]
    return out


def _evaluate(node, env: dict):
    if isinstance(node, syntax.All):
        return kleene.all_of(_evaluate(child, env) for child in node.children)
    if isinstance(node, syntax.Any_):
        return kleene.any_of(_evaluate(child, env) for child in node.children)
    if isinstance(node, syntax.Not):
        return kleene.not_(_evaluate(node.child, env))
    if _analysed(node):
        return evaluation.compare(node.op, env[("subject", node.subject)], node.value)
    return env[("opaque", node)]


# ------------------------------------------------------------------ examples

def examples_problems(rule_path: Path, rule: Rule | None, ident: str | None, extra: list[Path], display,
                      bases: set) -> list[Problem]:
    """A rule's example files: present, well formed, each case a valid hall, a pass and a fail case."""
    files = sibling_examples(rule_path) + [p for p in extra if p not in sibling_examples(rule_path)]
    if not files:
        where = Location(rule.file, rule.line, 1, "id") if rule else _id_location(rule_path, display)
        return [Problem("examples.missing", where, {"rule": ident or display(rule_path),
                                                     "expected": display(sibling_path(rule_path))})]
    problems, expected, first, complete = [], set(), None, True
    for path in files:
        trouble, seen, examples = example_file_problems(path, rule_path, ident, display, bases)
        problems += trouble
        if seen is None:
            complete = False
            continue
        expected |= seen
        first = first or examples
    if complete and first is not None:
        name = ident or display(rule_path)
        for wanted, code in (("pass", "examples.no_pass"), ("fail", "examples.no_fail")):
            if wanted not in expected:
                problems.append(Problem(code, first.locate(("cases",)), {"rule": name}))
    return problems


def example_file_problems(path: Path, rule_path: Path | None, ident: str | None, display,
                          bases: set) -> tuple[list[Problem], set | None, Document | None]:
    """One example file: (problems, the expectations of its cases or None when it could not be
    read through, the loaded file)."""
    examples, problems = load_examples(path, display)
    if examples is None:
        return problems, None, None
    problems += [Problem("lint.todo", examples.locate(at), {}) for at, text in _strings(examples.data, ())
                 if "TODO" in text]
    declared = examples.data.get("rule")
    if declared is not None and ident is not None and declared != ident:
        problems.append(Problem("examples.wrong_rule", examples.locate(("rule",)), {"rule": declared, "expected": ident}))
    base, trouble = load_base(examples, rule_path or path, display)
    if base is None:
        return problems + trouble, None, examples
    base_file = _base_file(examples, rule_path or path)
    if base_file is not None and base_file not in bases:
        bases.add(base_file)
        problems += _base_problems(base_file, base, display)
    expected = set()
    for index, case in enumerate(examples.data["cases"]):
        expected.add(case["expect"])
        try:
            validate_hall(case_document(examples, base, index))
        except InputError as err:
            problems += case_problems(err.problems, index)
    return problems, expected, examples


def _base_file(examples: Document, rule_path: Path) -> Path | None:
    for candidate in (Path(examples.file).with_name("_base.yaml"), rule_path.with_name("_base.yaml")):
        if candidate.exists():
            return candidate
    return None


def _base_problems(path: Path, base: dict, display) -> list[Problem]:
    """A _base.yaml is a hall every case starts from; when it is one on its own, it must be valid.
    (A base that only becomes a hall with what its cases add is left to the cases.)"""
    if not isinstance(base, dict) or "hall" not in base:
        return []
    try:
        validate_hall(load_file(str(path), display_name=display(path)))
    except InputError as err:
        return [p for p in err.problems if p.code != "schema.required"]
    return []


def _tests_index(directories: list[Path], known: set, display) -> tuple[dict, list[Problem]]:
    """Example files in tests/ directories, by the rule they name."""
    index: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    for directory in directories:
        for path in tests_dir_files(directory):
            rule, document, trouble = declared_rule(path, display)
            problems += trouble
            if document is None:
                continue
            if rule is None:
                problems.append(Problem("examples.needs_rule", document.locate(()), {}))
            elif rule not in known:
                import difflib
                problems.append(Problem("examples.unknown_rule", document.locate(("rule",)),
                                        {"rule": rule, "suggest": difflib.get_close_matches(rule, sorted(known), n=3)}))
            else:
                index.setdefault(rule, []).append(path)
    return index, problems


def _rule_like(directory: Path) -> list[Path]:
    return [p for p in directory.glob("*.yaml") if not p.name.endswith(EXAMPLES_SUFFIX)
            and not p.name.startswith("_") and p.name != PACK_MANIFEST]


def _orphans(directory: Path, display) -> list[Problem]:
    rules = set(_rule_like(directory))
    return [_orphan(path, display) for path in sorted(directory.glob("*" + EXAMPLES_SUFFIX))
            if owner_of(path, rules) is None]


def _orphan(path: Path, display) -> Problem:
    expected = path.with_name(path.name[: -len(EXAMPLES_SUFFIX)] + ".yaml")
    return Problem("examples.orphan", Location(display(path), 1, 1), {"expected": display(expected)})


def _id_location(path: Path, display) -> Location:
    """Where a rule file that did not load has its id (its first line when that cannot be told)."""
    try:
        document = load_file(str(path), display_name=display(path))
    except InputError:
        return Location(display(path), 1, 1)
    spot = document.locate(("id",))
    return Location(spot.file, spot.line or 1, 1, "id" if spot.path == "id" and spot.line else "")


def _raw_id(path: Path, display) -> str | None:
    try:
        data = load_file(str(path), display_name=display(path)).data
    except InputError:
        return None
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) else None


# ------------------------------------------------------------------ packs

def _pack_problems(directory: Path, register, display, inherited: dict) -> list[Problem]:
    """The manifest's own problems (what it extends, its overrides); the pack's rule files are
    linted with the rest. Fills `inherited` with the ids of the rules the pack extends."""
    ruleset, problems = collect_ruleset(directory, register, display)
    if ruleset is not None:
        own = {rule.id for rule in ruleset.own}
        inherited.update({rule.id: f"{rule.file}:{rule.line}" for rule in ruleset.rules if rule.id not in own})
    # every problem the loader found, as `check --rules` would refuse them (those of the pack's
    # own rule files are found again below, and said once)
    return problems
