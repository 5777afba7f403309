"""What badge evidence holds: the parts of a reflection the worker wrote, and what is missing."""

from __future__ import annotations

from dataclasses import dataclass

from ..reports.reflection import (
    STATEMENT_WORDS_ASKED,
    ReflectionView,
    reflection_of,
    reflection_view,
    word_count,
)

NAME = "Thing 4 and Thing 11: my leadership feedback, my reflection and my development plan"
DESCRIPTION = (
    "Written by the learner: a reflection on feedback about their leadership from people who"
    " know their work, their strengths and areas for development, and their development plan."
)
GENRE = "Reflective statement"
PRIORITY_PARTS = (
    ("how", "How I will do it"),
    ("support", "Support I need"),
    ("by_when", "By when"),
    ("measure", "How I will know I have done it"),
)


@dataclass(frozen=True, slots=True)
class Part:
    """One heading of the evidence and the worker's words under it."""

    heading: str
    text: str
    level: int = 2  # 2 a section, 3 a priority in the plan, 4 one of the priority's details


@dataclass(frozen=True, slots=True)
class Evidence:
    """The evidence as plain values: an id, a name, and the worker's words in order."""

    id: str  # a urn:uuid
    name: str
    parts: tuple[Part, ...]

    @property
    def words(self) -> int:
        """The worker's own words; headings and labels are not theirs, so they do not count."""
        return sum(word_count(part.text) for part in self.parts)


def evidence_of(view: ReflectionView, evidence_id: str) -> Evidence:
    """The reflection as evidence: statement first, then strengths, areas and the plan."""
    sections = (
        Part("My reflective statement", view.statement),
        Part("My strengths", view.strengths),
        Part("Areas I want to develop", view.development_areas),
    )
    parts = [part for part in sections if part.text]
    if view.priorities:
        parts.append(Part("My development plan", ""))
    for priority in view.priorities:
        parts.append(Part(f"Priority {priority.position}", priority.what, level=3))
        parts += [
            Part(label, getattr(priority, name), level=4)
            for name, label in PRIORITY_PARTS
            if getattr(priority, name)
        ]
    return Evidence(f"urn:uuid:{evidence_id}", NAME, tuple(parts))


def missing_from(view: ReflectionView, evidence: Evidence) -> tuple[str, ...]:
    """What the SSSC asks for that the evidence does not have yet, in plain words."""
    missing = []
    if evidence.words < STATEMENT_WORDS_ASKED:
        short = STATEMENT_WORDS_ASKED - evidence.words
        missing.append(
            f"At least {STATEMENT_WORDS_ASKED} words of your own: {short} more"
            f" {'word' if short == 1 else 'words'} to go."
        )
    if not view.statement:
        missing.append(
            "A reflective statement: what your feedback told you and what you will do with it."
        )
    if not view.strengths:
        missing.append("Your strengths, across the six leadership capabilities.")
    if not view.development_areas:
        missing.append("The areas you want to develop.")
    if not view.priorities:
        missing.append("A plan: at least one development priority.")
    return tuple(missing)


def saved_evidence(round_id: int) -> tuple[ReflectionView, Evidence] | None:
    """The saved reflection and its evidence; None while nothing has been written."""
    saved = reflection_of(round_id)
    view = reflection_view(saved)
    if saved is None or view is None or view.is_empty:
        return None
    return view, evidence_of(view, saved.evidence_id)
