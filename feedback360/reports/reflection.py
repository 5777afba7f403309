"""Thing 11: the worker's reflection and development plan, saved as drafts at will."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..extensions import db
from ..surveys.models import Round
from .models import DevelopmentPriority, Reflection

MAX_PRIORITIES = 5
TEXT_MAX = 5000
STATEMENT_MAX = 20000
# What the SSSC's badge evidence asks of a reflective statement.
STATEMENT_WORDS_ASKED = 200
PRIORITY_FIELDS = ("what", "how", "support", "by_when", "measure")


def _text(label: str, limit: int = TEXT_MAX) -> TextAreaField:
    message = f"Please keep this to {limit:,} characters."
    return TextAreaField(label, validators=[Optional(), Length(max=limit, message=message)])


class PriorityForm(Form):
    # No Optional() here: it would stop the chain before validate_what sees an empty "what".
    what = TextAreaField(
        "What I want to develop",
        validators=[Length(max=TEXT_MAX, message=f"Please keep this to {TEXT_MAX:,} characters.")],
    )
    how = _text("How I will do it")
    support = _text("Support I need")
    by_when = StringField(
        "By when",
        validators=[Optional(), Length(max=100, message="Please keep this to 100 characters.")],
    )
    measure = _text("How I will know I have done it")

    def validate_what(self, field: StringField) -> None:
        others = any((self[name].data or "").strip() for name in PRIORITY_FIELDS[1:])
        if others and not (field.data or "").strip():
            raise ValidationError("Say what you want to develop, or clear this priority.")


class ReflectionForm(FlaskForm):
    strengths = _text("My strengths")
    development_areas = _text("Areas I want to develop")
    priorities = FieldList(
        FormField(PriorityForm), min_entries=MAX_PRIORITIES, max_entries=MAX_PRIORITIES
    )
    statement = _text("My reflective statement", STATEMENT_MAX)
    include_in_pdf = BooleanField("Include my reflection and plan in the PDF and in shared links")

    def csrf_expired(self) -> bool:
        return bool(getattr(self, "csrf_token", None) is not None and self.csrf_token.errors)


@dataclass(frozen=True, slots=True)
class PriorityView:
    position: int
    what: str
    how: str
    support: str
    by_when: str
    measure: str


@dataclass(frozen=True, slots=True)
class ReflectionView:
    """Plain values for templates: never the ORM row."""

    strengths: str
    development_areas: str
    statement: str
    words: int
    priorities: tuple[PriorityView, ...]
    include_in_pdf: bool

    @property
    def is_empty(self) -> bool:
        return not (self.strengths or self.development_areas or self.statement or self.priorities)


def word_count(text: str) -> int:
    """Words as the live counter counts them: runs of non-space characters."""
    return len(text.split())


def reflection_of(round_id: int) -> Reflection | None:
    return db.session.get(Reflection, round_id)


def form_data(reflection: Reflection | None) -> dict:
    """What the form starts with: the saved draft, padded to five priority rows."""
    if reflection is None:
        return {"include_in_pdf": True}
    rows = [{name: getattr(p, name) for name in PRIORITY_FIELDS} for p in reflection.priorities]
    rows += [{} for _ in range(MAX_PRIORITIES - len(rows))]
    return {
        "strengths": reflection.strengths,
        "development_areas": reflection.development_areas,
        "statement": reflection.statement,
        "include_in_pdf": reflection.include_in_pdf,
        "priorities": rows,
    }


def save_reflection(round_: Round, form: ReflectionForm) -> Reflection:
    """Keep the draft as typed; empty priority rows are dropped and the rest renumbered."""
    reflection = reflection_of(round_.id) or Reflection(round_id=round_.id)
    db.session.add(reflection)
    reflection.strengths = (form.strengths.data or "").strip()
    reflection.development_areas = (form.development_areas.data or "").strip()
    reflection.statement = (form.statement.data or "").strip()
    reflection.include_in_pdf = bool(form.include_in_pdf.data)
    _store_priorities(reflection, [entry.data for entry in form.priorities])
    db.session.flush()
    return reflection


def _store_priorities(reflection: Reflection, rows: list[dict]) -> None:
    filled = [
        {name: (row.get(name) or "").strip() for name in PRIORITY_FIELDS}
        for row in rows
        if any((row.get(name) or "").strip() for name in PRIORITY_FIELDS)
    ][:MAX_PRIORITIES]
    existing = {p.position: p for p in reflection.priorities}
    # Update rows in place: deleting and re-adding the same (round, position) key in one flush
    # would collide, because inserts run before deletes.
    for position, values in enumerate(filled, start=1):
        priority = existing.pop(position, None) or DevelopmentPriority(position=position)
        for name, value in values.items():
            setattr(priority, name, value)
        if priority not in reflection.priorities:
            reflection.priorities.append(priority)
    for priority in existing.values():
        reflection.priorities.remove(priority)


def reflection_view(reflection: Reflection | None) -> ReflectionView | None:
    if reflection is None:
        return None
    return ReflectionView(
        strengths=reflection.strengths,
        development_areas=reflection.development_areas,
        statement=reflection.statement,
        words=word_count(reflection.statement),
        priorities=tuple(
            PriorityView(p.position, *(getattr(p, name) for name in PRIORITY_FIELDS))
            for p in reflection.priorities
        ),
        include_in_pdf=reflection.include_in_pdf,
    )


def shared_reflection(round_id: int) -> ReflectionView | None:
    """The reflection as the PDF and share links show it: only if the worker chose so."""
    view = reflection_view(reflection_of(round_id))
    if view is None or not view.include_in_pdf or view.is_empty:
        return None
    return view
