"""The worker's side of a programme: joining it from a link, their list and their report."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from ..columns import utcnow
from ..extensions import db
from ..surveys.models import Round
from ..surveys.rounds import round_or_404
from . import approval, gates, invitations, setup
from .access import roles_of
from .forms import JoinForm
from .models import Programme, ProgrammeRound

bp = Blueprint("programmes", __name__, url_prefix="/programme")


@bp.app_template_global("programme_round_of")
def programme_round_of(round_id: int) -> ProgrammeRound | None:
    return gates.programme_round(round_id)


@bp.app_template_global("programme_roles")
def programme_roles() -> set[str]:
    """Which programme pages the signed-in person has: for the dashboard's links."""
    return roles_of(current_user)


def _programme(token: str) -> Programme:
    programme = setup.programme_for_join(token)
    if programme is None:
        abort(404)
    return programme


@bp.get("/join/<token>")
@login_required
def join(token: str) -> str:
    """What joining means, and a button; opening the link changes nothing."""
    return render_template(
        "programmes/join.html",
        programme=_programme(token),
        form=JoinForm(formdata=None),
        action=url_for("programmes.join_programme", token=token),
    )


@bp.post("/join/<token>")
@login_required
def join_programme(token: str) -> Response | tuple[str, int]:
    """Join the programme; the worker's rounds and reports stay their own."""
    programme = _programme(token)
    form = JoinForm()
    if form.validate():
        try:
            setup.join(current_user, programme, form.job_role.data)
        except setup.ProgrammeProblem as problem:
            form.job_role.errors = [problem.message]
        else:
            db.session.commit()
            flash(f"You have joined {programme.name}.", "success")
            return redirect(url_for("worker.dashboard"))
    action = url_for("programmes.join_programme", token=token)
    return render_template(
        "programmes/join.html", programme=programme, form=form, action=action
    ), 400


NO_INVITATION = (
    "This invitation link does not work any more: it has been used, or it has expired. "
    "Please ask your programme lead to invite you again."
)


def _invitation_or_404(token: str) -> invitations.ProgrammeInvitation:
    limit = current_app.config["TOKEN_ATTEMPTS_PER_ADDRESS"]
    try:
        found = invitations.open_invitation(token, request.remote_addr or "", limit, utcnow())
    except invitations.TooManyGuesses as problem:
        abort(_problem_page("Please wait a while", problem.message, 429))
    if found is None:
        db.session.commit()  # the failed try counts even though the page is an error
        abort(_problem_page("This invitation no longer works", NO_INVITATION, 404))
    return found


def _problem_page(title: str, advice: str, code: int) -> Response:
    page = render_template("errors/error.html", code=code, title=title, advice=advice)
    return make_response(page, code)


@bp.get("/invitation/<token>")
@login_required
def invitation(token: str) -> str:
    """The emailed invitation: what joining means, and a button; opening it changes nothing."""
    found = _invitation_or_404(token)
    return render_template(
        "programmes/join.html",
        programme=found.programme,
        form=JoinForm(formdata=None),
        action=url_for("programmes.accept_invitation", token=token),
    )


@bp.post("/invitation/<token>")
@login_required
def accept_invitation(token: str) -> Response | tuple[str, int]:
    """Join through the emailed link; the link is spent and the address forgotten."""
    found = _invitation_or_404(token)
    programme = found.programme
    form = JoinForm()
    if form.validate():
        try:
            invitations.accept(found, current_user, form.job_role.data, utcnow())
        except setup.ProgrammeProblem as problem:
            db.session.rollback()
            form.job_role.errors = [problem.message]
        else:
            db.session.commit()
            flash(f"You have joined {programme.name}.", "success")
            return redirect(url_for("worker.dashboard"))
    action = url_for("programmes.accept_invitation", token=token)
    return render_template(
        "programmes/join.html", programme=programme, form=form, action=action
    ), 400


def _programme_round(round_id: int) -> tuple[Round, ProgrammeRound]:
    round_ = round_or_404(current_user, round_id)
    entry = gates.programme_round(round_.id)
    if entry is None:
        abort(404)
    return round_, entry


@bp.get("/rounds/<int:round_id>")
@login_required
def round_page(round_id: int) -> str:
    """Where the worker's list and report stand with their coach."""
    round_, entry = _programme_round(round_id)
    return render_template(
        "programmes/round.html",
        round=round_,
        entry=entry,
        waiting=len(gates.held_ids(round_id)),
        report_waiting=gates.report_waiting(round_),
        form=JoinForm(formdata=None),
    )


@bp.post("/rounds/<int:round_id>/submit")
@login_required
def submit_list(round_id: int) -> Response:
    """Send the list of colleagues to the coach for approval."""
    round_, entry = _programme_round(round_id)
    try:
        approval.submit_list(entry, round_)
    except setup.ProgrammeProblem as problem:
        db.session.rollback()
        flash(problem.message, "error")
    else:
        db.session.commit()
        flash("Your list is with your coach. You will get an email when they reply.", "success")
    return redirect(url_for("programmes.round_page", round_id=round_id))


@bp.post("/rounds/<int:round_id>/coach-may-read")
@login_required
def let_coach_read(round_id: int) -> Response:
    """The worker agrees that their coach may read the report before the debrief."""
    _, entry = _programme_round(round_id)
    entry.coach_may_read = True
    db.session.commit()
    flash("Your coach can now read your report.", "success")
    return redirect(url_for("programmes.round_page", round_id=round_id))
