"""Rule files: load, check against the regulation register and the hall format, compile.

Everything wrong with a rule set is collected and reported at once, each problem at its file
and line; a rule set with any problem is not used, so a broken rule never passes silently.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..language import compile as compiler
from ..language import ast as syntax
from ..language import parse as parsing
from ..input import schema as schemas
from ..input.load import Document, load_file
from ..problems import InputError, Problem
from .regulations import Regulation, normalise_quote
from ..input.validate import schema_problems

SEVERITIES = ("critical", "major", "minor", "info")
VAGUE_WORDS = ("原则上", "适时", "根据需要", "根据实际", "因地制宜", "逐步", "可根据", "尽量", "鼓励", "探索")
# vague clauses are graded below hard requirements
VAGUE_MAX_SEVERITY = "minor"
_PLACEHOLDER = re.compile(r"{([^{}]*)}")



def rule_schema() -> dict:
    """The rule JSON Schema as `hallcheck schema rule` prints it, its `condition` spelled out
    from the operator table (the file keeps it loose: loading checks conditions itself, with
    messages that name the field and the hall format)."""
    schema = copy.deepcopy(schemas.named_schema("rule"))
    schema["$defs"]["condition"] = parsing.condition_schema()
    return schema

@dataclass(frozen=True)
class Rule:
    id: str
    regulation: str
    clause: str
    quote: tuple[str, ...]
    title: dict
    message: dict
    remediation: dict | None
    severity: str
    interpretation: dict | None
    levels: tuple[str, ...] | None
    kinds: tuple[str, ...] | None
    when: syntax.Node | None
    for_each: str
    where: syntax.Node | None
    require: syntax.Node
    atoms: tuple[compiler.Atom, ...]
    match: compiler.MatchTree
    tags: tuple[str, ...]
    file: str
    line: int
    source: dict  # the rule as written, for explain and for a second look

    def severity_rank(self) -> int:
        return SEVERITIES.index(self.severity)


PACK_MANIFEST = "pack.yaml"
WARNING_SUFFIX = ".warning.yaml"  # a warning rule (kind: warning) of `hallcheck watch`: no audit runs it
TESTS_DIR = "tests"  # a pack's extra examples; never rules


def rule_files(directory: Path) -> list[Path]:
    """Rule documents below `directory`: not example files (*.test.yaml), not _base.yaml and the
    like, not a pack's manifest (pack.yaml) and nothing in a pack's tests/ directory."""
    return sorted(p for p in files_below(directory, ".yaml") if not p.name.endswith(".test.yaml")
                  and not p.name.startswith("_") and p.name != PACK_MANIFEST
                  and not p.name.endswith(WARNING_SUFFIX)
                  and TESTS_DIR not in p.relative_to(directory).parts[:-1])


def warning_files(directory: Path) -> list[Path]:
    """The warning rules below `directory` (`*.warning.yaml`), read from inside it only."""
    return sorted(p for p in files_below(directory, WARNING_SUFFIX)
                  if TESTS_DIR not in p.relative_to(directory).parts[:-1])


def files_below(directory: Path, suffix: str) -> list[Path]:
    """Files named *suffix below `directory` that are inside it: a symbolic link to a directory is
    not descended into, and a link to a file elsewhere is left out (links_outside names them)."""
    inside, _ = _walk(directory, suffix)
    return inside


def links_outside(directory: Path, suffix: str = ".yaml") -> list[Path]:
    """Files named *suffix below `directory` that are symbolic links out of it: a pack is read only
    from its own directory, so a link cannot make it read (and echo in errors) another file."""
    _, outside = _walk(directory, suffix)
    return outside


def links_out_of_its_directory(path: Path) -> bool:
    """A file that is a symbolic link to somewhere outside the directory it is listed in."""
    root = os.path.realpath(path.parent)
    real = os.path.realpath(path)
    return not real.startswith(root + os.sep)


def _walk(directory: Path, suffix: str) -> tuple[list[Path], list[Path]]:
    root = os.path.realpath(directory)
    inside, outside = [], []
    for folder, subfolders, names in os.walk(directory, followlinks=False):
        subfolders.sort()
        for name in sorted(names):
            if not name.endswith(suffix):
                continue
            path = Path(folder) / name
            real = os.path.realpath(path)
            (inside if real == root or real.startswith(root + os.sep) else outside).append(path)
    return inside, outside


def load_rules(paths: list[Path], register: dict[str, Regulation], display=str) -> list[Rule]:
    rules, problems = collect_rules(paths, register, display)
    if problems:
        raise InputError(problems)
    return rules


def collect_rules(paths: list[Path], register: dict[str, Regulation], display=str,
                  seen: dict[str, str] | None = None) -> tuple[list[Rule], list[Problem]]:
    """Every rule that loads, and every problem of those that do not: one broken file never
    hides the next. An id already in `seen` (id -> where) is a duplicate, even when one of the
    two files is broken otherwise."""
    rules, problems = [], []
    seen = {} if seen is None else seen
    for path in paths:
        try:
            document = load_file(str(path), display_name=display(path))
        except InputError as err:
            problems.extend(err.problems)
            continue
        ident = document.data.get("id") if isinstance(document.data, dict) else None
        duplicate = isinstance(ident, str) and ident in seen
        if duplicate:
            problems.append(Problem("rule.duplicate_id", document.locate(("id",)), {"id": ident, "other": seen[ident]}))
        elif isinstance(ident, str):
            where = document.locate(("id",))
            seen[ident] = f"{where.file}:{where.line}"
        try:
            rule = check_rule_document(document, register)  # a duplicate's other problems are reported too
        except InputError as err:
            problems.extend(err.problems)
            continue
        if not duplicate:
            rules.append(rule)
    return rules, problems


def load_rule(path: Path, register: dict[str, Regulation], name: str | None = None) -> Rule:
    return check_rule_document(load_file(str(path), display_name=name or str(path)), register)


def check_rule_document(document: Document, register: dict[str, Regulation]) -> Rule:
    """A loaded rule document checked against the rule schema, then built (see build_rule)."""
    if not isinstance(document.data, dict):
        raise InputError([Problem("schema.type", document.locate(()), {"expected": "object", "actual": "value", "value": ""})])
    problems = schema_problems(document, "rule")
    if problems:
        raise InputError(problems)
    return build_rule(document, register)


def citation_problems(document: Document, register: dict[str, Regulation]) -> list[Problem]:
    """What is wrong with what a rule (a check or a warning) cites: the regulation, the clause,
    the quoted words, the id's prefix, and a vague quote's interpretation and grade."""
    data = document.data
    problems: list[Problem] = []

    def problem(code: str, path: tuple, **params):
        problems.append(Problem(code, document.locate(path), params))

    regulation = register.get(data["regulation"])
    quotes = tuple(data["quote"]) if isinstance(data["quote"], list) else (data["quote"],)
    if regulation is None:
        problem("rule.unknown_regulation", ("regulation",), id=data["regulation"], known=sorted(register))
    elif regulation.clause(data["clause"]) is None:
        problem("rule.unknown_clause", ("clause",), clause=data["clause"], regulation=regulation.id)
    else:
        text = normalise_quote(regulation.full_text(data["clause"]))
        for i, quote in enumerate(quotes):
            if normalise_quote(quote) not in text:
                problem("rule.quote_not_in_clause", ("quote", i) if isinstance(data["quote"], list) else ("quote",),
                        quote=quote, clause=data["clause"])
        if not data["id"].startswith(regulation.id + "."):
            problem("rule.id_prefix", ("id",), id=data["id"], prefix=regulation.id)

    vague = sorted({word for word in VAGUE_WORDS for quote in quotes if word in quote})
    if vague and "interpretation" not in data:
        problem("rule.vague_needs_interpretation", ("quote",), words=vague)
    if (vague or "interpretation" in data) and SEVERITIES.index(data["severity"]) < SEVERITIES.index(VAGUE_MAX_SEVERITY):
        problem("rule.vague_severity", ("severity",), severity=data["severity"], limit=VAGUE_MAX_SEVERITY)
    return problems


def build_rule(document: Document, register: dict[str, Regulation]) -> Rule:
    data = document.data
    problems: list[Problem] = citation_problems(document, register)

    def problem(code: str, path: tuple, **params):
        problems.append(Problem(code, document.locate(path), params))

    regulation = register.get(data["regulation"])
    quotes = tuple(data["quote"]) if isinstance(data["quote"], list) else (data["quote"],)
    if data.get("kind") == "warning":  # a warning rule is read by checker.watch, from *.warning.yaml
        problem("rule.warning_file", ("kind",), suffix=WARNING_SUFFIX)
        raise InputError(problems)
    applies = data.get("applies_to", {})
    levels = known_subset(applies, "levels", regulation.levels if regulation else None, problem)
    kinds = known_subset(applies, "kinds", regulation.kinds if regulation else None, problem)
    for_each = data.get("for_each", "hall")
    if for_each not in schemas.COLLECTIONS:
        problem("cond.unknown_collection", ("for_each",), name=for_each, known=sorted(schemas.COLLECTIONS))
        for_each = "hall"

    def parse(key: str, scope: parsing.Scope, raw, path: tuple):
        try:
            return parsing.parse(raw, scope, path)
        except parsing.RuleSyntaxError as err:
            problem(err.code, err.path, **err.params)
            return None

    when = parse("when", parsing.Scope("hall"), applies["when"], ("applies_to", "when")) if "when" in applies else None
    where = parse("where", parsing.Scope(for_each), data["where"], ("where",)) if "where" in data else None
    require = parse("require", parsing.Scope(for_each), data["require"], ("require",))

    for node in syntax.decided_by_omission(require) if require is not None else ():
        problem("rule.omission_decides", node.path + ("present",), field=node.subject.text)
    atoms, match = (), None
    if require is not None:
        try:
            atoms, match = compiler.compile_condition(require)
        except compiler.TooComplex as err:
            problem("rule.too_complex", ("require",), what=err.what, count=err.count, limit=err.limit)
    for lang_code, text in data["message"].items():
        for name in _PLACEHOLDER.findall(text):
            if name not in ("entity", "actual", "expected", "missing") and \
                    parsing.resolve_spec_or_none(name, for_each) is None:
                problem("rule.bad_placeholder", ("message", lang_code), name=name)
    if problems:
        raise InputError(problems)
    return Rule(
        id=data["id"], regulation=data["regulation"], clause=data["clause"], quote=quotes,
        title=data["title"], message=data["message"], remediation=data.get("remediation"),
        severity=data["severity"], interpretation=data.get("interpretation"), levels=levels, kinds=kinds,
        when=when, for_each=for_each, where=where, require=require, atoms=atoms, match=match,
        tags=tuple(data.get("tags", [])), file=document.file, line=document.locate(("id",)).line or 1,
        source=data)


def known_subset(applies: dict, key: str, governed, problem) -> tuple | None:
    """A rule narrows the halls its regulation governs; it cannot reach beyond them."""
    if key not in applies:
        return None
    vocab = "level" if key == "levels" else "hall_kind"
    out = []
    for i, raw in enumerate(applies[key]):
        value = schemas.canonical(vocab, raw)
        if value is None:
            problem("cond.unknown_value", ("applies_to", key, i), value=raw, vocab=vocab,
                    suggest=schemas.suggestions(vocab, raw))
        elif governed is not None and value not in governed:
            problem("rule.outside_regulation", ("applies_to", key, i), value=value, governed=list(governed))
        else:
            out.append(value)
    return tuple(out)
