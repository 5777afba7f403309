"""Read-only report links for a manager: expiring, revocable, only their hash kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..auth.throttle import bucket_for, is_limited, record_hit
from ..columns import utcnow
from ..extensions import db
from ..surveys.models import Round
from ..web.links import hash_token, new_token
from .models import ShareLink


class ShareLinkProblem(Exception):
    """A share link that cannot show the report; the message is for whoever holds it."""

    status = 404

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownShareLink(ShareLinkProblem):
    def __init__(self) -> None:
        super().__init__("This link does not work. Check that it was copied in full.")


class TooManyGuesses(ShareLinkProblem):
    status = 429

    def __init__(self) -> None:
        super().__init__("Too many links that do not work were tried from here. Please try later.")


class ShareLinkUnusable(ShareLinkProblem):
    """The link exists but was withdrawn or has expired."""

    status = 410


def create_share_link(round_: Round, now: dt.datetime | None = None) -> tuple[ShareLink, str]:
    """A new link and its token; the token is shown once and never stored."""
    token, token_hash = new_token()
    now = now or utcnow()
    days = current_app.config["SHARE_LINK_DAYS"]
    link = ShareLink(
        round_id=round_.id,
        token_hash=token_hash,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def links_of(round_: Round) -> list[ShareLink]:
    """Every link of a round, newest first."""
    return list(
        db.session.scalars(
            select(ShareLink)
            .where(ShareLink.round_id == round_.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A link as the share page lists it."""

    id: int
    created_on: str
    expires_on: str
    state: str
    active: bool


def link_rows(round_: Round, now: dt.datetime | None = None) -> list[LinkRow]:
    now = now or utcnow()
    return [
        LinkRow(
            id=link.id,
            created_on=link.created_at.date().isoformat(),
            expires_on=link.expires_at.date().isoformat(),
            state=_state(link, now),
            active=link.is_usable(now),
        )
        for link in links_of(round_)
    ]


def _state(link: ShareLink, now: dt.datetime) -> str:
    if link.revoked_at is not None:
        return "Withdrawn"
    return "Works" if link.is_usable(now) else "Expired"


def link_of(round_: Round, link_id: int) -> ShareLink | None:
    """One of this round's links; another round's link is simply not found."""
    return db.session.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.round_id == round_.id)
    )


def revoke(link: ShareLink, now: dt.datetime | None = None) -> None:
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        db.session.flush()


def open_share_link(token: str, address: str, limit: int) -> ShareLink:
    """A usable share link. Unknown tokens count against the address that tried them."""
    bucket = bucket_for("share-guess", address)
    # Checked before the lookup: once limited, a guesser learns nothing, not even a hit.
    if is_limited(bucket, limit):
        raise TooManyGuesses()
    link = find_link(token)
    if link is None:
        record_hit(bucket)
        raise UnknownShareLink()
    ensure_usable(link)
    return link


def find_link(token: str) -> ShareLink | None:
    """The link a token opens, whatever its state; None for a token we never issued."""
    return db.session.scalar(select(ShareLink).where(ShareLink.token_hash == hash_token(token)))


def ensure_usable(link: ShareLink, now: dt.datetime | None = None) -> None:
    """Raise ShareLinkUnusable, with a plain reason, for a withdrawn or expired link."""
    if link.revoked_at is not None:
        raise ShareLinkUnusable("The person who shared this report has withdrawn the link.")
    if not link.is_usable(now):
        raise ShareLinkUnusable("This link has expired. Ask whoever shared it for a new one.")
