"""Links that cannot take answers: each gets a clear page that gives nothing away."""

from __future__ import annotations

import secrets

import pytest
from builders import make_invitation, make_round, make_user
from rater_steps import csrf_from, every_row

from feedback360.extensions import db
from feedback360.surveys.models import Invitation, InvitationStatus, Relationship, Round

TITLES = {
    "unknown": "We could not find this link",
    "expired": "This feedback round has ended",
    "closed": "This feedback round has closed",
    "submitted": "You have already sent your feedback",
    "declined": "You chose not to give feedback",
}
STATUS = {"unknown": 404, "expired": 410, "closed": 410, "submitted": 410, "declined": 410}
GET_PATHS = ["", "/page/1", "/page/7", "/review", "/decline", "/saved"]
POST_PATHS = ["/page/1", "/submit", "/decline"]


def link_in_state(app, state: str) -> str:
    """A token whose invitation is in `state`, for a worker named Morag Campbell."""
    user = make_user(app, name="Morag Campbell")
    round_ = make_round(app, user, days=-1 if state == "expired" else 28)
    invitation, token = make_invitation(app, round_, Relationship.LINE_MANAGER, email="ali@x.org")
    with app.app_context():
        if state == "closed":
            db.session.get(Round, round_.id).close()
        if state in ("submitted", "declined"):
            db.session.get(Invitation, invitation.id).status = InvitationStatus(state)
        db.session.commit()
    return secrets.token_urlsafe(32) if state == "unknown" else token


def a_form_token(app, client) -> str:
    """A valid CSRF token for this client, from a link that works."""
    user = make_user(app, name="Someone Else")
    _, token = make_invitation(app, make_round(app, user))
    return csrf_from(client.get(f"/r/{token}/page/1").get_data(as_text=True))


def assert_reveals_nothing(page: str) -> None:
    for secret in ("Morag", "Campbell", "ali@x.org", "Frontline leadership", "line manager"):
        assert secret not in page


@pytest.mark.parametrize("state", sorted(TITLES))
def test_every_page_of_an_unusable_link_explains_why_and_reveals_nothing(app, client, state):
    token = link_in_state(app, state)
    form_token = a_form_token(app, client)
    responses = [client.get(f"/r/{token}{path}") for path in GET_PATHS]
    responses += [client.head(f"/r/{token}{path}") for path in GET_PATHS]
    responses += [
        client.post(f"/r/{token}{path}", data={"csrf_token": form_token, "action": "next"})
        for path in POST_PATHS
    ]
    for response in responses:
        assert response.status_code == STATUS[state]
        assert response.headers["Cache-Control"] == "no-store"
    for response in responses:
        if response.request.method != "HEAD":
            page = response.get_data(as_text=True)
            assert f"<h1>{TITLES[state]}</h1>" in page
            assert_reveals_nothing(page)


@pytest.mark.parametrize("state", ["expired", "closed", "submitted", "declined"])
def test_an_unusable_link_writes_nothing_when_posted_to(app, client, state):
    token = link_in_state(app, state)
    form_token = a_form_token(app, client)
    before = every_row(app)
    for path in POST_PATHS:
        client.post(
            f"/r/{token}{path}",
            data={"csrf_token": form_token, "action": "save", "item-vis_knows_aims": "3"},
        )
    assert every_row(app) == before


def test_the_unknown_link_page_points_to_the_other_emails(app, client):
    page = " ".join(client.get(f"/r/{secrets.token_urlsafe(32)}").get_data(as_text=True).split())
    assert "try the link in that email instead" in page
    assert "every link we sent you works until you reply or the round closes" in page


def test_thanks_after_submit_or_decline_but_a_pending_link_goes_to_its_intro(app, client):
    submitted, declined = link_in_state(app, "submitted"), link_in_state(app, "declined")
    assert "Thank you for your feedback" in client.get(f"/r/{submitted}/thanks").get_data(True)
    assert "Thank you for letting us know" in client.get(f"/r/{declined}/thanks").get_data(True)
    user = make_user(app)
    _, pending = make_invitation(app, make_round(app, user))
    response = client.get(f"/r/{pending}/thanks")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{pending}")
    closed = link_in_state(app, "closed")
    assert client.get(f"/r/{closed}/thanks", follow_redirects=True).status_code == 410
