"""Baselines: findings compared with an earlier JSON report (`hallcheck check --baseline`).

A finding's identity is (hall file, rule, entity): not its line, because lines move when a hall
file is edited. `compare` is a pure function over HallReports: each finding, failing or waived,
becomes `new` (not in the baseline) or `persisting` (in it), and each hall lists as `fixed` the
baseline's findings that are gone. A finding is only called fixed when the rule was decided this
time (pass, fail, waived or not applicable): a rule that is now unknown or in error, or a hall
that could not be audited, says nothing about whether its old findings were fixed.

The hall file is compared as hallcheck shows it (relative to the current directory), so the
baseline must come from a run in the same directory with the same paths.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from ..problems import InputError, Location, Problem
from ..audit.results import Finding, HallReport, RuleResult

MAX_BYTES = 512 * 1024 * 1024

_DECIDED = ("pass", "fail", "waived", "not_applicable")


@dataclass(frozen=True)
class Fixed:
    """A finding of the baseline that this run no longer has."""

    rule: str
    entity: str
    label: str
    message: str


@dataclass(frozen=True)
class Baseline:
    file: str
    halls: dict  # hall file -> {(rule, entity): Fixed}; halls that were audited in the baseline only


def load_baseline(path: str, display: str) -> Baseline:
    """Read an earlier `--format json` report, or InputError saying where it is not one."""
    from ..input.load import read_regular  # its file errors: not found, a directory, a FIFO, too large
    raw = read_regular(path, display, MAX_BYTES)
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        _fail(Location(display), f"not UTF-8 (byte {err.start})")
    except json.JSONDecodeError as err:
        _fail(Location(display, err.lineno, err.colno), err.msg)
    except RecursionError:  # a report is a few levels deep; thousands are not a report
        _fail(Location(display), "nested too deeply")
    except ValueError as err:  # an integer of thousands of digits
        _fail(Location(display), str(err).split(";")[0])
    if not isinstance(document, dict) or document.get("format") != "hallcheck-report":
        _fail(Location(display, path="format"), "format is not hallcheck-report")
    halls = {}
    for h, hall in enumerate(_list(document, "halls", display, "halls")):
        where = f"halls[{h}]"
        if not isinstance(hall, dict) or not isinstance(hall.get("file"), str):
            _fail(Location(display, path=where + ".file"), "a hall without its file")
        if hall.get("problems"):
            continue  # not audited then: nothing to compare with
        found = {}
        for r, result in enumerate(_list(hall, "results", display, f"{where}.results")):
            if not isinstance(result, dict) or not isinstance(result.get("rule"), str):
                _fail(Location(display, path=f"{where}.results[{r}].rule"), "a result without its rule")
            for key in ("findings", "waived"):
                for f, finding in enumerate(_list(result, key, display, f"{where}.results[{r}].{key}")):
                    if not isinstance(finding, dict) or not isinstance(finding.get("entity"), str):
                        _fail(Location(display, path=f"{where}.results[{r}].{key}[{f}].entity"),
                              "a finding without its entity")
                    found[(result["rule"], finding["entity"])] = Fixed(
                        result["rule"], finding["entity"], str(finding.get("label", "")), str(finding.get("message", "")))
        halls[hall["file"]] = found
    return Baseline(display, halls)


def compare(reports: list[HallReport], baseline: Baseline) -> list[HallReport]:
    """The reports with each finding marked new or persisting and each hall's fixed findings listed."""
    return [compare_hall(report, baseline) for report in reports]


def compare_hall(report: HallReport, baseline: Baseline) -> HallReport:
    """One hall's report with its findings marked new or persisting and its fixed findings listed."""
    before = baseline.halls.get(report.file)
    if report.problems:
        return dataclasses.replace(report, fixed=())
    before = before or {}
    results = tuple(_mark(result, before) for result in report.results)
    now = {(result.rule.id, finding.entity) for result in results for finding in _all_findings(result)}
    decided = {result.rule.id for result in results if result.status in _DECIDED}
    fixed = tuple(old for key, old in before.items() if key not in now and key[0] in decided)
    return dataclasses.replace(report, results=results, fixed=fixed)


def _mark(result: RuleResult, before: dict) -> RuleResult:
    if not result.findings and not result.waived:
        return result

    def marked(finding: Finding) -> Finding:
        known = (result.rule.id, finding.entity) in before
        return dataclasses.replace(finding, baseline="persisting" if known else "new")

    return dataclasses.replace(
        result, findings=tuple(marked(f) for f in result.findings),
        waived=tuple(dataclasses.replace(w, finding=marked(w.finding)) for w in result.waived))


def _all_findings(result: RuleResult):
    yield from result.findings
    yield from (w.finding for w in result.waived)


def _list(container: dict, key: str, display: str, where: str) -> list:
    value = container.get(key) or []
    if not isinstance(value, list):
        _fail(Location(display, path=where), f"{key} is not a list")
    return value


def _fail(location: Location, detail: str):
    raise InputError([Problem("baseline.not_report", location, {"detail": detail})])
