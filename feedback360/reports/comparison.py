"""Two closed rounds of one worker compared: plain values for the page, the PDF and the export.

Only figures both kept reports publish are compared; a figure either report held back stays
held back here, and nothing is derived from the two (docs/reports.md, "Two rounds").
Capabilities match by key, items by their stable keys, so rounds of different instrument
versions compare on what they both asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from .report import CapabilityResult, Report

# A change smaller than this on the five-point scale is shown as no clear change.
SMALLEST_CLEAR_CHANGE = 0.5
CLEAR_CHANGE_RULE = (
    "A change is shown as “no clear change” when it is smaller than half a point on the "
    "five-point scale, or smaller than one colleague changing their answer from one end of the "
    "scale to the other could cause on its own."
)


@dataclass(frozen=True, slots=True)
class Change:
    """One figure then and now; None where that report does not publish it."""

    then: float | None
    now: float | None
    # The most one person's answer could move either figure (None: not known, as for self).
    one_person: float | None = None

    @property
    def compared(self) -> bool:
        return self.then is not None and self.now is not None

    @property
    def difference(self) -> float | None:
        return round(self.now - self.then, 2) if self.compared else None  # type: ignore[operator]

    @property
    def clear(self) -> bool:
        """Large enough to mean something by the rule stated in the comparison."""
        if self.difference is None:
            return False
        needed = max(SMALLEST_CLEAR_CHANGE, self.one_person or 0.0)
        return abs(self.difference) >= needed - 1e-9

    @property
    def direction(self) -> str:
        if not self.compared:
            return "not in both"
        if not self.clear:
            return "no clear change"
        return "up" if self.difference > 0 else "down"  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class GroupChange:
    key: str
    label: str
    change: Change


@dataclass(frozen=True, slots=True)
class ItemChange:
    key: str
    text: str
    self_change: Change
    colleagues: Change


@dataclass(frozen=True, slots=True)
class CapabilityChange:
    key: str
    name: str
    self_change: Change
    groups: tuple[GroupChange, ...]
    items: tuple[ItemChange, ...]
    held_back: bool  # either report held some of its figures back


@dataclass(frozen=True, slots=True)
class CountChange:
    relationship: str
    label: str
    then: int
    now: int


@dataclass(frozen=True, slots=True)
class Comparison:
    worker_name: str
    then_title: str
    then_closed_on: str
    now_title: str
    now_closed_on: str
    counts: tuple[CountChange, ...]
    capabilities: tuple[CapabilityChange, ...]
    rule: str = CLEAR_CHANGE_RULE


def compare(then: Report, now: Report) -> Comparison:
    earlier = {c.key: c for c in then.capabilities}
    spread = _spread(now)
    return Comparison(
        worker_name=now.worker_name,
        then_title=then.instrument_title,
        then_closed_on=then.closed_on,
        now_title=now.instrument_title,
        now_closed_on=now.closed_on,
        counts=_counts(then, now),
        capabilities=tuple(
            _capability(earlier[c.key], c, then, now, spread)
            for c in now.capabilities
            if c.key in earlier and _shared_items(earlier[c.key], c)
        ),
    )


def _spread(report: Report) -> int:
    values = [p.value for p in report.scale]
    return max(values) - min(values)


def _shared_items(then: CapabilityResult, now: CapabilityResult) -> bool:
    return bool({i.key for i in then.items} & {i.key for i in now.items})


def _counts(then: Report, now: Report) -> tuple[CountChange, ...]:
    before = {c.relationship: c for c in then.counts if c.relationship != "self"}
    after = {c.relationship: c for c in now.counts if c.relationship != "self"}
    order = [*after, *(r for r in before if r not in after)]
    found = tuple(
        CountChange(
            relationship=r,
            label=(after.get(r) or before[r]).label,
            then=before[r].answered if r in before else 0,
            now=after[r].answered if r in after else 0,
        )
        for r in order
    )
    return tuple(c for c in found if c.then or c.now)  # relationships nobody answered in


def _capability(
    then: CapabilityResult, now: CapabilityResult, old: Report, new: Report, spread: int
) -> CapabilityChange:
    return CapabilityChange(
        key=now.key,
        name=now.name,
        self_change=Change(then.self_mean, now.self_mean),
        groups=_groups(then, now, old, new, spread),
        items=_items(then, now, spread),
        held_back=then.held_over_time or now.held_over_time or _items_held(then, now),
    )


def _items_held(then: CapabilityResult, now: CapabilityResult) -> bool:
    return any(i.held_over_time for i in (*then.items, *now.items))


def _groups(
    then: CapabilityResult, now: CapabilityResult, old: Report, new: Report, spread: int
) -> tuple[GroupChange, ...]:
    """Group means both publish, for groups of the same relationships in both."""
    found = []
    for score in now.scores:
        before = then.score(score.group)
        group, old_group = new.group(score.group), old.group(score.group)
        if before is None or group is None or old_group is None:
            continue
        if group.members != old_group.members:
            continue  # "Other colleagues combined" may pool other relationships each time
        one = spread / min(group.answered, old_group.answered)
        found.append(GroupChange(score.group, group.label, Change(before.mean, score.mean, one)))
    return tuple(found)


def _items(then: CapabilityResult, now: CapabilityResult, spread: int) -> tuple[ItemChange, ...]:
    earlier = {i.key: i for i in then.items}
    found = []
    for item in now.items:
        before = earlier.get(item.key)
        if before is None:
            continue
        ratings = [n for n in (item.ratings, before.ratings) if n]
        # With hidden counts, at least the item minimum of three scored it.
        one = spread / min(ratings) if ratings else spread / 3
        found.append(
            ItemChange(
                key=item.key,
                text=item.text,
                self_change=Change(_float(before.self_score), _float(item.self_score)),
                colleagues=Change(before.colleague_mean, item.colleague_mean, one),
            )
        )
    return tuple(found)


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)
