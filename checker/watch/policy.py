"""Warning rules (`NAME.warning.yaml`, `kind: warning`): loaded, checked and compiled.

A warning rule cites its clause as a check rule does (the same schema, the same checks of the
regulation, the clause, the quoted words and a vague clause's interpretation) and says when a
clock turns yellow; red is always "the limit has passed". It compiles to four match trees
(checker.language.compile), the one representation both engines run:

| transition    | holds of a clock's facts when                                                    |
|---------------|----------------------------------------------------------------------------------|
| to_red        | it runs, is not red, and fewer than 0 working days remain                        |
| to_yellow     | it runs, is green, 0 or more remain, and at most N days or a share S of the limit |
|               | (never, for a rule without `yellow`: one whose limit leaves no time for a warning) |
| closed_late   | it is being closed (办结, answered) and fewer than 0 days remained                |
| closed_warned | it is being closed in time and had been yellow or red                             |

The facts are `open`, `closing`, `colour`, `remaining`, `share` and `warned` (see state.facts).

A case rule may time only the cases of some handling modes (`modes`, the items' 即办件, 承诺件, ...;
`mode_unknown` takes the cases whose mode neither the event nor its item gives), and may fix the
limit itself where its clause does (`limit_days`, e.g. 当场办结); a regulation may then have one
case rule per mode. Limits count working days, or calendar days where the rule says `unit:
calendar_days` (a period its reading borrows in calendar days).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..input.load import Document, load_file
from ..input.schema import canonical, suggestions
from ..input.validate import schema_problems
from ..language.compile import MAll, MAny, MatchTree, Test
from ..problems import InputError, Problem
from ..ruleset.regulations import Regulation
from ..ruleset.rules import citation_problems, known_subset, warning_files

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
    limit_days: int | None  # a complaint's period, or a case limit the clause fixes; else the case's
    unit: str  # working_days or calendar_days
    yellow_days: int | None
    yellow_share: float | None
    modes: tuple[str, ...] | None  # the handling modes of the cases it times; None: every case
    mode_unknown: bool  # whether it times a case whose mode is not known
    levels: tuple[str, ...] | None  # applies_to, as a check rule's
    kinds: tuple[str, ...] | None
    examples: tuple
    file: str
    line: int
    document: Document

    def trees(self) -> dict[str, MatchTree]:
        return compiled(self.yellow_days, self.yellow_share)

    def times_mode(self, mode: str | None) -> bool:
        """Whether this case rule times a case of handling mode `mode` (None: not known)."""
        if self.modes is None:
            return True
        return mode in self.modes if mode is not None else self.mode_unknown

    def reaches(self, level: str | None, kind: str | None) -> bool:
        """Whether its applies_to reaches a hall of this level and kind (None: no hall given, so
        the watcher's user vouches for it)."""
        return (level is None or self.levels is None or level in self.levels) and \
            (kind is None or self.kinds is None or kind in self.kinds)


def compiled(yellow_days: int | None, yellow_share: float | None) -> dict[str, MatchTree]:
    """The four transitions of a clock, as match trees over its facts."""
    running = Test("open", "is", True)
    closing = Test("closing", "is", True)
    late = Test("remaining", "less_than", 0.0)
    in_time = Test("remaining", "at_least", 0.0)
    near = [Test("remaining", "at_most", float(yellow_days))] if yellow_days is not None else []
    near += [Test("share", "at_most", round(float(yellow_share), 4))] if yellow_share is not None else []
    if not near:  # no yellow: a test no clock passes, in and out of time at once
        near = [MAll((late,))]
    return {
        "to_red": MAll((running, Test("colour", "not_equals", "red"), late)),
        "to_yellow": MAll((running, Test("colour", "equals", "green"), in_time, MAny(tuple(near)))),
        "closed_late": MAll((closing, late)),
        "closed_warned": MAll((closing, in_time, Test("warned", "is", True))),
    }


@dataclass(frozen=True)
class Policy:
    """The warning rules one watcher runs: case rules (one per handling mode at most) and at
    most one for complaints, those whose applies_to reaches the hall."""

    regulation: str
    cases: tuple[WarningRule, ...]
    complaint: WarningRule | None

    @property
    def rules(self) -> tuple[WarningRule, ...]:
        return self.cases + ((self.complaint,) if self.complaint else ())

    def rule(self, ident: str | None) -> WarningRule | None:
        return next((rule for rule in self.rules if rule.id == ident), None)

    def case_rule(self, mode: str | None) -> WarningRule | None:
        """The rule timing a case of this handling mode (None: not known), if any does."""
        return next((rule for rule in self.cases if rule.times_mode(mode)), None)

    def first(self, subject: str) -> WarningRule | None:
        return self.complaint if subject == "complaint" else next(iter(self.cases), None)


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
        for key in ("modes", "mode_unknown"):
            if key in warning:
                problems.append(Problem("watch.complaint_modes", document.locate(("warning", key)), {}))
    if "unit" in warning and "limit_days" not in warning:
        problems.append(Problem("watch.unit_needs_limit", document.locate(("warning", "unit")), {}))
    modes = _modes(document, problems)
    applies = data.get("applies_to", {})
    if "when" in applies:
        problems.append(Problem("watch.no_when", document.locate(("applies_to", "when")), {}))
    levels = _applies(document, register, "levels", problems)
    kinds = _applies(document, register, "kinds", problems)
    if problems:
        raise InputError(problems)
    yellow = warning.get("yellow", {})
    quote = tuple(data["quote"]) if isinstance(data["quote"], list) else (data["quote"],)
    return WarningRule(data["id"], data["regulation"], data["clause"], quote, data["title"], data["severity"],
                       data.get("interpretation"), warning["times"], warning.get("limit_days"),
                       warning.get("unit", "working_days"), yellow.get("remaining_days"), yellow.get("remaining_share"),
                       modes, bool(warning.get("mode_unknown", False)), levels, kinds,
                       tuple(data["examples"]), document.file, document.locate(("id",)).line or 1, document)


def _modes(document: Document, problems: list) -> tuple[str, ...] | None:
    """The handling modes a case rule names, in their canonical ids (承诺件 -> committed)."""
    raw = document.data["warning"].get("modes")
    if raw is None:
        return None
    out = []
    for i, value in enumerate(raw):
        mode = canonical("handling_mode", value)
        if mode is None:
            problems.append(Problem("cond.unknown_value", document.locate(("warning", "modes", i)),
                                    {"value": value, "vocab": "handling_mode",
                                     "suggest": suggestions("handling_mode", value)}))
        else:
            out.append(mode)
    return tuple(out)


def _applies(document: Document, register: dict[str, Regulation], key: str, problems: list) -> tuple | None:
    """applies_to's levels or kinds, read as a check rule's are (checker.ruleset.rules)."""
    regulation = register.get(document.data["regulation"])
    governed = None if regulation is None else (regulation.levels if key == "levels" else regulation.kinds)
    return known_subset(document.data.get("applies_to", {}), key, governed,
                        lambda code, path, **params: problems.append(Problem(code, document.locate(path), params)))


def policy_for(rules: list[WarningRule], regulation: str, level: str | None = None,
               kind: str | None = None) -> Policy | None:
    """The warning rules of one regulation as one watcher's policy, those whose applies_to
    reaches a hall of this level and kind (None: not known); None when the regulation has none."""
    mine = [rule for rule in rules if rule.regulation == regulation]
    if not mine:
        return None
    reaching = [rule for rule in mine if rule.reaches(level, kind)]
    return Policy(regulation, tuple(r for r in reaching if r.times == "case"),
                  next((r for r in reaching if r.times == "complaint"), None))
