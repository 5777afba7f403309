"""The migrations and the models describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from builders import make_round, make_user
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from feedback360.extensions import db


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrated_database_matches_the_models(app):
    with app.app_context():
        assert schema_differences() == []


def test_downgrade_to_empty_and_upgrade_again(app):
    with app.app_context():
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert "answer_set" in inspect(db.engine).get_table_names()
        assert schema_differences() == []


def test_existing_invitations_get_their_mailbox_and_a_clash_never_stops_the_upgrade(app):
    """Rows from before the mailbox column: the later of two that reach one mailbox keeps none."""
    user = make_user(app, email="morag@example.org")
    round_ = make_round(app, user)
    emails = ["sam.lee@gmail.com", "alex+a@example.org", "samlee@googlemail.com", None]
    with app.app_context():
        downgrade(revision="20261203_0003")
        for number, email in enumerate(emails):
            db.session.execute(
                text(
                    "INSERT INTO invitation (round_id, email, relationship, token_hash, status,"
                    " created_at) VALUES (:round_id, :email, 'peer', :token_hash, 'pending',"
                    " CURRENT_TIMESTAMP)"
                ),
                {"round_id": round_.id, "email": email, "token_hash": f"{number:064d}"},
            )
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT email, mailbox FROM invitation ORDER BY id"))
        assert [tuple(row) for row in rows] == [
            ("sam.lee@gmail.com", "samlee@gmail.com"),
            ("alex+a@example.org", "alex@example.org"),
            ("samlee@googlemail.com", None),
            (None, None),
        ]
