"""The worker's own reflection, checked before it goes into a PDF, a share link or a badge.

Colleagues answered anonymously, and badge evidence is the worker's own words: a reflection
should name no one else, and no detail in it should point to a colleague or to someone the
worker supports. Only the rules for names, contact details, places and events apply here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..reports.reflection import ReflectionView
from .check import find_in_reflection
from .marks import Marked, mark
from .names import Context

PRIORITY_LABELS = (
    ("what", "what I want to develop"),
    ("how", "how I will do it"),
    ("support", "support I need"),
    ("by_when", "by when"),
    ("measure", "how I will know I have done it"),
)


@dataclass(frozen=True, slots=True)
class CheckedPart:
    label: str
    marked: Marked


def check_reflection(view: ReflectionView, context: Context) -> tuple[CheckedPart, ...]:
    """Each part of the reflection the worker wrote, in the order of the page, checked."""
    texts = [("My strengths", view.strengths), ("Areas I want to develop", view.development_areas)]
    for priority in view.priorities:
        texts += [
            (f"Priority {priority.position}: {label}", getattr(priority, name))
            for name, label in PRIORITY_LABELS
        ]
    texts.append(("My reflective statement", view.statement))
    return tuple(
        CheckedPart(label, mark(f"gv-part-{number}", text, find_in_reflection(text, context)))
        for number, (label, text) in enumerate(texts, start=1)
        if text.strip()
    )


def found_in(parts: tuple[CheckedPart, ...]) -> int:
    return sum(len(part.marked.findings) for part in parts)
