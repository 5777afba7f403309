"""Why a figure is held back, in the words a report shows where the figure would be.

Each reason follows from what the report publishes anyway (its groups, which figures it shows,
its rules), so saying it adds nothing about anyone's answers: tests/reports/exact_publication.py
checks that.
"""

from __future__ import annotations

from .rules import AnonymityRules

# A group's capability figure: one reason for every cause, so it tells no more than the dash.
GROUP_HELD_BACK = (
    "Held back to keep colleagues anonymous: too few people in this group scored these "
    "statements, or the figure could be worked out from the other figures."
)
# A statement's figure where the capability's figures together could single someone out; it
# may also have too few scores, and telling which would say more than the rules allow.
SINGLES_OUT = (
    "Held back: too few scores, or together with the other figures it could single someone out."
)
# A figure the two-rounds rule holds back in the newer report (over_time.py): the earlier
# report is the worker's own, so saying why adds nothing to what the two reports show.
COMPARED_WITH_EARLIER = "Held back: it could be compared with your earlier report."
# The same, where a capability's page notes it; here so that pages need not load numpy.
HELD_NOTE = "held back because it could be compared with your earlier report"
# Reports kept before reasons were kept: what was held back, but not why.
KEPT_BEFORE = "Held back: too few scores, or to keep colleagues anonymous."


def few_colleagues(rules: AnonymityRules) -> str:
    """Statement figures appear only beside "All colleagues", which needs all_min colleagues."""
    return f"Held back: statement figures need at least {rules.all_min} colleagues to answer."


def too_few_scores(rules: AnonymityRules, manager_shown: bool) -> str:
    """A statement with too few scores; a line manager shown on their own does not count."""
    if manager_shown:
        needed = max(rules.item_min, rules.group_min)
        return (
            f"Held back: needs at least {needed} scores from colleagues other than "
            "the line manager."
        )
    return f"Held back: needs at least {rules.item_min} scores."
