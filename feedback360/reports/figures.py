"""The figures: every mean and count the rules allow, worked out for a whole cohort at once.

Figures takes the tally and what the rules decided (groups.py: the groups and the items with
enough scores; audit.py: what each capability may publish) and makes each distinct Score and
ItemResult once, shared by every round that has it: they are frozen, and a cohort repeats most
of them. assemble.py puts them together into each round's Report.
"""

from __future__ import annotations

import numpy as np

from ..instruments.model import Capability, Instrument
from .audit import Publication
from .distinct import distinct_rows, shared
from .groups import GroupChoices
from .reasons import SINGLES_OUT, few_colleagues, too_few_scores
from .relationships import (
    COLLEAGUE_RELATIONSHIPS,
    COUNT_LABELS,
    GROUP_AT,
    GROUP_KEYS,
    RELATIONSHIPS,
)
from .report import ALL_COLLEAGUES, LINE_MANAGER, GroupCount, ItemResult, Score
from .rules import AnonymityRules
from .tally import Tally, capability_parts


class Figures:
    """A cohort's figures, [round][...] lists of shared frozen values, ready to assemble."""

    def __init__(
        self,
        counts: Tally,
        groups: GroupChoices,
        in_scope: np.ndarray,
        publications: list[list[Publication]],
        instrument: Instrument,
        rules: AnonymityRules,
    ) -> None:
        parts = capability_parts(instrument)
        self.parts, self.groups, self.publications = parts, groups, publications
        self.answered = counts.answered.tolist()
        self.counts = _group_counts(counts.answered)
        # A group's capability figure is over all its scores on the capability's statements,
        # like the worker's own; audit.py decided whether it may be published.
        totals, ratings = (_capability_sums(a, parts) for a in (counts.totals, counts.ratings))
        membership = _membership(groups)
        self.scores = _scores(
            np.einsum("ncr,ngr->ncg", totals, membership),
            np.einsum("ncr,ngr->ncg", ratings, membership),
        )
        counted = _counts_shown(counts.answered, groups.manager_known(), rules)
        # A mean always comes with its number of scores. Where counts are hidden no item has
        # enough scores for a mean anyway; this keeps it so under other thresholds.
        allowed = _items_allowed(publications, parts)
        shown = in_scope & allowed & counted[:, None]
        reason = _held_back(shown, allowed, groups)
        self.made_items, self.item_at = _item_results(
            counts, (shown, reason, counted), instrument, rules
        )
        self.items = shared(self.made_items, self.item_at)
        self.self_means = _self_means(counts.own, parts)


def _group_counts(answered: np.ndarray) -> list[tuple[GroupCount, ...]]:
    """[round]: the cover's counts, made once for each distinct set of counts."""
    numbers, firsts = distinct_rows(list(answered.T))
    made = [
        tuple(GroupCount(r, COUNT_LABELS[r], a) for r, a in zip(RELATIONSHIPS, row, strict=True))
        for row in answered[firsts].tolist()
    ]
    return [made[k] for k in numbers.tolist()]


def _capability_sums(cells: np.ndarray, parts: list[slice]) -> np.ndarray:
    """[round, capability, relationship]: the sum over all the capability's items."""
    return np.stack([cells[:, :, p].sum(axis=2) for p in parts], axis=1)


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
    return shared([_mean(t, c) for t, c in pairs], numbers.reshape(totals.shape))


def _items_allowed(publications: list[list[Publication]], parts: list[slice]) -> np.ndarray:
    """[round, item]: does the item's capability audit let items show their figures?"""
    rounds, items = len(publications[0]) if publications else 0, parts[-1].stop if parts else 0
    allowed = np.zeros((rounds, items), dtype=bool)
    for published, part in zip(publications, parts, strict=True):
        allowed[:, part] = np.array([p.items_shown for p in published], dtype=bool)[:, None]
    return allowed


# Why an item's colleague mean is held back: the codes _held_back gives, made into words by
# _reasons in the same order.
SHOWN, FEW_COLLEAGUES, TOO_FEW_SCORES, TOO_FEW_BESIDE_MANAGER, SINGLES_OUT_CODE = range(5)


def _held_back(shown: np.ndarray, allowed: np.ndarray, groups: GroupChoices) -> np.ndarray:
    """[round, item]: why the item's mean is not shown, as a code (SHOWN where it is).

    Item means show only where "All colleagues" does; then, where the audit allows items, an
    item not shown has too few scores; where it does not, the item may have too few as well,
    and the reason says both rather than tell which.
    """
    everyone = np.array([any(g.key == ALL_COLLEAGUES for g in c) for c in groups.choices])
    all_shown, known = everyone[groups.at][:, None], groups.manager_known()[:, None]
    too_few = np.where(known, TOO_FEW_BESIDE_MANAGER, TOO_FEW_SCORES)
    reason = np.where(allowed, too_few, SINGLES_OUT_CODE)
    return np.where(shown, SHOWN, np.where(all_shown, reason, FEW_COLLEAGUES))


def _reasons(rules: AnonymityRules) -> list[str]:
    return [
        "",
        few_colleagues(rules),
        too_few_scores(rules, manager_shown=False),
        too_few_scores(rules, manager_shown=True),
        SINGLES_OUT,
    ]


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
    counts: Tally,
    decided: tuple[np.ndarray, np.ndarray, np.ndarray],
    instrument: Instrument,
    rules: AnonymityRules,
) -> tuple[list[ItemResult], np.ndarray]:
    """Each distinct ItemResult of the cohort, and [round, item] -> its number among them.

    A distinct one is made once and shared by every round that has it: they are frozen, and a
    cohort repeats most of them (the bench's: 40,000 distinct in 310,000). `decided` is
    [round, item] shown, the reason code where not, and [round] whether counts are shown.
    """
    shown, reason, counted = decided
    items = [
        (item.key, number, item.self_text, _indicator_name(capability, item.indicator))
        for capability in instrument.capabilities
        for number, item in enumerate(capability.items, start=1)
    ]
    columns = [
        np.broadcast_to(np.arange(len(items)), shown.shape),
        counts.own + 1,
        reason,
        shown,
        np.where(shown, counts.totals.sum(axis=1), 0),
        # -1: not shown.
        np.where(counted[:, None], counts.ratings.sum(axis=1), -1),
        np.where(counted[:, None], counts.not_observed, -1),
    ]
    flat = [c.ravel().astype(np.int64) for c in columns]
    numbers, firsts = distinct_rows(flat)
    rows = zip(*(c[firsts].tolist() for c in flat), strict=True)
    reasons = _reasons(rules)
    made = [_item_result(items[i], reasons, *values) for i, *values in rows]
    return made, numbers.reshape(shown.shape)


def _item_result(
    texts: tuple[str, int, str, str],
    reasons: list[str],
    own: int,
    reason: int,
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
        held_back=reasons[reason],
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
    return shared(made, numbers.reshape(rounds, capabilities * keys))


def _indicator_name(capability: Capability, key: str) -> str:
    return next((i.name for i in capability.indicators if i.key == key), "")


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None
