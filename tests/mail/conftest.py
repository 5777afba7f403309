"""Mail test fixtures: an SMTP server that fails on demand, one that never answers, outbox rows."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask import Flask
from sqlalchemy import select

from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage


class ScriptedHandler:
    """Accepts mail, except where a test has scripted a refusal for the next few commands."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.deliveries: list[tuple[list[str], EmailMessage]] = []
        self.rcpt_replies: dict[str, list[str]] = {}
        self.data_replies: list[str] = []
        self.always_refuse: dict[str, str] = {}
        self.rcpt_calls: Counter[str] = Counter()

    def refuse(self, address: str, *replies: str) -> None:
        """Answer RCPT TO:<address> with these replies, one per attempt, then accept."""
        with self.lock:
            self.rcpt_replies.setdefault(address, []).extend(replies)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.lock:
            self.rcpt_calls[address] += 1
            queued = self.rcpt_replies.get(address)
            reply = queued.pop(0) if queued else self.always_refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            reply = self.data_replies.pop(0) if self.data_replies else None
        if reply:
            return reply
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.deliveries.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def received(self) -> Counter[str]:
        """How many messages each address received."""
        with self.lock:
            return Counter(rcpt for rcpts, _ in self.deliveries for rcpt in rcpts)

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message for _, message in self.deliveries]


class ScriptedSMTP:
    """A real aiosmtpd server on a fixed port that a test can take down and bring back."""

    def __init__(self, port: int) -> None:
        self.host, self.port = "127.0.0.1", port
        self.handler = ScriptedHandler()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def scripted_smtp() -> Iterator[ScriptedSMTP]:
    """Running at first; `.stop()` makes the port refuse connections until `.start()`."""
    server = ScriptedSMTP(_free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentServer:
    """Accepts TCP connections and never says a word: an SMTP client waits for the greeting."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept_forever, daemon=True)
        self.thread.start()

    def _accept_forever(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)

    def connections(self) -> int:
        """Connections seen so far, counting any still waiting in the backlog."""
        self.stopping.wait(0.2)  # let the accept loop catch up
        return len(self.accepted)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for connection in self.accepted:
            connection.close()
        self.listener.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def smtp_settings() -> Callable[..., dict]:
    """Builds settings that send for real, with a 1 s timeout."""
    return _smtp_settings


def _smtp_settings(host: str, port: int, **extra: object) -> dict:
    return {
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": host,
        "MAIL_PORT": port,
        "MAIL_TIMEOUT_SECONDS": 1.0,
        "MAIL_RETRY_BASE_SECONDS": 30.0,
        "MAIL_MAX_ATTEMPTS": 5,
        "MAIL_DEFAULT_SENDER": "feedback360 <no-reply@feedback360.test>",
        **extra,
    }


@pytest.fixture
def add_messages(app: Flask) -> Callable[..., list[int]]:
    """Put `count` due messages straight into the outbox; returns their ids."""

    def add(count: int = 1, prefix: str = "colleague", **fields: object) -> list[int]:
        with app.app_context():
            rows = [
                OutboxMessage(
                    **{
                        "recipient": f"{prefix}{n}@example.org",
                        "subject": f"Message {n}",
                        "text_body": f"Hello {n}. Your link: http://feedback360.test/r/secret{n}",
                        "html_body": f"<p>Hello {n}.</p>",
                        **fields,
                    }
                )
                for n in range(count)
            ]
            db.session.add_all(rows)
            db.session.commit()
            return [row.id for row in rows]

    return add


@pytest.fixture
def outbox(app: Flask) -> Callable[[], list[OutboxMessage]]:
    """Every outbox row as it is now, detached, in id order."""

    def read() -> list[OutboxMessage]:
        with app.app_context():
            rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
            db.session.expunge_all()
            return list(rows)

    return read
