"""Shared fixtures: app, client, runner, db, a real SMTP server and a live server.

Every test runs on SQLite; with TEST_DATABASE_URL set (postgresql+psycopg://...) the same tests
run on PostgreSQL instead. The schema always comes from the Alembic migrations.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text

from feedback360 import create_app
from feedback360.extensions import db as _db

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


def base_config(database_url: str) -> dict:
    return {
        "FEEDBACK360_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "BASE_URL": "http://feedback360.test",
        "MAIL_TRANSPORT": "outbox",
        "SERVER_NAME": None,
    }


def _migrate(database_url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test: the migrations run once."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres() -> str:
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _migrate(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if POSTGRES_URL:
        url = request.getfixturevalue("migrated_postgres")
        _truncate_postgres(url)
        return url
    template = request.getfixturevalue("migrated_sqlite")
    target = tmp_path / "feedback360.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app_config(database_url: str) -> dict:
    """Override in a test module to change settings before the app is built."""
    return base_config(database_url)


@pytest.fixture
def app(app_config: dict) -> Iterator[Flask]:
    app = create_app(app_config)
    # No app context stays pushed: a request would reuse it, and with it `g` and the
    # database session, hiding bugs such as a login that survives logout.
    # Tests wrap their own database work in `with app.app_context():`.
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def sqlite_app(migrated_sqlite: Path, tmp_path: Path) -> Iterator[Flask]:
    """The app on a SQLite file of its own, also in the PostgreSQL runs: for SQLite's own rules."""
    target = tmp_path / "own.db"
    shutil.copy(migrated_sqlite, target)
    app = create_app(base_config(f"sqlite:///{target}"))
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask):
    return _db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ReceivedMail:
    """What a real in-process SMTP server received, in order."""

    def __init__(self) -> None:
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, int, ReceivedMail]]:
    from aiosmtpd.controller import Controller

    received = ReceivedMail()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, received
    finally:
        controller.stop()


class LiveServer:
    def __init__(self, app: Flask) -> None:
        from werkzeug.serving import make_server

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The real app on a loopback port, threaded, for concurrency and browser tests."""
    with LiveServer(app) as server:
        yield server
