"""SECURITY.md line 25 through the pages: issue 14's range attack on a real closed round.

tests/reports/test_report_exact.py proves the rule as a property of generated rounds. Here the
attack goes through the tables, the close and the pages the worker and their manager read: the
line manager gives 1 to every statement, one peer, one person managed and one other give 4. The
range 1-4 with the mean 3.25 over four scores would leave only {1, 4, 4, 4}, and the manager's
own mean of 1.0 would then give the other three away.
"""

from __future__ import annotations

import pytest
from builders import login_as, make_round, make_user
from builders_report import add_answer_set, close_and_freeze
from exact_check import leaks
from exact_publication import publication_of
from rater_steps import instrument_for
from test_report_pdf import pdf_text
from test_report_views import create_link

from feedback360.reports.documents import kept_report

SCORES = {"line_manager": 1, "peer": 4, "direct_report": 4, "other": 4}


@pytest.mark.slow
def test_the_range_attack_on_a_real_round_finds_nothing_forced(app, client):
    user = make_user(app)
    round_ = make_round(app, user)
    instrument = instrument_for(app, round_)
    add_answer_set(app, round_.id, "self", {item.key: 3 for item in instrument.items})
    for relationship, score in SCORES.items():
        add_answer_set(app, round_.id, relationship, {i.key: score for i in instrument.items})
    close_and_freeze(app, round_.id)
    login_as(client, user)

    page = client.get(f"/reports/{round_.id}").get_data(as_text=True)
    pdf = pdf_text(client.get(f"/reports/{round_.id}.pdf").data)
    shared = client.get(create_link(client, round_.id)).get_data(as_text=True)

    assert "3.2" in page and "1.0" in page  # the figures the attack starts from are shown
    for seen in (page, pdf, shared):
        assert "1–4" not in seen and "1-4" not in seen and "Range" not in seen
    with app.app_context():
        report = kept_report(round_.id)  # what every one of those pages is made from
    assert report.group("line_manager") is not None
    assert leaks(publication_of(report)) == []
