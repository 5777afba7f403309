"""A programme end to end in a real browser, every email through a real SMTP server.

The lead (an operator too) creates the programme with rater approval and release after debrief
and adds a coach; two workers join from the join link; the lead gives them their coach; the
coach approves one list and returns the other with a note, which its worker then fixes; the
approved colleagues get their invitations; the reports wait for the coach, who releases them;
and with three earlier workers the lead reads a cohort report of five.
"""

from __future__ import annotations

import pytest

from feedback360.extensions import db

from .harness import link_in
from .journey_steps import Person
from .programme_steps import (
    PASSWORD,
    account,
    colleagues_answer,
    earlier_cohort,
    programme_id,
    seed_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROGRAMME = "Team leaders, spring 2027"
NOTE = "Please add someone you manage."


class Member(Person):
    """Anyone with an account: logs in with the builders' password."""

    email = ""

    def log_in_as(self, email: str) -> Member:
        self.email = email
        self.goto("/account/login")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.press("Log in")
        return self

    def text(self) -> str:
        return " ".join(self.page.locator("main").inner_text().split())


def person(new_context, checker, mailbox, app_server, email: str) -> Member:
    return Member(new_context().new_page(), checker, mailbox, app_server.url).log_in_as(email)


@pytest.fixture
def seed(app_server, e2e_database_url):
    """The app on the browser tests' database, to write rows straight in for the server; its
    connections are closed afterwards, as pytest turns an unclosed one into an error."""
    app = seed_app(e2e_database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_programme_from_creation_to_cohort_report(
    new_context, checker, mailbox, app_server, seed
) -> None:
    account(seed, "lena@care.example.org", "Lena Lead")
    account(seed, "callum@care.example.org", "Callum Coach")
    workers = {"wendy@care.example.org": "Wendy Wilson", "walter@care.example.org": "Walter Watt"}
    for email, name in workers.items():
        account(seed, email, name)
    from feedback360.programmes import setup

    with seed.app_context():
        setup.make_operator("lena@care.example.org")
        db.session.commit()

    def open_as(email: str) -> Member:
        return person(new_context, checker, mailbox, app_server, email)

    lead = open_as("lena@care.example.org")
    join_link = create_programme(lead)
    programme = programme_id(seed, PROGRAMME)

    wendy, walter = open_as("wendy@care.example.org"), open_as("walter@care.example.org")
    for worker in (wendy, walter):
        worker.goto(join_link)
        worker.press(f"Join {PROGRAMME}")
        assert "You have joined" in worker.flash()

    lead.goto(f"/lead/{programme}")
    for name in workers.values():
        lead.page.get_by_label(f"Coach for {name}").select_option(label="Callum Coach")
        lead.page.get_by_role("row", name=name).get_by_role("button", name="Save coach").click()
        lead.page.wait_for_load_state()
    assert lead.text().count("(not started)") == 2

    wendy_round = start_and_send_list(wendy, ["ross", "isla", "eilidh", "kenny"])
    walter_round = start_and_send_list(walter, ["morven", "fraser", "skye"])

    coach = open_as("callum@care.example.org")
    mailbox.wait_for("callum@care.example.org", "approval")
    coach.goto("/coach/")
    coach_round(coach, "Wendy Wilson")
    assert "ross@care.example.org" in coach.text() and "Peer" in coach.text()
    coach.press("Approve the list and send the invitations")
    coach_round(coach, "Walter Watt")
    coach.page.get_by_label("A note for the worker").fill(NOTE)
    coach.press("Return the list with this note")

    for name in ("ross", "isla", "eilidh", "kenny"):
        invitation = mailbox.wait_for(f"{name}@care.example.org", "feedback")
        assert "/r/" in link_in(invitation, app_server.url, "/r/")
    assert mailbox.count_to("morven@care.example.org") == 0

    mailbox.wait_for("walter@care.example.org", "coach")
    walter.goto(f"/programme/rounds/{walter_round}")
    assert NOTE in walter.text()
    invite(walter, walter_round, "ailsa", "Someone I manage")
    walter.goto(f"/programme/rounds/{walter_round}")
    walter.press("Send my list to my coach")
    coach.goto("/coach/")
    coach_round(coach, "Walter Watt")
    coach.press("Approve the list and send the invitations")
    mailbox.wait_for("ailsa@care.example.org", "feedback")

    for worker, round_id in ((wendy, wendy_round), (walter, walter_round)):
        colleagues_answer(seed, worker.email, 4)
        worker.goto(f"/rounds/{round_id}")
        worker.press("Close the round and make my report")
        worker.goto(f"/reports/{round_id}")
        assert "waiting for your debrief" in worker.text()
        coach.goto("/coach/")
        coach_round(coach, workers[worker.email])
        coach.press("Release the report after our debrief")
        mailbox.wait_for(worker.email, "coach")
        worker.goto(f"/reports/{round_id}")
        assert "waiting for your debrief" not in worker.text()

    earlier_cohort(seed, programme, 3)
    lead.goto(f"/lead/{programme}/cohort")
    assert "5 workers" in lead.text() and "Colleagues' mean" in lead.text()
    for name in (*workers.values(), "Earlier Worker0"):
        assert name not in lead.text()
    assert not checker.problems, "\n" + checker.report()


def create_programme(lead: Member) -> str:
    lead.goto("/admin/")
    lead.page.get_by_label("Organisation name").fill("Highland Care")
    lead.press("Create the organisation")
    lead.page.get_by_label("Programme name").fill(PROGRAMME)
    lead.page.get_by_label("A coach approves each worker's list of colleagues").check()
    lead.page.get_by_label("A coach releases each report after a debrief").check()
    lead.page.get_by_label("Email of the programme lead").fill("lena@care.example.org")
    lead.press("Create the programme")
    assert lead.page.locator("code.join-link").count(), lead.text()
    join_link = lead.page.locator("code.join-link").inner_text().strip()
    lead.page.get_by_label("Email address").first.fill("callum@care.example.org")
    lead.press(f"Add to {PROGRAMME}")
    return join_link


def start_and_send_list(worker: Member, names: list[str]) -> int:
    worker.goto("/rounds/")
    worker.page.get_by_role("radio", name="Frontline leadership feedback").check()
    worker.press("Start a round")
    round_id = int(worker.page.url.rstrip("/").rsplit("/", 1)[-1])
    for name in names:
        invite(worker, round_id, name, "Peer")
    worker.goto(f"/programme/rounds/{round_id}")
    worker.press("Send my list to my coach")
    assert "with your coach" in worker.flash()
    return round_id


def invite(worker: Member, round_id: int, name: str, relationship: str) -> None:
    worker.goto(f"/rounds/{round_id}/invite")
    worker.page.get_by_label("Their email address").fill(f"{name}@care.example.org")
    worker.page.get_by_label("Their name (optional)").fill(name.title())
    worker.page.get_by_role("radio", name=relationship, exact=True).check()
    worker.press("Send the invitation")
    assert "once your coach approves" in worker.flash()


def coach_round(coach: Member, name: str) -> None:
    coach.goto("/coach/")
    section = coach.page.locator("h2", has_text=name).locator("xpath=following-sibling::p[1]")
    with coach.page.expect_navigation():
        section.get_by_role("link").first.click()
    coach.check()
