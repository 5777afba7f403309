"""The anonymity thresholds of DESIGN.md section 4, kept in one small value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnonymityRules:
    # A colleague group's figures need this many answer sets (and contributing raters).
    group_min: int = 3
    # The line manager is told their answers are not anonymous, so one is enough.
    manager_min: int = 1
    # "All colleagues" needs one more than a group, so it never equals a single small group.
    all_min: int = 4
    # An item's colleague score needs this many scores (not-observed answers do not count).
    item_min: int = 3
    # Comments are shown only when this many colleagues answered at all.
    comments_min: int = 3
    # A full point on the five-point scale between self and colleagues marks a blind spot
    # or a hidden strength.
    gap: float = 1.0
    # A hidden strength is something colleagues rate highly: their mean at least this ("often"
    # on the five-point scale). A blind spot is the reverse: the worker's own score this high.
    strength_min: float = 4.0
    # How many items the "highest" and "lowest" lists hold at most.
    highlights: int = 5

    def is_safe_size(self, raters: int) -> bool:
        """No one, or enough people that no individual stands out."""
        return raters == 0 or raters >= self.group_min

    def counts_shown(self, anonymous: int) -> bool:
        """May items show their numbers of scores and not-observed answers, when `anonymous`
        colleagues (all but a line manager shown on their own) answered? With one or two,
        "nobody scored this" would say what each of them answered."""
        return self.is_safe_size(anonymous)


DEFAULT_RULES = AnonymityRules()
