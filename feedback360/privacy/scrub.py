"""After a close: make the database engine drop what it still keeps of deleted and replaced rows.

Closing a round (surveys/closing.py) deletes colleagues' addresses, drafts, mail and marks of
use, and writes every answer set again. The engines keep the old versions a while longer:
SQLite in its write-ahead log until a checkpoint, PostgreSQL as dead row versions until a
vacuum, and even then as bytes in the page's free space. This runs after the close's commit,
because neither a checkpoint nor a vacuum can run inside a transaction.

- SQLite: every connection runs with `secure_delete`, so deleted content is overwritten with
  zeros; here the log is folded into the main file and cut to nothing.
- PostgreSQL: the tables that name colleagues or link to an invitation are rewritten whole
  (`VACUUM FULL`), which leaves no old bytes at all. It is not free: `invitation` and
  `invitation_link` keep a row for every invitation ever sent (so that old links still open
  the "this round has closed" page), and the rewrite holds a lock that makes sends wait, about
  half a second at 10,000 closed rounds (bench/close_cost.py, docs/performance.md). The answer
  tables get a plain `VACUUM`: what it leaves in free space is answers already rewritten under
  new ids, with nothing left that they could be matched against.

If a reader holds the log, or a lock outlasts LOCK_TIMEOUT, the step is left for the next run:
`flask privacy scrub` (daily from cron) does the same (docs/privacy.md).
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from ..extensions import db

log = logging.getLogger(__name__)

REWRITTEN_WHOLE = (
    "invitation",
    "invitation_use",
    "invitation_link",
    "rater_draft",
    "outbox_message",
)
VACUUMED = ("answer_set", "answer", "comment")
# A VACUUM FULL waits for every transaction that touches its table; a scrub is not worth
# holding up colleagues' sends for longer than this.
LOCK_TIMEOUT = "2s"
SNAPSHOT_WAIT_SECONDS = 10
# Other sessions of this database whose snapshot is older than the marker, a transaction id
# taken after the close committed.
OLDER_SNAPSHOTS = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL "
    "AND age(backend_xmin) >= age(CAST(:marker AS xid))"
)


def scrub_after_close() -> bool:
    """Ask the engine to forget old row versions; False if it must wait for the next run."""
    engine = db.engine
    try:
        if engine.dialect.name == "sqlite":
            return _fold_sqlite_log(engine)
        return _vacuum_postgres(engine)
    except OperationalError as error:
        log.warning("The database clean-up after a close will be retried later: %s", error.orig)
        return False


def _fold_sqlite_log(engine: Engine) -> bool:
    """Copy the log into the main file and truncate it; False if a reader still needed it."""
    raw = engine.raw_connection()
    try:
        # The driver's own transactions are off (database.py), so this runs outside any.
        busy, _, _ = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    if busy:
        log.warning("The SQLite log could not be cut yet: a reader was using it.")
    return not busy


def _vacuum_postgres(engine: Engine) -> bool:
    """Rewrite or vacuum the tables; False if an older snapshot would have kept old versions."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if not _older_snapshots_gone(connection):
            log.warning("The clean-up after a close waits for a long transaction to finish.")
            return False
        connection.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        connection.exec_driver_sql(f"VACUUM FULL {', '.join(REWRITTEN_WHOLE)}")
        connection.exec_driver_sql(f"VACUUM {', '.join(VACUUMED)}")
    return True


def _older_snapshots_gone(connection: Connection) -> bool:
    """Wait until no other session can still see rows the close replaced (or give up).

    A vacuum keeps every old version that some open snapshot may still see: a transaction
    begun before the close, or autovacuum's own ANALYZE. Sessions of this app are short, so
    this is usually true at once.
    """
    marker = connection.execute(text("SELECT txid_current() % 4294967296")).scalar()
    deadline = time.monotonic() + SNAPSHOT_WAIT_SECONDS
    while time.monotonic() < deadline:
        if not connection.execute(OLDER_SNAPSHOTS, {"marker": str(marker)}).scalar():
            return True
        time.sleep(0.05)
    return False
