"""The schema itself keeps answer sets anonymous (DESIGN.md section 4, SECURITY.md 20).

The rule checked, over the migrated database (SQLite, or PostgreSQL in CI):

* Take every foreign key as an edge between two tables, in both directions, since a join can
  follow a key either way. Remove `feedback_round` and look at what `answer_set` still
  reaches: it must be exactly answer_set, answer and comment. So every path from an answer
  set to anything else (an invitation, a draft, an outbox message, a person) passes through
  its round, and a round leads to all of its invitations at once, never to one of them. The
  round's owner is the worker, the subject of the feedback, whom the answers are about anyway.
* The only keys leaving those three tables are answer_set.round_id -> feedback_round and
  answer/comment -> answer_set. No other table has a column that names an answer set, with or
  without a foreign key.
* Their columns are exactly the reviewed list below, none can hold a time finer than a day
  (no DateTime, Time or Interval type, no server default), none is named like an email, an
  address, a user agent, a token, an invitation or a person, and an answer set's id is not a
  counter (which would give the order of submits away).
* An invitation keeps no time of use: its only time column is when it was created.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Inspector
from sqlalchemy.types import Date, DateTime, Integer, Interval, Time

ANSWER_TABLES = {"answer_set", "answer", "comment"}
ROUND = "feedback_round"
# Adding a column here needs an anonymity review: it is stored next to someone's answers.
REVIEWED_COLUMNS = {
    "answer_set": {"id", "round_id", "relationship", "submitted_on"},
    "answer": {"answer_set_id", "item_key", "score"},
    "comment": {"answer_set_id", "question_key", "text"},
}
ALLOWED_KEYS = {
    ("answer_set", ROUND),
    ("answer", "answer_set"),
    ("comment", "answer_set"),
}
IDENTIFYING_WORDS = {
    *("email", "mail", "ip", "addr", "address", "agent", "ua", "token", "hash", "session"),
    *("invitation", "invite", "user", "person", "rater", "name", "cookie", "device", "host"),
}


def key_edges(inspector: Inspector) -> set[tuple[str, str]]:
    """(table, table it refers to) for every foreign key in the database."""
    return {
        (table, key["referred_table"])
        for table in inspector.get_table_names()
        for key in inspector.get_foreign_keys(table)
    }


def reachable_without(edges: set[tuple[str, str]], start: str, removed: str) -> set[str]:
    """Tables `start` reaches by following keys either way, never entering `removed`."""
    seen, waiting = {start}, [start]
    while waiting:
        table = waiting.pop()
        for a, b in edges:
            for here, there in ((a, b), (b, a)):
                if here == table and there != removed and there not in seen:
                    seen.add(there)
                    waiting.append(there)
    return seen


def path_problems(inspector: Inspector) -> list[str]:
    edges = key_edges(inspector)
    problems = []
    reached = reachable_without(edges, "answer_set", ROUND)
    if reached != ANSWER_TABLES:
        others = sorted(reached - ANSWER_TABLES)
        problems.append(f"answer_set reaches {others} other than through its round")
    touching = {edge for edge in edges if set(edge) & ANSWER_TABLES}
    for source, target in sorted(touching - ALLOWED_KEYS):
        problems.append(f"foreign key {source} -> {target} touches the answer tables")
    for table in set(inspector.get_table_names()) - ANSWER_TABLES:
        for column in inspector.get_columns(table):
            if "answer" in column["name"].lower():
                problems.append(f"{table}.{column['name']} may point at an answer set")
    return problems


def column_problems(inspector: Inspector) -> list[str]:
    problems = []
    for table in sorted(ANSWER_TABLES):
        columns = inspector.get_columns(table)
        unreviewed = {column["name"] for column in columns} ^ REVIEWED_COLUMNS[table]
        if unreviewed:
            problems.append(f"{table}: columns added or missing: {sorted(unreviewed)}")
        for column in columns:
            problems += problems_of_column(table, column)
    return problems


def problems_of_column(table: str, column: dict) -> list[str]:
    where = f"{table}.{column['name']}"
    problems = []
    kind = column["type"]
    if isinstance(kind, (DateTime, Time, Interval)) or "TIME" in str(kind).upper():
        problems.append(f"{where} can hold a time finer than a day ({column['type']})")
    if column.get("default") is not None:
        problems.append(f"{where} has a database default, which could read the clock")
    if set(column["name"].lower().split("_")) & IDENTIFYING_WORDS:
        problems.append(f"{where} is named like something that identifies a person")
    return problems


def id_problems(inspector: Inspector) -> list[str]:
    id_column = next(c for c in inspector.get_columns("answer_set") if c["name"] == "id")
    if isinstance(id_column["type"], Integer):
        return ["answer_set.id is a counter: its order would give away the order of submits"]
    return []


def invitation_problems(inspector: Inspector) -> list[str]:
    times = {
        column["name"]
        for column in inspector.get_columns("invitation")
        if isinstance(column["type"], (Date, DateTime, Time))
    }
    extra = sorted(times - {"created_at"})
    return [f"invitation records a time of use: {extra}"] if extra else []


def all_problems(inspector: Inspector) -> list[str]:
    return (
        path_problems(inspector)
        + column_problems(inspector)
        + id_problems(inspector)
        + invitation_problems(inspector)
    )


def test_no_path_links_an_answer_set_to_an_invitation_or_a_person(app, db):
    with app.app_context():
        inspector = inspect(db.engine)
        assert {"answer_set", "invitation", "rater_draft", "user_account"} <= set(
            inspector.get_table_names()
        )
        assert path_problems(inspector) == []


def test_answer_tables_hold_only_reviewed_columns_and_no_time_finer_than_a_day(app, db):
    with app.app_context():
        inspector = inspect(db.engine)
        assert column_problems(inspector) == []
        assert id_problems(inspector) == []
        assert invitation_problems(inspector) == []


# The checks above must be able to fail: each schema below breaks one rule. --------------------

BASE = [
    "CREATE TABLE user_account (id INTEGER PRIMARY KEY, email VARCHAR(254))",
    "CREATE TABLE feedback_round (id INTEGER PRIMARY KEY,"
    " user_id INTEGER REFERENCES user_account(id))",
    "CREATE TABLE invitation (id INTEGER PRIMARY KEY,"
    " round_id INTEGER REFERENCES feedback_round(id), created_at DATETIME)",
    "CREATE TABLE answer (answer_set_id VARCHAR(32) REFERENCES answer_set(id),"
    " item_key VARCHAR(50), score SMALLINT)",
    "CREATE TABLE comment (answer_set_id VARCHAR(32) REFERENCES answer_set(id),"
    " question_key VARCHAR(50), text TEXT)",
]
GOOD_ANSWER_SET = (
    "CREATE TABLE answer_set (id VARCHAR(32) PRIMARY KEY, round_id INTEGER REFERENCES"
    " feedback_round(id), relationship VARCHAR(20), submitted_on DATE)"
)
BROKEN = {
    "a link table": [
        GOOD_ANSWER_SET,
        "CREATE TABLE receipt (answer_set_id VARCHAR(32) REFERENCES answer_set(id),"
        " invitation_id INTEGER REFERENCES invitation(id))",
    ],
    "a key to the invitation": [
        "CREATE TABLE answer_set (id VARCHAR(32) PRIMARY KEY, round_id INTEGER REFERENCES"
        " feedback_round(id), relationship VARCHAR(20), submitted_on DATE,"
        " invitation_id INTEGER REFERENCES invitation(id))",
    ],
    "a column naming the answer set on the invitation": [
        GOOD_ANSWER_SET,
        "ALTER TABLE invitation ADD COLUMN answer_set_id VARCHAR(32)",
    ],
    "a timestamp": [
        "CREATE TABLE answer_set (id VARCHAR(32) PRIMARY KEY, round_id INTEGER REFERENCES"
        " feedback_round(id), relationship VARCHAR(20), submitted_on DATETIME)",
    ],
    "a counter for an id": [
        "CREATE TABLE answer_set (id INTEGER PRIMARY KEY, round_id INTEGER REFERENCES"
        " feedback_round(id), relationship VARCHAR(20), submitted_on DATE)",
    ],
    "a time of use on the invitation": [
        GOOD_ANSWER_SET,
        "ALTER TABLE invitation ADD COLUMN submitted_at DATETIME",
    ],
}


def inspect_schema(statements: Iterable[str]) -> Inspector:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    return inspect(engine)


def test_the_checks_accept_a_schema_that_follows_the_rules():
    assert all_problems(inspect_schema([*BASE, GOOD_ANSWER_SET])) == []


@pytest.mark.parametrize("flaw", sorted(BROKEN))
def test_the_checks_catch_a_schema_that_breaks_them(flaw):
    assert all_problems(inspect_schema([*BASE, *BROKEN[flaw]])) != []
