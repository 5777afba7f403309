"""The floor for bench/submit_load.py: the least a server can do for the same submit.

A bare Flask app that parses the same complete answer form and inserts the same rows
(answer set, answers, comments) in one transaction, with sqlite3 or psycopg and nothing else:
no ORM, no sessions, no templates. Served by gunicorn with the same settings as the real app.
Settings come from the environment (FLOOR_DATABASE, FLOOR_ROUND_ID, FLOOR_ITEMS,
FLOOR_QUESTIONS), set by submit_load.py.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sqlite3
from typing import Any

from flask import Flask, abort, redirect, request

app = Flask(__name__)
DATABASE = os.environ.get("FLOOR_DATABASE", "")
ROUND_ID = int(os.environ.get("FLOOR_ROUND_ID", "0"))
ITEMS = tuple(filter(None, os.environ.get("FLOOR_ITEMS", "").split(",")))
QUESTIONS = tuple(filter(None, os.environ.get("FLOOR_QUESTIONS", "").split(",")))
SCORES = {"1", "2", "3", "4", "5", "na"}
_connection: Any = None


def connection() -> Any:
    """One connection per worker process, kept open, tuned as the real app tunes its own."""
    global _connection
    if _connection is None:
        if DATABASE.startswith("postgresql"):
            import psycopg

            _connection = psycopg.connect(DATABASE.replace("+psycopg", ""), autocommit=True)
        else:
            _connection = sqlite3.connect(DATABASE, isolation_level=None)
            for pragma in ("journal_mode=WAL", "busy_timeout=5000", "synchronous=NORMAL"):
                _connection.execute(f"PRAGMA {pragma}")
    return _connection


def parse_answers() -> tuple[list[tuple[str, int | None]], list[tuple[str, str]]]:
    """Every item answered with a scale value or "not observed"; comments optional."""
    scores = []
    for key in ITEMS:
        raw = request.form.get(f"item-{key}", "")
        if raw not in SCORES:
            abort(400)
        scores.append((key, None if raw == "na" else int(raw)))
    comments = []
    for key in QUESTIONS:
        text = request.form.get(f"comment-{key}", "").strip()
        if len(text) > 5000:
            abort(400)
        if text:
            comments.append((key, text))
    return scores, comments


def insert_sqlite(answer_set: str, scores: list, comments: list) -> None:
    db = connection()
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(
            "INSERT INTO answer_set (id, round_id, relationship, submitted_on) VALUES (?,?,?,?)",
            (answer_set, ROUND_ID, "peer", dt.date.today().isoformat()),
        )
        db.executemany(
            "INSERT INTO answer (answer_set_id, item_key, score) VALUES (?,?,?)",
            [(answer_set, key, score) for key, score in scores],
        )
        db.executemany(
            "INSERT INTO comment (answer_set_id, question_key, text) VALUES (?,?,?)",
            [(answer_set, key, text) for key, text in comments],
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def insert_postgres(answer_set: str, scores: list, comments: list) -> None:
    db = connection()
    with db.transaction(), db.cursor() as cursor:
        cursor.execute(
            "INSERT INTO answer_set (id, round_id, relationship, submitted_on)"
            " VALUES (%s,%s,%s,%s)",
            (answer_set, ROUND_ID, "peer", dt.date.today()),
        )
        cursor.executemany(
            "INSERT INTO answer (answer_set_id, item_key, score) VALUES (%s,%s,%s)",
            [(answer_set, key, score) for key, score in scores],
        )
        cursor.executemany(
            "INSERT INTO comment (answer_set_id, question_key, text) VALUES (%s,%s,%s)",
            [(answer_set, key, text) for key, text in comments],
        )


@app.post("/submit")
def submit() -> Any:
    scores, comments = parse_answers()
    insert = insert_postgres if DATABASE.startswith("postgresql") else insert_sqlite
    insert(secrets.token_hex(16), scores, comments)
    return redirect("/thanks")
