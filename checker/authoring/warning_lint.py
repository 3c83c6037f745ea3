"""What `hallcheck rules lint` finds wrong with warning rules (`*.warning.yaml`, read by
`hallcheck watch`)."""

from __future__ import annotations

from pathlib import Path

from ..problems import InputError, Problem
from ..ruleset.regulations import Regulation
from ..watch.engines import PythonEngine
from ..watch.examples import run_examples
from ..watch.policy import collect_warning_rules
from .lint import number_in_text, severity_problems


def lint_warning_rules(paths: list[Path], register: dict[str, Regulation], display=str) -> list[Problem]:
    """Every problem of these warning rule files: what loading refuses, two rules timing the
    same thing for one regulation, a number the quote does not give without an interpretation,
    a grade its words do not bear without a reason, cases of unknown mode timed without a reading,
    a TODO, examples that do not cover a warning and a quiet case, and examples that do not
    give what they expect (run on the pure-Python engine)."""
    rules, problems = collect_warning_rules(paths, register, display)
    timing: dict = {}
    for rule in rules:
        document = rule.document
        other = next((earlier for earlier in timing.get((rule.regulation, rule.times), ()) if _overlap(earlier, rule)), None)
        timing.setdefault((rule.regulation, rule.times), []).append(rule)
        if other is not None:
            problems.append(Problem("watch.two_rules", document.locate(("warning", "times")),
                                    {"regulation": rule.regulation, "times": rule.times, "other": other.id}))
        quoted = "".join(rule.quote)
        for path in (("warning", "limit_days"), ("warning", "yellow", "remaining_days")):
            value = _at(document.data, path)  # 0 and 1 need no words, as in a check rule
            if value not in (None, 0, 1) and rule.interpretation is None and not number_in_text(value, quoted):
                problems.append(Problem("lint.threshold_not_in_text", document.locate(path), {"value": value}))
        problems.extend(severity_problems(quoted, document.data, document))
        if rule.mode_unknown and rule.interpretation is None:  # timing cases the clause may not reach
            problems.append(Problem("watch.mode_unknown_reading", document.locate(("warning", "mode_unknown")), {}))
        if rule.interpretation is None and rule.yellow_share is not None:
            problems.append(Problem("lint.threshold_not_in_text", document.locate(("warning", "yellow", "remaining_share")),
                                    {"value": rule.yellow_share}))
        if "TODO" in str(document.data):
            problems.append(Problem("lint.todo", document.locate(()), {}))
        if not ({bool(e["expect"]) for e in rule.examples} >= {True, False}):
            problems.append(Problem("watch.example_needs", document.locate(("examples",)), {}))
        try:
            outcomes = run_examples(rule, PythonEngine())
        except InputError as err:
            problems.extend(err.problems)
            continue
        for outcome in outcomes:
            if not outcome.ok:
                problems.append(Problem("watch.example_mismatch", outcome.location,
                                        {"title": outcome.title, "expected": _shown(outcome.expected),
                                         "actual": _shown(outcome.actual)}))
    return problems


def _overlap(one, other) -> bool:
    """Whether two rules of one regulation could time the same case or complaint."""
    if one.times == "complaint" or one.modes is None or other.modes is None:
        return True
    return bool(set(one.modes) & set(other.modes)) or (one.mode_unknown and other.mode_unknown)


def _at(data, path: tuple):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _shown(found: tuple) -> str:
    return "; ".join(f"{case}{'/' + complaint if complaint else ''} {name} {on}" for case, complaint, name, on in found) or "—"
