"""The public pages in a real browser: WCAG 2.2 A/AA by axe, 320 px reflow, keyboard basics."""

from __future__ import annotations

import pytest

from .page_checks import NARROW, PageChecker

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    ("/", 200, "home"),
    ("/account/register", 200, "register"),
    ("/account/login", 200, "login"),
    ("/account/forgot-password", 200, None),
    ("/account/confirm/not-a-real-confirmation-link", 410, None),
    ("/r/not-a-real-invitation-link-at-all", 404, None),
    ("/there-is-no-such-page", 404, None),
]


def test_public_pages_pass_axe_and_reflow(new_context, checker: PageChecker) -> None:
    page = new_context().new_page()
    for path, status, screenshot in PUBLIC_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == status, f"{path}: {response.status}"
        assert page.locator("h1").count() == 1, f"{path} must have exactly one h1"
        checker.check(page, screenshot)
    assert len(checker.checked) == len(PUBLIC_PAGES)
    assert not checker.problems, "\n" + checker.report()


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(new_context) -> None:
    page = new_context().new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-9999px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_checks_themselves_catch_problems(new_context, checker: PageChecker) -> None:
    """Missing alt text, a too-wide element and an inline script (refused by the CSP) are all
    reported: the checks the journey relies on are not empty."""
    page = new_context().new_page()
    page.goto("/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/css/app.css';"
        " const wide = document.createElement('div'); wide.textContent = 'wide';"
        " wide.style.width = '900px';"
        " const script = document.createElement('script'); script.textContent = '1';"
        " document.querySelector('main').append(img, wide, script); }"
    )
    checker.check(page)
    assert any("image-alt" in line for line in checker.problems), checker.report()
    assert any(f"at {NARROW['width']} px" in line for line in checker.problems), checker.report()
    assert any("Content Security Policy" in line for line in checker.problems), checker.report()
    checker.problems.clear()
