"""The worker's pages: rounds, invitations, progress, closing and leaving.

The self-assessment pages live in self_views.py; their routes are added to this blueprint below.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields import SelectChoice

from ..auth.errors import AccountError, LoginFailed, WrongPassword
from ..auth.relogin import Wording, log_in_again
from ..auth.service import authenticate
from ..auth.sessions import end_session
from ..extensions import csrf, db
from ..instruments.registry import instruments
from ..privacy.scrub import scrub_after_close
from . import closing, invite_service, progress, rounds, self_views
from .account import delete_account
from .forms import ConfirmForm
from .invite_forms import DeleteAccountForm, InvitationForm, StartRoundForm
from .models import Relationship, Round

bp = Blueprint("worker", __name__, url_prefix="/rounds")


@bp.context_processor
def _date_words() -> dict[str, object]:
    return {"long_date": invite_service.long_date, "time_and_date": invite_service.time_and_date}


@bp.context_processor
def _progress_words() -> dict[str, object]:
    return {"answers_shown_from": progress.ANSWERS_SHOWN_FROM}


def load_round(round_id: int, *, for_update: bool = False) -> Round:
    return rounds.round_or_404(current_user, round_id, for_update=for_update)


def _start_form() -> StartRoundForm:
    choices = [SelectChoice(key, instrument.title) for key, instrument in instruments().items()]
    return StartRoundForm(choices=choices)


def _resend_confirmation_url() -> str | None:
    # The auth blueprint offers this page; until it does, the dashboard just says what to do.
    if "auth.resend_confirmation" in current_app.view_functions:
        return url_for("auth.resend_confirmation")
    return None


def _render_dashboard(start_form: StartRoundForm) -> str:
    return render_template(
        "surveys/worker/dashboard.html",
        overviews=[progress.overview(r) for r in rounds.rounds_of(current_user)],
        instruments=list(instruments().values()),
        start_form=start_form,
        resend_confirmation_url=_resend_confirmation_url(),
    )


@bp.get("/")
@login_required
def dashboard() -> str:
    """The worker's rounds with the next step for each, and a way to start one."""
    return _render_dashboard(_start_form())


@bp.post("/start")
@login_required
@csrf.exempt
def start() -> Response | tuple[str, int]:
    """Open a round for the chosen instrument."""
    form = _start_form()
    if not form.validate():
        return _render_dashboard(form), 400
    try:
        round_ = rounds.start_round(current_user, instruments()[form.instrument.data])
    except rounds.RoundProblem as problem:
        form.instrument.errors.append(problem.message)
        return _render_dashboard(form), 409
    db.session.commit()
    flash("Your round has started. Begin with your self-assessment.", "success")
    return redirect(url_for("worker.round_page", round_id=round_.id))


@bp.get("/<int:round_id>")
@login_required
def round_page(round_id: int) -> str:
    """One round: self-assessment, invitations per group, answers in all (never who), closing."""
    round_ = load_round(round_id)
    return render_template(
        "surveys/worker/round.html",
        o=progress.overview(round_),
        next_reminder_at=invite_service.next_reminder_at(round_),
        report_links=_report_links(round_),
    )


REPORT_LINKS = (
    ("reports.report", "Read your report"),
    ("reports.reflection", "Reflect on it and plan your development"),
    ("reports.download", "Download the report as a PDF"),
    ("reports.share", "Share it with your manager"),
)


def _report_links(round_: Round) -> list[tuple[str, str]]:
    """Where a closed round's report lives (the reports blueprint owns those pages)."""
    if round_.is_open:
        return []
    links = [
        (url_for(endpoint, round_id=round_.id), label)
        for endpoint, label in REPORT_LINKS
        if endpoint in current_app.view_functions
    ]
    if rounds.closed_rounds(round_.user_id) >= 2 and COMPARE in current_app.view_functions:
        links.append((url_for(COMPARE, now=round_.id), "Compare it with another of your rounds"))
    return links


COMPARE = "comparison.compare_page"


def _invite_form(**kwargs: object) -> InvitationForm:
    return InvitationForm(
        allowed_domains=tuple(current_app.config["ALLOWED_EMAIL_DOMAINS"]),
        **kwargs,
    )


def _render_invite_page(round_: Round, form: InvitationForm) -> str:
    return render_template(
        "surveys/worker/invite.html",
        round_=round_,
        form=form,
        people=invite_service.invited_people(round_),
        allowed_domains=current_app.config["ALLOWED_EMAIL_DOMAINS"],
    )


@bp.get("/<int:round_id>/invite")
@login_required
def invite(round_id: int) -> str:
    """A wellbeing note, then a form for one colleague at a time and who was invited."""
    round_ = load_round(round_id)
    return _render_invite_page(round_, _invite_form())


RELOGIN = Wording(
    heading="Log in again to send the invitation",
    lead="The colleague you were inviting is kept on this page: log in and we will send the "
    "invitation straight away.",
    button="Log in and send the invitation",
)


@bp.post("/<int:round_id>/invite")
@self_views.keeps_posted_answers  # a lost login asks for the password, keeping the colleague
@csrf.exempt
def add_invitation(round_id: int) -> Response | tuple[str, int]:
    """Invite one colleague; every refusal, an old page or a lost login keep what was typed."""
    if not current_user.is_authenticated:
        return _log_in_and_invite(round_id)
    round_ = load_round(round_id)
    form = _invite_form()
    return _invite(round_, form)


def _log_in_and_invite(round_id: int) -> Response | tuple[str, int]:
    """The login ran out on the invite page: log in from a page that keeps the colleague."""
    formdata = log_in_again(RELOGIN, lambda user: rounds.round_or_404(user, round_id))
    return _invite(load_round(round_id), _invite_form(formdata=formdata))


def _invite(round_: Round, form: InvitationForm) -> Response | tuple[str, int]:
    if form.validate():
        try:
            invitation = invite_service.invite_colleague(
                round_, form.address, form.name.data, Relationship(form.relationship.data)
            )
        except rounds.RoundProblem as problem:
            form.email.errors.append(problem.message)
        else:
            held = invite_service.is_held(invitation)
            db.session.commit()
            when = " once your coach approves your list" if held else ""
            flash(f"We will email {form.address} their invitation{when}.", "success")
            return redirect(url_for("worker.invite", round_id=round_.id))
    return _render_invite_page(round_, form), 400


REMINDED = (
    "We will remind everyone who has not answered yet, apart from anyone who chose not to "
    "take part."
)


@bp.post("/<int:round_id>/remind")
@login_required
@csrf.exempt
def remind(round_id: int) -> Response:
    """Send a reminder with a fresh link to everyone who has not answered or declined yet."""
    round_ = load_round(round_id)
    if not _button_pressed():
        return redirect(url_for("worker.round_page", round_id=round_.id))
    try:
        invite_service.send_reminders(round_)
    except rounds.RoundProblem as problem:
        db.session.rollback()
        flash(problem.message, "error")
    else:
        db.session.commit()
        # The same words whoever is waiting, nobody included (docs/decisions.md, "Progress").
        flash(REMINDED, "success")
    return redirect(url_for("worker.round_page", round_id=round_.id))


@bp.post("/<int:round_id>/close")
@login_required
@csrf.exempt
def close(round_id: int) -> Response:
    """Close the round once enough colleagues have answered; the report is made now."""
    round_ = load_round(round_id, for_update=True)
    if not _button_pressed():
        return redirect(url_for("worker.round_page", round_id=round_.id))
    try:
        closing.close_round_early(round_)
    except rounds.RoundProblem as problem:
        db.session.rollback()
        flash(problem.message, "error")
    else:
        db.session.commit()
        scrub_after_close()
        flash("Your round is closed and your report is ready.", "success")
    return redirect(url_for("worker.round_page", round_id=round_id))


def _button_pressed() -> bool:
    """A button-only form: an expired token just asks for a second press, nothing is lost."""
    if ConfirmForm().validate():
        return True
    flash("This page was open for a long time, so please press the button again.", "error")
    return False


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@csrf.exempt
def delete_my_account() -> str | Response | tuple[str, int]:
    """Delete the account and everything in it, after the password is typed again."""
    form = DeleteAccountForm()
    if request.method == "GET":
        return render_template("surveys/worker/delete_account.html", form=form)
    if not form.validate():
        return render_template("surveys/worker/delete_account.html", form=form), 400
    try:
        user = authenticate(current_user.email, form.password.data, request.remote_addr or "")
    except AccountError as error:
        db.session.commit()  # the failed attempt counts towards the login throttle
        message = str(WrongPassword()) if isinstance(error, LoginFailed) else str(error)
        form.password.errors.append(message)
        return render_template("surveys/worker/delete_account.html", form=form), 400
    delete_account(user)
    db.session.commit()
    end_session()
    flash("Your account and everything in it have been deleted.", "success")
    return redirect(url_for("pages.home"))


SELF_PAGE = "/<int:round_id>/self/<int:page>"
bp.add_url_rule(SELF_PAGE, view_func=self_views.self_page, methods=["GET"])
bp.add_url_rule(SELF_PAGE, view_func=self_views.save_self_page, methods=["POST"])
