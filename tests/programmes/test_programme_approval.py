"""Rater approval and release after debrief, through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import pytest
from builders import login_as
from builders_report import make_closed_round
from programme_steps import (
    LINK,
    make_member,
    make_programme,
    member_user,
    post_form,
    programme_round,
)
from sqlalchemy import select

from feedback360.extensions import db
from feedback360.mail.sender import send_due
from feedback360.programmes.models import HeldInvitation, ListStatus, ProgrammeRound
from feedback360.surveys.models import Round


@pytest.fixture
def app_config(app_config, smtp_server):
    host, port, _received = smtp_server
    return {**app_config, "MAIL_TRANSPORT": "smtp", "MAIL_SERVER": host, "MAIL_PORT": port}


def deliver(app) -> None:
    with app.app_context():
        result = send_due()
    assert result.failed == 0


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def path_of(url: str) -> str:
    return url.removeprefix("http://feedback360.test")


def invite(client, round_id: int, email: str, relationship: str = "peer"):
    data = {"email": email, "name": email.split("@")[0].title(), "relationship": relationship}
    return post_form(client, f"/rounds/{round_id}/invite", data)


def test_a_coach_returns_one_list_and_approves_it_again_before_any_invitation_goes(
    app, client, smtp_server
):
    _, _, received = smtp_server
    programme = make_programme(app, approval_required=True)
    member = make_member(app, programme, name="Mhairi Worker", email="mhairi@example.org")
    login_as(client, member_user(app, member))
    post_form(client, "/rounds/", {"instrument": "frontline"}, to="/rounds/start")
    with app.app_context():
        round_id = db.session.scalar(select(Round.id))
    added = invite(client, round_id, "ross@example.org", "line_manager")
    assert added.status_code == 302
    assert "once your coach approves" in client.get(added.headers["Location"]).get_data(True)
    invite(client, round_id, "isla@example.org")
    deliver(app)
    assert received.messages == []  # nothing goes before the coach approves

    post_form(
        client, f"/programme/rounds/{round_id}", {}, to=f"/programme/rounds/{round_id}/submit"
    )
    deliver(app)
    [to_coach] = received.to(programme.coach.email)
    coach_page = [u for u in LINK.findall(text_of(to_coach)) if "/coach/" in u][0]

    login_as(client, programme.coach)
    listing = client.get(path_of(coach_page)).get_data(as_text=True)
    round_page = f"/coach/workers/{member.id}/rounds/{round_id}"
    assert round_page in listing
    body = client.get(round_page).get_data(as_text=True)
    assert "ross@example.org" in body and "Line manager" in body and "isla@example.org" in body

    empty = post_form(client, round_page, {"note": "  "}, to=f"{round_page}/return")
    assert "Please say what you would like changed." in empty.get_data(as_text=True)
    note = "Please add someone you manage."
    post_form(client, round_page, {"note": note}, to=f"{round_page}/return")
    deliver(app)
    assert len(received.to("mhairi@example.org")) == 1
    assert received.to("ross@example.org") == []

    login_as(client, member_user(app, member))
    assert note in client.get(f"/programme/rounds/{round_id}").get_data(as_text=True)
    invite(client, round_id, "eilidh@example.org", "direct_report")
    post_form(
        client, f"/programme/rounds/{round_id}", {}, to=f"/programme/rounds/{round_id}/submit"
    )

    login_as(client, programme.coach)
    post_form(client, round_page, {}, to=f"{round_page}/approve")
    deliver(app)
    for colleague in ("ross@example.org", "isla@example.org", "eilidh@example.org"):
        [invitation] = received.to(colleague)
        [link] = [u for u in LINK.findall(text_of(invitation)) if "/r/" in u]
        assert client.get(path_of(link)).status_code == 200  # the approved link works
    with app.app_context():
        assert db.session.scalar(select(HeldInvitation)) is None
    assert programme_round(app, round_id).list_status is ListStatus.APPROVED


def test_the_worker_cannot_send_an_empty_list_or_send_it_twice(app, client, smtp_server):
    programme = make_programme(app, approval_required=True)
    member = make_member(app, programme)
    login_as(client, member_user(app, member))
    post_form(client, "/rounds/", {"instrument": "frontline"}, to="/rounds/start")
    with app.app_context():
        round_id = db.session.scalar(select(Round.id))
    page, submit = f"/programme/rounds/{round_id}", f"/programme/rounds/{round_id}/submit"
    empty = post_form(client, page, {}, to=submit, follow_redirects=True)
    assert "Add the colleagues you would like to invite first." in empty.get_data(as_text=True)
    invite(client, round_id, "isla@example.org")
    post_form(client, page, {}, to=submit)
    twice = client.post(submit, data={}, follow_redirects=True)  # no token: refused
    assert twice.status_code == 400


def test_a_reminder_never_reaches_a_colleague_still_waiting_for_approval(app, client, smtp_server):
    _, _, received = smtp_server
    programme = make_programme(app, approval_required=True)
    member = make_member(app, programme)
    login_as(client, member_user(app, member))
    post_form(client, "/rounds/", {"instrument": "frontline"}, to="/rounds/start")
    with app.app_context():
        round_id = db.session.scalar(select(Round.id))
    invite(client, round_id, "isla@example.org")
    post_form(client, f"/rounds/{round_id}", {"action": "remind"}, to=f"/rounds/{round_id}/remind")
    deliver(app)
    assert received.to("isla@example.org") == []


def test_a_report_waits_for_the_coach_to_release_it(app, client, smtp_server):
    _, _, received = smtp_server
    programme = make_programme(app, release_after_debrief=True)
    member = make_member(app, programme, email="mhairi@example.org")
    worker = member_user(app, member)
    round_id = make_closed_round(app, worker, colleagues={"peer": 4})
    with app.app_context():
        db.session.add(ProgrammeRound(round_id=round_id, programme_id=programme.programme_id))
        db.session.commit()
    login_as(client, worker)
    for path in (f"/reports/{round_id}", f"/reports/{round_id}.pdf", f"/reports/{round_id}/share"):
        response = client.get(path)
        assert "waiting for your debrief" in response.get_data(as_text=True), path
        assert response.mimetype == "text/html"
    assert "waiting for your debrief" in client.get(f"/programme/rounds/{round_id}").get_data(True)

    login_as(client, programme.coach)
    page = f"/coach/workers/{member.id}/rounds/{round_id}"
    post_form(client, page, {}, to=f"{page}/release")
    deliver(app)
    [told] = received.to("mhairi@example.org")
    assert "released your feedback report" in text_of(told)

    login_as(client, worker)
    report = client.get(f"/reports/{round_id}").get_data(as_text=True)
    assert "waiting for your debrief" not in report and "Morag" not in report[:0]
    assert client.get(f"/reports/{round_id}.pdf").mimetype == "application/pdf"


def test_the_coach_reads_the_report_only_once_the_worker_agrees(app, client, smtp_server):
    programme = make_programme(app, release_after_debrief=True)
    member = make_member(app, programme)
    worker = member_user(app, member)
    round_id = make_closed_round(app, worker, colleagues={"peer": 4})
    with app.app_context():
        db.session.add(ProgrammeRound(round_id=round_id, programme_id=programme.programme_id))
        db.session.commit()
    pdf = f"/coach/workers/{member.id}/rounds/{round_id}/report.pdf"
    login_as(client, programme.coach)
    assert client.get(pdf).status_code == 404
    login_as(client, worker)
    page = f"/programme/rounds/{round_id}"
    post_form(client, page, {}, to=f"{page}/coach-may-read")
    assert programme_round(app, round_id).coach_may_read
    login_as(client, programme.coach)
    response = client.get(pdf)
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    # The worker still waits for the debrief.
    login_as(client, worker)
    assert "waiting for your debrief" in client.get(f"/reports/{round_id}").get_data(True)


def test_a_list_cannot_be_approved_once_the_round_has_closed(app, client, smtp_server):
    programme = make_programme(app, approval_required=True)
    member = make_member(app, programme)
    round_id = make_closed_round(app, member_user(app, member), colleagues={"peer": 4})
    with app.app_context():
        db.session.add(
            ProgrammeRound(
                round_id=round_id,
                programme_id=programme.programme_id,
                list_status=ListStatus.SUBMITTED,
            )
        )
        db.session.commit()
    login_as(client, programme.coach)
    page = f"/coach/workers/{member.id}/rounds/{round_id}"
    refused = post_form(client, page, {}, to=f"{page}/approve", follow_redirects=True)
    assert "This round has closed" in refused.get_data(as_text=True)
    assert programme_round(app, round_id).list_status is ListStatus.SUBMITTED
