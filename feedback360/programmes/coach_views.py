"""The coach's pages: the workers they coach, their lists of colleagues, releasing reports.

A coach sees names, addresses and relationships, never an answer.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..surveys.models import Round
from . import approval
from .access import coached_member_or_404, coached_round_or_404, members_coached
from .forms import ReturnListForm
from .models import ProgrammeRound
from .setup import ProgrammeProblem

bp = Blueprint("coach", __name__, url_prefix="/coach")


@bp.get("/")
@login_required
def index() -> str:
    """The workers this person coaches, and each one's rounds in the programme."""
    members = members_coached(current_user)
    rounds = {
        member.id: db.session.execute(
            select(ProgrammeRound, Round)
            .join(Round, Round.id == ProgrammeRound.round_id)
            .where(
                ProgrammeRound.programme_id == member.programme_id,
                Round.user_id == member.user_id,
            )
            .order_by(Round.id.desc())
        ).all()
        for member in members
    }
    return render_template("programmes/coach_index.html", members=members, rounds=rounds)


def _render_round(member_id: int, round_id: int, form: ReturnListForm | None = None) -> str:
    member = coached_member_or_404(current_user, member_id)
    entry = coached_round_or_404(current_user, member, round_id)
    return render_template(
        "programmes/coach_round.html",
        member=member,
        entry=entry,
        round=db.session.get(Round, round_id),
        colleagues=approval.colleague_list(round_id),
        form=form or ReturnListForm(formdata=None),
    )


@bp.get("/workers/<int:member_id>/rounds/<int:round_id>")
@login_required
def round_page(member_id: int, round_id: int) -> str:
    """The worker's list of colleagues, to approve or return; the release button."""
    return _render_round(member_id, round_id)


def _act(member_id: int, round_id: int, action: str, note: str | None = None) -> Response:
    member = coached_member_or_404(current_user, member_id)
    entry = coached_round_or_404(current_user, member, round_id)
    round_ = db.session.get(Round, round_id)
    try:
        if action == "approve":
            sent = approval.approve_list(entry, round_)
            message = f"Approved: {sent} invitation{'' if sent == 1 else 's'} on the way."
        elif action == "return":
            approval.return_list(entry, round_, note or "")
            message = "Returned to the worker with your note."
        else:
            approval.release_report(entry, round_)
            message = "Released: the worker can read their report now."
    except ProgrammeProblem as problem:
        db.session.rollback()
        flash(problem.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("coach.round_page", member_id=member_id, round_id=round_id))


@bp.post("/workers/<int:member_id>/rounds/<int:round_id>/approve")
@login_required
def approve(member_id: int, round_id: int) -> Response:
    """Approve the list: every held invitation is sent."""
    return _act(member_id, round_id, "approve")


@bp.post("/workers/<int:member_id>/rounds/<int:round_id>/return")
@login_required
def return_list(member_id: int, round_id: int) -> Response | tuple[str, int]:
    """Return the list with a note; nothing is sent."""
    coached_round_or_404(current_user, coached_member_or_404(current_user, member_id), round_id)
    form = ReturnListForm()
    if not form.validate():
        return _render_round(member_id, round_id, form), 400
    return _act(member_id, round_id, "return", form.note.data)


@bp.get("/workers/<int:member_id>/rounds/<int:round_id>/report.pdf")
@login_required
def report_pdf(member_id: int, round_id: int) -> Response:
    """The worker's report, only once they have agreed and the round has closed."""
    from ..reports import documents

    entry = coached_round_or_404(
        current_user, coached_member_or_404(current_user, member_id), round_id
    )
    round_ = db.session.get(Round, round_id)
    if not entry.coach_may_read or round_.is_open:
        abort(404)
    pdf = documents.render_report_pdf(documents.kept_report(round_id), None)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="report-{round_id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/workers/<int:member_id>/rounds/<int:round_id>/release")
@login_required
def release(member_id: int, round_id: int) -> Response:
    """After the debrief: the worker may read their report."""
    return _act(member_id, round_id, "release")
