"""Queueing: one message per recipient, rendered from templates, header injection refused."""

from __future__ import annotations

import pytest

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxStatus
from feedback360.mail.outbox import HeaderInjection, queue_email
from feedback360.mail.sender import SendResult, send_due


@pytest.fixture
def app_config(app_config, silent_server):
    # Development transport, with a mail server configured that would notice any connection.
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": silent_server.port}


def queue_notice(app, recipient="colleague@example.org", subject="A note", **context):
    with app.test_request_context():
        message = queue_email(recipient, subject, "notice", **context)
        db.session.commit()
        return message.id


def test_queue_email_renders_text_and_html_and_waits_in_the_outbox(app, outbox):
    queue_notice(
        app,
        message="Your round <b>closes</b> soon & that's fine.",
        link="http://feedback360.test/rounds/1",
        link_text="See your round",
    )

    (row,) = outbox()
    assert row.status == OutboxStatus.PENDING and row.attempts == 0
    assert row.recipient == "colleague@example.org" and row.subject == "A note"
    assert "Your round <b>closes</b> soon & that's fine." in row.text_body
    assert "http://feedback360.test/rounds/1" in row.text_body
    assert "Your round &lt;b&gt;closes&lt;/b&gt; soon &amp; that&#39;s fine." in row.html_body
    assert '<a href="http://feedback360.test/rounds/1">See your round</a>' in row.html_body


@pytest.mark.parametrize(
    ("recipient", "subject"),
    [
        ("colleague@example.org\r\nBcc: everyone@example.org", "A note"),
        ("colleague@example.org\nBcc: everyone@example.org", "A note"),
        ("colleague@example.org", "A note\r\nBcc: everyone@example.org"),
        ("colleague@example.org", "A note\rBcc: everyone@example.org"),
        ("colleague@example.org", "A note\u2028Bcc: everyone@example.org"),
        ("colleague@example.org, everyone@example.org", "A note"),
        ("colleague@example.org; everyone@example.org", "A note"),
        ("not an address", "A note"),
    ],
)
def test_header_injection_and_second_recipients_are_refused_before_anything_is_stored(
    app, outbox, recipient, subject
):
    with pytest.raises(HeaderInjection) as refused:
        queue_notice(app, recipient, subject, message="Hello")

    assert str(refused.value) in {
        "Email addresses and subjects cannot contain line breaks.",
        "Each email goes to exactly one address.",
    }
    assert outbox() == []


def test_the_outbox_transport_marks_mail_sent_keeps_it_readable_and_sends_nothing(
    app, silent_server, outbox
):
    queue_notice(app, message="Hello", link="http://feedback360.test/r/secret")
    now = utcnow()

    with app.app_context():
        assert send_due(now=now) == SendResult(sent=1)

    (row,) = outbox()
    assert row.status == OutboxStatus.SENT and row.sent_at == now
    assert "http://feedback360.test/r/secret" in row.text_body
    assert silent_server.connections() == 0
