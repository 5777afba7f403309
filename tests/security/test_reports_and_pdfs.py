"""SECURITY.md, "Reports and PDFs" (lines 11 and 12): what tests/reports leaves out.

tests/reports proves the PDF renderer itself (hostile text stays text, the fetcher fetches
nothing, charts keep `$` literal). Here the same text goes through the web pages a worker and a
manager open, and the PDF is downloaded over HTTP from a round closed with the real button.
"""

from __future__ import annotations

import io
import re

import pypdf
from builders import login_as, make_invitation, make_round, make_user
from builders_report import add_answer_set, close_and_freeze
from worker_steps import csrf_from, record_reply

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.instruments.registry import instruments
from feedback360.reports.models import ShareLink
from feedback360.surveys.models import Relationship
from feedback360.web.links import new_token

HOSTILE = [
    '<img src="http://127.0.0.1:9/x.png"> <b>bold?</b>',
    "<link rel=attachment href=file:///etc/passwd>",
    "<script>alert(1)</script>",
    "Costs $x$ and $\\frac{1}{2}$",
]
HOSTILE_NAME = '"><script>alert(1)</script> $x$ ../../etc/passwd'


def closed_round_with(app, user, comments: list[str]) -> int:
    round_ = make_round(app, user)
    with app.app_context():
        items = [item.key for item in instruments()["frontline"].items]
    add_answer_set(app, round_.id, "self", {k: 3 for k in items})
    for n in range(4):
        texts = {"does_well": comments[n % len(comments)], "vision": comments[(n + 1) % 4]}
        add_answer_set(app, round_.id, "peer", {k: 4 for k in items}, texts)
    close_and_freeze(app, round_.id)
    return round_.id


def share_token(app, round_id: int) -> str:
    token, token_hash = new_token()
    with app.app_context():
        expires = utcnow().replace(year=2999)
        db.session.add(ShareLink(round_id=round_id, token_hash=token_hash, expires_at=expires))
        db.session.commit()
    return token


def test_hostile_names_and_comments_are_literal_text_on_the_worker_and_manager_pages(app, client):
    user = make_user(app, name=HOSTILE_NAME)
    round_id = closed_round_with(app, user, HOSTILE)
    login_as(client, user)
    manager = app.test_client()
    pages = [
        client.get(f"/reports/{round_id}"),
        manager.get(f"/reports/shared/{share_token(app, round_id)}"),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in html
        assert "<link rel=attachment" not in html
        assert 'src="http://127.0.0.1' not in html
        assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "Costs $x$ and $\\frac{1}{2}$" in html
        # Scripts only from our own static files, and every image is a data: URI.
        scripts = re.findall(r"<script[^>]*>", html)
        assert all('src="/static/' in tag for tag in scripts), scripts
        assert set(re.findall(r'<img[^>]*src="([a-z]+):', html)) <= {"data"}


def test_a_downloaded_pdf_names_itself_and_holds_nothing_about_the_raters(app, client):
    user = make_user(app, name=HOSTILE_NAME)
    round_ = make_round(app, user)
    raters = [
        make_invitation(
            app, round_, Relationship.PEER, email=f"rhona{n}@example.org", name=f"Rhona Rater{n}"
        )[0]
        for n in range(4)
    ]
    for invitation in raters:
        record_reply(app, invitation)
    login_as(client, user)
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    closed = client.post(f"/rounds/{round_.id}/close", data={"csrf_token": csrf_from(page)})
    assert closed.status_code == 302

    response = client.get(f"/reports/{round_.id}.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    today = utcnow().date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="feedback360-report-frontline-{today}.pdf"'
    )
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert reader.attachments == {}
    assert set(reader.metadata) <= {"/Title", "/Producer", "/CreationDate", "/ModDate"}
    assert reader.xmp_metadata is None
    text = "\n".join(p.extract_text() for p in reader.pages) + repr(dict(reader.metadata))
    for invitation in raters:
        assert invitation.email not in text and invitation.name not in text
    assert "Rhona" not in text and "example.org" not in text
