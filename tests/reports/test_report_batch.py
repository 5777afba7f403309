"""summarize_many(): a cohort's reports from one frame, each what summarize() gives its round.

summarize() is summarize_many() for one round, so these tests check what only a cohort can get
wrong (rounds kept apart, shared counts) and the numpy shortcuts of the audit.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from builders_report import (
    FACTS,
    MISSING,
    answers_frame_of,
    comments_frame_of,
    raters,
    report_of,
    small_instrument,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback360.reports.aggregate import RoundFacts, summarize, summarize_many
from feedback360.reports.audit import _cells, _leaks, _within_reach
from feedback360.reports.groups import choose_cohort_groups, cohort_in_scope
from feedback360.reports.relationships import COLLEAGUE_RELATIONSHIPS
from feedback360.reports.rules import DEFAULT_RULES, AnonymityRules
from feedback360.reports.tally import capability_parts, tally

INSTRUMENT = small_instrument((1, 2, 3))
RELATIONSHIPS = ("line_manager", "peer", "direct_report", "other")
ANSWER = st.sampled_from([1, 2, 3, 4, 5, 5, None, None, MISSING])
TEXT = st.sampled_from(["Kind.", "  ", "Listens well.", " Clear. "])


@st.composite
def a_round(draw, tag: str) -> tuple[list, list]:
    """Group sizes 0-5 (line manager 0-2), each answer a score, not observed or missing, and
    some comments, under answer-set ids unique to `tag`."""
    people, comments = [], []
    sizes = {r: draw(st.integers(0, 2 if r == "line_manager" else 5)) for r in RELATIONSHIPS}
    if draw(st.booleans()):
        sizes["self"] = 1
    for relationship, count in sizes.items():
        for n in range(count):
            answer_set = f"{tag}-{relationship}-{n}"
            people.append(
                (answer_set, relationship, {i.key: draw(ANSWER) for i in INSTRUMENT.items})
            )
            for question in ("does_well", "cap1"):
                if draw(st.booleans()):
                    comments.append((answer_set, relationship, question, draw(TEXT)))
    return people, comments


def facts(round_id: int) -> RoundFacts:
    return RoundFacts(
        f"Worker {round_id}", dt.date(2026, 1, 5), dt.date(2026, 2, 2), f"s{round_id}"
    )


def cohort_frames(rounds: list[tuple[list, list]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    answers = [answers_frame_of(p).assign(round=n) for n, (p, _) in enumerate(rounds)]
    comments = [comments_frame_of(c).assign(round=n) for n, (_, c) in enumerate(rounds)]
    return pd.concat(answers, ignore_index=True), pd.concat(comments, ignore_index=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=6, unique=True).flatmap(
        lambda tags: st.tuples(*(a_round(str(t)) for t in tags))
    )
)
def test_each_report_of_a_cohort_is_its_rounds_own(rounds):
    answers, comments = cohort_frames(list(rounds))
    reports = summarize_many(
        answers, comments, INSTRUMENT, DEFAULT_RULES, {n: facts(n) for n in range(len(rounds))}
    )
    for n, (people, notes) in enumerate(rounds):
        alone = summarize(
            answers_frame_of(people), comments_frame_of(notes), INSTRUMENT, DEFAULT_RULES, facts(n)
        )
        assert reports[n] == alone


def test_a_round_with_no_answers_yet_has_a_report_of_zeros():
    answers, comments = cohort_frames([(raters("peer", 3, {"c1i1": 4}), [])])
    reports = summarize_many(answers, comments, INSTRUMENT, DEFAULT_RULES, {0: FACTS, 1: FACTS})
    assert reports[1].colleagues_answered == 0 and reports[1].groups == ()
    assert all(i.ratings == 0 for c in reports[1].capabilities for i in c.items)
    assert summarize_many(answers.iloc[:0], comments, INSTRUMENT, DEFAULT_RULES, {}) == {}


def test_more_than_64_colleagues_in_a_round_are_counted_and_audited():
    # As in test_group_figures_are_withheld_where_subtracting_items_would_single_someone_out,
    # with 70 peers: "others" minus the item-1 figure would give one person's item-2 score.
    instrument = small_instrument((2,))
    people = raters("other", 1, {"c1i1": 5, "c1i2": 5})
    people += raters("other", 2, {"c1i1": 4, "c1i2": None})
    people += raters("peer", 70, {"c1i1": None, "c1i2": 2})
    capability = report_of(people, instrument).capabilities[0]
    assert [s.group for s in capability.scores] == ["all"]
    assert capability.groups_withheld
    assert [(i.ratings, i.colleague_mean) for i in capability.items] == [(3, 4.33), (71, 2.04)]


def test_answers_of_a_round_not_asked_for_are_refused():
    answers, comments = cohort_frames([(raters("peer", 3, {"c1i1": 4}), [])])
    with pytest.raises(ValueError, match="not asked for"):
        summarize_many(answers, comments, INSTRUMENT, DEFAULT_RULES, {1: FACTS})


def test_an_answer_set_in_two_rounds_is_refused():
    people = raters("peer", 3, {"c1i1": 4})
    answers, comments = cohort_frames([(people, []), (people, [])])
    with pytest.raises(ValueError, match="two rounds"):
        summarize_many(answers, comments, INSTRUMENT, DEFAULT_RULES, {0: FACTS, 1: FACTS})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a_round("r"), st.sampled_from([DEFAULT_RULES, AnonymityRules(group_min=4, all_min=5)]))
def test_rounds_out_of_reach_are_those_the_linear_algebra_clears(round_, rules):
    """Where _within_reach spares a round the linear algebra, _leaks finds nothing either,
    with every group published and with or without the item figures."""
    counts = tally(answers_frame_of(round_[0]).assign(round=0), INSTRUMENT, [0])
    groups = choose_cohort_groups(counts.answered[:, 1:], rules)
    known = groups.manager_known()
    in_scope = cohort_in_scope(counts.ratings, known, rules)
    parts = capability_parts(INSTRUMENT)
    for part, capability in zip(parts, INSTRUMENT.capabilities, strict=True):
        cells = _cells(counts, in_scope, part, capability)
        if _within_reach(cells, known, rules)[0]:
            continue
        scope = tuple(i for i, inside in zip(cells.items, cells.scope[0], strict=True) if inside)
        masks = cells.raters[0].tolist()
        found = {
            (r, i): int(mask)
            for r, row in zip(COLLEAGUE_RELATIONSHIPS, masks, strict=True)
            for i, mask in zip(cells.items, row, strict=True)
            if mask
        }
        everyone = groups.choices[groups.at[0]]
        for items in (scope, ()):
            assert not _leaks(everyone, items, scope, found, bool(known[0]), rules)
