"""The relationships colleagues answer in, and the groups a report may show them in."""

from __future__ import annotations

from .report import ALL_COLLEAGUES, COMBINED, LINE_MANAGER

SELF = "self"
OTHER_RELATIONSHIPS = ("peer", "direct_report", "other")
COLLEAGUE_RELATIONSHIPS = (LINE_MANAGER, *OTHER_RELATIONSHIPS)
# Self first, then the colleague relationships: the columns of the answer-set counts.
RELATIONSHIPS = (SELF, *COLLEAGUE_RELATIONSHIPS)
GROUP_LABELS = {
    ALL_COLLEAGUES: "All colleagues",
    LINE_MANAGER: "Line manager",
    "peer": "Peers",
    "direct_report": "People I manage",
    "other": "Others",
    COMBINED: "Other colleagues combined",
}
# Group keys, for the [..., group key] axis of the group sums.
GROUP_KEYS = tuple(GROUP_LABELS)
GROUP_AT = {key: n for n, key in enumerate(GROUP_KEYS)}
# The cover's labels for how many answered in each relationship.
COUNT_LABELS = {
    SELF: "Self-assessment",
    LINE_MANAGER: "Line manager",
    "peer": "Peer",
    "direct_report": "Someone I manage",
    "other": "Other",
}
