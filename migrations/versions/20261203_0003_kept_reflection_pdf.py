"""kept reflection pdf

round_report.reflection_pdf and reflection_pdf_of: the latest PDF with the worker's reflection,
kept with the SHA-256 of the reflection it shows, so a repeat download is not rendered again.

Revision ID: 20261203_0003
Revises: 20261203_0002
Create Date: 2026-12-03 10:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261203_0003'
down_revision = '20261203_0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reflection_pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('reflection_pdf_of', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('round_report', schema=None) as batch_op:
        batch_op.drop_column('reflection_pdf_of')
        batch_op.drop_column('reflection_pdf')
