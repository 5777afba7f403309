"""A colleague's journey through an emailed link: intro, pages, review, send, or decline."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import make_invitation, make_round, make_user
from freezegun import freeze_time
from rater_steps import (
    answer_every_page,
    answer_page,
    csrf_from,
    every_row,
    instrument_for,
    page_answers,
    shown_answers,
    submit,
)
from sqlalchemy import func, select

from feedback360.auth.models import RateLimitHit
from feedback360.extensions import db
from feedback360.surveys.forms import NOT_OBSERVED, comment_field_name, field_name
from feedback360.surveys.models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationStatus,
    RaterDraft,
    Relationship,
)


@pytest.fixture
def invited(app):
    """A worker's open round and one peer's invitation: (round, invitation, token)."""
    user = make_user(app, name="Morag Campbell")
    round_ = make_round(app, user)
    invitation, token = make_invitation(app, round_, Relationship.PEER, email="ali@example.org")
    return round_, invitation, token


def draft_of(app, invitation) -> dict | None:
    with app.app_context():
        row = db.session.get(RaterDraft, invitation.id)
        return None if row is None else row.data


def status_of(app, invitation) -> InvitationStatus:
    with app.app_context():
        return db.session.get(Invitation, invitation.id).status


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# The intro ------------------------------------------------------------------------------------


def test_intro_says_who_asked_which_instrument_how_long_and_how_anonymity_works(
    app, client, invited
):
    round_, _, token = invited
    instrument = instrument_for(app, round_)
    response = client.get(f"/r/{token}")
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 200
    assert "Morag Campbell would like your feedback" in page
    assert instrument.title.lower() in page
    assert "It takes about 10 minutes" in page
    assert "without your name, your email address or the link you used" in page
    assert "at least three people" in page
    assert f"/r/{token}/page/1" in page
    assert f"/r/{token}/decline" in page
    deadline = round_.deadline_at
    assert f"closes on <strong>{deadline:%A} {deadline.day} {deadline:%B %Y}</strong>" in page
    assert "line manager" not in page.lower()


def test_intro_tells_a_line_manager_that_their_answers_are_shown_as_theirs(app, client, invited):
    round_, _, _ = invited
    _, token = make_invitation(app, round_, Relationship.LINE_MANAGER)
    page = " ".join(client.get(f"/r/{token}").get_data(as_text=True).split())
    assert "Because you are Morag&rsquo;s line manager" in page
    assert "will be able to see your scores as yours" in page


# Opening changes nothing ----------------------------------------------------------------------


def test_get_and_head_five_times_change_nothing_then_submit_succeeds(app, client, invited):
    round_, invitation, token = invited
    before = every_row(app)
    paths = ["", "/page/1", "/page/7", "/review", "/decline", "/saved", "/thanks"]
    for _ in range(5):
        for path in paths:
            assert client.get(f"/r/{token}{path}").status_code in (200, 302)
            assert client.head(f"/r/{token}{path}").status_code in (200, 302)
    assert every_row(app) == before

    instrument = instrument_for(app, round_)
    answer_every_page(client, token, instrument)
    response = submit(client, token)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{token}/thanks")
    assert count(app, AnswerSet) == 1


# Sending --------------------------------------------------------------------------------------


def test_submit_stores_one_anonymous_answer_set_and_ignores_extra_fields(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    extra = {"relationship": "line_manager", "round_id": "999", "user_id": "1", "id": "x" * 32}
    answer_every_page(client, token, instrument, **extra)
    assert submit(client, token, submitted_on="2001-01-01", **extra).status_code == 302

    with app.app_context():
        answer_set = db.session.scalars(select(AnswerSet)).one()
        assert answer_set.relationship is Relationship.PEER
        assert answer_set.round_id == round_.id
        assert answer_set.id != "x" * 32
        assert type(answer_set.submitted_on) is dt.date
        scores = {a.item_key: a.score for a in db.session.scalars(select(Answer))}
        comments = {c.question_key: c.text for c in db.session.scalars(select(Comment))}
        stored = db.session.get(Invitation, invitation.id)
        assert stored.status is InvitationStatus.SUBMITTED
        assert (stored.email, stored.token_hash) == (invitation.email, invitation.token_hash)
    assert set(scores) == {item.key for item in instrument.items}
    for capability in instrument.capabilities:
        assert scores[capability.items[0].key] is None  # "not observed" is kept as no score
        assert all(scores[item.key] == 4 for item in capability.items[1:])
        assert comments[capability.key] == f"A comment on {capability.name}"
    for question in instrument.questions:
        assert comments[question.key] == f"Overall answer to {question.key}"
    assert draft_of(app, invitation) is None
    assert count(app, RateLimitHit) == 0


def test_thank_you_page_says_what_happens_next_and_a_second_submit_is_refused(app, client, invited):
    round_, _, token = invited
    answer_every_page(client, token, instrument_for(app, round_))
    html = client.get(f"/r/{token}/review").get_data(as_text=True)
    first = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_from(html)})
    thanks = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Thank you for your feedback" in thanks
    assert "What happens next" in thanks

    again = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_from(html)})
    assert again.status_code == 410
    assert "You have already sent your feedback" in again.get_data(as_text=True)
    assert count(app, AnswerSet) == 1


def test_submit_with_statements_unanswered_is_refused_and_keeps_the_draft(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    answer_page(client, token, instrument, 1)
    review = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert "Send my feedback" not in review  # no button; the server refuses a hand-made post too
    html = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    response = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_from(html)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    missing = len(instrument.items) - len(instrument.capabilities[0].items)
    assert f"{missing} statements still need an answer" in page
    assert "Send my feedback" not in page
    assert status_of(app, invitation) is InvitationStatus.PENDING
    assert count(app, AnswerSet) == 0
    assert draft_of(app, invitation) is not None


def test_review_lists_each_page_with_counts_and_comments_and_links_back(app, client, invited):
    round_, _, token = invited
    instrument = instrument_for(app, round_)
    answer_every_page(client, token, instrument)
    page = client.get(f"/r/{token}/review").get_data(as_text=True)
    first = instrument.capabilities[0]
    assert f"{len(first.items) - 1} answered, 1 not observed" in page
    assert f"A comment on {first.name}" in page
    for question in instrument.questions:
        assert question.colleague_text in page
        assert f"Overall answer to {question.key}" in page
    for number in range(1, len(instrument.capabilities) + 2):
        assert f"/r/{token}/page/{number}" in page
    assert "Send my feedback" in page


# Pages and the draft --------------------------------------------------------------------------


def test_each_page_asks_one_capability_in_colleague_wording(app, client, invited):
    round_, _, token = invited
    instrument = instrument_for(app, round_)
    capability = instrument.capabilities[1]
    page = client.get(f"/r/{token}/page/2").get_data(as_text=True)
    assert page.count("<h1>") == 1 and f"<h1>{capability.name}</h1>" in page
    for item in capability.items:
        assert item.colleague_text in page
        assert item.self_text not in page
    assert instrument.capabilities[0].items[0].colleague_text not in page
    assert page.count("<fieldset") == page.count("<legend>") == len(capability.items)
    for item in capability.items:
        assert f'name="{field_name(item.key)}" value="{NOT_OBSERVED}"' in page
    assert page.count("<span>Not observed / don&#39;t know</span>") == len(capability.items)
    assert f'for="{comment_field_name(capability.key)}"' in page
    assert "step 2 of" in page


def test_continue_needs_every_statement_and_keeps_what_was_chosen(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    items = instrument.capabilities[0].items
    html = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    form = {"csrf_token": csrf_from(html), "action": "next", field_name(items[0].key): "2"}
    response = client.post(f"/r/{token}/page/1", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose an answer for this statement" in page
    assert page.count('class="error-message"') == len(items) - 1
    assert shown_answers(page) == {field_name(items[0].key): "2"}
    assert draft_of(app, invitation) is None


def test_save_and_come_back_through_the_same_link(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    answer_page(client, token, instrument, 1)
    items = instrument.capabilities[1].items
    html = client.get(f"/r/{token}/page/2").get_data(as_text=True)
    partial = {"csrf_token": csrf_from(html), "action": "save", field_name(items[0].key): "5"}
    response = client.post(f"/r/{token}/page/2", data=partial)
    assert response.status_code == 302
    saved = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answers are saved" in saved and "link in your email" in saved
    assert draft_of(app, invitation)["scores"][items[0].key] == 5

    # Days later, on another device: nothing but the link.
    other_device = app.test_client()
    intro = other_device.get(f"/r/{token}").get_data(as_text=True)
    assert "Continue where you left off" in intro
    assert f"/r/{token}/page/2" in intro
    page_one = other_device.get(f"/r/{token}/page/1").get_data(as_text=True)
    assert shown_answers(page_one) == page_answers(instrument, 1)
    page_two = other_device.get(f"/r/{token}/page/2").get_data(as_text=True)
    assert shown_answers(page_two) == {field_name(items[0].key): "5"}


def test_back_saves_the_page_and_goes_to_the_one_before(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    html = client.get(f"/r/{token}/page/3").get_data(as_text=True)
    form = {"csrf_token": csrf_from(html), "action": "back", **page_answers(instrument, 3)}
    response = client.post(f"/r/{token}/page/3", data=form)
    assert response.headers["Location"].endswith(f"/r/{token}/page/2")
    saved = draft_of(app, invitation)
    assert {item.key for item in instrument.capabilities[2].items} <= set(saved["scores"])


def test_changing_a_page_replaces_its_answers_in_the_draft(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    answer_page(client, token, instrument, 1)
    capability = instrument.capabilities[0]
    changed = {field_name(item.key): "1" for item in capability.items}
    html = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    client.post(f"/r/{token}/page/1", data={"csrf_token": csrf_from(html), **changed})
    draft = draft_of(app, invitation)
    assert all(draft["scores"][item.key] == 1 for item in capability.items)
    assert capability.key not in draft["comments"]  # the emptied comment box is emptied here too


def test_an_expired_form_token_keeps_every_answer_on_screen(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    with freeze_time(dt.datetime.now(dt.UTC).replace(tzinfo=None)) as frozen:
        html = client.get(f"/r/{token}/page/1").get_data(as_text=True)
        answers = page_answers(instrument, 1)
        frozen.tick(dt.timedelta(hours=2))
        response = client.post(
            f"/r/{token}/page/1", data={"csrf_token": csrf_from(html), "action": "next", **answers}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "open for a long time" in page
        assert shown_answers(page) == answers
        assert csrf_from(page) != csrf_from(html)
        assert draft_of(app, invitation) is None

        again = client.post(
            f"/r/{token}/page/1", data={"csrf_token": csrf_from(page), "action": "next", **answers}
        )
        assert again.status_code == 302
        assert draft_of(app, invitation) is not None


def test_a_lost_session_is_treated_like_an_expired_token(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    html = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    fresh_browser = app.test_client()  # no cookie: the session the token belonged to is gone
    answers = {"csrf_token": csrf_from(html), "action": "next", **page_answers(instrument, 1)}
    response = fresh_browser.post(f"/r/{token}/page/1", data=answers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "open for a long time" in page
    assert shown_answers(page) == page_answers(instrument, 1)
    assert draft_of(app, invitation) is None
    again = {**answers, "csrf_token": csrf_from(page)}
    assert fresh_browser.post(f"/r/{token}/page/1", data=again).status_code == 302
    assert draft_of(app, invitation) is not None


def test_pages_outside_the_questionnaire_are_not_found(app, client, invited):
    _, _, token = invited
    assert client.get(f"/r/{token}/page/0").status_code == 404
    assert client.get(f"/r/{token}/page/8").status_code == 404


# Declining ------------------------------------------------------------------------------------


def test_decline_counts_as_answered_deletes_the_draft_and_stores_nothing_else(app, client, invited):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    answer_page(client, token, instrument, 1, comment_vision="I was going to say something")
    assert draft_of(app, invitation) is not None
    before = every_row(app)

    confirm = client.get(f"/r/{token}/decline").get_data(as_text=True)
    assert "Would you rather not give feedback?" in confirm
    response = client.post(f"/r/{token}/decline", data={"csrf_token": csrf_from(confirm)})
    assert response.headers["Location"].endswith(f"/r/{token}/thanks")
    assert "Thank you for letting us know" in client.get(f"/r/{token}/thanks").get_data(
        as_text=True
    )

    after = every_row(app)
    assert after["rater_draft"] == []
    assert after["answer_set"] == after["answer"] == after["comment"] == []
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"invitation", "rater_draft", "invitation_use"}
    assert after["invitation_use"] == [(invitation.id,)]  # that it was used, and nothing more
    assert status_of(app, invitation) is InvitationStatus.DECLINED


def test_a_declined_link_cannot_then_submit(app, client, invited):
    round_, _, token = invited
    instrument = instrument_for(app, round_)
    answer_every_page(client, token, instrument)
    html = client.get(f"/r/{token}/review").get_data(as_text=True)
    confirm = client.get(f"/r/{token}/decline").get_data(as_text=True)
    client.post(f"/r/{token}/decline", data={"csrf_token": csrf_from(confirm)})
    response = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 410
    assert "You chose not to give feedback" in response.get_data(as_text=True)
    assert count(app, AnswerSet) == 0


@pytest.mark.parametrize("step", ["submit", "decline"])
def test_an_expired_token_on_send_or_decline_asks_again_and_loses_nothing(
    app, client, invited, step
):
    round_, invitation, token = invited
    instrument = instrument_for(app, round_)
    with freeze_time(dt.datetime.now(dt.UTC).replace(tzinfo=None)) as frozen:
        answer_every_page(client, token, instrument)
        page_path = "/review" if step == "submit" else "/decline"
        html = client.get(f"/r/{token}{page_path}").get_data(as_text=True)
        frozen.tick(dt.timedelta(hours=2))
        response = client.post(f"/r/{token}/{step}", data={"csrf_token": csrf_from(html)})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "open for a long time" in page
        assert status_of(app, invitation) is InvitationStatus.PENDING
        assert draft_of(app, invitation) is not None

        again = client.post(f"/r/{token}/{step}", data={"csrf_token": csrf_from(page)})
        assert again.status_code == 302
        outcome = {"submit": InvitationStatus.SUBMITTED, "decline": InvitationStatus.DECLINED}
        assert status_of(app, invitation) is outcome[step]
