"""The reports' tables: the report kept at close, its PDF queue, share links, the reflection.

Not to be confused with model.py, the Report dataclass that pages and PDFs are made from.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    orm,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..columns import utcnow
from ..extensions import db


def new_evidence_id() -> str:
    return str(uuid.uuid4())


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
    # The PDF without the worker's reflection, made by the background worker after the close.
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
    __table_args__ = (CheckConstraint("length(evidence_id) = 36", name="evidence_id_is_a_uuid"),)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_round.id", ondelete="CASCADE"), primary_key=True
    )
    strengths: Mapped[str] = mapped_column(Text, default="")
    development_areas: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    include_in_pdf: Mapped[bool] = mapped_column(default=True)
    # The id of its badge evidence (evidence/): one per reflection, so a download after an
    # edit replaces the earlier one in a portfolio instead of sitting beside it.
    evidence_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_evidence_id)
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
