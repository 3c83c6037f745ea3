"""Problems with input, as values: where they are and what was expected, never a formatted string.

The text a user reads is made from `code` and `params` by `checker.messages`, in their language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str = ""  # inside the document, e.g. staff[2].stationed_from

    def __str__(self) -> str:
        spot = self.file
        if self.line is not None:
            spot += f":{self.line}"
            if self.column is not None:
                spot += f":{self.column}"
        return spot


@dataclass(frozen=True)
class Problem:
    code: str
    location: Location
    params: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line or 0, loc.column or 0, loc.path, self.code)


class InputError(Exception):
    """Raised when input cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=Problem.sort_key)


def format_path(parts: tuple) -> str:
    """('staff', 2, 'stationed_from') -> 'staff[2].stationed_from'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
