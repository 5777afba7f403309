"""invitation mailbox

invitation.mailbox: the mailbox an invitation's email reaches, unique per round, so one person
cannot be invited twice under another spelling (SECURITY.md line 24). Existing invitations are
given theirs; where two in a round reach one mailbox, the later keeps none, so this never fails.

Revision ID: 20261207_0004
Revises: 20261203_0003
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261207_0004'
down_revision = '20261203_0003'
branch_labels = None
depends_on = None

# The rules of feedback360/surveys/mailboxes.py as they stood at this revision, copied so that
# this revision does the same thing however that module changes later.
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
DOTS_IGNORED = {"gmail.com"}


def mailbox_of(address):
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()
    domain = domain.removesuffix(".")
    domain = DOMAIN_ALIASES.get(domain, domain)
    local = local.split("+", 1)[0] or local
    if domain in DOTS_IGNORED:
        local = local.replace(".", "")
    return f"{local}@{domain}"


# Plain ALTER TABLE, not batch mode: SQLite (3.35 and later) adds and drops this column in
# place, while a batch copy would drop the old invitation table with foreign keys on, and its
# implicit delete would cascade to every invitation's uses, links and drafts.
def upgrade():
    op.add_column('invitation', sa.Column('mailbox', sa.String(length=254), nullable=True))
    backfill_mailboxes()
    op.create_index('uq_invitation_round_mailbox', 'invitation', ['round_id', 'mailbox'], unique=True)


def backfill_mailboxes():
    """Each kept email's mailbox, in id order; a later invitation to a mailbox keeps none."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, round_id, email FROM invitation WHERE email IS NOT NULL ORDER BY id")
    )
    seen = set()
    update = sa.text("UPDATE invitation SET mailbox = :mailbox WHERE id = :id")
    for invitation_id, round_id, email in rows.all():
        key = (round_id, mailbox_of(email))
        if key not in seen:
            seen.add(key)
            connection.execute(update, {"mailbox": key[1], "id": invitation_id})


def downgrade():
    op.drop_index('uq_invitation_round_mailbox', table_name='invitation')
    op.drop_column('invitation', 'mailbox')
