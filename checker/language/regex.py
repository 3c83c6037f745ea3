"""The regular expressions of `matches`, run in linear time.

A rule pack is someone else's code. Python's `re` backtracks: `^(a+)+$` against forty letters
takes longer than the universe has left, and only `check` has a timeout. So every `matches`
pattern is compiled with RE2 (google-re2), which guarantees time linear in the text for every
pattern, instead of trying to recognise the patterns that backtrack (no test for that is
complete). What RE2 cannot run (back-references, look-around) is refused when the rule loads,
with RE2's reason, located in the rule.

RE2's \\s \\d \\w are ASCII; Python's (which the rules were written against) are Unicode, so a
full-width digit or the ideographic space U+3000 must mean the same here. `_unicode_classes`
writes them as the Unicode classes Python uses; tests hold the two to the same answer for every
character of the Basic Multilingual Plane.
"""

from __future__ import annotations

import functools

import re2

# Python's str.isspace() characters, as RE2 writes them
_SPACE = r"\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\p{Z}"
_DIGIT = r"\p{Nd}"
_WORD = r"\p{L}\p{N}_"
_POSITIVE = {"s": _SPACE, "d": _DIGIT, "w": _WORD}


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message is RE2's reason."""


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str):
    """The compiled pattern, or PatternError."""
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern to stderr
    options.max_mem = 8 << 20  # a pattern whose automaton needs more is refused, not built
    try:
        return re2.compile(_unicode_classes(pattern), options)
    except re2.error as err:
        detail = err.args[0] if err.args else str(err)
        raise PatternError(detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)) from None


def search(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).search(text) is not None


def _unicode_classes(pattern: str) -> str:
    """\\s \\S \\d \\D \\w \\W as Python reads them in a str pattern."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            letter = pattern[i + 1]
            lower = letter.lower()
            if lower in _POSITIVE:
                body = _POSITIVE[lower]
                if in_class:
                    # a negated class inside a class has no RE2 spelling; keep RE2's own there
                    out.append(body if letter == lower else "\\" + letter)
                else:
                    out.append(f"[{body}]" if letter == lower else f"[^{body}]")
            else:
                out.append(char + letter)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":  # a ] first in a class is a literal
                out.append("\\]")
                i += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)
