"""The parts of a report built from already-published figures: highlights, gaps, comments."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd

from ..instruments import Instrument
from .model import CapabilityResult, ItemHighlight, ItemResult, QuestionComments
from .rules import AnonymityRules

SELF = "self"


def _shown_items(
    capabilities: Iterable[CapabilityResult],
) -> list[tuple[CapabilityResult, ItemResult]]:
    return [(c, i) for c in capabilities for i in c.items if i.colleague_mean is not None]


def _highlight(capability: CapabilityResult, item: ItemResult) -> ItemHighlight:
    """Only called for items whose colleague mean is shown."""
    return ItemHighlight(
        key=item.key,
        number=item.number,
        capability=capability.name,
        text=item.text,
        self_score=item.self_score,
        colleague_mean=item.colleague_mean or 0.0,
    )


def highest_and_lowest(
    capabilities: tuple[CapabilityResult, ...], rules: AnonymityRules
) -> tuple[tuple[ItemHighlight, ...], tuple[ItemHighlight, ...]]:
    """Colleagues' highest and lowest rated items; no item is in both lists."""
    shown = _shown_items(capabilities)
    size = min(rules.highlights, len(shown) // 2)
    # sorted() is stable, so ties keep the instrument's order.
    ranked = sorted(shown, key=lambda pair: -(pair[1].colleague_mean or 0))
    highest = tuple(_highlight(c, i) for c, i in ranked[:size])
    lowest = tuple(_highlight(c, i) for c, i in reversed(ranked[len(ranked) - size :]))
    return highest, lowest


def gaps(
    capabilities: tuple[CapabilityResult, ...], rules: AnonymityRules
) -> tuple[tuple[ItemHighlight, ...], tuple[ItemHighlight, ...]]:
    """Blind spots (self at least `gap` above colleagues) and hidden strengths (the reverse)."""
    pairs = [(c, i) for c, i in _shown_items(capabilities) if i.self_score is not None]
    blind = [(c, i) for c, i in pairs if i.self_score - i.colleague_mean >= rules.gap]  # type: ignore[operator]
    hidden = [(c, i) for c, i in pairs if i.colleague_mean - i.self_score >= rules.gap]  # type: ignore[operator]
    widest = lambda pair: -abs(pair[1].self_score - pair[1].colleague_mean)  # noqa: E731
    return (
        tuple(_highlight(c, i) for c, i in sorted(blind, key=widest)),
        tuple(_highlight(c, i) for c, i in sorted(hidden, key=widest)),
    )


def stable_order(texts: Iterable[str], seed: str) -> tuple[str, ...]:
    """A shuffled order that never changes for a round: neither group nor time shows through."""

    def rank(text: str) -> str:
        return hashlib.sha256(f"{seed}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()

    return tuple(sorted(texts, key=rank))


def comment_sections(
    comments: pd.DataFrame, instrument: Instrument, seed: str, shown: bool
) -> tuple[dict[str, tuple[tuple[str, ...], str]], tuple[QuestionComments, ...]]:
    """Colleagues' comments pooled per question (only when shown) and the worker's own notes."""
    texts = comments.astype({"relationship": str, "question": str})
    texts = texts[texts["text"].astype(str).str.strip() != ""]
    own = texts[texts["relationship"] == SELF]
    others = texts[texts["relationship"] != SELF]

    def pooled(question: str) -> tuple[str, ...]:
        if not shown:
            return ()
        found = others[others["question"] == question]["text"]
        return stable_order((str(t).strip() for t in found), f"{seed}\x1f{question}")

    def own_note(question: str) -> str:
        found = own[own["question"] == question]["text"]
        return str(found.iloc[0]).strip() if len(found) else ""

    by_capability = {c.key: (pooled(c.key), own_note(c.key)) for c in instrument.capabilities}
    questions = tuple(
        QuestionComments(q.key, q.colleague_text, pooled(q.key), own_note(q.key))
        for q in instrument.questions
    )
    return by_capability, questions
