"""Inviting colleagues: validation keeps what was typed, one email each, links from BASE_URL."""

from __future__ import annotations

import hashlib

import pytest
from builders import login_as, make_invitation, make_round, make_user
from worker_steps import csrf_from, invitations, invite, links_in, outbox, post_form, record_reply

from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage, OutboxStatus
from feedback360.mail.sender import send_due
from feedback360.surveys.invite_service import long_date
from feedback360.surveys.models import InvitationStatus, Relationship, Round

BASE_URL = "http://feedback360.test"


@pytest.fixture
def app_config(app_config, request):
    """Tests that ask for the SMTP server get an app that really sends through it."""
    if "smtp_server" not in request.fixturenames:
        return app_config
    host, port, _ = request.getfixturevalue("smtp_server")
    return {**app_config, "MAIL_TRANSPORT": "smtp", "MAIL_SERVER": host, "MAIL_PORT": port}


@pytest.fixture
def worker(app, client):
    user = make_user(app, email="morag@example.org", name="Morag Campbell")
    round_ = make_round(app, user, "frontline")
    login_as(client, user)
    return user, round_


def test_the_invite_page_starts_with_a_wellbeing_note(client, worker):
    _, round_ = worker
    html = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    note = html.index("Before you invite anyone")
    assert note < html.index('name="email"')
    assert "can feel exposing" in html
    assert "someone to talk it" in html
    assert "If only one line" in html  # the line manager disclosure, before inviting one


def test_an_invitation_stores_only_the_token_hash_and_queues_one_email(app, client, worker):
    _, round_ = worker
    response = invite(client, round_.id, "Alex.Peer@Example.org", "peer", name="Alex Reid")
    assert response.status_code == 302
    (invitation,) = invitations(app, round_.id)
    assert invitation.email == "alex.peer@example.org"
    assert invitation.name == "Alex Reid"
    assert invitation.relationship is Relationship.PEER
    assert invitation.status is InvitationStatus.PENDING
    (message,) = outbox(app)
    assert message.recipient == "alex.peer@example.org"
    assert message.invitation_id == invitation.id
    (link,) = set(links_in(message.text_body))
    assert link.startswith(f"{BASE_URL}/r/")
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 random bits, URL-safe
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert f'href="{link}"' in message.html_body


def test_the_email_says_who_why_how_long_how_anonymous_and_by_when(app, client, worker):
    _, round_ = worker
    invite(client, round_.id, "peer@example.org", "peer", name="Alex")
    (message,) = outbox(app)
    text = message.text_body
    assert message.subject == "Morag Campbell would value your feedback on their leadership"
    assert "Hello Alex," in text
    assert "Morag Campbell has asked for your feedback" in text
    assert "Scottish Social Services Council" in text
    assert "about 10 minutes" in text
    assert "anonymous" in text and "at least three people" in text
    assert "line manager" not in text
    with app.app_context():
        assert f"Please answer by {long_date(round_.deadline_at)}" in text


def test_a_line_manager_is_told_their_answers_may_be_shown_as_theirs(app, client, worker):
    _, round_ = worker
    invite(client, round_.id, "boss@example.org", "line_manager")
    (message,) = outbox(app)
    for body in (message.text_body, message.html_body):
        words = " ".join(body.split())
        assert "if you are the only line manager who answers" in words
        assert "not anonymously" in words


def test_the_link_comes_from_base_url_even_with_a_forged_host(app, client, worker):
    _, round_ = worker
    # The browser's cookie follows it to the forged host, so the worker is still logged in.
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    response = invite(client, round_.id, "peer@example.org", headers={"Host": "evil.example"})
    assert response.status_code == 302
    (message,) = outbox(app)
    assert "evil.example" not in message.text_body + message.html_body
    assert links_in(message.text_body)[0].startswith(f"{BASE_URL}/r/")


def test_the_workers_pages_never_show_a_link_or_token(app, client, worker):
    _, round_ = worker
    invite(client, round_.id, "peer@example.org")
    (message,) = outbox(app)
    token = links_in(message.text_body)[0].rsplit("/", 1)[1]
    for path in ("/rounds/", f"/rounds/{round_.id}", f"/rounds/{round_.id}/invite"):
        html = client.get(path).get_data(as_text=True)
        assert token not in html
        assert "/r/" not in html


@pytest.mark.parametrize(
    ("email", "name", "relationship", "message"),
    [
        ("", "Alex", "peer", "Enter their email address."),
        ("not-an-address", "Alex", "peer", "Enter an email address in the right form"),
        ("alex@", "Alex", "peer", "Enter an email address in the right form"),
        ("morag@example.org", "Me", "peer", "That is your own address."),
        ("MORAG@example.org", "Me", "peer", "That is your own address."),
        ("a@example.org\r\nBcc: x@evil.example", "Alex", "peer", "cannot contain line breaks"),
        (
            "a@example.org",
            "Alex\r\nBcc: x@evil.example",
            "peer",
            "Names cannot contain line breaks",
        ),
        ("a@example.org", "Alex\nReid", "peer", "Names cannot contain line breaks"),
        ("a@example.org", "x" * 101, "peer", "100 characters or fewer"),
        ("a@example.org", "Alex", "", "Choose how this person knows your work."),
        ("a@example.org", "Alex", "self", "Choose one of the relationships listed."),
    ],
)
def test_each_refusal_explains_itself_and_keeps_what_was_typed(
    app, client, worker, email, name, relationship, message
):
    _, round_ = worker
    response = invite(client, round_.id, email, relationship, name=name)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'class="error-summary"' in html
    if "\n" not in email and email:
        assert f'value="{email}"' in html
    if "\n" not in name and len(name) <= 100 and name:
        assert f'value="{name}"' in html
    if relationship == "peer":
        assert 'value="peer"\n                     checked' in html
    assert invitations(app, round_.id) == []
    assert outbox(app) == []


def test_the_same_address_twice_is_refused_whatever_its_case(app, client, worker):
    _, round_ = worker
    invite(client, round_.id, "alex@example.org")
    response = invite(client, round_.id, " ALEX@Example.ORG ", "other", name="Alex again")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You have already invited alex@example.org in this round, or an address" in html
    assert 'value="Alex again"' in html
    assert len(invitations(app, round_.id)) == 1
    assert len(outbox(app)) == 1


def test_the_same_address_may_be_invited_to_another_round(app, client, worker):
    user, round_ = worker
    other = make_round(app, user, "manager")
    invite(client, round_.id, "alex@example.org")
    assert invite(client, other.id, "alex@example.org").status_code == 302


def test_allowed_domains_limit_who_can_be_invited(app, client, worker):
    _, round_ = worker
    app.config["ALLOWED_EMAIL_DOMAINS"] = ("council.gov.uk", "nhs.scot")
    response = invite(client, round_.id, "alex@gmail.com")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at council.gov.uk or nhs.scot" in html
    assert invite(client, round_.id, "alex@nhs.scot").status_code == 302
    assert invite(client, round_.id, "sam@care.council.gov.uk").status_code == 302
    assert invite(client, round_.id, "sam@evilcouncil.gov.uk").status_code == 400
    assert [i.email for i in invitations(app, round_.id)] == [
        "alex@nhs.scot",
        "sam@care.council.gov.uk",
    ]


def test_extra_fields_cannot_move_an_invitation_elsewhere(app, client, worker):
    _, round_ = worker
    other = make_round(app, make_user(app), "frontline")
    data = {"round_id": str(other.id), "user_id": "1", "status": "submitted"}
    path = f"/rounds/{round_.id}/invite"
    post_form(client, path, {"email": "alex@example.org", "relationship": "peer", **data})
    (invitation,) = invitations(app, round_.id)
    assert invitation.status is InvitationStatus.PENDING
    assert invitations(app, other.id) == []


def test_the_list_shows_who_was_invited_but_never_who_answered(app, client, worker):
    _, round_ = worker
    invite(client, round_.id, "alex@example.org", name="Alex Reid")
    invite(client, round_.id, "sam@example.org", "line_manager", name="Sam Lee")
    first, second = invitations(app, round_.id)
    before = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    record_reply(app, first)
    record_reply(app, second, InvitationStatus.DECLINED)
    after = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    for html in (before, after):
        assert "Alex Reid" in html and "alex@example.org" in html and "Sam Lee" in html
        assert html.count("<td>Invited</td>") == 2
    assert "answered" not in after.lower().replace("never says who has answered", "")
    assert "declined" not in after.lower()


def test_a_failed_delivery_is_shown_against_that_invitation(app, client, worker):
    _, round_ = worker
    invite(client, round_.id, "typo@exmaple.org", name="Alex")
    invite(client, round_.id, "sam@example.org", name="Sam")
    with app.app_context():
        message = db.session.scalar(
            db.select(OutboxMessage).where(OutboxMessage.recipient == "typo@exmaple.org")
        )
        message.status = OutboxStatus.FAILED
        db.session.commit()
    html = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    assert html.count("Could not be delivered") == 1
    alex_row = html[html.index("typo@exmaple.org") :]
    assert alex_row.index("Could not be delivered") < alex_row.index("sam@example.org")


def test_a_closed_round_takes_no_more_invitations(app, client, worker):
    _, round_ = worker
    page = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    with app.app_context():
        db.session.get(Round, round_.id).close()
        db.session.commit()
    response = client.post(
        f"/rounds/{round_.id}/invite",
        data={"csrf_token": csrf_from(page), "email": "a@example.org", "relationship": "peer"},
    )
    assert response.status_code == 400
    assert "This round is closed" in response.get_data(as_text=True)
    assert invitations(app, round_.id) == []
    assert 'name="email"' not in client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)


def test_an_invitation_travels_through_a_real_smtp_server(app, client, worker, smtp_server):
    _, _, received = smtp_server
    _, round_ = worker
    invite(client, round_.id, "alex@example.org", name="Alex")
    with app.app_context():
        assert send_due().sent == 1
    (message,) = received.to("alex@example.org")
    assert len(received.messages) == 1
    assert message["Cc"] is None and message["Bcc"] is None
    assert message["Subject"] == "Morag Campbell would value your feedback on their leadership"
    body = message.get_body(("plain",)).get_content()
    (link,) = set(links_in(body))
    assert link.startswith(f"{BASE_URL}/r/")
    # The link opens the colleague's questionnaire (the test client ignores BASE_URL's host).
    opened = client.get(link.removeprefix(BASE_URL))
    assert opened.status_code == 200
    assert "Morag" in opened.get_data(as_text=True)


def test_builders_invitation_is_listed_for_its_round(app, client, worker):
    _, round_ = worker
    make_invitation(app, round_, Relationship.OTHER, email="partner@agency.example", name="Pat")
    html = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    assert "partner@agency.example" in html and "Other" in html


def test_a_workers_name_cannot_break_the_subject_line(app, client):
    user = make_user(app, email="odd@example.org", name="Morag\r\nBcc: all@evil.example\x0b")
    round_ = make_round(app, user, "frontline")
    login_as(client, user)
    assert invite(client, round_.id, "alex@example.org").status_code == 302
    (message,) = outbox(app)
    assert (
        message.subject
        == "Morag Bcc: all@evil.example would value your feedback on their leadership"
    )
