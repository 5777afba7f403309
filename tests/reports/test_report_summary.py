"""The summary page picks from the report's own lists: biggest gaps first, ties never cut."""

from __future__ import annotations

from dataclasses import replace

from builders import login_as, make_user
from builders_report import make_closed_round

from feedback360.reports.report import ItemHighlight
from feedback360.reports.summary import GAPS_SHOWN, _biggest


def highlight(number: int, self_score: int, mean: float) -> ItemHighlight:
    text = f"Statement {number}"
    return ItemHighlight(f"item_{number}", number, "Vision", text, self_score, mean)


def test_the_biggest_gaps_come_first_and_the_rest_are_counted():
    items = tuple(highlight(n, 2, 3.0 + n / 10) for n in range(1, 7))
    gaps = _biggest(items)
    assert [g.item.number for g in gaps.shown] == [6, 5, 4]
    assert gaps.more == len(items) - GAPS_SHOWN


def test_a_tie_at_the_cut_is_said_not_hidden():
    items = (highlight(1, 1, 4.0), highlight(2, 2, 4.0), highlight(3, 3, 4.5),
             highlight(4, 3, 4.5), highlight(5, 3, 4.0))
    gaps = _biggest(items)
    assert [g.item.number for g in gaps.shown] == [1, 2, 3]
    assert (gaps.more, gaps.tied_at_cut) == (2, True)
    assert _biggest(items[:3]).tied_at_cut is False
    untied = _biggest((highlight(1, 1, 4.0), highlight(2, 2, 4.0), highlight(3, 2, 4.0),
                       highlight(4, 3, 4.0)))
    assert (untied.more, untied.tied_at_cut) == (1, False)


def test_blind_spots_rank_by_the_size_of_the_gap_whatever_its_sign():
    gaps = _biggest((highlight(1, 5, 4.0), highlight(2, 5, 2.5), replace(highlight(3, 4, 3.0))))
    assert [round(g.size, 1) for g in gaps.shown] == [-2.5, -1.0, -1.0]


def test_the_web_page_opens_with_the_summary_before_how_to_read(app, client):
    user = make_user(app)
    round_id = make_closed_round(app, user)
    login_as(client, user)
    page = client.get(f"/reports/{round_id}").get_data(as_text=True)
    assert page.index('id="summary"') < page.index('id="how-to-read"') < page.index(
        "How colleagues are kept anonymous"
    )
    assert "Who answered" in page[page.index('id="summary"'):page.index('id="how-to-read"')]
