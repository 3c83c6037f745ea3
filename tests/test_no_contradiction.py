"""No two bundled rules contradict each other, and no rule fails a hall for what it leaves out.

A hall that does everything its regulations ask must pass every rule at once. Two rules that
cannot both hold (one asks for a channel the other forbids, a list one rule wants published and
another wants kept inside), a rule that demands more than its clause, or a rolling window that a
hall opened last month cannot fill, all show up here as a failure of a compliant hall.

The compliant halls are the bundled samples whose names do not say `-noncompliant` and a few
hundred halls from bench/generate.py's `compliant_hall_document`: every profile (the five
regulations' places and levels), small, deterministically seeded, a quarter of them opened less
than a year before the audit. Then the same generated halls with every field the schema does not
require removed: nothing the rules need is known, so nothing may fail; only unknown, pass and
not applicable remain.

A failure here is one of three things: two rules that contradict each other (fix the one that
misreads its clause), a rule that fails on omission (it must say unknown), or a generator that
is not compliant (fix bench/generate.py).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from checker.input import schema as schemas
from checker.audit.hall import audit_hall
from checker.audit.backends import get_backend
from checker.input.load import load_file, load_text
from checker.ruleset.packs import load_ruleset
from checker.paths import bundled
from checker.ruleset.regulations import load_register
from checker.reports.report import finding_message
from checker.input.validate import validate_hall

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("hallcheck_bench_generate", ROOT / "bench" / "generate.py")
generate = sys.modules.get(_spec.name) or importlib.util.module_from_spec(_spec)
if _spec.name not in sys.modules:
    sys.modules[_spec.name] = generate
    _spec.loader.exec_module(generate)

HALLS_PER_PROFILE = 20  # 11 profiles: 220 generated halls, and as many stripped to what is required
SEED = "hallcheck-no-contradiction"
COMPLIANT_SAMPLES = sorted(p for p in (ROOT / "samples").rglob("*.yaml") if "-noncompliant" not in p.name)


@pytest.fixture(scope="module")
def audit():
    register = load_register(bundled("regulations"))
    rules = load_ruleset(None, register, str).rules
    backend = get_backend("python")

    def run(hall):
        return audit_hall(hall, rules, register, backend, None)
    return run


def generated(index: int) -> dict:
    profile = sorted(generate.PROFILES)[index % len(generate.PROFILES)]
    return generate.compliant_hall_document(random.Random(f"{SEED}/{index}"), profile)


def hall_of(document: dict, name: str):
    return validate_hall(load_text(generate.dump(document), name))


def required_only(value, schema: dict | None = None):
    """The document with every key its schema does not require removed, at every depth."""
    schema = schemas.resolve(schemas.hall_schema() if schema is None else schema)
    if isinstance(value, dict):
        props, required = schema.get("properties", {}), schema.get("required", ())
        return {key: required_only(item, props.get(key, {})) for key, item in value.items() if key in required}
    if isinstance(value, list):
        return [required_only(item, schema.get("items", {})) for item in value]
    return value


def failures(report) -> list[str]:
    """Each failed rule with its first finding: what a reader needs to find the contradiction."""
    out = []
    for result in report.results:
        if result.status == "fail":
            finding = result.findings[0]
            out.append(f"{report.file}: {result.rule.id} ({finding.entity}): {finding_message(result, finding, 'en')}")
    return out


def test_the_generator_and_the_samples_give_what_this_test_needs():
    """Every profile is generated, the halls differ, and the samples include each regulation's
    compliant hall, so that a pass below is not a pass over nothing."""
    assert len(COMPLIANT_SAMPLES) >= 10
    profiles = {generated(i)["hall"]["name"] for i in range(len(generate.PROFILES))}
    assert len(profiles) == len(generate.PROFILES)
    assert generate.dump(generated(0)) == generate.dump(generated(0))  # deterministic
    stripped = required_only(generated(0))
    assert set(stripped) == {"hallcheck", "hall"} | {k for k in ("windows", "staff", "items") if k in stripped}
    assert set(stripped["hall"]) == {"name", "level", "kind", "jurisdiction"}


@pytest.mark.parametrize("path", COMPLIANT_SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "samples")))
def test_no_rule_fails_a_compliant_sample(audit, path):
    report = audit(validate_hall(load_file(str(path), display_name=str(path.relative_to(ROOT)))))
    assert failures(report) == []


def test_no_rule_fails_a_generated_compliant_hall(audit):
    failed, decided = [], 0
    for index in range(HALLS_PER_PROFILE * len(generate.PROFILES)):
        report = audit(hall_of(generated(index), f"compliant-{index:03d}.yaml"))
        failed += failures(report)
        decided += sum(result.status == "pass" for result in report.results)
    assert not failed, "\n".join(failed)
    # the halls are described fully enough that the rules decide rather than say unknown
    assert decided >= 20 * HALLS_PER_PROFILE * len(generate.PROFILES)


def test_no_rule_fails_a_hall_described_only_by_what_the_schema_requires(audit):
    failed, statuses = [], set()
    for index in range(HALLS_PER_PROFILE * len(generate.PROFILES)):
        report = audit(hall_of(required_only(generated(index)), f"required-only-{index:03d}.yaml"))
        failed += failures(report)
        statuses |= {result.status for result in report.results}
    assert not failed, "\n".join(failed)
    assert statuses <= {"unknown", "pass", "not_applicable"}
    assert "unknown" in statuses
