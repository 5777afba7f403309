"""SECURITY.md line 25 for two reports of one worker side by side (issue 19).

Pairs of rounds are generated with, per relationship, colleagues who answer both rounds alike,
some who left and some who joined, not-observed answers among them; the newer report is made
as the app makes it at close, held back against the earlier. exact_pairs.py then asks z3 what
both reports together force, granting the attacker the true overlap.
"""

from __future__ import annotations

import pytest
from builders_report import Rater, report_of, small_instrument
from exact_pairs import JOINED, LEFT, STEADY, PairAttacker, PartForced
from exact_publication import publication_of
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from feedback360.reports.over_time import hold_back_against

INSTRUMENT = small_instrument((1, 3))
RELATIONSHIPS = ("line_manager", "peer", "direct_report", "other")
ANSWERS = (None, 1, 2, 3, 4, 5)
PAIRS = 200
STEADY_SIZES = st.sampled_from((0, 1, 2, 3, 3, 4, 5))
CHANGES = st.sampled_from((0, 0, 1, 1, 2))
SETTINGS = dict(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# (part, relationship, answers to each item)
Person = tuple[str, str, dict[str, int | None]]


@st.composite
def pairs(draw) -> list[Person]:
    palette = tuple(draw(st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=3, unique=True)))
    people: list[Person] = []
    for relationship in RELATIONSHIPS:
        manager = relationship == "line_manager"
        sizes = {
            STEADY: draw(st.sampled_from((0, 1)) if manager else STEADY_SIZES),
            LEFT: draw(st.sampled_from((0, 0, 1)) if manager else CHANGES),
            JOINED: draw(st.sampled_from((0, 0, 1)) if manager else CHANGES),
        }
        own = draw(st.one_of(st.just(palette), st.just(ANSWERS)))
        for part, size in sizes.items():
            for _ in range(size):
                answers = {i.key: draw(st.sampled_from(own)) for i in INSTRUMENT.items}
                people.append((part, relationship, answers))
    return people


def reports(people: list[Person], rule: bool = True):
    earlier = report_of(_raters(people, (STEADY, LEFT)), INSTRUMENT)
    newer = report_of(_raters(people, (STEADY, JOINED)), INSTRUMENT)
    return earlier, hold_back_against(newer, [earlier]) if rule else newer


def _raters(people: list[Person], parts: tuple[str, ...]) -> list[Rater]:
    chosen = [(r, a) for p, r, a in people if p in parts]
    return [(f"{r}-{n}", r, a) for n, (r, a) in enumerate(chosen)]


def attacker(people: list[Person], rule: bool = True) -> PairAttacker:
    earlier, newer = reports(people, rule)
    sizes: dict[tuple[str, str], int] = {}
    for part, relationship, _ in people:
        sizes[(part, relationship)] = sizes.get((part, relationship), 0) + 1
    return PairAttacker(publication_of(earlier), publication_of(newer), sizes)


def truth(people: list[Person]) -> dict[tuple[str, str, str], list[int]]:
    found: dict[tuple[str, str, str], list[int]] = {}
    for part, relationship, answers in people:
        for item, answer in answers.items():
            found.setdefault((part, relationship, item), []).append(answer or 0)
    return found


# Known gap (issue 19, still open): the rule reasons linearly about whom a combination of the
# two reports' sums rests on, and checks the scale's ends only figure against the same figure.
# z3 also uses bounds: a combination resting on three or four people, some who left and some
# who joined, can sit at the ends of its range (one left at 1, one joined at 5; "not observed"
# is 0 or 1 per item) and force each of them. About 3 of the 200 generated pairs still show
# it; this marks the property unproven rather than hiding it (--runxfail shows the pairs).
# Strict, and the pairs are the same in every run (derandomized): the day the rule closes the
# gap this test fails as passing unexpectedly, and the mark must go.
@pytest.mark.xfail(reason="answers forced at the ends of a combination", strict=True)
@pytest.mark.no_database
@settings(max_examples=PAIRS, **SETTINGS)
@given(pairs())
def test_no_pair_of_reports_forces_a_score_of_fewer_than_three(people):
    checked = attacker(people)
    assert checked.fits(truth(people))  # the encoding admits what happened
    assert checked.leaks() == []


# The attack: three peers answer alike in both rounds, a fourth only in the first.
STEADY_ANSWERS = {"c1i1": 4, "c2i1": 3, "c2i2": 4, "c2i3": 2}
FOURTH = {"c1i1": 1, "c2i1": 5, "c2i2": 2, "c2i3": 5}
ATTACK = [(STEADY, "peer", STEADY_ANSWERS)] * 3 + [(LEFT, "peer", FOURTH)]


@pytest.mark.no_database
def test_the_attack_finds_the_fourth_peers_totals_without_the_rule():
    forced = attacker(ATTACK, rule=False).leaks()
    assert PartForced(LEFT, "peer", "cap1", 1, total=True) in forced
    assert PartForced(LEFT, "peer", "cap2", 12, total=True) in forced


@pytest.mark.no_database
def test_the_attack_is_refused_with_the_rule():
    assert attacker(ATTACK).leaks() == []


@pytest.mark.no_database
def test_the_generated_pairs_reach_a_leak_without_the_rule():
    """Some early generated pair leaks when the newer report is not held back: the pairs can
    find what the rule is for, so the property's passing says something."""
    quick = settings(max_examples=PAIRS, phases=[Phase.generate], **SETTINGS)
    found = find(pairs(), lambda people: bool(attacker(people, rule=False).leaks()), settings=quick)
    assert attacker(found, rule=False).leaks()
