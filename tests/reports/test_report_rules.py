"""Pure DataFrame tests: each rule of DESIGN.md section 4, one at a time."""

from __future__ import annotations

import json

from builders_report import (
    MISSING,
    all_items,
    raters,
    report_of,
    small_instrument,
)

from feedback360.reports.report import from_dict, to_dict
from feedback360.reports.rules import AnonymityRules

ONE = small_instrument((2,))
THREE = small_instrument((1, 2, 3))


def group_keys(report) -> list[str]:
    return [g.key for g in report.groups]


def everyone_scores(instrument, **sizes):
    people = []
    for relationship, count in sizes.items():
        people += raters(relationship, count, all_items(instrument, 4))
    return people


def test_a_group_is_shown_at_three_and_the_line_manager_at_one():
    report = report_of(everyone_scores(ONE, line_manager=1, peer=3, direct_report=3), ONE)
    assert group_keys(report) == ["all", "line_manager", "peer", "direct_report"]
    assert report.capabilities[0].score("line_manager").ratings == 2


def test_small_groups_are_pooled_when_the_pool_reaches_three():
    report = report_of(everyone_scores(ONE, peer=3, direct_report=2, other=2), ONE)
    assert group_keys(report) == ["all", "peer", "combined"]
    combined = report.group("combined")
    assert combined.members == ("direct_report", "other")
    assert combined.answered == 4
    assert combined.label == "Other colleagues combined"


def test_one_or_two_left_over_are_folded_into_the_smallest_shown_group():
    # Showing all (8), manager and both groups would leave "all minus shown" = the lone other.
    report = report_of(everyone_scores(ONE, line_manager=1, peer=4, direct_report=3, other=1), ONE)
    assert group_keys(report) == ["all", "line_manager", "peer", "combined"]
    assert report.group("combined").members == ("direct_report", "other")


def test_with_no_group_to_fold_into_the_line_manager_is_not_shown_apart():
    report = report_of(everyone_scores(ONE, line_manager=2, peer=2), ONE)
    assert group_keys(report) == ["all"]


def test_all_colleagues_needs_four():
    report = report_of(everyone_scores(ONE, peer=3), ONE)
    assert group_keys(report) == ["peer"]
    assert all(item.colleague_mean is None for item in report.capabilities[0].items)


def test_a_group_holding_everyone_is_not_repeated():
    report = report_of(everyone_scores(ONE, peer=5), ONE)
    assert group_keys(report) == ["all"]


def test_a_small_group_alone_is_left_out_and_nothing_else_reveals_it():
    report = report_of(everyone_scores(ONE, peer=3, other=1), ONE)
    assert group_keys(report) == ["all"]


def test_an_item_score_needs_three_scores_and_not_observed_does_not_count():
    people = raters("peer", 2, {"c1i1": 5, "c1i2": 2})
    people += raters("peer", 2, {"c1i1": None, "c1i2": 4})
    first, second = report_of(people, ONE).capabilities[0].items
    assert (first.colleague_mean, first.ratings, first.not_observed) == (None, 2, 2)
    assert (second.colleague_mean, second.ratings, second.not_observed) == (3.0, 4, 0)


def test_not_observed_answers_are_left_out_of_means():
    people = raters("peer", 3, {"c1i1": 4, "c1i2": None})
    people += raters("peer", 1, {"c1i1": 1, "c1i2": None})
    item = report_of(people, ONE).capabilities[0].items[0]
    assert item.colleague_mean == 3.25


def test_a_capability_mean_is_over_all_scores_not_a_mean_of_item_means():
    people = raters("peer", 4, {"c1i1": 5, "c1i2": 1})
    people += raters("peer", 2, {"c1i1": 5, "c1i2": None})
    capability = report_of(people, ONE).capabilities[0]
    # Item means 5 and 1 would average 3; the ten scores average 3.4.
    assert capability.score("all").mean == 3.4
    assert capability.score("all").ratings == 10


def test_a_group_with_too_few_scorers_in_a_capability_is_withheld_there():
    instrument = small_instrument((2, 2))
    seen_once = {"c1i1": None, "c1i2": None, "c2i1": 3, "c2i2": 3}
    people = raters("peer", 2, seen_once) + raters("peer", 1, all_items(instrument, 4))
    people += raters("direct_report", 3, all_items(instrument, 2))
    first, second = report_of(people, instrument).capabilities
    assert first.score("peer") is None and first.groups_withheld
    assert first.score("all").ratings == 8
    assert second.score("peer").ratings == 6


def test_group_figures_are_withheld_where_subtracting_items_would_single_someone_out():
    # Peers all scored item 2; of the others only one scored it. Others' capability mean minus
    # the item-1 mean would give that one person's score for item 2.
    people = raters("other", 1, {"c1i1": 5, "c1i2": 5})
    people += raters("other", 2, {"c1i1": 4, "c1i2": None})
    people += raters("peer", 3, {"c1i1": None, "c1i2": 2})
    capability = report_of(people, ONE).capabilities[0]
    assert [s.group for s in capability.scores] == ["all"]
    assert capability.groups_withheld
    assert [i.colleague_mean for i in capability.items] == [4.33, 2.75]


def test_a_shown_line_manager_counts_as_known_for_item_scores():
    people = raters("line_manager", 1, {"c1i1": 5, "c1i2": 5})
    people += raters("peer", 2, {"c1i1": 1, "c1i2": 3})
    people += raters("peer", 1, {"c1i1": None, "c1i2": 3})
    people += raters("direct_report", 3, {"c1i1": None, "c1i2": 4})
    first, second = report_of(people, ONE).capabilities[0].items
    # Item 1: the manager (shown apart) and two peers. Minus the manager: two people.
    assert (first.colleague_mean, first.ratings) == (None, 3)
    assert second.colleague_mean is not None


def test_comments_are_pooled_in_a_stable_shuffled_order_without_groups():
    people = everyone_scores(ONE, line_manager=1, peer=3)
    comments = [(a, r, "does_well", f"Comment {n}") for n, (a, r, _) in enumerate(people)]
    comments.append(("self-1", "self", "does_well", "What I think I do well."))
    comments.append((people[0][0], people[0][1], "cap1", "   "))
    report = report_of(people, ONE, comments)
    again = report_of(list(reversed(people)), ONE, list(reversed(comments)))
    question = report.questions[0]
    assert sorted(question.comments) == [f"Comment {n}" for n in range(4)]
    assert question.comments == again.questions[0].comments
    assert question.comments != tuple(f"Comment {n}" for n in range(4))
    assert question.self_comment == "What I think I do well."
    assert report.capabilities[0].comments == ()


def test_comments_need_three_colleagues():
    people = everyone_scores(ONE, peer=2)
    comments = [(a, r, "does_well", "Kind and clear.") for a, r, _ in people]
    report = report_of(people, ONE, comments)
    assert not report.comments_shown
    assert report.questions[0].comments == ()


def test_a_hidden_strength_is_rated_highly_and_a_blind_spot_is_self_rated_highly():
    four = small_instrument((4,))
    self_scores = {"c1i1": 5, "c1i2": 3, "c1i3": 5, "c1i4": 1}
    people = [("self-x", "self", self_scores)]
    people += raters("peer", 4, {"c1i1": 5, "c1i2": 4, "c1i3": 3, "c1i4": 2})
    report = report_of(people, four)
    # c1i4: colleagues a point above self, but 2.0 ("rarely") is no strength.
    assert [h.key for h in report.hidden_strengths] == ["c1i2"]
    assert [b.key for b in report.blind_spots] == ["c1i3"]
    narrower = report_of(people, four, rules=AnonymityRules(gap=1.5))
    assert narrower.hidden_strengths == ()
    assert [b.key for b in narrower.blind_spots] == ["c1i3"]


def test_no_item_is_both_lowest_rated_and_a_hidden_strength():
    four = small_instrument((4,))
    people = [("self-x", "self", {"c1i1": 5, "c1i2": 5, "c1i3": 5, "c1i4": 3})]
    people += raters("peer", 4, {"c1i1": 5, "c1i2": 5, "c1i3": 4, "c1i4": 4})
    report = report_of(people, four)
    assert [h.key for h in report.lowest] == ["c1i4", "c1i3"]
    assert report.hidden_strengths == ()


def test_no_gap_is_claimed_where_the_colleague_score_is_hidden_or_self_not_observed():
    people = [("self-x", "self", {"c1i1": 5, "c1i2": None})]
    people += raters("peer", 2, {"c1i1": 1, "c1i2": 5})
    people += raters("peer", 2, {"c1i1": None, "c1i2": 5})
    report = report_of(people, ONE)
    assert report.blind_spots == () and report.hidden_strengths == ()


def test_highest_and_lowest_never_share_an_item():
    people = raters("peer", 4, {"c1i1": 5, "c2i1": 4, "c2i2": 3, "c3i1": 2, "c3i2": 1, "c3i3": 1})
    report = report_of(people, THREE)
    assert [h.key for h in report.highest] == ["c1i1", "c2i1", "c2i2"]
    assert [h.key for h in report.lowest] == ["c3i3", "c3i2", "c3i1"]


def test_self_mean_skips_not_observed_and_missing():
    people = [("self-x", "self", {"c1i1": 4, "c1i2": None})]
    people += [("self-y", "peer", {"c1i1": MISSING, "c1i2": MISSING})]
    report = report_of(people, ONE)
    assert report.capabilities[0].self_mean == 4.0
    assert report.counts[0].answered == 1  # the self-assessment
    assert report.colleagues_answered == 1


def test_a_report_survives_json_unchanged():
    people = everyone_scores(THREE, line_manager=1, peer=3, direct_report=2, other=2)
    people.append(("self-x", "self", all_items(THREE, 3)))
    report = report_of(people, THREE, [(people[0][0], "line_manager", "cap1", "Good.")])
    stored = json.loads(json.dumps(to_dict(report)))
    assert from_dict(stored) == report
    assert to_dict(from_dict(stored)) == stored


def test_one_or_two_anonymous_colleagues_get_no_item_counts():
    # The line manager is shown on their own; the two peers are the only anonymous answers,
    # and "0 scores" beside a statement would say that neither of them observed it.
    people = raters("line_manager", 1, {"c1i1": 4, "c1i2": 4})
    people += raters("peer", 2, {"c1i1": None, "c1i2": 3})
    report = report_of(people, ONE)
    assert group_keys(report) == ["line_manager"]
    for item in report.capabilities[0].items:
        assert (item.colleague_mean, item.ratings, item.not_observed) == (None, None, None)


def test_three_anonymous_colleagues_get_item_counts_again():
    people = raters("line_manager", 1, {"c1i1": 4, "c1i2": 4})
    people += raters("peer", 3, {"c1i1": None, "c1i2": 3})
    first, second = report_of(people, ONE).capabilities[0].items
    assert (first.ratings, first.not_observed) == (1, 3)
    assert (second.colleague_mean, second.ratings, second.not_observed) == (3.25, 4, 0)


def schema_one(report, counts=None) -> dict:
    """The report as schema 1 kept it: each item with a range, and with `counts` (ratings, not
    observed) by item key where the report now hides them."""
    stored = json.loads(json.dumps(to_dict(report)))
    for capability in stored["capabilities"]:
        for item in capability["items"]:
            item |= {"low": 1, "high": 5}
            if counts:
                item["ratings"], item["not_observed"] = counts[item["key"]]
    return stored | {"schema": 1}


def test_a_report_kept_by_schema_one_loads_without_its_ranges():
    people = everyone_scores(THREE, line_manager=1, peer=3, direct_report=2, other=2)
    report = report_of(people, THREE)
    assert from_dict(schema_one(report)) == report


def test_a_report_kept_by_schema_one_loses_counts_the_rules_now_hide():
    people = raters("line_manager", 1, {"c1i1": 4, "c1i2": 4})
    people += raters("peer", 2, {"c1i1": None, "c1i2": 3})
    report = report_of(people, ONE)
    assert from_dict(schema_one(report, {"c1i1": (1, 2), "c1i2": (3, 0)})) == report
