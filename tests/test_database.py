"""SQLite's one write lock: who takes it, when, and what a read-only transaction may not do.

Always on a SQLite file of its own, also in the PostgreSQL runs: these are SQLite's rules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from feedback360 import create_app
from feedback360.auth.models import RateLimitHit
from feedback360.database import WriteWithoutLock, read_only, start_writing
from feedback360.extensions import csrf, db


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "locks.db"


@pytest.fixture
def sqlite_app(sqlite_file: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "FEEDBACK360_ENV": "testing",
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": f"sqlite:///{sqlite_file}",
            "MAIL_TRANSPORT": "outbox",
        }
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def other_writer_can_start(path: Path) -> bool:
    """Whether another connection gets the write lock at once (no waiting at all)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


def add_route(app: Flask, view: Callable[[], str]) -> None:
    """The same test-only view for GET and POST: only the method differs."""
    app.add_url_rule("/test-only/db", "test_only_db", csrf.exempt(view), methods=["GET", "POST"])


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_app):
    with sqlite_app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_get_reads_without_the_write_lock_and_a_post_takes_it_up_front(sqlite_app, sqlite_file):
    seen: dict[str, bool] = {}

    def view() -> str:
        from flask import request

        db.session.scalar(select(func.count()).select_from(RateLimitHit))  # transaction begun
        seen[request.method] = other_writer_can_start(sqlite_file)
        return "read"

    add_route(sqlite_app, view)
    client = sqlite_app.test_client()
    assert client.get("/test-only/db").status_code == 200
    assert client.post("/test-only/db").status_code == 200
    # A page view never stops a rater's send; a request that may write holds the lock at once,
    # so it never fails halfway with "database is locked" when another writer got in between.
    assert seen == {"GET": True, "POST": False}


def test_a_write_in_a_read_only_transaction_is_refused(sqlite_app):
    def view() -> str:
        db.session.add(RateLimitHit(bucket="x" * 64))
        db.session.flush()
        return "wrote"

    add_route(sqlite_app, view)
    with sqlite_app.app_context():
        read_only()  # as a command that only reads says; a GET request does it by itself
        with pytest.raises(WriteWithoutLock, match="start_writing"):
            view()
    response = sqlite_app.test_client().get("/test-only/db")
    assert response.status_code == 500  # loudly, on the friendly error page
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 0


def test_start_writing_ends_the_read_and_takes_the_lock(sqlite_app, sqlite_file):
    seen: list[bool] = []

    def view() -> str:
        db.session.scalar(select(func.count()).select_from(RateLimitHit))
        seen.append(other_writer_can_start(sqlite_file))
        start_writing()
        db.session.add(RateLimitHit(bucket="y" * 64))
        db.session.flush()
        seen.append(other_writer_can_start(sqlite_file))
        db.session.commit()
        return "wrote"

    add_route(sqlite_app, view)
    assert sqlite_app.test_client().get("/test-only/db").status_code == 200
    assert seen == [True, False]
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 1


def test_start_writing_leaves_a_write_transaction_alone(sqlite_app):
    """Only a read-only transaction is ended: a write already made is never committed early."""
    with sqlite_app.test_request_context("/", method="POST"):
        db.session.add(RateLimitHit(bucket="z" * 64))
        db.session.flush()  # in a transaction begun for writing, as every POST's is
        read_only()  # too late to matter: this transaction already holds the lock
        start_writing()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 0
