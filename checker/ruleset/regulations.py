"""The regulation register: the five source regulations as structured, citable data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..input.load import load_file
from ..paths import display
from ..problems import InputError, Location, Problem
from ..input import schema as schemas
from ..input.validate import schema_problems


@dataclass(frozen=True)
class Clause:
    path: str
    label: str
    text: str
    parent: str | None
    chapter: str | None
    checkable: bool | None
    reason: dict | None


@dataclass(frozen=True)
class Regulation:
    id: str
    title: str
    issuer: str
    document_number: str | None
    source: str
    trial: bool
    issued: dt.date
    in_force: dt.date
    expires: dt.date | None
    place: dict
    levels: tuple[str, ...]
    kinds: tuple[str, ...]
    clauses: tuple[Clause, ...]
    file: str

    def clause(self, path: str) -> Clause | None:
        return next((c for c in self.clauses if c.path == path), None)

    def children(self, path: str) -> list[Clause]:
        return [c for c in self.clauses if c.parent == path]

    def full_text(self, path: str) -> str:
        """The clause's words with every clause nested under it, as one passage."""
        clause = self.clause(path)
        if clause is None:
            return ""
        parts = [clause.text] + [f"{c.label}{self.full_text(c.path)}" for c in self.children(path)]
        if clause.path.startswith("ch"):
            parts += [f"{c.label}{self.full_text(c.path)}" for c in self.clauses if c.chapter == path]
        return "\n".join(parts)

    def leaves(self) -> list[Clause]:
        """Clauses nothing is nested under: the units of coverage."""
        parents = {c.parent for c in self.clauses} | {c.chapter for c in self.clauses}
        return [c for c in self.clauses if c.path not in parents]

    def coverage_units(self) -> list[Clause]:
        """The clauses coverage accounts for: every leaf, and every clause with children that
        carries words of its own (duties beyond a heading and an introduction to its items)."""
        leaves = {c.path for c in self.leaves()}
        return [c for c in self.clauses if c.path in leaves or has_own_words(c.text)]



HEADING_CHARS = 20  # a first sentence this short is a heading (规范政务服务场所。), not a duty


def has_own_words(text: str) -> bool:
    """Whether a clause's own text says more than a heading and an introduction to its items
    (市民之家的建设和管理，应当遵循以下原则：)."""
    sentences = [s for s in re.split(r"(?<=[。；;])", text.strip()) if s.strip()]
    if sentences and sentences[-1].rstrip().endswith(("：", ":")):
        sentences = sentences[:-1]
    if sentences and len(sentences[0].strip()) <= HEADING_CHARS:
        sentences = sentences[1:]
    return bool(sentences)


def normalise_quote(text: str) -> str:
    """Text compared for quotation: no white space, full-width and ASCII punctuation alike."""
    table = str.maketrans("，：；（）！？", ",:;()!?")
    return re.sub(r"\s+", "", text).translate(table)


def load_regulation(path: Path) -> Regulation:
    document = load_file(str(path), display_name=display(path))
    problems = schema_problems(document, "regulation")
    if problems:
        raise InputError(problems)
    data = document.data
    clauses = tuple(Clause(c["path"], c["label"], c["text"], c.get("parent"), c.get("chapter"),
                           c.get("checkable"), c.get("reason")) for c in data["clauses"])
    paths = [c.path for c in clauses]
    dupes = sorted({p for p in paths if paths.count(p) > 1})
    if dupes:
        raise InputError([Problem("regulation.duplicate_clause", document.locate(("clauses",)), {"paths": dupes})])
    dates = data["dates"]
    day = dt.date.fromisoformat
    return Regulation(
        id=data["id"], title=data["title"], issuer=data["issuer"],
        document_number=data.get("document_number"), source=data["source"], trial=data.get("trial", False),
        issued=day(dates["issued"]), in_force=day(dates["in_force"]),
        expires=day(dates["expires"]) if dates.get("expires") else None,
        place=data["place"], levels=tuple(data["governs"]["levels"]), kinds=tuple(data["governs"]["kinds"]),
        clauses=clauses, file=document.file)


def load_register(directory: Path) -> dict[str, Regulation]:
    register, problems = {}, []
    for path in sorted(directory.glob("*.yaml")):
        try:
            regulation = load_regulation(path)
        except InputError as err:
            problems.extend(err.problems)
            continue
        register[regulation.id] = regulation
    if problems:
        raise InputError(problems)
    return register




def hall_options(regulation: Regulation | None, level: str | None, kind: str | None,
                 problems: list) -> tuple[str | None, str | None]:
    """A hall's level and kind as options give them (`--level`, `--kind`; ids or Chinese),
    in their ids; a problem at each option that names no level or kind, or one `regulation`
    does not govern (its value then None)."""
    chosen = []
    for option, vocab, given, governed in (("--level", "level", level, "levels"), ("--kind", "hall_kind", kind, "kinds")):
        value = schemas.canonical(vocab, given) if given else None
        if given and value is None:
            problems.append(Problem("schema.enum", Location(option), {
                "value": given, "vocab": vocab, "suggest": schemas.suggestions(vocab, given)}))
        elif value and regulation and value not in getattr(regulation, governed):
            problems.append(Problem(f"cli.{vocab.split('_')[-1]}_not_governed", Location(option), {
                "regulation": regulation.id, "value": given, "known": list(getattr(regulation, governed))}))
            value = None
        chosen.append(value)
    return chosen[0], chosen[1]
