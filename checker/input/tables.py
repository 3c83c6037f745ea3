"""Rows of the ledgers halls keep: .xlsx, .xls, .ods (through python-calamine) and .csv.

Every row comes with its number as the spreadsheet shows it (1-based), so that whatever is
read from it can be pointed back to its cell. Rows are yielded one at a time; nothing here
keeps a sheet as Python values.
"""

from __future__ import annotations

import codecs
import csv
import os
from dataclasses import dataclass
from typing import Iterator

from ..problems import InputError, Location, Problem

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
TABLE_SUFFIXES = SPREADSHEETS + (".csv",)

# CSV exports come from Excel and WPS as UTF-8 (with or without a byte order mark) or in the
# GB national encoding. A valid UTF-8 file is almost never valid by accident, so it is tried
# first over the whole file; GB18030 (a superset of GBK and GB2312) takes the rest. An ordered
# try is exact where a statistical guess (charset-normalizer) can mistake short Chinese text.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Sheet:
    """One table of a file: `name` is the sheet's ("" for a CSV file)."""

    path: str  # where to read it
    file: str  # how to name it to the user
    name: str

    def location(self, row: int | None = None, column: int | None = None, path: str = "") -> Location:
        return Location(self.file, row, column, path, sheet=self.name)


def sheet_names(path: str, file: str) -> list[str]:
    """The sheets of a spreadsheet in order; [""] for a CSV file."""
    if _suffix(path) == ".csv":
        _check_readable(path, file)
        return [""]
    return list(_workbook(path, file).sheet_names)


def open_sheet(path: str, file: str, name: str | None) -> Sheet:
    """The sheet called `name` (the first one when None), or a located problem naming the sheets."""
    names = sheet_names(path, file)
    if name is None or _suffix(path) == ".csv":
        return Sheet(path, file, names[0] if names else "")
    if name not in names:
        _fail("import.no_sheet", Location(file), sheet=name, sheets=names)
    return Sheet(path, file, name)


def rows(sheet: Sheet) -> Iterator[tuple[int, list]]:
    """(row number, cells) for every row of the sheet, blank ones included; cells are str,
    int, float, bool, datetime.date/datetime/time or "" for an empty cell."""
    if sheet.name == "" and _suffix(sheet.path) == ".csv":
        yield from _csv_rows(sheet)
        return
    yield from _spreadsheet_rows(sheet)


def merged_ranges(sheet: Sheet) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The sheet's merged cells as ((first row, first column), (last row, last column)), 1-based;
    empty where the format does not say (CSV, and .xls/.ods in some readers)."""
    if _suffix(sheet.path) == ".csv":
        return []
    try:
        found = _workbook(sheet.path, sheet.file).get_sheet_by_name(sheet.name).merged_cell_ranges or []
    except Exception:  # noqa: BLE001 - merged ranges only help find headers; their absence is not an error
        return []
    return [((a[0] + 1, a[1] + 1), (b[0] + 1, b[1] + 1)) for a, b in found]


def _spreadsheet_rows(sheet: Sheet) -> Iterator[tuple[int, list]]:
    book = _workbook(sheet.path, sheet.file)
    try:
        data = book.get_sheet_by_name(sheet.name)
    except Exception as err:  # noqa: BLE001 - calamine's errors are its own classes
        _fail("import.unreadable", Location(sheet.file, sheet=sheet.name), reason=str(err) or type(err).__name__)
    # calamine's range starts at the first cell that holds something: shift back to A1
    first_row, first_column = data.start or (0, 0)
    pad = [""] * first_column
    for offset, cells in enumerate(data.iter_rows()):
        yield first_row + offset + 1, pad + list(cells)


def _workbook(path: str, file: str):
    import python_calamine
    _check_readable(path, file)
    try:
        return python_calamine.CalamineWorkbook.from_path(path)
    except Exception as err:  # noqa: BLE001 - a damaged or mislabelled file
        _fail("import.unreadable", Location(file), reason=str(err).splitlines()[0] if str(err) else type(err).__name__)


def _csv_rows(sheet: Sheet) -> Iterator[tuple[int, list]]:
    encoding = csv_encoding(sheet.path, sheet.file)
    with open(sheet.path, encoding=encoding, newline="") as stream:
        number = 0  # records, as a spreadsheet numbers the rows (a quoted line break stays in its row)
        try:
            for number, cells in enumerate(csv.reader(stream), start=1):
                yield number, cells
        except csv.Error as err:  # a NUL byte, a field past csv's size limit
            _fail("import.unreadable", sheet.location(number + 1), reason=str(err))


def csv_encoding(path: str, file: str) -> str:
    """The first of CSV_ENCODINGS the whole file decodes in, read in chunks (never whole)."""
    _check_readable(path, file)
    for encoding in CSV_ENCODINGS:
        if _decodes(path, encoding):
            return encoding
    _fail("import.encoding", Location(file, sheet=""), encodings="UTF-8、GB18030")


def _decodes(path: str, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_readable(path: str, file: str) -> None:
    if not os.path.exists(path):
        _fail("file.not_found", Location(file))
    if os.path.isdir(path):
        _fail("file.is_directory", Location(file))
    if _suffix(path) not in TABLE_SUFFIXES:
        _fail("import.not_table", Location(file), suffixes=" ".join(TABLE_SUFFIXES))


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _fail(code: str, location: Location, **params) -> None:
    raise InputError([Problem(code, location, params)])
