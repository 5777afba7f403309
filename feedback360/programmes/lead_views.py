"""The programme lead's pages: progress (counts only), coaches, the join link, invitations."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..columns import utcnow
from ..extensions import db
from ..web.links import external_url
from . import invitations, setup
from .access import led_programme_or_404, programmes_led
from .forms import AssignCoachForm, InviteWorkersForm, coach_choices
from .models import Member
from .progress import programme_progress

bp = Blueprint("lead", __name__, url_prefix="/lead")


@bp.get("/")
@login_required
def index() -> str:
    """The programmes this person leads."""
    return render_template("programmes/lead_index.html", programmes=programmes_led(current_user))


def _render_programme(
    programme_id: int, join_link: str | None = None, invite_form: InviteWorkersForm | None = None
) -> str:
    programme = led_programme_or_404(current_user, programme_id)
    coaches = setup.coaches_of(programme)
    form = AssignCoachForm(formdata=None)
    form.coach.choices = coach_choices(coaches)
    return render_template(
        "programmes/lead_programme.html",
        programme=programme,
        workers=programme_progress(programme),
        coaches={c.id: c.name for c in coaches},
        form=form,
        join_link=join_link,
        invite_form=invite_form or InviteWorkersForm(formdata=None),
        invited=invitations.overview(programme, utcnow()),
        invitation_days=invitations.INVITATION_DAYS,
    )


@bp.get("/<int:programme_id>")
@login_required
def programme_page(programme_id: int) -> str:
    """Per worker: rounds started, invitations sent, answers received; who has not started."""
    return _render_programme(programme_id)


@bp.post("/<int:programme_id>/join-link")
@login_required
def join_link(programme_id: int) -> str:
    """A new join link, shown once; the previous one stops working."""
    programme = led_programme_or_404(current_user, programme_id)
    token = setup.new_join_link(programme)
    db.session.commit()
    return _render_programme(programme_id, external_url("programmes.join", token=token))


@bp.post("/<int:programme_id>/workers/<int:member_id>/coach")
@login_required
def assign_coach(programme_id: int, member_id: int) -> Response:
    """Choose a worker's coach from the programme's coaches."""
    programme = led_programme_or_404(current_user, programme_id)
    member = db.session.scalar(
        select(Member).where(Member.id == member_id, Member.programme_id == programme.id)
    )
    if member is None:
        abort(404)
    form = AssignCoachForm()
    form.coach.choices = coach_choices(setup.coaches_of(programme))
    if not form.validate():
        flash("Please choose one of this programme's coaches.", "error")
        return redirect(url_for("lead.programme_page", programme_id=programme_id))
    setup.assign_coach(member, form.coach.data or None)
    db.session.commit()
    flash("Coach saved.", "success")
    return redirect(url_for("lead.programme_page", programme_id=programme_id))


@bp.post("/<int:programme_id>/invitations")
@login_required
def invite_workers(programme_id: int) -> Response | tuple[str, int]:
    """Email each address its own link to join; a bad address sends nothing and keeps the list."""
    programme = led_programme_or_404(current_user, programme_id)
    form = InviteWorkersForm()
    if form.validate():
        try:
            addresses = invitations.read_addresses(form.addresses.data)
        except setup.ProgrammeProblem as problem:
            form.addresses.errors = [problem.message]
        else:
            sent = invitations.invite(programme, addresses, utcnow())
            db.session.commit()
            flash(_sent_message(sent), "success")
            return redirect(url_for("lead.programme_page", programme_id=programme_id))
    return _render_programme(programme_id, invite_form=form), 400


def _sent_message(sent: invitations.Sent) -> str:
    parts = [f"Invitations sent: {sent.invited}."]
    if sent.renewed:
        parts.append(
            f"Sent again with a new link (the earlier one no longer works): {sent.renewed}."
        )
    if sent.members:
        parts.append(f"Already in this programme, so not invited: {sent.members}.")
    return " ".join(parts)
