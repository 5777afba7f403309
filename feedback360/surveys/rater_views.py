"""The colleague's journey: intro, one capability per page, review, send once, or decline.

Nothing reached by GET or HEAD writes anything about the invitation: mail scanners open links.
The only write a GET can make is counting an unknown link against the address that tried it.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..database import read_only, start_writing
from ..extensions import csrf, db
from ..instruments.model import Instrument
from . import rater_drafts, rater_links, sending
from .forms import (
    AnswerPageForm,
    ConfirmForm,
    confirmed,
    initial_data,
    make_capability_form,
    make_questions_form,
)
from .models import Invitation, InvitationStatus, Relationship

bp = Blueprint("rater", __name__, url_prefix="/r")

ACTIONS = ("next", "back", "save")


# Loading the invitation ---------------------------------------------------------------------


@bp.errorhandler(rater_links.LinkProblem)
def link_problem(problem: rater_links.LinkProblem) -> tuple[str, int]:
    """A kind page for a link that cannot be used, saying nothing the holder did not know."""
    db.session.rollback()
    return render_template("surveys/rater/link_problem.html", kind=problem.kind), problem.status


def _link(token: str) -> rater_links.Link:
    limit = current_app.config["TOKEN_ATTEMPTS_PER_ADDRESS"]
    try:
        return rater_links.open_link(token, request.remote_addr or "", limit)
    except rater_links.UnknownLink:
        db.session.commit()  # the guess must be counted even though the page is an error
        raise


def _usable_link(token: str) -> rater_links.Link:
    link = _link(token)
    rater_links.ensure_usable(link)
    return link


def _usable(token: str) -> Invitation:
    return rater_links.invitation_of(_usable_link(token))


def _for_answers(token: str) -> Invitation:
    return rater_links.lock_for_answers(rater_links.invitation_of(_link(token)))


def _about(invitation: Invitation) -> dict[str, object]:
    """What every rater page may say: the link holder already knows all of it."""
    round_ = invitation.round
    return {
        "worker_name": round_.user.name,
        "worker_first_name": round_.user.first_name,
        "is_line_manager": invitation.relationship is Relationship.LINE_MANAGER,
        "closes_on": _long_date(round_.deadline_at.date()),
    }


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# The intro -----------------------------------------------------------------------------------


@bp.get("/<token>")
def start(token: str) -> str:
    """Who asked, what it involves, how anonymity works; opening it changes nothing."""
    invitation = _usable(token)
    instrument = rater_links.instrument_of(invitation)
    draft = rater_drafts.load_draft(invitation.id)
    return render_template(
        "surveys/rater/intro.html",
        token=token,
        instrument=instrument,
        has_draft=bool(draft.scores or draft.comments),
        resume_page=rater_drafts.resume_page(instrument, draft),
        **_about(invitation),
    )


# Questionnaire pages -------------------------------------------------------------------------


def _page_form(instrument: Instrument, number: int, *, require_all: bool) -> type[AnswerPageForm]:
    if not 1 <= number <= rater_drafts.page_count(instrument):
        abort(404)
    capability = rater_drafts.capability_on_page(instrument, number)
    if capability is None:
        return make_questions_form(instrument.questions, "colleague")
    return make_capability_form(capability, instrument.scale, "colleague", require_all=require_all)


def _render_page(
    token: str, invitation: Invitation, instrument: Instrument, number: int, form: AnswerPageForm
) -> str:
    return render_template(
        "surveys/rater/page.html",
        token=token,
        form=form,
        number=number,
        total=rater_drafts.page_count(instrument),
        capability=rater_drafts.capability_on_page(instrument, number),
        first_number=rater_drafts.first_item_number(instrument, number),
        instrument=instrument,
        **_about(invitation),
    )


@bp.get("/<token>/page/<int:number>")
def page(token: str, number: int) -> str:
    """One capability's statements, filled in from the saved draft."""
    invitation = _usable(token)
    instrument = rater_links.instrument_of(invitation)
    draft = rater_drafts.load_draft(invitation.id)
    form = _page_form(instrument, number, require_all=False)(
        data=initial_data(draft.scores, draft.comments)
    )
    return _render_page(token, invitation, instrument, number, form)


@bp.post("/<token>/page/<int:number>")
@csrf.exempt  # the form checks its own token, so an expired one keeps the answers on screen
def save_page(token: str, number: int) -> Response | tuple[str, int]:
    """Save this page into the draft, then go on, go back, or stop for now."""
    invitation = _for_answers(token)
    instrument = rater_links.instrument_of(invitation)
    action = request.form.get("action", "next")
    action = action if action in ACTIONS else "next"
    form = _page_form(instrument, number, require_all=action == "next")()
    if not form.validate():
        return _render_page(token, invitation, instrument, number, form), 400
    rater_drafts.save_page(
        invitation, form.scores(), form.comments(), form.item_keys + form.comment_keys
    )
    db.session.commit()
    return redirect(_after_page(token, instrument, number, action))


def _after_page(token: str, instrument: Instrument, number: int, action: str) -> str:
    if action == "save":
        return url_for(".saved", token=token)
    if action == "back" and number > 1:
        return url_for(".page", token=token, number=number - 1)
    if action == "back":
        return url_for(".start", token=token)
    if number < rater_drafts.page_count(instrument):
        return url_for(".page", token=token, number=number + 1)
    return url_for(".review", token=token)


@bp.get("/<token>/saved")
def saved(token: str) -> str:
    """Confirms that leaving now loses nothing."""
    invitation = _usable(token)
    return render_template("surveys/rater/saved.html", token=token, **_about(invitation))


# Review and send -----------------------------------------------------------------------------


def _render_review(
    token: str, invitation: Invitation, form: ConfirmForm, problem: str | None = None
) -> str:
    instrument = rater_links.instrument_of(invitation)
    summaries = rater_drafts.summarize_pages(instrument, rater_drafts.load_draft(invitation.id))
    return render_template(
        "surveys/rater/review.html",
        token=token,
        form=form,
        summaries=summaries,
        missing=sum(s.unanswered for s in summaries),
        problem=problem,
        **_about(invitation),
    )


@bp.get("/<token>/review")
def review(token: str) -> str:
    """Every page at a glance, with a way back to each, and the send button."""
    invitation = _usable(token)
    return _render_review(token, invitation, ConfirmForm())


@bp.post("/<token>/submit")
@csrf.exempt  # as above: an expired token shows the review again, and the draft is kept
def submit(token: str) -> Response | tuple[str, int]:
    """Store the draft as an anonymous answer set; a second submit finds the link used."""
    read_only()  # the checks read; SQLite's write lock is taken for the send's writes alone
    link = _usable_link(token)
    refused = confirmed()
    if refused is not None:
        return _render_review(token, rater_links.invitation_of(link), refused), 400
    start_writing()
    try:
        sending.send(link, link.instrument())
    except rater_drafts.IncompleteAnswers as problem:
        db.session.rollback()
        invitation = rater_links.invitation_of(link)
        return _render_review(token, invitation, ConfirmForm(), str(problem)), 400
    db.session.commit()
    return redirect(url_for(".thanks", token=token))


# Declining -----------------------------------------------------------------------------------


@bp.get("/<token>/decline")
def confirm_decline(token: str) -> str:
    """Asks once more before a polite no."""
    invitation = _usable(token)
    return _render_decline(token, invitation, ConfirmForm())


def _render_decline(token: str, invitation: Invitation, form: ConfirmForm) -> str:
    return render_template(
        "surveys/rater/decline.html", token=token, form=form, **_about(invitation)
    )


@bp.post("/<token>/decline")
@csrf.exempt  # the form checks its own token and shows the question again if it expired
def decline(token: str) -> Response | tuple[str, int]:
    """Counts as answered, deletes any draft, stores nothing else."""
    read_only()  # as for the send: the write lock only for the writes
    link = _usable_link(token)
    refused = confirmed()
    if refused is not None:
        return _render_decline(token, rater_links.invitation_of(link), refused), 400
    start_writing()
    sending.decline(link)
    db.session.commit()
    return redirect(url_for(".thanks", token=token))


@bp.get("/<token>/thanks")
def thanks(token: str) -> Response | str:
    """After a submit or a decline; a link still waiting for answers goes back to its intro."""
    invitation = rater_links.invitation_of(_link(token))
    if invitation.status is InvitationStatus.PENDING:
        return redirect(url_for(".start", token=token))
    return render_template(
        "surveys/rater/thanks.html",
        declined=invitation.status is InvitationStatus.DECLINED,
        **_about(invitation),
    )
