"""Compare two rounds (issue 19): the figures compared, the page, the PDF, and who may see it."""

from __future__ import annotations

import io

import pypdf
import pytest
from builders import login_as, make_user
from builders_report import make_closed_round, raters, report_of, small_instrument
from test_report_narrow import Tables

from feedback360.reports.comparison import Change, compare
from feedback360.reports.over_time import hold_back_against

INSTRUMENT = small_instrument((1, 3))
THEN = {"c1i1": 2, "c2i1": 3, "c2i2": 3, "c2i3": 4}
NOW = {"c1i1": 4, "c2i1": 3, "c2i2": 3, "c2i3": 4}


def test_a_change_under_half_a_point_is_no_clear_change():
    assert Change(3.0, 3.4).direction == "no clear change"
    assert Change(3.0, 3.5).direction == "up"
    assert Change(3.5, 2.9).direction == "down"


def test_a_change_one_colleague_could_cause_alone_is_no_clear_change():
    # Over four scores, one colleague going from 1 to 5 moves the mean by a whole point.
    assert Change(3.0, 3.75, one_person=1.0).direction == "no clear change"
    assert Change(3.0, 4.0, one_person=1.0).direction == "up"


def test_a_figure_missing_from_either_report_is_not_compared():
    assert Change(None, 3.0).direction == "not in both"
    assert Change(None, 3.0).difference is None


def test_the_comparison_has_self_groups_items_and_counts():
    then = report_of([*raters("peer", 4, THEN), ("me", "self", THEN)], INSTRUMENT)
    now = report_of([*raters("peer", 4, NOW), ("me", "self", NOW)], INSTRUMENT)
    made = compare(then, now)
    first = made.capabilities[0]
    assert first.self_change.difference == 2.0
    assert [g.key for g in first.groups] == ["all"]
    assert first.groups[0].change.direction == "up"
    assert first.items[0].colleagues.difference == 2.0
    assert [(c.relationship, c.then, c.now) for c in made.counts] == [("peer", 4, 4)]
    assert made.capabilities[1].items[0].colleagues.direction == "no clear change"


def test_a_figure_held_back_is_never_compared():
    steady = raters("peer", 3, THEN)
    then = report_of([*steady, *raters("peer", 1, NOW)], INSTRUMENT)
    now = hold_back_against(report_of(steady, INSTRUMENT), [then])
    made = compare(then, now)
    assert all(not c.groups for c in made.capabilities)
    assert all(i.colleagues.now is None for c in made.capabilities for i in c.items)
    assert all(c.held_back for c in made.capabilities)


@pytest.fixture
def two_rounds(app, client):
    user = make_user(app)
    first = make_closed_round(app, user, score=3)
    second = make_closed_round(app, user, score=4)
    login_as(client, user)
    return user, first, second


def test_the_round_page_links_to_the_comparison(client, two_rounds):
    _, first, second = two_rounds
    page = client.get(f"/rounds/{second}").get_data(as_text=True)
    assert f"/reports/compare?now={second}" in page


def test_one_closed_round_has_no_comparison_link(app, client):
    user = make_user(app)
    only = make_closed_round(app, user)
    login_as(client, user)
    assert "/reports/compare" not in client.get(f"/rounds/{only}").get_data(as_text=True)


def test_the_page_compares_the_two_rounds(client, two_rounds):
    _, first, second = two_rounds
    response = client.get(f"/reports/compare?then={second}&now={first}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Two rounds compared" in page
    assert "no clear change" in page and "half a point" in page
    assert f"/reports/compare/pdf?then={first}&amp;now={second}" in page  # earlier first


def test_every_data_cell_is_labelled_with_its_columns_header(client, two_rounds):
    _, first, second = two_rounds
    parser = Tables()
    parser.feed(client.get(f"/reports/compare?then={first}&now={second}").get_data(as_text=True))
    tables = [t for t in parser.tables if "report-table" in t["classes"]]
    assert len(tables) == 13  # who answered, then two per capability
    for table in tables:
        for row in table["rows"]:
            for (tag, label), header in zip(row, table["headers"], strict=True):
                assert label == (header if tag == "td" else None), (label, header)


def test_the_same_round_twice_is_refused_with_a_plain_message(client, two_rounds):
    _, first, _ = two_rounds
    response = client.get(f"/reports/compare?then={first}&now={first}")
    assert response.status_code == 400
    assert "Choose two different rounds" in response.get_data(as_text=True)


def test_the_picker_lists_the_closed_rounds(client, two_rounds):
    _, first, second = two_rounds
    page = client.get("/reports/compare").get_data(as_text=True)
    assert f'value="{first}"' in page and f'value="{second}"' in page


def test_the_pdf_is_the_comparison(client, two_rounds):
    _, first, second = two_rounds
    response = client.get(f"/reports/compare/pdf?then={first}&now={second}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Two rounds compared" in text and "Who answered" in text


@pytest.mark.parametrize("path", ["/reports/compare", "/reports/compare/pdf"])
def test_another_workers_round_is_not_found(app, client, two_rounds, path):
    _, first, _ = two_rounds
    other = make_user(app, email="other@example.org")
    theirs = make_closed_round(app, other)
    for query in (f"then={first}&now={theirs}", f"then={theirs}&now={first}"):
        assert client.get(f"{path}?{query}").status_code == 404
    assert client.get(f"{path}?then={first}&now=999999").status_code == 404


def test_an_open_round_is_not_found(app, client, two_rounds):
    from builders import make_round

    user, first, _ = two_rounds
    open_round = make_round(app, user, "manager")
    assert client.get(f"/reports/compare?then={first}&now={open_round.id}").status_code == 404


def test_logged_out_the_comparison_asks_to_log_in(client, two_rounds):
    _, first, second = two_rounds
    fresh = client.application.test_client()  # nobody logged in
    response = fresh.get(f"/reports/compare?then={first}&now={second}")
    assert response.status_code in (302, 401)


def test_the_data_export_holds_the_comparison_of_consecutive_rounds(app, two_rounds):
    from feedback360.auth.models import User
    from feedback360.extensions import db
    from feedback360.privacy.export import export_user_data

    user, first, second = two_rounds
    with app.app_context():
        exported = export_user_data(db.session.get(User, user.id))
    (pair,) = exported["round_comparisons"]
    assert (pair["then_round"], pair["now_round"]) == (first, second)
    assert pair["capabilities"][0]["self_change"]["reading"] == "no clear change"
    assert "half a point" in pair["rule"]
