"""The self-assessment: one capability per page, saving, returning, and never losing answers."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import PASSWORD, login_as, make_round, make_user
from freezegun import freeze_time
from relogin_steps import log_in_from
from sqlalchemy import select
from worker_steps import csrf_from, instrument_for, page_answers, save_self_page, self_rows

from feedback360.auth.models import User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.surveys.forms import NOT_OBSERVED, comment_field_name, field_name
from feedback360.surveys.models import AnswerSet, Relationship, Round


@pytest.fixture
def app_config(app_config):
    # A short CSRF lifetime, so a test can outlive it by jumping a few minutes ahead.
    return {**app_config, "WTF_CSRF_TIME_LIMIT": 60}


@pytest.fixture
def worker(app, client):
    user = make_user(app)
    round_ = make_round(app, user, "frontline")
    login_as(client, user)
    return user, round_, instrument_for(app, round_.id)


def checked(html: str, item_key: str, value: str) -> bool:
    """Whether the page shows this radio button as chosen."""
    marker = f'name="{field_name(item_key)}" value="{value}"'
    start = html.index(marker) + len(marker)
    return html[start : html.index(">", start)].strip() == "checked"


def test_save_and_continue_stores_the_page_and_moves_on(app, client, worker):
    _, round_, instrument = worker
    answers = page_answers(instrument, 1)
    response = save_self_page(client, round_.id, 1, answers)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{round_.id}/self/2"
    scores, comments = self_rows(app, round_.id)
    capability = instrument.capabilities[0]
    first, *rest = capability.items
    assert scores[first.key] is None  # "not observed" is stored as no score
    assert all(scores[item.key] == 4 for item in rest)
    assert set(scores) == {item.key for item in capability.items}
    assert comments == {capability.key: f"About my {capability.name}"}


def test_each_page_shows_one_capability_with_progress_and_real_radio_groups(client, worker):
    _, round_, instrument = worker
    html = client.get(f"/rounds/{round_.id}/self/2").get_data(as_text=True)
    capability = instrument.capabilities[1]
    assert f"<h1>{capability.name}</h1>" in html
    assert html.count("<h1>") == 1
    assert f"step 2 of {len(instrument.capabilities) + 1}" in html
    assert html.count("<fieldset") == len(capability.items)
    assert html.count(f'value="{NOT_OBSERVED}"') == len(capability.items)
    assert f'name="{comment_field_name(capability.key)}"' in html
    # Statements are numbered across the whole questionnaire.
    assert f"<legend>{len(instrument.capabilities[0].items) + 1}. " in html
    assert instrument.capabilities[0].items[0].self_text not in html


def test_a_missing_answer_is_named_and_the_other_answers_stay(app, client, worker):
    _, round_, instrument = worker
    answers = page_answers(instrument, 1)
    missing = instrument.capabilities[0].items[1].key
    del answers[field_name(missing)]
    response = save_self_page(client, round_.id, 1, answers)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose an answer for this statement" in html
    assert f'href="#{field_name(missing)}"' in html
    assert checked(html, instrument.capabilities[0].items[2].key, "4")
    assert f"About my {instrument.capabilities[0].name}" in html
    assert self_rows(app, round_.id) == ({}, {})


def test_save_for_later_keeps_a_half_done_page(app, client, worker):
    _, round_, instrument = worker
    capability = instrument.capabilities[0]
    half = {field_name(capability.items[0].key): "2", comment_field_name(capability.key): "Hm"}
    response = save_self_page(client, round_.id, 1, half, action="later")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{round_.id}"
    assert self_rows(app, round_.id) == ({capability.items[0].key: 2}, {capability.key: "Hm"})
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Your answers are saved" in page
    assert f"You have answered 1 of {len(instrument.items)} statements" in page


def test_returning_to_a_page_shows_the_saved_answers(client, worker):
    _, round_, instrument = worker
    save_self_page(client, round_.id, 1, page_answers(instrument, 1, score="5"))
    html = client.get(f"/rounds/{round_.id}/self/1").get_data(as_text=True)
    first, second, *_ = instrument.capabilities[0].items
    assert checked(html, first.key, NOT_OBSERVED)
    assert checked(html, second.key, "5")
    assert not checked(html, second.key, "4")
    assert f"About my {instrument.capabilities[0].name}</textarea>" in html


def test_saving_a_page_again_replaces_only_that_page(app, client, worker):
    _, round_, instrument = worker
    save_self_page(client, round_.id, 1, page_answers(instrument, 1))
    save_self_page(client, round_.id, 2, page_answers(instrument, 2))
    changed = page_answers(instrument, 1, score="2")
    changed[comment_field_name(instrument.capabilities[0].key)] = ""
    save_self_page(client, round_.id, 1, changed)
    scores, comments = self_rows(app, round_.id)
    assert scores[instrument.capabilities[0].items[1].key] == 2
    assert scores[instrument.capabilities[1].items[1].key] == 4
    assert set(comments) == {instrument.capabilities[1].key}


def test_the_back_button_saves_what_is_there_and_goes_back(app, client, worker):
    _, round_, instrument = worker
    capability = instrument.capabilities[1]
    partial = {field_name(capability.items[0].key): "3"}
    response = save_self_page(client, round_.id, 2, partial, action="back")
    assert response.headers["Location"] == f"/rounds/{round_.id}/self/1"
    assert self_rows(app, round_.id)[0] == {capability.items[0].key: 3}


def test_finishing_every_page_completes_the_self_assessment(app, client, worker):
    _, round_, instrument = worker
    for page in range(1, len(instrument.capabilities) + 2):
        response = save_self_page(client, round_.id, page, page_answers(instrument, page))
        assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == f"/rounds/{round_.id}"
    scores, comments = self_rows(app, round_.id)
    assert set(scores) == {item.key for item in instrument.items}
    assert {q.key for q in instrument.questions} <= set(comments)
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "your self-assessment is complete" in page
    assert "Invite colleagues" in page


def test_an_unknown_page_is_not_found(client, worker):
    _, round_, instrument = worker
    assert client.get(f"/rounds/{round_.id}/self/0").status_code == 404
    assert (
        client.get(f"/rounds/{round_.id}/self/{len(instrument.capabilities) + 2}").status_code
        == 404
    )


def test_extra_fields_are_ignored(app, client, worker):
    _, round_, instrument = worker
    other = make_round(app, make_user(app), "frontline")
    extra = {
        "user_id": "999",
        "round_id": str(other.id),
        "relationship": "line_manager",
        field_name("not_an_item"): "5",
        comment_field_name("not_a_question"): "sneaky",
    }
    save_self_page(client, round_.id, 1, {**page_answers(instrument, 1), **extra})
    scores, comments = self_rows(app, round_.id)
    assert "not_an_item" not in scores and "not_a_question" not in comments
    assert self_rows(app, other.id) == ({}, {})
    with app.app_context():
        relationships = db.session.scalars(select(AnswerSet.relationship)).all()
    assert relationships == [Relationship.SELF]


def test_a_closed_round_cannot_be_edited(app, client, worker):
    _, round_, instrument = worker
    html = client.get(f"/rounds/{round_.id}/self/1").get_data(as_text=True)
    with app.app_context():
        db.session.get(Round, round_.id).close()
        db.session.commit()
    response = client.get(f"/rounds/{round_.id}/self/1")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{round_.id}"
    form = {"csrf_token": csrf_from(html), "action": "continue", **page_answers(instrument, 1)}
    response = client.post(f"/rounds/{round_.id}/self/1", data=form, follow_redirects=True)
    assert "can no longer be changed" in response.get_data(as_text=True)
    assert self_rows(app, round_.id) == ({}, {})


def test_an_expired_csrf_token_keeps_every_answer(app, client, worker):
    _, round_, instrument = worker
    html = client.get(f"/rounds/{round_.id}/self/1").get_data(as_text=True)
    old_token = csrf_from(html)
    answers = page_answers(instrument, 1, score="5")
    with freeze_time(utcnow() + dt.timedelta(minutes=5), tick=True):
        response = client.post(
            f"/rounds/{round_.id}/self/1",
            data={"csrf_token": old_token, "action": "continue", **answers},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "This page was open for a long time" in html
        assert self_rows(app, round_.id) == ({}, {})
        for item in instrument.capabilities[0].items[1:]:
            assert checked(html, item.key, "5")
        assert f"About my {instrument.capabilities[0].name}</textarea>" in html
        fresh = csrf_from(html)
        assert fresh != old_token
        # Pressing the button again on the page that came back saves everything.
        again = client.post(
            f"/rounds/{round_.id}/self/1",
            data={"csrf_token": fresh, "action": "continue", **answers},
        )
    assert again.status_code == 302
    assert len(self_rows(app, round_.id)[0]) == len(instrument.capabilities[0].items)


def _post_page_after(client, round_id: int, html: str, answers: dict, when: dt.datetime):
    with freeze_time(when, tick=True):
        return client.post(
            f"/rounds/{round_id}/self/1",
            data={"csrf_token": csrf_from(html), "action": "continue", **answers},
        )


@pytest.mark.parametrize("how", ["logged out elsewhere", "idle too long"])
def test_an_expired_session_keeps_the_answers_through_logging_in_again(app, client, worker, how):
    user, round_, instrument = worker
    html = client.get(f"/rounds/{round_.id}/self/1").get_data(as_text=True)
    answers = page_answers(instrument, 1, score="3")
    answers[comment_field_name(instrument.capabilities[0].key)] = 'It\'s "hard" <b>to</b> say'
    later = utcnow() + dt.timedelta(seconds=5)
    if how == "logged out elsewhere":
        with app.app_context():
            db.session.get(User, user.id).session_version += 1
            db.session.commit()
    else:
        later = utcnow() + dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 5)
    response = _post_page_after(client, round_.id, html, answers, later)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Log in again to save your answers" in page
    assert self_rows(app, round_.id) == ({}, {})
    assert "It&#39;s &#34;hard&#34; &lt;b&gt;to&lt;/b&gt; say" in page
    with freeze_time(later + dt.timedelta(seconds=30), tick=True):
        wrong = log_in_from(
            client, f"/rounds/{round_.id}/self/1", page, user.email, "not my password"
        )
        assert wrong.status_code == 400
        wrong_page = wrong.get_data(as_text=True)
        assert "do not match" in wrong_page
        response = log_in_from(
            client, f"/rounds/{round_.id}/self/1", wrong_page, user.email, PASSWORD
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.headers["Location"] == f"/rounds/{round_.id}/self/2"
        assert client.get(f"/rounds/{round_.id}/self/2").status_code == 200  # logged in again
    scores, comments = self_rows(app, round_.id)
    assert len(scores) == len(instrument.capabilities[0].items)
    assert comments[instrument.capabilities[0].key] == 'It\'s "hard" <b>to</b> say'


def test_logging_in_again_as_someone_else_saves_nothing(app, client, worker):
    user, round_, instrument = worker
    stranger = make_user(app)
    html = client.get(f"/rounds/{round_.id}/self/1").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, user.id).session_version += 1
        db.session.commit()
    page = _post_page_after(
        client, round_.id, html, page_answers(instrument, 1), utcnow()
    ).get_data(as_text=True)
    response = log_in_from(client, f"/rounds/{round_.id}/self/1", page, stranger.email, PASSWORD)
    assert response.status_code == 404
    assert self_rows(app, round_.id) == ({}, {})
