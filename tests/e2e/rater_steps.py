"""The colleague's side: open the emailed link, answer by mouse, touch or keyboard, or decline."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page, expect

from .harness import link_in
from .journey_steps import Colleague, Person, answer_page

REVIEW_HEADING = "Check your answers before you send them"
SENT_HEADING = "Thank you for your feedback"
DECLINED_HEADING = "Thank you for letting us know"
CHOICES = ["1", "2", "3", "4", "5", "na"]


@dataclass
class Rater(Person):
    """One invited colleague in their own browser context: no account, only their link."""

    colleague: Colleague

    def open_link(self, screenshot: str | None = None) -> str:
        """Open the link from this colleague's own email; the intro says who asked."""
        message = self.mailbox.wait_for(self.colleague.email, subject="your feedback")
        link = link_in(message, self.base_url, "/r/")
        self.goto(link, screenshot=screenshot)
        return link

    def answer(
        self, values: list[str], screenshot: str | None = None, slip: bool = False
    ) -> None:
        """From the intro to the review page, clicking (or tapping) like most people do;
        with `slip`, moving on from page 2 before answering it, once."""
        self.press("Start")
        number = 0
        while self.heading() != REVIEW_HEADING:
            number += 1
            if slip and number == 2:
                self.skip_a_page_by_mistake()
            self.answer_current_page(values)
            if screenshot and number == 1:
                self.check(screenshot)
            self.next_page()

    def skip_a_page_by_mistake(self) -> None:
        """Moving on with nothing ticked names every statement still to answer, kindly."""
        statements = self.page.locator("fieldset.item").count()
        self.next_page()
        summary = self.page.locator(".error-summary")
        expect(summary.locator("li")).to_have_count(statements)
        expect(self.page.locator("fieldset.item[aria-describedby]")).to_have_count(statements)

    def answer_current_page(self, values: list[str]) -> None:
        if self.page.locator("fieldset.item").count():
            answer_page(self.page, values, self.colleague.comment or None, self.touch)
        else:  # the overall questions
            for box in self.page.locator("textarea").all():
                box.fill(self.colleague.comment)

    def next_page(self) -> None:
        last = self.page.get_by_role("button", name="Check your answers", exact=True).count()
        self.press("Check your answers" if last else "Continue")

    def send(self, screenshot: str | None = None) -> None:
        assert self.heading() == REVIEW_HEADING, self.heading()
        self.check(screenshot)
        self.press("Send my feedback")
        assert self.heading() == SENT_HEADING, self.heading()

    def save_halfway(self, values: list[str], pages_before: int) -> int:
        """Answer some pages and half of the next, then save and leave; returns that page."""
        self.press("Start")
        for _ in range(pages_before):
            self.answer_current_page(values)
            self.next_page()
        groups = self.page.locator("fieldset.item").all()
        for index, group in enumerate(groups[: len(groups) // 2]):
            group.locator(f"input[value='{values[index % len(values)]}']").check()
        self.press("Save and finish later")
        assert self.heading() == "Your answers are saved", self.heading()
        return pages_before + 1

    def come_back(self, values: list[str], saved_page: int) -> None:
        """Back in a new browser: the link resumes at the half-done page, with its answers."""
        self.press("Continue where you left off")
        assert self.page.url.endswith(f"/page/{saved_page}"), self.page.url
        ticked = checked_values(self.page)
        half = len(ticked) // 2
        assert all(ticked[:half]) and not any(ticked[half:]), f"Saved answers not kept: {ticked}"
        while self.heading() != REVIEW_HEADING:
            self.answer_current_page(values)
            self.next_page()

    def decline(self) -> None:
        self.press("I would rather not give feedback")
        assert self.heading() == "Would you rather not give feedback?", self.heading()
        self.press("I would rather not give feedback")
        assert self.heading() == DECLINED_HEADING, self.heading()


def checked_values(page: Page) -> list[str | None]:
    """Each statement's ticked value on the current page, None where nothing is ticked."""
    return page.evaluate(
        "() => [...document.querySelectorAll('fieldset.item')]"
        ".map(f => { const c = f.querySelector('input:checked'); return c ? c.value : null; })"
    )
