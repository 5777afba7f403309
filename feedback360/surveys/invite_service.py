"""Invitations and reminders for a round (flush, never commit); progress is in progress.py."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..columns import utcnow
from ..extensions import db
from ..mail.models import OutboxMessage, OutboxStatus
from ..mail.outbox import queue_email
from ..programmes import gates as programmes
from ..web.links import external_url, new_token
from .mailboxes import mailbox_of
from .models import Invitation, InvitationLink, InvitationStatus, Relationship, Round
from .rounds import RoundProblem, require_open, round_instrument

# The people using this work in Scotland: times on pages and in emails are UK times.
LOCAL_TIME = ZoneInfo("Europe/London")


class InvitationRefused(RoundProblem):
    """An invitation the rules don't allow; shown against the email field."""


OWN_ADDRESS = "That is your own address. Your own answers go in your self-assessment."


class ReminderRefused(RoundProblem):
    pass


@dataclass(frozen=True, slots=True)
class InvitedPerson:
    """What the worker may see of one invitation: never whether that person answered."""

    email: str | None
    name: str | None
    relationship: Relationship
    undelivered: bool


def local_time(moment: dt.datetime) -> dt.datetime:
    """A stored naive-UTC time as a UK wall-clock time."""
    return moment.replace(tzinfo=dt.UTC).astimezone(LOCAL_TIME)


def long_date(moment: dt.datetime) -> str:
    """A stored time as a UK date in words: Friday 19 December 2026."""
    local = local_time(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def time_and_date(moment: dt.datetime) -> str:
    local = local_time(moment)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B}"


def invite_colleague(
    round_: Round, email: str, name: str | None, relationship: Relationship
) -> Invitation:
    """Record an invitation (only its token's hash) and queue its one email."""
    require_open(round_)
    email = email.strip().lower()
    mailbox = mailbox_of(email)
    _refuse_reached_mailbox(round_, email, mailbox)
    token, token_hash = new_token()
    invitation = Invitation(
        round_id=round_.id,
        email=email,
        mailbox=mailbox,
        name=(name or "").strip() or None,
        relationship=relationship,
        token_hash=token_hash,
    )
    try:
        # Two quick submits of one mailbox: the unique indexes decide, not this code.
        with db.session.begin_nested():
            db.session.add(invitation)
    except IntegrityError:
        raise InvitationRefused(_duplicate_message(email)) from None
    if programmes.holds_invitations(round_):
        # Sent with a fresh link once the coach approves (send_held_invitation).
        programmes.hold(invitation)
    else:
        _queue_invitation_email(round_, invitation, token, "invitation")
    return invitation


def is_held(invitation: Invitation) -> bool:
    """Whether the invitation waits for a coach's approval (programmes that ask for one)."""
    return invitation.id in programmes.held_ids(invitation.round_id)


def send_held_invitation(round_: Round, invitation: Invitation) -> None:
    """Send an invitation the coach has approved: a new link, since only hashes were kept."""
    token, invitation.token_hash = new_token()
    _queue_invitation_email(round_, invitation, token, "invitation")


def _refuse_reached_mailbox(round_: Round, email: str, mailbox: str) -> None:
    """Refuse a mailbox the round already reaches: the worker's own or an invited colleague's."""
    # One person answering as several would let them subtract a real colleague's scores.
    if mailbox == mailbox_of(round_.user.email):
        raise InvitationRefused(OWN_ADDRESS)
    if _already_invited(round_, mailbox):
        raise InvitationRefused(_duplicate_message(email))


def _already_invited(round_: Round, mailbox: str) -> bool:
    found = db.session.scalar(
        select(Invitation.id).where(Invitation.round_id == round_.id, Invitation.mailbox == mailbox)
    )
    return found is not None


def _duplicate_message(email: str) -> str:
    # Only what the worker typed: never the spelling that was invited before.
    return (
        f"You have already invited {email} in this round, "
        "or an address that reaches the same mailbox."
    )


def one_line(text: str) -> str:
    """A typed name made safe for a subject line: no control characters, no line breaks."""
    printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(printable.split())


def _queue_invitation_email(round_: Round, invitation: Invitation, token: str, kind: str) -> None:
    worker: User = round_.user
    instrument = round_instrument(round_)
    worker_name = one_line(worker.name)
    subjects = {
        "invitation": f"{worker_name} would value your feedback on their leadership",
        "reminder": f"Reminder: {worker_name} would value your feedback on their leadership",
    }
    assert invitation.email is not None  # nosec B101  # narrows the type only
    queue_email(
        invitation.email,
        subjects[kind],
        kind,
        invitation_id=invitation.id,
        worker_name=worker_name,
        worker_first_name=worker.first_name,
        colleague_name=invitation.name,
        is_line_manager=invitation.relationship is Relationship.LINE_MANAGER,
        instrument_title=instrument.title,
        deadline=long_date(round_.deadline_at),
        link=external_url("rater.start", token=token),
    )


def invited_people(round_: Round) -> list[InvitedPerson]:
    """Who was invited, in the order they were added, with delivery problems only."""
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.round_id == round_.id).order_by(Invitation.id)
    )
    failed = _undelivered_invitation_ids(round_)
    return [
        InvitedPerson(inv.email, inv.name, inv.relationship, inv.id in failed)
        for inv in invitations
    ]


def _undelivered_invitation_ids(round_: Round) -> set[int]:
    # Only the first email of each invitation counts. Reminders go to those who have not
    # replied, so a failed reminder would tell the worker who had not answered yet.
    first_message = (
        select(func.min(OutboxMessage.id))
        .join(Invitation, OutboxMessage.invitation_id == Invitation.id)
        .where(Invitation.round_id == round_.id)
        .group_by(OutboxMessage.invitation_id)
    )
    rows = db.session.scalars(
        select(OutboxMessage.invitation_id).where(
            OutboxMessage.id.in_(first_message), OutboxMessage.status == OutboxStatus.FAILED
        )
    )
    return {row for row in rows if row is not None}


def next_reminder_at(round_: Round) -> dt.datetime | None:
    """When the next reminder may go, or None if one may go now."""
    if round_.reminded_at is None:
        return None
    allowed = round_.reminded_at + _reminder_interval()
    return allowed if allowed > utcnow() else None


def _reminder_interval() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["REMINDER_INTERVAL_HOURS"])


def send_reminders(round_: Round, now: dt.datetime | None = None) -> None:
    """Email a further link to all who have neither sent nor declined, at most once per interval.

    The worker is told the same whoever is still waiting, nobody included: how many were
    reminded, or that nobody was, would tell them how many had replied, declines and all.
    """
    require_open(round_)
    now = now or utcnow()
    if not _anyone_invited(round_):
        raise ReminderRefused("You have not invited anyone yet, so there is nobody to remind.")
    if not _claim_reminder_slot(round_, now):
        when = round_.reminded_at + _reminder_interval()  # type: ignore[operator]
        raise ReminderRefused(f"You can send another reminder after {time_and_date(when)}.")
    for invitation in _waiting_invitations(round_):
        # Only hashes are stored, so a reminder cannot resend the first link: it adds a link,
        # and every earlier one keeps working (docs/decisions.md, "Reminders add a link").
        token, token_hash = new_token()
        db.session.add(InvitationLink(token_hash=token_hash, invitation_id=invitation.id))
        _queue_invitation_email(round_, invitation, token, "reminder")


def _anyone_invited(round_: Round) -> bool:
    """Whether the worker invited anyone: something they know, unlike who is still waiting."""
    query = select(Invitation.id).where(Invitation.round_id == round_.id).limit(1)
    return db.session.scalar(query) is not None


def _waiting_invitations(round_: Round) -> list[Invitation]:
    held = programmes.held_ids(round_.id)
    return [invitation for invitation in _pending(round_) if invitation.id not in held]


def _pending(round_: Round) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.round_id == round_.id,
                Invitation.status == InvitationStatus.PENDING,
                Invitation.email.is_not(None),
            )
            .order_by(Invitation.id)
        )
    )


def _claim_reminder_slot(round_: Round, now: dt.datetime) -> bool:
    """A conditional update, so two clicks at once cannot both send reminders."""
    result = db.session.execute(
        update(Round)
        .where(
            Round.id == round_.id,
            or_(Round.reminded_at.is_(None), Round.reminded_at <= now - _reminder_interval()),
        )
        .values(reminded_at=now),
        execution_options={"synchronize_session": False},
    )
    db.session.refresh(round_)
    return bool(result.rowcount)
