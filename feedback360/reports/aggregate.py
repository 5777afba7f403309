"""From stored answers to a Report: one select into a DataFrame, then a pure summarize()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from ..instruments import Capability, Instrument
from .anonymity import (
    COLLEAGUE_RELATIONSHIPS,
    Entries,
    Entry,
    Publication,
    audit_capability,
    choose_groups,
    item_in_scope,
    manager_is_known,
)
from .model import (
    ALL_COLLEAGUES,
    SCHEMA_VERSION,
    CapabilityResult,
    Group,
    GroupCount,
    ItemResult,
    Report,
    ScaleLabel,
    Score,
)
from .rules import AnonymityRules
from .sections import comment_sections, gaps, highest_and_lowest

SELF = "self"
ANSWER_COLUMNS = ["answer_set", "relationship", "item", "score"]
COMMENT_COLUMNS = ["answer_set", "relationship", "question", "text"]
COUNT_LABELS = {
    SELF: "Self-assessment",
    "line_manager": "Line manager",
    "peer": "Peer",
    "direct_report": "Someone I manage",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class RoundFacts:
    """What a report says about the round itself; `seed` fixes the order of comments."""

    worker_name: str
    opened_on: dt.date
    closed_on: dt.date
    seed: str


def answers_frame(round_id: int) -> pd.DataFrame:
    """Every answer of a round, one row each; an answer set with no answers keeps one row."""
    from ..extensions import db
    from ..models import Answer, AnswerSet

    statement = (
        select(AnswerSet.id, AnswerSet.relationship, Answer.item_key, Answer.score)
        .outerjoin(Answer, Answer.answer_set_id == AnswerSet.id)
        .where(AnswerSet.round_id == round_id)
    )
    return make_answers_frame(db.session.execute(statement).all())


def comments_frame(round_id: int) -> pd.DataFrame:
    """Every comment of a round with the relationship of whoever wrote it."""
    from ..extensions import db
    from ..models import AnswerSet, Comment

    statement = (
        select(AnswerSet.id, AnswerSet.relationship, Comment.question_key, Comment.text)
        .join(Comment, Comment.answer_set_id == AnswerSet.id)
        .where(AnswerSet.round_id == round_id)
    )
    return make_comments_frame(db.session.execute(statement).all())


def make_answers_frame(rows: Iterable[tuple]) -> pd.DataFrame:
    """Compact dtypes: categories for the repeated strings, float32 with NaN for not observed."""
    plain = [(a, str(r), i, s) for a, r, i, s in rows]
    frame = pd.DataFrame(plain, columns=ANSWER_COLUMNS)
    return frame.astype(
        {
            "answer_set": "category",
            "relationship": "category",
            "item": "category",
            "score": "float32",
        }
    )


def make_comments_frame(rows: Iterable[tuple]) -> pd.DataFrame:
    plain = [(a, str(r), q, t) for a, r, q, t in rows]
    frame = pd.DataFrame(plain, columns=COMMENT_COLUMNS)
    return frame.astype(
        {"answer_set": "category", "relationship": "category", "question": "category"}
    )


def summarize(
    frame: pd.DataFrame,
    comments: pd.DataFrame,
    instrument: Instrument,
    rules: AnonymityRules,
    facts: RoundFacts,
) -> Report:
    """Apply every rule of DESIGN.md section 4 and return the plain figures a report shows."""
    answered = answer_counts(frame)
    groups = choose_groups(answered, rules)
    colleague_total = sum(answered.get(r, 0) for r in COLLEAGUE_RELATIONSHIPS)
    comments_shown = colleague_total >= rules.comments_min
    by_capability, questions = comment_sections(comments, instrument, facts.seed, comments_shown)
    capabilities = capability_results(frame, instrument, groups, rules, by_capability)
    highest, lowest = highest_and_lowest(capabilities, rules)
    blind_spots, hidden_strengths = gaps(capabilities, rules)
    return Report(
        schema=SCHEMA_VERSION,
        worker_name=facts.worker_name,
        instrument_key=instrument.key,
        instrument_title=instrument.title,
        instrument_version=instrument.version,
        opened_on=facts.opened_on.isoformat(),
        closed_on=facts.closed_on.isoformat(),
        scale=tuple(ScaleLabel(p.value, p.label) for p in instrument.scale.points),
        not_observed_label=instrument.scale.not_observed_label,
        counts=tuple(GroupCount(r, COUNT_LABELS[r], answered.get(r, 0)) for r in COUNT_LABELS),
        colleagues_answered=colleague_total,
        groups=groups,
        capabilities=capabilities,
        highest=highest,
        lowest=lowest,
        blind_spots=blind_spots,
        hidden_strengths=hidden_strengths,
        questions=questions,
        comments_shown=comments_shown,
        rules=rules,
    )


def capability_results(
    frame: pd.DataFrame,
    instrument: Instrument,
    groups: tuple[Group, ...],
    rules: AnonymityRules,
    comments: Mapping[str, tuple[tuple[str, ...], str]],
) -> tuple[CapabilityResult, ...]:
    colleagues = frame[frame["relationship"].astype(str) != SELF]
    entries = tally_entries(colleagues)
    not_observed = count_not_observed(colleagues)
    own = self_scores(frame)
    return tuple(
        summarize_capability(cap, groups, entries, not_observed, own, rules, comments[cap.key])
        for cap in instrument.capabilities
    )


def answer_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Answer sets per relationship, including any that hold no answer rows."""
    sets = frame[["answer_set", "relationship"]].astype(str).drop_duplicates()
    return {str(k): int(v) for k, v in sets["relationship"].value_counts().items()}


def tally_entries(colleagues: pd.DataFrame) -> dict[tuple[str, str], Entry]:
    """Per relationship and item: who scored it, the total, lowest and highest score."""
    scored = colleagues[colleagues["score"].notna()].astype(
        {"answer_set": str, "relationship": str, "item": str}
    )
    entries = {}
    for (relationship, item), rows in scored.groupby(["relationship", "item"], sort=False):
        scores = rows["score"].astype(int)
        entries[(relationship, item)] = Entry(
            raters=frozenset(rows["answer_set"]),
            total=int(scores.sum()),
            low=int(scores.min()),
            high=int(scores.max()),
        )
    return entries


def count_not_observed(colleagues: pd.DataFrame) -> dict[str, int]:
    unseen = colleagues[colleagues["item"].notna() & colleagues["score"].isna()]
    return {str(k): int(v) for k, v in unseen["item"].astype(str).value_counts().items()}


def self_scores(frame: pd.DataFrame) -> dict[str, int | None]:
    """The worker's own score per item; None where they chose "not observed"."""
    own = frame[(frame["relationship"].astype(str) == SELF) & frame["item"].notna()]
    return {
        str(item): None if pd.isna(score) else int(score)
        for item, score in zip(own["item"], own["score"], strict=True)
    }


def summarize_capability(
    capability: Capability,
    groups: tuple[Group, ...],
    entries: Entries,
    not_observed: Mapping[str, int],
    own: Mapping[str, int | None],
    rules: AnonymityRules,
    comments: tuple[tuple[str, ...], str] = ((), ""),
) -> CapabilityResult:
    known = manager_is_known(groups)
    keys = tuple(item.key for item in capability.items)
    scope = tuple(k for k in keys if item_in_scope(k, entries, rules, known))
    publication = audit_capability(scope, groups, entries, rules)
    own_scores = [own[k] for k in keys if own.get(k) is not None]
    return CapabilityResult(
        key=capability.key,
        name=capability.name,
        description=capability.description,
        self_mean=_mean(sum(own_scores), len(own_scores)),  # type: ignore[arg-type]
        scores=tuple(_group_score(g, scope, entries) for g in publication.groups),
        figure_items=scope if publication.groups else (),
        items=_item_results(capability, scope, publication, entries, not_observed, own),
        comments=comments[0],
        self_comment=comments[1],
        groups_withheld=publication.groups_withheld,
    )


def _group_score(group: Group, scope: tuple[str, ...], entries: Entries) -> Score:
    """The mean over every score the group gave the capability's items in scope."""
    found = [entries[(r, i)] for r in group.members for i in scope if (r, i) in entries]
    ratings = sum(e.ratings for e in found)
    return Score(group=group.key, mean=_mean(sum(e.total for e in found), ratings), ratings=ratings)


def _item_results(
    capability: Capability,
    scope: tuple[str, ...],
    publication: Publication,
    entries: Entries,
    not_observed: Mapping[str, int],
    own: Mapping[str, int | None],
) -> tuple[ItemResult, ...]:
    results = []
    for number, item in enumerate(capability.items, start=1):
        found = [
            entries[(r, item.key)] for r in COLLEAGUE_RELATIONSHIPS if (r, item.key) in entries
        ]
        ratings = sum(e.ratings for e in found)
        shown = publication.items_shown and item.key in scope
        results.append(
            ItemResult(
                key=item.key,
                number=number,
                text=item.self_text,
                indicator=_indicator_name(capability, item.indicator),
                self_score=own.get(item.key),
                colleague_mean=_mean(sum(e.total for e in found), ratings) if shown else None,
                low=min(e.low for e in found) if shown else None,
                high=max(e.high for e in found) if shown else None,
                ratings=ratings,
                not_observed=not_observed.get(item.key, 0),
            )
        )
    return tuple(results)


def _indicator_name(capability: Capability, key: str) -> str:
    return next((i.name for i in capability.indicators if i.key == key), "")


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


__all__ = ["ALL_COLLEAGUES", "RoundFacts", "answers_frame", "comments_frame", "summarize"]
