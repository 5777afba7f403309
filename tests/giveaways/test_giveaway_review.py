"""The colleague's review page: comments checked in place, changed there, or sent as they are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from builders import make_invitation, make_round, make_user
from freezegun import freeze_time
from rater_steps import answer_every_page, csrf_from, instrument_for, submit
from sqlalchemy import select

from feedback360.extensions import db
from feedback360.surveys.forms import COMMENT_MAX, comment_field_name
from feedback360.surveys.models import Comment, RaterDraft, Relationship

GIVEAWAY = "As your manager I saw her calm the unit last Tuesday."
PLAIN = "She stays calm and keeps everyone going."


@pytest.fixture
def invited(app):
    """An open round with three invitations; the colleague answering is Ailsa Ross."""
    user = make_user(app, name="Morag Campbell")
    round_ = make_round(app, user)
    make_invitation(app, round_, Relationship.PEER, email="jamie@example.org", name="Jamie Kerr")
    make_invitation(app, round_, Relationship.PEER, email="lorna@example.org")
    invitation, token = make_invitation(
        app, round_, Relationship.PEER, email="ailsa@example.org", name="Ailsa Ross"
    )
    return round_, invitation, token


def answered(app, client, invited, comment: str) -> tuple[str, str]:
    """Every page answered, with `comment` in the first capability's box: (token, its key)."""
    round_, _, token = invited
    instrument = instrument_for(app, round_)
    key = instrument.capabilities[0].key
    answer_every_page(client, token, instrument, **{comment_field_name(key): comment})
    return token, key


def marks(page: str) -> list[str]:
    """The highlighted phrases, without the words only screen readers hear."""
    found = re.findall(r'<mark class="giveaway"[^>]*>(.*?)</mark>', page, re.DOTALL)
    return [re.sub(r'<span class="visually-hidden">.*?</span>', "", m) for m in found]


def draft_comments(app, invitation) -> dict[str, str]:
    with app.app_context():
        return db.session.get(RaterDraft, invitation.id).data["comments"]


def change(client, token: str, key: str, text: str, csrf: str | None = None):
    html = client.get(f"/r/{token}/review").get_data(as_text=True)
    form = {"csrf_token": csrf or csrf_from(html), "question": key, "comment": text}
    return client.post(f"/r/{token}/review", data=form)


def test_a_giveaway_is_highlighted_with_its_reason_and_a_suggestion(app, client, invited):
    token, key = answered(app, client, invited, GIVEAWAY)
    page = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert marks(page) == ["As your manager", "last Tuesday"]
    assert "This says what your role is." in page
    assert "This names a day. Could you describe what happened without when?" in page
    assert "Before you send: some words may show who you are" in page
    assert f'href="#comment-{key}"' in page  # the note links to the comment
    assert f'href="#gv-{key}-why-2"' in page and f'id="gv-{key}-why-2"' in page
    assert f'href="#gv-{key}-2"' in page and f'id="gv-{key}-2"' in page
    assert "Start of highlight 1: " in page and "(end of highlight 1)" in page
    assert "Send my feedback" in page  # nothing is blocked


def test_names_given_for_the_round_are_found_and_the_worker_s_name_is_left_alone(
    app, client, invited
):
    token, _ = answered(app, client, invited, "Morag helped Jamie and me. thanks, ailsa")
    page = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert marks(page) == ["Jamie", "ailsa"]
    assert "This looks like a person&#39;s name." in page


def test_a_plain_comment_is_shown_as_written_with_no_highlight(app, client, invited):
    token, _ = answered(app, client, invited, PLAIN)
    page = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert marks(page) == [] and PLAIN in page
    assert "nothing stood out" in page
    assert "some words may show who you are" not in page


def test_a_comment_is_escaped_whatever_it_holds(app, client, invited):
    token, _ = answered(app, client, invited, "<b>Fiona</b> & <script>x</script> on Monday")
    page = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert marks(page) == ["Fiona", "on Monday"]


def test_changing_a_comment_on_the_review_page_saves_it_and_checks_it_again(app, client, invited):
    _, invitation, _ = invited
    token, key = answered(app, client, invited, GIVEAWAY)
    before = draft_comments(app, invitation)
    response = change(client, token, key, PLAIN)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{token}/review#comment-{key}")
    assert draft_comments(app, invitation) == {**before, key: PLAIN}
    page = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert marks(page) == [] and PLAIN in page
    with app.app_context():
        scores = db.session.get(RaterDraft, invitation.id).data["scores"]
    assert scores  # the page's scores stay as they were


def test_emptying_the_box_takes_the_comment_out(app, client, invited):
    _, invitation, _ = invited
    token, key = answered(app, client, invited, GIVEAWAY)
    assert change(client, token, key, "   ").status_code == 302
    assert key not in draft_comments(app, invitation)


def test_an_unknown_comment_box_is_not_found_and_nothing_changes(app, client, invited):
    _, invitation, _ = invited
    token, _ = answered(app, client, invited, GIVEAWAY)
    before = draft_comments(app, invitation)
    assert change(client, token, "user_id", "Injected").status_code == 404
    assert draft_comments(app, invitation) == before


def test_a_comment_too_long_comes_back_as_typed(app, client, invited):
    _, invitation, _ = invited
    token, key = answered(app, client, invited, GIVEAWAY)
    typed = "Long " * (COMMENT_MAX // 5 + 1)
    response = change(client, token, key, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"Please keep this to {COMMENT_MAX:,} characters." in page
    assert typed.strip() in page and 'aria-invalid="true"' in page
    assert draft_comments(app, invitation)[key] == GIVEAWAY


def test_an_expired_form_token_keeps_what_was_typed_and_saves_on_the_next_press(
    app, client, invited
):
    _, invitation, _ = invited
    with freeze_time(dt.datetime.now(dt.UTC).replace(tzinfo=None)) as frozen:
        token, key = answered(app, client, invited, GIVEAWAY)
        html = client.get(f"/r/{token}/review").get_data(as_text=True)
        frozen.tick(dt.timedelta(hours=2))
        typed = "She calmed the unit when it was busy."
        response = change(client, token, key, typed, csrf=csrf_from(html))
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "open for a long time" in page and typed in page
        assert draft_comments(app, invitation)[key] == GIVEAWAY
        assert change(client, token, key, typed, csrf=csrf_from(page)).status_code == 302
        assert draft_comments(app, invitation)[key] == typed


def test_sending_as_it_is_stores_the_comment_unchanged(app, client, invited):
    token, _ = answered(app, client, invited, GIVEAWAY)
    assert submit(client, token).status_code == 302
    with app.app_context():
        texts = db.session.scalars(select(Comment.text)).all()
    assert GIVEAWAY in texts


def test_a_used_link_cannot_change_a_comment(app, client, invited):
    token, key = answered(app, client, invited, GIVEAWAY)
    html = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert submit(client, token).status_code == 302
    form = {"csrf_token": csrf_from(html), "question": key, "comment": PLAIN}
    assert client.post(f"/r/{token}/review", data=form).status_code == 410
