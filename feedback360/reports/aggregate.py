"""From stored answers to a Report: one select into a DataFrame, then a pure summarize().

summarize_many() makes a whole cohort's reports from one frame: every count in one numpy pass
over all the answers (tally.py), then the rules of anonymity.py round by round on those
counts. summarize() is the same path for a cohort of one round, so each rule has one
implementation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select

from ..instruments.model import Capability, Instrument
from .anonymity import (
    COLLEAGUE_RELATIONSHIPS,
    GROUP_LABELS,
    LINE_MANAGER,
    Cells,
    GroupChoices,
    Publication,
    audit_capability,
    choose_cohort_groups,
    cohort_in_scope,
    distinct_rows,
)
from .model import (
    ALL_COLLEAGUES,
    SCHEMA_VERSION,
    CapabilityResult,
    GroupCount,
    ItemHighlight,
    ItemResult,
    Report,
    ScaleLabel,
    Score,
)
from .rules import AnonymityRules
from .sections import RoundComments, comment_sections, highlight, highlighted, split_comments
from .tally import RELATIONSHIPS, SELF, Tally, tally

# The round id summarize() gives its one round on the way through summarize_many().
ONE_ROUND = 0
# Group keys, for the [..., group key] axis of the group sums.
GROUP_KEYS = tuple(GROUP_LABELS)
GROUP_AT = {key: n for n, key in enumerate(GROUP_KEYS)}
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
    from ..surveys.models import Answer, AnswerSet

    statement = (
        select(AnswerSet.id, AnswerSet.relationship, Answer.item_key, Answer.score)
        .outerjoin(Answer, Answer.answer_set_id == AnswerSet.id)
        .where(AnswerSet.round_id == round_id)
    )
    return make_answers_frame(db.session.execute(statement).all())


def comments_frame(round_id: int) -> pd.DataFrame:
    """Every comment of a round with the relationship of whoever wrote it."""
    from ..extensions import db
    from ..surveys.models import AnswerSet, Comment

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
    answers, texts = frame.assign(round=ONE_ROUND), comments.assign(round=ONE_ROUND)
    return summarize_many(answers, texts, instrument, rules, {ONE_ROUND: facts})[ONE_ROUND]


def summarize_many(
    answers: pd.DataFrame,
    comments: pd.DataFrame,
    instrument: Instrument,
    rules: AnonymityRules,
    facts_by_round: Mapping[Hashable, RoundFacts],
) -> dict[Hashable, Report]:
    """summarize() for every round in `facts_by_round`, from frames with a `round` column."""
    rounds = list(facts_by_round)
    with _cycle_collector_paused():
        cohort = Cohort(tally(answers, instrument, rounds), instrument, rules)
        notes = split_comments(comments, rounds)
        return {
            round_id: cohort.report(n, facts_by_round[round_id], notes[n])
            for n, round_id in enumerate(rounds)
        }


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Reports hold no reference cycles, so reference counting frees them; meanwhile the cycle
    collector would walk the whole heap again each time the pile grew by a quarter (0.8 s of
    3.2 s for 10,000 rounds). Anything cyclic is collected as usual once it is back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# The rules, round by round, on the cohort's counts --------------------------------------------


class Cohort:
    """A cohort's counts with the rules applied, and each round's Report made from them."""

    def __init__(self, counts: Tally, instrument: Instrument, rules: AnonymityRules) -> None:
        self.instrument, self.rules = instrument, rules
        self.answered = counts.answered.tolist()
        self.counts = _group_counts(counts.answered)
        self.groups = choose_cohort_groups(counts.answered[:, 1:], rules)
        known = self.groups.manager_known()
        in_scope = cohort_in_scope(counts.ratings, known, rules)
        parts = _capability_parts(instrument)
        self.publications = [
            audit_capability(_cells(counts, in_scope, part, capability), self.groups, rules)
            for part, capability in zip(parts, instrument.capabilities, strict=True)
        ]
        self.scope_code = np.stack([_bit_codes(in_scope[:, p]) for p in parts], axis=1).tolist()
        totals, ratings = (_scope_sums(a, in_scope, parts) for a in (counts.totals, counts.ratings))
        membership = _membership(self.groups)
        self.scores = _scores(
            np.einsum("ncr,ngr->ncg", totals, membership),
            np.einsum("ncr,ngr->ncg", ratings, membership),
        )
        counted = _counts_shown(counts.answered, known, rules)
        # A mean always comes with its number of scores. Where counts are hidden no item has
        # enough scores for a mean anyway; this keeps it so under other thresholds.
        shown = _items_shown(self.publications, in_scope, parts) & counted[:, None]
        self.made_items, numbers = _item_results(counts, shown, counted, instrument)
        self.items = _shared(self.made_items, numbers)
        self.item_numbers = numbers.tolist()
        self.highlighted = highlighted(*_means_and_own(self.made_items, numbers), rules)
        self.made_highlights = _highlights(self.made_items, instrument)
        self.self_means = _self_means(counts.own, parts)
        self.parts = parts
        # Scopes by capability and bitmask, made when first met: a cohort meets few of them.
        self.scopes: list[dict[int, tuple[str, ...]]] = [{} for _ in instrument.capabilities]
        self.scale = tuple(ScaleLabel(p.value, p.label) for p in instrument.scale.points)

    def report(self, n: int, facts: RoundFacts, notes: RoundComments) -> Report:
        """Round n's report."""
        instrument, rules, answered = self.instrument, self.rules, self.answered[n]
        colleague_total = sum(answered[1:])
        comments_shown = colleague_total >= rules.comments_min
        by_capability, questions = comment_sections(notes, instrument, facts.seed, comments_shown)
        capabilities = tuple(
            self.capability(n, c, by_capability[capability.key])
            for c, capability in enumerate(instrument.capabilities)
        )
        marked = self.highlighted[n]
        return Report(
            schema=SCHEMA_VERSION,
            worker_name=facts.worker_name,
            instrument_key=instrument.key,
            instrument_title=instrument.title,
            instrument_version=instrument.version,
            opened_on=facts.opened_on.isoformat(),
            closed_on=facts.closed_on.isoformat(),
            scale=self.scale,
            not_observed_label=instrument.scale.not_observed_label,
            counts=self.counts[n],
            colleagues_answered=colleague_total,
            groups=self.groups.choices[self.groups.at[n]],
            capabilities=capabilities,
            highest=self.highlights(n, marked.highest),
            lowest=self.highlights(n, marked.lowest),
            blind_spots=self.highlights(n, marked.blind_spots),
            hidden_strengths=self.highlights(n, marked.hidden_strengths),
            questions=questions,
            comments_shown=comments_shown,
            rules=rules,
        )

    def capability(self, n: int, c: int, comments: tuple) -> CapabilityResult:
        """Capability c of round n, showing what its audit allows."""
        capability, publication = self.instrument.capabilities[c], self.publications[c][n]
        scope = self.scope(c, self.scope_code[n][c])
        scores, first = self.scores[n], c * len(GROUP_KEYS)
        return CapabilityResult(
            key=capability.key,
            name=capability.name,
            description=capability.description,
            self_mean=self.self_means[n][c],
            scores=tuple([scores[first + GROUP_AT[g.key]] for g in publication.groups]),
            figure_items=scope if publication.groups else (),
            items=tuple(self.items[n][self.parts[c]]),
            comments=comments[0],
            self_comment=comments[1],
            groups_withheld=publication.groups_withheld,
        )

    def highlights(self, n: int, positions: list[int]) -> tuple[ItemHighlight, ...]:
        """Round n's items at these positions, as highlights."""
        numbers, made = self.item_numbers[n], self.made_highlights
        return tuple([made[numbers[at]] for at in positions])

    def scope(self, c: int, code: int) -> tuple[str, ...]:
        """The keys of capability c's items whose bit is set in `code`."""
        known = self.scopes[c]
        if code not in known:
            items = self.instrument.capabilities[c].items
            known[code] = tuple(item.key for j, item in enumerate(items) if code >> j & 1)
        return known[code]


def _group_counts(answered: np.ndarray) -> list[tuple[GroupCount, ...]]:
    """[round]: the cover's counts, made once for each distinct set of counts."""
    numbers, firsts = distinct_rows(list(answered.T))
    made = [
        tuple(GroupCount(r, COUNT_LABELS[r], a) for r, a in zip(RELATIONSHIPS, row, strict=True))
        for row in answered[firsts].tolist()
    ]
    return [made[k] for k in numbers.tolist()]


def _capability_parts(instrument: Instrument) -> list[slice]:
    """Where each capability's items sit in instrument.items."""
    ends = np.cumsum([len(c.items) for c in instrument.capabilities]).tolist()
    return [
        slice(end - len(c.items), end) for end, c in zip(ends, instrument.capabilities, strict=True)
    ]


def _cells(counts: Tally, in_scope: np.ndarray, part: slice, capability: Capability) -> Cells:
    items = tuple(item.key for item in capability.items)
    raters, ratings = counts.raters[:, :, part], counts.ratings[:, :, part]
    return Cells(items=items, scope=in_scope[:, part], raters=raters, ratings=ratings)


def _bit_codes(flags: np.ndarray) -> np.ndarray:
    """[round]: bit j set where flags[round, j] is."""
    return (flags.astype(np.int64) << np.arange(flags.shape[1])).sum(axis=1)


def _scope_sums(cells: np.ndarray, in_scope: np.ndarray, parts: list[slice]) -> np.ndarray:
    """[round, capability, relationship]: the sum over the capability's items in scope."""
    inside = np.where(in_scope[:, None, :], cells, 0)
    return np.stack([inside[:, :, p].sum(axis=2) for p in parts], axis=1)


def _membership(groups: GroupChoices) -> np.ndarray:
    """[round, group key, relationship]: 1 where the round's group holds the relationship."""
    shape = (len(groups.choices), len(GROUP_KEYS), len(COLLEAGUE_RELATIONSHIPS))
    matrices = np.zeros(shape, dtype=np.int64)
    for choice, round_groups in enumerate(groups.choices):
        for group in round_groups:
            for r in group.members:
                matrices[choice, GROUP_AT[group.key], COLLEAGUE_RELATIONSHIPS.index(r)] = 1
    return matrices[groups.at]


def _self_means(own: np.ndarray, parts: list[slice]) -> list[list[float | None]]:
    """[round][capability]: the mean of the worker's own scores, worked out once per distinct
    total and count."""
    mine = own >= 0
    scores = np.where(mine, own, 0)
    totals = np.stack([scores[:, p].sum(axis=1) for p in parts], axis=1)
    counts = np.stack([mine[:, p].sum(axis=1) for p in parts], axis=1)
    numbers, firsts = distinct_rows([totals.ravel(), counts.ravel()])
    pairs = zip(totals.ravel()[firsts].tolist(), counts.ravel()[firsts].tolist(), strict=True)
    return _shared([_mean(t, c) for t, c in pairs], numbers.reshape(totals.shape))


def _items_shown(
    publications: list[list[Publication]], in_scope: np.ndarray, parts: list[slice]
) -> np.ndarray:
    """[round, item]: may the item show its colleague figures (in scope, audit allowing)?"""
    shown = np.zeros_like(in_scope)
    for published, part in zip(publications, parts, strict=True):
        allowed = np.array([p.items_shown for p in published], dtype=bool)
        shown[:, part] = in_scope[:, part] & allowed[:, None]
    return shown


def _counts_shown(answered: np.ndarray, known: np.ndarray, rules: AnonymityRules) -> np.ndarray:
    """[round]: may items show how many colleagues scored them and how many did not observe?

    `answered` is [round, relationship] with self first; `known` says where the line manager
    is shown on their own, and so does not count as anonymous.
    """
    colleagues = answered[:, 1:]
    managers = colleagues[:, COLLEAGUE_RELATIONSHIPS.index(LINE_MANAGER)]
    others = colleagues.sum(axis=1) - np.where(known, managers, 0)
    decided = [rules.counts_shown(n) for n in range(int(others.max(initial=0)) + 1)]
    return np.array(decided, dtype=bool)[others]


def _item_results(
    counts: Tally, shown: np.ndarray, counted: np.ndarray, instrument: Instrument
) -> tuple[list[ItemResult], np.ndarray]:
    """Each distinct ItemResult of the cohort, and [round, item] -> its number among them.

    A distinct one is made once and shared by every round that has it: they are frozen, and a
    cohort repeats most of them (the bench's: 40,000 distinct in 310,000).
    """
    items = [
        (item.key, number, item.self_text, _indicator_name(capability, item.indicator))
        for capability in instrument.capabilities
        for number, item in enumerate(capability.items, start=1)
    ]
    columns = [
        np.broadcast_to(np.arange(len(items)), shown.shape),
        counts.own + 1,
        shown,
        np.where(shown, counts.totals.sum(axis=1), 0),
        # -1: not shown.
        np.where(counted[:, None], counts.ratings.sum(axis=1), -1),
        np.where(counted[:, None], counts.not_observed, -1),
    ]
    flat = [c.ravel().astype(np.int64) for c in columns]
    numbers, firsts = distinct_rows(flat)
    rows = zip(*(c[firsts].tolist() for c in flat), strict=True)
    made = [_item_result(items[i], *values) for i, *values in rows]
    return made, numbers.reshape(shown.shape)


def _item_result(
    texts: tuple[str, int, str, str],
    own: int,
    shown: int,
    total: int,
    ratings: int,
    unseen: int,
) -> ItemResult:
    """One item's result; `own` is the worker's score + 1, 0 for none; -1 counts are hidden."""
    key, number, text, indicator = texts
    return ItemResult(
        key=key,
        number=number,
        text=text,
        indicator=indicator,
        self_score=own - 1 if own else None,
        colleague_mean=_mean(total, ratings) if shown else None,
        ratings=ratings if ratings >= 0 else None,
        not_observed=unseen if unseen >= 0 else None,
    )


def _scores(totals: np.ndarray, ratings: np.ndarray) -> list:
    """[round][capability and group key]: each group's Score, each distinct one made once."""
    keys = np.broadcast_to(np.arange(len(GROUP_KEYS)), totals.shape)
    flat = [c.ravel().astype(np.int64) for c in (keys, totals, ratings)]
    numbers, firsts = distinct_rows(flat)
    # A mean of None is made only for a group nobody scored, and no capability shows one.
    made = [
        Score(group=GROUP_KEYS[k], mean=_mean(t, r), ratings=r)  # type: ignore[arg-type]
        for k, t, r in zip(*(c[firsts].tolist() for c in flat), strict=True)
    ]
    rounds, capabilities, keys = totals.shape
    return _shared(made, numbers.reshape(rounds, capabilities * keys))


def _shared(made: list, numbers: np.ndarray) -> list[list]:
    """[row][column] -> made[numbers[row, column]]; `numbers` has two dimensions, as deeper
    nested lists are much slower to make."""
    shared = np.empty(len(made), dtype=object)
    shared[:] = made
    return shared[numbers].tolist()


def _highlights(made: list[ItemResult], instrument: Instrument) -> list[ItemHighlight | None]:
    """The highlight of each distinct ItemResult whose colleague mean is shown."""
    capability = {i.key: c.name for c in instrument.capabilities for i in c.items}
    return [
        None if item.colleague_mean is None else highlight(capability[item.key], item)
        for item in made
    ]


def _means_and_own(made: list[ItemResult], numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[round, item]: the colleague mean where shown and the worker's score, NaN for none."""
    means = [np.nan if i.colleague_mean is None else i.colleague_mean for i in made]
    own = [np.nan if i.self_score is None else i.self_score for i in made]
    return np.array(means, dtype=float)[numbers], np.array(own, dtype=float)[numbers]


def _indicator_name(capability: Capability, key: str) -> str:
    return next((i.name for i in capability.indicators if i.key == key), "")


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


__all__ = [
    "ALL_COLLEAGUES",
    "RoundFacts",
    "answers_frame",
    "comments_frame",
    "summarize",
    "summarize_many",
]
