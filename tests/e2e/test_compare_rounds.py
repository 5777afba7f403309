"""Compare two rounds in a real browser: from the round page to the comparison, axe clean at
desktop width and at 320 px, with screenshots of both (SCREENSHOTS=1)."""

from __future__ import annotations

import pytest

from feedback360.extensions import db

from .journey_steps import Person
from .page_checks import NARROW, SCREENSHOT_DIR, screenshots_wanted
from .programme_steps import PASSWORD, account, add_answer_set, seed_app

MIX = {"line_manager": 1, "peer": 4, "direct_report": 3, "other": 2}


def closed_round(app, user, lift: int) -> int:
    """A frontline round whose colleagues' scores vary by person and item; `lift` raises
    some items by a point, as a year's development might."""
    from builders import make_round
    from builders_report import close_and_freeze

    round_ = make_round(app, user)
    items = [i["key"] for c in round_.instrument_snapshot["capabilities"] for i in c["items"]]
    add_answer_set(app, round_.id, "self", {k: 3 for k in items})
    person = 0
    for relationship, count in MIX.items():
        for _ in range(count):
            person += 1
            scores = {
                k: 2 + (person + n) % 3 + (lift if n % 3 == 0 else 0) for n, k in enumerate(items)
            }
            add_answer_set(app, round_.id, relationship, {k: min(v, 5) for k, v in scores.items()})
    close_and_freeze(app, round_.id)
    return round_.id


pytestmark = pytest.mark.browser
EMAIL = "rhona@care.example.org"


@pytest.fixture
def seed(app_server, e2e_database_url):
    app = seed_app(e2e_database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_worker_compares_two_rounds(new_context, checker, mailbox, app_server, seed) -> None:
    user = account(seed, EMAIL, "Rhona Baird")
    closed_round(seed, user, lift=0)
    second = closed_round(seed, user, lift=1)  # the same mix of colleagues
    worker = Person(new_context().new_page(), checker, mailbox, app_server.url)
    worker.goto("/account/login")
    worker.page.get_by_label("Email address").fill(EMAIL)
    worker.page.get_by_label("Password").fill(PASSWORD)
    worker.press("Log in")
    worker.goto(f"/rounds/{second}")
    worker.press("Compare it with another of your rounds")
    assert worker.heading() == "Compare two rounds"
    worker.press("Compare", screenshot=None)
    assert worker.heading() == "Two rounds compared"
    text = " ".join(worker.page.locator("main").inner_text().split())
    assert "Who answered" in text and "(up)" in text
    worker.check("compare", again=True)
    if screenshots_wanted():
        page = worker.page
        original = page.viewport_size
        page.set_viewport_size(NARROW)
        page.locator("section.report-capability").first.screenshot(
            path=SCREENSHOT_DIR / "compare-tables-320.png"
        )
        page.set_viewport_size(original)
    assert not checker.problems, "\n" + checker.report()
