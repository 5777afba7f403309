"""Rater answers: open a link, keep a draft, then submit once or decline.

Functions here flush and never commit: the view owns the transaction. Nothing here writes a
time, an address or the invitation's id next to an answer set (DESIGN.md section 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..instruments import Capability, Instrument, instrument_from_dict
from ..models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationLink,
    InvitationStatus,
    InvitationUse,
    RaterDraft,
    random_id,
    utcnow,
    utctoday,
)
from ..throttle import bucket_for, is_limited, record_hit
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


def open_invitation(token: str, address: str, limit: int) -> Invitation:
    """The invitation behind a link. Unknown links count against the address that tried them."""
    bucket = bucket_for("token-guess", address)
    # Checked before the lookup, so a guesser learns nothing once limited, not even a hit.
    if is_limited(bucket, limit):
        raise TooManyGuesses()
    invitation = find_invitation(token)
    if invitation is None:
        record_hit(bucket)
        raise UnknownLink()
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link leads to: the first email's link, or any reminder's."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    token_hash = hash_token(token)
    reminded = select(InvitationLink.invitation_id).where(InvitationLink.token_hash == token_hash)
    return db.session.scalar(
        select(Invitation).where(
            or_(Invitation.token_hash == token_hash, Invitation.id.in_(reminded))
        )
    )


def ensure_usable(invitation: Invitation) -> None:
    """Raise the problem that stops this invitation taking answers, if there is one."""
    if invitation.status is InvitationStatus.SUBMITTED:
        raise AlreadySubmitted()
    if invitation.status is InvitationStatus.DECLINED:
        raise AlreadyDeclined()
    if not invitation.round.is_open:
        raise RoundClosed()
    if utcnow() >= invitation.round.deadline_at:
        raise LinkExpired()


def lock_for_answers(invitation: Invitation) -> Invitation:
    """Lock the round (shared) and then the invitation, and check again that it takes answers.

    The order matters on PostgreSQL: closing a round updates the round before its invitations,
    so taking the round first means neither side can hold what the other waits for. The shared
    lock also makes a close wait for a submit in flight, so no answer lands after the close.
    Only the columns the check reads are selected again, under the lock, so the round's large
    instrument snapshot is not read twice. SQLite ignores FOR UPDATE; its BEGIN IMMEDIATE
    already runs writers one at a time.
    """
    db.session.refresh(invitation.round, ["status", "deadline_at"], with_for_update={"read": True})
    db.session.refresh(invitation, ["status"], with_for_update=True)
    ensure_usable(invitation)
    return invitation


def instrument_of(invitation: Invitation) -> Instrument:
    return instrument_from_dict(invitation.round.instrument_snapshot)


# The draft -----------------------------------------------------------------------------------


def load_draft(invitation_id: int) -> Draft:
    row = db.session.get(RaterDraft, invitation_id)
    if row is None:
        return Draft()
    return Draft(scores=dict(row.data["scores"]), comments=dict(row.data["comments"]))


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


# Submitting and declining --------------------------------------------------------------------


def record_answers(invitation: Invitation, instrument: Instrument) -> str:
    """Use the invitation and store its draft as an anonymous answer set, in one transaction.

    Inserts into the tables, not ORM objects: this runs while SQLite's write lock is held, and
    issue 7 measured the unit of work at half the cost of a send. Returns the answer set's id.
    """
    claim(invitation, InvitationStatus.SUBMITTED)
    draft = load_draft(invitation.id)
    refuse_incomplete(instrument, draft)
    answer_set_id = random_id()
    # The relationship comes from the invitation, never from anything the rater sent.
    db.session.execute(
        insert(AnswerSet.__table__).values(
            id=answer_set_id,
            round_id=invitation.round_id,
            relationship=invitation.relationship,
            submitted_on=utctoday(),
        )
    )
    db.session.execute(
        insert(Answer.__table__),
        [
            {"answer_set_id": answer_set_id, "item_key": item.key, "score": draft.scores[item.key]}
            for item in instrument.items
        ],
    )
    asked = question_keys(instrument)
    comments = [
        {"answer_set_id": answer_set_id, "question_key": key, "text": text}
        for key, text in draft.comments.items()
        if key in asked
    ]
    if comments:
        db.session.execute(insert(Comment.__table__), comments)
    discard_draft(invitation)
    return answer_set_id


def decline(invitation: Invitation) -> None:
    """Mark the invitation as answered by a polite no; nothing else is kept."""
    claim(invitation, InvitationStatus.DECLINED)
    discard_draft(invitation)
    db.session.flush()


def claim(invitation: Invitation, outcome: InvitationStatus) -> None:
    """Single use, decided twice by the database: the use's key, then a conditional update."""
    if not (record_use(invitation) and mark_used(invitation, outcome)):
        db.session.refresh(invitation)
        ensure_usable(invitation)
        raise AlreadySubmitted()


def record_use(invitation: Invitation) -> bool:
    """False if the invitation was used already: invitation_use holds one row per invitation."""
    try:
        # A savepoint, so a refused row leaves the transaction usable for the refresh after it.
        with db.session.begin_nested():
            db.session.execute(insert(InvitationUse.__table__).values(invitation_id=invitation.id))
    except IntegrityError:
        return False
    return True


def mark_used(invitation: Invitation, outcome: InvitationStatus) -> bool:
    """False unless this statement moved the invitation from pending: only one statement can."""
    result = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == InvitationStatus.PENDING)
        .values(status=outcome)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def discard_draft(invitation: Invitation) -> None:
    db.session.execute(delete(RaterDraft).where(RaterDraft.invitation_id == invitation.id))


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
