"""Issue 19's badge evidence in a real browser: the worker is warned that their reflection names
someone, downloads the evidence anyway, and the page passes axe and the 320 px check."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from builders import PASSWORD, make_user
from playwright.sync_api import expect

from feedback360 import create_app
from feedback360.extensions import db
from feedback360.reports.models import Reflection

from .conftest import shared
from .page_checks import NARROW, PageChecker, screenshots_wanted

REPORTS = Path(__file__).resolve().parents[1] / "reports"
if str(REPORTS) not in sys.path:
    sys.path.insert(0, str(REPORTS))
from builders_report import make_closed_round  # noqa: E402

pytestmark = pytest.mark.browser

STATEMENT = (
    "I asked Fiona Reid how my feedback sounded to her; write to fiona.reid@care.example.org."
    " I learned that I listen well and that I should share where we are going more often."
)
EVIDENCE_LINK = "Download your saved reflection as badge evidence"
COLLEAGUE = "Always makes time to listen when the rota falls apart."


@pytest.fixture
def rows(app_server, e2e_database_url):
    app = create_app(shared.base_config(e2e_database_url))
    yield app
    with app.app_context():
        db.engine.dispose()


def log_in(page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in", exact=True).click()


def test_the_worker_is_warned_then_downloads_their_evidence_anyway(
    rows, new_context, checker: PageChecker, tmp_path
):
    user = make_user(rows, email="badge.worker@care.example.org", name="Morag Campbell")
    round_id = make_closed_round(rows, user, comment=COLLEAGUE)
    with rows.app_context():
        db.session.add(Reflection(round_id=round_id, statement=STATEMENT, strengths="Listening."))
        db.session.commit()

    for viewport in (None, NARROW):
        page = new_context(viewport=viewport).new_page()
        log_in(page, user.email)
        page.goto(f"/reports/{round_id}/reflection")
        with page.expect_navigation():
            page.get_by_role("link", name=EVIDENCE_LINK).click()
        assert page.locator("h1").inner_text() == "Your evidence for an Open Badge"
        warning = page.locator("#before-you-download")
        expect(warning).to_contain_text("2 things to look at")
        expect(warning.locator("mark.giveaway")).to_have_count(2)
        expect(page.locator("main")).to_contain_text("more words to go")
        checker.check(page, again=viewport is not None)
        if viewport is None and screenshots_wanted():
            checker.take_screenshots(page, "evidence-warning", "#before-you-download")

    with page.expect_download() as text_download:
        page.get_by_role("link", name="Download anyway: plain text").click()
    saved = tmp_path / "evidence.txt"
    text_download.value.save_as(saved)
    assert text_download.value.suggested_filename == "evidence.txt"
    words = saved.read_text(encoding="utf-8")
    assert STATEMENT in words and COLLEAGUE not in words

    with page.expect_download() as json_download:
        page.get_by_role("link", name="Download anyway: Open Badges file").click()
    json_download.value.save_as(tmp_path / "evidence.json")
    evidence = json.loads((tmp_path / "evidence.json").read_text(encoding="utf-8"))
    assert evidence["type"] == ["Evidence"] and evidence["id"].startswith("urn:uuid:")
    assert not checker.problems, "\n" + checker.report()
