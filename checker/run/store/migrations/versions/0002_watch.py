"""hallcheck watch: each watcher's day, clocks, seen events and emitted transitions.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchers",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("regulation", sa.String(80), nullable=False),
        sa.Column("day", sa.Date),
    )
    op.create_table(
        "watch_clocks",
        sa.Column("watcher", sa.String(200), primary_key=True),
        sa.Column("key", sa.String(450), primary_key=True),
        sa.Column("colour", sa.String(10), nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "watch_events",
        sa.Column("watcher", sa.String(200), primary_key=True),
        sa.Column("key", sa.String(250), primary_key=True),
    )
    op.create_table(
        "watch_transitions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("watcher", sa.String(200), nullable=False),
        sa.Column("happened_on", sa.Date, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("watch_transitions_watcher", "watch_transitions", ["watcher"])


def downgrade() -> None:
    for table in ("watch_transitions", "watch_events", "watch_clocks", "watchers"):
        op.drop_table(table)
