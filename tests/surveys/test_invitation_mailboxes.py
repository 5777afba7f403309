"""One mailbox, one invitation: a worker cannot answer as several colleagues (SECURITY.md 24)."""

from __future__ import annotations

import re

import pytest
from builders import login_as, make_round, make_user
from sqlalchemy.exc import IntegrityError
from worker_steps import invitations, invite, outbox

from feedback360.extensions import db
from feedback360.surveys import invite_service
from feedback360.surveys.closing import close_round
from feedback360.surveys.models import Invitation, Relationship, Round

OWN = "That is your own address."


@pytest.fixture
def morag(app, client):
    """A worker whose organisation limits invitations to its own domain, as in issue 14."""
    app.config["ALLOWED_EMAIL_DOMAINS"] = ("example.org", "gmail.com", "googlemail.com")
    user = make_user(app, email="morag@example.org", name="Morag Campbell")
    round_ = make_round(app, user, "frontline")
    login_as(client, user)
    return user, round_


def kept_on_page(html: str, email: str, name: str, relationship: str) -> bool:
    """The refused form shows the email, name and relationship exactly as they were typed."""
    checked = re.search(rf'value="{relationship}"\s+checked', html)
    return f'value="{email}"' in html and f'value="{name}"' in html and checked is not None


def duplicate(email: str) -> str:
    return f"You have already invited {email} in this round, or an address"


@pytest.mark.parametrize(
    "spelling", ["morag+a@example.org", "Morag+b@example.org", "MORAG+c@example.org"]
)
def test_the_workers_own_mailbox_under_a_tag_is_refused_and_the_form_kept(
    app, client, morag, spelling
):
    _, round_ = morag
    response = invite(client, round_.id, spelling, "other", name="A Colleague")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert OWN in html
    assert 'class="error-summary"' in html
    assert kept_on_page(html, spelling, "A Colleague", "other")
    assert invitations(app, round_.id) == []
    assert outbox(app) == []


def test_the_morag_attack_leaves_one_real_peer_and_no_puppets(app, client, morag):
    """Issue 14, attack 6: three spellings of her own mailbox and one real peer."""
    _, round_ = morag
    for spelling in ("morag+a@example.org", "Morag+b@example.org", "morag+c@example.org"):
        assert invite(client, round_.id, spelling, "peer").status_code == 400
    assert invite(client, round_.id, "alex.reid@example.org", "peer").status_code == 302
    assert [i.email for i in invitations(app, round_.id)] == ["alex.reid@example.org"]
    assert [m.recipient for m in outbox(app)] == ["alex.reid@example.org"]


def test_the_workers_own_gmail_under_dots_and_googlemail_is_refused(app, client):
    app.config["ALLOWED_EMAIL_DOMAINS"] = ()
    user = make_user(app, email="morag.campbell@gmail.com")
    round_ = make_round(app, user, "frontline")
    login_as(client, user)
    for spelling in ("MoragCampbell@gmail.com", "m.o.r.a.g.campbell+360@googlemail.com"):
        response = invite(client, round_.id, spelling, "peer", name="Not Me")
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert OWN in html
        assert kept_on_page(html, spelling, "Not Me", "peer")
    assert invitations(app, round_.id) == []


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("sam@example.org", "Sam+team@example.org"),
        ("sam.lee@gmail.com", "SamLee+2@googlemail.com"),
        ("samlee@googlemail.com", "s.a.m.l.e.e@gmail.com"),
    ],
)
def test_a_colleagues_mailbox_under_another_spelling_is_refused_and_the_form_kept(
    app, client, morag, first, again
):
    _, round_ = morag
    assert invite(client, round_.id, first, "peer", name="Sam Lee").status_code == 302
    response = invite(client, round_.id, again, "other", name="Sam again")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    # Only what was typed is echoed: the message never names the spelling invited before.
    assert duplicate(again.lower()) in html
    assert kept_on_page(html, again, "Sam again", "other")
    assert [i.email for i in invitations(app, round_.id)] == [first]
    assert len(outbox(app)) == 1


def test_the_mailbox_is_stored_and_closing_the_round_deletes_it(app, client, morag):
    _, round_ = morag
    invite(client, round_.id, "Sam.Lee+x@GoogleMail.com")
    ((email, mailbox),) = stored_addresses(app, round_.id)
    assert (email, mailbox) == ("sam.lee+x@googlemail.com", "samlee@gmail.com")
    with app.app_context():
        close_round(db.session.get(Round, round_.id))
        db.session.commit()
    assert stored_addresses(app, round_.id) == [(None, None)]


def stored_addresses(app, round_id: int) -> list[tuple[str | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(Invitation.email, Invitation.mailbox).where(Invitation.round_id == round_id)
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize("second", ["samlee+2@gmail.com", "SAM.LEE@gmail.com"])
def test_the_schema_refuses_a_second_invitation_to_a_mailbox_the_check_missed(
    app, morag, monkeypatch, second
):
    """Two quick submits can both pass the friendly check; the mailbox index still decides."""
    _, round_ = morag
    monkeypatch.setattr(invite_service, "_already_invited", lambda *_: False)
    with app.app_context():
        stored = db.session.get(Round, round_.id)
        invite_service.invite_colleague(stored, "sam.lee@gmail.com", None, Relationship.PEER)
        with pytest.raises(invite_service.InvitationRefused, match="already invited"):
            invite_service.invite_colleague(stored, second, None, Relationship.PEER)
        db.session.commit()  # the first invitation survives the refused second one
    assert [i.email for i in invitations(app, round_.id)] == ["sam.lee@gmail.com"]
    assert len(outbox(app)) == 1


def test_the_schema_refuses_a_duplicate_mailbox_written_without_the_service(app, morag):
    _, round_ = morag
    with app.app_context():
        for number, email in enumerate(("sam.lee@gmail.com", "samlee@googlemail.com")):
            db.session.add(
                Invitation(
                    round_id=round_.id,
                    email=email,
                    relationship=Relationship.PEER,
                    token_hash=f"{number:064d}",
                )
            )
        with pytest.raises(IntegrityError):
            db.session.commit()
