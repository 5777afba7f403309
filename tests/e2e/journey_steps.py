"""The worker's side of the journey, one function per step, as a person would do it in a browser.

Steps find things the way people and screen readers do: by label, by role and by name. A step
that cannot find its button fails there, so a renamed button is a failed journey, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from .harness import Mailbox, link_in
from .page_checks import PageChecker

PASSWORD = "heather on the hillside"


@dataclass
class Person:
    """Someone in the journey: their browser page and what they need to act."""

    page: Page
    checker: PageChecker
    mailbox: Mailbox
    base_url: str
    touch = False  # a phone: taps instead of clicks (a plain attribute, not a dataclass field)

    def goto(self, path_or_url: str, screenshot: str | None = None, again: bool = False) -> Page:
        response = self.page.goto(path_or_url)
        assert response is not None and response.ok, (
            f"{path_or_url}: {response and response.status}"
        )
        self.check(screenshot, again)
        return self.page

    def check(self, screenshot: str | None = None, again: bool = False) -> None:
        self.checker.check(self.page, screenshot, again)

    def press(self, name: str, screenshot: str | None = None) -> None:
        """Press a button or follow a link by its visible name, then check the page it leads to."""
        target = self.page.get_by_role("button", name=name, exact=True)
        if target.count() == 0:
            target = self.page.get_by_role("link", name=name, exact=True)
        with self.page.expect_navigation():
            target.first.tap() if self.touch else target.first.click()
        self.check(screenshot)

    def heading(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    def flash(self) -> str:
        return " ".join(self.page.locator(".flash").all_inner_texts())


def choose(group: Locator, value: str, touch: bool = False) -> None:
    """Tick the radio with this value in one statement's group; on a phone, tap its label."""
    selector = f"input[type=radio][value='{value}']"
    radio = group.locator(selector)
    if touch:
        # `has` is matched inside each label, so it takes a locator rooted at the page.
        group.locator("label", has=group.page.locator(selector)).tap()
        expect(radio).to_be_checked()
    else:
        radio.check()


def answer_page(
    page: Page, values: list[str], comment: str | None = None, touch: bool = False
) -> None:
    """Answer every statement on a questionnaire page, and its comment box if asked to."""
    groups = page.locator("fieldset.item").all()
    assert groups, f"No statements on {page.url}"
    for index, group in enumerate(groups):
        choose(group, values[index % len(values)], touch)
    if comment:
        page.locator("textarea").first.fill(comment)


class Worker(Person):
    """The worker: registers, rates themselves, invites, follows progress, closes, reads, shares."""

    name = "Morag Campbell"
    email = "morag.campbell@care.example.org"
    round_url = ""  # set when the round starts

    def register(self) -> None:
        self.goto("/", screenshot="home")
        self.press("Create an account to start", screenshot="register")
        form = self.page
        form.get_by_label("Your name").fill(self.name)
        form.get_by_label("Email address").fill(self.email)
        form.get_by_label("Choose a password").fill(PASSWORD)
        form.get_by_label("Type the password again").fill(PASSWORD + " typo")
        self.press("Create my account")
        # A mistake comes back with a summary, and what was typed is still there.
        assert "not the same" in self.page.locator(".error-summary").inner_text()
        expect(form.get_by_label("Email address")).to_have_value(self.email)
        form.get_by_label("Choose a password").fill(PASSWORD)
        form.get_by_label("Type the password again").fill(PASSWORD)
        self.press("Create my account")
        assert self.heading() == "Check your email"

    def confirm_from_email(self) -> None:
        message = self.mailbox.wait_for(self.email, subject="confirm")
        self.goto(link_in(message, self.base_url, "/account/confirm/"))
        assert self.heading() == "Confirm your email address"
        self.press("Confirm my email address")
        assert "confirmed" in self.flash()

    def log_in(self) -> None:
        if self.page.get_by_role("heading", name="Log in").count() == 0:
            self.goto("/account/login")
        self.page.get_by_label("Email address").fill(self.email)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.press("Log in", screenshot="dashboard")
        assert self.heading() == "My feedback"

    def start_round(self, questionnaire: str) -> None:
        self.page.get_by_role("radio", name=questionnaire).check()
        self.press("Start a round")
        assert self.heading() == questionnaire, self.heading()
        self.round_url = self.page.url

    def self_assess(self, values: list[str]) -> int:
        """Rate every statement on every page; returns how many statements there were."""
        self.press("Start your self-assessment")
        statements = pages = 0
        while self.page.locator("fieldset.item").count():
            statements += self.page.locator("fieldset.item").count()
            pages += 1
            answer_page(self.page, values, comment="I have been leading the new rota work.")
            if pages == 1:
                self.check(screenshot="self-assessment")
            self.press("Save and continue")
        if self.heading() == "Overall thoughts":
            self.page.locator("textarea").first.fill("Keeping calm when the shift is short.")
            self.press("Save and continue")
        assert "self-assessment is complete" in self.flash(), self.flash()
        return statements

    def invite(self, colleagues: list[Colleague]) -> None:
        self.goto(self.round_url + "/invite", screenshot="invite")
        for colleague in colleagues:
            self.page.get_by_label("Their email address").fill(colleague.email)
            self.page.get_by_label("Their name (optional)").fill(colleague.name)
            self.page.get_by_role("radio", name=colleague.relationship, exact=True).check()
            self.press("Send the invitation")
            assert colleague.email in self.flash(), self.flash()
        table = self.page.get_by_role("table", name="Colleagues you have invited")
        expect(table.locator("tbody tr")).to_have_count(len(colleagues))

    def invited_by_group(self, screenshot: str | None = None) -> dict[str, int]:
        """The progress table: relationship -> how many were invited (replies are never shown)."""
        self.goto(self.round_url, screenshot=screenshot)
        table = self.page.get_by_role("table", name="Colleagues invited, by relationship")
        counts = {}
        for row in table.locator("tbody tr").all():
            label = row.locator("th").inner_text().strip()
            counts[label] = int(row.locator("td").inner_text())
        return counts

    def close_round(self) -> None:
        self.goto(self.round_url)
        self.press("Close the round and make my report")
        assert "closed" in self.flash(), self.flash()

    def page_text(self) -> str:
        return re.sub(r"\s+", " ", self.page.locator("main").inner_text())


@dataclass
class Colleague:
    """Someone invited: how they know the worker and how they answer."""

    name: str
    email: str
    relationship: str
    style: str  # desktop, phone, keyboard, save_and_return or decline
    comment: str = ""
