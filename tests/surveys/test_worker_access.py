"""Another worker's round is not found at any URL, and deleting an account leaves nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import PASSWORD, login_as, make_invitation, make_round, make_user
from freezegun import freeze_time
from relogin_steps import log_in_from
from sqlalchemy import MetaData, func, select, text
from worker_steps import csrf_from, page_answers, post_form, record_reply

from feedback360.auth.models import User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.instruments.snapshots import instrument_from_dict
from feedback360.mail.models import OutboxMessage
from feedback360.reports.models import (
    DevelopmentPriority,
    PdfJob,
    Reflection,
    RoundReport,
    ShareLink,
)
from feedback360.surveys.models import (
    AnswerSet,
    Comment,
    InvitationLink,
    RaterDraft,
    Relationship,
    Round,
)


@pytest.fixture
def two_workers(app, client):
    """Ailsa is logged in; the round belongs to Bruce."""
    ailsa = make_user(app, email="ailsa@example.org", name="Ailsa Grant")
    bruce = make_user(app, email="bruce@example.org", name="Bruce Shaw")
    theirs = make_round(app, bruce, "frontline")
    make_invitation(app, theirs, Relationship.PEER, email="secret@example.org", name="Secret")
    login_as(client, ailsa)
    return ailsa, bruce, theirs


def worker_urls(round_id: int) -> list[tuple[str, str]]:
    base = f"/rounds/{round_id}"
    return [
        ("GET", base),
        ("GET", f"{base}/self/1"),
        ("POST", f"{base}/self/1"),
        ("GET", f"{base}/invite"),
        ("POST", f"{base}/invite"),
        ("POST", f"{base}/remind"),
        ("POST", f"{base}/close"),
    ]


@pytest.mark.parametrize("index", range(len(worker_urls(0))))
def test_another_workers_round_is_not_found(app, client, two_workers, index):
    _, _, theirs = two_workers
    method, path = worker_urls(theirs.id)[index]
    token = csrf_from(client.get("/rounds/").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "action": "continue",
        "email": "x@example.org",
        "relationship": "peer",
        **page_answers(instrument_from_dict(_snapshot(app, theirs.id)), 1),
    }
    response = client.get(path) if method == "GET" else client.post(path, data=data)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "secret@example.org" not in body and "Bruce" not in body
    _assert_untouched(app, theirs.id)


@pytest.mark.parametrize("index", range(len(worker_urls(0))))
def test_a_round_that_does_not_exist_looks_the_same(app, client, two_workers, index):
    method, path = worker_urls(99999)[index]
    token = csrf_from(client.get("/rounds/").get_data(as_text=True))
    response = (
        client.get(path) if method == "GET" else client.post(path, data={"csrf_token": token})
    )
    assert response.status_code == 404


# The pages that keep a post through logging in again, and what each posts.
KEPT_POSTS = {
    "self/1": lambda app, round_id: {
        "action": "continue",
        **page_answers(instrument_from_dict(_snapshot(app, round_id)), 1),
    },
    "invite": lambda app, round_id: {
        "email": "kept@example.org",
        "name": "Kept",
        "relationship": "peer",
    },
}


@pytest.mark.parametrize("page", KEPT_POSTS)
def test_logging_in_again_cannot_save_into_another_workers_round(app, two_workers, page):
    """Bruce's login runs out with his page open; Ailsa logs in on the page that kept his post.

    On a shared computer the next worker may type their own password into the log-in page
    that came back for the last one. She owns nothing at that address: 404, she is not logged
    in through it, and what Bruce typed is not saved into his round under her login.
    """
    ailsa, bruce, theirs = two_workers
    browser = app.test_client()
    login_as(browser, bruce)
    path = f"/rounds/{theirs.id}/{page}"
    token = csrf_from(browser.get(path).get_data(as_text=True))
    idle = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 5)
    with freeze_time(utcnow() + idle, tick=True):
        kept = browser.post(path, data={"csrf_token": token, **KEPT_POSTS[page](app, theirs.id)})
        assert kept.status_code == 401  # the log-in page, carrying his post
        response = log_in_from(browser, path, kept.get_data(as_text=True), ailsa.email, PASSWORD)
        assert response.status_code == 404
        assert browser.get("/rounds/").status_code == 302  # nobody is logged in
    _assert_untouched(app, theirs.id)


def _snapshot(app, round_id: int) -> dict:
    with app.app_context():
        return db.session.get(Round, round_id).instrument_snapshot


def _assert_untouched(app, round_id: int) -> None:
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        assert round_.is_open and round_.reminded_at is None
        assert len(round_.invitations) == 1
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_dashboard_lists_only_the_workers_own_rounds(app, client, two_workers):
    _, _, theirs = two_workers
    html = client.get("/rounds/").get_data(as_text=True)
    assert f"/rounds/{theirs.id}" not in html
    assert "You have no feedback rounds yet" in html


def fill_everything(app, user: User) -> Round:
    """A closed round with every kind of row that can belong to a worker."""
    round_ = make_round(app, user, "frontline")
    invitations = [
        make_invitation(app, round_, Relationship.PEER, email=f"p{n}@example.org")[0]
        for n in range(4)
    ]
    for invitation in invitations[:3]:
        record_reply(app, invitation)
    with app.app_context():
        self_set = AnswerSet(round_id=round_.id, relationship=Relationship.SELF)
        db.session.add(self_set)
        db.session.flush()
        db.session.add(Comment(answer_set_id=self_set.id, question_key="vision", text="Mine"))
        db.session.add(RaterDraft(invitation_id=invitations[3].id, data={}))
        db.session.add(InvitationLink(token_hash="e" * 64, invitation_id=invitations[3].id))
        db.session.add(
            OutboxMessage(
                recipient="p3@example.org",
                subject="s",
                text_body="b",
                invitation_id=invitations[3].id,
            )
        )
        db.session.add(
            OutboxMessage(recipient=user.email, subject="s", text_body="b", user_id=user.id)
        )
        db.session.add(RoundReport(round_id=round_.id, data={}))
        db.session.add(ShareLink(round_id=round_.id, token_hash="f" * 64, expires_at=utcnow()))
        db.session.add(Reflection(round_id=round_.id, statement="I reflect"))
        db.session.flush()
        db.session.add(DevelopmentPriority(round_id=round_.id, position=1, what="Listen"))
        db.session.add(PdfJob(round_id=round_.id))
        db.session.commit()
    fill_programme_roles(app, user, round_, invitations[3].id)
    return round_


# Tables that belong to an organisation, not to any one worker: deleting an account keeps them.
# The programme's own rows; an emailed invitation names no account, so it is the lead's, not
# the worker's, and stays.
ORGANISATION_TABLES = {"organisation", "programme", "programme_invitation"}


def fill_programme_roles(app, user: User, round_: Round, invitation_id: int) -> None:
    """The worker in every programme role at once, and coach of another worker who stays."""
    from feedback360.programmes import models as p

    with app.app_context():
        programme = p.Programme(
            organisation=p.Organisation(name="Care provider"), name="Leads", instrument_keys=[]
        )
        db.session.add(programme)
        db.session.flush()
        db.session.add_all(
            [
                p.Operator(user_id=user.id),
                p.ProgrammeLead(programme_id=programme.id, user_id=user.id),
                p.ProgrammeCoach(programme_id=programme.id, user_id=user.id),
            ]
        )
        db.session.flush()
        other = db.session.scalar(select(User).where(User.id != user.id))
        db.session.add_all(
            [
                p.Member(programme_id=programme.id, user_id=user.id, coach_user_id=user.id),
                p.Member(programme_id=programme.id, user_id=other.id, coach_user_id=user.id),
                p.ProgrammeRound(round_id=round_.id, programme_id=programme.id),
                p.HeldInvitation(invitation_id=invitation_id),
                p.ProgrammeInvitation(
                    programme_id=programme.id,
                    email="new.starter@example.org",
                    token_hash="0" * 64,
                    expires_at=utcnow() + dt.timedelta(days=30),
                ),
            ]
        )
        db.session.commit()


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(db.engine)
        return {
            name: db.session.scalar(select(func.count()).select_from(table))
            for name, table in metadata.tables.items()
            if name not in {"alembic_version", "rate_limit_hit"}
        }


def test_deleting_an_account_removes_everything_of_theirs(app, client, two_workers):
    ailsa, bruce, _ = two_workers
    fill_everything(app, ailsa)
    before = row_counts(app)
    assert all(before[name] for name in before), before  # every table holds something of Ailsa's
    response = post_form(client, "/rounds/account/delete", {"password": PASSWORD})
    assert response.status_code == 302
    after = row_counts(app)
    # Only Bruce, his round, his one invitation and his place in the programme are left.
    assert {name: count for name, count in after.items() if count} == {
        "user_account": 1,
        "feedback_round": 1,
        "invitation": 1,
        "programme_member": 1,
        **dict.fromkeys(ORGANISATION_TABLES, 1),
    }
    with app.app_context():
        assert db.session.get(User, ailsa.id) is None
        assert db.session.get(User, bruce.id) is not None
        emails = db.session.execute(text("SELECT recipient FROM outbox_message")).all()
        assert emails == []
    # Logged out: the dashboard asks for a login again.
    assert client.get("/rounds/").status_code == 302


def test_a_wrong_password_deletes_nothing(app, client, two_workers):
    ailsa, _, _ = two_workers
    fill_everything(app, ailsa)
    before = row_counts(app)
    response = post_form(client, "/rounds/account/delete", {"password": "not it at all"})
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    assert row_counts(app) == before
    assert client.get("/rounds/").status_code == 200
