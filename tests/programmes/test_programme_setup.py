"""An operator starts a programme (command and admin page); workers join; others are unchanged."""

from __future__ import annotations

import datetime as dt

from builders import login_as, make_user
from programme_steps import LINK, make_member, make_programme, member_user, post_form
from sqlalchemy import select

from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage
from feedback360.programmes.models import Member, Programme, ProgrammeRound
from feedback360.surveys.models import Invitation, Round


def test_an_operator_starts_a_programme_from_the_command_line(app, runner):
    make_user(app, email="lena@example.org", name="Lena Lead")
    make_user(app, email="callum@example.org", name="Callum Coach")
    assert runner.invoke(args=["programmes", "organisation", "Highland Care"]).exit_code == 0
    result = runner.invoke(
        args=[
            "programmes", "create", "--organisation", "Highland Care",
            "--name", "Team leaders, spring 2027", "--instrument", "frontline",
            "--min-answers", "5", "--deadline", "2027-05-31", "--approval", "--release",
            "--lead", "lena@example.org", "--coach", "callum@example.org",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [link] = LINK.findall(result.output)
    assert link.startswith("http://feedback360.test/programme/join/")
    with app.app_context():
        programme = db.session.scalar(select(Programme))
        assert programme.instrument_keys == ["frontline"]
        assert (programme.closing_minimum, programme.approval_required) == (5, True)
        assert programme.release_after_debrief and programme.deadline_at.date() == dt.date(
            2027, 5, 31
        )


def test_the_command_line_says_what_is_wrong_in_plain_words(app, runner):
    def run(*args: str):
        return runner.invoke(args=["programmes", *args])

    assert run("organisation", "Fife Council").exit_code == 0
    again = run("organisation", "Fife Council")
    assert again.exit_code == 1 and "already an organisation called Fife Council" in again.output
    nobody = run("create", "--organisation", "Fife Council", "--name", "P", "--lead", "no@x.org")
    assert nobody.exit_code == 1 and "no account for no@x.org" in nobody.output
    unknown = run("create", "--organisation", "Nowhere", "--name", "P")
    assert unknown.exit_code == 1 and "no organisation called Nowhere" in unknown.output
    few = run("create", "--organisation", "Fife Council", "--name", "P", "--min-answers", "2")
    assert few.exit_code == 1 and "at least 3" in few.output
    assert "Traceback" not in few.output + nobody.output


def test_the_admin_page_creates_an_organisation_and_programme_and_keeps_what_was_typed(
    app, client, runner
):
    operator = make_user(app, email="op@example.org", name="Olive Operator")
    runner.invoke(args=["programmes", "operator", "op@example.org"])
    login_as(client, operator)
    post_form(client, "/admin/", {"organisation_name": "Borders Care"}, to="/admin/organisations")
    with app.app_context():
        organisation_id = db.session.execute(db.text("SELECT id FROM organisation")).scalar()
    typed = {
        "organisation": organisation_id,
        "programme_name": "Night shift leads",
        "lead_email": "x@x.org",
    }
    refused = post_form(client, "/admin/", typed, to="/admin/programmes")
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "There is no account for x@x.org" in body and 'value="Night shift leads"' in body
    typed["lead_email"] = "op@example.org"
    made = post_form(client, "/admin/", typed, to="/admin/programmes")
    assert made.status_code == 200 and "/programme/join/" in made.get_data(as_text=True)


def test_a_worker_joins_from_the_link_and_opening_it_changes_nothing(app, client):
    programme = make_programme(app)
    worker = make_user(app, email="mhairi@example.org", name="Mhairi Worker")
    login_as(client, worker)
    path = f"/programme/join/{programme.join_token}"
    for _ in range(3):
        assert client.get(path).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Member)) is None
    joined = post_form(client, path, {"job_role": "Team leader"})
    assert joined.status_code == 302
    with app.app_context():
        member = db.session.scalar(select(Member))
        assert (member.user_id, member.job_role) == (worker.id, "Team leader")
    assert client.get("/programme/join/not-a-real-token").status_code == 404


def test_joining_asks_for_a_login_first(app, client):
    programme = make_programme(app)
    response = client.get(f"/programme/join/{programme.join_token}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_worker_in_a_programme_cannot_join_a_second_one(app, client):
    first, second = make_programme(app), make_programme(app)
    member = make_member(app, first)
    login_as(client, member_user(app, member))
    path = f"/programme/join/{second.join_token}"
    refused = post_form(client, path, {"job_role": "Senior carer"})
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "already taking part in another programme" in body and 'value="Senior carer"' in body


def test_a_new_join_link_ends_the_old_one(app, client):
    programme = make_programme(app)
    login_as(client, programme.lead)
    page = post_form(
        client,
        f"/lead/{programme.programme_id}",
        {},
        to=f"/lead/{programme.programme_id}/join-link",
    )
    assert "/programme/join/" in page.get_data(as_text=True)
    assert client.get(f"/programme/join/{programme.join_token}").status_code == 404


def test_a_round_started_in_a_programme_takes_its_settings(app, client):
    deadline = dt.datetime(2099, 3, 31, 23, 59)
    programme = make_programme(app, approval_required=True, deadline_at=deadline)
    with app.app_context():
        db.session.get(Programme, programme.programme_id).instrument_keys = ["manager"]
        db.session.commit()
    member = make_member(app, programme)
    login_as(client, member_user(app, member))
    refused = post_form(client, "/rounds/", {"instrument": "frontline"}, to="/rounds/start")
    assert "Your programme does not use the" in refused.get_data(as_text=True)
    post_form(client, "/rounds/", {"instrument": "manager"}, to="/rounds/start")
    with app.app_context():
        round_ = db.session.scalar(select(Round))
        assert round_.deadline_at == deadline
        assert db.session.get(ProgrammeRound, round_.id).programme_id == programme.programme_id


def test_a_worker_without_a_programme_works_exactly_as_before(app, client):
    make_programme(app, approval_required=True, release_after_debrief=True)
    worker = make_user(app, email="solo@example.org")
    login_as(client, worker)
    post_form(client, "/rounds/", {"instrument": "frontline"}, to="/rounds/start")
    with app.app_context():
        round_ = db.session.scalar(select(Round))
        assert db.session.scalar(select(ProgrammeRound)) is None
        round_id = round_.id
    data = {"email": "peer@example.org", "name": "", "relationship": "peer"}
    post_form(client, f"/rounds/{round_id}/invite", data)
    with app.app_context():
        assert db.session.scalar(select(Invitation.email)) == "peer@example.org"
        assert db.session.scalar(select(OutboxMessage.recipient)) == "peer@example.org"
    assert client.get(f"/programme/rounds/{round_id}").status_code == 404


def test_the_admin_page_adds_a_coach_and_explains_an_unknown_address(app, client, runner):
    programme = make_programme(app)
    operator = make_user(app, email="op@example.org", name="Olive Operator")
    runner.invoke(args=["programmes", "operator", "op@example.org"])
    login_as(client, operator)
    path = f"/admin/programmes/{programme.programme_id}/people"
    typed = {"email": "nobody@example.org", "role": "coach"}
    refused = post_form(client, "/admin/", typed, to=path)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "There is no account for nobody@example.org" in body
    assert 'value="nobody@example.org"' in body
    make_user(app, email="new.coach@example.org")
    added = post_form(
        client, "/admin/", {"email": "new.coach@example.org", "role": "coach"}, to=path
    )
    assert added.status_code == 302
    with app.app_context():
        from feedback360.programmes.models import ProgrammeCoach

        assert len(db.session.scalars(select(ProgrammeCoach)).all()) == 2
