"""The self-assessment pages: one capability per page, save and continue or save for later.

Routes are added to the worker blueprint in worker_views.py. The POST views are exempt from the
global CSRF check so that the form's own check can send an expired page back with every answer.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..auth.relogin import Wording, log_in_again
from ..extensions import csrf, db
from ..instruments.model import Instrument
from . import rounds
from .forms import AnswerPageForm, initial_data, make_capability_form, make_questions_form
from .models import Round


def page_count(instrument: Instrument) -> int:
    """A page per capability, then one for the overall questions if the instrument has them."""
    return len(instrument.capabilities) + (1 if instrument.questions else 0)


def _form_class(instrument: Instrument, page: int, *, require_all: bool) -> type[AnswerPageForm]:
    capability = rounds.capability_page(instrument, page)
    if capability is not None:
        return make_capability_form(capability, instrument.scale, "self", require_all=require_all)
    if page == len(instrument.capabilities) + 1 and instrument.questions:
        return make_questions_form(instrument.questions, "self")
    abort(404)


@login_required
def self_page(round_id: int, page: int) -> str | Response:
    """One page of the self-assessment, showing what was saved before."""
    round_ = rounds.round_or_404(current_user, round_id)
    if not round_.is_open:
        return _closed(round_)
    instrument = rounds.round_instrument(round_)
    form_class = _form_class(instrument, page, require_all=True)
    form = form_class(data=initial_data(*rounds.self_answers(round_)))
    return _render_page(round_, instrument, page, form)


def keeps_posted_answers(view: Callable[..., object]) -> Callable[..., object]:
    """Ask sessions.enforce_session_limits to let an expired session's POST reach this view."""
    view.keeps_posted_answers = True  # type: ignore[attr-defined]
    return view


RELOGIN = Wording(
    heading="Log in again to save your answers",
    lead="Your answers are kept on this page: log in and we will save them straight away.",
    button="Log in and save my answers",
)


@keeps_posted_answers
@csrf.exempt
def save_self_page(round_id: int, page: int) -> str | Response | tuple[str, int]:
    """Save one page; a lost login sends the answers to a log-in page that keeps them."""
    formdata = request.form
    if not current_user.is_authenticated:
        formdata = log_in_again(RELOGIN, lambda user: rounds.round_or_404(user, round_id))
    return _save(rounds.round_or_404(current_user, round_id), page, formdata)


def _save(round_: Round, page: int, formdata: MultiDict) -> str | Response | tuple[str, int]:
    if not round_.is_open:
        return _closed(round_)
    instrument = rounds.round_instrument(round_)
    action = formdata.get("action", "continue")
    # Only moving on needs every statement answered; leaving keeps a half-done page.
    form = _form_class(instrument, page, require_all=action == "continue")(formdata=formdata)
    if not form.validate():
        return _render_page(round_, instrument, page, form), 400
    rounds.save_self_page(round_, form.item_keys, form.comment_keys, form.scores(), form.comments())
    db.session.commit()
    return _after_save(round_, instrument, page, action)


def _after_save(round_: Round, instrument: Instrument, page: int, action: str) -> Response:
    round_url = url_for("worker.round_page", round_id=round_.id)
    if action == "back" and page > 1:
        return redirect(url_for("worker.self_page", round_id=round_.id, page=page - 1))
    if action != "continue":
        flash(
            "Your answers are saved. You can come back and change them until the round closes.",
            "success",
        )
        return redirect(round_url)
    if page < page_count(instrument):
        return redirect(url_for("worker.self_page", round_id=round_.id, page=page + 1))
    progress = rounds.self_progress(round_, instrument)
    if progress.complete:
        flash(
            "Thank you: your self-assessment is complete. You can still change it until the "
            "round closes.",
            "success",
        )
    else:
        flash(
            f"Your answers are saved. {progress.total - progress.answered} statements still "
            "need an answer; the pages still to finish are marked below.",
            "info",
        )
    return redirect(round_url)


def _closed(round_: Round) -> Response:
    flash("This round is closed, so your self-assessment can no longer be changed.", "info")
    return redirect(url_for("worker.round_page", round_id=round_.id))


def _render_page(round_: Round, instrument: Instrument, page: int, form: AnswerPageForm) -> str:
    capability = rounds.capability_page(instrument, page)
    return render_template(
        "surveys/worker/self_page.html",
        round_=round_,
        instrument=instrument,
        page=page,
        total=page_count(instrument),
        capability=capability,
        form=form,
        first_number=rounds.first_item_number(instrument, page) if capability else 1,
    )
