"""reflection evidence id

reflection.evidence_id: the uuid of the worker's badge evidence (the Open Badges Evidence `id`),
one per reflection and kept, so every download of the same reflection carries the same id.
Reflections saved before this revision get a fresh one each.

Revision ID: 20261207_0009
Revises: 20261207_0007
Create Date: 2026-12-07 13:45:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261207_0009'
down_revision = '20261207_0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_id', sa.String(length=36), nullable=True))
    reflection = sa.table('reflection', sa.column('round_id'), sa.column('evidence_id'))
    connection = op.get_bind()
    for (round_id,) in connection.execute(sa.select(reflection.c.round_id)).all():
        connection.execute(
            reflection.update()
            .where(reflection.c.round_id == round_id)
            .values(evidence_id=str(uuid.uuid4()))
        )
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.alter_column('evidence_id', existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_reflection_evidence_id'), ['evidence_id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_reflection_evidence_id_is_a_uuid'), 'length(evidence_id) = 36'
        )


def downgrade():
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reflection_evidence_id_is_a_uuid'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_reflection_evidence_id'), type_='unique')
        batch_op.drop_column('evidence_id')
