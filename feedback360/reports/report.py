"""The Report: plain values only, the one thing templates and charts ever see.

A Report is stored as JSON in RoundReport.data when a round closes, and read back identically,
so every later view and download shows exactly what was produced then.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

from .reasons import GROUP_HELD_BACK, KEPT_BEFORE
from .rules import AnonymityRules

# Bumped when the stored shape changes; from_dict() upgrades what older versions kept.
# 2: items no longer carry the range (low, high) and may hide their counts (None).
# 3: figures held back say why (`held_back`); the highlight lists say how many they left out at
# a tie (`*_tied_out`); rules carry `strength_min`. Group means are over all the capability's
# scores from then on; reports kept before keep the figures they were made with.
SCHEMA_VERSION = 3
ALL_COLLEAGUES = "all"
COMBINED = "combined"
LINE_MANAGER = "line_manager"


@dataclass(frozen=True, slots=True)
class GroupCount:
    """How many answered in one relationship: shown on the cover."""

    relationship: str
    label: str
    answered: int


@dataclass(frozen=True, slots=True)
class Group:
    """A set of colleagues whose figures the rules allow to be shown together."""

    key: str
    label: str
    members: tuple[str, ...]
    answered: int


@dataclass(frozen=True, slots=True)
class Score:
    """A group's mean over `ratings` scores (not-observed answers excluded)."""

    group: str
    mean: float
    ratings: int


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item: no range of colleagues' scores, as a range can force who gave what."""

    key: str
    number: int
    text: str
    indicator: str
    self_score: int | None
    colleague_mean: float | None
    # None where one or two colleagues could be told apart by them (rules.counts_shown).
    ratings: int | None
    not_observed: int | None
    # Why colleague_mean is None, in words for where it would be; "" when it is shown.
    held_back: str = ""
    # True when its colleague figures were held back because they could be compared with
    # an earlier report of the same worker (reports/over_time.py). Reports kept before
    # that rule read back as False.
    held_over_time: bool = False


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A group of the report with no figure on a capability, and why, for where it would be."""

    group: str
    reason: str


@dataclass(frozen=True, slots=True)
class CapabilityResult:
    key: str
    name: str
    description: str
    self_mean: float | None
    scores: tuple[Score, ...]
    # The items the group means are taken over: all the capability's, when a group has a mean.
    figure_items: tuple[str, ...]
    items: tuple[ItemResult, ...]
    comments: tuple[str, ...]
    self_comment: str
    # True when group figures were held back here because not-observed answers left too few.
    groups_withheld: bool
    # Each of the report's groups without a mean here, with the reason.
    held_back: tuple[HeldBack, ...] = ()
    # Group means held back against an earlier report of the same worker (over_time.py).
    held_over_time: bool = False

    def score(self, group: str) -> Score | None:
        return next((s for s in self.scores if s.group == group), None)


@dataclass(frozen=True, slots=True)
class ItemHighlight:
    """An item in the highest, lowest, blind-spot or hidden-strength lists."""

    key: str
    number: int
    capability: str
    text: str
    self_score: int | None
    colleague_mean: float


@dataclass(frozen=True, slots=True)
class QuestionComments:
    key: str
    prompt: str
    comments: tuple[str, ...]
    self_comment: str


@dataclass(frozen=True, slots=True)
class ScaleLabel:
    value: int
    label: str


@dataclass(frozen=True, slots=True)
class Report:
    schema: int
    worker_name: str
    instrument_key: str
    instrument_title: str
    instrument_version: int
    opened_on: str
    closed_on: str
    scale: tuple[ScaleLabel, ...]
    not_observed_label: str
    counts: tuple[GroupCount, ...]
    colleagues_answered: int
    groups: tuple[Group, ...]
    capabilities: tuple[CapabilityResult, ...]
    highest: tuple[ItemHighlight, ...]
    lowest: tuple[ItemHighlight, ...]
    blind_spots: tuple[ItemHighlight, ...]
    hidden_strengths: tuple[ItemHighlight, ...]
    # How many more statements share the colleague mean of the last one listed in `highest`
    # (and `lowest`) but were left out of it: a tie is never cut without saying so.
    highest_tied_out: int
    lowest_tied_out: int
    questions: tuple[QuestionComments, ...]
    comments_shown: bool
    rules: AnonymityRules

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    @property
    def has_colleague_figures(self) -> bool:
        return any(c.scores for c in self.capabilities)


def to_dict(report: Report) -> dict[str, Any]:
    """JSON-ready: tuples become lists, nothing else changes."""
    return _plain(report)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def from_dict(data: dict[str, Any]) -> Report:
    """The Report that to_dict() wrote, field for field; older reports are upgraded first."""
    if data["schema"] < 2:
        data = _without_ranges(data)
    if data["schema"] < 3:
        data = upgraded_to_three(data)
    return _build(Report, data)


def _without_ranges(data: dict[str, Any]) -> dict[str, Any]:
    """A schema 1 report as schema 2 would have made it: no item ranges, and no item counts
    where the counts rule hides them. Its other figures are exactly as they were kept."""
    rules = AnonymityRules(**data["rules"])
    manager_shown = any(g["key"] == LINE_MANAGER for g in data["groups"])
    anonymous = sum(
        c["answered"]
        for c in data["counts"]
        if c["relationship"] != "self" and not (manager_shown and c["relationship"] == LINE_MANAGER)
    )
    counted = rules.counts_shown(anonymous)
    capabilities = [
        {**capability, "items": [_upgraded_item(i, counted) for i in capability["items"]]}
        for capability in data["capabilities"]
    ]
    return {**data, "schema": 2, "capabilities": capabilities}


def _upgraded_item(item: dict[str, Any], counted: bool) -> dict[str, Any]:
    kept = {k: v for k, v in item.items() if k not in ("low", "high")}
    if not counted:
        kept |= {"ratings": None, "not_observed": None}
    return kept


def upgraded_to_three(data: dict[str, Any]) -> dict[str, Any]:
    """A schema 2 report with what schema 3 adds, filled in from its own figures: each held-back
    figure says so (not why: that was not kept), and ties left out of the highlight lists are
    counted. Its highlights were made with no floor, so its rules say strength_min is the
    scale's bottom. Fields it has already are kept."""
    bottom = float(min(point["value"] for point in data["scale"]))
    groups = [g["key"] for g in data["groups"]]
    means = [i["colleague_mean"] for c in data["capabilities"] for i in c["items"]]
    return {
        "highest_tied_out": tied_out([h["colleague_mean"] for h in data["highest"]], means),
        "lowest_tied_out": tied_out([h["colleague_mean"] for h in data["lowest"]], means),
        **data,
        "schema": 3,
        "rules": {"strength_min": bottom, **data["rules"]},
        "capabilities": [_capability_three(c, groups) for c in data["capabilities"]],
    }


def _capability_three(capability: dict[str, Any], groups: list[str]) -> dict[str, Any]:
    scored = {s["group"] for s in capability["scores"]}
    held_back = [{"group": g, "reason": GROUP_HELD_BACK} for g in groups if g not in scored]
    items = [
        {"held_back": "" if i["colleague_mean"] is not None else KEPT_BEFORE, **i}
        for i in capability["items"]
    ]
    return {"held_back": held_back, **capability, "items": items}


def tied_out(listed: Sequence[float], means: Sequence[float | None]) -> int:
    """Of the shown item means, how many equal the last listed one's and are not listed."""
    if not listed:
        return 0
    return list(means).count(listed[-1]) - list(listed).count(listed[-1])


def _defaulted(field: dataclasses.Field) -> bool:
    return field.default is not dataclasses.MISSING


def _build(kind: Any, value: Any) -> Any:
    if dataclasses.is_dataclass(kind):
        hints = get_type_hints(kind)
        # A field added later with a default is absent from reports kept before it.
        fields = [f for f in dataclasses.fields(kind) if f.name in value or not _defaulted(f)]
        return kind(**{f.name: _build(hints[f.name], value[f.name]) for f in fields})
    origin = get_origin(kind)
    if origin is tuple:
        inner = get_args(kind)[0]
        return tuple(_build(inner, v) for v in value)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        inner = next(a for a in get_args(kind) if a is not type(None))
        return _build(inner, value)
    if kind is float:
        return float(value)
    return value
