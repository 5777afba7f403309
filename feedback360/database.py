"""Database set-up: SQLite in WAL mode, reads that never block writers, or PostgreSQL.

SQLite has one write lock for the whole file. A transaction that may write begins IMMEDIATE,
taking that lock up front: a deferred transaction that reads and then writes fails at once with
"database is locked" when another writer got in between, whatever the busy timeout, while an
immediate one waits its turn. But a transaction that only reads must not take it, or every page
view and every PDF render would stop every rater's submit for as long as it lasts. So requests
that are safe by HTTP (GET, HEAD, OPTIONS) and commands that say so begin a plain deferred
transaction, which in WAL mode never blocks and is never blocked; such a request that must write
after all calls `start_writing()` first, and a write in a deferred transaction is refused loudly
rather than left to fail under load.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db, migrate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY = "read"
# Statements a deferred (read) transaction may run; anything else needs the write lock.
READING_STATEMENTS = ("SELECT", "PRAGMA", "WITH")


class WriteWithoutLock(RuntimeError):
    """A write in a transaction begun for reading only: call start_writing() before it."""


def init_app(app: Flask) -> None:
    # Every feature's tables, so the metadata (and Alembic's autogenerate) knows them all.
    from .auth import models as _accounts  # noqa: F401
    from .mail import models as _mail  # noqa: F401
    from .programmes import models as _programmes  # noqa: F401
    from .reports import models as _reports  # noqa: F401
    from .surveys import models as _surveys  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _tune_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    app.before_request(_read_only_for_safe_methods)


def _migrations_dir() -> Any:
    from . import ROOT

    return ROOT / "migrations"


def _read_only_for_safe_methods() -> None:
    if request.method in SAFE_METHODS:
        read_only()


def read_only() -> None:
    """Transactions in this app context begin without the write lock (SQLite only)."""
    g.transactions = READ_ONLY


def start_writing() -> None:
    """Before the first write of a read-only request or command: end the read, lock for writing.

    The read transaction holds nothing written (writes in it are refused), so committing it
    loses nothing; the next statement begins a transaction that takes SQLite's write lock.
    """
    if g.get("transactions") != READ_ONLY:
        return
    g.transactions = "write"
    # Only SQLite begins read-only transactions; elsewhere the one in progress goes on.
    if db.session().in_transaction() and db.session.connection().info.get("read_only"):
        db.session.commit()


def _begins_read_only() -> bool:
    return has_app_context() and g.get("transactions") == READ_ONLY


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is turned off so that "begin" below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, not just unlinked: a copy of the file must
        # not hold a colleague's address or draft once the round has closed (privacy/scrub.py).
        # Some builds (Debian's) do this by default; others do not, so it is said here.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        reading = _begins_read_only()
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
        connection.info["read_only"] = reading

    @event.listens_for(engine, "before_cursor_execute")
    def refuse_unlocked_writes(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if connection.info.get("read_only") and not _is_read(statement):
            raise WriteWithoutLock(
                "A write in a read-only transaction; call database.start_writing() first: "
                + statement[:80]
            )

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection: Any) -> None:
        connection.info.pop("read_only", None)


def _is_read(statement: str) -> bool:
    return statement.lstrip()[:7].upper().startswith(READING_STATEMENTS)
