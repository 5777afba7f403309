"""The evidence page: what it holds and lacks, a warning before download, and who may see it."""

from __future__ import annotations

import re

import pytest
from builders import login_as, make_round, make_user
from builders_report import make_closed_round
from evidence_steps import save_reflection
from rater_steps import every_row
from sqlalchemy import text

from feedback360.extensions import db
from feedback360.privacy.export import export_user_data

NAMED = "I asked Fiona Reid for advice, and she wrote back from fiona.reid@care.example.org."


@pytest.fixture
def worker(app, client):
    user = make_user(app, name="Morag Campbell")
    login_as(client, user)
    return user


def page_of(client, round_id: int) -> str:
    response = client.get(f"/reports/{round_id}/evidence")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def links_for(round_id: int) -> list[str]:
    return [f"/reports/{round_id}/evidence.{ext}" for ext in ("txt", "md", "json")]


def download_links(page: str) -> list[str]:
    return re.findall(r'href="(/reports/\d+/evidence\.\w+)"', page)


def marks(page: str) -> list[str]:
    found = re.findall(r'<mark class="giveaway"[^>]*>(.*?)</mark>', page, re.DOTALL)
    return [re.sub(r'<span class="visually-hidden">.*?</span>', "", m) for m in found]


def test_a_name_and_an_email_address_are_warned_about_before_download(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id, statement=NAMED)
    page = page_of(client, round_id)
    assert "Before you download: 2 things to look at" in page
    assert marks(page) == ["Fiona Reid", "fiona.reid@care.example.org"]
    assert "Change your reflection" in page and page.count("Download anyway") == 3
    assert download_links(page) == links_for(round_id)
    # Downloading anyway is the worker's choice, and the link gives nothing away.
    assert client.get(download_links(page)[0]).status_code == 200


def test_plain_evidence_downloads_without_a_warning_by_the_same_links(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id)
    page = page_of(client, round_id)
    assert "Before you download" not in page and "Download anyway" not in page
    assert marks(page) == [] and "nothing stood out" in page
    assert download_links(page) == links_for(round_id)


def test_the_page_counts_the_worker_s_words_and_says_what_is_missing(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id, statement="I listen well.", strengths="", what="")
    page = page_of(client, round_id)
    words = 3 + 11  # the statement, and the areas for development the builder fills in
    assert f"<strong>{words} words</strong> of your own" in page
    assert f"{200 - words} more words to go" in page
    assert "Your strengths, across the six leadership capabilities." in page
    assert "A plan: at least one development priority." in page
    assert "A reflective statement" not in page and "The areas you want to develop" not in page


def test_complete_evidence_needs_nothing_more(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id)
    page = page_of(client, round_id)
    assert "It has everything Thing 11 asks for." in page and "still needs" not in page
    assert "Thing 4" in page and "Open Badge" in page and "does not award badges" in page


def test_without_a_reflection_there_is_nothing_to_download(app, client, worker):
    round_id = make_closed_round(app, worker)
    assert "You have not saved a reflection yet" in page_of(client, round_id)
    response = client.get(f"/reports/{round_id}/evidence.txt")
    assert response.status_code == 302
    assert response.location.endswith(f"/reports/{round_id}/evidence")


def test_another_worker_an_open_round_and_a_stranger_find_no_evidence(app, client, worker):
    other = make_user(app, email="bruce@example.org", name="Bruce Other")
    theirs = make_closed_round(app, other)
    save_reflection(app, theirs, statement="Words that are Bruce's alone.")
    for path in ("", ".txt", ".md", ".json"):
        response = client.get(f"/reports/{theirs}/evidence{path}")
        assert response.status_code == 404
        assert "Bruce's alone" not in response.get_data(as_text=True)
    open_round = make_round(app, worker, "manager")
    waiting = client.get(f"/reports/{open_round.id}/evidence")
    assert "Your report is not ready yet" in waiting.get_data(as_text=True)
    assert client.get(f"/reports/{open_round.id}/evidence.txt").status_code == 302
    stranger = app.test_client()
    assert stranger.get(f"/reports/{theirs}/evidence.json").status_code == 302  # to log in


def test_the_reflection_page_leads_to_the_evidence(app, client, worker):
    round_id = make_closed_round(app, worker)
    page = client.get(f"/reports/{round_id}/reflection").get_data(as_text=True)
    assert f'href="/reports/{round_id}/evidence"' in page


def test_drawing_the_warning_writes_no_row(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id, statement=NAMED)
    before = every_row(app)
    assert "Before you download" in page_of(client, round_id)
    client.get(f"/reports/{round_id}/evidence.json")
    assert every_row(app) == before


def test_the_data_export_holds_the_evidence_as_downloaded(app, client, worker):
    round_id = make_closed_round(app, worker)
    save_reflection(app, round_id)
    with app.app_context():
        from feedback360.auth.models import User

        rounds = export_user_data(db.session.get(User, worker.id))["rounds"]
    exported = next(r for r in rounds if r["id"] == round_id)["badge_evidence"]
    downloaded = client.get(f"/reports/{round_id}/evidence.txt").get_data(as_text=True)
    assert exported["text"] == downloaded
    assert exported["evidence_json"] == client.get(f"/reports/{round_id}/evidence.json").json


def test_reflections_from_before_the_evidence_id_each_get_their_own(app, worker):
    from flask_migrate import downgrade, upgrade

    first, second = make_closed_round(app, worker), make_closed_round(app, worker)
    with app.app_context():
        downgrade(revision="20261207_0007")
        for round_id in (first, second):
            db.session.execute(
                text(
                    "INSERT INTO reflection (round_id, strengths, development_areas, statement,"
                    " include_in_pdf, updated_at)"
                    " VALUES (:id, '', '', 'Mine', true, CURRENT_TIMESTAMP)"
                ),
                {"id": round_id},
            )
        db.session.commit()
        upgrade()
        ids = db.session.scalars(text("SELECT evidence_id FROM reflection")).all()
    assert len(set(ids)) == 2 and all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids)
