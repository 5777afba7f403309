"""Account pages left open past their form token: the page comes back as typed, nothing is used.

These pages stay under the global CSRF check; its refusal shows the page again
(feedback360/web/errors.py). The lifetimes are the defaults: a token lasts an hour, so 61 minutes
outlives it.
"""

from __future__ import annotations

import datetime as dt
import html
import sys
from pathlib import Path

import pytest
from account_pages import CSRF_INPUT, find_user, is_logged_in, log_in, outbox, path_of, submit
from builders import PASSWORD, login_as, make_user
from freezegun import freeze_time
from sqlalchemy import func, select

from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage
from feedback360.reports.models import ShareLink

# The share page needs a closed round; its builder lives with the report tests.
REPORTS = Path(__file__).resolve().parents[1] / "reports"
if str(REPORTS) not in sys.path:
    sys.path.insert(0, str(REPORTS))
from builders_report import make_closed_round  # noqa: E402

EXPIRED = "This page was open too long, so for your safety we could not accept it."
RETYPE = "please type it again"
NAME = 'Ailsa "Ally" <Grant>'
NEW_PASSWORD = "sunlit meadow lantern"
LATER = dt.timedelta(minutes=61)


def token_in(page: str) -> str:
    match = CSRF_INPUT.search(page)
    assert match, "the page has no form"
    return match.group(1)


@pytest.fixture
def clock():
    """Frozen time that tests move on; tokens made on a later page stay valid inside it."""
    with freeze_time(dt.datetime.now(dt.UTC).replace(tzinfo=None)) as frozen:
        yield frozen


def post_after_an_hour(client, clock, path: str, data: dict, **kwargs):
    """Open the page, leave it for 61 minutes, then send the form."""
    token = token_in(client.get(path, **kwargs).get_data(as_text=True))
    clock.tick(LATER)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def mail_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_the_default_token_lifetime_is_an_hour(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 3600


def test_register_after_an_hour_keeps_the_name_and_email_but_never_the_password(app, client, clock):
    data = {"name": NAME, "email": "ailsa@example.org", "password": NEW_PASSWORD}
    response = post_after_an_hour(
        client, clock, "/account/register", {**data, "confirm": NEW_PASSWORD}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page and RETYPE in page
    assert 'value="Ailsa &#34;Ally&#34; &lt;Grant&gt;"' in page
    assert 'value="ailsa@example.org"' in page
    assert NEW_PASSWORD not in page
    assert find_user(app, "ailsa@example.org") is None
    assert mail_count(app) == 0
    # The page that came back carries a fresh token: sending it again works.
    again = client.post(
        "/account/register", data={**data, "confirm": NEW_PASSWORD, "csrf_token": token_in(page)}
    )
    assert again.status_code == 200
    assert find_user(app, "ailsa@example.org").name == NAME


def test_login_after_an_hour_keeps_the_email_and_asks_for_the_password_again(app, client, clock):
    make_user(app, email="morag@example.org")
    data = {"email": "morag@example.org", "password": PASSWORD}
    query = {"next": "/rounds/"}
    response = post_after_an_hour(client, clock, "/account/login", data, query_string=query)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page and RETYPE in page
    assert 'value="morag@example.org"' in page
    assert PASSWORD not in page
    assert not is_logged_in(client)
    # The form posts back to the same address, so next= still applies.
    assert '<form method="post" novalidate>' in page
    again = client.post(
        "/account/login", data={**data, "csrf_token": token_in(page)}, query_string=query
    )
    assert again.status_code == 302 and is_logged_in(client)


def test_forgotten_password_after_an_hour_keeps_the_email_and_sends_nothing(app, client, clock):
    make_user(app, email="morag@example.org")
    response = post_after_an_hour(
        client, clock, "/account/forgot-password", {"email": "morag@example.org"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page
    assert RETYPE not in page  # this form has no password
    assert 'value="morag@example.org"' in page
    assert mail_count(app) == 0


def _reset_link(app, client) -> str:
    make_user(app, email="morag@example.org")
    submit(client, "/account/forgot-password", {"email": "morag@example.org"})
    [mail] = outbox(app, to="morag@example.org")
    return path_of(mail.link("/account/reset-password/"))


def test_a_refused_reset_page_comes_back_while_its_link_still_works(app, client):
    link = _reset_link(app, client)
    token = token_in(client.get(link).get_data(as_text=True))
    # The browser lost its session cookie (restarted, say): the old token no longer fits.
    client.delete_cookie("session")
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.post(link, data={**data, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page and RETYPE in page
    assert NEW_PASSWORD not in page
    assert log_in(app.test_client(), "morag@example.org", PASSWORD).status_code == 302
    again = client.post(link, data={**data, "csrf_token": token_in(page)})
    assert again.status_code == 302 and is_logged_in(client)


def test_a_reset_page_left_open_an_hour_says_its_link_has_expired(app, client, clock):
    link = _reset_link(app, client)
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = post_after_an_hour(client, clock, link, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This link has expired" in page
    assert log_in(app.test_client(), "morag@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "path", ["/account/register", "/account/login", "/account/forgot-password"]
)
def test_a_post_without_any_token_is_refused_and_changes_nothing(app, client, path):
    make_user(app, email="morag@example.org")
    data = {"name": "Someone", "email": "morag@example.org", "password": PASSWORD}
    response = client.post(path, data={**data, "confirm": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    # Not from one of our pages, so nothing is shown back: only the plain page.
    assert "This page was open too long" in page and "nothing was changed" in page
    assert "Someone" not in page
    assert not is_logged_in(client)
    assert mail_count(app) == 0


def test_a_button_only_form_comes_back_asking_for_a_second_press(app, client, clock):
    """Nothing was typed on a page that is only a button, so that page itself comes back."""
    user = make_user(app, email="morag@example.org", confirmed=False)
    log_in(client, "morag@example.org", PASSWORD)
    token = token_in(client.get("/account/confirm").get_data(as_text=True))
    clock.tick(dt.timedelta(minutes=30))
    assert is_logged_in(client)  # the session is kept alive; only the page is old
    clock.tick(dt.timedelta(minutes=31))
    response = client.post("/account/confirm", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/confirm"
    page = client.get("/account/confirm").get_data(as_text=True)
    assert "Please press the button again" in page
    assert mail_count(app) == 0
    assert find_user(app, user.email).confirmed_at is None


def test_other_refused_forms_get_a_plain_page(app, client):
    make_user(app, email="morag@example.org")
    log_in(client, "morag@example.org", PASSWORD)
    response = client.post("/account/logout")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "This page was open too long" in page and "nothing was changed" in page
    assert "Something in that request was not right" not in page
    assert is_logged_in(client)
    assert "CSRF" not in page  # no jargon


def test_an_old_share_page_comes_back_and_makes_no_link(app, client, clock):
    """The share-link form is only a button too; its page lives in the reports blueprint."""
    user = make_user(app, email="morag@example.org")
    round_id = make_closed_round(app, user, colleagues={"peer": 4})
    login_as(client, user)
    token = token_in(client.get(f"/reports/{round_id}/share").get_data(as_text=True))
    clock.tick(dt.timedelta(minutes=30))
    assert client.get(f"/reports/{round_id}").status_code == 200  # busy elsewhere meanwhile
    clock.tick(dt.timedelta(minutes=31))
    response = client.post(f"/reports/{round_id}/share", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/reports/{round_id}/share"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please press the button again" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShareLink)) == 0
    again = client.post(f"/reports/{round_id}/share", data={"csrf_token": token_in(page)})
    assert again.status_code == 302
