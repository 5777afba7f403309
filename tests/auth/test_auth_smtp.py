"""Account emails over a real SMTP server: sign up, confirm, reset, all by the delivered links."""

from __future__ import annotations

import pytest
from account_pages import LINK, find_user, is_logged_in, path_of, register, submit

from feedback360.mail.sender import send_due


@pytest.fixture
def app_config(app_config, smtp_server):
    host, port, _received = smtp_server
    return {**app_config, "MAIL_TRANSPORT": "smtp", "MAIL_SERVER": host, "MAIL_PORT": port}


def deliver(app) -> None:
    with app.app_context():
        result = send_due()
    assert result.sent >= 1 and result.failed == 0


def delivered_link(received, address: str, path_prefix: str) -> str:
    [message] = [m for m in received.to(address) if path_prefix in _text(m)]
    links = [url for url in LINK.findall(_text(message)) if path_prefix in url]
    assert len(links) == 1, links
    return path_of(links[0])


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_sign_up_confirm_and_reset_through_delivered_mail(app, client, smtp_server):
    _host, _port, received = smtp_server
    register(client, "Ailsa@Example.org")
    deliver(app)
    [message] = received.to("ailsa@example.org")
    assert message["Subject"] == "Please confirm your email address for feedback360"
    assert message.get_body(preferencelist=("html",)) is not None

    submit(client, delivered_link(received, "ailsa@example.org", "/account/confirm/"), {})
    assert find_user(app, "ailsa@example.org").confirmed_at is not None

    submit(client, "/account/forgot-password", {"email": "ailsa@example.org"})
    deliver(app)
    link = delivered_link(received, "ailsa@example.org", "/account/reset-password/")
    new = {"password": "tide turning slowly", "confirm": "tide turning slowly"}
    assert submit(client, link, new).headers["Location"] == "/rounds/"
    assert is_logged_in(client)


def test_only_a_path_on_this_site_rides_into_the_confirmation_email(app, client, smtp_server):
    """SECURITY.md line 5: a `next` that leaves the site is dropped before it is mailed."""
    _host, _port, received = smtp_server
    targets = {
        "one@example.org": "//evil.example/",
        "two@example.org": "https://evil.example/",
        "three@example.org": "/\\evil.example",
        "four@example.org": "/programme/invitation/abc",
    }
    for address, target in targets.items():
        register(client, address, query_string={"next": target})
    deliver(app)
    links = {a: delivered_link(received, a, "/account/confirm/") for a in targets}
    assert all("next=" not in links[a] for a in list(targets)[:3]), links
    assert links["four@example.org"].endswith("?next=/programme/invitation/abc")
