"""Small builders shared by the tests: a rule or a hall from YAML text."""

from __future__ import annotations

import functools
import textwrap

from checker.input.load import load_text
from checker.paths import bundled
from checker.ruleset.regulations import load_register
from checker.ruleset.rules import build_rule
from checker.input.validate import validate_hall

KAIFENG_HALL = """\
hallcheck: 1
as_of: 2024-06-30
hall:
  name: 开封市民之家
  level: city
  kind: civic_centre
  jurisdiction: {province: 河南省, city: 开封市}
"""


@functools.lru_cache(maxsize=None)
def register():
    return load_register(bundled("regulations"))


def rule(text: str, name: str = "rule.yaml"):
    return build_rule(load_text(textwrap.dedent(text), name), register())


def hall(extra: str = "", fields: str = "", base: str = KAIFENG_HALL, name: str = "hall.yaml"):
    """The base hall with `fields` added to its hall section and `extra` top-level sections."""
    fields = textwrap.dedent(fields).rstrip("\n") + "\n" if fields else ""
    text = base + textwrap.indent(fields, "  ") + textwrap.dedent(extra)
    return validate_hall(load_text(text, name))


def kaifeng_rule(require: str, for_each: str = "hall", where: str = "", rule_id: str = "probe") -> object:
    """A throw-away rule on kaifeng art28 whose condition is the given YAML."""
    body = f"""\
id: kaifeng-2014.art28.{rule_id}
regulation: kaifeng-2014
clause: art28
quote: 不得少于两年
title: {{zh: 测试, en: probe}}
severity: major
for_each: {for_each}
message: {{zh: "{{entity}} {{actual}}", en: "{{entity}} {{actual}}"}}
"""
    if where:
        body += "where:\n" + textwrap.indent(textwrap.dedent(where), "  ")
    body += "require:\n" + textwrap.indent(textwrap.dedent(require), "  ")
    return rule(body)



def durable_expected() -> bool:
    """Whether the durable-rules engine must be tested here: wherever it imports, and on every
    Python below 3.13 (pyproject.toml installs it there), where its absence is a failure."""
    import os
    import sys

    from checker.audit.backends import durable_import_error
    if os.environ.get("HALLCHECK_TEST_WITHOUT_DURABLE"):  # .ci/run's run as on Python 3.13+ (conftest.py)
        return False
    return sys.version_info < (3, 13) or durable_import_error() is None


def durable_backend():
    """The durable-rules backend; a test that needs it fails where it should be installed and is
    not (a comparison of engines must never pass with one engine), and skips on Python 3.13+."""
    import pytest

    from checker.audit.backends import durable_import_error, get_backend
    problem = durable_import_error()
    if problem:
        if durable_expected():
            pytest.fail(f"durable-rules must import on this Python: {problem}")
        pytest.skip("durable-rules cannot be imported on Python 3.13+; the python backend stands alone there")
    return get_backend("durable")
