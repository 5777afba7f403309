"""The anonymity invariant, as a property over random rounds.

Nothing a report shows may let anyone compute the scores of fewer than 3 colleagues (other than
a line manager whose figures are shown), including by subtracting published figures.

The oracle here is independent of feedback360.reports.groups and .audit: it rebuilds, from the raw
answers, the exact set of scores behind every published mean (checking that the mean and count
match), treats each published figure as a known sum over those scores, and asks linear algebra
whether any combination of the sums involves only one or two people.
"""

from __future__ import annotations

import itertools

import numpy as np
from builders_report import MISSING, report_of, small_instrument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback360.reports.report import ALL_COLLEAGUES, Report

INSTRUMENT = small_instrument((1, 2, 3))
RELATIONSHIPS = ("line_manager", "peer", "direct_report", "other")
ANSWER = st.sampled_from([1, 2, 3, 4, 5, 5, None, None, MISSING])


@st.composite
def rounds(draw) -> list[tuple[str, str, dict]]:
    """Group sizes 0-6 (line manager 0-3), each answer a score, not observed, or missing."""
    people = []
    for relationship in RELATIONSHIPS:
        count = draw(st.integers(0, 3 if relationship == "line_manager" else 6))
        for n in range(count):
            scores = {item.key: draw(ANSWER) for item in INSTRUMENT.items}
            people.append((f"{relationship}-{n}", relationship, scores))
    if draw(st.booleans()):
        people.append(("self-0", "self", {item.key: draw(ANSWER) for item in INSTRUMENT.items}))
    return people


def scored(people, relationships, items) -> dict[tuple[str, str], int]:
    """(answer set, item) -> score, for the scores behind a figure."""
    return {
        (answer_set, item): score
        for answer_set, relationship, scores in people
        for item, score in scores.items()
        if relationship in relationships and item in items and score not in (None, MISSING)
    }


def published_supports(report: Report, people) -> list[tuple[str, list[set]]]:
    """Per capability, the support of every published figure, after checking its value."""
    result = []
    for capability, spec in zip(report.capabilities, INSTRUMENT.capabilities, strict=True):
        supports = []
        for score in capability.scores:
            group = report.group(score.group)
            support = scored(people, group.members, capability.figure_items)
            _check_figure(support, score.mean, score.ratings)
            supports.append(set(support))
        for item in capability.items:
            if item.colleague_mean is not None:
                support = scored(people, RELATIONSHIPS, {item.key})
                _check_figure(support, item.colleague_mean, item.ratings)
                supports.append(set(support))
        result.append((spec.key, supports))
    return result


def _check_figure(support: dict, mean: float, ratings: int) -> None:
    assert ratings == len(support)
    assert abs(mean - sum(support.values()) / len(support)) < 0.006


def isolating_sets(supports: list[set], people, manager_known: bool) -> list[frozenset]:
    """Sets of one or two people (not only line managers) whose scores some sum isolates."""
    managers = {a for a, r, _ in people if r == "line_manager"}
    columns = sorted({cell for s in supports for cell in s})
    if manager_known:
        columns = [c for c in columns if c[0] not in managers]
    if not columns:
        return []
    matrix = np.array([[float(c in s) for c in columns] for s in supports])
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[: int((singular > 1e-9).sum())]
    raters = sorted({c[0] for c in columns})
    found = []
    for size in (1, 2):
        for people_set in map(frozenset, itertools.combinations(raters, size)):
            if people_set <= managers:
                continue
            inside = np.array([c[0] in people_set for c in columns])
            just_managers = np.array([c[0] in people_set & managers for c in columns])
            if _rank(basis[:, ~just_managers]) > _rank(basis[:, ~inside]):
                found.append(people_set)
    return found


def _rank(matrix: np.ndarray) -> int:
    return 0 if matrix.size == 0 else int(np.linalg.matrix_rank(matrix, tol=1e-9))


def answered(people, relationships) -> int:
    return sum(1 for _, r, _ in people if r in relationships)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_no_published_figure_isolates_fewer_than_three(people):
    report = report_of(people, INSTRUMENT)
    manager_known = report.group("line_manager") is not None
    for key, supports in published_supports(report, people):
        assert isolating_sets(supports, people, manager_known) == [], key


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_group_thresholds_and_subtraction_at_answer_set_level(people):
    report = report_of(people, INSTRUMENT)
    colleagues = answered(people, RELATIONSHIPS)
    for group in report.groups:
        assert group.answered == answered(people, group.members)
        needed = {ALL_COLLEAGUES: 4, "line_manager": 1}.get(group.key, 3)
        assert group.answered >= needed
    shown = [g for g in report.groups if g.key != ALL_COLLEAGUES]
    if report.group(ALL_COLLEAGUES) is not None:
        left = colleagues - sum(g.answered for g in shown)
        assert left == 0 or left >= 3
    if colleagues < 3:
        assert not any(c.comments for c in report.capabilities)


def test_the_oracle_sees_the_classic_subtraction():
    """A naive report (all colleagues, and peers, with two others) is caught by the oracle."""
    people = [(f"p{n}", "peer", {"c1i1": 4}) for n in range(3)]
    people += [(f"o{n}", "other", {"c1i1": 2}) for n in range(2)]
    all_support = {(a, "c1i1") for a, _, _ in people}
    peer_support = {(a, "c1i1") for a, r, _ in people if r == "peer"}
    found = isolating_sets([all_support, peer_support], people, manager_known=False)
    assert frozenset({"o0", "o1"}) in found


def test_the_oracle_sees_subtraction_through_not_observed_items():
    """Group sums minus item sums can isolate one person who alone scored an item."""
    people = [("d1", "other", {"a": 5, "b": 5}), ("d2", "other", {"a": 4, "b": None})]
    people += [("d3", "other", {"a": 3, "b": None})]
    people += [(f"p{n}", "peer", {"a": None, "b": 2}) for n in range(3)]
    other = {("d1", "a"), ("d1", "b"), ("d2", "a"), ("d3", "a")}
    item_a = {("d1", "a"), ("d2", "a"), ("d3", "a")}
    found = isolating_sets([other, item_a], people, manager_known=False)
    assert frozenset({"d1"}) in found
