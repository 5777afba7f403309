"""Sends racing each other, and a send racing the round's close: each is decided once."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from builders import make_invitation, make_round, make_user
from rater_steps import answer_every_page, csrf_from, instrument_for, link_to
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from feedback360.auth.models import User
from feedback360.extensions import db
from feedback360.surveys import rater_drafts, sending
from feedback360.surveys.account import delete_account
from feedback360.surveys.closing import close_round
from feedback360.surveys.models import (
    Answer,
    AnswerSet,
    Invitation,
    InvitationStatus,
    InvitationUse,
    RaterDraft,
    Round,
)
from feedback360.surveys.rater_links import AlreadySubmitted, LinkProblem, RoundClosed, UnknownLink

SENDERS = 20


def send_together(url: str, token: str) -> list[requests.Response]:
    """Each sender opens the review page in its own session, then all press Send at once."""
    sessions = [requests.Session() for _ in range(SENDERS)]
    forms = [
        csrf_from(session.get(f"{url}/r/{token}/review", timeout=10).text) for session in sessions
    ]
    start = threading.Barrier(SENDERS)
    responses: list[requests.Response | BaseException] = [None] * SENDERS  # type: ignore[list-item]

    def send(number: int) -> None:
        start.wait()
        try:
            responses[number] = sessions[number].post(
                f"{url}/r/{token}/submit",
                data={"csrf_token": forms[number]},
                allow_redirects=False,
                timeout=60,
            )
        except BaseException as error:  # reported below, not lost in the thread
            responses[number] = error

    threads = [threading.Thread(target=send, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert all(isinstance(r, requests.Response) for r in responses), responses
    return responses  # type: ignore[return-value]


def test_twenty_concurrent_submits_of_one_link_store_exactly_one_answer_set(
    app, client, live_server
):
    round_ = make_round(app, make_user(app))
    invitation, token = make_invitation(app, round_)
    instrument = instrument_for(app, round_)
    answer_every_page(client, token, instrument)

    responses = send_together(live_server.url, token)

    codes = sorted(r.status_code for r in responses)
    assert codes == [302] + [410] * (SENDERS - 1), codes
    for response in responses:
        if response.status_code == 410:
            assert "You have already sent your feedback" in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 1
        answers = db.session.scalar(select(func.count()).select_from(Answer))
        assert answers == len(instrument.items)
        assert db.session.get(Invitation, invitation.id).status is InvitationStatus.SUBMITTED
        assert db.session.get(RaterDraft, invitation.id) is None


def use_twice(app, undo_first_use) -> tuple[type[Exception], ...]:
    """Use an invitation, undo part of what that left (as a missing defence would), use it again.

    No Python check helps: the object in hand still says "pending", and the draft is saved
    again before each further try, so only the database stands in the way. Returns what each
    further try (a submit, then a decline) raised.
    """
    round_ = make_round(app, make_user(app))
    invitation, _ = make_invitation(app, round_)
    instrument = instrument_for(app, round_)
    every_score = {item.key: 3 for item in instrument.items}
    refused = []
    with app.app_context():
        pending = db.session.get(Invitation, invitation.id)
        stale = link_to(invitation.id)  # read before the first use, as a second browser holds it
        rater_drafts.save_page(pending, every_score, {}, tuple(every_score))
        sending.send(stale, instrument)
        db.session.commit()
        for use_again in (
            lambda: sending.send(stale, instrument),
            lambda: sending.decline(stale),
        ):
            undo_first_use(invitation.id)
            rater_drafts.save_page(pending, every_score, {}, tuple(every_score))
            with pytest.raises(LinkProblem) as problem:
                use_again()
            refused.append(type(problem.value))
            db.session.rollback()  # as the view's handler does
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 1
    return tuple(refused)


def forget_the_use(invitation_id: int) -> None:
    db.session.execute(delete(InvitationUse).where(InvitationUse.invitation_id == invitation_id))


def set_pending_again(invitation_id: int) -> None:
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id)
        .values(status=InvitationStatus.PENDING)
    )


def test_the_conditional_update_alone_refuses_a_second_use(app):
    """With the use's row deleted, the UPDATE ... WHERE status = 'pending' still refuses."""
    assert use_twice(app, forget_the_use) == (AlreadySubmitted, AlreadySubmitted)


def test_the_use_key_alone_refuses_a_second_use(app):
    """With the invitation set back to pending, as if the UPDATE had no condition, the key refuses.

    The refused row ends the transaction, which the view's handler rolls back before the page.
    """
    assert use_twice(app, set_pending_again) == (AlreadySubmitted, AlreadySubmitted)


def test_both_defences_refuse_a_second_use_with_nothing_undone(app):
    assert use_twice(app, lambda _id: None) == (AlreadySubmitted, AlreadySubmitted)


def test_a_used_invitation_has_one_use_row_and_the_table_refuses_another(app):
    round_ = make_round(app, make_user(app))
    invitation, _ = make_invitation(app, round_)
    with app.app_context():
        sending.decline(link_to(invitation.id))
        db.session.commit()
        assert db.session.scalars(select(InvitationUse.invitation_id)).all() == [invitation.id]
        with pytest.raises(IntegrityError):
            db.session.execute(insert(InvitationUse).values(invitation_id=invitation.id))
        db.session.rollback()


def test_a_send_read_before_the_worker_deleted_their_account_finds_the_link_unknown(app):
    user = make_user(app)
    round_ = make_round(app, user)
    invitation, _ = make_invitation(app, round_)
    instrument = instrument_for(app, round_)
    with app.app_context():
        stale = link_to(invitation.id)  # the colleague pressed Send; the worker deletes first
        delete_account(db.session.get(User, user.id))
        db.session.commit()
        with pytest.raises(UnknownLink):
            sending.send(stale, instrument)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 0


def wait_until_blocked(app, thread: threading.Thread) -> None:
    """Until the thread waits for a lock: PostgreSQL shows it; SQLite's busy wait does not."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            with db.engine.connect() as watcher:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and not watcher.exec_driver_sql(waiting).scalar():
                    watcher.rollback()
                    time.sleep(0.02)
        else:
            time.sleep(0.5)  # well inside the 5 s busy timeout
    assert thread.is_alive(), "the send did not wait for the close"


def test_a_send_that_waits_for_a_close_stores_nothing_and_finds_the_round_closed(app):
    """The close has updated the round and not yet committed when Send is pressed.

    The link was read while the round was open, so only the send's own update can see the
    close: it must wait for the close to commit, then refuse.
    """
    round_ = make_round(app, make_user(app))
    invitation, _ = make_invitation(app, round_)
    instrument = instrument_for(app, round_)
    every_score = {item.key: 3 for item in instrument.items}
    with app.app_context():
        rater_drafts.save_page(db.session.get(Invitation, invitation.id), every_score, {}, ())
        db.session.commit()
        stale = link_to(invitation.id)
    closed, release = threading.Event(), threading.Event()
    outcome: list[object] = []

    def close_and_hold() -> None:
        with app.app_context():
            close_round(db.session.get(Round, round_.id))
            closed.set()
            release.wait(10)
            db.session.commit()

    def send() -> None:
        with app.app_context():
            try:
                sending.send(stale, instrument)
                db.session.commit()
                outcome.append("stored")
            except LinkProblem as problem:
                db.session.rollback()
                outcome.append(type(problem))

    closer, sender = threading.Thread(target=close_and_hold), threading.Thread(target=send)
    closer.start()
    assert closed.wait(10)
    sender.start()
    try:
        wait_until_blocked(app, sender)
    finally:
        release.set()
        closer.join(10)
        sender.join(10)
    assert outcome == [RoundClosed]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 0
        assert db.session.get(Invitation, invitation.id).status is InvitationStatus.PENDING
