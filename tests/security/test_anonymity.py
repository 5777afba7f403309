"""SECURITY.md, "Anonymity" (lines 19 and 20): what tests/reports and tests/surveys leave out.

The rules are proved as properties of the Report (tests/reports) and the schema is proved unable
to link an answer set to anyone (tests/surveys). Here: the pages show only the groups the kept
Report allows, and a real submit over HTTP leaves no address, browser or time in any table.
"""

from __future__ import annotations

import datetime as dt
import re

from builders import login_as, make_invitation, make_round, make_user
from rater_steps import answer_every_page, every_row, instrument_for, submit

from feedback360.extensions import db
from feedback360.reports.documents import kept_report
from feedback360.surveys.models import Relationship

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (Unmistakable Test Browser 9.9)"


def test_the_report_page_shows_only_the_groups_the_rules_allow(app, client):
    from builders_report import add_answer_set, close_and_freeze

    user = make_user(app)
    round_ = make_round(app, user)
    instrument = instrument_for(app, round_)
    scores = {"line_manager": 3, "peer": 1, "direct_report": 5}
    sizes = {"line_manager": 1, "peer": 2, "direct_report": 4}
    add_answer_set(app, round_.id, "self", {item.key: 2 for item in instrument.items})
    for relationship, count in sizes.items():
        for _ in range(count):
            answers = {item.key: scores[relationship] for item in instrument.items}
            add_answer_set(app, round_.id, relationship, answers)
    close_and_freeze(app, round_.id)
    login_as(client, user)

    html = client.get(f"/reports/{round_.id}").get_data(as_text=True)

    with app.app_context():
        report = kept_report(round_.id)
    overview = html[html.index('id="overview"') :]
    overview = overview[: overview.index("</thead>")]
    headers = re.findall(r'<th scope="col" class="num">([^<]+)</th>', overview)
    assert headers == ["You", *(group.label for group in report.groups)]
    assert "Peer" not in headers  # two peers are too few to be shown as a group
    # The peers' own figure (1.0) is shown nowhere, under any label.
    shown_means = {s.mean for c in report.capabilities for s in c.scores}
    assert 1.0 not in shown_means


def changed_rows(before: dict, after: dict) -> dict[str, tuple[list, list]]:
    """Per table: the rows that appeared and the rows that went."""
    changes = {}
    for table in set(before) | set(after):
        old, new = before.get(table, []), after.get(table, [])
        added = [row for row in new if row not in old]
        removed = [row for row in old if row not in new]
        if added or removed:
            changes[table] = (added, removed)
    return changes


def test_a_real_submit_leaves_no_address_browser_or_time_in_any_table(app, client):
    round_ = make_round(app, make_user(app))
    invitation, token = make_invitation(app, round_, Relationship.DIRECT_REPORT)
    instrument = instrument_for(app, round_)
    client.environ_base.update(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)
    before = every_row(app)

    answer_every_page(client, token, instrument)
    assert submit(client, token).status_code == 302

    after = every_row(app)
    stored = repr(after)
    assert ADDRESS not in stored and BROWSER not in stored and token not in stored
    changes = changed_rows(before, after)
    assert set(changes) == {"answer_set", "answer", "comment", "invitation", "invitation_use"}
    # The invitation changed only its status; its created_at is when it was sent, as before.
    (added,), (removed,) = changes["invitation"]
    assert [a for a, r in zip(added, removed, strict=True) if a != r] == ["submitted"]
    # Its use is recorded by its id alone: no time, and no counter that gives an order.
    assert changes["invitation_use"] == ([(invitation.id,)], [])
    # Nothing new holds a time of day: the answer set keeps the day only.
    answers = ("answer_set", "answer", "comment")
    new_values = [value for table in answers for row in changes[table][0] for value in row]
    assert not [v for v in new_values if isinstance(v, dt.datetime)]
    assert any(type(v) is dt.date for v in new_values)
    with app.app_context():
        assert db.session.get(type(invitation), invitation.id).has_answered
