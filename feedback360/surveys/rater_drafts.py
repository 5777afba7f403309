"""A colleague's answers in progress: the draft, the questionnaire's pages, what is missing.

The send and the decline themselves are in sending.py. Functions here flush and never commit:
the view owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..extensions import db
from ..instruments.model import Capability, Instrument
from .models import Invitation, RaterDraft


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
