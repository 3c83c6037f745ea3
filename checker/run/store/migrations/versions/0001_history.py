"""The audit history: runs, each hall's audit, every result and finding.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("rules_pack", sa.String(200)),
        sa.Column("rules_version", sa.String(80)),
        sa.Column("rules_source", sa.Text),
        sa.Column("rules_digest", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date),
        sa.Column("halls", sa.Integer),
        sa.Column("exit_code", sa.Integer),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("hall", sa.Text),
        sa.Column("level", sa.String(40)),
        sa.Column("kind", sa.String(80)),
        sa.Column("as_of", sa.Date),
        sa.Column("file_digest", sa.String(64)),
        sa.Column("audited", sa.Boolean, nullable=False),
        sa.Column("problems", sa.Text),
    )
    op.create_index("audits_file", "audits", ["file"])
    op.create_index("audits_hall", "audits", ["hall"])
    op.create_index("audits_run", "audits", ["run_id"])
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(80)),
    )
    op.create_index("results_audit", "results", ["audit_id"])
    op.create_table(
        "findings",
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
    op.create_index("findings_audit", "findings", ["audit_id"])


def downgrade() -> None:
    for table in ("findings", "results", "audits", "runs"):
        op.drop_table(table)
