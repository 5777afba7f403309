"""The operator's admin pages: organisations, programmes, their leads and coaches."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields import SelectChoice

from ..extensions import db
from ..instruments.registry import instruments
from . import setup
from .access import require_operator
from .forms import OrganisationForm, PersonForm, ProgrammeForm
from .models import Organisation, Programme

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _operators_only() -> None:
    # Everyone else, signed in or not, finds no admin pages at all.
    require_operator(current_user)


def _programme_form(**kwargs: object) -> ProgrammeForm:
    form = ProgrammeForm(**kwargs)
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    form.instruments.choices = [SelectChoice(key, i.title) for key, i in instruments().items()]
    return form


def _render(status: int = 200, **forms: object) -> tuple[str, int]:
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    page = render_template(
        "programmes/admin.html",
        organisations=organisations,
        organisation_form=forms.get("organisation_form") or OrganisationForm(formdata=None),
        programme_form=forms.get("programme_form") or _programme_form(formdata=None),
        person_form=forms.get("person_form") or PersonForm(formdata=None),
        join_link=forms.get("join_link"),
        person_programme=forms.get("person_programme"),
    )
    return page, status


@bp.get("/")
def index() -> tuple[str, int]:
    """Every organisation and its programmes."""
    return _render()


@bp.post("/organisations")
def add_organisation() -> Response | tuple[str, int]:
    """Create an organisation."""
    form = OrganisationForm()
    if not form.validate():
        return _render(400, organisation_form=form)
    try:
        setup.create_organisation(form.organisation_name.data)
    except setup.ProgrammeProblem as problem:
        form.organisation_name.errors = [problem.message]
        return _render(400, organisation_form=form)
    db.session.commit()
    flash(f"Created the organisation {form.organisation_name.data}.", "success")
    return redirect(url_for("admin.index"))


@bp.post("/programmes")
def add_programme() -> Response | tuple[str, int]:
    """Create a programme with its lead; its join link is shown once."""
    form = _programme_form()
    if not form.validate():
        return _render(400, programme_form=form)
    try:
        programme = setup.create_programme(
            db.get_or_404(Organisation, form.organisation.data),
            form.programme_name.data,
            instrument_keys=list(form.instruments.data or []),
            closing_minimum=form.closing_minimum.data,
            deadline_at=_end_of(form.deadline.data),
            approval_required=form.approval.data,
            release_after_debrief=form.release.data,
        )
        setup.add_lead(programme, form.lead_email.data)
        token = setup.new_join_link(programme)
    except setup.ProgrammeProblem as problem:
        db.session.rollback()
        form.lead_email.errors = [problem.message]
        return _render(400, programme_form=form)
    db.session.commit()
    return _render(join_link=url_for("programmes.join", token=token, _external=False))


def _end_of(day: dt.date | None) -> dt.datetime | None:
    """A deadline day lasts until its evening."""
    return None if day is None else dt.datetime.combine(day, dt.time(23, 59))


@bp.post("/programmes/<int:programme_id>/people")
def add_person(programme_id: int) -> Response | tuple[str, int]:
    """Add a coach or a lead to a programme."""
    programme = db.get_or_404(Programme, programme_id)
    form = PersonForm()
    if not form.validate():
        return _render(400, person_form=form, person_programme=programme.id)
    add = setup.add_coach if form.role.data == "coach" else setup.add_lead
    try:
        add(programme, form.email.data)
    except setup.ProgrammeProblem as problem:
        form.email.errors = [problem.message]
        return _render(400, person_form=form, person_programme=programme.id)
    db.session.commit()
    flash(f"Added {form.email.data} to {programme.name}.", "success")
    return redirect(url_for("admin.index"))
