"""The colleague's review page: each comment checked as the page is drawn, and changed in place.

Nothing here writes: the check's findings live only in the page they are drawn on. A changed
comment is saved into the draft like any page of the questionnaire (surveys/rater_views.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from ..extensions import db
from ..instruments.model import Instrument
from ..surveys.forms import COMMENT_MAX
from ..surveys.models import Invitation
from .check import find_giveaways
from .marks import Marked, mark
from .names import Context, name_words

EXPIRED = (
    "This page was open for a long time, so for your security please press \u201cSave and "
    "check again\u201d once more. What you typed is still here."
)


@dataclass(frozen=True, slots=True)
class CheckedComment:
    key: str
    prompt: str
    text: str
    marked: Marked


@dataclass(frozen=True, slots=True)
class ReviewCheck:
    """Every comment in the draft, checked, under the number of the page it was written on."""

    pages: dict[int, tuple[CheckedComment, ...]]

    @property
    def flagged(self) -> tuple[CheckedComment, ...]:
        return tuple(c for page in self.pages.values() for c in page if c.marked.findings)

    @property
    def count(self) -> int:
        return sum(len(c.marked.findings) for c in self.flagged)

    @property
    def has_comments(self) -> bool:
        return any(self.pages.values())


def context_for(invitation: Invitation) -> Context:
    """The names given for this round's invitations, the writer's own among them, and the
    worker's name, which is left alone: naming the person the feedback is about is fine."""
    round_ = invitation.round
    return Context(known=name_words(given_names(round_.id)), worker=name_words([round_.user.name]))


def given_names(round_id: int) -> list[str]:
    """The names typed for the round's invitations: one light query, however many there are."""
    query = select(Invitation.name).where(
        Invitation.round_id == round_id, Invitation.name.is_not(None)
    )
    return [name for name in db.session.scalars(query.distinct()) if name]


def check_draft(instrument: Instrument, comments: dict[str, str], context: Context) -> ReviewCheck:
    """The draft's comments in questionnaire order: one box per capability, then the overall."""
    pages = {
        number: _checked([(c.key, c.comment_prompt)], comments, context)
        for number, c in enumerate(instrument.capabilities, start=1)
    }
    overall = [(q.key, q.colleague_text) for q in instrument.questions]
    pages[len(instrument.capabilities) + 1] = _checked(overall, comments, context)
    return ReviewCheck(pages)


def _checked(
    prompts: list[tuple[str, str]], comments: dict[str, str], context: Context
) -> tuple[CheckedComment, ...]:
    return tuple(
        CheckedComment(key, prompt, text, mark(f"gv-{key}", text, find_giveaways(text, context)))
        for key, prompt in prompts
        if (text := comments.get(key, ""))
    )


class CommentForm(FlaskForm):
    """One comment, changed on the review page; an empty box takes the comment out."""

    question = HiddenField()
    comment = TextAreaField(
        "Your comment",
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=f"Please keep this to {COMMENT_MAX:,} characters."),
        ],
    )

    def question_key(self, instrument: Instrument) -> str | None:
        """The comment box this change is for, if the questionnaire has one by that key."""
        keys = {c.key for c in instrument.capabilities} | {q.key for q in instrument.questions}
        return self.question.data if self.question.data in keys else None

    def comments(self) -> dict[str, str]:
        text = (self.comment.data or "").strip()
        return {self.question.data: text} if text else {}

    def problem(self) -> str | None:
        """What stopped the change, in words for the person who typed it."""
        if self.csrf_token.errors:
            return EXPIRED
        return self.comment.errors[0] if self.comment.errors else None
