"""Workers invited to a programme by email, through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from builders import PASSWORD, login_as, make_user
from programme_steps import LINK, csrf_from, make_member, make_programme, post_form
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from feedback360.extensions import db
from feedback360.mail.sender import send_due
from feedback360.programmes.models import Member, ProgrammeInvitation


@pytest.fixture
def app_config(app_config, smtp_server):
    host, port, _received = smtp_server
    return {**app_config, "MAIL_TRANSPORT": "smtp", "MAIL_SERVER": host, "MAIL_PORT": port}


def deliver(app) -> None:
    with app.app_context():
        assert send_due().failed == 0


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    [link] = [u for u in LINK.findall(body) if "/programme/invitation/" in u]
    return link.removeprefix("http://feedback360.test")


def send_invitations(client, programme, addresses: str):
    page = f"/lead/{programme.programme_id}"
    return post_form(client, page, {"addresses": addresses}, to=f"{page}/invitations")


def invitations(app) -> list[ProgrammeInvitation]:
    with app.app_context():
        rows = list(db.session.scalars(select(ProgrammeInvitation).order_by("id")))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_each_address_gets_its_own_link_that_joins_once(app, client, smtp_server):
    _, _, received = smtp_server
    programme = make_programme(app)
    login_as(client, programme.lead)
    sent = send_invitations(client, programme, "Ailsa@Example.org, bruce@example.org\n")
    assert sent.status_code == 302
    page = client.get(f"/lead/{programme.programme_id}").get_data(as_text=True)
    assert "Invitations sent: 2." in page
    assert "ailsa@example.org" in page and "bruce@example.org" in page
    deliver(app)
    links = [link_in(m) for m in received.to("ailsa@example.org")]
    links += [link_in(m) for m in received.to("bruce@example.org")]
    assert len(links) == 2 and links[0] != links[1]
    # Only the hash of each link's token is stored, and the token has 256 bits.
    token = links[0].rsplit("/", 1)[1]
    assert len(token) >= 43
    stored = {row.token_hash for row in invitations(app)}
    assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in str(stored)

    lead_client, ailsa = client, make_user(app, email="ailsa@example.org", name="Ailsa Worker")
    client = app.test_client()  # Ailsa's own browser, not signed in
    # Not signed in: the log-in page, which then brings her back to the invitation.
    to_login = client.get(links[0])
    assert to_login.status_code == 302 and "/account/login" in to_login.headers["Location"]
    login_page = client.get(to_login.headers["Location"])
    landed = client.post(
        to_login.headers["Location"],
        data={
            "csrf_token": csrf_from(login_page.get_data(as_text=True)),
            "email": "ailsa@example.org",
            "password": PASSWORD,
        },
    )
    assert landed.headers["Location"].endswith(links[0])
    for _ in range(3):  # opening the link, as a mail scanner might, changes nothing
        assert client.get(links[0]).status_code == 200
    assert invitations(app)[0].accepted_at is None
    joined = post_form(client, links[0], {"job_role": "Team leader"})
    assert joined.status_code == 302
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.user_id == ailsa.id))
        assert member.programme_id == programme.programme_id and member.job_role == "Team leader"

    first = invitations(app)[0]
    assert first.accepted_at is not None and first.email is None and first.token_hash is None
    again = client.get(links[0])
    assert again.status_code == 404 and "has been used, or it has expired" in again.get_data(True)

    page = lead_client.get(f"/lead/{programme.programme_id}").get_data(as_text=True)
    assert "ailsa@example.org" not in page and "bruce@example.org" in page
    assert "Accepted: 1." in page and "Ailsa Worker" in page


def href_after(html: str, words: str) -> str:
    """The address of the page's own link whose text is `words` (the header's come first)."""
    content = html.split("<main", 1)[1]
    match = re.search(r'href="([^"]+)"[^>]*>' + re.escape(words) + "<", content)
    assert match, f"no link reads {words!r}"
    return unescape(match.group(1))  # templates write & as &amp;


def mailed_link(received, address: str, path: str) -> str:
    """The one link to `path` in the last email to `address`, as a path on this site."""
    body = received.to(address)[-1].get_body(preferencelist=("plain",)).get_content()
    [link] = [u for u in LINK.findall(body) if path in u]
    return link.removeprefix("http://feedback360.test")


def test_someone_without_an_account_signs_up_and_comes_back_to_the_invitation(
    app, client, smtp_server
):
    _, _, received = smtp_server
    programme = make_programme(app)
    login_as(client, programme.lead)
    send_invitations(client, programme, "newcomer@example.org")
    deliver(app)
    [invitation_link] = [link_in(m) for m in received.to("newcomer@example.org")]

    browser = app.test_client()  # the newcomer's own browser: no account, not signed in
    to_login = browser.get(invitation_link).headers["Location"]
    sign_up = href_after(browser.get(to_login).get_data(as_text=True), "Create an account")
    form = browser.get(sign_up).get_data(as_text=True)
    account = {"name": "Nell Newcomer", "email": "newcomer@example.org"}
    account |= {"password": "harbour lights at dusk", "confirm": "harbour lights at dusk"}
    checked = browser.post(sign_up, data={"csrf_token": csrf_from(form), **account})
    assert checked.status_code == 200 and "Check your email" in checked.get_data(as_text=True)
    # Logging in straight away (before confirming) leads back to the invitation too.
    log_in_now = href_after(checked.get_data(as_text=True), "Log in")
    assert parse_qs(urlsplit(log_in_now).query)["next"] == [invitation_link]

    deliver(app)
    confirm = mailed_link(received, "newcomer@example.org", "/account/confirm/")
    confirmed = post_form(browser, confirm, {})
    assert confirmed.status_code == 302
    login_page = confirmed.headers["Location"]
    html = browser.get(login_page).get_data(as_text=True)
    credentials = {"email": "newcomer@example.org", "password": "harbour lights at dusk"}
    landed = browser.post(login_page, data={"csrf_token": csrf_from(html), **credentials})
    assert landed.headers["Location"] == invitation_link
    page = browser.get(invitation_link)
    assert page.status_code == 200 and "Join" in page.get_data(as_text=True)
    joined = post_form(browser, invitation_link, {"job_role": "Support worker"})
    assert joined.status_code == 302 and invitations(app)[0].accepted_at is not None


def test_someone_who_signs_up_again_is_sent_back_to_the_invitation_by_the_note(
    app, client, smtp_server
):
    """Signing up with an address that has an account sends a note; its log-in link returns."""
    _, _, received = smtp_server
    programme = make_programme(app)
    make_user(app, email="known@example.org", name="Kirsty Known")
    login_as(client, programme.lead)
    send_invitations(client, programme, "known@example.org")
    deliver(app)
    [invitation_link] = [link_in(m) for m in received.to("known@example.org")]

    browser = app.test_client()
    to_login = browser.get(invitation_link).headers["Location"]
    sign_up = href_after(browser.get(to_login).get_data(as_text=True), "Create an account")
    form = browser.get(sign_up).get_data(as_text=True)
    account = {"name": "Kirsty Known", "email": "known@example.org"}
    account |= {"password": "another long passphrase", "confirm": "another long passphrase"}
    browser.post(sign_up, data={"csrf_token": csrf_from(form), **account})
    deliver(app)
    login_link = mailed_link(received, "known@example.org", "/account/login")
    html = browser.get(login_link).get_data(as_text=True)
    credentials = {"email": "known@example.org", "password": PASSWORD}
    landed = browser.post(login_link, data={"csrf_token": csrf_from(html), **credentials})
    assert landed.headers["Location"] == invitation_link


def test_a_login_page_passes_on_only_a_path_on_this_site(client):
    for target in ("https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere"):
        html = client.get("/account/login", query_string={"next": target}).get_data(True)
        assert href_after(html, "Create an account") == "/account/register"


def test_a_bad_address_sends_nothing_and_keeps_everything_typed(app, client, smtp_server):
    _, _, received = smtp_server
    programme = make_programme(app)
    login_as(client, programme.lead)
    typed = "ailsa@example.org\nnot-an-address; bruce@example\n  carla@example.org"
    response = send_invitations(client, programme, typed)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "These do not look like email addresses: not-an-address, bruce@example." in body
    assert "ailsa@example.org\nnot-an-address; bruce@example\n  carla@example.org" in body
    assert invitations(app) == []
    deliver(app)
    assert received.messages == []
    empty = send_invitations(client, programme, "   ")
    assert "Please give at least one email address." in empty.get_data(as_text=True)


def test_an_expired_link_does_not_work_and_its_address_is_forgotten(
    app, client, runner, smtp_server
):
    _, _, received = smtp_server
    programme = make_programme(app)
    login_as(client, programme.lead)
    send_invitations(client, programme, "dana@example.org")
    deliver(app)
    [message] = received.to("dana@example.org")
    with app.app_context():
        past = dt.datetime(2020, 1, 1)
        db.session.execute(update(ProgrammeInvitation).values(sent_at=past, expires_at=past))
        db.session.commit()
    login_as(client, make_user(app, email="dana@example.org"))
    assert client.get(link_in(message)).status_code == 404
    assert post_form(client, "/rounds/", {}, to=link_in(message)).status_code == 404

    assert runner.invoke(args=["privacy", "purge"]).exit_code == 0
    [row] = invitations(app)
    assert row.email is None and row.token_hash is None and row.accepted_at is None
    login_as(client, programme.lead)
    page = client.get(f"/lead/{programme.programme_id}").get_data(as_text=True)
    assert "dana@example.org" not in page and "Expired without being accepted: 1." in page


def test_inviting_again_replaces_the_link_and_members_are_not_invited(app, client, smtp_server):
    _, _, received = smtp_server
    programme = make_programme(app)
    make_member(app, programme, email="member@example.org")
    login_as(client, programme.lead)
    send_invitations(client, programme, "eve@example.org")
    send_invitations(client, programme, "EVE@example.org member@example.org")
    page = client.get(f"/lead/{programme.programme_id}").get_data(as_text=True)
    assert "Sent again with a new link" in page and "Already in this programme" in page
    deliver(app)
    first, second = received.to("eve@example.org")
    assert received.to("member@example.org") == []
    login_as(client, make_user(app, email="eve@example.org"))
    assert client.get(link_in(first)).status_code == 404
    assert client.get(link_in(second)).status_code == 200


def test_only_the_programmes_lead_can_invite(app, client, smtp_server):
    ours, theirs = make_programme(app, "Ours"), make_programme(app, "Theirs")
    for someone in (theirs.lead, ours.coach, make_user(app)):
        login_as(client, someone)
        token = csrf_from(client.get("/rounds/").get_data(as_text=True))
        response = client.post(
            f"/lead/{ours.programme_id}/invitations",
            data={"csrf_token": token, "addresses": "x@example.org"},
        )
        assert response.status_code == 404
    assert invitations(app) == []


def test_the_schema_keeps_no_address_on_an_accepted_invitation(app):
    programme = make_programme(app)
    with app.app_context():
        now = dt.datetime(2026, 12, 7)
        row = ProgrammeInvitation(
            programme_id=programme.programme_id,
            email="fay@example.org",
            token_hash="0" * 64,
            sent_at=now,
            expires_at=now,
            accepted_at=now,
        )
        db.session.add(row)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        both = "INSERT INTO programme_invitation (programme_id, email, token_hash, sent_at, "
        both += "expires_at) VALUES (:p, :e, :t, :n, :n)"
        values = {"p": programme.programme_id, "e": "gil@example.org", "t": "1" * 64, "n": now}
        db.session.execute(text(both), values)
        with pytest.raises(IntegrityError):
            db.session.execute(text(both), {**values, "t": "2" * 64})  # one pending per address
        db.session.rollback()


def test_guessed_invitation_links_are_counted_and_then_refused(app, client, smtp_server):
    _, _, received = smtp_server
    programme = make_programme(app)
    login_as(client, programme.lead)
    send_invitations(client, programme, "hana@example.org")
    deliver(app)
    [message] = received.to("hana@example.org")
    real = link_in(message)
    app.config["TOKEN_ATTEMPTS_PER_ADDRESS"] = 3
    login_as(client, make_user(app, email="guesser@example.org"))
    for number in range(3):
        assert client.get(f"/programme/invitation/guess{number}").status_code == 404
    # Limited before the lookup: even the real link says nothing until the window passes.
    limited = client.get(real)
    assert limited.status_code == 429 and "Too many links" in limited.get_data(as_text=True)
