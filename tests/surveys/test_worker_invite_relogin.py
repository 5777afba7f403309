"""The invite form left open: an old page or a lost login keeps the colleague who was typed.

The lifetimes are the defaults (an hour idle for the session, an hour for the form token).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from builders import PASSWORD, login_as, make_round, make_user
from freezegun import freeze_time
from relogin_steps import HIDDEN, log_in_from
from sqlalchemy import func, select

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage
from feedback360.surveys.models import Invitation

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
COLLEAGUE = {"email": "alex.reid@example.org", "name": 'Alex "Sandy" Reid', "relationship": "peer"}


@pytest.fixture
def worker(app, client):
    user = make_user(app, email="morag@example.org")
    round_ = make_round(app, user)
    login_as(client, user)
    return user, round_.id


@pytest.fixture
def clock():
    with freeze_time(utcnow(), tick=True) as frozen:
        yield frozen


def token_in(html: str, pattern: re.Pattern[str] = CSRF) -> str:
    match = pattern.search(html)
    assert match, "no form token on the page"
    return match.group(1)


def invitations(app, round_id: int) -> list[tuple[str, str | None, str]]:
    with app.app_context():
        rows = db.session.scalars(select(Invitation).where(Invitation.round_id == round_id))
        return [(i.email, i.name, i.relationship.value) for i in rows]


def mail_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def invite_after(client, clock, round_id: int, minutes: int, *, keep_alive: bool = False):
    """Open the invite page, type a colleague, and press the button `minutes` later."""
    page = client.get(f"/rounds/{round_id}/invite").get_data(as_text=True)
    if keep_alive:  # busy in another tab, so the session stays alive but this page grows old
        clock.tick(dt.timedelta(minutes=minutes // 2))
        assert client.get("/rounds/").status_code == 200
        clock.tick(dt.timedelta(minutes=minutes - minutes // 2))
    else:
        clock.tick(dt.timedelta(minutes=minutes))
    data = {**COLLEAGUE, "csrf_token": token_in(page)}
    return client.post(f"/rounds/{round_id}/invite", data=data)


def test_the_lifetimes_are_the_defaults(app):
    assert app.config["SESSION_IDLE_MINUTES"] == 60
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 3600


def test_an_old_invite_page_keeps_the_colleague_while_still_logged_in(app, client, worker, clock):
    _, round_id = worker
    response = invite_after(client, clock, round_id, 61, keep_alive=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page was open for a long time" in page
    assert 'value="alex.reid@example.org"' in page
    assert 'value="Alex &#34;Sandy&#34; Reid"' in page
    assert re.search(r'value="peer"\s+checked', page)
    assert invitations(app, round_id) == []
    again = client.post(
        f"/rounds/{round_id}/invite", data={**COLLEAGUE, "csrf_token": token_in(page)}
    )
    assert again.status_code == 302
    assert invitations(app, round_id) == [("alex.reid@example.org", 'Alex "Sandy" Reid', "peer")]


def test_an_invitation_typed_past_the_login_limit_is_sent_after_logging_in_again(
    app, client, worker, clock
):
    user, round_id = worker
    response = invite_after(client, clock, round_id, 61)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Log in again to send the invitation" in page
    assert "The colleague you were inviting is kept on this page" in page
    assert dict(HIDDEN.findall(page)) == {
        "email": "alex.reid@example.org",
        "name": "Alex &#34;Sandy&#34; Reid",
        "relationship": "peer",
    }
    assert invitations(app, round_id) == [] and mail_count(app) == 0

    wrong = log_in_from(client, f"/rounds/{round_id}/invite", page, user.email, "not my password")
    assert wrong.status_code == 400
    assert "do not match" in wrong.get_data(as_text=True)
    assert invitations(app, round_id) == []

    response = log_in_from(
        client, f"/rounds/{round_id}/invite", wrong.get_data(as_text=True), user.email, PASSWORD
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == f"/rounds/{round_id}/invite"
    listed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We will email alex.reid@example.org their invitation." in listed
    assert invitations(app, round_id) == [("alex.reid@example.org", 'Alex "Sandy" Reid', "peer")]
    assert mail_count(app) == 1


def test_a_refusal_after_logging_in_again_keeps_the_colleague(app, client, worker, clock):
    user, round_id = worker
    page = client.get(f"/rounds/{round_id}/invite").get_data(as_text=True)
    clock.tick(dt.timedelta(minutes=61))
    data = {**COLLEAGUE, "email": user.email, "csrf_token": token_in(page)}  # their own address
    relogin = client.post(f"/rounds/{round_id}/invite", data=data).get_data(as_text=True)
    response = log_in_from(client, f"/rounds/{round_id}/invite", relogin, user.email, PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That is your own address." in html
    assert 'value="Alex &#34;Sandy&#34; Reid"' in html
    assert "This page was open for a long time" not in html  # the token was fresh
    assert invitations(app, round_id) == []


def test_logging_in_again_as_someone_else_invites_nobody(app, client, worker, clock):
    _, round_id = worker
    stranger = make_user(app, email="stranger@example.org")
    page = invite_after(client, clock, round_id, 61).get_data(as_text=True)
    response = log_in_from(client, f"/rounds/{round_id}/invite", page, stranger.email, PASSWORD)
    assert response.status_code == 404
    assert invitations(app, round_id) == [] and mail_count(app) == 0
    assert client.get("/rounds/").status_code == 302  # nobody was logged in


def test_the_log_in_page_needs_its_own_token(app, client, worker, clock):
    user, round_id = worker
    page = invite_after(client, clock, round_id, 61).get_data(as_text=True)
    data = {**COLLEAGUE, "relogin-email": user.email, "relogin-password": PASSWORD}
    response = client.post(f"/rounds/{round_id}/invite", data=data)
    assert response.status_code == 400
    assert "This page was open too long" in response.get_data(as_text=True)
    assert invitations(app, round_id) == [] and mail_count(app) == 0
    assert "Log in again" in page
    assert client.get("/rounds/").status_code == 302
