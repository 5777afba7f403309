"""Progress (invited per group, answers in all from three, never who), reminders, and closing.

The attacker's view of these pages, colleague by colleague, is in
tests/security/test_progress_anonymity.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from builders import login_as, make_invitation, make_round, make_user
from sqlalchemy import func, select
from worker_steps import csrf_from, invitations, invite, links_in, outbox, record_reply

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage
from feedback360.reports.models import RoundReport
from feedback360.surveys.models import (
    InvitationLink,
    InvitationStatus,
    RaterDraft,
    Relationship,
    Round,
    RoundStatus,
)

BASE_URL = "http://feedback360.test"
PEER, MANAGER, REPORT = Relationship.PEER, Relationship.LINE_MANAGER, Relationship.DIRECT_REPORT


@pytest.fixture
def worker(app, client):
    user = make_user(app, email="morag@example.org")
    round_ = make_round(app, user, "frontline")
    login_as(client, user)
    return user, round_


def press(client, round_id: int, button: str):
    """Press a button on the round page, as the browser would."""
    html = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    return client.post(
        f"/rounds/{round_id}/{button}", data={"csrf_token": csrf_from(html)}, follow_redirects=True
    )


REMINDED = "We will remind everyone who has not answered yet, apart from anyone who chose not to"


def invited_in(html: str, label: str) -> int:
    """The progress table's one number for a relationship: how many were invited."""
    match = re.search(rf'<th scope="row">{label}</th><td class="num">(\d+)</td></tr>', html)
    assert match, label
    return int(match.group(1))


def stored_round(app, round_id: int) -> Round:
    with app.app_context():
        found = db.session.get(Round, round_id)
        db.session.expunge(found)
        return found


def test_progress_shows_invitations_per_group_and_answers_in_all_only_from_three(
    app, client, worker
):
    _, round_ = worker
    peers = [
        make_invitation(app, round_, PEER, email=f"peer{n}@example.org", name=f"Peer Person {n}")[0]
        for n in range(3)
    ]
    manager, _ = make_invitation(app, round_, MANAGER, email="boss@example.org", name="Big Boss")
    record_reply(app, peers[0])
    record_reply(app, peers[1], InvitationStatus.DECLINED)
    record_reply(app, manager)
    html = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert [invited_in(html, label) for label in ("Peer", "Line manager")] == [3, 1]
    assert [invited_in(html, label) for label in ("Someone I manage", "Other")] == [0, 0]
    assert "You have invited 4 colleagues" in html
    assert "Fewer than 3 have answered so far." in html  # two answers and a decline
    assert "Replied" not in html
    record_reply(app, peers[2])
    html = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "3 have answered so far." in html  # the decline is not counted
    assert "Fewer than 3" not in html
    for person in ("Peer Person", "peer0@", "Big Boss", "boss@example.org"):
        assert person not in html


def test_a_reminder_goes_only_to_those_who_have_not_replied(app, client, worker):
    _, round_ = worker
    for email in ("answered@example.org", "declined@example.org", "waiting@example.org"):
        invite(client, round_.id, email)
    answered, declined, waiting = invitations(app, round_.id)
    record_reply(app, answered)
    record_reply(app, declined, InvitationStatus.DECLINED)
    old_link = links_in(outbox(app)[2].text_body)[0]
    with app.app_context():
        db.session.add(
            RaterDraft(invitation_id=waiting.id, data={"scores": {"x": 2}, "comments": {}})
        )
        db.session.commit()
    response = press(client, round_.id, "remind")
    assert REMINDED in response.get_data(as_text=True)
    reminders = outbox(app)[3:]
    assert [m.recipient for m in reminders] == ["waiting@example.org"]
    (reminder,) = reminders
    assert reminder.subject.startswith("Reminder: ")
    assert reminder.invitation_id == waiting.id
    (link,) = set(links_in(reminder.text_body))
    new_token = link.rsplit("/", 1)[1]
    assert link != old_link
    with app.app_context():
        added = db.session.get(InvitationLink, hashlib.sha256(new_token.encode()).hexdigest())
        assert added.invitation_id == waiting.id
    after = {i.email: i for i in invitations(app, round_.id)}
    assert [after[i.email].token_hash for i in (answered, waiting)] == [
        answered.token_hash,
        waiting.token_hash,
    ]
    assert stored_round(app, round_.id).reminded_at is not None
    # Both links open the questionnaire (tests/surveys/test_reminder_links.py), and the draft stays.
    assert client.get(link.removeprefix(BASE_URL)).status_code == 200
    assert client.get(old_link.removeprefix(BASE_URL)).status_code == 200
    with app.app_context():
        assert db.session.get(RaterDraft, waiting.id).data == {"scores": {"x": 2}, "comments": {}}


def test_reminders_are_throttled_per_round(app, client, worker):
    _, round_ = worker
    invite(client, round_.id, "waiting@example.org")
    press(client, round_.id, "remind")
    response = press(client, round_.id, "remind")
    html = response.get_data(as_text=True)
    assert "You can send another reminder after" in html
    assert len(outbox(app)) == 2  # the invitation and one reminder
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "You can send another reminder after" in page
    assert f'action="/rounds/{round_.id}/remind"' not in page
    # Once the interval has passed, another reminder may go.
    hours = app.config["REMINDER_INTERVAL_HOURS"]
    with app.app_context():
        db.session.get(Round, round_.id).reminded_at = utcnow() - dt.timedelta(hours=hours)
        db.session.commit()
    assert REMINDED in press(client, round_.id, "remind").get_data(as_text=True)
    assert len(outbox(app)) == 3


def test_a_reminder_when_everyone_has_replied_is_told_the_same_and_sends_nothing(
    app, client, worker
):
    _, round_ = worker
    invite(client, round_.id, "done@example.org")
    invite(client, round_.id, "no@example.org")
    done, declined = invitations(app, round_.id)
    record_reply(app, done)
    record_reply(app, declined, InvitationStatus.DECLINED)
    response = press(client, round_.id, "remind")
    assert REMINDED in response.get_data(as_text=True)
    assert "nobody to remind" not in response.get_data(as_text=True)
    assert len(outbox(app)) == 2  # the two invitations, and no reminder
    assert stored_round(app, round_.id).reminded_at is not None  # the interval starts all the same


def test_a_reminder_before_anyone_is_invited_is_refused(app, client, worker):
    _, round_ = worker
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert f'action="/rounds/{round_.id}/remind"' not in page
    response = client.post(
        f"/rounds/{round_.id}/remind", data={"csrf_token": csrf_from(page)}, follow_redirects=True
    )
    assert "You have not invited anyone yet" in response.get_data(as_text=True)
    assert stored_round(app, round_.id).reminded_at is None


def add_answers(app, round_, count: int, relationship: Relationship = PEER) -> None:
    for n in range(count):
        invitation, _ = make_invitation(app, round_, relationship, email=f"r{n}@example.org")
        record_reply(app, invitation)


def test_closing_is_refused_below_the_minimum(app, client, worker):
    _, round_ = worker
    add_answers(app, round_, app.config["MIN_RATERS_TO_CLOSE"] - 1)
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "1 more answer is needed" in page
    assert f'action="/rounds/{round_.id}/close"' not in page
    response = press(client, round_.id, "close")
    assert "You need 1 more answer from colleagues" in response.get_data(as_text=True)
    assert stored_round(app, round_.id).status is RoundStatus.OPEN


def test_closing_below_three_answers_never_says_how_many_there_are(app, client, worker):
    _, round_ = worker
    add_answers(app, round_, 2)
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Fewer than 3 have answered so far." in page
    assert "more answers are needed" not in page and "2 so far" not in page
    assert f'action="/rounds/{round_.id}/close"' not in page
    response = press(client, round_.id, "close").get_data(as_text=True)
    assert "You can close this round once 4 colleagues have answered, and fewer than 3" in response
    assert "2 more" not in response
    assert stored_round(app, round_.id).status is RoundStatus.OPEN


def test_declines_do_not_count_towards_closing(app, client, worker):
    _, round_ = worker
    add_answers(app, round_, app.config["MIN_RATERS_TO_CLOSE"] - 1)
    declined, _ = make_invitation(app, round_, PEER, email="no@example.org")
    record_reply(app, declined, InvitationStatus.DECLINED)
    press(client, round_.id, "close")
    assert stored_round(app, round_.id).status is RoundStatus.OPEN


def test_closing_at_the_minimum_freezes_the_round_and_forgets_addresses_and_names(
    app, client, worker
):
    _, round_ = worker
    add_answers(app, round_, app.config["MIN_RATERS_TO_CLOSE"])
    invite(client, round_.id, "late@example.org", name="Late Person")
    late = invitations(app, round_.id)[-1]
    with app.app_context():
        db.session.add(RaterDraft(invitation_id=late.id, data={"item-x": "3"}))
        db.session.commit()
    response = press(client, round_.id, "close")
    assert "Your round is closed" in response.get_data(as_text=True)
    closed = stored_round(app, round_.id)
    assert closed.status is RoundStatus.CLOSED and closed.closed_at is not None
    assert all(i.email is None and i.name is None for i in invitations(app, round_.id))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert db.session.scalar(select(func.count()).select_from(RaterDraft)) == 0
        assert db.session.get(RoundReport, round_.id) is not None
    page = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    assert "late@example.org" not in page and "Late Person" not in page
    # The counts stay, and the round page leads to the report.
    round_page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert invited_in(round_page, "Peer") == 5
    assert "4 have answered." in round_page
    assert f'href="/reports/{round_.id}"' in round_page
    assert client.get(f"/reports/{round_.id}").status_code == 200


def test_a_closed_round_refuses_reminders_and_a_second_close(app, client, worker):
    _, round_ = worker
    make_invitation(app, round_, PEER, email="waiting@example.org")
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    with app.app_context():
        db.session.get(Round, round_.id).close()
        db.session.commit()
    token = csrf_from(page)
    for button in ("remind", "close"):
        response = client.post(
            f"/rounds/{round_.id}/{button}", data={"csrf_token": token}, follow_redirects=True
        )
        assert "This round is closed" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_close_due_closes_rounds_past_their_deadline_whatever_the_answers(app, runner):
    user = make_user(app)
    overdue = make_round(app, user, "frontline", days=-1)
    current = make_round(app, user, "manager", days=3)
    make_invitation(app, overdue, PEER, email="someone@example.org")
    result = runner.invoke(args=["rounds", "close-due"])
    assert result.exit_code == 0, result.output
    assert "Closed 1 round past their deadline." in result.output
    assert stored_round(app, overdue.id).status is RoundStatus.CLOSED
    assert stored_round(app, current.id).status is RoundStatus.OPEN
    assert invitations(app, overdue.id)[0].email is None
    with app.app_context():
        assert db.session.get(RoundReport, overdue.id) is not None
    again = runner.invoke(args=["rounds", "close-due"])
    assert "Closed 0 rounds" in again.output
