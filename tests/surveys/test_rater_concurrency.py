"""Twenty browsers sending one link at the same moment store one answer set."""

from __future__ import annotations

import threading

import pytest
import requests
from builders import make_invitation, make_round, make_user
from rater_steps import answer_every_page, csrf_from, instrument_for
from sqlalchemy import func, select

from feedback360.extensions import db
from feedback360.models import Answer, AnswerSet, Invitation, InvitationStatus, RaterDraft
from feedback360.surveys import rater

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


def test_the_conditional_update_alone_refuses_a_second_use(app):
    """No Python check helps here: the object in hand still says "pending" after the first use."""
    round_ = make_round(app, make_user(app))
    invitation, _ = make_invitation(app, round_)
    instrument = instrument_for(app, round_)
    every_score = {item.key: 3 for item in instrument.items}
    with app.app_context():
        stale = db.session.get(Invitation, invitation.id)
        rater.save_page(stale, every_score, {}, tuple(every_score))
        rater.record_answers(stale, instrument)
        assert stale.status is InvitationStatus.PENDING
        with pytest.raises(rater.AlreadySubmitted):
            rater.record_answers(stale, instrument)
        with pytest.raises(rater.AlreadySubmitted):
            rater.decline(stale)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 1
