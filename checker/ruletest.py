"""Running a rule's examples: the fixtures beside each rule file.

`rules/<regulation>/<name>.yaml` is the rule; `<name>.test.yaml` beside it holds its cases:

    cases:
      - name: left after 23 months
        as_of: 2024-06-30
        hall:                 # merged onto rules/<regulation>/_base.yaml (lists replace)
          staff: [{id: S01, stationed_from: 2019-03-01, stationed_until: 2021-02-28}]
        expect: fail          # pass, fail, not_applicable or unknown
        findings:             # for fail: exactly the failing entities, and words of each message
          - entity: staff[0]
            message: 1.92 years

A case passes when the status is as expected and, for a failure, the failing entities are
exactly those listed and each message contains the listed words (English, and Chinese under
message_zh).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .audit import audit_hall
from .load import Document, load_file
from .problems import InputError, Problem
from .regulations import Regulation
from .report import finding_message
from .rules import Rule
from .validate import validate_hall


@dataclass(frozen=True)
class CaseOutcome:
    rule: str
    name: str
    file: str
    line: int | None
    expected: str
    actual: str
    ok: bool
    detail: list  # what differed: (what, expected, actual)
    findings: list  # actual (entity, en message)


def examples_path(rule: Rule) -> Path:
    path = Path(rule.file)
    return path.with_name(path.name[: -len(".yaml")] + ".test.yaml")


def base_path(rule: Rule) -> Path:
    return Path(rule.file).with_name("_base.yaml")


def merge(base, overlay):
    """Overlay onto base: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(overlay)


def run_examples(rule: Rule, register: dict[str, Regulation], backend) -> list[CaseOutcome]:
    path = examples_path(rule)
    examples = load_file(str(path))
    cases = examples.data.get("cases") if isinstance(examples.data, dict) else None
    if not isinstance(cases, list) or not cases:
        raise InputError([Problem("examples.no_cases", examples.locate(("cases",)), {})])
    base = load_file(str(base_path(rule))).data if base_path(rule).exists() else {}
    return [_run_case(rule, register, backend, examples, base, i, case) for i, case in enumerate(cases)]


def _run_case(rule, register, backend, examples: Document, base, index: int, case: dict) -> CaseOutcome:
    name = str(case.get("name", f"case {index + 1}"))
    line = examples.locate(("cases", index)).line
    data = merge(base, case.get("hall", {}))
    document = Document(f"{examples.file}#{name}", data, {})
    as_of = case.get("as_of")
    day = dt.date.fromisoformat(str(as_of)) if as_of else None
    hall = validate_hall(document)
    report = audit_hall(hall, [rule], register, backend, day)
    result = report.results[0]
    findings = [(f.entity, finding_message(result, f, "en"), finding_message(result, f, "zh")) for f in result.findings]
    expected = case.get("expect")
    detail = []
    if result.status != expected:
        detail.append(("status", expected, result.status))
    if expected == "fail" and result.status == "fail":
        wanted = case.get("findings") or []
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
                       [(f[0], f[1]) for f in findings])
