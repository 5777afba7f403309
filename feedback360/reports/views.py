"""The report pages: the worker's report, PDF, reflection, share links, and the shared view."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from ..auth.relogin import Wording, log_in_again
from ..extensions import csrf, db
from ..programmes import gates as programmes
from ..surveys.models import RELATIONSHIP_LABELS, Relationship, Round
from ..surveys.rounds import round_or_404
from ..surveys.self_views import keeps_posted_answers
from ..web.links import external_url
from . import documents, reflection, rendering, sharing
from .bidi import text_direction
from .charts import ordered_by_indicator
from .models import ShareLink
from .reasons import HELD_NOTE
from .report import Report
from .summary import summary_of

bp = Blueprint("reports", __name__, url_prefix="/reports")
NEW_LINK_KEY = "reports.new_share_link"
# How often the "being made" page asks again: a PDF takes a few seconds to make.
PDF_CHECK_SECONDS = 5


@bp.app_template_filter("report_date")
def report_date(value: str) -> str:
    """An ISO date as people write it: 5 January 2026."""
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


@bp.app_template_filter("relationship_label")
def relationship_label(value: str) -> str:
    return RELATIONSHIP_LABELS[Relationship(value)]


bp.add_app_template_filter(text_direction, "text_dir")
bp.add_app_template_filter(summary_of, "report_summary")
bp.add_app_template_filter(ordered_by_indicator, "by_indicator")
bp.add_app_template_global(reflection.STATEMENT_WORDS_ASKED, "statement_words_asked")
bp.add_app_template_global(HELD_NOTE, "held_over_time_note")


@bp.errorhandler(sharing.ShareLinkProblem)
def share_link_problem(problem: sharing.ShareLinkProblem) -> tuple[str, int]:
    return render_template("reports/link_unusable.html", message=problem.message), problem.status


def _own_round(round_id: int) -> Round:
    """The current worker's round; another worker's round is not found."""
    return round_or_404(current_user, round_id)


class ReportWaiting(Exception):
    """The programme shows reports after a debrief, and the coach has not released this one."""


@bp.errorhandler(ReportWaiting)
def report_waiting(_waiting: ReportWaiting) -> str:
    return render_template("programmes/report_waiting.html")


def _require_released(round_: Round) -> None:
    if programmes.report_waiting(round_):
        raise ReportWaiting()


def _report(round_: Round) -> Report:
    _require_released(round_)
    try:
        return documents.kept_report(round_.id)
    except documents.NoReport:
        abort(404)


def _pdf_response(round_: Round, pdf: bytes) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    name = documents.pdf_file_name(round_)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:round_id>")
@login_required
def report(round_id: int) -> str:
    """The worker's own report, as kept when the round closed."""
    round_ = _own_round(round_id)
    if round_.is_open:
        return render_template("reports/not_ready.html", round_id=round_id)
    kept = _report(round_)
    saved = reflection.reflection_view(reflection.reflection_of(round_id))
    return render_template(
        "reports/report.html",
        report=kept,
        charts=documents.charts_for(kept),
        reflection=None if saved is None or saved.is_empty else saved,
        reflection_started=saved is not None and not saved.is_empty,
        pdf_has_reflection=reflection.shared_reflection(round_id) is not None,
        round_id=round_id,
    )


def _kept_pdf(round_id: int) -> bytes | None:
    """The round's PDF as its reader may download it, or None while it is being made."""
    wait = current_app.config["PDF_RENDER_WAIT_SECONDS"]
    try:
        pdf = rendering.download_pdf(round_id, reflection.shared_reflection(round_id), wait)
    except documents.NoReport:
        abort(404)
    db.session.commit()
    return pdf


def _being_made(back: str) -> tuple[str, int, dict[str, str]]:
    """202 and a page that asks again by itself every few seconds, unless told not to."""
    checking = request.args.get("auto") != "no"
    page = render_template(
        "reports/pdf_being_made.html",
        checking=checking,
        seconds=PDF_CHECK_SECONDS,
        again=request.path,
        back=back,
    )
    headers = {"Cache-Control": "no-store", "Retry-After": str(PDF_CHECK_SECONDS)}
    return page, 202, headers


@bp.get("/<int:round_id>.pdf")
@login_required
def download(round_id: int) -> Response | tuple[str, int, dict[str, str]]:
    """The PDF, with the reflection if the worker chose to include it."""
    round_ = _own_round(round_id)
    _require_released(round_)
    pdf = _kept_pdf(round_id)
    if pdf is None:
        return _being_made(url_for("reports.report", round_id=round_id))
    return _pdf_response(round_, pdf)


def _render_reflection(
    round_id: int, form: reflection.ReflectionForm, expired: bool = False
) -> str:
    words = reflection.word_count(form.statement.data or "")
    return render_template(
        "reports/reflection.html",
        form=form,
        round_id=round_id,
        words=words,
        words_asked=reflection.STATEMENT_WORDS_ASKED,
        csrf_expired=expired,
    )


@bp.get("/<int:round_id>/reflection", endpoint="reflection")
@login_required
def reflection_page(round_id: int) -> str:
    """The Thing 11 reflection and plan, with the saved draft."""
    _report(_own_round(round_id))
    saved = reflection.reflection_of(round_id)
    form = reflection.ReflectionForm(data=reflection.form_data(saved))
    return _render_reflection(round_id, form)


RELOGIN = Wording(
    heading="Log in again to save your reflection",
    lead="Everything you wrote is kept on this page: log in and we will save it straight away.",
    button="Log in and save my reflection",
)


@bp.post("/<int:round_id>/reflection", endpoint="save_reflection")
@keeps_posted_answers  # a lost login asks for the password on a page that keeps the draft
@csrf.exempt  # the form checks its own token, so an expired one keeps what was typed
def save_reflection(round_id: int) -> Response | tuple[str, int]:
    """Save the draft as typed; problems, an old page or a lost login keep everything."""
    if not current_user.is_authenticated:
        return _log_in_and_save(round_id)
    round_ = _own_round(round_id)
    _report(round_)
    form = reflection.ReflectionForm()
    return _save_draft(round_, form)


def _log_in_and_save(round_id: int) -> Response | tuple[str, int]:
    """The login ran out while writing: log in from a page that keeps the draft, then save it."""
    formdata = log_in_again(RELOGIN, lambda user: _report(round_or_404(user, round_id)))
    return _save_draft(_own_round(round_id), reflection.ReflectionForm(formdata=formdata))


def _save_draft(round_: Round, form: reflection.ReflectionForm) -> Response | tuple[str, int]:
    if not form.validate():
        return _render_reflection(round_.id, form, form.csrf_expired()), 400
    reflection.save_reflection(round_, form)
    db.session.commit()
    flash("Your reflection is saved.", "success")
    return redirect(url_for("reports.reflection", round_id=round_.id))


@bp.get("/<int:round_id>/share")
@login_required
def share(round_id: int) -> str:
    """The worker's share links, and a new one shown once."""
    round_ = _own_round(round_id)
    _report(round_)
    new_token = session.pop(NEW_LINK_KEY, None)
    return render_template(
        "reports/share.html",
        round_id=round_id,
        links=sharing.link_rows(round_),
        new_link=external_url("reports.shared", token=new_token) if new_token else None,
        days=current_app.config["SHARE_LINK_DAYS"],
        pdf_has_reflection=reflection.shared_reflection(round_id) is not None,
    )


@bp.post("/<int:round_id>/share")
@login_required
def create_share_link(round_id: int) -> Response:
    round_ = _own_round(round_id)
    _report(round_)
    _, token = sharing.create_share_link(round_)
    db.session.commit()
    # The worker's own signed cookie carries the token to the next page, once.
    session[NEW_LINK_KEY] = token
    return redirect(url_for("reports.share", round_id=round_id))


@bp.post("/<int:round_id>/share/<int:link_id>/revoke")
@login_required
def revoke_share_link(round_id: int, link_id: int) -> Response:
    link = sharing.link_of(_own_round(round_id), link_id)
    if link is None:
        abort(404)
    sharing.revoke(link)
    db.session.commit()
    flash("The link is withdrawn: it no longer opens your report.", "success")
    return redirect(url_for("reports.share", round_id=round_id))


def _shared_link(token: str) -> ShareLink:
    limit = current_app.config["TOKEN_ATTEMPTS_PER_ADDRESS"]
    try:
        return sharing.open_share_link(token, request.remote_addr or "", limit)
    except sharing.UnknownShareLink:
        db.session.commit()  # the guess counts even though the page is an error
        raise


@bp.get("/shared/<token>")
def shared(token: str) -> str:
    """A manager's read-only view: what the PDF shows, no login."""
    link = _shared_link(token)
    kept = documents.kept_report(link.round_id)
    return render_template(
        "reports/shared.html",
        report=kept,
        charts=documents.charts_for(kept),
        reflection=reflection.shared_reflection(link.round_id),
        token=token,
        expires_on=link.expires_at.date().isoformat(),
    )


@bp.get("/shared/<token>.pdf")
def shared_pdf(token: str) -> Response | tuple[str, int, dict[str, str]]:
    link = _shared_link(token)
    pdf = _kept_pdf(link.round_id)
    if pdf is None:
        return _being_made(url_for("reports.shared", token=token))
    return _pdf_response(db.session.get_one(Round, link.round_id), pdf)
