"""`hallcheck rules new`: a rule skeleton with its citation and the clause's words filled in, and
an example file beside it (and a _base.yaml hall when the directory has none). Never overwrites.

What the author still has to write is marked TODO; `hallcheck rules lint` points at each one,
and `require: {field: TODO}` is deliberately not a field, so the skeleton does not load until the
condition is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ..run.output import create_new, make_directory
from ..problems import InputError, Location, Problem
from ..ruleset.regulations import Regulation
from ..ruleset.rules import VAGUE_WORDS

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_SLUG = "new-rule"


def clause_file_part(clause: str) -> str:
    """art28 -> art28, art29(3) -> art29-3, s2.1.2(10) -> s2-1-2-10: how rule files are named."""
    return re.sub(r"[^A-Za-z0-9]+", "-", clause).strip("-").lower()


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def new_rule(register: dict[str, Regulation], regulation_id: str, clause_path: str, slug: str | None,
             directory: Path, display=str) -> list[Path]:
    """Write the skeleton; the files written. InputError when the citation or slug is wrong or a
    file exists (then nothing is written)."""
    slug = slug or DEFAULT_SLUG
    regulation = register.get(regulation_id)
    if regulation is None:
        raise InputError([Problem("rule.unknown_regulation", Location("--regulation"),
                                  {"id": regulation_id, "known": sorted(register)})])
    clause = regulation.clause(clause_path)
    if clause is None:
        raise InputError([Problem("rule.unknown_clause", Location("--clause"),
                                  {"clause": clause_path, "regulation": regulation_id})])
    if not _SLUG.match(slug):
        raise InputError([Problem("cli.bad_slug", Location("--slug"), {"slug": slug})])
    stem = f"{clause_file_part(clause_path)}-{slug}"
    rule_path = directory / f"{stem}.yaml"
    test_path = directory / f"{stem}.test.yaml"
    base_path = directory / "_base.yaml"
    existing = [p for p in (rule_path, test_path) if p.exists()]
    if existing:
        raise InputError([Problem("cli.exists", Location(display(p)), {"path": display(p)}) for p in existing])
    rule_id = f"{regulation.id}.{clause_path}.{slug}"
    files = [(rule_path, rule_text(regulation, clause_path, rule_id)), (test_path, examples_text(rule_id))]
    if not base_path.exists():
        files.append((base_path, base_text(regulation)))
    make_directory(directory, display)
    written = []
    for path, text in files:
        create_new(path, text, display)
        written.append(path)
    return written


def rule_text(regulation: Regulation, clause_path: str, rule_id: str) -> str:
    clause = regulation.clause(clause_path)
    words = clause.text.strip() if len(clause.text.strip()) >= 2 else regulation.full_text(clause_path).strip()
    vague = [word for word in VAGUE_WORDS if word in words]
    source = "\n".join(f"#   {line}" for line in regulation.full_text(clause_path).splitlines())
    lines = [
        "# Reading: TODO say how the clause is read: which entities it speaks about, what must hold of",
        "# them, and what the hall format cannot record.",
        "#",
        f"# {regulation.title} {regulation.document_number or ''} {clause.label} [{clause_path}]:".replace("  ", " "),
        source,
        f"id: {rule_id}",
        f"regulation: {regulation.id}",
        f"clause: {_quoted(clause_path)}",
        "# The exact words this rule checks: cut the clause's text down to them (they must stay in the clause).",
        f"quote: {_quoted(words)}",
        "title:",
        "  zh: TODO 规则标题",
        "  en: TODO the rule's title",
        f"severity: {'minor' if vague else 'major'}  # critical, major, minor, info"
        + ("; a vague clause is at most minor" if vague else ""),
    ]
    if vague:
        lines += [
            "interpretation:",
            f"  vague: [{', '.join(vague)}]",
            "  reading:",
            "    zh: TODO 说明如何理解这些模糊用语",
            "    en: TODO how the vague words are read",
        ]
    lines += [
        f"# applies_to: {{levels: [{', '.join(regulation.levels)}], kinds: [{', '.join(regulation.kinds)}], when: CONDITION}}",
        "for_each: hall  # hall, windows, staff, items, meetings, assessments, policies, cases, systems",
        "# where: {field: stationed_until, present: true}  # which of them the clause speaks about",
        "require:  # what must hold for each of them; see the README's Conditions",
        "  field: TODO  # a field of the hall format (hallcheck schema hall)",
        "  present: true",
        "message:  # may use {entity}, {actual}, {expected} and the entity's own fields",
        '  zh: "{entity} TODO"',
        '  en: "{entity} TODO"',
        "remediation:",
        "  zh: TODO",
        "  en: TODO",
    ]
    return "\n".join(lines) + "\n"


def examples_text(rule_id: str) -> str:
    return f"""\
# Examples of {rule_id}. Each case's hall is merged onto _base.yaml (mappings key by key,
# lists replace); `hallcheck rules test` runs them, `hallcheck rules lint` checks them.
# Keep at least one case that passes and one that fails; add not_applicable and unknown ones.
cases:
  - name: TODO a hall that meets the clause
    hall:
      hall: {{}}  # TODO what makes it pass
    expect: pass
  - name: TODO a hall that does not
    hall:
      hall: {{}}  # TODO what makes it fail
    expect: fail
    findings:  # exactly the failing entities, and words of each message
      - entity: hall
        message: TODO words of the English message
"""


def example_as_of(regulation: Regulation) -> dt.date:
    """An audit date for an example hall of `regulation`: a day it is in force, no later than
    the last day of last year (a year whose official holiday calendar is surely published)."""
    return regulation.expires or max(regulation.in_force, dt.date(dt.date.today().year - 1, 12, 31))


def base_text(regulation: Regulation) -> str:
    place = {key: value for key, value in regulation.place.items() if value and key in ("province", "city", "district")}
    place.setdefault("province", "TODO")
    place.setdefault("city", "TODO")
    as_of = example_as_of(regulation)
    jurisdiction = ", ".join(f"{key}: {value}" for key, value in place.items())
    return f"""\
# The hall every example in this directory starts from: a hall {regulation.id} governs, with
# nothing but its identity. Each case overlays what it tests.
hallcheck: 1
as_of: {as_of.isoformat()}
hall:
  name: 示例大厅
  level: {regulation.levels[0]}
  kind: {regulation.kinds[0]}
  jurisdiction: {{{jurisdiction}}}
"""
