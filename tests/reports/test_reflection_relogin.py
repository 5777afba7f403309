"""The Thing 11 reflection survives a login that ran out while the worker was writing.

The lifetimes are the defaults (an hour idle for the session, an hour for the form token), so
writing for 61 minutes outlives both, as it would for a worker who takes their time.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from builders import PASSWORD, login_as, make_user
from builders_report import make_closed_round
from freezegun import freeze_time
from relogin_steps import HIDDEN, log_in_from

from feedback360.auth.models import User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.reports.models import Reflection

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STATEMENT = 'I learned that "listening" matters & <b>asking</b> too.\nSecond paragraph.'
PRIORITIES = [
    ("Speak up in team meetings", "Prepare one point", "My manager", "March", "Notes"),
    ("Delegate more", "One task a week", "", "June", "Fewer late shifts"),
]
FIELDS = ("what", "how", "support", "by_when", "measure")


@pytest.fixture
def owner(app, client):
    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user)
    login_as(client, user)
    return user, round_id


def token_in(html: str, pattern: re.Pattern[str] = CSRF) -> str:
    match = pattern.search(html)
    assert match, "no form token on the page"
    return match.group(1)


def typed_reflection(token: str) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "strengths": "Listening well",
        "development_areas": "Speaking up",
        "statement": STATEMENT,
        "include_in_pdf": "y",
    }
    for n in range(5):
        values = PRIORITIES[n] if n < len(PRIORITIES) else ("",) * 5
        data.update({f"priorities-{n}-{name}": v for name, v in zip(FIELDS, values, strict=True)})
    return data


def saved(app, round_id: int) -> tuple | None:
    with app.app_context():
        reflection = db.session.get(Reflection, round_id)
        if reflection is None:
            return None
        priorities = [tuple(getattr(p, name) for name in FIELDS) for p in reflection.priorities]
        return (
            reflection.strengths,
            reflection.development_areas,
            reflection.statement,
            reflection.include_in_pdf,
            priorities,
        )


def test_the_lifetimes_are_the_defaults(app):
    assert app.config["SESSION_IDLE_MINUTES"] == 60
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 3600


@pytest.mark.parametrize("how", ["idle for over an hour", "logged out elsewhere"])
def test_a_reflection_written_past_the_login_limit_is_saved_after_logging_in_again(
    app, client, owner, how
):
    user, round_id = owner
    with freeze_time(utcnow(), tick=True) as clock:
        page = client.get(f"/reports/{round_id}/reflection").get_data(as_text=True)
        if how == "logged out elsewhere":
            with app.app_context():
                db.session.get(User, user.id).session_version += 1
                db.session.commit()
        else:
            clock.tick(dt.timedelta(minutes=61))
        response = client.post(
            f"/reports/{round_id}/reflection", data=typed_reflection(token_in(page))
        )
        relogin = response.get_data(as_text=True)
        assert response.status_code == 401
        assert "Log in again to save your reflection" in relogin
        assert "Everything you wrote is kept on this page" in relogin
        # The draft rides along in the page, escaped, and nothing is saved yet.
        assert "I learned that &#34;listening&#34; matters &amp; &lt;b&gt;asking" in relogin
        assert "<b>asking</b>" not in relogin
        assert saved(app, round_id) is None

        wrong = log_in_from(
            client, f"/reports/{round_id}/reflection", relogin, user.email, "not my password"
        )
        assert wrong.status_code == 400
        wrong_page = wrong.get_data(as_text=True)
        assert "do not match" in wrong_page
        assert saved(app, round_id) is None

        response = log_in_from(
            client, f"/reports/{round_id}/reflection", wrong_page, user.email, PASSWORD
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.headers["Location"] == f"/reports/{round_id}/reflection"
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your reflection is saved." in page  # and the worker is logged in again
    assert "Speak up in team meetings" in page and "Fewer late shifts" in page
    assert saved(app, round_id) == (
        "Listening well",
        "Speaking up",
        STATEMENT,
        True,
        [tuple(values) for values in PRIORITIES],
    )


def test_a_problem_found_after_logging_in_again_comes_back_with_everything(app, client, owner):
    user, round_id = owner
    with freeze_time(utcnow(), tick=True) as clock:
        page = client.get(f"/reports/{round_id}/reflection").get_data(as_text=True)
        clock.tick(dt.timedelta(minutes=61))
        typed = typed_reflection(token_in(page))
        typed["priorities-0-what"] = ""  # a priority with a "how" but no "what"
        relogin = client.post(f"/reports/{round_id}/reflection", data=typed)
        response = log_in_from(
            client,
            f"/reports/{round_id}/reflection",
            relogin.get_data(as_text=True),
            user.email,
            PASSWORD,
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Say what you want to develop, or clear this priority." in html
        assert "Prepare one point" in html and "Listening well" in html
        assert "Please save again" not in html  # the token is fresh: only the priority is wrong
        again = client.post(
            f"/reports/{round_id}/reflection",
            data={**typed, "priorities-0-what": "Speak up", "csrf_token": token_in(html)},
        )
    assert again.status_code == 302
    assert saved(app, round_id)[4][0][0] == "Speak up"


@pytest.fixture
def relogin(app, client, owner):
    """The log-in page that came back when Save was pressed 61 minutes after opening the page."""
    _, round_id = owner
    with freeze_time(utcnow(), tick=True) as clock:
        page = client.get(f"/reports/{round_id}/reflection").get_data(as_text=True)
        clock.tick(dt.timedelta(minutes=61))
        response = client.post(
            f"/reports/{round_id}/reflection", data=typed_reflection(token_in(page))
        )
        assert response.status_code == 401
        yield response.get_data(as_text=True)


def test_logging_in_again_as_someone_else_saves_nothing(app, client, owner, relogin):
    _, round_id = owner
    stranger = make_user(app, email="stranger@example.org")
    response = log_in_from(
        client, f"/reports/{round_id}/reflection", relogin, stranger.email, PASSWORD
    )
    assert response.status_code == 404
    assert saved(app, round_id) is None
    # The stranger was not logged in through another worker's page either.
    assert client.get("/rounds/").status_code == 302


def test_the_log_in_page_is_refused_without_its_own_token(app, client, owner, relogin):
    """The password alone is not enough: a page from elsewhere cannot log in and save."""
    user, round_id = owner
    data = dict(HIDDEN.findall(relogin))
    data.update({"relogin-email": user.email, "relogin-password": PASSWORD})
    response = client.post(f"/reports/{round_id}/reflection", data=data)
    assert response.status_code == 400
    assert "This page was open too long" in response.get_data(as_text=True)
    assert saved(app, round_id) is None
    assert client.get("/rounds/").status_code == 302


def test_a_post_from_nobody_saves_nothing_and_logs_nobody_in(app, client, owner):
    _, round_id = owner
    anonymous = app.test_client()
    response = anonymous.post(f"/reports/{round_id}/reflection", data=typed_reflection("x"))
    assert response.status_code == 401
    assert saved(app, round_id) is None
