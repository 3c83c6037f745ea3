"""Ledgers -> hall records: a mapping file says which sheet fills which collection and which
column fills which field; the rows are read one at a time, each cell through checker.input.cells,
and merged into a hand-written base hall file. Every value keeps the cell it came from, so a
finding on an imported record names it (花名册.xlsx!进驻人员!C12) as a YAML finding names its
line. The source files are only ever read.

A cell that cannot be read refuses its row with a located problem; the other rows are still
read, so that one run lists every bad row.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import os
from array import array
from dataclasses import dataclass, field
from importlib import resources

import yaml

from . import cells
from . import tables
from . import schema as schemas
from .load import Document, load_file
from ..problems import InputError, Location, Problem, format_path
from .validate import Hall, schema_problems, validate_hall

LAYOUTS = ("roster", "windows", "items", "cases")
HEADER_SCAN_ROWS = 30  # headers sit under a title or two, never further down than this
ID_FIELDS = {"windows": "id", "staff": "id", "items": "code"}  # required keys no row may leave blank


@functools.lru_cache(maxsize=None)
def layout(name: str) -> dict:
    """A shipped layout: the collection and the usual headers of each field."""
    text = resources.files("checker").joinpath(f"mappings/{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


# ------------------------------------------------------------------ where each record came from

@dataclass
class _Segment:
    """Consecutive records of one collection read from one sheet."""

    start: int  # index of the first record in its collection
    sheet: tables.Sheet
    columns: dict  # field -> column number (1-based)
    rows: array = field(default_factory=lambda: array("I"))  # row number of each record


@dataclass
class Origins:
    """For Document.locate: the cell of every imported value, kept as one row number per record
    (the columns are shared by a sheet's rows), so 100,000 cases cost 400 KB, not a dict each."""

    segments: dict = field(default_factory=dict)  # collection -> [_Segment] in index order
    postings: dict = field(default_factory=dict)  # (windows, i, staff, j) -> Location of the cell

    @property
    def cells(self) -> int:
        return sum(len(s.rows) * max(1, len(s.columns)) for segs in self.segments.values() for s in segs)

    def locate(self, path: tuple) -> Location | None:
        if path in self.postings:
            return self.postings[path]
        if len(path) < 2 or not isinstance(path[1], int) or path[0] not in self.segments:
            return None
        segments = self.segments[path[0]]
        at = bisect.bisect_right([s.start for s in segments], path[1]) - 1
        if at < 0 or path[1] - segments[at].start >= len(segments[at].rows):
            return None
        segment = segments[at]
        column = segment.columns.get(path[2]) if len(path) > 2 else None
        if column is None and segment.columns:  # a field not read from the sheet: the row itself
            column = min(segment.columns.values())
        return segment.sheet.location(segment.rows[path[1] - segment.start], column, format_path(path))


# ------------------------------------------------------------------ the mapping file

@dataclass(frozen=True)
class Source:
    path: str  # to read
    file: str  # to show
    sheet: str | None
    into: str
    header_row: int | None
    columns: dict  # field -> list of header keys, in the order to try
    written: frozenset  # fields the mapping names itself (a missing header is then an error)
    constants: dict
    id_prefix: str | None
    where: Location  # the source's entry in the mapping file


def load_mapping(path: str, display: str) -> list[Source]:
    document = load_file(path, display_name=display)
    problems = schema_problems(document, "mapping")
    if problems:
        raise InputError(problems)
    base = os.path.dirname(path)
    shown_base = os.path.dirname(display)
    sources, problems = [], []
    for index, entry in enumerate(document.data["sources"]):
        at = ("sources", index)
        columns, written = {}, set()
        if "layout" in entry:
            shipped = layout(entry["layout"])
            if shipped["into"] != entry["into"]:
                problems.append(Problem("import.layout_into", document.locate(at + ("layout",)),
                                        {"layout": entry["layout"], "into": shipped["into"]}))
            columns.update({name: _headers(headers) for name, headers in shipped["columns"].items()})
        for name, headers in (entry.get("columns") or {}).items():
            columns[name] = _headers(headers)
            written.add(name)
        for name in list(columns) + list(entry.get("set") or {}):
            if schemas.field_spec(entry["into"], name) is None:
                problems.append(Problem("import.unknown_field", document.locate_key(at + ("columns", name)), {
                    "field": name, "into": entry["into"],
                    "suggest": difflib.get_close_matches(name, schemas.field_names(entry["into"]), n=3, cutoff=0.5)}))
        source_path = entry["file"] if os.path.isabs(entry["file"]) else os.path.join(base, entry["file"])
        source_shown = entry["file"] if os.path.isabs(entry["file"]) else os.path.join(shown_base, entry["file"])
        sources.append(Source(source_path, source_shown, entry.get("sheet"), entry["into"], entry.get("header_row"),
                              columns, frozenset(written), dict(entry.get("set") or {}), entry.get("id_prefix"),
                              document.locate(at)))
    if problems:
        raise InputError(problems)
    return sources


def _headers(headers) -> list[str]:
    return [cells.header_key(h) for h in ([headers] if isinstance(headers, str) else headers)]


# ------------------------------------------------------------------ reading one sheet

@dataclass
class _Read:
    """What the rows of every source became."""

    records: dict = field(default_factory=dict)  # collection -> [record]
    origins: Origins = field(default_factory=Origins)
    problems: list = field(default_factory=list)
    refused: int = 0
    postings: list = field(default_factory=list)  # (staff id, [window ids], Location)


def read_sources(sources: list[Source], offsets: dict) -> _Read:
    """Every row of every source as a record; `offsets` says how many records of each collection
    the base file already has (imported records follow them)."""
    read = _Read()
    for source in sources:
        try:
            _read_source(source, offsets, read)
        except InputError as err:  # this file cannot be read at all; the others still are
            read.problems.extend(err.problems)
    return read


def header_names(row: list, above: list | None, spans: list) -> list[set]:
    """The names each column answers to: its own header, and under a merged parent header
    (进驻时间 over 起 and 止) also PARENT/CHILD; a blank header cell takes the one above it
    (a header merged down over two rows)."""
    parents = _filled(above, spans) if above is not None else []
    names = []
    for index, cell in enumerate(row):
        own = cells.header_key(cell) if not cells.is_blank(cell) else ""
        parent = parents[index] if index < len(parents) else ""
        found = {own} if own else set()
        if parent and own:
            found.add(f"{parent}/{own}")
        if parent and not own:
            found.add(parent)
        names.append(found)
    return names


def _filled(row: list, spans: list) -> list[str]:
    """A header row with each merged cell's text copied across the columns it spans."""
    out = [cells.header_key(c) if not cells.is_blank(c) else "" for c in row]
    for (_, first_col), (_, last_col) in spans:
        if first_col - 1 < len(out) and out[first_col - 1]:
            out.extend([""] * max(0, last_col - len(out)))
            for col in range(first_col, last_col):
                out[col] = out[col] or out[first_col - 1]
    return out


def _read_source(source: Source, offsets: dict, read: _Read) -> None:
    sheet = tables.open_sheet(source.path, source.file, source.sheet)
    spans = tables.merged_ranges(sheet)
    stream = tables.rows(sheet)
    header, data_from = _find_header(source, sheet, stream, spans)
    columns = header.columns
    for name in sorted(source.written - set(columns)):
        read.problems.append(Problem("import.no_column", sheet.location(header.row, None, f"{source.into}.{name}"), {
            "field": name, "headers": list(source.columns[name]), "row": header.row}))
    if not columns:
        return
    collection = source.into
    records = read.records.setdefault(collection, [])
    segment = _Segment(offsets.get(collection, 0) + len(records), sheet, columns)
    read.origins.segments.setdefault(collection, []).append(segment)
    specs = {name: schemas.field_spec(collection, name) for name in columns}
    attempted = 0  # rows read so far: a refused row keeps its place in the paths problems name
    for number, row in data_from:
        if all(cells.is_blank(row[c - 1]) for c in columns.values() if c - 1 < len(row)):
            continue  # a blank row, or one only a remark column fills
        index = segment.start + attempted
        attempted += 1
        record, bad = _record(source, sheet, row, number, header, specs, index)
        if bad:
            read.problems.extend(bad)
            read.refused += 1
            continue
        window = record.get("window") if collection == "staff" else None
        if isinstance(window, list):  # several windows in one cell: the person is posted on each
            read.postings.append((record["id"], window, sheet.location(number, columns["window"],
                                                                       format_path((collection, index, "window")))))
            del record["window"]
        records.append(record)
        segment.rows.append(number)


@dataclass(frozen=True)
class _Header:
    row: int  # its row number
    columns: dict  # field -> column number
    headers: dict  # field -> the header its column was found under
    cells: list  # the header row as written


def _find_header(source: Source, sheet: tables.Sheet, stream, spans):
    """(the header, the rest of the rows): the given header row, or the first of the first rows
    holding the most of the mapped headers."""
    seen, best = [], None
    previous = None
    for number, row in stream:
        seen.append((number, row))
        names = header_names(row, previous, [s for s in spans if s[0][0] == number - 1])
        columns, headers = _columns(source, names)
        if source.header_row is not None:
            if number == source.header_row:
                best = _Header(number, columns, headers, row)
                break
        elif columns and (best is None or len(columns) > len(best.columns)
                          or (len(columns) == len(best.columns) and _continues(spans, number))):
            best = _Header(number, columns, headers, row)
        if number >= HEADER_SCAN_ROWS or (best is not None and len(best.columns) == len(source.columns)):
            break
        previous = row
    if best is None:
        raise InputError([Problem("import.no_header", sheet.location(source.header_row, None), {
            "headers": [h[0] for h in source.columns.values()], "rows": HEADER_SCAN_ROWS})])
    rest = ((n, r) for n, r in seen if n > best.row)
    return best, _chain(rest, stream)


def _continues(spans: list, number: int) -> bool:
    """Whether row `number` is the lower half of a two-row header: a cell of the row above is
    merged down into it. Such a row is the header when it matches as much as the row above."""
    return any(first[0] == number - 1 and last[0] >= number for first, last in spans)


def _chain(first, second):
    yield from first
    yield from second


def _columns(source: Source, names: list[set]) -> tuple[dict, dict]:
    """(field -> column, field -> the header found) for the fields whose header the row has."""
    columns, found = {}, {}
    for name, headers in source.columns.items():
        for header in headers:
            column = next((i + 1 for i, these in enumerate(names) if header in these), None)
            if column is not None:
                columns[name], found[name] = column, header
                break
    return columns, found


def _record(source: Source, sheet: tables.Sheet, row: list, number: int, header: _Header, specs: dict,
            index: int) -> tuple[dict, list]:
    record, bad = {}, []
    columns = header.columns
    collection = source.into
    for name, column in columns.items():
        cell = row[column - 1] if column - 1 < len(row) else ""
        if cells.is_blank(cell):
            continue
        spec = specs[name]
        try:
            if collection == "staff" and name == "window" and len(cells.split(cell)) > 1:
                record[name] = cells.split(cell)
            else:
                record[name] = cells.value(cell, spec)
        except cells.CellError as err:
            where = sheet.location(number, column, format_path((collection, index, name)))
            bad.append(Problem(err.code, where, {**err.params, "header": header.headers[name]}))
    for name, constant in source.constants.items():
        record.setdefault(name, constant)
    key = ID_FIELDS.get(collection)
    if key and key not in record and not bad:
        if key in columns:
            where = sheet.location(number, columns[key], format_path((collection, index, key)))
            bad.append(Problem("import.blank_key", where, {"field": key, "header": header.headers[key]}))
        else:  # the ledger numbers nobody: the row is the record's name
            prefix = source.id_prefix if source.id_prefix is not None else f"{sheet.name or _stem(sheet.file)}-"
            record[key] = f"{prefix}{number}"
    return record, bad


def _stem(file: str) -> str:
    return os.path.splitext(os.path.basename(file))[0]


# ------------------------------------------------------------------ into a hall

def merged_document(base: Document, sources: list[Source]) -> Document:
    """The base hall file with every source's rows added to their collections, each imported
    value located at its cell. Raises InputError listing every refused row and their count."""
    data = base.data if isinstance(base.data, dict) else {}
    offsets = {name: len(data.get(name) or []) for name in schemas.COLLECTIONS if isinstance(data.get(name), list)}
    read = read_sources(sources, offsets)
    problems = list(read.problems)
    for collection, records in read.records.items():
        data[collection] = list(data.get(collection) or []) + records
    problems += _post(data, read)
    if problems:
        error = InputError(problems)
        if read.refused:  # the count comes last, after the rows it counts
            error.problems.append(Problem("import.refused", sources[0].where, {"count": read.refused}))
        raise error
    return Document(base.file, data, base.positions, base.keys, origins=read.origins)


def _post(data: dict, read: _Read) -> list[Problem]:
    """Several windows in one roster cell: the person's id on each window's staff list."""
    problems = []
    windows = {w.get("id"): (i, w) for i, w in enumerate(data.get("windows") or []) if isinstance(w, dict)}
    for person, idents, where in read.postings:
        for ident in idents:
            if ident not in windows:
                problems.append(Problem("import.unknown_window", where, {"id": ident}))
                continue
            index, window = windows[ident]
            listed = window.setdefault("staff", [])
            if person not in listed:
                read.origins.postings[("windows", index, "staff", len(listed))] = where
                listed.append(person)
    return problems


def imported_hall(base_path: str, base_display: str, mapping_path: str, mapping_display: str) -> Hall:
    sources = load_mapping(mapping_path, mapping_display)
    return validate_hall(merged_document(load_file(base_path, display_name=base_display), sources))


# ------------------------------------------------------------------ --infer

def infer(path: str, display: str, sheet_name: str | None = None) -> tuple[str, dict]:
    """(the mapping's YAML text, {layout: fields found}) for the sheet's recognised headers:
    the shipped layout whose headers the sheet holds most of, with the headers as written."""
    best = None
    for name in LAYOUTS:
        shipped = layout(name)
        source = Source(path, display, sheet_name, shipped["into"], None,
                        {field_: _headers(h) for field_, h in shipped["columns"].items()}, frozenset(), {}, None,
                        Location(display))
        sheet = tables.open_sheet(path, display, sheet_name)
        try:
            header, _ = _find_header(source, sheet, tables.rows(sheet), tables.merged_ranges(sheet))
        except InputError:
            continue
        if best is None or len(header.columns) > len(best[1].columns):
            best = (name, header, sheet)
    if best is None:
        raise InputError([Problem("import.nothing_recognised", Location(display), {"layouts": list(LAYOUTS)})])
    name, header, sheet = best
    shipped = layout(name)["columns"]
    entry = {"file": os.path.basename(display), **({"sheet": sheet.name} if sheet.name else {}),
             "into": layout(name)["into"], "layout": name, "header_row": header.row,
             "columns": {f: next(h for h in shipped[f] if cells.header_key(h) == header.headers[f])
                         for f, _ in sorted(header.columns.items(), key=lambda kv: kv[1])}}
    text = yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False)
    return text, {"layout": name, "fields": sorted(header.columns), "row": header.row}


def hall_yaml(hall_data: dict) -> str:
    """A merged hall description as YAML, for review and audit on its own."""
    return yaml.safe_dump(_plain(hall_data), allow_unicode=True, sort_keys=False, width=1000)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
