"""Forgotten and changed passwords: same answers for unknown emails, links that work once."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from account_pages import find_user, is_logged_in, log_in, outbox, path_of, register, submit
from builders import PASSWORD, make_user
from freezegun import freeze_time

NEW = "heather on the hill"


def ask_for_reset(client, email: str, **kwargs):
    return submit(client, "/account/forgot-password", {"email": email}, **kwargs)


def reset_link(app, email: str) -> str:
    mails = [m for m in outbox(app, to=email) if m.subject == "Reset your feedback360 password"]
    return path_of(mails[-1].link("/account/reset-password/"))


def choose(client, link: str, password: str = NEW, confirm: str | None = None, *, dead=False):
    """Post a new password; a dead link shows no form, so its token comes from another page."""
    data = {"password": password, "confirm": password if confirm is None else confirm}
    return submit(client, link, data, token_from="/account/login" if dead else None)


def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(app, client):
    make_user(app, email="morag@example.org")
    known = ask_for_reset(client, "Morag@Example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    text = html.unescape(known.get_data(as_text=True))
    assert "If an account uses" in text and "we have sent a link" in text
    assert _page_without(known, "morag@example.org") == _page_without(unknown, "nobody@example.org")
    assert [m.recipient for m in outbox(app)] == ["morag@example.org"]


def test_a_reset_link_sets_a_new_password_once_and_logs_in(app, client):
    make_user(app, email="morag@example.org", confirmed=False)
    ask_for_reset(client, "morag@example.org")
    [mail] = outbox(app, to="morag@example.org")
    assert "works once, for 30 minutes" in mail.text
    link = reset_link(app, "morag@example.org")

    assert client.get(link).status_code == 200
    response = choose(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/"
    assert is_logged_in(client)
    # Following the emailed link proved the address is theirs.
    assert find_user(app, "morag@example.org").confirmed_at is not None

    again = app.test_client()
    for attempt in (again.get(link), choose(again, link, "another new password", dead=True)):
        assert attempt.status_code == 410
        assert "already been used" in attempt.get_data(as_text=True)
    assert log_in(again, "morag@example.org", PASSWORD).status_code == 200
    assert log_in(again, "morag@example.org", NEW).status_code == 302


def test_an_older_reset_link_dies_when_a_newer_one_is_used(app, client):
    make_user(app, email="morag@example.org")
    ask_for_reset(client, "morag@example.org")
    first = reset_link(app, "morag@example.org")
    ask_for_reset(client, "morag@example.org")
    second = reset_link(app, "morag@example.org")
    assert choose(client, second).status_code == 302
    assert choose(app.test_client(), first, "yet another password", dead=True).status_code == 410


def test_a_reset_link_expires(app, client):
    make_user(app, email="morag@example.org")
    minutes = app.config["PASSWORD_RESET_MINUTES"]
    with freeze_time("2026-03-02 09:00:00") as clock:
        ask_for_reset(client, "morag@example.org")
        link = reset_link(app, "morag@example.org")
        clock.tick(dt.timedelta(minutes=minutes - 1))
        assert client.get(link).status_code == 200
        clock.tick(dt.timedelta(minutes=2))
        response = choose(client, link, dead=True)
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert log_in(app.test_client(), "morag@example.org", PASSWORD).status_code == 302


def test_a_tampered_or_borrowed_reset_link_is_refused(app, client):
    make_user(app, email="morag@example.org", confirmed=False)
    ask_for_reset(client, "morag@example.org")
    link = reset_link(app, "morag@example.org")
    register(client, "morag@example.org")  # the owner's note carries a confirmation link
    [note] = [m for m in outbox(app) if m.subject.startswith("Someone tried")]
    confirm_token = note.link("/account/confirm/").rsplit("/", 1)[1]
    tampered = link[:-4] + ("abcd" if not link.endswith("abcd") else "efgh")
    for bad in (link + "x", tampered, "/account/reset-password/" + confirm_token):
        response = client.get(bad)
        assert response.status_code == 410
        assert "This link is not right" in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "at least 8 characters"),
        ("password1", "password1", "passwords people choose most"),
        (NEW, "something else", "The two passwords are not the same."),
    ],
)
def test_a_bad_new_password_is_explained_and_the_link_still_works(
    app, client, password, confirm, message
):
    make_user(app, email="morag@example.org")
    ask_for_reset(client, "morag@example.org")
    link = reset_link(app, "morag@example.org")
    response = choose(client, link, password, confirm)
    assert response.status_code == 200
    assert message in html.unescape(response.get_data(as_text=True))
    assert "please type it again" in response.get_data(as_text=True)
    assert choose(client, link).status_code == 302


def test_a_reset_ends_every_other_session(app, client):
    make_user(app, email="morag@example.org")
    elsewhere = app.test_client()
    log_in(elsewhere, "morag@example.org", PASSWORD)
    assert is_logged_in(elsewhere)
    ask_for_reset(client, "morag@example.org")
    choose(client, reset_link(app, "morag@example.org"))
    assert not is_logged_in(elsewhere)
    assert is_logged_in(client)


def test_emailed_links_ignore_the_host_header(app, client):
    make_user(app, email="morag@example.org")
    evil = {"headers": {"Host": "evil.example"}}
    response = ask_for_reset(client, "morag@example.org", **evil)
    assert response.status_code == 200
    [mail] = outbox(app, to="morag@example.org")
    url = mail.link("/account/reset-password/")
    assert url.startswith("http://feedback360.test/account/reset-password/")
    assert "evil.example" not in mail.text and "evil.example" not in (mail.html or "")

    register_page = submit(
        client,
        "/account/register",
        {"name": "Ailsa", "email": "ailsa@example.org", "password": NEW, "confirm": NEW},
        **evil,
    )
    assert register_page.status_code == 200
    [confirm] = outbox(app, to="ailsa@example.org")
    assert confirm.link("/account/confirm/").startswith("http://feedback360.test/account/confirm/")


def test_reset_requests_are_throttled_per_account_known_or_not(app, client):
    make_user(app, email="morag@example.org")
    limit = app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]
    stopped = {}
    for email in ("morag@example.org", "nobody@example.org"):
        for number in range(limit):
            ask_for_reset(client, email, environ_base={"REMOTE_ADDR": f"203.0.113.{number}"})
        stopped[email] = ask_for_reset(client, email, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    real, unknown = stopped.values()
    assert real.status_code == unknown.status_code == 429
    assert _page_without(real, "morag@example.org") == _page_without(unknown, "nobody@example.org")
    assert 'value="morag@example.org"' in real.get_data(as_text=True)
    assert len(outbox(app, to="morag@example.org")) == limit


def test_reset_requests_are_throttled_per_address(app, client):
    make_user(app, email="morag@example.org")
    limit = app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]
    place = {"environ_base": {"REMOTE_ADDR": "203.0.113.5"}}
    for number in range(limit):
        ask_for_reset(client, f"someone{number}@example.org", **place)
    assert ask_for_reset(client, "morag@example.org", **place).status_code == 429
    assert outbox(app, to="morag@example.org") == []


def _page_without(response, email: str) -> str:
    page = response.get_data(as_text=True).replace(email, "EMAIL")
    return "\n".join(line for line in page.splitlines() if "csrf_token" not in line)


def change(client, current: str, new: str = NEW, confirm: str | None = None):
    data = {
        "current_password": current,
        "password": new,
        "confirm": new if confirm is None else confirm,
    }
    return submit(client, "/account/password", data)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client):
    make_user(app, email="morag@example.org")
    other = app.test_client()
    log_in(other, "morag@example.org", PASSWORD)
    log_in(client, "morag@example.org", PASSWORD)

    response = change(client, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/"
    assert is_logged_in(client)
    assert not is_logged_in(other)
    [mail] = outbox(app, to="morag@example.org")
    assert mail.subject == "Your feedback360 password was changed"
    assert path_of(mail.link("/account/forgot-password"))
    assert log_in(app.test_client(), "morag@example.org", PASSWORD).status_code == 200
    assert log_in(app.test_client(), "morag@example.org", NEW).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW, NEW, "That is not your current password."),
        ("", NEW, NEW, "Enter your current password."),
        (PASSWORD, "qwertyuiop", "qwertyuiop", "passwords people choose most"),
        (PASSWORD, NEW, "different", "The two passwords are not the same."),
    ],
)
def test_a_refused_change_explains_why_and_changes_nothing(
    app, client, current, new, confirm, message
):
    make_user(app, email="morag@example.org")
    log_in(client, "morag@example.org", PASSWORD)
    response = change(client, current, new, confirm)
    assert response.status_code == 200
    assert message in html.unescape(response.get_data(as_text=True))
    assert is_logged_in(client)
    assert outbox(app) == []
    assert log_in(app.test_client(), "morag@example.org", PASSWORD).status_code == 302


def test_guessing_the_current_password_is_throttled(app, client):
    make_user(app, email="morag@example.org")
    log_in(client, "morag@example.org", PASSWORD)
    for _ in range(app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]):
        assert change(client, "a guess").status_code == 200
    stopped = change(client, PASSWORD)
    assert stopped.status_code == 429
    assert "too many attempts" in stopped.get_data(as_text=True)
    assert outbox(app) == []


def test_changing_the_password_needs_a_login(app, client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
