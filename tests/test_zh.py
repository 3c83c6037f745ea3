"""A Chinese report is Chinese throughout: every message template, and every format of a run in
zh, holds no English word. Allowed ASCII: ids and codes (with a digit, - _ . [ ] /, or in upper
case: rule ids, file paths, entity paths, A/B posts, APP), the option names (--x), the keys of
the hall and rule formats (a user writes them in YAML), and the tool and engine names."""

from __future__ import annotations

import html
import json
import re

import pytest

from checker.language.operators import COMPARISONS
from checker.reports.messages import CATALOG, ENTITY_KINDS
from checker.input.schema import hall_schema, named_schema

from test_formats import run

TOKEN = re.compile(r"(?<![\w\-./\[])(?:--)?[A-Za-z][A-Za-z0-9_\-./\[\]²]*")
NAMES = {"hallcheck", "python", "durable", "true", "false", "null", "matches", "some", "every", "count", "none",
         "share", "of", "since", "date", "from", "to", "ID", "TODO",
         "cases", "expect", "pass", "fail",  # the keys and values of a rule's example file
         "Chromium"}  # a product's name


def schema_keys() -> set[str]:
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(k for k in node.get("properties", {}) if isinstance(k, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(hall_schema())
    for name in ("rule", "examples", "pack", "waivers"):
        walk(named_schema(name))
    return keys - set(ENTITY_KINDS)  # hall, staff, windows … have Chinese names


KEYS = schema_keys() | set(COMPARISONS)  # and the operators of the condition language


def english_words(text: str, keys: set[str] = frozenset()) -> list[str]:
    out = []
    text = re.sub(r"\S*(?:\\|\(\?|\^|\$)\S*", "", text)  # a rule's regular expression is code, not words
    for token in TOKEN.findall(text):
        if token.startswith("--") or re.search(r"[\d\-_./\[\]]", token) or token.isupper() or token in NAMES | keys:
            continue
        out.append(token)
    return out


def test_every_message_template_is_chinese():
    leaks = {}
    for code, (zh, _) in CATALOG.items():
        words = english_words(re.sub(r"{[^{}]*}", "", zh), KEYS)
        if words:
            leaks[code] = words
    assert leaks == {}


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("zh")
    paths = ["samples/", "tests/fixtures/township_8_failures.yaml"]
    return {fmt: run(fmt, paths, directory / f"report.{fmt}", lang="zh")[1]
            for fmt in ("text", "json", "markdown", "html", "junit", "sarif", "csv", "xlsx")}


def human_text(fmt: str, raw: bytes) -> str:
    """What a person reads in a report of this format (not its machine keys and ids)."""
    if fmt == "xlsx":
        import io

        from openpyxl import load_workbook
        sheet = load_workbook(io.BytesIO(raw)).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    text = raw.decode("utf-8-sig")
    if fmt == "json":
        document = json.loads(text)
        return "\n".join(value for key, value in _strings(document) if key in ("message", "title"))
    if fmt == "sarif":
        return "\n".join(value for key, value in _strings(json.loads(text)) if key in ("text", "markdown"))
    if fmt == "html":
        text = re.sub(r"<(style|title|code)\b[^>]*>.*?</\1>", " ", text, flags=re.S)
        return html.unescape(re.sub(r"<[^>]+>", " ", text))
    if fmt == "junit":  # a skipped test's message starts with its status id, which CI tools read
        messages = re.findall(r'message="([^"]*)"', text)
        return html.unescape(" ".join(re.sub(r"^(unknown|not_applicable|waived): ", "", m) for m in messages))
    if fmt == "markdown":
        text = re.sub(r"`[^`]*`", " ", text)  # code spans: ids, files, options
    if fmt == "csv":
        import csv
        import io
        rows = list(csv.DictReader(io.StringIO(text)))
        return "\n".join(row[key] for row in rows for key in ("hall", "reason", "first_message"))
    return text


def _strings(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        yield key, node


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "junit", "sarif", "csv", "xlsx"])
def test_every_format_in_chinese_is_chinese(zh_run, fmt):
    words = english_words(human_text(fmt, zh_run[fmt]), KEYS)
    assert sorted(set(words)) == []


def test_explain_in_chinese_is_chinese():
    from checker.authoring.explain import explain_rule
    from checker.paths import bundled
    from checker.ruleset.rules import load_rules, rule_files

    from helpers import register
    leaks = {}
    for rule in load_rules(rule_files(bundled("rules")), register()):
        words = english_words(explain_rule(rule, register()[rule.regulation], "zh"), KEYS)
        if words:
            leaks[rule.id] = sorted(set(words))
    assert leaks == {}
