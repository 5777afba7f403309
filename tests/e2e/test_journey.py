"""The whole journey in a real browser, with every email going through a real SMTP server.

A worker registers, confirms from the email, rates themselves and invites six colleagues. Each
colleague opens the link from their own email in a fresh browser: one on a phone, one with the
keyboard alone, one saving halfway and coming back in a new browser, one declining. The worker
follows the counts, closes the round, reads the report, writes a reflection and plan, downloads
the PDF and shares a link that a fresh browser opens. Every page passes axe and the 320 px check.
"""

from __future__ import annotations

import re

import pytest

from .harness import link_in
from .journey_steps import Colleague, Worker
from .keyboard_steps import answer_by_keyboard
from .page_checks import PHONE, PageChecker
from .rater_steps import Rater
from .report_steps import (
    Reflection,
    create_share_link,
    hold_pdf_job,
    open_shared_link,
    pdf_text,
    read_report,
    statement_row,
    write_reflection,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTIONNAIRE = "Frontline leadership feedback"
# The worker rates themselves highly on some things colleagues see less often (blind spots)
# and modestly on others colleagues rate higher (hidden strengths).
SELF_VALUES = ["5", "5", "2", "4", "3"]
RATER_VALUES = {
    "desktop": ["3", "4", "4", "4", "5"],
    "phone": ["3", "3", "5", "4", "na"],
    "keyboard": ["2", "4", "5", "3", "4"],
    "save_and_return": ["3", "4", "4", "5", "4"],
}


def colleague(name: str, relationship: str, style: str, comment: str = "") -> Colleague:
    email = name.lower().replace(" ", ".") + "@care.example.org"
    return Colleague(name, email, relationship, style, comment)


COLLEAGUES = [
    colleague("Fiona Reid", "Line manager", "desktop",
              "Morag always explains why a change matters to the people we support."),
    colleague("Sam Patel", "Peer", "phone",
              "She stays calm on a short shift and keeps everyone going."),
    colleague("Ailsa Ross", "Peer", "keyboard",
              "Morag could share her ideas for the rota in team meetings more often."),
    colleague("Jamie Kerr", "Someone I manage", "save_and_return",
              "She trusts me to try new activities with the residents."),
    colleague("Chris Bain", "Someone I manage", "desktop", "Morag listens before she decides."),
    colleague("Lorna Watt", "Other", "decline"),
]
REFLECTION = Reflection()
EXPECTED_GROUPS = {"Line manager": 1, "Peer": 2, "Someone I manage": 2, "Other": 1}


def test_the_whole_journey(
    new_context, checker: PageChecker, mailbox, app_server, e2e_database_url: str
) -> None:
    """Register, rate, invite, six colleagues answer their own way, close, read, reflect, share."""
    worker = Worker(new_context().new_page(), checker, mailbox, app_server.url)
    worker.register()
    worker.confirm_from_email()
    worker.log_in()
    worker.start_round(QUESTIONNAIRE)
    statements = worker.self_assess(SELF_VALUES)
    assert 24 <= statements <= 36
    assert f"answered {statements} of {statements} statements" in worker.page_text()

    worker.invite(COLLEAGUES)
    assert worker.invited_by_group() == EXPECTED_GROUPS
    assert "Fewer than 3 have answered so far" in worker.page_text()

    for colleague in COLLEAGUES:
        answer_as(colleague, new_context, worker)
    assert worker.invited_by_group(screenshot="progress") == EXPECTED_GROUPS
    assert "5 have answered so far" in worker.page_text()  # the one who declined is not counted
    assert_links_are_spent(new_context, worker)

    worker.close_round()
    report = read_report(worker)
    assert_report_shows_answers_not_people(report)
    assert statement_row(worker, "Vision", 1) == expected_figures(0)
    # The fifth value on a page (a "not observed" on the phone) needs a capability of five or more.
    assert statement_row(worker, "Self-leadership", 5) == expected_figures(4)
    release_pdf_job = hold_pdf_job(e2e_database_url, worker.round_url)
    write_reflection(worker, REFLECTION)
    pdf, reader, file_name = pdf_text(worker, release_pdf_job)
    assert_pdf_is_the_report(pdf, reader, file_name)
    share_link = create_share_link(worker)
    shared = open_shared_link(new_context(), worker, share_link)
    assert worker.name in shared and squash(REFLECTION.strengths) in squash(shared)
    assert_no_one_named(shared)
    assert_no_token_in_the_log(app_server, mailbox, share_link)
    assert not checker.problems, "\n" + checker.report()


def assert_no_token_in_the_log(app_server, mailbox, share_link: str) -> None:
    """Invitation and share links open anonymous answers and reports: never written to a log."""
    links = [link_in(mailbox.wait_for(c.email, "your feedback"), app_server.url, "/r/")
             for c in COLLEAGUES]
    log = app_server.web.log_path.read_text()
    assert "/r/" in log and "/reports/shared/" in log  # the requests were logged, redacted
    for link in [*links, share_link]:
        token = link.rstrip("/").rsplit("/", 1)[-1]
        assert token not in log, f"A token from {link} is in the server log"


def expected_figures(position: int) -> list[str]:
    """A statement's row worked out from what each person ticked: every click must count."""
    ticked = [RATER_VALUES[c.style][position] for c in COLLEAGUES if c.style in RATER_VALUES]
    scores = [int(value) for value in ticked if value != "na"]
    mean = sum(scores) / len(scores)
    not_observed = len(ticked) - len(scores)
    return [SELF_VALUES[position], f"{mean:.1f}", str(len(scores)), str(not_observed)]


def squash(text: str) -> str:
    """Text without any whitespace: PDF text extraction splits and joins words unpredictably."""
    return "".join(text.split())


def assert_no_one_named(text: str) -> None:
    """Nothing the worker can see names or addresses a colleague."""
    for person in COLLEAGUES:
        for clue in (person.name, person.email):
            assert squash(clue) not in squash(text), f"{clue!r} appears"
        first_name = person.name.split()[0]
        assert not re.search(rf"\b{first_name}\b", text), f"{first_name!r} appears"


def assert_report_shows_answers_not_people(report: str) -> None:
    assert "Morag Campbell" in report
    # Five answered, so colleagues' comments are shown (pooled, without names).
    for person in COLLEAGUES[:-1]:
        assert person.comment in report, f"Comment missing: {person.comment!r}"
    assert_no_one_named(report)


def assert_pdf_is_the_report(pdf: str, reader, file_name: str) -> None:
    assert file_name.startswith("feedback360-report-frontline-") and file_name.endswith(".pdf")
    assert len(reader.pages) >= 3
    for expected in ("Leadership feedback report", Worker.name, REFLECTION.strengths,
                     REFLECTION.priority[0], COLLEAGUES[0].comment, "Notes from supervision"):
        assert squash(expected) in squash(pdf), f"PDF lacks {expected!r}"
    assert_no_one_named(pdf)
    assert not reader.attachments


def rater_in(context, colleague: Colleague, worker: Worker) -> Rater:
    return Rater(context.new_page(), worker.checker, worker.mailbox, worker.base_url, colleague)


def answer_as(colleague: Colleague, new_context, worker: Worker) -> None:
    """One colleague, in a browser of their own, from their own email to the end."""
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    context = new_context(**(options if colleague.style == "phone" else {}))
    rater = rater_in(context, colleague, worker)
    rater.touch = colleague.style == "phone"
    first = colleague is COLLEAGUES[0]
    rater.open_link(screenshot="rater-intro" if first else None)
    assert rater.heading() == f"{worker.name} would like your feedback on their leadership"
    values = RATER_VALUES.get(colleague.style, [])
    if colleague.style == "decline":
        rater.decline()
    elif colleague.style == "keyboard":
        answer_by_keyboard(rater, values)
    elif colleague.style == "save_and_return":
        saved_page = rater.save_halfway(values, pages_before=3)
        context.close()
        later = rater_in(new_context(), colleague, worker)
        later.open_link()
        later.come_back(values, saved_page)
        later.send()
    else:
        rater.answer(values, screenshot="rater-questionnaire" if first else None, slip=first)
        rater.send(screenshot="rater-review" if first else None)


def assert_links_are_spent(new_context, worker: Worker) -> None:
    """Each link works once: opening it again after sending or declining says so kindly."""
    for colleague, heading in (
        (COLLEAGUES[0], "You have already sent your feedback"),
        (COLLEAGUES[-1], "You chose not to give feedback"),
    ):
        rater = rater_in(new_context(), colleague, worker)
        message = worker.mailbox.wait_for(colleague.email, subject="your feedback")
        response = rater.page.goto(link_in(message, worker.base_url, "/r/"))
        assert response is not None and response.status in (403, 409, 410), response.status
        assert rater.heading() == heading
        rater.check()
