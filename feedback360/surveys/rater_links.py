"""A colleague's link: what it leads to, whether it takes answers now, guesses counted.

The draft and its pages are in rater_drafts.py; the send and the decline in sending.py.
Functions here flush and never commit: the view owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, or_, select, true

from ..auth.throttle import RECENT_HITS, bucket_for, record_hit, window_start
from ..columns import utcnow
from ..extensions import db
from ..instruments.model import Instrument
from ..instruments.snapshots import instrument_from_dict
from ..web.links import hash_token
from .models import (
    Invitation,
    InvitationLink,
    InvitationStatus,
    Relationship,
    Round,
    RoundStatus,
)

# Issued tokens are 43 URL-safe characters; anything far from that shape is not worth a lookup.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")


class LinkProblem(Exception):
    """A link that cannot be used now; `kind` names the page that explains why."""

    kind = "unknown"
    status = 404


class UnknownLink(LinkProblem):
    pass


class TooManyGuesses(LinkProblem):
    kind = "too_many"
    status = 429


class AlreadySubmitted(LinkProblem):
    kind = "submitted"
    status = 410


class AlreadyDeclined(LinkProblem):
    kind = "declined"
    status = 410


class RoundClosed(LinkProblem):
    kind = "closed"
    status = 410


class LinkExpired(LinkProblem):
    kind = "expired"
    status = 410


@dataclass(frozen=True, slots=True)
class Link:
    """What a link leads to, read in one statement: enough to check it, and to use it."""

    invitation_id: int
    round_id: int
    relationship: Relationship
    status: InvitationStatus
    round_status: RoundStatus
    deadline_at: dt.datetime
    instrument_snapshot: dict[str, Any]

    def instrument(self) -> Instrument:
        return instrument_from_dict(self.instrument_snapshot)


_INVITATION = Invitation.__table__
_ROUND = Round.__table__
_REMINDED = select(InvitationLink.__table__.c.invitation_id).where(
    InvitationLink.__table__.c.token_hash == bindparam("token_hash")
)
# Built once: a prepared Core statement costs about a fifth of an ORM query (issue 7).
LINK_QUERY = (
    select(
        _INVITATION.c.id,
        _INVITATION.c.round_id,
        _INVITATION.c.relationship,
        _INVITATION.c.status,
        _ROUND.c.status,
        _ROUND.c.deadline_at,
        _ROUND.c.instrument_snapshot,
    )
    .join_from(_INVITATION, _ROUND)
    .where(
        or_(
            _INVITATION.c.token_hash == bindparam("token_hash"),
            _INVITATION.c.id.in_(_REMINDED),
        )
    )
)


_COUNTED = RECENT_HITS.subquery("counted")
_FOUND = LINK_QUERY.subquery("found")
# The address's recent guesses and the link, in one statement that always returns one row:
# every rater page and every send open a link, and the count alone cost a round trip. A known
# and an unknown link cost the same statement, so the timing tells a guesser nothing either.
HITS_AND_LINK = select(_COUNTED.c.hits, *_FOUND.c).select_from(_COUNTED.outerjoin(_FOUND, true()))


def open_link(token: str, address: str, limit: int) -> Link:
    """The invitation behind a link. Unknown links count against the address that tried them."""
    bucket = bucket_for("token-guess", address)
    hits, link = hits_and_link(bucket, token)
    # Checked before the link, so a guesser learns nothing once limited, not even a hit.
    if hits >= limit:
        raise TooManyGuesses()
    if link is None:
        record_hit(bucket)
        raise UnknownLink()
    return link


def hits_and_link(bucket: str, token: str) -> tuple[int, Link | None]:
    """The bucket's recent hits, and what the link leads to: the first email's, or a reminder's."""
    # A token far from the issued shape is looked up as NULL, which matches no link.
    token_hash = hash_token(token) if TOKEN_SHAPE.fullmatch(token) else None
    hits, *found = (
        db.session.connection()
        .execute(
            HITS_AND_LINK,
            {"bucket": bucket, "since": window_start(), "token_hash": token_hash},
        )
        .one()
    )
    return hits, None if found[0] is None else Link(*found)


def invitation_of(link: Link) -> Invitation:
    """The invitation as an object, for pages that show who asked and what."""
    return db.session.get_one(Invitation, link.invitation_id)


def ensure_usable(link: Link) -> None:
    """Raise the problem that stops this link taking answers, if there is one."""
    if link.round_status is not RoundStatus.OPEN:
        # Checked first: once closed, a reminder link no longer leads to its own invitation
        # (closing.py), so whether "its" invitation was used says nothing.
        raise RoundClosed()
    refuse_used(link.status)
    refuse_closed(link.round_status, link.deadline_at)


def refuse_used(status: InvitationStatus) -> None:
    if status is InvitationStatus.SUBMITTED:
        raise AlreadySubmitted()
    if status is InvitationStatus.DECLINED:
        raise AlreadyDeclined()


def refuse_closed(round_status: RoundStatus, deadline_at: dt.datetime) -> None:
    if round_status is not RoundStatus.OPEN:
        raise RoundClosed()
    if utcnow() >= deadline_at:
        raise LinkExpired()


def lock_for_answers(invitation: Invitation) -> Invitation:
    """Lock the round (shared) and then the invitation, and check again that it takes answers.

    The order matters on PostgreSQL: closing a round updates the round before its invitations,
    so taking the round first means neither side can hold what the other waits for. The shared
    lock also makes a close wait for a page save in flight. Only the columns the check reads are
    selected again, under the lock. SQLite ignores FOR UPDATE; its BEGIN IMMEDIATE already runs
    writers one at a time.
    """
    round_ = invitation.round
    db.session.refresh(round_, ["status", "deadline_at"], with_for_update={"read": True})
    db.session.refresh(invitation, ["status"], with_for_update=True)
    refuse_used(invitation.status)
    refuse_closed(round_.status, round_.deadline_at)
    return invitation


def instrument_of(invitation: Invitation) -> Instrument:
    return instrument_from_dict(invitation.round.instrument_snapshot)
