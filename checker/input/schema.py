"""The JSON Schemas shipped with hallcheck, and what the rest of the code asks of them.

The hall schema is one YAML file plus the vocabulary; `hall_schema()` joins them. Rules are
type-checked against the same schema (`field_spec`), so a rule can only name fields that a
hall description can have.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from importlib import resources

import yaml

# Collections a rule may iterate over or count, and the $defs entry that describes one element.
COLLECTIONS = {
    "hall": "hall",
    "windows": "window",
    "staff": "staff",
    "items": "item",
    "meetings": "meeting",
    "assessments": "assessment",
    "policies": "policy",
    "cases": "case",
    "systems": "system",
    "complaints": "complaint",
    "reports": "report",
    "departments": "department",
}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader: this runs at every start


def _read_yaml(name: str):
    return yaml.load(resources.files("checker").joinpath(name).read_text(encoding="utf-8"), Loader=_LOADER)


@functools.lru_cache(maxsize=None)
def vocabulary() -> dict[str, dict[str, list[str]]]:
    return _read_yaml("vocabulary.yaml")


# Vocabularies a hall must take as they are: they decide which regulations and rules apply, so
# a value outside them (`{other: ...}`) could only leave every rule undecided.
CLOSED_VOCABULARIES = frozenset({"level", "hall_kind"})

# Chinese text is written with full-width brackets as often as with ASCII ones (乡镇（街道）级):
# both spell the same word.
_BRACKETS = (str.maketrans("()", "（）"), str.maketrans("（）", "()"))


class Unlisted(str):
    """An enumeration value written `{other: free text}`: outside the vocabulary. It is neither
    a match nor a non-match for any value a rule names, so what compares it is unknown."""

    __slots__ = ()


def _spellings(word: str) -> set[str]:
    return {word, *(word.translate(table) for table in _BRACKETS)}


@functools.lru_cache(maxsize=None)
def _alias_maps() -> dict[str, dict[str, str]]:
    maps = {}
    for vocab, values in vocabulary().items():
        mapping = {canon: canon for canon in values}
        for canon, aliases in values.items():
            mapping.update({spelling: canon for alias in aliases for spelling in sorted(_spellings(alias))})
        maps[vocab] = mapping
    return maps


def canonical(vocab: str, value):
    """The canonical id for a value or alias of `vocab`, or None when it is not one."""
    return _alias_maps()[vocab].get(value) if isinstance(value, str) else None


def spellings(vocab: str) -> list[str]:
    """Every word a hall may write for a value of `vocab`: ids, aliases, either kind of bracket."""
    return list(_alias_maps()[vocab])


def enum_value(vocab: str, value):
    """A hall's enumeration value as the audit reads it: the canonical id, or for `{other: text}`
    the id the text names when it is a known word, else the text as Unlisted."""
    if isinstance(value, dict) and vocab not in CLOSED_VOCABULARIES:
        text = str(value.get("other", "")).strip()
        return canonical(vocab, text) or Unlisted(text)
    return canonical(vocab, value)


def suggestions(vocab: str, value, limit: int = 3) -> list[str]:
    """Nearest valid spellings, shown as 'alias (id)' so both languages are visible."""
    mapping = _alias_maps()[vocab]
    close = difflib.get_close_matches(str(value), list(mapping), n=limit, cutoff=0.4)
    if not close:  # Chinese words share few characters; fall back to containment
        close = [word for word in mapping if str(value) in word or word in str(value)][:limit]
    return [word if mapping[word] == word else f"{word} ({mapping[word]})" for word in close]


@functools.lru_cache(maxsize=None)
def hall_schema() -> dict:
    schema = _read_yaml("schemas/hall.schema.yaml")
    for vocab, mapping in _alias_maps().items():
        words = {"enum": list(mapping)}
        if vocab in CLOSED_VOCABULARIES:
            schema["$defs"][f"vocab_{vocab}"] = {
                "description": f"One of the {vocab.replace('_', ' ')} values (English id or Chinese).", **words}
        else:
            schema["$defs"][f"vocab_{vocab}"] = {
                "description": f"One of the {vocab.replace('_', ' ')} values (English id or Chinese), "
                               "or {other: words} for one outside them (rules then cannot decide on it).",
                "anyOf": [words, {"$ref": "#/$defs/other"}]}
    return schema


@functools.lru_cache(maxsize=None)
def named_schema(name: str) -> dict:
    """rule, regulation or report schema."""
    return _read_yaml(f"schemas/{name}.schema.yaml")


def resolve(schema: dict) -> dict:
    """Follow a local $ref of the hall schema, keeping a description next to the $ref."""
    while "$ref" in schema:
        schema = hall_schema()["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def vocab_of(schema: dict) -> str | None:
    ref = schema.get("$ref", "")
    return ref.rsplit("/vocab_", 1)[1] if "/vocab_" in ref else None


@dataclass(frozen=True)
class FieldSpec:
    """What a rule may do with a field: its type, and for enums and arrays, their element."""

    type: str  # string, number, boolean, date, enum, array, object, period
    vocab: str | None = None
    item: "FieldSpec | None" = None
    absent: str | None = None  # what leaving the field out says, where the hall format defines it
    first_day: bool = False  # a date that is the first day of a stretch, counted in it (`x-day: first`)

    @property
    def omission_decides(self) -> bool:
        """Whether an omitted value says something (a person still stationed) rather than
        nothing (data not given)."""
        return self.absent is not None

    @property
    def comparable(self) -> str:
        """The type that comparisons see: integers and numbers compare alike."""
        return "number" if self.type == "integer" else self.type


def spec_of(schema: dict) -> FieldSpec:
    absent = schema.get("x-absent")
    first_day = schema.get("x-day") == "first"  # see checker/input/workdays.py: how a span is counted
    vocab = vocab_of(schema)
    if vocab:
        return FieldSpec("enum", vocab=vocab, absent=absent)
    schema = resolve(schema)
    if schema.get("format") == "date":
        return FieldSpec("date", absent=absent, first_day=first_day)
    if "enum" in schema:
        return FieldSpec("string", absent=absent)
    if schema is hall_schema()["$defs"].get("period"):  # {from, to}: read by days_in, not compared
        return FieldSpec("period", absent=absent)
    kind = schema.get("type", "string")
    if kind == "array":
        return FieldSpec("array", item=spec_of(schema.get("items", {})), absent=absent)
    return FieldSpec("number" if kind == "integer" else kind, absent=absent)


def field_spec(collection: str, dotted: str) -> FieldSpec | None:
    """The spec of `dotted` inside one element of `collection`, or None if there is no such field."""
    if collection == "document":
        schema = hall_schema()
    elif collection == "systems":
        schema = hall_schema()["$defs"]["system"]
    else:
        schema = hall_schema()["$defs"][COLLECTIONS[collection]]
    for part in dotted.split("."):
        schema = resolve(schema)
        props = schema.get("properties", {})
        if part not in props:
            return None
        schema = props[part]
    return spec_of(schema)


def field_names(collection: str) -> list[str]:
    defs = hall_schema()["$defs"]
    schema = hall_schema() if collection == "document" else defs[COLLECTIONS[collection]]
    return sorted(resolve(schema).get("properties", {}))
