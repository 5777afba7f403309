"""Starting a round from the dashboard: both instruments, one open round of each, confirmed only."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import login_as, make_round, make_user
from sqlalchemy import select
from worker_steps import csrf_from, post_form, start_round

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.instruments.registry import instruments
from feedback360.instruments.snapshots import instrument_to_dict
from feedback360.surveys import rounds as round_service
from feedback360.surveys.models import Round, RoundStatus


def rounds_of(app, user) -> list[Round]:
    with app.app_context():
        rows = db.session.scalars(select(Round).where(Round.user_id == user.id)).all()
        db.session.expunge_all()
        return list(rows)


def test_the_dashboard_needs_a_login(client):
    response = client.get("/rounds/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_the_dashboard_describes_both_instruments(app, client):
    login_as(client, make_user(app))
    html = client.get("/rounds/").get_data(as_text=True)
    with app.app_context():
        for instrument in instruments().values():
            assert instrument.title in html
            assert instrument.audience in html
    assert "You have no feedback rounds yet" in html


@pytest.mark.parametrize("key", ["frontline", "manager"])
def test_a_worker_starts_a_round_with_either_instrument(app, client, key):
    user = make_user(app)
    login_as(client, user)
    response = start_round(client, key)
    (round_,) = rounds_of(app, user)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{round_.id}"
    with app.app_context():
        instrument = instruments()[key]
        assert round_.instrument_key == key
        assert round_.instrument_version == instrument.version
        assert round_.instrument_snapshot == instrument_to_dict(instrument)
        days = app.config["ROUND_DEADLINE_DAYS"]
    assert round_.status is RoundStatus.OPEN
    expected = utcnow() + dt.timedelta(days=days)
    assert abs(round_.deadline_at - expected) < dt.timedelta(minutes=1)
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert instrument.title in page
    assert "Start your self-assessment" in page


def test_a_second_open_round_of_the_same_instrument_is_refused(app, client):
    user = make_user(app)
    login_as(client, user)
    start_round(client, "frontline")
    response = start_round(client, "frontline")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "You already have an open" in html
    assert len(rounds_of(app, user)) == 1
    # The other instrument is still free.
    assert start_round(client, "manager").status_code == 302
    assert {r.instrument_key for r in rounds_of(app, user)} == {"frontline", "manager"}


def test_a_closed_round_does_not_stop_a_new_one(app, client):
    user = make_user(app)
    old = make_round(app, user, "frontline")
    with app.app_context():
        db.session.get(Round, old.id).close()
        db.session.commit()
    login_as(client, user)
    assert start_round(client, "frontline").status_code == 302
    assert len(rounds_of(app, user)) == 2


def test_the_database_refuses_a_second_open_round_even_without_the_page(app):
    """The rule is the partial unique index, not a check in Python."""
    user = make_user(app)
    make_round(app, user, "manager")
    with app.app_context():
        stored_user = db.session.merge(user)
        with pytest.raises(round_service.RoundAlreadyOpen):
            round_service.start_round(stored_user, instruments()["manager"])


def test_an_unconfirmed_worker_is_asked_to_confirm_first(app, client):
    user = make_user(app, confirmed=False)
    login_as(client, user)
    html = client.get("/rounds/").get_data(as_text=True)
    assert "Please confirm your email address" in html
    if "auth.resend_confirmation" in app.view_functions:
        assert 'href="/account/confirm"' in html
    assert 'action="/rounds/start"' not in html
    # Posting anyway (with a token from another page of theirs) starts nothing.
    token = csrf_from(client.get("/rounds/account/delete").get_data(as_text=True))
    response = client.post("/rounds/start", data={"csrf_token": token, "instrument": "frontline"})
    assert response.status_code == 409
    assert rounds_of(app, user) == []


def test_an_unknown_instrument_is_refused_with_a_message(app, client):
    user = make_user(app)
    login_as(client, user)
    response = post_form(client, "/rounds/", {"instrument": "ceo"}, to="/rounds/start")
    assert response.status_code == 400
    assert "Choose one of the questionnaires listed." in response.get_data(as_text=True)
    assert rounds_of(app, user) == []


def test_the_dashboard_lists_rounds_with_their_next_step(app, client):
    user = make_user(app)
    open_round = make_round(app, user, "frontline")
    closed = make_round(app, user, "manager")
    with app.app_context():
        db.session.get(Round, closed.id).close()
        db.session.commit()
    login_as(client, user)
    html = client.get("/rounds/").get_data(as_text=True)
    assert f'href="/rounds/{open_round.id}"' in html
    assert f'href="/rounds/{closed.id}"' in html
    assert "Next step:" in html
    assert "Start your self-assessment" in html
    assert "Closed on" in html
