"""The PDF as paper: pages well filled, emoji printed, right-to-left words the right way round,
Thing 11 explained, and a worksheet for supervision when no plan was written."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from builders import login_as, make_user
from builders_report import make_closed_round
from needs import require
from PIL import Image

from feedback360.extensions import db
from feedback360.reports import demo, documents
from feedback360.reports.bidi import text_direction
from feedback360.reports.reflection import shared_reflection

# The body of an A4 page between the running header and footer (20 mm margins, 2 mm spare).
BODY_TOP, BODY_BOTTOM, PAGE_HEIGHT = 22, 297 - 22, 297
ARABIC = "شكرا لك على دعمك المستمر للفريق"
HEBREW = "תודה על ההקשבה"


@pytest.fixture
def demo_round(app) -> int:
    """The demo report: many comments, a reflection with two priorities."""
    with app.app_context():
        round_id = demo.create_demo().id
        db.session.commit()
    return round_id


def render(app, round_id: int, with_reflection: bool) -> bytes:
    with app.test_request_context():
        reflection = shared_reflection(round_id) if with_reflection else None
        return documents.render_report_pdf(documents.kept_report(round_id), reflection)


def page_fills(pdf: bytes, folder: Path) -> list[float]:
    """How far down each page's body the ink goes, from 0 (empty) to 1 (full)."""
    require(shutil.which("pdftoppm") is not None, "pdftoppm (Debian's poppler-utils)")
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "report.pdf", "page"], cwd=folder, check=True)
    fills = []
    for path in sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1])):
        image = Image.open(path).convert("L")
        width, height = image.size
        top, bottom = height * BODY_TOP // PAGE_HEIGHT, height * BODY_BOTTOM // PAGE_HEIGHT
        pixels = image.load()
        inked = [y for y in range(top, bottom) if any(pixels[x, y] < 200 for x in range(width))]
        fills.append((max(inked, default=top) - top) / (bottom - top))
    return fills


@pytest.mark.parametrize("with_reflection", [True, False])
def test_no_page_but_the_last_is_less_than_half_full(app, demo_round, tmp_path, with_reflection):
    """A forced page break after a section that spilled a few lines left a page 60 % empty."""
    fills = page_fills(render(app, demo_round, with_reflection), tmp_path)
    assert 8 <= len(fills) <= 16
    nearly_empty = [n for n, fill in enumerate(fills[:-1], 1) if fill < 0.5]
    assert nearly_empty == [], [round(fill, 2) for fill in fills]


def test_emoji_print_in_colour_not_as_empty_boxes(app):
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    require("Noto Color Emoji" in fonts, "Debian's fonts-noto-color-emoji (scripts/system-deps.sh)")
    round_id = make_closed_round(app, make_user(app), comment="Thanks 👍🏽 for the 💙 and 🌟")
    reader = pypdf.PdfReader(io.BytesIO(render(app, round_id, with_reflection=False)))
    used = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            used.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert "Noto-Color-Emoji" in used, used


def test_right_to_left_comments_run_right_to_left_on_screen_and_in_the_pdf(app, client):
    user = make_user(app)
    round_id = make_closed_round(app, user, comment=ARABIC)
    login_as(client, user)
    page = client.get(f"/reports/{round_id}").get_data(as_text=True)
    assert f'<div class="written" dir="auto">{ARABIC}</div>' in page
    with app.test_request_context():
        html = documents.report_html(documents.kept_report(round_id), None)
    # WeasyPrint does not implement dir="auto": the PDF is told the direction itself.
    assert f'<div class="written" dir="rtl">{ARABIC}</div>' in html
    assert '<div class="written" dir="ltr">My own note.</div>' in html


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        (ARABIC, "rtl"),
        (HEBREW, "rtl"),
        ("Always makes time to listen.", "ltr"),
        (f"123 — {HEBREW} then English", "rtl"),  # digits and dashes have no direction
        (f"“{ARABIC}” she said", "rtl"),
        ("👍🏽 Great", "ltr"),
        ("", "ltr"),
    ],
)
def test_the_direction_is_that_of_the_first_letter_with_one(text, direction):
    assert text_direction(text) == direction


def test_thing_11_and_its_word_count_are_explained(app, demo_round):
    text = pdf_text(render(app, demo_round, with_reflection=True))
    assert "The 23 Things are short leadership learning activities from the Scottish Social" in text
    words = re.search(r"(\d+) words: the Open Badge for Thing 11 asks for at least 200\.", text)
    assert words is not None and int(words.group(1)) >= 200


def test_without_a_plan_the_pdf_offers_a_blank_plan_and_a_supervision_record(app, demo_round):
    text = pdf_text(render(app, demo_round, with_reflection=False))
    assert "No reflection was written in feedback360" in text
    for heading in ("What I want to develop", "How I will do it", "Support I need", "By when",
                    "How I will know", "Notes from supervision", "Date", "What we agreed",
                    "Worker Jamie Robertson", "Manager or supervisor"):
        assert heading in text, heading


def test_with_a_plan_the_pdf_still_has_the_supervision_record(app, demo_round):
    text = pdf_text(render(app, demo_round, with_reflection=True))
    assert "No reflection was written" not in text
    assert "Notes from supervision" in text and "Manager or supervisor" in text


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_page_1_is_the_summary_and_the_rules_come_after_it(app, demo_round):
    reader = pypdf.PdfReader(io.BytesIO(render(app, demo_round, with_reflection=False)))
    first = " ".join(reader.pages[0].extract_text().split())
    for heading in ("Summary", "Who answered", "Strengths: highest rated by colleagues",
                    "Development areas: lowest rated by colleagues", "Possible hidden strengths",
                    "Possible blind spots"):
        assert heading in first, heading
    assert re.search(r"colleagues' average \d\.\d · you \d", first)
    assert "How colleagues are kept anonymous" not in first
    assert "A group's figures appear only when" not in first
    second = " ".join(reader.pages[1].extract_text().split())
    assert "How to read this report" in second and "How colleagues are kept anonymous" in second


def test_statements_sit_under_their_indicators_in_the_pdf(app, demo_round):
    text = pdf_text(render(app, demo_round, with_reflection=False))
    table = text[text.index("Vision: each statement"):]
    # The frontline instrument's first indicator heads its two statements, then the next.
    better = table.index("Seeing how things could be better")
    assert better < table.index("I look for ways to make things better") < table.index(
        "Sharing the vision with others"
    )
    assert "name the indicator as well as the capability" in text
