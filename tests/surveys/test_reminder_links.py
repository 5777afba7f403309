"""A reminder adds a link and kills none: every link a colleague was sent works until they reply.

Only the SHA-256 of each link is kept, so a reminder cannot resend the first one; it adds a
row to invitation_link instead. Those rows stay with the invitation until the account is deleted.
"""

from __future__ import annotations

import datetime as dt

from builders import login_as, make_invitation, make_round, make_user
from rater_steps import answer_page, found, instrument_for, link_to, submit
from sqlalchemy import func, select
from worker_steps import invite, links_in, outbox, post_form

from feedback360.auth.models import RateLimitHit, User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.surveys import sending
from feedback360.surveys.account import delete_account
from feedback360.surveys.closing import close_round
from feedback360.surveys.invite_service import send_reminders
from feedback360.surveys.models import AnswerSet, Invitation, InvitationLink, InvitationUse, Round
from feedback360.web.links import hash_token, new_token

BASE_URL = "http://feedback360.test"


def remind(app, client, round_id: int) -> None:
    """Press "send a reminder", then move the last reminder back so another may go."""
    post_form(client, f"/rounds/{round_id}", {}, to=f"/rounds/{round_id}/remind")
    hours = app.config["REMINDER_INTERVAL_HOURS"]
    with app.app_context():
        db.session.get(Round, round_id).reminded_at = utcnow() - dt.timedelta(hours=hours)
        db.session.commit()


def tokens_sent(app) -> list[str]:
    return [link.rsplit("/", 1)[1] for m in outbox(app) for link in links_in(m.text_body)]


def count(app, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_every_link_sent_works_until_the_colleague_replies_and_none_counts_as_a_guess(app, client):
    user = make_user(app)
    round_ = make_round(app, user)
    login_as(client, user)
    invite(client, round_.id, "pat@example.org")
    remind(app, client, round_.id)
    remind(app, client, round_.id)
    first, second, third = tokens_sent(app)
    # One unknown link per address would already be refused: the real ones must never count.
    app.config["TOKEN_ATTEMPTS_PER_ADDRESS"] = 1
    rater_client = app.test_client()
    for token in (first, second, third, first, first):
        assert rater_client.get(f"/r/{token}").status_code == 200
    # Answers saved through any link belong to the one invitation: start with the newest link,
    # finish with the first, send with the second.
    instrument = instrument_for(app, round_)
    pages = len(instrument.capabilities) + 1
    for number in range(1, pages + 1):
        token = third if number < pages else first
        assert answer_page(rater_client, token, instrument, number).status_code == 302
    assert submit(rater_client, second).status_code == 302
    for token in (first, second, third):
        used = rater_client.get(f"/r/{token}")
        assert used.status_code == 410
        assert "You have already sent your feedback" in used.get_data(as_text=True)
    assert count(app, AnswerSet) == 1
    assert count(app, RateLimitHit) == 0


def test_a_reminder_stores_the_hash_of_its_link_and_never_the_link(app, client):
    user = make_user(app)
    round_ = make_round(app, user)
    login_as(client, user)
    invite(client, round_.id, "pat@example.org")
    remind(app, client, round_.id)
    first, reminded = tokens_sent(app)
    with app.app_context():
        (invitation,) = db.session.scalars(select(Invitation)).all()
        links = db.session.scalars(select(InvitationLink)).all()
        assert invitation.token_hash == hash_token(first)
        assert [(link.token_hash, link.invitation_id) for link in links] == [
            (hash_token(reminded), invitation.id)
        ]
        assert found(reminded).invitation_id == found(first).invitation_id


def reminded_round(app) -> tuple[User, Round, Invitation]:
    """A round with one colleague who has had one reminder."""
    user = make_user(app)
    round_ = make_round(app, user)
    invitation, _ = make_invitation(app, round_)
    with app.app_context():
        send_reminders(db.session.get(Round, round_.id))
        db.session.commit()
    return user, round_, invitation


def links_of(app, invitation: Invitation) -> int:
    with app.app_context():
        query = select(func.count()).where(InvitationLink.invitation_id == invitation.id)
        return db.session.scalar(query) or 0


def reminded_tokens(app) -> tuple[Round, str, str]:
    """A round with one colleague who has had one reminder: the first link and the reminder's."""
    user = make_user(app)
    round_ = make_round(app, user)
    _, first = make_invitation(app, round_)
    with app.app_context():
        send_reminders(db.session.get(Round, round_.id))
        db.session.commit()
    (reminder,) = tokens_sent(app)
    return round_, first, reminder


def test_after_close_every_link_sent_opens_the_closed_page_and_none_counts_as_a_guess(app, client):
    round_, first, reminder = reminded_tokens(app)
    with app.app_context():
        close_round(db.session.get(Round, round_.id))
        db.session.commit()
    for token in (first, reminder):
        response = client.get(f"/r/{token}")
        assert response.status_code == 410
        assert "closed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 0


def test_deleting_an_account_deletes_its_invitations_links_and_uses(app):
    leaving, _, leaving_invitation = reminded_round(app)
    _, _, staying_invitation = reminded_round(app)
    with app.app_context():
        for invitation in (leaving_invitation, staying_invitation):
            sending.decline(link_to(invitation.id))
        db.session.commit()
        delete_account(db.session.get(User, leaving.id))
        db.session.commit()
        uses = db.session.scalars(select(InvitationUse.invitation_id)).all()
    assert uses == [staying_invitation.id]
    assert links_of(app, leaving_invitation) == 0
    assert links_of(app, staying_invitation) == 1


def test_random_tokens_never_find_an_invitation_through_a_reminders_link(app):
    """The lookup is exact for reminders' links too: 300 random tokens find nothing."""
    _, _, invitation = reminded_round(app)
    with app.app_context():
        for _ in range(300):
            assert found(new_token()[0]) is None
    assert links_of(app, invitation) == 1
