"""The worker's own forms: starting a round, inviting a colleague, logging in again, leaving."""

from __future__ import annotations

from email_validator import EmailNotValidError
from email_validator import validate_email as parse_email_address
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from .models import COLLEAGUE_RELATIONSHIPS

NAME_MAX = 100
EMAIL_MAX = 254


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def refuse_line_breaks(value: str | None, message: str) -> None:
    if value and ("\r" in value or "\n" in value):
        raise ValidationError(message)


class StartRoundForm(FlaskForm):
    instrument = RadioField(
        "Which questionnaire fits your role?",
        validators=[InputRequired(message="Choose the questionnaire that fits your role.")],
        validate_choice=True,
        invalid_choice_message="Choose one of the questionnaires listed.",
    )

    def __init__(self, *args: object, choices: list[SelectChoice], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instrument.choices = choices


class InvitationForm(FlaskForm):
    email = EmailField(
        "Their email address",
        validators=[
            InputRequired(message="Enter their email address."),
            Length(max=EMAIL_MAX, message=f"An email address has at most {EMAIL_MAX} characters."),
        ],
    )
    name = StringField(
        "Their name (optional)",
        filters=[_strip],
        validators=[
            Optional(),
            Length(
                max=NAME_MAX, message=f"Please keep the name to {NAME_MAX} characters or fewer."
            ),
        ],
    )
    relationship = RadioField(
        "How do they know your work?",
        choices=[SelectChoice(r.value, r.label) for r in COLLEAGUE_RELATIONSHIPS],
        validators=[InputRequired(message="Choose how this person knows your work.")],
        validate_choice=True,
        invalid_choice_message="Choose one of the relationships listed.",
    )

    def __init__(self, *args: object, allowed_domains: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = allowed_domains
        # The parsed address to invite; the field keeps what was typed for the page.
        self.address = ""

    def validate_email(self, field: EmailField) -> None:
        refuse_line_breaks(field.data, "An email address cannot contain line breaks.")
        try:
            parsed = parse_email_address(field.data.strip(), check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(
                "Enter an email address in the right form, like name@example.org."
            ) from None
        if not domain_allowed(parsed.domain.lower(), self.allowed_domains):
            raise ValidationError(
                "You can only invite colleagues with an email address at "
                f"{_or_list(self.allowed_domains)}."
            )
        # The worker's own address, under any spelling, is refused by invite_colleague.
        self.address = parsed.normalized.lower()

    def validate_name(self, field: StringField) -> None:
        refuse_line_breaks(field.data, "Names cannot contain line breaks.")


def domain_allowed(domain: str, allowed: tuple[str, ...]) -> bool:
    """No list allows any domain; a listed domain also allows its subdomains (a.council.gov.uk)."""
    if not allowed:
        return True
    return any(domain == d or domain.endswith("." + d) for d in allowed)


def _or_list(domains: tuple[str, ...]) -> str:
    if len(domains) == 1:
        return domains[0]
    return ", ".join(domains[:-1]) + " or " + domains[-1]


class ReloginForm(FlaskForm):
    email = EmailField("Email address", validators=[InputRequired(message="Enter your email.")])
    password = PasswordField("Password", validators=[InputRequired(message="Enter your password.")])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[InputRequired(message="Enter your password to confirm.")],
    )
