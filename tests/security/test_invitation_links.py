"""SECURITY.md, "Invitation links" (lines 7 to 10): what tests/surveys leaves out.

tests/surveys proves the guessing, opening, simultaneous-submit and expired-token rules for
invitation links (docs/security.md names each test). Here: the strength of every kind of secret
link, and that after the mail has gone no table anywhere holds a token, only its SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from builders import login_as, make_round, make_user
from builders_report import make_closed_round
from rater_steps import every_row
from sqlalchemy import select

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage, OutboxStatus
from feedback360.mail.sender import send_due
from feedback360.web.links import hash_token, new_token

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOKEN_IN_LINK = re.compile(r"http://feedback360\.test/(?:r|reports/shared)/([A-Za-z0-9_-]+)")


def random_bits(token: str) -> int:
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def test_new_tokens_carry_at_least_128_random_bits_and_never_repeat():
    made = [new_token() for _ in range(2000)]
    tokens = {token for token, _ in made}
    assert len(tokens) == 2000
    assert min(random_bits(token) for token in tokens) >= 128
    for token, stored in made[:50]:
        assert stored == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
        assert token not in stored


@pytest.fixture
def app_config(app_config, smtp_server):
    host, port, _ = smtp_server
    return {**app_config, "MAIL_TRANSPORT": "smtp", "MAIL_SERVER": host, "MAIL_PORT": port}


def post(client, page: str, to: str, **data: str):
    token = CSRF.search(client.get(page).get_data(as_text=True)).group(1)
    return client.post(to, data={"csrf_token": token, **data})


def test_once_mail_has_gone_no_table_holds_any_link_token(app, client, smtp_server):
    """Invitations, a reminder's fresh links and a share link: only hashes stay behind."""
    _, _, received = smtp_server
    user = make_user(app, email="morag@example.org")
    round_ = make_round(app, user, "manager")
    closed = make_closed_round(app, user, colleagues={"peer": 4})
    login_as(client, user)
    for n in range(3):
        page = f"/rounds/{round_.id}/invite"
        post(client, page, page, email=f"c{n}@example.org", relationship="peer")
    post(client, f"/rounds/{round_.id}", f"/rounds/{round_.id}/remind")
    post(client, f"/reports/{closed}/share", f"/reports/{closed}/share")
    share_page = client.get(f"/reports/{closed}/share").get_data(as_text=True)
    with app.app_context():
        assert send_due(now=utcnow()).sent == 6
    texts = [m.get_body(("plain",)).get_content() for m in received.messages] + [share_page]
    tokens = {token for text in texts for token in TOKEN_IN_LINK.findall(text)}
    assert len(tokens) == 7  # three invitations, three more links by reminder, one share link
    assert min(random_bits(token) for token in tokens) >= 128

    stored = repr(every_row(app))
    assert [t for t in tokens if t in stored] == []
    hashes_found = [t for t in tokens if hash_token(t) in stored]
    # Every link keeps working until the round closes, so each one's hash is kept until then.
    assert len(hashes_found) == 7
    with app.app_context():
        statuses = set(db.session.scalars(select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT}
