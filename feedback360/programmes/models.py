"""The programmes' tables: organisations, programmes, who leads and coaches, who takes part.

The constraints are the rules: a worker is in one programme at a time, a coach is a coach of
the worker's own programme (a composite foreign key), a held invitation is one not yet approved.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
    orm,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import User
from ..columns import enum_column, utcnow
from ..extensions import db


class ListStatus(StrEnum):
    """Where a worker's list of colleagues stands with their coach (approval programmes only)."""

    OPEN = "open"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Operator(db.Model):
    """An account that may create organisations and programmes from the admin pages."""

    __tablename__ = "operator"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    programmes: Mapped[list[Programme]] = orm.relationship(
        back_populates="organisation", order_by="Programme.id"
    )


class Programme(db.Model):
    __tablename__ = "programme"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name", name="uq_programme_name"),
        # Below three the worker's progress could not even say how many answered.
        CheckConstraint(
            "closing_minimum IS NULL OR closing_minimum >= 3", name="close_at_three_or_more"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    # Instrument keys offered to its workers; empty means every instrument.
    instrument_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    closing_minimum: Mapped[int | None] = mapped_column(Integer)
    deadline_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    release_after_debrief: Mapped[bool] = mapped_column(Boolean, default=False)
    # Only the hash of the join link's token, like every emailed link.
    join_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation] = orm.relationship(back_populates="programmes")


class ProgrammeLead(db.Model):
    __tablename__ = "programme_lead"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProgrammeCoach(db.Model):
    __tablename__ = "programme_coach"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    user: Mapped[User] = orm.relationship()


class Member(db.Model):
    """A worker taking part in a programme; their rounds and reports stay their own."""

    __tablename__ = "programme_member"
    __table_args__ = (
        # The coach must coach this programme: the key names both columns.
        ForeignKeyConstraint(
            ["programme_id", "coach_user_id"],
            ["programme_coach.programme_id", "programme_coach.user_id"],
            name="fk_member_coach_of_programme",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    # One programme at a time, so a new round knows which programme it belongs to.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    coach_user_id: Mapped[int | None] = mapped_column(Integer)
    job_role: Mapped[str | None] = mapped_column(String(60))
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    programme: Mapped[Programme] = orm.relationship()
    user: Mapped[User] = orm.relationship(foreign_keys=[user_id])


class ProgrammeRound(db.Model):
    """A round started inside a programme: its list's approval and its report's release."""

    __tablename__ = "programme_round"
    __table_args__ = (
        CheckConstraint(
            "coach_note IS NULL OR list_status = 'returned'", name="note_only_when_returned"
        ),
    )

    round_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_round.id", ondelete="CASCADE"), primary_key=True
    )
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    # None when the programme does not ask a coach to approve lists.
    list_status: Mapped[ListStatus | None] = mapped_column(enum_column(ListStatus, "list_status"))
    coach_note: Mapped[str | None] = mapped_column(Text)
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The worker agreed that their coach may read the report before the debrief.
    coach_may_read: Mapped[bool] = mapped_column(Boolean, default=False)

    programme: Mapped[Programme] = orm.relationship()


class HeldInvitation(db.Model):
    """An invitation recorded but not sent: its coach has not approved the list yet."""

    __tablename__ = "held_invitation"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )


class ProgrammeInvitation(db.Model):
    """A worker invited by email to join a programme: a link of its own, working once.

    The address is personal data kept only while it is needed: it and the token's hash are
    forgotten when the invitation is accepted or expires (the row stays, so the lead's counts
    of accepted and expired stay true). The constraints keep that so whatever writes the row.
    """

    __tablename__ = "programme_invitation"
    __table_args__ = (
        # One pending invitation per address per programme; NULLs (forgotten) never clash.
        UniqueConstraint("programme_id", "email", name="uq_programme_invitation_email"),
        CheckConstraint(
            "accepted_at IS NULL OR (email IS NULL AND token_hash IS NULL)",
            name="accepted_invitation_forgets_address",
        ),
        CheckConstraint(
            "(email IS NULL) = (token_hash IS NULL)", name="address_and_link_kept_together"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    # Only the SHA-256 of the emailed token, like every emailed link.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    programme: Mapped[Programme] = orm.relationship()
