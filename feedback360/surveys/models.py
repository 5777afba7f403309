"""The surveys' tables: rounds, answer sets and their answers, invitations, drafts.

The constraints here are the rules: see the comments for why each exists.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    orm,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import User
from ..columns import enum_column, random_id, utcnow, utctoday
from ..extensions import db
from .mailboxes import mailbox_of


class Relationship(StrEnum):
    SELF = "self"
    LINE_MANAGER = "line_manager"
    PEER = "peer"
    DIRECT_REPORT = "direct_report"
    OTHER = "other"

    @property
    def label(self) -> str:
        return RELATIONSHIP_LABELS[self]


RELATIONSHIP_LABELS = {
    Relationship.SELF: "Self",
    Relationship.LINE_MANAGER: "Line manager",
    Relationship.PEER: "Peer",
    Relationship.DIRECT_REPORT: "Someone I manage",
    Relationship.OTHER: "Other",
}
COLLEAGUE_RELATIONSHIPS = tuple(r for r in Relationship if r is not Relationship.SELF)


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class InvitationStatus(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    DECLINED = "declined"


class Round(db.Model):
    __tablename__ = "feedback_round"
    __table_args__ = (
        # One open round per instrument per worker, enforced by the database.
        Index(
            "uq_feedback_round_one_open",
            "user_id",
            "instrument_key",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        CheckConstraint("(status = 'open') = (closed_at IS NULL)", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    instrument_key: Mapped[str] = mapped_column(String(50))
    instrument_version: Mapped[int] = mapped_column(Integer)
    # What was asked, frozen: editing a YAML file never changes a past round or report.
    instrument_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus, "round_status"), default=RoundStatus.OPEN
    )
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    deadline_at: Mapped[dt.datetime] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    # The backref gives User its `rounds`, so the accounts' module need not name Round.
    user: Mapped[User] = orm.relationship(
        backref=orm.backref("rounds", cascade="all, delete-orphan", passive_deletes=True)
    )
    invitations: Mapped[list[Invitation]] = orm.relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_open(self) -> bool:
        return self.status is RoundStatus.OPEN

    def close(self, now: dt.datetime | None = None) -> None:
        if not self.is_open:
            raise ValueError("This round is already closed.")
        self.status = RoundStatus.CLOSED
        self.closed_at = now or utcnow()


class AnswerSet(db.Model):
    """One person's answers. Deliberately nothing here can lead back to an invitation."""

    __tablename__ = "answer_set"
    __table_args__ = (
        Index(
            "uq_answer_set_one_self",
            "round_id",
            unique=True,
            sqlite_where=text("relationship = 'self'"),
            postgresql_where=text("relationship = 'self'"),
        ),
        # The partial index above cannot find all of a round's sets; without this, every
        # progress page, report and close read the whole table.
        Index("ix_answer_set_round_id", "round_id"),
    )

    # Random, so neither its value nor its order says when it was written.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id", ondelete="CASCADE"))
    relationship: Mapped[Relationship] = mapped_column(enum_column(Relationship, "relationship"))
    # A day, never a time: a finer time could be matched against who opened their email when.
    submitted_on: Mapped[dt.date] = mapped_column(Date, default=utctoday)

    answers: Mapped[list[Answer]] = orm.relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    comments: Mapped[list[Comment]] = orm.relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_on_scale"),
    )

    answer_set_id: Mapped[str] = mapped_column(
        ForeignKey("answer_set.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    # NULL is "not observed / don't know": stored, counted, never averaged.
    score: Mapped[int | None] = mapped_column(SmallInteger)


class Comment(db.Model):
    __tablename__ = "comment"

    answer_set_id: Mapped[str] = mapped_column(
        ForeignKey("answer_set.id", ondelete="CASCADE"), primary_key=True
    )
    # A capability key, or one of the instrument's overall question keys.
    question_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


def _mailbox_of_email(context: DefaultExecutionContext) -> str | None:
    """The default for Invitation.mailbox: the mailbox its email reaches, if it has one."""
    email = context.get_current_parameters().get("email")
    return None if email is None else mailbox_of(email)


class Invitation(db.Model):
    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint("relationship <> 'self'", name="colleague_only"),
        # Duplicates are refused case-insensitively: emails are stored lower-case.
        Index("uq_invitation_round_email", "round_id", "email", unique=True),
        # One mailbox, one invitation, whatever its spelling (SECURITY.md 24); NULLs never clash.
        Index("uq_invitation_round_mailbox", "round_id", "mailbox", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id", ondelete="CASCADE"))
    # Deleted when the round closes; counts stay.
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(100))
    # The mailbox the email reaches (surveys/mailboxes.py), deleted with it; derived on every insert
    # that does not give one, so no way of adding an invitation can leave it out.
    mailbox: Mapped[str | None] = mapped_column(String(254), default=_mailbox_of_email)
    relationship: Mapped[Relationship] = mapped_column(enum_column(Relationship, "relationship"))
    # SHA-256 of the first email's token (reminders' are in invitation_link); never the token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Only whether it was used, never when: a time could be matched against an answer set.
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus, "invitation_status"), default=InvitationStatus.PENDING
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    round: Mapped[Round] = orm.relationship(back_populates="invitations")

    @property
    def has_answered(self) -> bool:
        return self.status is not InvitationStatus.PENDING


class InvitationUse(db.Model):
    """That an invitation was used, keyed by it: a second use cannot be stored (SECURITY.md 9).

    The conditional update in sending.claim() refuses a second use already; this key refuses it
    again should that update ever lose its condition. It holds the id and nothing else: no
    time and no counter of its own, so it says no more than the invitation's status does.
    """

    __tablename__ = "invitation_use"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )


class InvitationLink(db.Model):
    """A further link to an invitation, sent with a reminder; the earlier links keep working.

    Only the SHA-256 of its token is stored; the rows go when the round closes.
    """

    __tablename__ = "invitation_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )


class RaterDraft(db.Model):
    """A colleague's unfinished answers, deleted in the same transaction as their submit."""

    __tablename__ = "rater_draft"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
