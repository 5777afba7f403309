"""SECURITY.md, "Durability" (lines 17 and 18).

Line 17 is proved with real processes in test_fault_injection.py (gunicorn workers killed with
SIGKILL mid-submit); here the same promise is pinned down in-process, where the failure can be
placed exactly: a submit that dies after the invitation was claimed and some answers written.
Line 18: many colleagues at once, each sending through the real pages of a threaded server.
"""

from __future__ import annotations

import os
import threading

import pytest
import requests
from builders import make_invitation, make_round, make_user
from rater_steps import answer_every_page, csrf_from, instrument_for
from sqlalchemy import func, select

from feedback360.extensions import db
from feedback360.surveys import sending
from feedback360.surveys.models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationStatus,
    RaterDraft,
)

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
RATERS = 200 if ON_POSTGRES else 50


def counts(app) -> tuple[int, int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (AnswerSet, Answer, Comment, RaterDraft)
        )


def test_a_submit_that_dies_after_writing_some_answers_leaves_none_of_them(
    app, client, monkeypatch
):
    round_ = make_round(app, make_user(app))
    invitation, token = make_invitation(app, round_)
    instrument = instrument_for(app, round_)
    answer_every_page(client, token, instrument)
    before = counts(app)

    def die_half_way(*_args: object) -> None:
        # By now the invitation is claimed and the answer set and its answers are written.
        assert db.session.scalar(select(func.count()).select_from(Answer)) > 0
        raise RuntimeError("the process died here")

    monkeypatch.setattr(sending, "store_comments", die_half_way)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = client.get(f"/r/{token}/review").get_data(as_text=True)
    response = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_from(page)})

    assert response.status_code == 500
    assert counts(app) == before  # no answer set, no answer, no comment; the draft is still there
    with app.app_context():
        assert db.session.get(Invitation, invitation.id).status is InvitationStatus.PENDING
    monkeypatch.undo()
    retry = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_from(page)})
    assert retry.status_code == 302
    answer_sets, answers, _, drafts = counts(app)
    assert (answer_sets, answers, drafts) == (1, len(instrument.items), 0)


def rater_journey(url: str, token: str, pages: list[dict[str, str]]) -> tuple[int, int]:
    """Every page saved, then Send, then Send again: the two status codes."""
    session = requests.Session()
    csrf = csrf_from(session.get(f"{url}/r/{token}/page/1", timeout=60).text)
    for number, answers in enumerate(pages, start=1):
        data = {"csrf_token": csrf, "action": "next", **answers}
        saved = session.post(
            f"{url}/r/{token}/page/{number}", data=data, allow_redirects=False, timeout=60
        )
        assert saved.status_code == 302, saved.text
    send = {"data": {"csrf_token": csrf}, "allow_redirects": False, "timeout": 60}
    first = session.post(f"{url}/r/{token}/submit", **send)
    second = session.post(f"{url}/r/{token}/submit", **send)
    return first.status_code, second.status_code


@pytest.mark.slow
def test_many_raters_at_once_are_each_stored_exactly_once(app, live_server):
    from rater_steps import page_answers

    app.config["TOKEN_ATTEMPTS_PER_ADDRESS"] = 100_000
    round_ = make_round(app, make_user(app))
    tokens = [make_invitation(app, round_)[1] for _ in range(RATERS)]
    instrument = instrument_for(app, round_)
    pages = [page_answers(instrument, n) for n in range(1, len(instrument.capabilities) + 2)]
    results: list[object] = [None] * RATERS
    start = threading.Barrier(RATERS)

    def run(number: int) -> None:
        start.wait()
        try:
            results[number] = rater_journey(live_server.url, tokens[number], pages)
        except BaseException as error:  # reported below, not lost in the thread
            results[number] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(RATERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)

    assert results == [(302, 410)] * RATERS  # accepted once, then told it was already sent
    answer_sets, answers, comments, drafts = counts(app)
    assert answer_sets == RATERS and drafts == 0
    assert answers == RATERS * len(instrument.items)
    assert comments == RATERS * (len(instrument.capabilities) + len(instrument.questions))
    with app.app_context():
        used = db.session.scalar(
            select(func.count()).where(Invitation.status == InvitationStatus.SUBMITTED)
        )
    assert used == RATERS
