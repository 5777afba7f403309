"""Questionnaire forms built from an instrument: one capability per page."""

from __future__ import annotations

from typing import Literal

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from wtforms import Field, RadioField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from ..instruments.model import Capability, Item, OpenQuestion, Scale

NOT_OBSERVED = "na"
COMMENT_MAX = 5000
Wording = Literal["self", "colleague"]


class AnswerPageForm(FlaskForm):
    """A page of rating items plus comment boxes.

    Radios are optional at field level so that "save and come back later" can keep a half-done
    page; `require_all` makes every item needed when the person moves on.
    """

    require_all: bool = True
    item_keys: tuple[str, ...] = ()
    comment_keys: tuple[str, ...] = ()

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        if self.require_all:
            for field in self.item_fields():
                if not field.data:
                    field.errors = [*field.errors, MISSING_ANSWER]
                    valid = False
        return valid

    def item_fields(self) -> list[Field]:
        return [self[field_name(key)] for key in self.item_keys]

    def comment_fields(self) -> list[Field]:
        return [self[comment_field_name(key)] for key in self.comment_keys]

    def scores(self) -> dict[str, int | None]:
        """Answered items only: a score, or None for "not observed"."""
        answered = {}
        for key in self.item_keys:
            raw = self[field_name(key)].data
            if raw:
                answered[key] = None if raw == NOT_OBSERVED else int(raw)
        return answered

    def comments(self) -> dict[str, str]:
        texts = {
            key: (self[comment_field_name(key)].data or "").strip() for key in self.comment_keys
        }
        return {key: text for key, text in texts.items() if text}

    def csrf_expired(self) -> bool:
        return bool(getattr(self, "csrf_token", None) is not None and self.csrf_token.errors)


MISSING_ANSWER = (
    "Choose an answer for this statement, or choose \u201cNot observed / don't know\u201d."
)


def field_name(item_key: str) -> str:
    return f"item-{item_key}"


def comment_field_name(question_key: str) -> str:
    return f"comment-{question_key}"


def make_capability_form(
    capability: Capability, scale: Scale, wording: Wording, *, require_all: bool
) -> type[AnswerPageForm]:
    """A form class for one capability's items and its comment box."""
    return _make_form(capability.items, [_comment_for(capability)], scale, wording, require_all)


def make_questions_form(
    questions: tuple[OpenQuestion, ...], wording: Wording
) -> type[AnswerPageForm]:
    """A form class for the overall open questions (no rating items)."""
    prompts = [(q.key, q.self_text if wording == "self" else q.colleague_text) for q in questions]
    return _make_form((), prompts, None, wording, require_all=False)


def _comment_for(capability: Capability) -> tuple[str, str]:
    return capability.key, capability.comment_prompt


def _make_form(
    items: tuple[Item, ...],
    prompts: list[tuple[str, str]],
    scale: Scale | None,
    wording: Wording,
    require_all: bool,
) -> type[AnswerPageForm]:
    attributes: dict[str, object] = {
        "require_all": require_all,
        "item_keys": tuple(item.key for item in items),
        "comment_keys": tuple(key for key, _ in prompts),
    }
    for item in items:
        assert scale is not None  # nosec B101  # narrows the type only
        label = item.self_text if wording == "self" else item.colleague_text
        attributes[field_name(item.key)] = RadioField(
            label, choices=_choices(scale), validators=[Optional()], validate_choice=True
        )
    for key, prompt in prompts:
        attributes[comment_field_name(key)] = TextAreaField(
            prompt,
            validators=[
                Optional(),
                Length(max=COMMENT_MAX, message=f"Please keep this to {COMMENT_MAX} characters."),
            ],
        )
    return type("AnswerPage", (AnswerPageForm,), attributes)


def _choices(scale: Scale) -> list[SelectChoice]:
    # SelectChoice, not (value, label) tuples: WTForms 3.3 deprecates tuples.
    points = [SelectChoice(str(p.value), p.label) for p in scale.points]
    return [*points, SelectChoice(NOT_OBSERVED, scale.not_observed_label)]


def initial_data(scores: dict[str, int | None], comments: dict[str, str]) -> dict[str, str]:
    """Stored answers turned back into form data, to fill a page someone returns to."""
    data = {
        field_name(key): NOT_OBSERVED if score is None else str(score)
        for key, score in scores.items()
    }
    data.update({comment_field_name(key): text for key, text in comments.items()})
    return data


class ConfirmForm(FlaskForm):
    """A button and its CSRF token, for steps whose answers are already saved (send, decline)."""


def confirmed() -> ConfirmForm | None:
    """None when the posted token is good; otherwise the form, with its error, to show again.

    The token is checked first without building the form, which costs more than the token's
    own check on the busiest post there is, a colleague's send (issue 7).
    """
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        form = ConfirmForm()
        form.validate()
        return form
    return None
