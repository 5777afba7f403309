"""Everything a Report publishes about colleagues' answers, as exact figures for exact_check.

A mean kept to two decimals over fewer than 100 scores has exactly one integer total, so the
totals here are what an attacker reading the unrounded figures would have. Every field of the
Report's dataclasses is either read here or named as saying nothing about colleagues' answers:
a field added to the Report fails the check until it is accounted for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from feedback360.reports.reasons import (
    COMPARED_WITH_EARLIER,
    GROUP_HELD_BACK,
    KEPT_BEFORE,
    SINGLES_OUT,
    few_colleagues,
    too_few_scores,
)
from feedback360.reports.report import CapabilityResult, HeldBack, ItemResult, Report, Score
from feedback360.reports.rules import AnonymityRules

LINE_MANAGER = "line_manager"
SELF = "self"
# Per dataclass: the fields read here, and those about the worker, wording, or only repeating
# figures read elsewhere (highlights are made from item means; `groups_withheld` from which
# groups have a mean; the tied-out counts from the item means).
READ = {
    ItemResult: {
        *("colleague_mean", "ratings", "not_observed", "low", "high", "held_back"),
        "held_over_time",
    },
    CapabilityResult: {"scores", "figure_items", "items", "held_back", "held_over_time"},
    Score: {"group", "mean", "ratings"},
    HeldBack: {"group", "reason"},
    Report: {"counts", "groups", "capabilities", "scale", "rules"},
}
NOT_ABOUT_ANSWERS = {
    ItemResult: {"key", "number", "text", "indicator", "self_score"},
    CapabilityResult: {
        *("key", "name", "description", "self_mean", "comments", "self_comment"),
        "groups_withheld",
    },
    Score: set(),
    HeldBack: set(),
    Report: {
        *("schema", "worker_name", "instrument_key", "instrument_title", "instrument_version"),
        *("opened_on", "closed_on", "not_observed_label", "colleagues_answered", "questions"),
        *("highest", "lowest", "blind_spots", "hidden_strengths", "comments_shown"),
        *("highest_tied_out", "lowest_tied_out"),
    },
}


@dataclass(frozen=True, slots=True)
class ItemFigures:
    """What is published about colleagues' answers to one item; None where nothing is."""

    key: str
    ratings: int | None
    not_observed: int | None
    total: int | None = None
    low: int | None = None
    high: int | None = None
    # The mean in hundredths, where it is shown over a number of scores that is not.
    hundredths: int | None = None


@dataclass(frozen=True, slots=True)
class GroupFigure:
    """A group's capability mean, as an exact total over its members' scores on `items`."""

    members: tuple[str, ...]
    items: tuple[str, ...]
    total: int
    ratings: int
    people: int  # the rules show the mean only when this many members scored one of the items


@dataclass(frozen=True, slots=True)
class Publication:
    """Every figure about colleagues, as exact_check encodes it."""

    sizes: tuple[tuple[str, int], ...]  # answered per colleague relationship (the cover)
    capabilities: tuple[tuple[str, tuple[str, ...]], ...]  # capability key, its item keys
    items: tuple[ItemFigures, ...]
    groups: tuple[GroupFigure, ...]
    scope: tuple[tuple[str, bool], ...]  # items known to be in (True) or out of scope
    manager_disclosed: bool
    scale: tuple[int, int]  # the bottom and top scores
    rules: AnonymityRules


def publication_of(report: Report) -> Publication:
    """The Report's figures about colleagues; refuses a field it cannot account for."""
    check_fields_known()
    return Publication(
        sizes=tuple((c.relationship, c.answered) for c in report.counts if c.relationship != SELF),
        capabilities=tuple((c.key, tuple(i.key for i in c.items)) for c in report.capabilities),
        items=tuple(_item_figures(i) for c in report.capabilities for i in c.items),
        groups=tuple(g for c in report.capabilities for g in _group_figures(report, c)),
        scope=tuple(fact for c in report.capabilities for fact in _scope_facts(report, c)),
        manager_disclosed=report.group(LINE_MANAGER) is not None,
        scale=(min(p.value for p in report.scale), max(p.value for p in report.scale)),
        rules=report.rules,
    )


def check_fields_known() -> None:
    """A field added to the Report must be read here (or declared harmless) before it ships."""
    for kind, read in READ.items():
        names = {f.name for f in dataclasses.fields(kind)}
        unknown = names - read - NOT_ABOUT_ANSWERS[kind]
        assert not unknown, f"{kind.__name__} publishes {unknown}, which the checker ignores"


def exact_total(mean: float, count: int) -> int:
    """The one integer total whose mean over `count` rounds to the published two decimals."""
    assert 0 < count < 100, count
    total = round(mean * count)
    assert abs(total / count - mean) <= 0.005 + 1e-9, (mean, count)
    return total


def _item_figures(item: ItemResult) -> ItemFigures:
    mean = item.colleague_mean
    return ItemFigures(
        key=item.key,
        ratings=item.ratings,
        not_observed=item.not_observed,
        total=None if mean is None or item.ratings is None else exact_total(mean, item.ratings),
        hundredths=round(mean * 100) if mean is not None and item.ratings is None else None,
        # A range, should a report carry one again (reports kept before it was withdrawn did).
        low=getattr(item, "low", None),
        high=getattr(item, "high", None),
    )


def _group_figures(report: Report, capability: CapabilityResult) -> list[GroupFigure]:
    figures = []
    for score in capability.scores:
        group = report.group(score.group)
        assert group is not None, score.group
        needed = report.rules.manager_min if group.key == LINE_MANAGER else report.rules.group_min
        total = exact_total(score.mean, score.ratings)
        figures.append(
            GroupFigure(group.members, capability.figure_items, total, score.ratings, needed)
        )
    return figures


def _scope_facts(report: Report, capability: CapabilityResult) -> list[tuple[str, bool]]:
    """Which items have enough scores for a figure, as far as the report tells.

    Where one item shows its mean, the capability's items show theirs whenever they have enough
    scores: so exactly the shown do; and an item held back as having too few scores has too
    few. Every other reason says nothing of the item's own scores (check_reasons). Group means
    are over all the capability's items whatever their scores, so they tell nothing here.
    """
    _check_reasons(report, capability)
    manager = report.group(LINE_MANAGER) is not None
    too_few = too_few_scores(report.rules, manager)
    if any(i.colleague_mean is not None for i in capability.items):
        # An item held back against an earlier report may have had enough scores: unknown.
        known = [i for i in capability.items if not i.held_over_time]
        return [(i.key, i.colleague_mean is not None) for i in known]
    return [(i.key, False) for i in capability.items if i.held_back == too_few]


def _check_reasons(report: Report, capability: CapabilityResult) -> None:
    """Each reason is one the checker knows what it tells: a group's held back is exactly the
    report's groups with no mean here, each for one reason (or, in a newer report, because of an
    earlier one); an item's follows from whether "All colleagues" is shown and whether any item
    of the capability shows its mean, or it was held back against an earlier report."""
    scored = {s.group for s in capability.scores}
    held = [h.group for h in capability.held_back]
    assert held == [g.key for g in report.groups if g.key not in scored]
    group_reasons = {GROUP_HELD_BACK}
    if capability.held_over_time:
        group_reasons.add(COMPARED_WITH_EARLIER)
    assert {h.reason for h in capability.held_back} <= group_reasons
    rules, manager = report.rules, report.group(LINE_MANAGER) is not None
    if report.group("all") is None:
        allowed = {few_colleagues(rules)}
    elif any(i.colleague_mean is not None for i in capability.items):
        allowed = {too_few_scores(rules, manager)}
    else:
        allowed = {too_few_scores(rules, manager), SINGLES_OUT}
    # Reports kept before reasons were say only that a figure is held back.
    allowed.add(KEPT_BEFORE)
    for item in capability.items:
        if item.held_over_time:
            assert item.colleague_mean is None and item.held_back == COMPARED_WITH_EARLIER, item
            continue
        assert item.held_back in (allowed if item.colleague_mean is None else {""}), item
