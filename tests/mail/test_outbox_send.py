"""Sending the outbox over real SMTP: outcomes, retries, backoff, outages, parallel senders."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage, OutboxStatus
from feedback360.mail.sender import LEASE, SendResult, _take, backoff, send_due


@pytest.fixture
def app_config(app_config, scripted_smtp, smtp_settings):
    return {**app_config, **smtp_settings(scripted_smtp.host, scripted_smtp.port)}


def send(app, now: dt.datetime | None = None, batch: int = 50) -> SendResult:
    with app.app_context():
        return send_due(now=now or utcnow(), batch=batch)


def send_until_quiet(app, now: dt.datetime, batch: int = 50, limit: int = 100) -> int:
    """Pass over the outbox until a pass does nothing; returns how many passes it took."""
    for passes in range(1, limit):
        if send(app, now, batch) == SendResult():
            return passes
    raise AssertionError("the outbox never became quiet")


def test_each_message_has_one_recipient_a_text_body_and_an_html_alternative(
    app, scripted_smtp, add_messages
):
    add_messages(3)

    assert send(app) == SendResult(sent=3)

    deliveries = scripted_smtp.handler.deliveries
    assert [rcpts for rcpts, _ in deliveries] == [[f"colleague{n}@example.org"] for n in range(3)]
    for n, (_, message) in enumerate(deliveries):
        assert message["To"] == f"colleague{n}@example.org"
        assert message["Cc"] is None and message["Bcc"] is None
        assert message["Subject"] == f"Message {n}"
        assert message["Auto-Submitted"] == "auto-generated"
        assert "secret" in message.get_body(("plain",)).get_content()
        assert f"<p>Hello {n}.</p>" in message.get_body(("html",)).get_content()


def test_sent_messages_forget_their_bodies_so_no_link_stays_in_the_database(
    app, add_messages, outbox
):
    add_messages(2)
    now = utcnow()

    send(app, now)

    for row in outbox():
        assert row.status == OutboxStatus.SENT
        assert row.sent_at == now and row.attempts == 1
        assert row.text_body == "" and row.html_body is None


@pytest.mark.parametrize("stage", ["rcpt", "data"])
@pytest.mark.parametrize("reply", ["451 4.7.1 Greylisted, try again later", "421 4.3.2 Busy"])
def test_a_temporary_refusal_is_retried_after_the_backoff_then_delivered(
    app, scripted_smtp, add_messages, outbox, stage, reply
):
    add_messages(1)
    handler = scripted_smtp.handler
    if stage == "rcpt":
        handler.refuse("colleague0@example.org", reply)
    else:
        handler.data_replies.append(reply)
    start = utcnow()

    assert send(app, start) == SendResult(retried=1)
    (row,) = outbox()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at == start + dt.timedelta(seconds=30)
    assert row.last_error == reply
    assert row.text_body  # still needed for the next try

    assert send(app, start + dt.timedelta(seconds=29)) == SendResult()
    assert send(app, start + dt.timedelta(seconds=30)) == SendResult(sent=1)
    assert handler.received() == {"colleague0@example.org": 1}


def test_a_421_ends_the_batch_and_the_rest_wait_without_an_attempt_counted(
    app, scripted_smtp, add_messages, outbox
):
    add_messages(3)
    scripted_smtp.handler.refuse("colleague0@example.org", "421 4.3.2 Closing")
    now = utcnow()

    assert send(app, now) == SendResult(retried=1, deferred=2)
    assert [(r.status, r.attempts) for r in outbox()] == [
        (OutboxStatus.PENDING, 1),
        (OutboxStatus.PENDING, 0),
        (OutboxStatus.PENDING, 0),
    ]
    assert send(app, now) == SendResult(sent=2)


def test_a_permanent_refusal_fails_at_once_and_is_never_tried_again(
    app, scripted_smtp, add_messages, outbox
):
    add_messages(3)
    handler = scripted_smtp.handler
    handler.always_refuse["colleague1@example.org"] = "550 5.1.1 No such mailbox here"
    now = utcnow()

    assert send(app, now) == SendResult(sent=2, failed=1)
    failed = outbox()[1]
    assert failed.status == OutboxStatus.FAILED
    assert failed.last_error == "550 5.1.1 No such mailbox here"
    assert failed.text_body == "" and failed.html_body is None

    assert send(app, now + dt.timedelta(days=2)) == SendResult()
    assert handler.rcpt_calls["colleague1@example.org"] == 1
    assert handler.received() == {"colleague0@example.org": 1, "colleague2@example.org": 1}


def test_temporary_failures_give_up_after_the_maximum_attempts(
    app, scripted_smtp, add_messages, outbox
):
    add_messages(1)
    scripted_smtp.handler.always_refuse["colleague0@example.org"] = "452 4.2.2 Mailbox full"
    now = utcnow()

    results = [send(app, now + dt.timedelta(hours=hour)) for hour in range(6)]

    assert results == [SendResult(retried=1)] * 4 + [SendResult(failed=1), SendResult()]
    (row,) = outbox()
    assert row.status == OutboxStatus.FAILED and row.attempts == 5
    assert row.last_error == "452 4.2.2 Mailbox full"
    assert row.text_body == ""


def test_backoff_doubles_from_the_base_and_stops_at_an_hour(app):
    with app.app_context():
        delays = [backoff(n).total_seconds() for n in (0, 1, 2, 6, 7, 50)]
    assert delays == [30, 60, 120, 1920, 3600, 3600]


def test_smtp_down_then_up_loses_nothing_and_sends_nothing_twice(
    app, scripted_smtp, add_messages, outbox
):
    scripted_smtp.stop()
    add_messages(10)
    start = utcnow()

    down = [send(app, start + dt.timedelta(minutes=m)) for m in range(3)]

    assert down == [SendResult(retried=1)] * 3
    rows = outbox()
    assert [r.status for r in rows] == [OutboxStatus.PENDING] * 10
    assert sum(r.attempts for r in rows) == 3
    assert "refused" in rows[0].last_error

    scripted_smtp.start()
    send_until_quiet(app, start + dt.timedelta(minutes=10))

    assert scripted_smtp.handler.received() == {f"colleague{n}@example.org": 1 for n in range(10)}
    assert {r.status for r in outbox()} == {OutboxStatus.SENT}


@pytest.mark.slow
def test_hundreds_of_invitations_queued_through_an_outage_are_all_sent_once(
    app, scripted_smtp, add_messages, outbox
):
    scripted_smtp.stop()
    add_messages(300)
    start = utcnow()
    # Thirty minutes down, a worker passing every 15 seconds (time is moved, not waited for).
    for tick in range(0, 30 * 60, 15):
        send(app, start + dt.timedelta(seconds=tick))
    assert {r.status for r in outbox()} == {OutboxStatus.PENDING}

    scripted_smtp.start()
    recovered = start + dt.timedelta(minutes=30)
    passes = 0
    for tick in range(0, 10 * 60, 5):  # the worker keeps passing after recovery
        passes += send_until_quiet(app, recovered + dt.timedelta(seconds=tick))
        if {r.status for r in outbox()} == {OutboxStatus.SENT}:
            break
    received = scripted_smtp.handler.received()
    assert len(received) == 300 and set(received.values()) == {1}
    # "Within minutes of recovery": nothing waits out a long backoff after a long outage.
    assert max(r.sent_at for r in outbox()) - recovered <= dt.timedelta(minutes=5)


def test_two_senders_side_by_side_deliver_each_message_exactly_once(
    app, scripted_smtp, add_messages, outbox
):
    add_messages(100)
    now = utcnow()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            start.wait()
            send_until_quiet(app, now, batch=7)
        except BaseException as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    received = scripted_smtp.handler.received()
    assert len(received) == 100 and set(received.values()) == {1}
    assert {r.status for r in outbox()} == {OutboxStatus.SENT}


def test_a_claim_is_a_conditional_update_that_only_one_sender_can_win(app, add_messages):
    (message_id,) = add_messages(1)
    now = utcnow()
    with app.app_context():
        first = _take(message_id, OutboxStatus.PENDING, None, now)
        second = _take(message_id, OutboxStatus.PENDING, None, now)
        db.session.commit()
        status = db.session.scalar(select(OutboxMessage.status))
    assert (first, second, status) == (True, False, OutboxStatus.SENDING)


def test_a_message_left_sending_by_a_dead_sender_is_sent_after_the_lease(
    app, scripted_smtp, add_messages, outbox
):
    now = utcnow()
    stale, fresh = now - LEASE - dt.timedelta(seconds=1), now - dt.timedelta(minutes=1)
    add_messages(1, prefix="stale", status=OutboxStatus.SENDING, claimed_at=stale)
    add_messages(1, prefix="fresh", status=OutboxStatus.SENDING, claimed_at=fresh)

    assert send(app, now) == SendResult(sent=1)

    assert scripted_smtp.handler.received() == {"stale0@example.org": 1}
    assert [r.status for r in outbox()] == [OutboxStatus.SENT, OutboxStatus.SENDING]
