"""The programmes' forms: the operator's set-up, the lead's and coach's choices, joining."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _one_line(form: FlaskForm, field: StringField) -> None:
    if field.data and ("\r" in field.data or "\n" in field.data):
        raise ValidationError("Please keep this on one line.")


class OrganisationForm(FlaskForm):
    organisation_name = StringField(
        "Organisation name",
        filters=[_strip],
        validators=[
            InputRequired(message="Please give the organisation a name."),
            Length(max=120, message="Please keep the name under 120 characters."),
            _one_line,
        ],
    )


class ProgrammeForm(FlaskForm):
    organisation = SelectField("Organisation", coerce=int)
    programme_name = StringField(
        "Programme name",
        filters=[_strip],
        validators=[
            InputRequired(message='Please give the programme a name, e.g. "Team leaders, spring".'),
            Length(max=120, message="Please keep the name under 120 characters."),
            _one_line,
        ],
    )
    instruments = SelectMultipleField("Questionnaires offered (none chosen: all)")
    closing_minimum = IntegerField(
        "Colleagues' answers needed to close a round (leave empty for the usual number)",
        validators=[
            Optional(),
            NumberRange(min=3, max=50, message="Please give a number from 3 to 50."),
        ],
    )
    deadline = DateField("Deadline for rounds (optional)", validators=[Optional()])
    approval = BooleanField("A coach approves each worker's list of colleagues")
    release = BooleanField("A coach releases each report after a debrief")
    lead_email = EmailField(
        "Email of the programme lead",
        filters=[_strip],
        validators=[InputRequired(message="Please give the lead's email address."), _one_line],
    )


class PersonForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[_strip],
        validators=[InputRequired(message="Please give an email address."), _one_line],
    )
    role = SelectField(
        "Role", choices=[SelectChoice("coach", "Coach"), SelectChoice("lead", "Programme lead")]
    )


class AssignCoachForm(FlaskForm):
    coach = SelectField("Coach", coerce=int)


def coach_choices(coaches: list) -> list[SelectChoice]:
    return [SelectChoice(0, "No coach")] + [SelectChoice(c.id, c.name) for c in coaches]


class JoinForm(FlaskForm):
    job_role = StringField(
        "Your role (optional, e.g. Team leader)",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=60, message="Please keep your role under 60 characters."),
            _one_line,
        ],
    )


class ReturnListForm(FlaskForm):
    note = TextAreaField(
        "A note for the worker",
        filters=[_strip],
        validators=[
            DataRequired(message="Please say what you would like changed."),
            Length(max=2000, message="Please keep the note under 2,000 characters."),
        ],
    )


class InviteWorkersForm(FlaskForm):
    # No length limit the browser would enforce: a long paste stays whole, and
    # invitations.read_addresses says what is wrong with it.
    addresses = TextAreaField(
        "Email addresses of the workers to invite (one a line, or separated by commas)",
        validators=[InputRequired(message="Please give at least one email address.")],
    )
