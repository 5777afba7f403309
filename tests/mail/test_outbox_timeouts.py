"""An SMTP server that accepts the connection and never answers slows nothing but the sender."""

from __future__ import annotations

import threading

import pytest

from feedback360.columns import utcnow
from feedback360.extensions import csrf, db
from feedback360.mail.models import OutboxStatus
from feedback360.mail.outbox import queue_email
from feedback360.mail.sender import SendResult, send_due


@pytest.fixture
def app_config(app_config, silent_server, smtp_settings):
    return {**app_config, **smtp_settings("127.0.0.1", silent_server.port)}


@pytest.mark.timing
def test_sending_gives_up_after_the_timeout_and_retries_later(
    app, silent_server, add_messages, outbox
):
    add_messages(5)

    results: list[SendResult] = []
    # In a thread, so that a sender without a timeout fails this test instead of hanging it.
    sender = threading.Thread(target=lambda: results.append(send_in_background(app)))
    sender.start()
    sender.join(timeout=5)

    assert not sender.is_alive(), "the sender is still waiting for a server that never answers"
    # One connection and one retry: the sender waited once for the greeting, not once a message.
    assert results == [SendResult(retried=1)]
    assert silent_server.connections() == 1
    rows = outbox()
    assert [r.status for r in rows] == [OutboxStatus.PENDING] * 5
    assert rows[0].attempts == 1 and rows[0].last_error == "The mail server did not answer in time."
    assert all(r.text_body for r in rows)


def test_queueing_mail_in_a_request_never_touches_smtp(app, client, silent_server, outbox):
    add_invite_route(app)

    response = client.post("/test-only/invite")

    assert response.get_data(as_text=True) == "queued"
    assert [r.status for r in outbox()] == [OutboxStatus.PENDING]
    assert silent_server.connections() == 0
    # The same message does reach for the server once the sender runs: the count above was real.
    with app.app_context():
        send_due(now=utcnow())
    assert silent_server.connections() == 1


def test_a_page_that_writes_answers_while_the_sender_waits_on_a_silent_server(
    app, client, silent_server, add_messages, outbox
):
    app.config["MAIL_TIMEOUT_SECONDS"] = 3.0
    add_messages(1)
    add_invite_route(app)
    sender = threading.Thread(target=send_in_background, args=(app,))
    sender.start()
    while silent_server.connections() == 0:  # the sender now waits for a greeting
        assert sender.is_alive()

    response = client.post("/test-only/invite")
    still_waiting = sender.is_alive()
    sender.join(timeout=10)

    # The page, which writes to the database, finished while the sender was still waiting:
    # the sender holds no transaction or lock while it talks to the mail server.
    assert response.get_data(as_text=True) == "queued"
    assert still_waiting
    assert [r.status for r in outbox()] == [OutboxStatus.PENDING, OutboxStatus.PENDING]


def send_in_background(app) -> SendResult:
    with app.app_context():
        return send_due(now=utcnow())


def add_invite_route(app) -> None:
    """A test-only page that queues an email the way an invitation does."""

    @app.post("/test-only/invite")
    @csrf.exempt
    def invite() -> str:
        queue_email(
            "colleague@example.org",
            "Morag would value your feedback",
            "notice",
            message="Please give feedback.",
        )
        db.session.commit()
        return "queued"
