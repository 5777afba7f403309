"""A round made on an older instrument keeps its report when the instrument files change.

The rounds start on a copy of version 1 of the shipped files (tests/fixtures/instruments_v1);
then the app moves on to the files in instruments/, as a restart after an upgrade would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import login_as, make_round, make_user
from builders_report import add_answer_set, close_and_freeze

from feedback360.extensions import db
from feedback360.instruments.loading import DEFAULT_DIRECTORY, load_instruments
from feedback360.instruments.registry import instruments
from feedback360.reports.freeze import build_report
from feedback360.reports.report import to_dict
from feedback360.surveys.models import Round

V1 = Path(__file__).parents[1] / "fixtures" / "instruments_v1"
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+"')
COLLEAGUES = {"line_manager": 1, "peer": 3, "direct_report": 3, "other": 1}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "INSTRUMENTS_DIR": str(V1)}


def answered_round(app, user, key: str) -> int:
    """A round on the app's current `key` instrument with a self-assessment and 8 colleagues."""
    round_ = make_round(app, user, key)
    with app.app_context():
        items = [item.key for item in instruments()[key].items]
    add_answer_set(app, round_.id, "self", {k: 1 + i % 5 for i, k in enumerate(items)})
    for relationship, count in COLLEAGUES.items():
        for n in range(count):
            scores = {k: (1 + (n + i) % 5 if (n + i) % 6 else None) for i, k in enumerate(items)}
            comments = {"does_well": f"Comment {relationship} {n}.", "vision": "Clear about aims."}
            add_answer_set(app, round_.id, relationship, scores, comments)
    return round_.id


def report_page(client, round_id: int) -> str:
    page = client.get(f"/reports/{round_id}")
    assert page.status_code == 200
    # A form's CSRF token is signed afresh on each page; everything else must be the same.
    return CSRF_VALUE.sub(r'\1"', page.get_data(as_text=True))


def move_to_shipped_instruments(app) -> None:
    """What a restart with the new files does: the registry holds what instruments/ holds now."""
    app.extensions["feedback360.instruments"] = load_instruments(DEFAULT_DIRECTORY)


def built_report(app, round_id: int) -> dict:
    with app.app_context():
        return to_dict(build_report(db.session.get(Round, round_id)))


def test_the_fixture_is_version_1_and_the_shipped_files_are_newer():
    old, new = load_instruments(V1), load_instruments(DEFAULT_DIRECTORY)

    assert {key: i.version for key, i in old.items()} == {"frontline": 1, "manager": 1}
    assert all(new[key].version > 1 for key in old)
    for key in old:
        assert {i.key for i in old[key].items} != {i.key for i in new[key].items}


@pytest.mark.parametrize("key", ["frontline", "manager"])
def test_a_closed_version_1_round_renders_the_same_report_after_the_files_change(app, client, key):
    user = make_user(app, name="Morag Campbell")
    round_id = answered_round(app, user, key)
    close_and_freeze(app, round_id)
    login_as(client, user)
    before = report_page(client, round_id)
    with app.app_context():
        v1_statements = [item.self_text for item in instruments()[key].items]

    move_to_shipped_instruments(app)

    after = report_page(client, round_id)
    assert after == before
    assert all(statement.replace("'", "&#39;") in after for statement in v1_statements)


@pytest.mark.parametrize("key", ["frontline", "manager"])
def test_a_round_open_across_the_change_is_reported_on_what_it_asked(app, client, key):
    user = make_user(app, name="Morag Campbell")
    round_id = answered_round(app, user, key)
    expected = built_report(app, round_id)
    with app.app_context():
        v1_keys = {item.key for item in instruments()[key].items}

    move_to_shipped_instruments(app)
    with app.app_context():
        assert instruments()[key].version > 1
    close_and_freeze(app, round_id)

    assert built_report(app, round_id) == expected
    items = {item["key"] for cap in expected["capabilities"] for item in cap["items"]}
    assert items == v1_keys
