"""One spreadsheet cell -> the value a hall description holds, as people fill ledgers in.

Dates come as date cells, Excel serial numbers, 2023-05-08, 2023/5/8, 2023.5.8 or 2023年5月8日;
numbers as 1.0 where 1 was meant, or in full-width digits; yes/no as 是/否/√/×; enumerations in
the regulations' Chinese words; several values in one cell separated by 、，, ; or ；.
A cell that cannot be read raises CellError, with what was expected, for the importer to
locate.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from . import schema as schemas
from .schema import FieldSpec


class CellError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
_DATE = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")  # 2023-05-08 14:30: the day is what counts
_SEPARATORS = re.compile(r"[、，,;；\n]+")
_TRUE = {"是", "√", "✓", "✔", "☑", "有", "y", "yes", "true", "1", "对"}
_FALSE = {"否", "×", "✗", "✘", "☐", "无", "没有", "n", "no", "false", "0", "不是"}


def text(cell) -> str:
    """A cell as trimmed text: full-width letters, digits and spaces made ordinary (NFKC)."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # an id typed as a number reads back as 1001.0
    if isinstance(cell, (dt.datetime, dt.date)):
        cell = cell.isoformat()[:10]
    return unicodedata.normalize("NFKC", str(cell)).strip()


def header_key(cell) -> str:
    """A header as it is matched: trimmed, full-width characters folded, no spaces at all
    (进驻 时间 and 进驻时间 are one header), no line breaks a wrapped header cell holds."""
    return re.sub(r"\s+", "", text(cell))


def is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def value(cell, spec: FieldSpec):
    """The field's value from a non-blank cell, in the form a hall YAML file writes it."""
    if spec.type == "array":
        return [value(part, spec.item) for part in split(cell)]
    reader = _READERS.get(spec.type)
    return reader(cell, spec) if reader else text(cell)


def split(cell) -> list[str]:
    """W01、W02 / W01，W02 / W01; W02 -> [W01, W02]."""
    return [part.strip() for part in _SEPARATORS.split(text(cell)) if part.strip()]


def date(cell, _spec=None) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _serial(cell)
    written = _TIME_TAIL.sub("", text(cell))
    if re.fullmatch(r"\d{5}(\.\d+)?", written):  # a serial number stored as text
        return _serial(float(written))
    match = _DATE.match(written) or _COMPACT_DATE.match(written)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            pass
    raise CellError("import.bad_date", value=text(cell))


def _serial(number: float) -> str:
    if not 1 <= number < 2958466:  # 9999-12-31
        raise CellError("import.bad_date", value=text(number))
    return (_EXCEL_EPOCH + dt.timedelta(days=int(number))).isoformat()


def number(cell, spec=None):
    """1.0 -> 1, '１２' -> 12, '3个' is refused (a number was expected)."""
    if isinstance(cell, bool):
        raise CellError("import.bad_number", value=text(cell))
    if isinstance(cell, (int, float)):
        found = cell
    else:
        written = text(cell).replace(",", "")
        try:
            found = float(written) if re.fullmatch(r"[-+]?\d+(\.\d*)?|[-+]?\.\d+", written) else None
        except ValueError:
            found = None
        if found is None:
            raise CellError("import.bad_number", value=text(cell))
    if isinstance(found, float) and found.is_integer():
        return int(found)
    if spec is not None and spec.type == "integer":
        raise CellError("import.bad_number", value=text(cell))
    return found


def boolean(cell, _spec=None) -> bool:
    if isinstance(cell, bool):
        return cell
    written = text(cell).lower()
    if written in _TRUE:
        return True
    if written in _FALSE:
        return False
    raise CellError("import.bad_boolean", value=text(cell))


def enum(cell, spec: FieldSpec) -> str:
    """The canonical id of a Chinese or English enumeration word."""
    written = text(cell)
    found = schemas.canonical(spec.vocab, written) or schemas.canonical(spec.vocab, written.lower())
    if found is None:
        raise CellError("import.bad_enum", value=written, suggest=schemas.suggestions(spec.vocab, written))
    return found


def string(cell, _spec=None) -> str:
    return text(cell)


_READERS = {"date": date, "number": number, "integer": number, "boolean": boolean, "enum": enum,
            "string": string}
