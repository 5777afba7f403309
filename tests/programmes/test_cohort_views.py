"""The lead's cohort report on screen, as CSV and as PDF: the same rows, the same held back."""

from __future__ import annotations

import csv
import io
import re

from builders import login_as
from builders_report import make_closed_round
from programme_steps import make_member, make_programme, member_user

from feedback360.extensions import db
from feedback360.programmes.models import ProgrammeRound

CELL = re.compile(r"<td>(.*?)</td>", re.S)


def closed_rounds(app, programme, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        member = make_member(app, programme, name=f"Worker Number{n}")
        peers = 4 if n % 2 else 3
        round_id = make_closed_round(app, member_user(app, member), colleagues={"peer": peers})
        with app.app_context():
            db.session.add(ProgrammeRound(round_id=round_id, programme_id=programme.programme_id))
            db.session.commit()


def screen_rows(html: str) -> list[list[str]]:
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    return [
        [c.strip().replace("&#39;", "'") for c in CELL.findall(row)]
        for row in table.split("<tr>")[1:]
    ]


def test_the_cohort_report_appears_at_five_workers_and_never_names_one(app, client):
    programme = make_programme(app)
    closed_rounds(app, programme, 4)
    login_as(client, programme.lead)
    page = f"/lead/{programme.programme_id}/cohort"
    four = client.get(page).get_data(as_text=True)
    assert "fewer than 5" in four and "<tbody>" not in four
    closed_rounds(app, programme, 1, start=4)
    five = client.get(page).get_data(as_text=True)
    assert "5 workers" in five and "<tbody>" in five
    assert "Worker Number" not in five  # no worker named, no per-worker figure


def test_the_csv_carries_exactly_the_screens_rows(app, client):
    programme = make_programme(app)
    closed_rounds(app, programme, 6)
    login_as(client, programme.lead)
    page = f"/lead/{programme.programme_id}/cohort"
    on_screen = screen_rows(client.get(page).get_data(as_text=True))
    response = client.get(f"{page}.csv")
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "no-store"
    [header, *in_csv] = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[:4] == ["capability", "figure", "workers", "mean"]
    assert in_csv == on_screen
    assert any("held back" in row for row in in_csv) or all(row[2] != "" for row in in_csv)


def test_the_pdf_is_made_from_the_same_body(app, client):
    programme = make_programme(app)
    closed_rounds(app, programme, 5)
    login_as(client, programme.lead)
    response = client.get(f"/lead/{programme.programme_id}/cohort.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")


def test_a_refused_view_says_why_in_plain_words(app, client):
    programme = make_programme(app)
    closed_rounds(app, programme, 5)
    login_as(client, programme.lead)
    base = f"/lead/{programme.programme_id}/cohort"
    for view in ("role:Nobody", "instrument:manager", "nonsense", "role:"):
        refused = client.get(f"{base}?view={view}")
        assert refused.status_code == 400
        assert "That view is not offered" in refused.get_data(as_text=True)
        assert client.get(f"{base}.csv?view={view}").status_code == 400
