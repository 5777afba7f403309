"""pdf job

pdf_job: a round's PDFs to make in the background, one row per round while there is work to
do, written with the close or the saved reflection that causes it and claimed by `flask worker`
or `flask report worker` (docs/reports.md, "Made in the background"). Every closed round whose
PDF without the reflection was never downloaded gets a row, so the worker makes it.

round_report: a kept PDF with the reflection always says which reflection it shows.

Revision ID: 20261207_0006
Revises: 20261207_0005
Create Date: 2026-12-07 12:00:00

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261207_0006'
down_revision = '20261207_0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pdf_job',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=32), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.CheckConstraint('requests >= 1', name=op.f('ck_pdf_job_requested')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_pdf_job_attempts_counted')),
    sa.CheckConstraint('(claimed_by IS NULL) = (claimed_at IS NULL)', name=op.f('ck_pdf_job_claim_whole')),
    sa.ForeignKeyConstraint(['round_id'], ['round_report.round_id'], name=op.f('fk_pdf_job_round_id_round_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_pdf_job'))
    )
    # A reflection PDF kept without the fingerprint of what it shows could never be matched:
    # forget it (the next download makes it again) rather than fail the constraint below.
    op.execute("UPDATE round_report SET reflection_pdf = NULL, reflection_pdf_of = NULL"
               " WHERE (reflection_pdf IS NULL) <> (reflection_pdf_of IS NULL)")
    with op.batch_alter_table('round_report', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_round_report_reflection_pdf_of'),
            '(reflection_pdf IS NULL) = (reflection_pdf_of IS NULL)')
    # Naive UTC, as the app stores every time (CURRENT_TIMESTAMP would follow the server's zone).
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.get_bind().execute(
        sa.text("INSERT INTO pdf_job (round_id, requests, requested_at, due_at, attempts)"
                " SELECT round_id, 1, :now, :now, 0 FROM round_report WHERE pdf IS NULL"),
        {"now": now},
    )


def downgrade():
    with op.batch_alter_table('round_report', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_round_report_reflection_pdf_of'), type_='check')
    op.drop_table('pdf_job')
