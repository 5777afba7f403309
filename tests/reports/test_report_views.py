"""The report pages: owner only, PDF download kept once, reflection drafts, share links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from builders import login_as, make_round, make_user
from builders_report import make_closed_round
from freezegun import freeze_time
from sqlalchemy import func, select

from feedback360.auth.models import RateLimitHit
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.reports import documents
from feedback360.reports.models import Reflection, RoundReport, ShareLink

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TOKEN_ATTEMPTS_PER_ADDRESS": 3, "WTF_CSRF_TIME_LIMIT": 60}


@pytest.fixture
def owner_round(app, client):
    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user, comment="<b>Kind</b> and clear")
    login_as(client, user)
    return user, round_id


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def reflection_form(token: str, **values: str) -> dict:
    data = {"csrf_token": token, "strengths": "", "development_areas": "", "statement": ""}
    for n in range(5):
        for name in ("what", "how", "support", "by_when", "measure"):
            data[f"priorities-{n}-{name}"] = ""
    data.update(values)
    return data


def test_the_owner_reads_their_report_with_comments_escaped(client, owner_round):
    _, round_id = owner_round
    page = client.get(f"/reports/{round_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Morag Campbell" in html and "Vision" in html
    assert "&lt;b&gt;Kind&lt;/b&gt; and clear" in html
    assert "<b>Kind</b>" not in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert page.headers["Cache-Control"] == "no-store"


def test_another_workers_report_pdf_and_pages_are_not_found(app, client, owner_round):
    _, round_id = owner_round
    login_as(client, make_user(app, name="Someone Else"))
    for path in ("", ".pdf", "/reflection", "/share"):
        assert client.get(f"/reports/{round_id}{path}").status_code == 404
    assert client.post(f"/reports/{round_id}/share").status_code in (400, 404)


def test_a_report_needs_a_login(client, owner_round):
    _, round_id = owner_round
    client.post("/account/logout")  # whatever the auth pages do, a fresh client has no login
    fresh = client.application.test_client()
    response = fresh.get(f"/reports/{round_id}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_an_open_round_has_no_report_yet(app, client):
    user = make_user(app)
    round_ = make_round(app, user)
    login_as(client, user)
    page = client.get(f"/reports/{round_.id}")
    assert "not ready yet" in page.get_data(as_text=True)
    assert client.get(f"/reports/{round_.id}.pdf").status_code == 404


def test_the_pdf_is_kept_after_the_first_download(app, client, owner_round, monkeypatch):
    _, round_id = owner_round
    with app.app_context():
        db.session.get(Reflection, round_id)  # none yet: the plain PDF is the one kept
    first = client.get(f"/reports/{round_id}.pdf")
    assert first.status_code == 200
    assert first.mimetype == "application/pdf"
    assert first.headers["Cache-Control"] == "no-store"
    disposition = first.headers["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="feedback360-report-frontline-[\d-]+\.pdf"', disposition
    )
    with app.app_context():
        assert db.session.get(RoundReport, round_id).pdf == first.data

    def render_again(*args, **kwargs):
        raise AssertionError("a kept PDF must not be rendered again")

    monkeypatch.setattr(documents, "render_report_pdf", render_again)
    assert client.get(f"/reports/{round_id}.pdf").data == first.data


def test_a_reflection_is_saved_as_a_draft_and_goes_into_the_pdf_when_chosen(
    app, client, owner_round
):
    _, round_id = owner_round
    token = csrf_from(client.get(f"/reports/{round_id}/reflection").get_data(as_text=True))
    form = reflection_form(
        token,
        strengths="Listening well",
        statement="one two three",
        include_in_pdf="y",
        **{"priorities-2-what": "Speak up in meetings", "priorities-2-by_when": "June"},
    )
    response = client.post(f"/reports/{round_id}/reflection", data=form)
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Reflection, round_id)
        assert saved.strengths == "Listening well"
        assert [(p.position, p.what, p.by_when) for p in saved.priorities] == [
            (1, "Speak up in meetings", "June")
        ]
    page = client.get(f"/reports/{round_id}/reflection").get_data(as_text=True)
    assert "Speak up in meetings" in page and "3 words" in page
    pdf = client.get(f"/reports/{round_id}.pdf")
    from test_report_pdf import pdf_text

    assert "Speak up in meetings" in pdf_text(pdf.data)
    with app.app_context():
        assert db.session.get(RoundReport, round_id).pdf is None  # only the plain PDF is kept


def test_the_pdf_with_a_reflection_is_kept_until_the_reflection_changes(
    app, client, owner_round, monkeypatch
):
    _, round_id = owner_round

    def save(statement: str) -> None:
        token = csrf_from(client.get(f"/reports/{round_id}/reflection").get_data(as_text=True))
        form = reflection_form(token, statement=statement, include_in_pdf="y")
        assert client.post(f"/reports/{round_id}/reflection", data=form).status_code == 302

    from test_report_pdf import pdf_text

    save("Listening first, then deciding")
    first = client.get(f"/reports/{round_id}.pdf").data
    assert "Listening first, then deciding" in pdf_text(first)
    real_render = documents.render_report_pdf
    renders: list[object] = []

    def counting_render(report, reflection):
        renders.append(reflection)
        return real_render(report, reflection)

    monkeypatch.setattr(documents, "render_report_pdf", counting_render)
    assert client.get(f"/reports/{round_id}.pdf").data == first  # kept: not rendered again
    assert renders == []
    save("Asking the team before deciding")
    changed = client.get(f"/reports/{round_id}.pdf").data
    assert len(renders) == 1 and changed != first
    assert "Asking the team before deciding" in pdf_text(changed)
    assert "Listening first" not in pdf_text(changed)
    assert client.get(f"/reports/{round_id}.pdf").data == changed
    assert len(renders) == 1


def test_a_reflection_left_out_of_the_pdf_stays_private(app, client, owner_round):
    _, round_id = owner_round
    token = csrf_from(client.get(f"/reports/{round_id}/reflection").get_data(as_text=True))
    client.post(f"/reports/{round_id}/reflection", data=reflection_form(token, strengths="Private"))
    from feedback360.reports.reflection import shared_reflection

    with app.app_context():
        assert shared_reflection(round_id) is None


def test_a_bad_priority_comes_back_with_everything_typed(client, owner_round):
    _, round_id = owner_round
    token = csrf_from(client.get(f"/reports/{round_id}/reflection").get_data(as_text=True))
    form = reflection_form(token, statement="My long thoughts", **{"priorities-0-how": "Practice"})
    response = client.post(f"/reports/{round_id}/reflection", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say what you want to develop, or clear this priority." in html
    assert "My long thoughts" in html and "Practice" in html


def test_an_expired_form_keeps_what_was_typed(client, owner_round):
    _, round_id = owner_round
    token = csrf_from(client.get(f"/reports/{round_id}/reflection").get_data(as_text=True))
    with freeze_time(utcnow() + dt.timedelta(minutes=5), tick=True):
        response = client.post(
            f"/reports/{round_id}/reflection", data=reflection_form(token, statement="Typed slowly")
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Typed slowly" in html and "press “Save” again" in html


def create_link(client, round_id: int) -> str:
    token = csrf_from(client.get(f"/reports/{round_id}/share").get_data(as_text=True))
    response = client.post(f"/reports/{round_id}/share", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get(f"/reports/{round_id}/share").get_data(as_text=True)
    url = re.search(r'value="(http://feedback360\.test/reports/shared/[^"]+)"', page).group(1)
    # Shown once only.
    assert url not in client.get(f"/reports/{round_id}/share").get_data(as_text=True)
    return url.removeprefix("http://feedback360.test")


def test_a_share_link_shows_the_report_without_login_until_withdrawn(app, client, owner_round):
    _, round_id = owner_round
    path = create_link(client, round_id)
    manager = app.test_client()
    page = manager.get(path)
    assert page.status_code == 200
    assert "Morag Campbell shared this report with you" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert manager.get(path + ".pdf").mimetype == "application/pdf"
    with app.app_context():
        link_id = db.session.scalar(select(ShareLink.id))
    share_page = client.get(f"/reports/{round_id}/share").get_data(as_text=True)
    revoke = client.post(
        f"/reports/{round_id}/share/{link_id}/revoke", data={"csrf_token": csrf_from(share_page)}
    )
    assert revoke.status_code == 302
    gone = manager.get(path)
    assert gone.status_code == 410
    assert "withdrawn" in gone.get_data(as_text=True)


def test_a_share_link_expires(app, client, owner_round):
    _, round_id = owner_round
    path = create_link(client, round_id)
    with freeze_time(utcnow() + dt.timedelta(days=31)):
        response = app.test_client().get(path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)


def test_guessed_share_links_are_throttled(app, client, owner_round):
    _, round_id = owner_round
    path = create_link(client, round_id)
    guesser = app.test_client()
    for n in range(3):
        assert guesser.get(f"/reports/shared/guess{n}").status_code == 404
    assert guesser.get("/reports/shared/guess-again").status_code == 429
    assert guesser.get(path).status_code == 429  # even a real link, once limited
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 3


def test_another_workers_share_link_cannot_be_revoked(app, client, owner_round):
    _, round_id = owner_round
    create_link(client, round_id)
    with app.app_context():
        link_id = db.session.scalar(select(ShareLink.id))
    other = make_user(app, name="Other Worker")
    other_round = make_closed_round(app, other, colleagues={"peer": 4})
    login_as(client, other)
    token = csrf_from(client.get(f"/reports/{other_round}/share").get_data(as_text=True))
    response = client.post(
        f"/reports/{other_round}/share/{link_id}/revoke", data={"csrf_token": token}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ShareLink, link_id).revoked_at is None
