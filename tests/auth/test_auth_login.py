"""Logging in and out: same answers for unknown emails, throttling, safe redirects, sessions."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from account_pages import csrf_token, is_logged_in, log_in, log_out
from builders import PASSWORD, login_as, make_user
from freezegun import freeze_time

import feedback360.auth.passwords as passwords

WRONG = "That email and password do not match an account."


def _error_summary(response) -> str:
    page = response.get_data(as_text=True)
    start = page.index('<div class="error-summary"')
    return page[start : page.index("</div>", start)]


def test_logging_in_renews_the_session_and_lands_on_the_dashboard(app, client):
    make_user(app, email="morag@example.org")
    with client.session_transaction() as session:
        session["planted_before_login"] = "attacker's value"
    response = log_in(client, "Morag@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/"
    with client.session_transaction() as session:
        assert "planted_before_login" not in session
        assert session["_user_id"].endswith(":1")
        assert session["login_at"] == session["seen_at"]


def test_the_same_message_for_an_unknown_email_and_a_wrong_password(app, client):
    make_user(app, email="morag@example.org")
    unknown = log_in(client, "nobody@example.org", PASSWORD)
    wrong = log_in(client, "morag@example.org", "not my password at all")
    assert unknown.status_code == wrong.status_code == 200
    assert WRONG in html.unescape(unknown.get_data(as_text=True))
    assert _error_summary(unknown) == _error_summary(wrong)
    # The typed email stays; the password does not come back.
    assert 'value="morag@example.org"' in wrong.get_data(as_text=True)
    assert "not my password at all" not in wrong.get_data(as_text=True)
    assert not is_logged_in(client)


def test_an_unknown_email_costs_a_password_check_too(app, client, monkeypatch):
    checks = []
    real_check = passwords.check_password_hash

    def counting_check(password_hash: str, password: str) -> bool:
        checks.append(password_hash)
        return real_check(password_hash, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting_check)
    log_in(client, "nobody@example.org", PASSWORD)
    assert len(checks) == 1 and checks[0].startswith("scrypt:")


def test_failed_logins_are_throttled_per_account_whoever_tries(app, client):
    make_user(app, email="morag@example.org")
    limit = app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]
    with freeze_time("2026-03-02 09:00:00") as clock:
        for number in range(limit):
            log_in(client, "morag@example.org", "guess", environ_base=_address(number))
        # Even the right password, from a new address, waits now.
        stopped = log_in(client, "morag@example.org", PASSWORD, environ_base=_address(99))
        assert stopped.status_code == 429
        page = stopped.get_data(as_text=True)
        assert "too many attempts" in page
        assert 'value="morag@example.org"' in page
        assert not is_logged_in(client)

        clock.tick(dt.timedelta(minutes=15, seconds=1))
        later = log_in(client, "morag@example.org", PASSWORD, environ_base=_address(99))
        assert later.status_code == 302


def test_an_unknown_account_is_throttled_exactly_like_a_real_one(app, client):
    make_user(app, email="morag@example.org")
    limit = app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]
    stopped = {}
    for email in ("morag@example.org", "nobody@example.org"):
        for number in range(limit):
            log_in(client, email, "guess", environ_base=_address(number))
        stopped[email] = log_in(client, email, "guess", environ_base=_address(50))
    real, unknown = stopped.values()
    assert real.status_code == unknown.status_code == 429
    assert _page_without(real, "morag@example.org") == _page_without(unknown, "nobody@example.org")


def test_failed_logins_are_throttled_per_address(app, client):
    make_user(app, email="morag@example.org")
    limit = app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]
    shared_office = _address(1)
    for number in range(limit):
        log_in(client, f"guess{number}@example.org", "guess", environ_base=shared_office)
    stopped = log_in(client, "morag@example.org", PASSWORD, environ_base=shared_office)
    assert stopped.status_code == 429
    elsewhere = log_in(client, "morag@example.org", PASSWORD, environ_base=_address(2))
    assert elsewhere.status_code == 302


def test_a_good_login_clears_the_account_count(app, client):
    make_user(app, email="morag@example.org")
    limit = app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]
    for number in range(limit - 1):
        log_in(client, "morag@example.org", "guess", environ_base=_address(number))
    assert log_in(client, "morag@example.org", PASSWORD).status_code == 302
    log_out(client)
    for number in range(limit - 1):
        log_in(client, "morag@example.org", "guess", environ_base=_address(number))
    assert log_in(client, "morag@example.org", PASSWORD).status_code == 302


def _address(number: int) -> dict:
    return {"REMOTE_ADDR": f"203.0.113.{number}"}


def _page_without(response, email: str) -> str:
    page = response.get_data(as_text=True).replace(email, "EMAIL")
    return "\n".join(line for line in page.splitlines() if "csrf_token" not in line)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "////evil.example",
        "/\t/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "http://evil.example/",
        "https://evil.example/rounds/",
        "evil.example",
        " //evil.example",
        "/\r\n/evil.example",
        "/rounds/\x00",
        "/\x7f/evil.example",
        "",
    ],
)
def test_next_never_leaves_the_site(app, client, target):
    make_user(app, email="morag@example.org")
    response = log_in(client, "morag@example.org", PASSWORD, next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/"


def test_next_to_a_local_page_is_followed(app, client):
    make_user(app, email="morag@example.org")
    response = log_in(client, "morag@example.org", PASSWORD, next_path="/account/password?x=1")
    assert response.headers["Location"] == "/account/password?x=1"


def test_a_cookie_captured_before_logout_no_longer_works(app, client):
    make_user(app, email="morag@example.org")
    log_in(client, "morag@example.org", PASSWORD)
    assert is_logged_in(client)
    captured = client.get_cookie("session").value

    response = log_out(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert not is_logged_in(client)

    replay = app.test_client()
    replay.set_cookie("session", captured)
    page = replay.get("/account/password")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/account/login")
    dashboard = replay.get("/rounds/")
    assert dashboard.status_code == 302
    assert dashboard.headers["Location"].startswith("/account/login")


def test_logging_out_needs_a_post_with_its_csrf_token(app, client):
    login_as(client, make_user(app))
    assert client.get("/account/logout").status_code == 405
    assert client.post("/account/logout").status_code == 400
    assert is_logged_in(client)


def test_a_session_ends_after_an_idle_hour(app, client):
    make_user(app, email="morag@example.org")
    idle = app.config["SESSION_IDLE_MINUTES"]
    with freeze_time("2026-03-02 09:00:00") as clock:
        log_in(client, "morag@example.org", PASSWORD)
        for _ in range(3):
            clock.tick(dt.timedelta(minutes=idle - 1))
            assert is_logged_in(client)
        clock.tick(dt.timedelta(minutes=idle + 1))
        response = client.get("/account/password")
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/login?next=/account/password"
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "we logged you out after a while" in page
        assert not is_logged_in(client)


def test_a_busy_session_still_ends_at_the_absolute_limit(app, client):
    make_user(app, email="morag@example.org")
    hours = app.config["SESSION_MAX_HOURS"]
    with freeze_time("2026-03-02 07:00:00") as clock:
        log_in(client, "morag@example.org", PASSWORD)
        for _ in range(hours * 2 - 1):
            clock.tick(dt.timedelta(minutes=30))
            assert is_logged_in(client)
        clock.tick(dt.timedelta(minutes=31))
        assert client.get("/account/password").status_code == 302
        assert not is_logged_in(client)


def test_the_cookie_is_rewritten_at_most_once_a_minute(app, client):
    make_user(app, email="morag@example.org")
    with freeze_time("2026-03-02 09:00:00") as clock:
        log_in(client, "morag@example.org", PASSWORD)
        client.get("/account/password")
        clock.tick(dt.timedelta(seconds=30))
        assert "Set-Cookie" not in client.get("/account/password").headers
        clock.tick(dt.timedelta(seconds=31))
        assert "Set-Cookie" in client.get("/account/password").headers


def test_a_logged_in_worker_opening_login_goes_to_the_dashboard(app, client):
    login_as(client, make_user(app))
    response = client.get("/account/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/"
    assert csrf_token(client, "/account/password")


def test_an_expired_post_reaches_a_view_that_keeps_answers_logged_out(app, client):
    seen = []

    def save_answers():
        from flask_login import current_user

        seen.append(current_user.is_authenticated)
        return "kept"

    save_answers.keeps_posted_answers = True
    app.add_url_rule("/test-only/save", view_func=save_answers, methods=["POST"])
    app.extensions["csrf"].exempt(save_answers)
    make_user(app, email="morag@example.org")
    with freeze_time("2026-03-02 09:00:00") as clock:
        log_in(client, "morag@example.org", PASSWORD)
        clock.tick(dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
        response = client.post("/test-only/save", data={"item-1": "4"})
    assert response.get_data(as_text=True) == "kept"
    assert seen == [False]
    assert not is_logged_in(client)
