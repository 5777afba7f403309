"""Account forms: every field checks itself and says what to change."""

from __future__ import annotations

import unicodedata
from typing import Any

import email_validator
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, ValidationError

from ..web.validators import MaxLength
from .passwords import password_problem

EMAIL_HELP = "Enter your email address in the right form, like name@example.org."


def normal_email(text: str) -> str:
    """The address as stored: checked, normalised, lower-case. Raises ValueError if unusable."""
    try:
        checked = email_validator.validate_email(text, check_deliverability=False)
    except email_validator.EmailNotValidError as error:
        raise ValueError(EMAIL_HELP) from error
    return checked.normalized.lower()


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _email_field() -> StringField:
    return StringField(
        "Email address", filters=[_strip], validators=[InputRequired("Enter your email address.")]
    )


def _check_email(_form: FlaskForm, field: Field) -> None:
    try:
        field.data = normal_email(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from error


def _check_new_password(_form: FlaskForm, field: Field) -> None:
    problem = password_problem(field.data)
    if problem:
        raise ValidationError(problem)


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(label, validators=[InputRequired("Enter a password.")])


def _confirm_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired("Type your password a second time."),
            EqualTo("password", "The two passwords are not the same. Please type them again."),
        ],
    )


class RegisterForm(FlaskForm):
    name = StringField(
        "Your name",
        filters=[_strip],
        validators=[
            InputRequired("Enter your name."),
            MaxLength(100, "Your name can have at most 100 characters."),
        ],
    )
    email = _email_field()
    password = _new_password_field("Choose a password")
    confirm = _confirm_field("Type the password again")

    validate_email = _check_email
    validate_password = _check_new_password

    def validate_name(self, field: Field) -> None:
        # Control characters (line breaks above all) have no place in a name that goes into email.
        if any(unicodedata.category(char) == "Cc" for char in field.data):
            raise ValidationError("Please write your name on one line, without line breaks.")


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])

    validate_email = _check_email


class ForgotPasswordForm(FlaskForm):
    email = _email_field()

    validate_email = _check_email


class ResetPasswordForm(FlaskForm):
    password = _new_password_field("New password")
    confirm = _confirm_field("Type the new password again")

    validate_password = _check_new_password


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password.")]
    )
    password = _new_password_field("New password")
    confirm = _confirm_field("Type the new password again")

    validate_password = _check_new_password


class ButtonForm(FlaskForm):
    """A form that is only a button: its CSRF token is all it carries."""
