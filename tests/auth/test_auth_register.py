"""Creating an account and confirming its email address, through the real pages."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from account_pages import (
    csrf_token,
    find_user,
    is_logged_in,
    log_in,
    outbox,
    path_of,
    register,
    submit,
)
from builders import PASSWORD, login_as, make_user
from freezegun import freeze_time

import feedback360.auth.passwords as passwords
from feedback360.auth.passwords import common_passwords

GOOD = {
    "name": "Ailsa Grant",
    "email": "ailsa@example.org",
    "password": "sunlit meadow lantern",
    "confirm": "sunlit meadow lantern",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter your name."),
        ({"name": "A" * 101}, "Your name can have at most 100 characters."),
        ({"name": "Ailsa\r\nBcc: everyone@example.org"}, "Please write your name on one line"),
        ({"email": ""}, "Enter your email address."),
        ({"email": "ailsa at example"}, "Enter your email address in the right form"),
        ({"email": "ailsa@example.org\r\nBcc: x@example.org"}, "in the right form"),
        ({"password": "", "confirm": ""}, "Enter a password."),
        ({"password": "seven77", "confirm": "seven77"}, "at least 8 characters"),
        ({"password": "x" * 129, "confirm": "x" * 129}, "at most 128 characters"),
        ({"password": "Password123", "confirm": "Password123"}, "passwords people choose most"),
        ({"password": "iloveyou1", "confirm": "iloveyou1"}, "passwords people choose most"),
        ({"confirm": ""}, "Type your password a second time."),
        ({"confirm": "sunlit meadow lanterns"}, "The two passwords are not the same."),
    ],
)
def test_each_problem_is_explained_and_nothing_else_typed_is_lost(app, client, changes, message):
    data = {**GOOD, **changes}
    response = submit(client, "/account/register", data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert message in page
    assert 'class="error-summary"' in page
    assert 'aria-invalid="true"' in page
    # What was typed comes back, except passwords, which are never sent back.
    if changes.get("name", "x") and "\n" not in data["name"]:
        assert f'value="{data["name"]}"' in page
    if "email" not in changes:
        assert 'value="ailsa@example.org"' in page
    assert "sunlit meadow lantern" not in page
    assert find_user(app, "ailsa@example.org") is None
    assert outbox(app) == []


def test_the_common_password_list_is_thousands_long_and_long_passwords_pass(app):
    passwords = common_passwords()
    assert len(passwords) > 5000
    assert "password" in passwords and "qwertyuiop" in passwords
    assert "sunlit meadow lantern" not in passwords


def test_register_confirm_and_log_in(app, client):
    response = register(client, "  Ailsa.Grant@Example.ORG ", name="  Ailsa Grant ")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check your email" in page
    assert "ailsa.grant@example.org" in page

    user = find_user(app, "ailsa.grant@example.org")
    assert user is not None and user.name == "Ailsa Grant" and user.confirmed_at is None
    assert user.password_hash.startswith("scrypt:")
    assert "sunlit" not in user.password_hash

    [mail] = outbox(app, to="ailsa.grant@example.org")
    assert mail.subject == "Please confirm your email address for feedback360"
    assert "Hello Ailsa," in mail.text
    link = path_of(mail.link("/account/confirm/"))

    # Opening the link (as a mail scanner would, twice) changes nothing.
    for _ in range(2):
        opened = client.get(link)
        assert opened.status_code == 200
        assert "Confirm my email address" in opened.get_data(as_text=True)
    assert find_user(app, "ailsa.grant@example.org").confirmed_at is None

    confirmed = submit(client, link, {})
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/account/login"
    assert find_user(app, "ailsa.grant@example.org").confirmed_at is not None

    logged_in = log_in(client, "AILSA.grant@example.org", "sunlit meadow lantern")
    assert logged_in.status_code == 302
    assert logged_in.headers["Location"] == "/rounds/"
    assert is_logged_in(client)


def test_registering_a_known_email_reveals_nothing_and_tells_the_owner(app, client):
    owner = make_user(app, email="morag@example.org", name="Morag Campbell")

    fresh = register(app.test_client(), "someone.new@example.org", name="Someone New")
    known = register(client, "Morag@Example.org", name="Impostor", password="other long password")

    assert known.status_code == fresh.status_code == 200
    assert _without_tokens(known, "morag@example.org") == _without_tokens(
        fresh, "someone.new@example.org"
    )
    [note] = outbox(app, to="morag@example.org")
    assert note.subject.startswith("Someone tried to create a feedback360 account")
    assert "Hello Morag," in note.text
    assert path_of(note.link("/account/forgot-password"))
    # The existing account is untouched: same name, same password.
    assert find_user(app, "morag@example.org").name == "Morag Campbell"
    assert log_in(client, "morag@example.org", "other long password").status_code == 200
    assert log_in(client, "morag@example.org", PASSWORD).headers["Location"] == "/rounds/"
    assert owner.id == find_user(app, "morag@example.org").id


def test_a_known_email_costs_the_same_password_hashing(app, client, monkeypatch):
    make_user(app, email="morag@example.org")
    hashed = []
    real_hash = passwords.generate_password_hash

    def counting_hash(password: str) -> str:
        hashed.append(password)
        return real_hash(password)

    monkeypatch.setattr(passwords, "generate_password_hash", counting_hash)
    register(client, "morag@example.org", password="other long password")
    register(client, "someone.new@example.org", password="other long password")
    assert hashed == ["other long password", "other long password"]


def _without_tokens(response, email: str) -> str:
    page = response.get_data(as_text=True).replace(email, "EMAIL")
    return "\n".join(line for line in page.splitlines() if "csrf_token" not in line)


def test_a_tampered_confirmation_link_is_refused(app, client):
    register(client, "ailsa@example.org")
    link = path_of(outbox(app)[0].link("/account/confirm/"))
    response = client.get(link[:-3] + "xyz")
    assert response.status_code == 410
    assert "This link is not right" in response.get_data(as_text=True)


def test_a_confirmation_link_expires(app, client):
    with freeze_time("2026-03-02 09:00:00") as clock:
        register(client, "ailsa@example.org")
        link = path_of(outbox(app)[0].link("/account/confirm/"))
        clock.tick(dt.timedelta(days=app.config["CONFIRM_EMAIL_DAYS"], minutes=1))
        token = csrf_token(client, "/account/login")
        response = client.post(link, data={"csrf_token": token})
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert find_user(app, "ailsa@example.org").confirmed_at is None


def test_an_unconfirmed_worker_can_log_in_and_ask_for_a_new_link(app, client):
    make_user(app, email="rhona@example.org", name="Rhona Bell", confirmed=False)
    response = log_in(client, "rhona@example.org", PASSWORD)
    assert response.headers["Location"] == "/rounds/"
    page = client.get("/account/confirm").get_data(as_text=True)
    assert "Send me a new link" in page
    assert "rhona@example.org" in page

    sent = submit(client, "/account/confirm", {})
    assert sent.status_code == 302
    [mail] = outbox(app, to="rhona@example.org")
    submit(client, path_of(mail.link("/account/confirm/")), {})
    assert find_user(app, "rhona@example.org").confirmed_at is not None


def test_asking_for_new_confirmation_links_is_throttled(app, client):
    user = make_user(app, email="rhona@example.org", confirmed=False)
    login_as(client, user)
    limit = app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]
    for _ in range(limit):
        assert submit(client, "/account/confirm", {}).status_code == 302
    stopped = submit(client, "/account/confirm", {})
    assert stopped.status_code == 429
    assert "too many attempts" in stopped.get_data(as_text=True)
    assert len(outbox(app, to="rhona@example.org")) == limit


def test_a_confirmed_worker_is_not_asked_again(app, client):
    login_as(client, make_user(app, confirmed=True))
    response = client.get("/account/confirm")
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/"


def test_registrations_are_throttled_per_address(app, client):
    limit = app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]
    place = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"}}
    for number in range(limit):
        assert register(client, f"person{number}@example.org", **place).status_code == 200
    stopped = register(client, "one.more@example.org", **place)
    assert stopped.status_code == 429
    assert 'value="one.more@example.org"' in stopped.get_data(as_text=True)
    assert find_user(app, "one.more@example.org") is None
    elsewhere = register(client, "one.more@example.org", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert elsewhere.status_code == 200


def test_a_sign_up_that_loses_a_race_for_its_email_ends_like_any_known_email(
    app, client, monkeypatch
):
    import feedback360.auth.service as service

    make_user(app, email="morag@example.org")
    real_lookup = service.user_by_email
    lookups = []

    def late_lookup(email: str):
        # The first look-up runs before the other sign-up's row is visible.
        lookups.append(email)
        return None if len(lookups) == 1 else real_lookup(email)

    monkeypatch.setattr(service, "user_by_email", late_lookup)
    response = register(client, "morag@example.org", name="Second Sign-up")
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    [note] = outbox(app, to="morag@example.org")
    assert note.subject.startswith("Someone tried to create a feedback360 account")
    assert find_user(app, "morag@example.org").name == "Morag Campbell"
