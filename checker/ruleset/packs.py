"""Rule packs: a directory of rules with a small manifest, `pack.yaml`.

    name: rencheng-county
    version: 1.0.0
    description: 任城区 adopts the city's standard, a little stricter
    extends: builtin            # or ../jining-city (a path relative to this directory)
    overrides:
      - rule: kaifeng-2014.art28.two-year-stationing
        set: {path: require.at_least, value: 3}       # or a list of {path, value}
        reason: 任城区要求进驻满三年
        document: 任政办发〔2023〕5号
      - rule: jining-2018.art7.service-facilities
        severity: major
      - rule: jining-2018.art7.functional-zones
        disabled: true
        reason: 本区大厅改造中，由区政府另行考核     # required when disabled

The effective rule set of a pack is what it extends (after that pack's own overrides), plus the
rules in its own directory, with its overrides applied in order. `set` may only change a literal
a condition compares with (the value after an operator in require, where or applies_to.when),
and only for one of the same kind; the changed rule is checked and compiled again exactly as a
rule file is (rules.build_rule), so a pack cannot produce a rule that would not load. A rule's
citation, quote and message never change. What was in force is recorded (RuleSet.info) and goes
into the report.

A directory without pack.yaml is a plain rule directory, as before; `builtin` (or no --rules)
is the rules shipped with hallcheck.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..language.operators import COMPARISONS, LIST_OPERANDS
from ..input.load import Document, load_file
from ..paths import bundled
from ..problems import InputError, Location, Problem, format_path
from .regulations import Regulation
from .rules import PACK_MANIFEST, Rule, check_rule_document, collect_rules, links_outside, rule_files
from ..input.validate import schema_problems

BUILTIN = "builtin"
# Where a pack may change a literal, and the operators whose operands are lists.
_CHANGEABLE_ROOTS = ("require", "where", "applies_to")
_OVERRIDE = re.compile(r"^overrides\[(\d+)\]")


@dataclass(frozen=True)
class Override:
    """One change a pack made to one rule."""

    pack: str
    rule: str
    action: str  # set, severity or disabled
    path: str | None  # for set: the path in the rule document
    before: object
    after: object
    reason: str | None
    document: str | None

    def to_json(self) -> dict:
        return {"pack": self.pack, "rule": self.rule, "action": self.action, "path": self.path,
                "from": self.before, "to": self.after, "reason": self.reason, "document": self.document}


@dataclass(frozen=True)
class PackRef:
    name: str | None
    version: str | None
    path: str | None  # as shown to the user; None for builtin


@dataclass
class RuleSet:
    rules: list[Rule]
    pack: str | None  # the name of the pack in use, "builtin", or None for a plain directory
    version: str | None
    source: str  # builtin, or the directory or file as the user named it
    chain: list[PackRef] = field(default_factory=list)  # this pack first, then what it extends
    overrides: list[Override] = field(default_factory=list)
    own: list[Rule] = field(default_factory=list)  # rules written in this directory itself
    directory: Path | None = None  # the pack's or plain directory; None for builtin or a file

    def info(self) -> dict:
        """The `rules` object of the JSON report."""
        return {
            "pack": self.pack,
            "version": self.version,
            "source": self.source,
            "chain": [{"name": ref.name, "version": ref.version, "path": ref.path} for ref in self.chain],
            "count": len(self.rules),
            "overrides": [override.to_json() for override in self.overrides],
        }


def load_ruleset(path: Path | None, register: dict[str, Regulation], display=str) -> RuleSet:
    """The rule set at `path` (None: builtin); InputError with every problem if it has any."""
    ruleset, problems = collect_ruleset(path, register, display)
    if problems:
        raise InputError(problems)
    return ruleset


def collect_ruleset(path: Path | None, register: dict[str, Regulation],
                    display=str) -> tuple[RuleSet | None, list[Problem]]:
    """The rule set at `path` as far as it can be built, and every problem met on the way."""
    return _resolve(path, register, display, ())


def is_pack(path: Path) -> bool:
    return path.name == PACK_MANIFEST and path.is_file() or (path.is_dir() and (path / PACK_MANIFEST).is_file())


def _resolve(path, register, display, stack: tuple) -> tuple[RuleSet | None, list[Problem]]:
    if path is None or str(path) == BUILTIN:
        rules, problems = collect_rules(rule_files(bundled("rules")), register, display)
        return RuleSet(rules, BUILTIN, __version__, BUILTIN, [PackRef(BUILTIN, __version__, None)],
                       own=rules, directory=bundled("rules")), problems
    path = Path(path)
    if path.name == PACK_MANIFEST and path.is_file():
        path = path.parent
    if not path.exists():
        return None, [Problem("file.not_found", Location(display(path)))]
    if path.is_file():
        rules, problems = collect_rules([path], register, display)
        return RuleSet(rules, None, None, display(path), own=rules), problems
    if not (path / PACK_MANIFEST).is_file():
        rules, problems = collect_rules(rule_files(path), register, display)
        return RuleSet(rules, None, None, display(path), [PackRef(None, None, display(path))],
                       own=rules, directory=path), problems + outside_problems(path, display)
    return _pack(path, register, display, stack)


def outside_problems(directory: Path, display=str) -> list[Problem]:
    """A problem for each file of the directory that is a symbolic link out of it (not read)."""
    return [Problem("pack.link_outside", Location(str(Path(display(path.parent)) / path.name)), {})  # the link, not its target
            for path in links_outside(directory)]


def _pack(directory: Path, register, display, stack: tuple) -> tuple[RuleSet | None, list[Problem]]:
    try:
        manifest = load_file(str(directory / PACK_MANIFEST), display_name=display(directory / PACK_MANIFEST))
    except InputError as err:
        return None, err.problems
    if not isinstance(manifest.data, dict):
        return None, [Problem("schema.type", manifest.locate(()), {"expected": "object", "actual": "value"})]
    schema_trouble = schema_problems(manifest, "pack")
    # an override the schema refuses is left out, the others are still applied and checked
    refused = {int(m.group(1)) for m in (_OVERRIDE.match(p.location.path) for p in schema_trouble) if m}
    if any(not _OVERRIDE.match(p.location.path) for p in schema_trouble):
        return None, schema_trouble
    data = manifest.data
    here = directory.resolve()
    if here in stack:
        chain = " → ".join(display(p) for p in stack + (here,))
        return None, [Problem("pack.cycle", manifest.locate(("extends",)), {"chain": chain})]
    parent, problems = None, []
    if "extends" in data:
        target = data["extends"]
        if target != BUILTIN and Path(target).is_absolute():  # `/` would make the whole disk a pack
            return None, [Problem("pack.extends_absolute", manifest.locate(("extends",)), {"path": target})]
        if target != BUILTIN and not (directory / target).is_dir():
            return None, [Problem("pack.extends_not_found", manifest.locate(("extends",)),
                                  {"path": display(directory / target)})]
        parent, problems = _resolve(BUILTIN if target == BUILTIN else directory / target, register, display,
                                    stack + (here,))
        if parent is None:
            return None, problems
    inherited = list(parent.rules) if parent else []
    seen = {rule.id: f"{rule.file}:{rule.line}" for rule in inherited}
    own, trouble = collect_rules(rule_files(directory), register, display, seen=seen)
    problems = problems + trouble + outside_problems(directory, display)
    rules = {rule.id: rule for rule in inherited + own}
    disabled = {o.rule: o.pack for o in (parent.overrides if parent else []) if o.action == "disabled"}
    overrides = list(parent.overrides) if parent else []
    problems += schema_trouble
    for index, entry in enumerate(data.get("overrides") or []):
        if index in refused:
            continue
        made, trouble = _apply(rules, disabled, entry, index, manifest, data["name"], register)
        overrides.extend(made)
        problems.extend(trouble)
    own_ids = {rule.id for rule in own}
    chain = [PackRef(data["name"], data["version"], display(directory))] + (parent.chain if parent else [])
    return RuleSet(list(rules.values()), data["name"], data["version"], display(directory), chain, overrides,
                   [rule for rule in rules.values() if rule.id in own_ids], directory), problems


def _apply(rules: dict, disabled: dict, entry: dict, index: int, manifest: Document, pack: str,
           register) -> tuple[list[Override], list[Problem]]:
    """Apply one override to `rules` (in place): the records of what changed, or the problems."""
    at = ("overrides", index)
    rule_id = entry["rule"]
    reason, document = entry.get("reason"), entry.get("document")
    if rule_id in disabled:
        return [], [Problem("pack.already_disabled", manifest.locate(at + ("rule",)),
                            {"rule": rule_id, "pack": disabled[rule_id]})]
    if rule_id not in rules:
        return [], [Problem("pack.unknown_rule", manifest.locate(at + ("rule",)),
                            {"rule": rule_id, "suggest": difflib.get_close_matches(rule_id, list(rules), n=3, cutoff=0.6)})]
    changes = entry.get("set")
    changes = [] if changes is None else (changes if isinstance(changes, list) else [changes])
    if entry.get("disabled"):
        if changes or "severity" in entry:
            return [], [Problem("pack.disabled_and_changed", manifest.locate(at + ("disabled",)), {})]
        del rules[rule_id]
        disabled[rule_id] = pack
        return [Override(pack, rule_id, "disabled", None, None, None, reason, document)], []
    if not changes and "severity" not in entry:
        return [], [Problem("pack.no_change", manifest.locate(at), {})]
    rule = rules[rule_id]
    data = copy.deepcopy(rule.source)
    made, problems = [], []
    if "severity" in entry:
        made.append(Override(pack, rule_id, "severity", "severity", data["severity"], entry["severity"], reason, document))
        data["severity"] = entry["severity"]
    set_at = at + ("set",) if not isinstance(entry.get("set"), list) else None
    for number, change in enumerate(changes):
        where = set_at if set_at is not None else at + ("set", number)
        before, trouble = _set(data, change["path"], change["value"], rule_id, manifest, where)
        if trouble:
            problems.append(trouble)
            continue
        made.append(Override(pack, rule_id, "set", change["path"], before, change["value"], reason, document))
    if problems:
        return [], problems
    try:
        source = load_file(rule.file)  # the rule's positions, for the problems a change might cause
        rules[rule_id] = check_rule_document(Document(source.file, data, source.positions), register)
    except InputError as err:
        places = [((set_at if set_at is not None else at + ("set", number)) + ("value",), parse_path(change["path"]))
                  for number, change in enumerate(changes)]
        return [], [Problem(p.code, manifest.locate(_blame(p, places, at, "severity" in entry)), p.params)
                    for p in err.problems]
    return made, []


def _blame(problem: Problem, places: list, at: tuple, severity_changed: bool) -> tuple:
    """Where in pack.yaml the change is written that made the rule refuse to load: the part of a
    set value the problem is about, else the severity, else the first set value."""
    for where, parts in places:
        prefix = format_path(parts)
        if problem.location.path == prefix or problem.location.path.startswith((prefix + "[", prefix + ".")):
            rest = problem.location.path[len(prefix):]
            return where + tuple(int(i) if i else key for i, key in re.findall(r"\[(\d+)\]|\.([^.\[]+)", rest))
    if severity_changed and (problem.code == "rule.vague_severity" or not places):
        return at + ("severity",)
    return places[0][0] if places else at


def parse_path(text: str) -> tuple:
    """require.all.0.at_least or /require/all/0/at_least -> ('require', 'all', 0, 'at_least')."""
    if text.startswith("/"):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in text[1:].split("/")]
    else:
        parts = text.split(".")
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list) and value and all(_kind(v) in ("boolean", "number", "string") for v in value):
        return "list"
    return "value"


def _set(data: dict, text: str, value, rule_id: str, manifest: Document, where: tuple):
    """Change the literal at `text` in the rule document `data`; (what it was, None) or (None, problem)."""
    parts = parse_path(text)
    node, walked = data, []
    for part in parts[:-1]:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) \
                and 0 <= part < len(node):
            node = node[part]
            walked.append(part)
        else:
            return None, Problem("pack.bad_path", manifest.locate(where + ("path",)),
                                 {"path": text, "rule": rule_id, "at": format_path(tuple(walked)) or "/"})
    last = parts[-1]
    if not (isinstance(node, dict) and last in node or isinstance(node, list) and isinstance(last, int)
            and 0 <= last < len(node)):
        return None, Problem("pack.bad_path", manifest.locate(where + ("path",)),
                             {"path": text, "rule": rule_id, "at": format_path(tuple(walked)) or "/"})
    operator = last if isinstance(last, str) else (walked[-1] if walked else None)
    literal = parts[0] in _CHANGEABLE_ROOTS and (
        isinstance(last, str) and last in COMPARISONS
        or isinstance(last, int) and operator in LIST_OPERANDS)
    before = node[last]
    if not literal or _kind(before) == "value":
        return None, Problem("pack.not_literal", manifest.locate(where + ("path",)), {"path": text})
    if _kind(value) != _kind(before):
        return None, Problem("pack.literal_kind", manifest.locate(where + ("value",)),
                             {"value": value, "before": before, "expected": _kind(before)})
    node[last] = copy.deepcopy(value)
    return before, None
