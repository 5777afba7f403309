"""Rater answers: open a link, keep a draft, check what is missing before the send.

The send and the decline themselves are in sending.py. Functions here flush and never commit:
the view owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, or_, select, true

from ..extensions import db
from ..instruments.model import Capability, Instrument
from ..instruments.snapshots import instrument_from_dict
from ..models import (
    Invitation,
    InvitationLink,
    InvitationStatus,
    RaterDraft,
    Relationship,
    Round,
    RoundStatus,
    utcnow,
)
from ..throttle import RECENT_HITS, bucket_for, record_hit, window_start
from ..tokens import hash_token

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


class IncompleteAnswers(Exception):
    """A submit with statements still unanswered; `page` is the first page to go back to."""

    def __init__(self, missing: int, page: int) -> None:
        self.missing = missing
        self.page = page
        word = "statement still needs" if missing == 1 else "statements still need"
        super().__init__(
            f"{missing} {word} an answer. Choose a score or \u201cNot observed / don't know\u201d "
            "for each one, then send your feedback."
        )


@dataclass(slots=True)
class Draft:
    """Answers saved so far: a score or None ("not observed") per item, and comments."""

    scores: dict[str, int | None] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PageSummary:
    """One questionnaire page as the review step shows it."""

    number: int
    title: str
    answered: int
    not_observed: int
    unanswered: int
    comments: tuple[tuple[str, str], ...]


# Opening a link ------------------------------------------------------------------------------


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


# The draft -----------------------------------------------------------------------------------


def load_draft(invitation_id: int) -> Draft:
    row = db.session.get(RaterDraft, invitation_id)
    return draft_from(None if row is None else row.data)


def draft_from(data: dict[str, Any] | None) -> Draft:
    """A draft from its stored JSON, or an empty one when nothing was saved."""
    if data is None:
        return Draft()
    return Draft(scores=dict(data["scores"]), comments=dict(data["comments"]))


def save_page(
    invitation: Invitation,
    scores: dict[str, int | None],
    comments: dict[str, str],
    page_keys: tuple[str, ...],
) -> None:
    """Replace this page's answers in the draft; `page_keys` are its item and comment keys."""
    draft = load_draft(invitation.id)
    for key in page_keys:
        draft.scores.pop(key, None)
        draft.comments.pop(key, None)
    draft.scores.update(scores)
    draft.comments.update(comments)
    data = {"scores": draft.scores, "comments": draft.comments}
    row = db.session.get(RaterDraft, invitation.id)
    if row is None:
        db.session.add(RaterDraft(invitation_id=invitation.id, data=data))
    else:
        row.data = data  # a new dict: the JSON column does not track changes made in place
    db.session.flush()


def refuse_incomplete(instrument: Instrument, draft: Draft) -> None:
    summaries = summarize_pages(instrument, draft)
    missing = [summary for summary in summaries if summary.unanswered]
    if missing:
        raise IncompleteAnswers(sum(s.unanswered for s in missing), missing[0].number)


def question_keys(instrument: Instrument) -> set[str]:
    keys = {capability.key for capability in instrument.capabilities}
    return keys | {question.key for question in instrument.questions}


# Pages ---------------------------------------------------------------------------------------


def page_count(instrument: Instrument) -> int:
    """One page per capability, then one for the overall questions."""
    return len(instrument.capabilities) + 1


def capability_on_page(instrument: Instrument, number: int) -> Capability | None:
    """The capability asked on page `number` (from 1), or None for the overall questions."""
    if number <= len(instrument.capabilities):
        return instrument.capabilities[number - 1]
    return None


def first_item_number(instrument: Instrument, number: int) -> int:
    """Statements are numbered across the whole questionnaire, not per page."""
    return 1 + sum(len(c.items) for c in instrument.capabilities[: number - 1])


def summarize_pages(instrument: Instrument, draft: Draft) -> list[PageSummary]:
    summaries = [
        _capability_summary(number, capability, draft)
        for number, capability in enumerate(instrument.capabilities, start=1)
    ]
    overall = tuple(
        (q.colleague_text, draft.comments[q.key])
        for q in instrument.questions
        if q.key in draft.comments
    )
    summaries.append(PageSummary(page_count(instrument), "Overall", 0, 0, 0, overall))
    return summaries


def _capability_summary(number: int, capability: Capability, draft: Draft) -> PageSummary:
    keys = [item.key for item in capability.items]
    answered = [key for key in keys if key in draft.scores]
    not_observed = sum(1 for key in answered if draft.scores[key] is None)
    comment = draft.comments.get(capability.key)
    return PageSummary(
        number=number,
        title=capability.name,
        answered=len(answered) - not_observed,
        not_observed=not_observed,
        unanswered=len(keys) - len(answered),
        comments=((capability.comment_prompt, comment),) if comment else (),
    )


def resume_page(instrument: Instrument, draft: Draft) -> int:
    """Where "continue" takes a returning rater: the first page with a statement unanswered."""
    for summary in summarize_pages(instrument, draft):
        if summary.unanswered:
            return summary.number
    return page_count(instrument)
