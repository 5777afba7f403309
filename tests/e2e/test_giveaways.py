"""Issue 20 in a real browser: a colleague is shown where a comment may give them away, changes
it on the review page (with JavaScript off: the page is server-rendered) and sends; the worker
checks their reflection. Every page passes axe and the 320 px check; the keyboard reaches each
highlight and its reason."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from builders import PASSWORD, make_invitation, make_round, make_user
from playwright.sync_api import expect

from feedback360 import create_app
from feedback360.extensions import db
from feedback360.reports.models import Reflection
from feedback360.surveys.models import Relationship

from .conftest import shared
from .journey_steps import answer_page
from .keyboard_steps import tab_to
from .page_checks import PHONE, PageChecker
from .rater_steps import REVIEW_HEADING, SENT_HEADING

# A closed round with its report comes from the report tests' builder.
REPORTS = Path(__file__).resolve().parents[1] / "reports"
if str(REPORTS) not in sys.path:
    sys.path.insert(0, str(REPORTS))
from builders_report import make_closed_round  # noqa: E402

pytestmark = pytest.mark.browser

GIVEAWAY = "As your manager I saw how calm she was on the night shift last Tuesday."
CHANGED = "She stays calm when the unit is busy and everyone notices."
VALUES = ["4", "3", "5", "na", "4"]


@pytest.fixture
def rows(app_server, e2e_database_url):
    """The app on the browser tests' database, to write rows straight in for the server."""
    app = create_app(shared.base_config(e2e_database_url))
    yield app
    with app.app_context():
        db.engine.dispose()


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def press(page, name: str) -> None:
    """A button by its name, or else a link (the header's "Log in" link is not the button)."""
    target = page.get_by_role("button", name=name, exact=True)
    if target.count() == 0:
        target = page.get_by_role("link", name=name, exact=True)
    with page.expect_navigation():
        target.first.click()


def answer_everything(page, comment: str) -> None:
    """From the intro to the review page; `comment` in the first comment box only."""
    press(page, "Start")
    first = True
    while heading(page) != REVIEW_HEADING:
        if page.locator("fieldset.item").count():
            answer_page(page, VALUES, comment if first else None)
            first = False
        last = page.get_by_role("button", name="Check your answers", exact=True).count()
        press(page, "Check your answers" if last else "Continue")


def test_a_colleague_sees_a_warning_changes_the_comment_and_sends(
    rows, app_server, new_context, checker: PageChecker
):
    round_ = make_round(rows, make_user(rows, email="giveaway.worker@care.example.org"))
    _, token = make_invitation(rows, round_, Relationship.LINE_MANAGER, name="Ailsa Ross")
    review = f"/r/{token}/review"

    page = new_context().new_page()
    page.goto(f"/r/{token}")
    answer_everything(page, GIVEAWAY)
    marks = page.locator("mark.giveaway")
    expect(marks).to_have_count(3)
    assert "Before you send: some words may show who you are" in page.inner_text("main")
    reasons = page.locator(".giveaways__list li")
    expect(reasons.nth(1)).to_contain_text("This names a shift")
    expect(reasons.nth(2)).to_contain_text(
        "This names a day. Could you describe what happened without when?"
    )
    # Screen readers hear where a highlight starts and ends; colour is never the only sign.
    assert "Start of highlight 3: last Tuesday (end of highlight 3)" in marks.nth(2).text_content()
    checker.check(page)

    # The keyboard reaches the reason for a highlight, and Enter takes it to the highlight.
    tab_to(page, "e.closest('.giveaways__list') && e.tagName === 'A'", "the first reason's link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MARK"

    # Without JavaScript: change the comment on the review page, then send.
    plain = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    plain.goto(review)
    box = plain.locator("details.change-comment[open] textarea")
    expect(box).to_have_value(GIVEAWAY)
    box.fill(CHANGED)
    press(plain, "Save and check again")
    assert heading(plain) == REVIEW_HEADING
    expect(plain.locator("mark.giveaway")).to_have_count(0)
    assert CHANGED in plain.inner_text("main")
    assert "nothing stood out" in plain.inner_text("main")
    checked = new_context().new_page()  # axe needs JavaScript: the same page, checked again
    checked.goto(review)
    checker.check(checked, again=True)
    press(plain, "Send my feedback")
    assert heading(plain) == SENT_HEADING

    log = app_server.web.log_path.read_text()
    for words in ("night shift", "last Tuesday", "calm when the unit"):
        assert words not in log, f"{words!r} reached the server log"
    assert not checker.problems, "\n" + checker.report()


def test_the_worker_checks_their_reflection_before_sharing(rows, new_context, checker: PageChecker):
    user = make_user(rows, email="reflecting.worker@care.example.org", name="Morag Campbell")
    round_id = make_closed_round(rows, user)
    with rows.app_context():
        statement = "Fiona told me I rush. At Rowan House I will slow down and listen."
        db.session.add(Reflection(round_id=round_id, statement=statement))
        db.session.commit()

    page = new_context().new_page()
    page.goto("/account/login")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Log in")
    page.goto(f"/reports/{round_id}/reflection")
    press(page, "check your saved reflection for names and details")
    assert heading(page) == "Check your reflection before you share it"
    expect(page.locator("mark.giveaway")).to_have_count(2)
    assert "should name no one else" in page.inner_text("main")
    checker.check(page)
    assert not checker.problems, "\n" + checker.report()
