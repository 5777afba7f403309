"""Issue 16, items 1 to 4: every figure means what its label says, held-back figures say why,
highlights never contradict each other or cut a tie without saying so."""

from __future__ import annotations

import io
import re

import numpy as np
import pypdf
from builders_report import raters, report_of, small_instrument
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback360.reports import documents
from feedback360.reports.charts import _group_mean
from feedback360.reports.highlights import highlighted
from feedback360.reports.reasons import GROUP_HELD_BACK, too_few_scores
from feedback360.reports.report import from_dict, to_dict
from feedback360.reports.rules import DEFAULT_RULES, AnonymityRules

VISION = small_instrument((5,))
ITEMS = [f"c1i{n}" for n in range(1, 6)]


def line_manager_round():
    """The issue's round: the line manager answers 5,4,5,4,5; three peers each leave one
    statement unobserved, so only the first has three peers' scores."""
    people = [("self-x", "self", dict(zip(ITEMS, [3, 4, 3, 4, 3], strict=True)))]
    people += raters("line_manager", 1, dict(zip(ITEMS, [5, 4, 5, 4, 5], strict=True)))
    skips = [["c1i2", "c1i5"], ["c1i3"], ["c1i4"]]
    for skipped in skips:
        people += raters("peer", 1, {k: None if k in skipped else 4 for k in ITEMS})
    return report_of(people, VISION)


def test_the_line_managers_figure_is_the_mean_of_all_their_scores():
    capability = line_manager_round().capabilities[0]
    manager = capability.score("line_manager")
    assert (manager.mean, manager.ratings) == (4.6, 5)
    assert _group_mean(capability, "line_manager") == 4.6  # the radar's point
    # "You" is over the same basis: all of the worker's own scores on the capability.
    assert capability.self_mean == 3.4
    assert capability.figure_items == tuple(ITEMS)


def test_the_page_and_the_pdf_show_four_point_six_for_the_line_manager(app):
    report = line_manager_round()
    with app.test_request_context():
        html = documents.report_html(report, None)
        pdf = documents.render_report_pdf(report, None)
    cells = re.findall(r'data-label="Line manager">([^<]*)</td>', html)
    assert cells == ["4.6"]
    assert "Line manager: <strong>4.6</strong>" in html and "(5 scores)" in html
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Line manager: 4.6" in text


def test_a_held_back_figure_says_why_where_it_would_be(app):
    report = line_manager_round()
    capability = report.capabilities[0]
    shown = {s.group for s in capability.scores}
    held = {h.group: h.reason for h in capability.held_back}
    assert set(held) == {g.key for g in report.groups} - shown
    assert set(held.values()) <= {GROUP_HELD_BACK}
    # Statements with two peers' scores beside the line manager's: the reason says what counts.
    reason = too_few_scores(DEFAULT_RULES, manager_shown=True)
    assert "other than the line manager" in reason
    assert [i.held_back for i in capability.items][1:] == [reason] * 4
    with app.test_request_context():
        html = documents.report_html(report, None)
    assert html.count(reason) == 4


def test_one_score_is_one_score(app):
    people = raters("line_manager", 1, {"c1i1": 5, "c1i2": None, "c1i3": None, "c1i4": None})
    people += raters("peer", 3, {k: 4 for k in ITEMS})
    report = report_of(people, VISION)
    assert report.capabilities[0].score("line_manager").ratings == 1
    with app.test_request_context():
        html = documents.report_html(report, None)
    assert "(1 score)" in html and "(1 scores)" not in html


def test_ties_at_the_cut_are_counted():
    eight = small_instrument((8,))
    keys = [f"c1i{n}" for n in range(1, 9)]
    means = [5, 5, 3, 3, 3, 3, 3, 1]
    report = report_of(raters("peer", 4, dict(zip(keys, means, strict=True))), eight)
    assert [h.colleague_mean for h in report.lowest] == [1.0, 3.0, 3.0, 3.0]
    assert report.lowest_tied_out == 2
    assert report.highest_tied_out == 0 or report.highest[-1].colleague_mean == 3.0


def test_a_report_kept_by_schema_two_reads_with_what_schema_three_adds():
    report = line_manager_round()
    old = to_dict(report) | {"schema": 2}
    del old["highest_tied_out"], old["lowest_tied_out"], old["rules"]["strength_min"]
    for capability in old["capabilities"]:
        del capability["held_back"]
        for item in capability["items"]:
            del item["held_back"]
    read = from_dict(old)
    assert read.schema == 3 and read.rules.strength_min == 1.0
    assert [h.group for h in read.capabilities[0].held_back] == [
        h.group for h in report.capabilities[0].held_back
    ]
    assert [bool(i.held_back) for i in read.capabilities[0].items] == [
        bool(i.held_back) for i in report.capabilities[0].items
    ]
    assert read.capabilities[0].scores == report.capabilities[0].scores


# Means on a quarter-point grid, so ties are common; NaN: not shown.
MEAN = st.one_of(st.sampled_from([np.nan]), st.integers(4, 20).map(lambda q: q / 4))
OWN = st.one_of(st.just(np.nan), st.integers(1, 5).map(float))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.lists(MEAN, min_size=n, max_size=n), st.lists(OWN, min_size=n, max_size=n)
        )
    ),
    st.integers(1, 6),
)
def test_highlights_never_contradict_and_never_cut_a_tie_silently(row, most):
    means, own = (np.array([values], dtype=float) for values in row)
    rules = AnonymityRules(highlights=most)
    marked = highlighted(means, own, rules)[0]
    assert not set(marked.lowest) & set(marked.hidden_strengths)
    assert not set(marked.highest) & set(marked.blind_spots)
    assert all(means[0, i] >= rules.strength_min for i in marked.hidden_strengths)
    assert all(own[0, i] >= rules.strength_min for i in marked.blind_spots)
    for listed, told in (
        (marked.highest, marked.highest_tied_out),
        (marked.lowest, marked.lowest_tied_out),
    ):
        if listed:
            cut = means[0, listed[-1]]
            unlisted = [i for i in range(means.shape[1]) if i not in listed and means[0, i] == cut]
            assert told == len(unlisted)
        else:
            assert told == 0
