"""Two reports against an attacker who runs the rule itself (simulating.py), on tiny rounds.

The z3 property (test_report_pairs_exact.py) does not know why a figure was held back. Here the
attacker does: every truth that would have made the same two kept reports, refusals included.
The rounds are ones where the rule holds the newer report's figure back, taken from a random
search over tiny rounds (docs/reports.md, "Not yet proved", gives what it found).
"""

from __future__ import annotations

import pytest
from exact_pairs import JOINED, LEFT, STEADY
from simulating import kept_pair, pinned

# The attack on one item: three peers alike in both rounds, a fourth in the first only.
ATTACK = {(STEADY, "peer"): (4, 4, 4), (LEFT, "peer"): (1,)}
HELD = {
    "a peer alike, two others left, one joined": {
        (STEADY, "peer"): (2, None, 5),
        (LEFT, "other"): (None, 2),
        (JOINED, "other"): (2,),
    },
    "one of each, in two relationships": {
        (LEFT, "peer"): (2,),
        (JOINED, "peer"): (None,),
        (STEADY, "other"): (1,),
        (LEFT, "other"): (4,),
        (JOINED, "other"): (5,),
    },
    "two peers alike, one other left, two joined": {
        (STEADY, "peer"): (4, None),
        (LEFT, "other"): (2,),
        (JOINED, "other"): (3, 1),
    },
}


@pytest.mark.no_database
def test_without_the_rule_the_simulating_attacker_finds_the_fourth_peer():
    assert pinned(ATTACK, rule=False) == {(LEFT, "peer"): (1,)}


@pytest.mark.no_database
def test_with_the_rule_the_simulating_attacker_finds_nothing_in_the_attack():
    assert pinned(ATTACK) == {}


@pytest.mark.no_database
@pytest.mark.parametrize("parts", HELD.values(), ids=HELD.keys())
def test_a_figure_held_back_gives_nobody_away(parts):
    newer = kept_pair(parts)[1]
    assert any(i.held_over_time for c in newer.capabilities for i in c.items)
    assert pinned(parts) == {}
