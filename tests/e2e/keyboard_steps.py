"""A colleague who uses only the keyboard: Tab, Space, the arrow keys and Enter; never a click."""

from __future__ import annotations

from playwright.sync_api import Page

from .rater_steps import CHOICES, REVIEW_HEADING, SENT_HEADING, Rater, checked_values

# Enough Tab presses to cross the header, a page of statements and the buttons.
TAB_LIMIT = 120
FOCUS_IS_VISIBLE = (
    "() => { const s = getComputedStyle(document.activeElement);"
    " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
)


def tab_to(page: Page, predicate: str, what: str) -> None:
    """Press Tab until the focused element `e` satisfies the JavaScript `predicate`."""
    test = f"(e) => {{ return {predicate}; }}"
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(f"({test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {what} on {page.url}")


def activate(rater: Rater, predicate: str, what: str) -> None:
    """Tab to a link or button and press Enter, as a keyboard user follows it."""
    tab_to(rater.page, predicate, what)
    with rater.page.expect_navigation():
        rater.page.keyboard.press("Enter")
    rater.check()


def named(tag: str, text: str) -> str:
    return f"e.tagName === '{tag}' && e.textContent.trim() === {text!r}"


def rate_by_keyboard(page: Page, values: list[str]) -> None:
    """Each group: Tab into it, Space ticks the first choice, arrows move to the wanted one."""
    count = page.locator("fieldset.item").count()
    for index in range(count):
        tab_to(
            page,
            f"e.type === 'radio' && e.closest('fieldset') === "
            f"document.querySelectorAll('fieldset.item')[{index}]",
            f"statement {index + 1}",
        )
        if index == 0:
            assert page.evaluate(FOCUS_IS_VISIBLE), f"No visible focus on a choice on {page.url}"
        page.keyboard.press("Space")
        for _ in range(CHOICES.index(values[index % len(values)])):
            page.keyboard.press("ArrowDown")
    wanted = [values[i % len(values)] for i in range(count)]
    assert checked_values(page) == wanted, f"Keyboard answers not ticked as meant on {page.url}"


def type_comments(page: Page, text: str) -> None:
    for index in range(page.locator("textarea").count()):
        tab_to(
            page,
            f"e === document.querySelectorAll('textarea')[{index}]",
            f"comment box {index + 1}",
        )
        page.keyboard.type(text)


def answer_by_keyboard(rater: Rater, values: list[str]) -> None:
    """The whole questionnaire from the intro to 'sent', without a single click."""
    page = rater.page
    activate(rater, named("A", "Start"), "the Start link")
    while rater.heading() != REVIEW_HEADING:
        if page.locator("fieldset.item").count():
            rate_by_keyboard(page, values)
        type_comments(page, rater.colleague.comment)
        activate(rater, "e.tagName === 'BUTTON' && e.value === 'next'", "the Continue button")
    activate(rater, named("BUTTON", "Send my feedback"), "the send button")
    assert rater.heading() == SENT_HEADING, rater.heading()
