"""Nothing about the check is kept: no table gains a row, no log gains a line, no cookie a mark.

Whether a warning was shown, and what was changed after it, must be known to nobody but the
person at the screen: not the worker, not the operator with the database and the logs.
"""

from __future__ import annotations

import logging

import pytest
from builders import login_as, make_invitation, make_round, make_user
from builders_report import make_closed_round
from rater_steps import answer_every_page, csrf_from, every_row, instrument_for

from feedback360.extensions import db
from feedback360.reports.models import Reflection
from feedback360.surveys.forms import comment_field_name
from feedback360.surveys.models import Relationship

GIVEAWAY = (
    "As your manager I saw her on the night shift last Tuesday at Rowan House with Fiona. "
    "Ring me on 0141 555 0123 or write to ailsa.ross@care.example.org."
)
PLAIN = "She stays calm and keeps everyone going."


@pytest.fixture
def quiet_sql(caplog):
    """Every log record at every level, except SQL echo, which production never turns on."""
    # In this order: set_level also sets the capturing handler's level, and the last call wins.
    caplog.set_level(logging.WARNING, logger="sqlalchemy")
    caplog.set_level(logging.DEBUG)
    return caplog


def row_counts(rows: dict[str, list[tuple]]) -> dict[str, int]:
    return {table: len(found) for table, found in rows.items()}


def answered_link(app, round_, comment: str, name: str) -> tuple[str, str]:
    """A colleague who has answered every page, with `comment` in the first box."""
    _, token = make_invitation(app, round_, Relationship.PEER, name=name)
    client = app.test_client()
    instrument = instrument_for(app, round_)
    key = instrument.capabilities[0].key
    answer_every_page(client, token, instrument, **{comment_field_name(key): comment})
    return token, key


def test_drawing_the_review_page_with_warnings_writes_no_row_and_no_log_line(
    app, client, quiet_sql
):
    round_ = make_round(app, make_user(app, name="Morag Campbell"))
    token, _ = answered_link(app, round_, GIVEAWAY, "Ailsa Ross")
    before = every_row(app)
    quiet_sql.clear()
    for _ in range(3):
        page = client.get(f"/r/{token}/review").get_data(as_text=True)
        assert page.count('<mark class="giveaway"') == 7
        assert client.head(f"/r/{token}/review").status_code == 200
    assert quiet_sql.records == []
    after = every_row(app)
    assert row_counts(after) == row_counts(before)
    assert after == before


def test_changing_a_comment_after_a_warning_changes_only_the_draft_and_logs_nothing(
    app, client, quiet_sql
):
    round_ = make_round(app, make_user(app, name="Morag Campbell"))
    token, key = answered_link(app, round_, GIVEAWAY, "Ailsa Ross")
    html = client.get(f"/r/{token}/review").get_data(as_text=True)
    before = every_row(app)
    quiet_sql.clear()
    form = {"csrf_token": csrf_from(html), "question": key, "comment": PLAIN}
    assert client.post(f"/r/{token}/review", data=form).status_code == 302
    client.get(f"/r/{token}/review")
    assert quiet_sql.records == []
    after = every_row(app)
    assert row_counts(after) == row_counts(before)
    changed = {table for table in after if after[table] != before[table]}
    assert changed == {"rater_draft"}  # the comment as now typed, and nothing about why


def test_a_warning_leaves_no_mark_in_the_cookie_or_the_headers(app):
    """Two colleagues, one warned and one not: the same session keys and the same headers."""
    round_ = make_round(app, make_user(app, name="Morag Campbell"))
    seen = []
    for comment, name in ((GIVEAWAY, "Ailsa Ross"), (PLAIN, "Jamie Kerr")):
        token, _ = answered_link(app, round_, comment, name)
        client = app.test_client()
        response = client.get(f"/r/{token}/review")
        with client.session_transaction() as session:
            keys = sorted(session.keys())
        headers = sorted(name for name, _ in response.headers if name != "Content-Length")
        seen.append((keys, headers))
    assert seen[0] == seen[1]


def test_checking_a_reflection_writes_no_row_and_no_log_line(app, client, quiet_sql):
    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user)
    with app.app_context():
        db.session.add(Reflection(round_id=round_id, statement=GIVEAWAY))
        db.session.commit()
    login_as(client, user)
    before = every_row(app)
    quiet_sql.clear()
    page = client.get(f"/reports/{round_id}/reflection/check").get_data(as_text=True)
    assert '<mark class="giveaway"' in page
    assert quiet_sql.records == []
    assert every_row(app) == before
