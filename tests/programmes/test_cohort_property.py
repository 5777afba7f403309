"""The cohort's thresholds and the rule against differencing, as properties over random cohorts.

Each worker's report is made by the real summarize(), so some hold figures back; the cohort
must then leave those workers out of those figures.
"""

from __future__ import annotations

import itertools

import pytest
import z3
from builders_report import raters, report_of, small_instrument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback360.programmes.cohort import (
    EVERYONE,
    MIN_WORKERS,
    Contribution,
    cohort_report,
    figure_values,
    offered_sets,
    shown_contributors,
)
from feedback360.programmes.differencing import smallest_isolated
from feedback360.reports.report import ALL_COLLEAGUES

INSTRUMENT = small_instrument((1, 2))

worker = st.tuples(
    st.sampled_from(["frontline", "manager"]),
    st.sampled_from(["Team leader", "Senior carer", "Manager"]),
    st.integers(min_value=2, max_value=6),  # colleagues who answered: below 3, figures held back
    st.integers(min_value=1, max_value=5),  # their score
    st.integers(min_value=1, max_value=5),  # the worker's own score
)


def contribution(number: int, spec: tuple) -> Contribution:
    instrument_key, role, colleagues, score, own = spec
    people = raters("self", 1, {i.key: own for i in INSTRUMENT.items})
    people += raters("peer", colleagues, {i.key: score for i in INSTRUMENT.items})
    return Contribution(number, instrument_key, role, report_of(people, INSTRUMENT))


def cohort_of(specs: list[tuple]) -> list[Contribution]:
    return [contribution(n, spec) for n, spec in enumerate(specs)]


def isolating_combination(sets: list[frozenset[int]]) -> dict[int, float] | None:
    """z3's answer, independent of the rank argument: can any weighting of the published sets
    (rational weights, so whole numbers too after scaling) sum to a vector that is non-zero for
    at least one worker and for fewer than MIN_WORKERS? Returns that vector, or None."""
    weights = [z3.Real(f"w{i}") for i in range(len(sets))]
    workers = sorted(frozenset().union(*sets))
    solver = z3.Solver()
    touched = []
    for w in workers:
        value = z3.Sum([weights[i] for i, s in enumerate(sets) if w in s] or [z3.RealVal(0)])
        touched.append((w, value))
    solver.add(z3.Or([value != 0 for _, value in touched]))
    solver.add(z3.Sum([z3.If(value != 0, 1, 0) for _, value in touched]) < MIN_WORKERS)
    if solver.check() != z3.sat:
        return None
    model = solver.model()
    return {w: model.eval(value) for w, value in touched if not z3.is_true(model.eval(value == 0))}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(worker, max_size=16))
def test_no_combination_of_offered_views_or_figures_isolates_fewer_than_five(specs):
    cohort = cohort_of(specs)
    offered = offered_sets(cohort)
    if len(cohort) < MIN_WORKERS:
        assert offered == {} and cohort_report(cohort).capabilities == ()
        return
    assert all(len(one) >= MIN_WORKERS for one in offered.values())
    assert isolating_combination(list(offered.values())) is None
    values = figure_values(cohort)
    per_view = {key: shown_contributors(values, offered, key) for key in offered}
    for figure in values:
        shown = [view[figure] for view in per_view.values() if figure in view]
        assert all(len(workers) >= MIN_WORKERS for workers in shown)
        assert isolating_combination(shown) is None
    # Every view not offered is refused outright.
    every_filter = {("instrument", s[0]) for s in specs} | {("role", s[1]) for s in specs}
    for refused in every_filter - set(offered):
        with pytest.raises(KeyError):
            cohort_report(cohort, refused)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(worker, min_size=MIN_WORKERS, max_size=12))
def test_a_figure_a_workers_report_held_back_never_enters_the_cohort(specs):
    cohort = cohort_of(specs)
    report = cohort_report(cohort, EVERYONE)
    for capability in report.capabilities:
        holding = [
            c
            for c in cohort
            if next(x for x in c.report.capabilities if x.key == capability.key).score(
                ALL_COLLEAGUES
            )
            is not None
        ]
        if capability.colleagues is None:
            assert len(holding) < MIN_WORKERS
            continue
        assert capability.colleagues.workers == len(holding)
        expected = sum(
            next(x for x in c.report.capabilities if x.key == capability.key)
            .score(ALL_COLLEAGUES)
            .mean
            for c in holding
        ) / len(holding)
        assert capability.colleagues.mean == pytest.approx(expected, abs=0.006)
        assert sum(capability.colleagues.bands) == capability.colleagues.workers


def test_four_workers_show_nothing_and_five_show_the_cohort():
    spec = ("frontline", "Team leader", 4, 4, 3)
    assert cohort_report(cohort_of([spec] * 4)).capabilities == ()
    five = cohort_report(cohort_of([spec] * 5))
    assert five.workers == 5 and all(c.colleagues.workers == 5 for c in five.capabilities)
    assert five.capabilities[0].gap.mean == 1.0


def test_a_filter_that_leaves_out_fewer_than_five_is_refused():
    specs = [("frontline", "Team leader", 4, 4, 3)] * 6 + [("manager", "Manager", 4, 4, 3)] * 4
    offered = offered_sets(cohort_of(specs))
    # 6 frontline workers leave out only 4 managers; 4 managers are too few on their own.
    assert set(offered) == {EVERYONE}
    specs += [("manager", "Manager", 4, 4, 3)]
    assert ("instrument", "manager") in offered_sets(cohort_of(specs))


def test_three_views_that_pass_two_by_two_but_isolate_four_workers_together_are_refused():
    """all (14) = 5 frontline nurses + 5 manager-questionnaire team leaders + 4 manager nurses.
    Two by two every offered set is at least five apart, yet manager + Nurse - all is exactly
    the four manager-questionnaire nurses."""
    specs = (
        [("frontline", "Nurse", 4, 4, 3)] * 5
        + [("manager", "Team leader", 4, 4, 3)] * 5
        + [("manager", "Nurse", 4, 4, 3)] * 4
    )
    cohort = cohort_of(specs)
    everyone = frozenset(range(14))
    manager, nurse = frozenset(range(5, 14)), frozenset([*range(5), *range(10, 14)])
    views = [everyone, manager, nurse]
    for one, other in itertools.combinations(views, 2):
        assert len(one ^ other) >= MIN_WORKERS  # the old pairwise rule let all three through
    assert set(isolating_combination(views)) == frozenset(range(10, 14))

    offered = offered_sets(cohort)
    # frontline is everyone minus manager: nothing new, so it is offered; Nurse is refused.
    assert set(offered) == {EVERYONE, ("instrument", "manager"), ("instrument", "frontline")}
    with pytest.raises(KeyError):
        cohort_report(cohort, ("role", "Nurse"))
    assert isolating_combination(list(offered.values())) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.frozensets(st.integers(min_value=0, max_value=13), min_size=1),
        min_size=1,
        max_size=5,
    )
)
def test_the_rank_test_agrees_with_z3_on_any_sets(sets):
    """Both directions: the rank test refuses exactly the families z3 can isolate a few in."""
    found = smallest_isolated(sets, MIN_WORKERS)
    assert (found is None) == (isolating_combination(sets) is None)
    if found is not None:
        assert 0 < len(found) < MIN_WORKERS
