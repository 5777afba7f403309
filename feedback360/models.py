"""ORM models. The constraints here are the rules: see the comments for why each exists."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    orm,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .mailboxes import mailbox_of


def utcnow() -> dt.datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is UTC without one."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def utctoday() -> dt.date:
    return utcnow().date()


def random_id() -> str:
    return secrets.token_hex(16)


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


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


def _enum(kind: type[StrEnum], name: str) -> Enum:
    # VARCHAR plus a CHECK constraint: the same on SQLite and PostgreSQL, and easy to migrate.
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Bumped at logout and password change: cookies that carry an older number stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    rounds: Mapped[list[Round]] = orm.relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    # Flask-Login protocol, written out so the model needs no mixin.
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


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
        _enum(RoundStatus, "round_status"), default=RoundStatus.OPEN
    )
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    deadline_at: Mapped[dt.datetime] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = orm.relationship(back_populates="rounds")
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
    relationship: Mapped[Relationship] = mapped_column(_enum(Relationship, "relationship"))
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
    # The mailbox the email reaches (mailboxes.py), deleted with it; derived on every insert
    # that does not give one, so no way of adding an invitation can leave it out.
    mailbox: Mapped[str | None] = mapped_column(String(254), default=_mailbox_of_email)
    relationship: Mapped[Relationship] = mapped_column(_enum(Relationship, "relationship"))
    # SHA-256 of the first email's token (reminders' are in invitation_link); never the token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Only whether it was used, never when: a time could be matched against an answer set.
    status: Mapped[InvitationStatus] = mapped_column(
        _enum(InvitationStatus, "invitation_status"), default=InvitationStatus.PENDING
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


class OutboxMessage(db.Model):
    """An email waiting to go, written in the same transaction as whatever caused it."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        _enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Lets the worker see "could not be delivered" against one invitation.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))


class ShareLink(db.Model):
    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and (now or utcnow()) < self.expires_at


class RoundReport(db.Model):
    """The report as produced once at close: every later view and download reads this."""

    __tablename__ = "round_report"
    __table_args__ = (
        # A kept PDF with the reflection always says which reflection it shows.
        CheckConstraint(
            "(reflection_pdf IS NULL) = (reflection_pdf_of IS NULL)", name="reflection_pdf_of"
        ),
    )

    round_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_round.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # The PDF without the worker's reflection, kept from the first download on.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The latest PDF with the reflection, and the SHA-256 of the reflection it shows: kept
    # until the reflection changes, so repeat downloads are not rendered again.
    reflection_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    reflection_pdf_of: Mapped[str | None] = mapped_column(String(64))


class PdfJob(db.Model):
    """A round's PDFs to make in the background; the row exists while there is work to do.

    Written in the transaction that causes it (the close, a saved reflection), like the outbox.
    A worker claims it with a conditional UPDATE, makes what is missing, and deletes it only if
    nothing asked again meanwhile (`requests` unchanged).
    """

    __tablename__ = "pdf_job"
    __table_args__ = (
        CheckConstraint("requests >= 1", name="requested"),
        CheckConstraint("attempts >= 0", name="attempts_counted"),
        # A claim is whole: whose it is and since when, or neither.
        CheckConstraint("(claimed_by IS NULL) = (claimed_at IS NULL)", name="claim_whole"),
    )

    round_id: Mapped[int] = mapped_column(
        ForeignKey("round_report.round_id", ondelete="CASCADE"), primary_key=True
    )
    requests: Mapped[int] = mapped_column(Integer, default=1)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Not tried before this time (now when asked; later after a failure).
    due_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


class Reflection(db.Model):
    """The Thing 11 reflection: the worker's own words, drafted and saved at will."""

    __tablename__ = "reflection"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_round.id", ondelete="CASCADE"), primary_key=True
    )
    strengths: Mapped[str] = mapped_column(Text, default="")
    development_areas: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    include_in_pdf: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    priorities: Mapped[list[DevelopmentPriority]] = orm.relationship(
        order_by="DevelopmentPriority.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class DevelopmentPriority(db.Model):
    __tablename__ = "development_priority"
    __table_args__ = (CheckConstraint("position BETWEEN 1 AND 5", name="at_most_five"),)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("reflection.round_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    what: Mapped[str] = mapped_column(Text, default="")
    how: Mapped[str] = mapped_column(Text, default="")
    support: Mapped[str] = mapped_column(Text, default="")
    by_when: Mapped[str] = mapped_column(String(100), default="")
    measure: Mapped[str] = mapped_column(Text, default="")


class RateLimitHit(db.Model):
    """One counted attempt against a throttle; the bucket is an HMAC, never an email or address."""

    __tablename__ = "rate_limit_hit"
    __table_args__ = (Index("ix_rate_limit_bucket_at", "bucket", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
