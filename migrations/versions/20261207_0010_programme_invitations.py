"""programme invitations

Workers invited to a programme by email: each a link of its own (only the token's SHA-256), one
pending invitation per address per programme, and an accepted or expired invitation keeping
neither address nor link (the checks say so, whatever writes the row).

Revision ID: 20261207_0010
Revises: 20261207_0009
Create Date: 2026-12-07 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261207_0010'
down_revision = '20261207_0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('accepted_at IS NULL OR (email IS NULL AND token_hash IS NULL)', name=op.f('ck_programme_invitation_accepted_invitation_forgets_address')),
    sa.CheckConstraint('(email IS NULL) = (token_hash IS NULL)', name=op.f('ck_programme_invitation_address_and_link_kept_together')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_invitation_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_invitation')),
    sa.UniqueConstraint('programme_id', 'email', name='uq_programme_invitation_email'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_programme_invitation_token_hash'))
    )
    with op.batch_alter_table('programme_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_invitation_programme_id'), ['programme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('programme_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_invitation_programme_id'))

    op.drop_table('programme_invitation')
