"""Warning rules (`NAME.warning.yaml`, `kind: warning`): loaded, checked and compiled.

A warning rule cites its clause as a check rule does (the same schema, the same checks of the
regulation, the clause, the quoted words and a vague clause's interpretation) and says when a
clock turns yellow; red is always "the limit has passed". It compiles to four match trees
(checker.language.compile), the one representation both engines run:

| transition    | holds of a clock's facts when                                                    |
|---------------|----------------------------------------------------------------------------------|
| to_red        | it runs, is not red, and fewer than 0 working days remain                        |
| to_yellow     | it runs, is green, 0 or more remain, and at most N days or a share S of the limit |
| closed_late   | it is being closed (办结, answered) and fewer than 0 days remained                |
| closed_warned | it is being closed in time and had been yellow or red                             |

The facts are `open`, `closing`, `colour`, `remaining`, `share` and `warned` (see state.facts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..input.load import Document, load_file
from ..input.validate import schema_problems
from ..language.compile import MAll, MAny, MatchTree, Test
from ..problems import InputError, Problem
from ..ruleset.regulations import Regulation
from ..ruleset.rules import citation_problems, warning_files

TRANSITIONS = ("to_red", "to_yellow", "closed_late", "closed_warned")


@dataclass(frozen=True)
class WarningRule:
    id: str
    regulation: str
    clause: str
    quote: tuple[str, ...]
    title: dict
    severity: str
    interpretation: dict | None
    times: str  # case or complaint
    limit_days: int | None  # a complaint's period; a case's limit comes with the case
    yellow_days: int | None
    yellow_share: float | None
    stops_clock: tuple[str, ...]
    examples: tuple
    file: str
    line: int
    document: Document

    def trees(self) -> dict[str, MatchTree]:
        return compiled(self.yellow_days, self.yellow_share)


def compiled(yellow_days: int | None, yellow_share: float | None) -> dict[str, MatchTree]:
    """The four transitions of a clock, as match trees over its facts."""
    running = Test("open", "is", True)
    closing = Test("closing", "is", True)
    late = Test("remaining", "less_than", 0.0)
    in_time = Test("remaining", "at_least", 0.0)
    near = [Test("remaining", "at_most", float(yellow_days))] if yellow_days is not None else []
    near += [Test("share", "at_most", round(float(yellow_share), 4))] if yellow_share is not None else []
    return {
        "to_red": MAll((running, Test("colour", "not_equals", "red"), late)),
        "to_yellow": MAll((running, Test("colour", "equals", "green"), in_time, MAny(tuple(near)))),
        "closed_late": MAll((closing, late)),
        "closed_warned": MAll((closing, in_time, Test("warned", "is", True))),
    }


@dataclass(frozen=True)
class Policy:
    """The warning rules one watcher runs: at most one for cases and one for complaints."""

    regulation: str
    case: WarningRule | None
    complaint: WarningRule | None

    def rule_for(self, subject: str) -> WarningRule | None:
        return self.case if subject == "case" else self.complaint


def collect_warning_rules(paths: list[Path], register: dict[str, Regulation], display=str) \
        -> tuple[list[WarningRule], list[Problem]]:
    """Every warning rule that loads, and every problem of those that do not."""
    rules, problems, seen = [], [], {}
    for path in paths:
        try:
            document = load_file(str(path), display_name=display(path))
            rule = warning_rule(document, register)
        except InputError as err:
            problems.extend(err.problems)
            continue
        if rule.id in seen:
            problems.append(Problem("rule.duplicate_id", document.locate(("id",)), {"id": rule.id, "other": seen[rule.id]}))
            continue
        seen[rule.id] = f"{rule.file}:{rule.line}"
        rules.append(rule)
    return rules, problems


def warning_rules_below(directory: Path, register: dict[str, Regulation], display=str) -> list[WarningRule]:
    rules, problems = collect_warning_rules(warning_files(directory), register, display)
    if problems:
        raise InputError(problems)
    return rules


def warning_rule(document: Document, register: dict[str, Regulation]) -> WarningRule:
    """A warning rule document checked against the rule schema and its citation."""
    data = document.data
    if not isinstance(data, dict):
        raise InputError([Problem("schema.type", document.locate(()), {"expected": "object", "actual": "value", "value": ""})])
    problems = schema_problems(document, "rule")
    if not problems and data.get("kind") != "warning":
        problems.append(Problem("watch.not_warning", document.locate(("id",)), {}))
    if problems:
        raise InputError(problems)
    problems = citation_problems(document, register)
    warning = data["warning"]
    if warning["times"] == "complaint":
        if "limit_days" not in warning:
            problems.append(Problem("schema.required", document.locate(("warning",)), {"field": "limit_days"}))
        if "stops_clock" in warning:
            problems.append(Problem("watch.complaint_clock", document.locate(("warning", "stops_clock")), {}))
    elif "limit_days" in warning:
        problems.append(Problem("watch.case_limit", document.locate(("warning", "limit_days")), {}))
    if problems:
        raise InputError(problems)
    yellow = warning["yellow"]
    quote = tuple(data["quote"]) if isinstance(data["quote"], list) else (data["quote"],)
    return WarningRule(data["id"], data["regulation"], data["clause"], quote, data["title"], data["severity"],
                       data.get("interpretation"), warning["times"], warning.get("limit_days"),
                       yellow.get("remaining_days"), yellow.get("remaining_share"),
                       tuple(warning.get("stops_clock", ())), tuple(data["examples"]), document.file,
                       document.locate(("id",)).line or 1, document)


def policy_for(rules: list[WarningRule], regulation: str) -> Policy | None:
    """The warning rules of one regulation as one watcher's policy; None when it has none."""
    mine = [rule for rule in rules if rule.regulation == regulation]
    if not mine:
        return None
    return Policy(regulation, next((r for r in mine if r.times == "case"), None),
                  next((r for r in mine if r.times == "complaint"), None))
