"""Inviting workers to a programme by email (flush, never commit).

Each address gets a link of its own (a fresh 256-bit token; only its SHA-256 kept). The link
works once, for INVITATION_DAYS; following it, the person signs in (or signs up first) and joins
through the same step as the join link. The address is forgotten the moment it is no longer
needed: on acceptance, and at expiry (by `flask privacy purge`, and whenever the lead sends more).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from email_validator import EmailNotValidError
from email_validator import validate_email as parse_email_address
from sqlalchemy import func, select, update

from ..auth.models import User
from ..auth.throttle import bucket_for, is_limited, record_hit
from ..extensions import db
from ..mail.outbox import queue_email
from ..web.links import external_url, hash_token, new_token
from .models import Member, Programme, ProgrammeInvitation
from .setup import ProgrammeProblem, join

INVITATION_DAYS = 30
MOST_AT_ONCE = 200
EMAIL_MAX = 254
# Addresses may be pasted from a spreadsheet or a mail client: commas, semicolons, any space.
SEPARATORS = re.compile(r"[,;\s]+")


def read_addresses(text: str) -> list[str]:
    """The addresses typed, lower-cased, each once, in order; a plain message if any is bad."""
    typed = [part for part in SEPARATORS.split(text or "") if part]
    if not typed:
        raise ProgrammeProblem("Please give at least one email address.")
    if len(typed) > MOST_AT_ONCE:
        raise ProgrammeProblem(
            f"Please send at most {MOST_AT_ONCE} invitations at once; this list has {len(typed)}."
        )
    bad = [part for part in typed if not _valid(part)]
    if bad:
        listed = ", ".join(bad[:5]) + (" and more" if len(bad) > 5 else "")
        raise ProgrammeProblem(
            f"These do not look like email addresses: {listed}. Please correct them; "
            "no invitation has been sent yet."
        )
    return list(dict.fromkeys(part.lower() for part in typed))


def _valid(address: str) -> bool:
    if len(address) > EMAIL_MAX or address.count("@") != 1:
        return False
    try:
        parse_email_address(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Sent:
    invited: int  # new invitations
    renewed: int  # pending ones sent again with a new link (the old link stops working)
    members: int  # addresses of people already in this programme: nothing sent


def invite(programme: Programme, addresses: list[str], now: dt.datetime) -> Sent:
    """Queue one email per address, each with its own link."""
    forget_expired(now)
    already = set(
        db.session.scalars(
            select(func.lower(User.email))
            .join(Member, Member.user_id == User.id)
            .where(Member.programme_id == programme.id)
        )
    )
    invited = renewed = 0
    for address in addresses:
        if address in already:
            continue
        invitation = db.session.scalar(
            select(ProgrammeInvitation).where(
                ProgrammeInvitation.programme_id == programme.id,
                ProgrammeInvitation.email == address,
            )
        )
        if invitation is None:
            invitation = ProgrammeInvitation(programme_id=programme.id, email=address)
            db.session.add(invitation)
            invited += 1
        else:
            renewed += 1
        token, invitation.token_hash = new_token()
        invitation.sent_at, invitation.expires_at = now, now + dt.timedelta(days=INVITATION_DAYS)
        db.session.flush()
        _send(programme, address, token, invitation.expires_at)
    return Sent(invited, renewed, len([a for a in addresses if a in already]))


def _send(programme: Programme, address: str, token: str, expires_at: dt.datetime) -> None:
    queue_email(
        address,
        f"You are invited to join {programme.name}",
        "notice",
        message=(
            f"{programme.organisation.name} invites you to take part in the feedback programme "
            f"{programme.name}. Open the link, sign in (or create an account first, then open "
            "the link again), read what joining means and press Join. The link works once, "
            f"until {expires_at.date().isoformat()}, and only for you: please do not pass it on."
        ),
        link=external_url("programmes.invitation", token=token),
        link_text="Join the programme",
    )


class TooManyGuesses(ProgrammeProblem):
    def __init__(self) -> None:
        super().__init__("Too many links that do not work were tried from here. Please try later.")


def open_invitation(
    token: str, address: str, limit: int, now: dt.datetime
) -> ProgrammeInvitation | None:
    """The pending invitation of a link; a link that does not work counts against the address.

    Checked before the lookup, as for every emailed link: once limited, a guesser learns nothing.
    """
    bucket = bucket_for("programme-invitation-guess", address)
    if is_limited(bucket, limit):
        raise TooManyGuesses()
    found = pending_for(token, now)
    if found is None:
        record_hit(bucket)
    return found


def pending_for(token: str, now: dt.datetime) -> ProgrammeInvitation | None:
    """The invitation this link belongs to, if it is neither used nor expired."""
    return db.session.scalar(
        select(ProgrammeInvitation).where(
            ProgrammeInvitation.token_hash == hash_token(token),
            ProgrammeInvitation.accepted_at.is_(None),
            ProgrammeInvitation.expires_at > now,
        )
    )


def accept(
    invitation: ProgrammeInvitation, user: User, job_role: str | None, now: dt.datetime
) -> Member:
    """Join, then spend the link and forget the address; a second use finds nothing."""
    member = join(user, invitation.programme, job_role)
    # Conditional, so two tabs pressing Join at once spend the link once.
    spent = db.session.execute(
        update(ProgrammeInvitation)
        .where(ProgrammeInvitation.id == invitation.id, ProgrammeInvitation.accepted_at.is_(None))
        .values(accepted_at=now, email=None, token_hash=None)
    )
    if spent.rowcount != 1:
        raise ProgrammeProblem("This invitation has already been used.")
    return member


def forget_expired(now: dt.datetime) -> int:
    """Expired invitations keep no address and no link; returns how many were forgotten."""
    result = db.session.execute(
        update(ProgrammeInvitation)
        .where(ProgrammeInvitation.expires_at <= now, ProgrammeInvitation.email.is_not(None))
        .values(email=None, token_hash=None)
    )
    return result.rowcount


@dataclass(frozen=True, slots=True)
class Overview:
    pending: list[ProgrammeInvitation]
    accepted: int
    expired: int


def overview(programme: Programme, now: dt.datetime) -> Overview:
    """What the lead sees: pending addresses with their expiry; accepted and expired counted."""
    rows = list(
        db.session.scalars(
            select(ProgrammeInvitation)
            .where(ProgrammeInvitation.programme_id == programme.id)
            .order_by(ProgrammeInvitation.sent_at, ProgrammeInvitation.id)
        )
    )
    accepted = [r for r in rows if r.accepted_at is not None]
    pending = [r for r in rows if r.accepted_at is None and r.expires_at > now and r.email]
    return Overview(pending, len(accepted), len(rows) - len(accepted) - len(pending))
