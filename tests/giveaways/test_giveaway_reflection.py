"""The worker checks their own reflection before downloading or sharing it."""

from __future__ import annotations

import re

import pytest
from builders import login_as, make_round, make_user
from builders_report import make_closed_round

from feedback360.extensions import db
from feedback360.reports.models import DevelopmentPriority, Reflection


@pytest.fixture
def worker(app, client):
    user = make_user(app, name="Morag Campbell")
    login_as(client, user)
    return user


def save_reflection(app, round_id: int, **parts: str) -> None:
    with app.app_context():
        reflection = Reflection(
            round_id=round_id,
            strengths=parts.get("strengths", ""),
            statement=parts.get("statement", ""),
        )
        reflection.priorities.append(
            DevelopmentPriority(
                position=1,
                what="Delegate more",
                how="",
                support=parts.get("support", ""),
                by_when="By the end of March",
                measure="",
            )
        )
        db.session.add(reflection)
        db.session.commit()


def marks(page: str) -> list[str]:
    found = re.findall(r'<mark class="giveaway"[^>]*>(.*?)</mark>', page, re.DOTALL)
    return [re.sub(r'<span class="visually-hidden">.*?</span>', "", m) for m in found]


def test_names_and_places_are_marked_and_the_worker_s_own_words_left_alone(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(
        app,
        round_id,
        strengths="My team says I listen. Morag Campbell, team leader.",
        support="Time with my manager in supervision",
        statement="Fiona told me in her feedback that I rush. At Rowan House I will slow down.",
    )
    response = client.get(f"/reports/{round_id}/reflection/check")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert marks(page) == ["Fiona", "At Rowan House"]
    assert "Badge evidence and shared reports should name no one else." in page
    assert "Priority 1: support I need" in page and "By the end of March" in page
    assert "2 things to look at" in page


def test_a_reflection_with_nothing_to_mark_says_so_kindly(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id, statement="I will ask for feedback after team meetings.")
    page = client.get(f"/reports/{round_id}/reflection/check").get_data(as_text=True)
    assert marks(page) == [] and "Nothing stood out" in page


def test_no_reflection_yet_and_an_open_round_have_nothing_to_check(app, client, worker):
    closed = make_closed_round(app, worker)
    page = client.get(f"/reports/{closed}/reflection/check").get_data(as_text=True)
    assert "You have not saved a reflection yet" in page
    open_round = make_round(app, worker, instrument_key="manager")
    response = client.get(f"/reports/{open_round.id}/reflection/check")
    assert response.status_code == 200 and "Back to this round" in response.get_data(as_text=True)


def test_another_worker_s_reflection_is_not_found(app, client, worker):
    other = make_user(app, email="bruce@example.org", name="Bruce Other")
    round_id = make_closed_round(app, other)
    save_reflection(app, round_id, statement="Fiona said so.")
    response = client.get(f"/reports/{round_id}/reflection/check")
    assert response.status_code == 404 and "Fiona" not in response.get_data(as_text=True)


def test_the_reflection_report_and_share_pages_lead_to_the_check(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id, statement="Something to share.")
    link = f"/reports/{round_id}/reflection/check"
    for path in ("/reflection", "", "/share"):
        assert link in client.get(f"/reports/{round_id}{path}").get_data(as_text=True), path
