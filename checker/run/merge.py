"""`hallcheck merge REPORT...`: the reports of a run's shards (`check --shard K/N`, each a CI job
or a batch job of its own) made into the report of the whole run.

Shards are put in order by the shard each report says it is (`shard.index`), so the halls come
out in the order one unsharded run gives them; the summary is the sum of the shards' summaries,
and the exit code the most serious of theirs (2 over 1 over 0: each shard decided it under the
same options). JSON reports and JSON-lines reports are both read; JSON lines are read a line at
a time, so merging them takes the memory of one hall, not of the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from ..problems import InputError, Location, Problem
from ..audit.results import STATUSES

_KEEP = ("format", "version", "tool", "lang", "fail_on")


@dataclass(frozen=True)
class Part:
    """One shard's report: what it says of itself, and where its halls are."""

    path: str
    display: str
    head: dict  # format, version, tool, lang, fail_on, shard
    end: dict  # exit_code, summary, waivers, baseline, rules
    lines: bool  # JSON lines (halls read from the file as needed) or a JSON document (halls in `halls`)
    halls: list | None = None

    def each_hall(self) -> Iterator[dict]:
        if not self.lines:
            yield from self.halls or ()
            return
        with open(self.path, encoding="utf-8") as stream:
            for line in stream:
                record = json.loads(line)
                if record.get("record") == "hall":
                    record.pop("record")
                    yield record


def read_part(path: str, display: str) -> Part:
    """A report of `check --format json` or `--format jsonl`, or InputError saying where it is not one."""
    from ..input.load import load_file  # for its file errors: not found, a directory, unreadable
    try:
        with open(path, encoding="utf-8") as stream:
            first = stream.readline()
    except OSError:
        load_file(path, display_name=display)
        raise
    except UnicodeDecodeError as err:
        _fail(Location(display), f"not UTF-8 (byte {err.start})")
    try:
        record = json.loads(first)
        lines = isinstance(record, dict) and record.get("record") == "report"
    except json.JSONDecodeError:
        lines = False
    return _lines_part(path, display) if lines else _document_part(path, display)


def _lines_part(path: str, display: str) -> Part:
    head = end = None
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                _fail(Location(display, number, err.colno), err.msg)
            kind = record.get("record") if isinstance(record, dict) else None
            if number == 1:
                head = record
            elif kind == "end":
                end = record
            elif kind != "hall":
                _fail(Location(display, number), "a line that is no hall of the report")
    if head.get("format") != "hallcheck-report-lines":
        _fail(Location(display, 1, path="format"), "format is not hallcheck-report-lines")
    if end is None:
        _fail(Location(display), "the report has no last line: its run did not finish")
    return Part(path, display, head, end, lines=True)


def _document_part(path: str, display: str) -> Part:
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except json.JSONDecodeError as err:
        _fail(Location(display, err.lineno, err.colno), err.msg)
    if not isinstance(document, dict) or document.get("format") != "hallcheck-report":
        _fail(Location(display, path="format"), "format is not hallcheck-report")
    halls = document.get("halls")
    if not isinstance(halls, list):
        _fail(Location(display, path="halls"), "halls is not a list")
    return Part(path, display, document, document, lines=False, halls=halls)


def in_order(parts: list[Part]) -> list[Part]:
    """The parts in shard order, checked to be the shards of one run: one language, one
    --fail-on, each shard once."""
    first = parts[0]
    for part in parts[1:]:
        for key in ("lang", "fail_on"):
            if part.head.get(key) != first.head.get(key):
                _fail(Location(part.display, path=key),
                      f"{key} is {part.head.get(key)!r} here but {first.head.get(key)!r} in {first.display}")
    shards = [part.head.get("shard") for part in parts]
    if all(shards):
        counts = {shard["count"] for shard in shards}
        seen: dict[int, Part] = {}
        for part, shard in zip(parts, shards):
            if len(counts) > 1:
                _fail(Location(part.display, path="shard.count"), "the shards were cut from runs of different sizes")
            if shard["index"] in seen:
                _fail(Location(part.display, path="shard.index"),
                      f"shard {shard['index']} is also {seen[shard['index']].display}")
            seen[shard["index"]] = part
        return [seen[index] for index in sorted(seen)]
    return list(parts)


def merged_totals(parts: list[Part]) -> dict:
    """exit_code, summary, and what the run used (waivers, baseline, rules), over all parts."""
    summary = {"halls": 0, "unusable": 0, **{status: 0 for status in STATUSES}}
    for part in parts:
        for key, value in part.end.get("summary", {}).items():
            summary[key] = summary.get(key, 0) + value
    codes = [part.end.get("exit_code", 3) for part in parts]
    code = 2 if 2 in codes else (1 if 1 in codes else (0 if all(c == 0 for c in codes) else max(codes)))
    out = {"exit_code": code, "summary": summary}
    waivers = [part.end["waivers"] for part in parts if "waivers" in part.end]
    if waivers:
        notices = {}
        for item in waivers:
            for notice in item["notices"]:
                notices.setdefault((notice["file"], notice["line"], notice["code"]), notice)
        out["waivers"] = {"file": waivers[0]["file"], "notices": list(notices.values())}
    baselines = [part.end["baseline"] for part in parts if "baseline" in part.end]
    if baselines:
        out["baseline"] = {"file": baselines[0]["file"], "fail_on_new": baselines[0]["fail_on_new"],
                           **{key: sum(b[key] for b in baselines) for key in ("new", "persisting", "fixed")}}
    rules = next((part.end["rules"] for part in parts if "rules" in part.end), None)
    if rules is not None:
        out["rules"] = rules
    return out


def merged_json(parts: list[Part]) -> str:
    """One JSON report, as an unsharded run writes it."""
    totals = merged_totals(parts)
    head = {key: parts[0].head[key] for key in _KEEP}
    head["format"] = "hallcheck-report"
    document = {**head, "exit_code": totals["exit_code"], "summary": totals["summary"],
                "halls": [hall for part in parts for hall in part.each_hall()],
                **{key: totals[key] for key in ("waivers", "baseline", "rules") if key in totals}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_jsonl(parts: list[Part], out) -> None:
    """One JSON-lines report, a hall at a time."""
    head = {key: parts[0].head[key] for key in _KEEP}
    head["format"] = "hallcheck-report-lines"
    out.write(json.dumps({"record": "report", **head}, ensure_ascii=False) + "\n")
    for part in parts:
        for hall in part.each_hall():
            out.write(json.dumps({"record": "hall", **hall}, ensure_ascii=False) + "\n")
    out.write(json.dumps({"record": "end", **merged_totals(parts)}, ensure_ascii=False) + "\n")


def _fail(location: Location, detail: str):
    raise InputError([Problem("merge.not_report", location, {"detail": detail})])
