"""The coach's part: approving a worker's list of colleagues, and releasing their report.

Flush, never commit. The coach sees who was invited (names, addresses, relationships) and never
an answer: nothing here reads an answer set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..auth.models import User
from ..columns import utcnow
from ..extensions import db
from ..mail.outbox import queue_email
from ..surveys.invite_service import send_held_invitation
from ..surveys.models import Invitation, Relationship, Round
from ..web.links import external_url
from .gates import held_ids
from .models import HeldInvitation, ListStatus, Member, ProgrammeRound
from .setup import ProgrammeProblem


@dataclass(frozen=True, slots=True)
class ListedColleague:
    name: str | None
    email: str | None
    relationship: Relationship
    waiting: bool  # not yet sent: awaiting approval


def colleague_list(round_id: int) -> list[ListedColleague]:
    held = held_ids(round_id)
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.round_id == round_id).order_by(Invitation.id)
    )
    return [
        ListedColleague(inv.name, inv.email, inv.relationship, inv.id in held)
        for inv in invitations
    ]


def _coach_email(round_: Round) -> str | None:
    member = db.session.scalar(select(Member).where(Member.user_id == round_.user_id))
    if member is None or member.coach_user_id is None:
        return None
    coach = db.session.get(User, member.coach_user_id)
    return None if coach is None else coach.email


def submit_list(entry: ProgrammeRound, round_: Round) -> None:
    """The worker sends their list to their coach."""
    _require_open(round_)
    if entry.list_status not in (ListStatus.OPEN, ListStatus.RETURNED):
        raise ProgrammeProblem("Your list is already with your coach, or already approved.")
    if not held_ids(round_.id):
        raise ProgrammeProblem("Add the colleagues you would like to invite first.")
    coach = _coach_email(round_)
    if coach is None:
        raise ProgrammeProblem(
            "You do not have a coach yet. Ask your programme lead to choose one for you."
        )
    entry.list_status, entry.coach_note = ListStatus.SUBMITTED, None
    queue_email(
        coach,
        "A list of colleagues is waiting for your approval",
        "notice",
        message=f"{round_.user.name} has sent you their list of colleagues to approve.",
        link=external_url("coach.index"),
        link_text="Open your coaching page",
    )
    db.session.flush()


def approve_list(entry: ProgrammeRound, round_: Round) -> int:
    """Send every held invitation, each with a fresh link; returns how many went."""
    _require_open(round_)
    _require_submitted(entry)
    held = held_ids(round_.id)
    invitations = db.session.scalars(select(Invitation).where(Invitation.id.in_(held)))
    sent = 0
    for invitation in invitations:
        send_held_invitation(round_, invitation)
        sent += 1
    db.session.execute(
        HeldInvitation.__table__.delete().where(HeldInvitation.invitation_id.in_(held))
    )
    entry.list_status = ListStatus.APPROVED
    _tell_worker(
        round_,
        "Your coach has approved your list of colleagues, and the invitations are on their way.",
    )
    db.session.flush()
    return sent


def return_list(entry: ProgrammeRound, round_: Round, note: str) -> None:
    """Back to the worker with the coach's note; nothing is sent."""
    _require_open(round_)
    _require_submitted(entry)
    entry.list_status, entry.coach_note = ListStatus.RETURNED, note
    _tell_worker(round_, "Your coach has returned your list of colleagues with a note.")
    db.session.flush()


def _require_open(round_: Round) -> None:
    # A close forgets colleagues' addresses, so a held invitation can no longer be sent.
    if not round_.is_open:
        raise ProgrammeProblem("This round has closed, so its list can no longer change.")


def _require_submitted(entry: ProgrammeRound) -> None:
    if entry.list_status is not ListStatus.SUBMITTED:
        raise ProgrammeProblem("This list is not waiting for approval.")


def _tell_worker(round_: Round, message: str) -> None:
    queue_email(
        round_.user.email,
        "News from your coach",
        "notice",
        message=message,
        link=external_url("programmes.round_page", round_id=round_.id),
        link_text="Open your round",
    )


def release_report(entry: ProgrammeRound, round_: Round) -> None:
    """After the debrief: the worker may read their report."""
    if round_.is_open:
        raise ProgrammeProblem("The round is still open, so there is no report to release yet.")
    if entry.released_at is not None:
        return
    entry.released_at = utcnow()
    _tell_worker(round_, "Your coach has released your feedback report. You can read it now.")
    db.session.flush()
