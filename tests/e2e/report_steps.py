"""After the round: the report, the Thing 11 reflection and plan, the PDF and a share link."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import BrowserContext, expect
from pypdf import PdfReader
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from .journey_steps import Worker
from .page_checks import NARROW, SCREENSHOT_DIR, screenshots_wanted

REPORT_HEADING = "Leadership feedback report"
REPORT_SECTIONS = [
    "Summary",
    "How to read this report",
    "Your six capabilities at a glance",
    "Highest and lowest rated",
    "Comments",
    "Reflection and development plan (Thing 11)",
]
STATEMENT_SENTENCE = (
    "Reading my feedback I noticed that colleagues see me as calm and fair on a busy shift, "
    "while I had rated myself lower on sharing my ideas with the wider team. "
)


@dataclass(frozen=True)
class Reflection:
    strengths: str = "Staying calm on a short shift and listening before I decide."
    development_areas: str = "Sharing my ideas for the rota with the whole team, not just my shift."
    priority: tuple[str, str, str, str, str] = (
        "Share one idea at each team meeting",
        "Bring a written idea to the monthly team meeting",
        "Ten minutes on the agenda from my manager",
        "by the end of March",
        "The team has tried two of my ideas",
    )
    second_priority: str = "Ask for feedback after I lead a handover"
    statement: str = (STATEMENT_SENTENCE * 8).strip()  # 232 words: the badge asks for 200


def words(text: str) -> int:
    return len(text.split())


def read_report(worker: Worker) -> str:
    """Open the report from the closed round; returns its text, whitespace collapsed."""
    worker.goto(worker.round_url, again=True)  # the closed round reads differently
    worker.press("Read your report", screenshot="report")
    assert worker.heading() == REPORT_HEADING, worker.heading()
    for section in REPORT_SECTIONS:
        expect(worker.page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    if screenshots_wanted():
        worker.checker.take_screenshots(worker.page, "report-chart", "section.report-overview")
        narrow_screenshot(worker, "report-tables-320", "section.report-capability")
        narrow_screenshot(worker, "report-summary-320", "section.report-first")
        greyscale_screenshot(worker, "report-radar-greyscale", ".report-chart--radar img")
    return worker.page_text()


def greyscale_screenshot(worker: Worker, name: str, selector: str) -> None:
    """The element as a greyscale printer would show it: its lightness only."""
    from PIL import Image

    path = SCREENSHOT_DIR / f"{name}.png"
    worker.page.locator(selector).first.screenshot(path=path)
    Image.open(path).convert("L").save(path)


def summary_page_png(pdf: bytes) -> None:
    """Page 1 of the PDF, the summary, as the README shows it (poppler's pdftoppm)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    if shutil.which("pdftoppm") is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source),
             str(SCREENSHOT_DIR / "report-summary-page")],
            check=True,
        )


def narrow_screenshot(worker: Worker, name: str, selector: str) -> None:
    """One part of the page at 320 px wide, where the tables become cards."""
    page = worker.page
    original = page.viewport_size
    page.set_viewport_size(NARROW)
    page.locator(selector).first.screenshot(path=SCREENSHOT_DIR / f"{name}.png")
    page.set_viewport_size(original)


def statement_row(worker: Worker, capability: str, number: int) -> list[str]:
    """One statement's figures from its capability's table: you, average, scores, not observed."""
    table = worker.page.get_by_role("table", name=f"{capability}: each statement")
    rows = table.locator("tbody tr:not(.report-indicator)")  # not an indicator's heading row
    cells = rows.nth(number - 1).locator("th, td").all_inner_texts()
    return [cell.strip() for cell in cells[2:]]


def write_reflection(worker: Worker, reflection: Reflection) -> None:
    """Fill in strengths, areas, two priorities and a 200-word statement, and save."""
    page = worker.page
    page.get_by_role("link", name=re.compile(r"(Write|Edit) your reflection and plan")).click()
    page.wait_for_load_state()
    worker.check(screenshot="reflection")
    page.get_by_label("My strengths", exact=True).fill(reflection.strengths)
    page.get_by_label("Areas I want to develop", exact=True).fill(reflection.development_areas)
    labels = ["What I want to develop", "How I will do it", "Support I need", "By when",
              "How I will know I have done it"]
    first = page.locator("#priority-1")
    for label, text in zip(labels, reflection.priority, strict=True):
        first.get_by_label(label, exact=True).fill(text)
    page.get_by_text("Add priority 2", exact=True).click()
    page.locator("#priority-2").get_by_label(labels[0], exact=True).fill(reflection.second_priority)
    statement = page.get_by_label("My reflective statement", exact=True)
    statement.fill(reflection.statement)
    # The live word count (a static script, allowed by the CSP) catches up after a pause.
    expect(page.locator("#statement-count")).to_have_text(f"{words(reflection.statement)} words.")
    page.get_by_label(re.compile("Include my reflection and plan")).check()
    worker.press("Save my reflection")
    assert "reflection is saved" in worker.flash(), worker.flash()
    expect(statement).to_have_value(reflection.statement)


HELD_BY = "held-by-the-browser-test"


def hold_pdf_job(database_url: str, round_url: str) -> Callable[[], None]:
    """Hold the round's PDF job as a busy worker would; the function returned lets it go.

    Saving the reflection asks for its PDF again, and the worker beside the server would make
    it within seconds: held, it waits, so the download deterministically finds it not ready.
    """
    round_id = int(round_url.rstrip("/").rsplit("/", 1)[-1])
    engine = create_engine(database_url)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    values = {"r": round_id, "now": now, "held": HELD_BY}
    with engine.begin() as connection:
        connection.execute(
            sql(
                "INSERT INTO pdf_job (round_id, requests, requested_at, due_at, claimed_by,"
                " claimed_at, attempts) VALUES (:r, 1, :now, :now, :held, :now, 0)"
                " ON CONFLICT (round_id) DO UPDATE SET claimed_by = :held, claimed_at = :now"
            ),
            values,
        )

    def release() -> None:
        with engine.begin() as connection:
            connection.execute(
                sql(
                    "UPDATE pdf_job SET claimed_by = NULL, claimed_at = NULL"
                    " WHERE round_id = :r AND claimed_by = :held"
                ),
                values,
            )
        engine.dispose()

    return release


def pdf_text(worker: Worker, release_pdf_job: Callable[[], None]) -> tuple[str, PdfReader, str]:
    """Download the PDF from the report page; returns its text, the reader and its file name.

    The PDF with the reflection is still being made (its job is held), so the download first
    shows the page that refreshes itself; once the job is let go, the worker makes the PDF and
    that page's next refresh is the download.
    """
    page = worker.page
    worker.press("Back to the report")
    expect(page.get_by_role("heading", name="My reflective statement")).to_be_visible()
    worker.check(again=True)  # now with the reflection in it
    with page.expect_navigation():
        page.get_by_role("link", name="Download the PDF", exact=True).click()
    assert worker.heading() == "The PDF is nearly ready", worker.heading()
    checking_url = page.url
    if screenshots_wanted():
        worker.checker.take_screenshots(page, "pdf-being-made")
    # Not given to the checker: axe calls any timed refresh a failure (meta-refresh). The page
    # offers, before anything else, the way to turn it off that WCAG 2.2.1 asks for.
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "5"
    main_links = page.locator("main a").all_inner_texts()
    assert main_links[0] == "Stop checking by itself", main_links
    worker.press("Stop checking by itself")  # this page passes the checker: no refresh
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    page.goto(checking_url)
    release_pdf_job()
    with page.expect_download(timeout=180_000) as info:
        pass  # nothing to click: the page asks again by itself until the PDF is ready
    download = info.value
    worker.press("Back to the report")
    pdf = download.path().read_bytes()
    if screenshots_wanted():
        summary_page_png(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page_.extract_text() for page_ in reader.pages)
    return " ".join(text.split()), reader, download.suggested_filename


def create_share_link(worker: Worker) -> str:
    """Create a link for the manager; it is shown once, in a read-only box."""
    worker.press("Share with your manager", screenshot="share")
    worker.press("Create a new link")
    link = worker.page.get_by_label(re.compile("Copy this link now")).input_value()
    assert link.startswith(worker.base_url + "/reports/shared/"), link
    worker.check(again=True)  # now showing the new link
    return link


def open_shared_link(context: BrowserContext, worker: Worker, link: str) -> str:
    """The manager, with no account, opens the link in a browser of their own."""
    manager = Worker(context.new_page(), worker.checker, worker.mailbox, worker.base_url)
    manager.goto(link, screenshot="shared-report")
    assert manager.heading() == REPORT_HEADING, manager.heading()
    assert manager.page.get_by_role("link", name="Log out").count() == 0
    return manager.page_text()
