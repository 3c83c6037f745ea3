"""The audit history (`hallcheck check --store`, `hallcheck history`): every run recorded in a
database, SQLite on one machine or PostgreSQL shared by a city's inspectors.

A run records the rule set (pack, version and a digest of every rule as written), the audit
date given, and for each hall its identity (its file as hallcheck shows it, as --baseline
identifies a hall, and its name), the digest of its file, every result and every finding. The
schema is made and moved forward by Alembic (migrations/versions), on every open: an older
database is brought up to date, never altered by hand.

A finding's identity is (rule, entity), as for --baseline: `history` says per run which findings
are new, persisting, or fixed against that hall's previous audit, and `baseline` gives the last
audit of each hall as a checker.run.baseline.Baseline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ...problems import InputError, Location, Problem
from . import tables

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_location() -> str:
    """An SQLite file in the user's data directory (as each platform places it)."""
    from platformdirs import user_data_path
    return str(user_data_path("hallcheck", appauthor=False) / "history.sqlite")


def is_database_url(text: str) -> bool:
    return "://" in text


def is_store(path: str) -> bool:
    """A database URL, or a file that is an SQLite database (rather than a JSON report)."""
    if is_database_url(path):
        return True
    if not os.path.isfile(path):  # a FIFO or a device is never opened just to look at it
        return False
    try:
        with open(path, "rb") as stream:
            return stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _engine(location: str) -> sa.Engine:
    if is_database_url(location):
        url = sa.make_url(location)
        if url.drivername in ("postgresql", "postgres"):  # psycopg 3, the maintained driver
            url = url.set(drivername="postgresql+psycopg")
        return sa.create_engine(url)
    Path(location).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(sa.URL.create("sqlite", database=location))


def shown(location: str) -> str:
    """The store as messages name it: a URL without its password."""
    if is_database_url(location):
        try:
            return sa.make_url(location).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot parse is shown as given
            return location
    return location


def open_store(location: str) -> "Store":
    """The store at `location` (a path or a database URL), its schema brought up to date; or
    InputError naming the store and why it cannot be used."""
    if not is_database_url(location) and os.path.exists(location) and not os.path.isfile(location):
        raise InputError([Problem("store.unusable", Location(location), {"reason": "not a regular file"})])
    try:
        engine = _engine(location)
        migrate(engine)
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - a bad URL, a server that does not answer, a file that is no database
        reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
        raise InputError([Problem("store.unusable", Location(shown(location)), {"reason": reason})]) from None
    return Store(engine, shown(location))


def migrate(engine: sa.Engine) -> None:
    """Bring the database's schema to the newest migration (Alembic)."""
    from alembic import command
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def rules_digest(rules) -> str:
    """sha256 of every rule as written, with its severity as overridden: two runs with the same
    digest judged with the same rules."""
    body = json.dumps(sorted([rule.id, rule.severity, rule.source] for rule in rules),
                      ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def file_digest(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class Audit:
    """One hall's audit as the history keeps it."""

    id: int
    run: int
    recorded_at: dt.datetime
    rules: str  # pack and version, as a person reads it
    rules_digest: str
    file: str
    hall: str | None
    as_of: dt.date | None
    file_digest: str | None
    audited: bool
    counts: dict  # status -> number of rules
    findings: dict  # (rule, entity) -> {"label", "line", "waived", "zh", "en"}
    decided: frozenset  # rules decided (pass, fail, waived, not applicable): only these can fix a finding


@dataclass(frozen=True)
class Change:
    """One audit against the hall's previous one."""

    audit: Audit
    new: tuple  # (rule, entity) keys
    persisting: tuple
    fixed: tuple  # keys of the previous audit's findings, with that audit's words
    previous: Audit | None


_DECIDED = ("pass", "fail", "waived", "not_applicable")


class Store:
    def __init__(self, engine: sa.Engine, name: str):
        self.engine = engine
        self.name = name

    def recorder(self, rule_set_info: dict, digest: str, as_of: dt.date | None, tool_version: str) -> "Recorder":
        return Recorder(self, rule_set_info, digest, as_of, tool_version)

    # -------------------------------------------------------------- reading

    def _audits(self, connection, where) -> list[Audit]:
        a, r = tables.audits, tables.runs
        rows = connection.execute(sa.select(a, r.c.recorded_at, r.c.rules_pack, r.c.rules_version, r.c.rules_digest)
                                  .join(r, r.c.id == a.c.run_id).where(where).order_by(a.c.id)).mappings().all()
        ids = [row["id"] for row in rows]
        counts: dict[int, dict] = {i: {} for i in ids}
        decided: dict[int, set] = {i: set() for i in ids}
        found: dict[int, dict] = {i: {} for i in ids}
        for chunk in _chunks(ids, 500):
            for row in connection.execute(sa.select(tables.results.c.audit_id, tables.results.c.rule,
                                                    tables.results.c.status)
                                          .where(tables.results.c.audit_id.in_(chunk))):
                counts[row.audit_id][row.status] = counts[row.audit_id].get(row.status, 0) + 1
                if row.status in _DECIDED:
                    decided[row.audit_id].add(row.rule)
            f = tables.findings
            for row in connection.execute(sa.select(f).where(f.c.audit_id.in_(chunk)).order_by(f.c.id)):
                found[row.audit_id][(row.rule, row.entity)] = {
                    "label": row.label, "line": row.line, "waived": row.waived, "zh": row.message_zh,
                    "en": row.message_en}
        return [Audit(row["id"], row["run_id"], row["recorded_at"],
                      " ".join(part for part in (row["rules_pack"], row["rules_version"]) if part) or "—",
                      row["rules_digest"], row["file"], row["hall"], row["as_of"], row["file_digest"],
                      row["audited"], counts[row["id"]], found[row["id"]], frozenset(decided[row["id"]]))
                for row in rows]

    def history(self, hall: str) -> dict[str, list[Change]]:
        """Every audit of the hall whose file (as shown) or name is `hall`, per file, oldest first,
        each with what changed since the previous audit of that file."""
        a = tables.audits
        with self.engine.connect() as connection:
            found = self._audits(connection, sa.or_(a.c.file == hall, a.c.hall == hall))
        out: dict[str, list[Change]] = {}
        for audit in found:
            changes = out.setdefault(audit.file, [])
            previous = next((c.audit for c in reversed(changes) if c.audit.audited), None)
            changes.append(change(audit, previous))
        return out

    def last_audits(self) -> list[Audit]:
        """The last finished audit of each hall file."""
        a = tables.audits
        latest = sa.select(sa.func.max(a.c.id)).where(a.c.audited.is_(True)).group_by(a.c.file)
        with self.engine.connect() as connection:
            return self._audits(connection, a.c.id.in_(latest))

    def baseline(self, lang: str):
        """The last audit of each hall, as a checker.run.baseline.Baseline (`--baseline` given the store)."""
        from ..baseline import Baseline, Fixed
        halls = {}
        for audit in self.last_audits():
            halls[audit.file] = {key: Fixed(key[0], key[1], found["label"] or "", found[lang] or "")
                                 for key, found in audit.findings.items()}
        return Baseline(self.name, halls)


def change(audit: Audit, previous: Audit | None) -> Change:
    """What an audit found new, still, and no longer, against the hall's previous audit. A
    finding is only fixed when its rule was decided this time, as for --baseline."""
    if not audit.audited:
        return Change(audit, (), (), (), previous)
    before = previous.findings if previous else {}
    now = audit.findings
    return Change(audit, tuple(k for k in now if k not in before), tuple(k for k in now if k in before),
                  tuple(k for k in before if k not in now and k[0] in audit.decided), previous)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Recorder:
    """One run being recorded, hall by hall as the audits finish, in one transaction: a run
    that stops half-way leaves nothing behind."""

    def __init__(self, store: Store, info: dict, digest: str, as_of: dt.date | None, tool_version: str):
        self.connection = store.engine.connect()
        self.transaction = self.connection.begin()
        self.position = 0
        self.run_id = self.connection.execute(tables.runs.insert().values(
            recorded_at=dt.datetime.now(dt.timezone.utc), tool_version=tool_version, rules_pack=info.get("pack"),
            rules_version=info.get("version"), rules_source=info.get("source"), rules_digest=digest,
            as_of=as_of)).inserted_primary_key[0]

    def record(self, report, path: str) -> None:
        """One hall's report; `path` is the file it was read from."""
        from ...reports.report import finding_message
        audited = not report.problems
        audit_id = self.connection.execute(tables.audits.insert().values(
            run_id=self.run_id, position=self.position, file=report.file, hall=report.hall or None,
            level=report.level, kind=report.kind, as_of=report.as_of, file_digest=file_digest(path),
            audited=audited,
            problems=None if audited else json.dumps(
                [{"code": p.code, "file": p.location.file, "line": p.location.line, "column": p.location.column,
                  "path": p.location.path} for p in report.problems], ensure_ascii=False))).inserted_primary_key[0]
        self.position += 1
        results, found = [], []
        for result in report.results:
            results.append({"audit_id": audit_id, "rule": result.rule.id, "severity": result.rule.severity,
                            "status": result.status, "reason": result.reason})
            for finding, waived in [(f, False) for f in result.findings] + [(w.finding, True) for w in result.waived]:
                found.append({"audit_id": audit_id, "rule": result.rule.id, "entity": finding.entity,
                              "label": finding.label, "line": finding.location.line, "waived": waived,
                              "message_zh": finding_message(result, finding, "zh"),
                              "message_en": finding_message(result, finding, "en")})
        if results:
            self.connection.execute(tables.results.insert(), results)
        if found:
            self.connection.execute(tables.findings.insert(), found)

    def finish(self, exit_code: int) -> None:
        self.connection.execute(tables.runs.update().where(tables.runs.c.id == self.run_id)
                                .values(halls=self.position, exit_code=exit_code))
        self.transaction.commit()
        self.connection.close()

    def abandon(self) -> None:
        self.transaction.rollback()
        self.connection.close()
