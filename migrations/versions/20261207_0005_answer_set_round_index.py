"""answer_set round index

An index on answer_set.round_id. The only index on that column was the partial one for
self-assessments, which cannot serve "the answer sets of round N", so reading a round's answers
(its progress, its report, its close) read the whole table and grew with every round ever
closed (docs/performance.md, "Closing a round").

Revision ID: 20261207_0005
Revises: 20261207_0004
Create Date: 2026-12-07 10:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '20261207_0005'
down_revision = '20261207_0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_answer_set_round_id', 'answer_set', ['round_id'])


def downgrade():
    op.drop_index('ix_answer_set_round_id', table_name='answer_set')
