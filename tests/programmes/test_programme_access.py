"""Every role boundary of a programme (SECURITY.md line 1): a miss is a 404 and shows nothing.

A lead or coach of one organisation's programme sees nothing of another's; a coach sees whom a
worker invited, never an answer; a lead sees counts, never an individual report.
"""

from __future__ import annotations

import pytest
from builders import login_as, make_invitation, make_user
from builders_report import make_closed_round
from programme_steps import (
    csrf_from,
    make_member,
    make_programme,
    make_programme_round,
    member_user,
)
from rater_steps import every_row

from feedback360.extensions import db
from feedback360.programmes.models import ProgrammeRound
from feedback360.surveys.models import AnswerSet, InvitationStatus, InvitationUse

SECRET_COMMENT = "Mhairi-secret-comment-7731"


def record_reply(app, invitation) -> None:
    """What a colleague's send leaves: the invitation used and an answer set of their group."""
    with app.app_context():
        db.session.add(InvitationUse(invitation_id=invitation.id))
        db.session.add(
            AnswerSet(round_id=invitation.round_id, relationship=invitation.relationship)
        )
        stored = db.session.merge(invitation)
        stored.status = InvitationStatus.SUBMITTED
        db.session.commit()


@pytest.fixture
def two_organisations(app):
    """Organisation A's programme, and organisation B's, each with a coached worker and round."""
    ours = make_programme(app, "Ours", approval_required=True, release_after_debrief=True)
    theirs = make_programme(app, "Theirs", approval_required=True, release_after_debrief=True)
    our_member = make_member(app, ours, name="Anna Ours")
    their_member = make_member(app, theirs, name="Bruce Theirs")
    their_round = make_programme_round(app, their_member)
    make_invitation(app, their_round, email="their.colleague@example.org", name="Their Colleague")
    return ours, theirs, our_member, their_member, their_round


def staff_rules(app) -> list[tuple[object, str]]:
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in {"lead", "coach", "admin", "cohort"}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


def build(rule, programme_id: int, member_id: int, round_id: int) -> str:
    values = {"programme_id": programme_id, "member_id": member_id, "round_id": round_id}
    return rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]


def walk(app, client, programme_id: int, member_id: int, round_id: int) -> list[tuple]:
    """Every lead, coach and admin page with the other programme's ids; what was not a 404."""
    token = csrf_from(client.get("/rounds/").get_data(as_text=True))
    problems = []
    for rule, method in staff_rules(app):
        if not rule.arguments:
            continue
        url = build(rule, programme_id, member_id, round_id)
        data = {"csrf_token": token, "coach": "0", "note": "Please add a peer.", "email": "x@y.z"}
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        body = response.get_data(as_text=True)
        leaked = [s for s in ("Bruce Theirs", "their.colleague@example.org") if s in body]
        if response.status_code != 404 or leaked:
            problems.append((method, url, response.status_code, leaked))
    return problems


def test_a_lead_of_one_organisation_finds_nothing_of_another(app, client, two_organisations):
    ours, theirs, _, their_member, their_round = two_organisations
    login_as(client, ours.lead)
    before = every_row(app)
    assert walk(app, client, theirs.programme_id, their_member.id, their_round.id) == []
    assert every_row(app) == before


def test_a_coach_of_one_organisation_finds_nothing_of_another(app, client, two_organisations):
    ours, theirs, _, their_member, their_round = two_organisations
    login_as(client, ours.coach)
    before = every_row(app)
    assert walk(app, client, theirs.programme_id, their_member.id, their_round.id) == []
    assert every_row(app) == before


def test_a_coach_of_the_same_programme_sees_only_the_workers_given_to_them(app, client):
    programme = make_programme(app, approval_required=True)
    member = make_member(app, programme, name="Bruce Theirs")
    round_ = make_programme_round(app, member)
    make_invitation(app, round_, email="their.colleague@example.org")
    other_coach = make_user(app, email="other.coach@example.org")
    with app.app_context():
        from feedback360.programmes import setup
        from feedback360.programmes.models import Programme

        setup.add_coach(db.session.get(Programme, programme.programme_id), other_coach.email)
        db.session.commit()
    login_as(client, other_coach)
    assert walk(app, client, programme.programme_id, member.id, round_.id) == []
    assert "Bruce Theirs" not in client.get("/coach/").get_data(as_text=True)


def test_a_programme_in_the_same_organisation_is_another_programme(app, client):
    first = make_programme(app, "Shared council")
    second_lead = make_user(app, email="second.lead@example.org")
    login_as(client, first.lead)
    with app.app_context():
        from feedback360.programmes import setup
        from feedback360.programmes.models import Organisation

        organisation = db.session.scalar(
            db.select(Organisation).where(Organisation.name == "Shared council")
        )
        second = setup.create_programme(organisation, "Managers", instrument_keys=[])
        # With a lead of its own, so only the lead's role, not the lack of one, keeps it hidden.
        setup.add_lead(second, second_lead.email)
        db.session.commit()
        second_id = second.id
    assert client.get(f"/lead/{second_id}").status_code == 404
    assert client.get(f"/lead/{first.programme_id}").status_code == 200


def test_the_walk_reaches_real_pages_for_their_owners(app, client, two_organisations):
    """The control: the same URLs with a programme's own ids are pages, not "not found"."""
    _, theirs, _, their_member, their_round = two_organisations
    for who, prefix in ((theirs.lead, "lead."), (theirs.coach, "coach.")):
        login_as(client, who)
        for rule, method in staff_rules(app):
            # The report needs the worker's agreement and a closed round: tested on its own.
            if rule.endpoint == "coach.report_pdf":
                continue
            if rule.endpoint.startswith(prefix) and method == "GET":
                url = build(rule, theirs.programme_id, their_member.id, their_round.id)
                assert client.get(url).status_code == 200, url


def test_only_operators_find_the_admin_pages(app, client, runner):
    someone = make_user(app, email="someone@example.org")
    login_as(client, someone)
    assert client.get("/admin/").status_code == 404
    assert runner.invoke(args=["programmes", "operator", "someone@example.org"]).exit_code == 0
    assert client.get("/admin/").status_code == 200


def test_a_coach_sees_names_addresses_and_relationships_never_an_answer(app, client):
    programme = make_programme(app, release_after_debrief=True)
    member = make_member(app, programme, name="Mhairi Worker")
    worker = member_user(app, member)
    round_id = make_closed_round(app, worker, colleagues={"peer": 4}, comment=SECRET_COMMENT)
    with app.app_context():
        db.session.add(ProgrammeRound(round_id=round_id, programme_id=programme.programme_id))
        db.session.commit()
    login_as(client, programme.coach)
    page = client.get(f"/coach/workers/{member.id}/rounds/{round_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert SECRET_COMMENT not in body and "Often" not in body and "mean" not in body.lower()
    # The worker's own report pages stay the worker's.
    for path in (f"/reports/{round_id}", f"/reports/{round_id}.pdf", f"/rounds/{round_id}"):
        assert client.get(path).status_code == 404


def test_a_lead_sees_counts_never_an_individual_report(app, client):
    programme = make_programme(app)
    member = make_member(app, programme, name="Mhairi Worker")
    round_id = make_closed_round(app, member_user(app, member), colleagues={"peer": 4})
    with app.app_context():
        db.session.add(ProgrammeRound(round_id=round_id, programme_id=programme.programme_id))
        db.session.commit()
    login_as(client, programme.lead)
    body = client.get(f"/lead/{programme.programme_id}").get_data(as_text=True)
    assert "Mhairi Worker" in body and "<td>4</td>" in body
    for path in (
        f"/reports/{round_id}",
        f"/reports/{round_id}.pdf",
        f"/reports/{round_id}/share",
        f"/rounds/{round_id}",
        f"/programme/rounds/{round_id}",
    ):
        assert client.get(path).status_code == 404, path


def test_a_lead_is_told_fewer_than_three_not_the_count(app, client):
    programme = make_programme(app)
    member = make_member(app, programme, name="Mhairi Worker")
    round_ = make_programme_round(app, member)
    for number in range(2):
        invitation, _ = make_invitation(app, round_, email=f"peer{number}@example.org")
        record_reply(app, invitation)
    login_as(client, programme.lead)
    body = client.get(f"/lead/{programme.programme_id}").get_data(as_text=True)
    assert "fewer than 3" in body and "<td>2</td>" in body  # two invitations, answers hidden


def test_a_coach_cannot_reach_another_workers_round_through_their_own_worker(app, client):
    """The coach's worker is real, the round is real and in the programme, but not that worker's."""
    programme = make_programme(app, approval_required=True)
    coached = make_member(app, programme, name="Anna Coached")
    other = make_member(app, programme, coached=False, name="Bruce Uncoached")
    other_round = make_programme_round(app, other)
    make_invitation(app, other_round, email="their.colleague@example.org")
    login_as(client, programme.coach)
    assert walk(app, client, programme.programme_id, coached.id, other_round.id) == []
