"""Leaving feedback360: a worker deletes their account and everything that belongs to it."""

from __future__ import annotations

from ..auth.models import User
from ..extensions import db
from ..programmes import gates as programmes


def delete_account(user: User) -> None:
    """Delete the worker; the database's cascades remove their rounds and all that hangs off them.

    Rounds, answer sets, answers, comments, invitations, drafts, queued emails, reports, share
    links and reflections all reference the user (directly or through a round) with ON DELETE
    CASCADE, so nothing of theirs is left behind; so do their programme roles and membership.
    """
    # The one key that cannot cascade: workers this person coached keep their place, coachless.
    programmes.stop_coaching(user.id)
    db.session.delete(user)
    db.session.flush()
