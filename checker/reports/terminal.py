"""Text that reaches a person's terminal: what a hall, rule or file name holds is shown, never
obeyed.

A hall name can carry escape sequences (set the window title, clear the screen, a hyperlink)
or bidirectional overrides that make `abc.yaml` read as `lmay.cba`. `visible` writes every
control character and bidi control as its escape (`\\x1b`, `\\u202e`), so the reader sees that
it is there instead of losing it. `console` is the one kind of rich console hallcheck prints
with: every segment of text it renders goes through `visible` (newlines excepted, they are
rich's own line breaks), and rich's emoji codes (`:100:`, `:thumbs_up:`) and markup are off,
so `file:100:7` stays a location a parser can read.
"""

from __future__ import annotations

import os
import re
import sys

from rich.console import Console
from rich.segment import Segment

# C0 controls, DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control and bidi character written as its escape, newlines too."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def visible_lines(text: str) -> str:
    """As `visible`, keeping newlines as line breaks."""
    return _UNSAFE_BUT_NEWLINE.sub(_escape, text) if _UNSAFE_BUT_NEWLINE.search(text) else text


class SafeConsole(Console):
    """A rich console that prints no control sequence it did not make itself."""

    def render(self, renderable, options=None):
        for segment in super().render(renderable, options):
            if segment.control or not _UNSAFE_BUT_NEWLINE.search(segment.text):
                yield segment
            else:
                yield Segment(visible_lines(segment.text), segment.style, segment.control)


def console(**options) -> Console:
    """A SafeConsole: no emoji codes, no markup, no highlighting unless asked."""
    for key in ("emoji", "markup", "highlight"):
        options.setdefault(key, False)
    return SafeConsole(**options)


def stderr_console() -> Console:
    """Where problems and notices go, whatever the report format."""
    return console(stderr=True, highlight=False, soft_wrap=True)


def stdout_console() -> Console:
    """The terminal's width on a terminal (or COLUMNS); 120 columns into a pipe or file, not rich's 80."""
    return console(highlight=False, width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120)
