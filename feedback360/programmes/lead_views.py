"""The programme lead's pages: progress (counts only), coaches, the join link."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..web.links import external_url
from . import setup
from .access import led_programme_or_404, programmes_led
from .forms import AssignCoachForm, coach_choices
from .models import Member
from .progress import programme_progress

bp = Blueprint("lead", __name__, url_prefix="/lead")


@bp.get("/")
@login_required
def index() -> str:
    """The programmes this person leads."""
    return render_template("programmes/lead_index.html", programmes=programmes_led(current_user))


def _render_programme(programme_id: int, join_link: str | None = None) -> str:
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
