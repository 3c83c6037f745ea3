"""Problems with input, as values: where they are and what was expected, never a formatted string.

The text a user reads is made from `code` and `params` by `checker.reports.messages`, in their language.
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
    # A cell of an imported spreadsheet: line is its row, column its column, and sheet the
    # sheet's name ("" for a CSV file, which has one unnamed sheet). None for a text file.
    sheet: str | None = None

    @property
    def cell(self) -> str | None:
        """The cell's name as a spreadsheet shows it (C12), for a spreadsheet location."""
        if self.sheet is None or self.line is None:
            return None
        return f"{column_letters(self.column)}{self.line}" if self.column else f"{self.line}:{self.line}"  # a whole row

    def short(self) -> str:
        """FILE:LINE of a text file, FILE!SHEET!C12 of a spreadsheet cell: what a list of
        findings shows."""
        if self.sheet is not None:
            return str(self)
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        if self.sheet is not None:  # 花名册.xlsx!进驻人员!C12, cases.csv!C12
            parts = [self.file] + ([self.sheet] if self.sheet else []) + ([self.cell] if self.cell else [])
            return "!".join(parts)
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


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA: how a spreadsheet names its columns."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def format_path(parts: tuple) -> str:
    """('staff', 2, 'stationed_from') -> 'staff[2].stationed_from'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
