"""The audit history's tables, as SQLAlchemy Core sees them. Their schema is made and changed
by the migrations in migrations/versions (Alembic), never from here: a new column is a new
migration and a line here."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# one `hallcheck check --store` run
runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),  # when the run started, UTC
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("rules_pack", sa.String(200)),  # builtin, a pack's name, or none for a plain directory
    sa.Column("rules_version", sa.String(80)),
    sa.Column("rules_source", sa.Text),
    sa.Column("rules_digest", sa.String(64), nullable=False),  # sha256 of every rule as written (and overridden)
    sa.Column("as_of", sa.Date),  # --as-of, when given; each hall's own date is on its audit
    sa.Column("halls", sa.Integer),  # set when the run has finished
    sa.Column("exit_code", sa.Integer),
)

# one hall in one run
audits = sa.Table(
    "audits", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),  # its place in the run's input order
    sa.Column("file", sa.Text, nullable=False),  # as hallcheck shows it: the hall's identity, as for --baseline
    sa.Column("hall", sa.Text),  # its name
    sa.Column("level", sa.String(40)),
    sa.Column("kind", sa.String(80)),
    sa.Column("as_of", sa.Date),
    sa.Column("file_digest", sa.String(64)),  # sha256 of the hall file's bytes; None when it could not be read
    sa.Column("audited", sa.Boolean, nullable=False),  # False: the file was unusable or the audit did not finish
    sa.Column("problems", sa.Text),  # JSON: [{code, file, line, column, path}] when not audited
)

# one rule's verdict for one audit
results = sa.Table(
    "results", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), nullable=False),
    sa.Column("rule", sa.String(200), nullable=False),
    sa.Column("severity", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(80)),
)

# one failing (or waived) finding of one audit
findings = sa.Table(
    "findings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), nullable=False),
    sa.Column("rule", sa.String(200), nullable=False),
    sa.Column("entity", sa.Text, nullable=False),
    sa.Column("label", sa.Text),
    sa.Column("line", sa.Integer),
    sa.Column("waived", sa.Boolean, nullable=False),
    sa.Column("message_zh", sa.Text),
    sa.Column("message_en", sa.Text),
)

# `hallcheck watch`: each watcher (by its name) keeps its day, its clocks, the events it has
# seen and the transitions it emitted, so that a restarted watcher re-alerts nothing
watchers = sa.Table(
    "watchers", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("regulation", sa.String(80), nullable=False),
    sa.Column("day", sa.Date),  # the watcher's clock: the last day it has matched
)

watch_clocks = sa.Table(
    "watch_clocks", metadata,
    sa.Column("watcher", sa.String(200), primary_key=True),
    sa.Column("key", sa.String(450), primary_key=True),  # case:ID or complaint:CASE:ID
    sa.Column("colour", sa.String(10), nullable=False),
    sa.Column("open", sa.Boolean, nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # JSON: checker.watch.state.Clock
)

watch_events = sa.Table(
    "watch_events", metadata,
    sa.Column("watcher", sa.String(200), primary_key=True),
    sa.Column("key", sa.String(250), primary_key=True),  # the event's id, or the hash of its content
)

watch_transitions = sa.Table(
    "watch_transitions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("watcher", sa.String(200), nullable=False),
    sa.Column("happened_on", sa.Date, nullable=False),  # the watcher's day when emitted
    sa.Column("body", sa.Text, nullable=False),  # JSON, as emitted
)
