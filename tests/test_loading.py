"""Reading YAML: the quick reading (straight from the parser's events) and the full one (a
composed node graph) give the same document, value for value, with every line and column a
finding or an error points to.

A hall or rule file is read the quick way when it is plain; anything else (tags, merge keys,
several documents, every kind of error) is read the full way. The two must never disagree: a
finding on an aliased value would otherwise point to another line, or a file be accepted by one
reading that the other refuses.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.input.load import composed_document, load_text
from checker.problems import InputError, Location

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for folder in ("samples", "rules", "tests/fixtures") for p in (ROOT / folder).rglob("*.yaml"))


def outcome(read, text: str):
    """What a reading makes of the text: the document (values with their types, positions and
    key positions, in order) or the problems it reports."""
    try:
        document = read(text, "f.yaml")
    except InputError as err:
        return [(problem.code, problem.location, problem.params) for problem in err.problems]
    return repr((document.data, list(document.positions.items()), list(document.keys.items())))


@pytest.mark.parametrize("folder", ["samples", "rules", "tests/fixtures"])
def test_every_shipped_file_reads_the_same_both_ways(folder):
    differ = []
    for path in (p for p in FILES if p.is_relative_to(ROOT / folder)):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, ValueError):
            continue  # fixtures of broken bytes: refused before either reading
        if outcome(load_text, text) != outcome(composed_document, text):
            differ.append(str(path.relative_to(ROOT)))
    assert differ == []


PLAIN = ["1", '"1"', "true", "null", "~", "2024-01-02", "1.5", "'a'", "中文", "12:30", "-1", "0x1F"]
ODD = ["", "1e400", "=", "<<", "!!str 5", "!foo x", ".nan", "2001-12-14t21:59:43.10-05:00", "x" * 2001]
KEYS = ["a", "b", "c", "d", "1", '"e"', "true", "~"]
ODD_KEYS = ["a", "? [x]", "<<", "&k f", "*p"]
NAMES = "pqrstuvw"


@st.composite
def documents(draw, depth=0):
    """Flow-style YAML, mostly plain, with anchors and aliases (some repeated, undefined or
    recursive), and now and then a duplicate key, a tag, a merge key or an out-of-range scalar."""
    odd = draw(st.integers(0, 9)) == 0
    anchor = draw(st.sampled_from(["", "", ""] + [f"&{name} " for name in NAMES]))
    shape = draw(st.sampled_from(["scalar", "alias", "list", "map"] if depth < 3 else ["scalar", "alias"]))
    if shape == "scalar":
        return anchor + (draw(st.sampled_from(ODD if odd else PLAIN)) or "x")
    if shape == "alias":
        return "*" + draw(st.sampled_from(NAMES))
    if shape == "list":
        return anchor + "[" + ", ".join(draw(st.lists(documents(depth + 1), max_size=3))) + "]"
    keys = draw(st.lists(st.sampled_from(ODD_KEYS if odd else KEYS), max_size=3, unique=not odd))
    pairs = [f"{key}: {draw(documents(depth + 1))}" for key in keys]
    return anchor + "{" + ", ".join(pairs) + "}"


@settings(max_examples=int(os.environ.get("HALLCHECK_PROPERTY_EXAMPLES", "30")) * 10, derandomize=True,
          deadline=None)
@given(body=documents(), second=st.booleans())
def test_any_document_reads_the_same_both_ways(body, second):
    text = f"x: {body}\n" + ("---\ny: 1\n" if second else "")
    assert outcome(load_text, text) == outcome(composed_document, text)


def test_a_merged_mapping_with_a_complex_key_is_refused_not_crashed():
    text = "hallcheck: 1\nbase: &p {? [a]: 1}\nhall: {<<: *p}\n"
    assert outcome(load_text, text) == [("yaml.complex_key", Location("f.yaml", 2, 13, path), {})
                                        for path in ("base", "hall")]
