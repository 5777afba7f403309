"""Data protection: a worker downloads all their data, and raw answers are purged on time."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from builders import login_as, make_invitation, make_round, make_user
from builders_report import add_answer_set, make_closed_round
from sqlalchemy import func, select
from worker_steps import record_reply

from feedback360.auth.models import RateLimitHit, User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage, OutboxStatus
from feedback360.privacy.export import export_user_data
from feedback360.privacy.retention import months_before, purge_expired_answers
from feedback360.reports.models import DevelopmentPriority, Reflection, RoundReport, ShareLink
from feedback360.surveys.models import Answer, AnswerSet, Comment, Invitation, Relationship, Round


@pytest.fixture
def morag(app):
    """A worker with an open round (self answers, two invitations) and a closed one."""
    user = make_user(app, email="morag@example.org", name="Morag Campbell")
    open_round = make_round(app, user, "manager")
    add_answer_set(app, open_round.id, "self", {"vis_focus_on_people": 5}, {"vision": "Mine"})
    invitation, _ = make_invitation(app, open_round, Relationship.PEER, "pat@example.org", "Pat")
    make_invitation(app, open_round, Relationship.LINE_MANAGER, "lee@example.org", "Lee")
    record_reply(app, invitation)
    _colleague_comment(app, open_round.id, "A colleague's raw comment")
    closed = make_closed_round(app, user)
    with app.app_context():
        db.session.add(Reflection(round_id=closed, statement="I will listen more."))
        db.session.flush()
        db.session.add(DevelopmentPriority(round_id=closed, position=1, what="Coaching"))
        db.session.add(ShareLink(round_id=closed, token_hash="a" * 64, expires_at=utcnow()))
        db.session.commit()
    return user, open_round.id, closed


def _colleague_comment(app, round_id: int, text: str) -> None:
    with app.app_context():
        answer_set = db.session.scalar(
            select(AnswerSet).where(
                AnswerSet.round_id == round_id, AnswerSet.relationship != Relationship.SELF
            )
        )
        db.session.add(Comment(answer_set_id=answer_set.id, question_key="vision", text=text))
        db.session.commit()


def export_of(app, user) -> dict:
    with app.app_context():
        data = export_user_data(db.session.get(User, user.id))
    return json.loads(json.dumps(data))  # it must be plain JSON


def test_the_export_holds_the_account_rounds_answers_reflection_links_and_report(app, morag):
    user, open_id, closed_id = morag
    data = export_of(app, user)
    assert data["account"]["email"] == "morag@example.org"
    assert data["account"]["name"] == "Morag Campbell"
    rounds = {r["id"]: r for r in data["rounds"]}
    assert set(rounds) == {open_id, closed_id}
    mine = rounds[open_id]
    assert mine["status"] == "open" and mine["instrument"]["key"] == "manager"
    answer = mine["self_assessment"]["answers"][0]
    assert answer["item"] == "vis_focus_on_people" and answer["score"] == 5
    assert answer["statement"].startswith("I ")
    assert mine["self_assessment"]["comments"][0]["text"] == "Mine"
    assert mine["invitations"]["invited_by_relationship"] == {
        "Line manager": 1,
        "Peer": 1,
        "Someone I manage": 0,
        "Other": 0,
    }
    assert mine["invitations"]["colleagues_answered"] is None  # one answer: fewer than three
    assert "null until 3 have answered" in mine["invitations"]["colleagues_answered_meaning"]
    assert {p["email"] for p in mine["invitations"]["people"]} == {
        "pat@example.org",
        "lee@example.org",
    }
    closed = rounds[closed_id]
    assert closed["report"]["worker_name"] == "Morag Campbell"
    assert closed["reflection"]["statement"] == "I will listen more."
    assert closed["reflection"]["development_priorities"][0]["what"] == "Coaching"
    assert closed["share_links"][0]["expires_at"]
    with app.app_context():
        assert closed["report"] == db.session.get(RoundReport, closed_id).data


def test_the_export_never_says_who_answered_nor_holds_colleagues_answers_or_secrets(app, morag):
    user, open_id, _ = morag
    text = json.dumps(export_of(app, user))
    assert "A colleague's raw comment" not in text
    with app.app_context():
        hashes = db.session.scalars(select(Invitation.token_hash)).all()
        hashes += db.session.scalars(select(ShareLink.token_hash)).all()
        colleague_sets = db.session.scalars(
            select(AnswerSet.id).where(AnswerSet.relationship != Relationship.SELF)
        ).all()
    for secret in [*hashes, *colleague_sets, "password", "session_version"]:
        assert secret not in text
    for person in export_of(app, user)["rounds"][0]["invitations"]["people"]:
        assert set(person) == {"name", "email", "relationship"}  # no status per person


def test_the_export_holds_nothing_of_another_worker(app, morag, victim):
    user, _, _ = morag
    text = json.dumps(export_of(app, user))
    for secret in victim.secrets:
        assert secret not in text


def test_the_download_is_the_export_as_a_private_attachment(app, client, morag):
    user, _, _ = morag
    assert client.get("/account/data/download").status_code == 302  # a login first
    login_as(client, user)
    page = client.get("/account/data/")
    assert page.status_code == 200
    assert "24 months after the round closes" in page.get_data(as_text=True)
    response = client.get("/account/data/download")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="feedback360-my-data-'
    )
    downloaded = response.get_json()
    expected = export_of(app, user)
    assert {**downloaded, "exported_at": None} == {**expected, "exported_at": None}
    assert "/account/data/" in client.get("/rounds/").get_data(as_text=True)


def test_months_before_counts_calendar_months():
    moment = dt.datetime(2026, 3, 31, 12, 30)
    assert months_before(moment, 1) == dt.datetime(2026, 2, 28, 12, 30)
    assert months_before(moment, 24) == dt.datetime(2024, 3, 31, 12, 30)
    assert months_before(moment, 25) == dt.datetime(2024, 2, 29, 12, 30)
    assert months_before(moment, 0) == moment


def closed_round_at(app, user, closed_at: dt.datetime) -> int:
    round_id = make_closed_round(app, user, colleagues={"peer": 4})
    with app.app_context():
        db.session.get(Round, round_id).closed_at = closed_at
        db.session.commit()
    return round_id


def answer_counts(app, round_id: int) -> tuple[int, int, int]:
    with app.app_context():
        sets = select(AnswerSet.id).where(AnswerSet.round_id == round_id)
        return (
            db.session.scalar(select(func.count()).select_from(sets.subquery())),
            db.session.scalar(
                select(func.count(Answer.item_key)).where(Answer.answer_set_id.in_(sets))
            ),
            db.session.scalar(
                select(func.count(Comment.question_key)).where(Comment.answer_set_id.in_(sets))
            ),
        )


def visible(response) -> str:
    """A page's text without its CSRF tokens, which differ on every request."""
    return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))


def test_purging_removes_old_raw_answers_and_keeps_reports_and_newer_rounds(app, client):
    user = make_user(app)
    now = dt.datetime(2026, 11, 22, 9, 0)
    old = closed_round_at(app, user, dt.datetime(2024, 11, 21, 9, 0))
    recent = closed_round_at(app, user, dt.datetime(2024, 11, 23, 9, 0))
    still_open = make_round(app, user, "manager").id
    add_answer_set(app, still_open, "self", {"vis_focus_on_people": 3}, {"vision": "x"})
    with app.app_context():
        report_before = db.session.get(RoundReport, old).data
    login_as(client, user)
    pages = [f"/reports/{old}", f"/rounds/{old}", "/rounds/"]
    before = [visible(client.get(path)) for path in pages]

    with app.app_context():
        result = purge_expired_answers(now, 24)
        db.session.commit()

    assert (result.rounds, result.answer_sets) == (1, 5)  # the self set and four colleagues'
    assert answer_counts(app, old) == (0, 0, 0)
    assert answer_counts(app, recent)[0] == 5 and answer_counts(app, recent)[1] > 0
    assert answer_counts(app, still_open) == (1, 1, 1)
    with app.app_context():
        assert db.session.get(RoundReport, old).data == report_before
    # What the worker sees of the purged round is unchanged, and the PDF still renders.
    assert [visible(client.get(path)) for path in pages] == before
    pdf = client.get(f"/reports/{old}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with app.app_context():
        assert purge_expired_answers(now, 24).rounds == 0  # nothing left to do the second time


def test_purging_forgets_finished_account_emails_and_old_throttle_counts(app):
    user = make_user(app)
    now = utcnow()
    with app.app_context():
        for days, status in ((40, OutboxStatus.SENT), (40, OutboxStatus.PENDING), (2, "sent")):
            db.session.add(
                OutboxMessage(
                    recipient=user.email,
                    subject=f"{days} {status}",
                    text_body="",
                    status=OutboxStatus(status),
                    user_id=user.id,
                    created_at=now - dt.timedelta(days=days),
                )
            )
        db.session.add(RateLimitHit(bucket="b" * 64, created_at=now - dt.timedelta(hours=1)))
        db.session.add(RateLimitHit(bucket="b" * 64, created_at=now))
        db.session.commit()
        result = purge_expired_answers(now, 24)
        db.session.commit()
        left = db.session.scalars(select(OutboxMessage.subject).order_by(OutboxMessage.id)).all()
        hits = db.session.scalar(select(func.count()).select_from(RateLimitHit))
    assert (result.finished_emails, result.throttle_records) == (1, 1)
    assert left == ["40 pending", "2 sent"] and hits == 1


def test_flask_privacy_purge_uses_the_retention_setting(app, runner):
    user = make_user(app)
    now = utcnow()
    old = closed_round_at(app, user, months_before(now, 7))
    newer = closed_round_at(app, user, months_before(now, 5))
    app.config["RETENTION_MONTHS"] = 6

    result = runner.invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    assert (
        "Deleted the raw answers of 1 round closed more than 6 months ago (5 answer sets)"
        in result.output
    )
    assert answer_counts(app, old)[0] == 0 and answer_counts(app, newer)[0] == 5
    result = runner.invoke(args=["privacy", "purge", "--months", "4"])
    assert "of 1 round closed" in result.output and answer_counts(app, newer)[0] == 0
    assert runner.invoke(args=["privacy", "purge", "--months", "-1"]).exit_code == 2


def test_the_documented_default_is_24_months(app):
    from feedback360.config import read_settings

    assert read_settings({})["RETENTION_MONTHS"] == 24
    from pathlib import Path

    privacy = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text()
    assert "24 months" in privacy and "flask --app wsgi privacy purge" in privacy
